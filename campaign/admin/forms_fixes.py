"""Forms for writing and publishing fixes."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign.forms import Form
from campaign.i18n import _l
from campaign.labels import FIX_PROGRESS_LABELS


class _Form(Form):
    """Messages are marked with `_l` (lazy, in the reader's language); after validation they are
    plain strings, which a desk action can join into one flash (the session stores JSON)."""

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            field.errors = [str(message) for message in field.errors]
        return ok


class FixForm(_Form):
    campaign = SelectField(_l("캠페인"), coerce=str)
    title = StringField(
        validators=[
            DataRequired(_l("제목을 입력해 주세요.")),
            Length(2, 120, _l("제목을 2~120자로 써 주세요.")),
        ]
    )
    summary = TextAreaField(
        validators=[Optional(), Length(max=300, message=_l("요약은 300자까지 쓸 수 있어요."))]
    )
    before = TextAreaField(
        validators=[Optional(), Length(max=2000, message=_l("2,000자까지 쓸 수 있어요."))]
    )
    after = TextAreaField(
        validators=[Optional(), Length(max=2000, message=_l("2,000자까지 쓸 수 있어요."))]
    )
    body = TextAreaField(
        validators=[Optional(), Length(max=20000, message=_l("본문은 20,000자까지 쓸 수 있어요."))]
    )
    category = SelectField(coerce=str, validate_choice=False)
    team = SelectField(coerce=str)
    shipped_on = DateField(validators=[Optional()], format="%Y-%m-%d")


class FixProgressForm(_Form):
    progress = SelectField(choices=[(p.value, label) for p, label in FIX_PROGRESS_LABELS.items()])


class FixNoteForm(_Form):
    on = DateField(validators=[DataRequired(_l("날짜를 골라 주세요."))], format="%Y-%m-%d")
    text = StringField(
        validators=[
            DataRequired(_l("진행 소식을 입력해 주세요.")),
            Length(2, 500, _l("2~500자로 써 주세요.")),
        ]
    )


class FixLinkForm(_Form):
    """Link a cluster (chosen) or a moment (by its id, as shown on the desk)."""

    cluster = SelectField(coerce=str, validate_choice=False)
    moment = StringField(validators=[Optional(), Length(max=40)])


class QuoteForm(_Form):
    moment = StringField(
        validators=[DataRequired(_l("인용할 이야기의 번호를 입력해 주세요.")), Length(max=40)]
    )
    text = TextAreaField(
        validators=[Optional(), Length(max=600, message=_l("600자까지 쓸 수 있어요."))]
    )


class QuoteEditForm(_Form):
    text = TextAreaField(
        validators=[
            DataRequired(_l("인용문을 입력해 주세요.")),
            Length(2, 600, _l("2~600자로 써 주세요.")),
        ]
    )
