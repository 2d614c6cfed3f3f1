from __future__ import annotations

from flask import current_app
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from campaign.forms import Form
from campaign.i18n import _, _l
from campaign.labels import SEVERITY_LABELS
from campaign.loop import NOTE_MAX_CHARS
from campaign.privacy import normalise_receipt_code
from campaign.submissions import count_chars

NO_CHOICE = ""
# "얼마나 불편했나요?": 1 to 5 with their words, then a way to take a choice back without script.
SEVERITY_CHOICES = [(str(n), f"{n} · {text}") for n, text in SEVERITY_LABELS.items()]
NOT_CHOSEN = _l("고르지 않을래요")
SEVERITY_SKIP = (NO_CHOICE, NOT_CHOSEN)


def _text_bounds(empty, minimum_key: str | None, maximum_key: str):
    """`empty`: what to say when nothing was written (required fields only)."""

    def check(form, field):
        n = count_chars((field.data or "").strip())
        config = current_app.config
        maximum = config[maximum_key]
        if minimum_key and n == 0:
            raise ValidationError(str(empty))
        if minimum_key and n < config[minimum_key]:
            raise ValidationError(
                _(
                    "조금만 더 자세히 적어 주세요. %(least)s자 이상 써 주셔야 해요. (지금 %(n)s자)",
                    least=config[minimum_key],
                    n=n,
                )
            )
        if n > maximum:
            raise ValidationError(
                _(
                    "%(most)s자까지 쓸 수 있어요. %(over)s자를 줄여 주세요.",
                    most=format(maximum, ","),
                    over=format(n - maximum, ","),
                )
            )

    return check


class MomentForm(Form):
    body = TextAreaField(
        validators=[
            _text_bounds(
                _l("어떤 순간이 불편했는지 적어 주세요."), "BODY_MIN_CHARS", "BODY_MAX_CHARS"
            )
        ]
    )
    category = SelectField(validate_choice=False)
    channel = SelectField(validate_choice=False)
    suggestion = TextAreaField(validators=[_text_bounds(None, None, "SUGGESTION_MAX_CHARS")])
    severity = RadioField(choices=[*SEVERITY_CHOICES, SEVERITY_SKIP], validate_choice=False)
    # Honeypot: hidden from people and assistive technology; bots fill every field they see.
    website = StringField()
    # Set after the person has seen what will be masked and chose to send it that way.
    pii_ack = HiddenField()
    # The code of the source link the form was opened from (sources.py), else empty.
    source = HiddenField()

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(NO_CHOICE, NOT_CHOSEN)] + [(c, c) for c in campaign.categories]
        self.channel.choices = [(NO_CHOICE, NOT_CHOSEN)] + [(c, c) for c in campaign.channels]
        # Built per request, so the words are in the reader's language.
        self.severity.choices = [
            *((str(n), f"{n} · {text}") for n, text in SEVERITY_LABELS.items()),
            SEVERITY_SKIP,
        ]

    # Both are optional: a form sent without them (an old page, another client) means "none".
    def validate_category(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError(_("목록에 있는 분야 중에서 골라 주세요."))

    def validate_channel(self, field):
        if field.data and field.data not in dict(field.choices):
            raise ValidationError(_("목록에 있는 경로 중에서 골라 주세요."))

    def validate_severity(self, field):
        if field.data and field.data not in dict(SEVERITY_CHOICES):
            raise ValidationError(
                _("얼마나 불편했는지는 1부터 5 중에서 골라 주세요. 고르지 않고 보내셔도 돼요.")
            )

    @property
    def chosen_severity(self) -> int | None:
        """The answer as a number, or None when skipped (validated first)."""
        return int(self.severity.data) if self.severity.data in dict(SEVERITY_CHOICES) else None

    @property
    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())


class ReceiptForm(Form):
    code = StringField()

    def validate_code(self, field):
        typed = (field.data or "").strip()
        if not typed:
            raise ValidationError(_("접수번호를 입력해 주세요."))
        if normalise_receipt_code(typed) is None:
            raise ValidationError(
                _("접수번호는 영문과 숫자 16자리예요. 받으신 번호를 다시 확인해 주세요.")
            )


class AnswerForm(ReceiptForm):
    """ "해결됐나요?": the receipt code again (the page holds it; nothing else identifies the
    moment), the answer, and an optional short note."""

    resolved = RadioField(
        choices=[("yes", _l("해결됐어요")), ("no", _l("아직 불편해요"))], validate_choice=False
    )
    note = TextAreaField()

    def validate_resolved(self, field):
        if field.data not in ("yes", "no"):
            raise ValidationError(_("해결됐는지, 아직 불편한지 골라 주세요."))

    def validate_note(self, field):
        n = count_chars((field.data or "").strip())
        if n > NOTE_MAX_CHARS:
            raise ValidationError(
                _(
                    "%(most)s자까지 쓸 수 있어요. %(over)s자를 줄여 주세요.",
                    most=NOTE_MAX_CHARS,
                    over=n - NOTE_MAX_CHARS,
                )
            )


class FollowForm(Form):
    """ "소식 받기" on the thanks page: the button alone (the session says which moment)."""


class SaveReceiptForm(ReceiptForm):
    """ "접수번호 저장하기" on the receipt page: the code the person typed, and the file's kind."""

    kind = HiddenField()

    def validate_kind(self, field):
        if field.data not in ("txt", "svg"):
            raise ValidationError("저장할 파일 종류를 골라 주세요.")
