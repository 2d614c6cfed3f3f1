"""Forms for writing and publishing fixes."""

from __future__ import annotations

from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from campaign.forms import Form
from campaign.labels import FIX_PROGRESS_LABELS


class FixForm(Form):
    campaign = SelectField("캠페인", coerce=str)
    title = StringField(
        validators=[
            DataRequired("제목을 입력해 주세요."),
            Length(2, 120, "제목을 2~120자로 써 주세요."),
        ]
    )
    summary = TextAreaField(
        validators=[Optional(), Length(max=300, message="요약은 300자까지 쓸 수 있어요.")]
    )
    before = TextAreaField(
        validators=[Optional(), Length(max=2000, message="2,000자까지 쓸 수 있어요.")]
    )
    after = TextAreaField(
        validators=[Optional(), Length(max=2000, message="2,000자까지 쓸 수 있어요.")]
    )
    body = TextAreaField(
        validators=[Optional(), Length(max=20000, message="본문은 20,000자까지 쓸 수 있어요.")]
    )
    category = SelectField(coerce=str, validate_choice=False)
    team = SelectField(coerce=str)
    shipped_on = DateField(validators=[Optional()], format="%Y-%m-%d")


class FixProgressForm(Form):
    progress = SelectField(choices=[(p.value, label) for p, label in FIX_PROGRESS_LABELS.items()])


class FixNoteForm(Form):
    on = DateField(validators=[DataRequired("날짜를 골라 주세요.")], format="%Y-%m-%d")
    text = StringField(
        validators=[
            DataRequired("진행 소식을 입력해 주세요."),
            Length(2, 500, "2~500자로 써 주세요."),
        ]
    )


class FixLinkForm(Form):
    """Link a cluster (chosen) or a moment (by its id, as shown on the desk)."""

    cluster = SelectField(coerce=str, validate_choice=False)
    moment = StringField(validators=[Optional(), Length(max=40)])


class QuoteForm(Form):
    moment = StringField(
        validators=[DataRequired("인용할 이야기의 번호를 입력해 주세요."), Length(max=40)]
    )
    text = TextAreaField(
        validators=[Optional(), Length(max=600, message="600자까지 쓸 수 있어요.")]
    )


class QuoteEditForm(Form):
    text = TextAreaField(
        validators=[DataRequired("인용문을 입력해 주세요."), Length(2, 600, "2~600자로 써 주세요.")]
    )
