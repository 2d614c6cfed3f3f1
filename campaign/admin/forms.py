"""Forms of the moderators' desk. Every mutation is a POST through one of these (CSRF included)."""

from __future__ import annotations

from flask import request
from flask_wtf.file import FileField, FileRequired
from flask_wtf.form import SUBMIT_METHODS, _Auto
from werkzeug.datastructures import CombinedMultiDict
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import DateInput

from campaign import clocks, inbox, webhooks
from campaign.forms import Form
from campaign.i18n import _, _l, english
from campaign.intake import bounded_day, bounded_int
from campaign.labels import DIGEST_FREQUENCY_LABELS, HIDDEN_LABELS, ROLE_LABELS, STATUS_LABELS
from campaign.models import MomentStatus, Role
from campaign.privacy import PLACEHOLDER_NAMES, PLACEHOLDERS

VISIBLE_STATUS_CHOICES = [
    (s.value, STATUS_LABELS[s]) for s in STATUS_LABELS if s is not MomentStatus.HIDDEN
]


class LoginForm(Form):
    email = StringField(
        validators=[
            DataRequired(_l("이메일을 입력해 주세요.")),
            Length(max=254, message=_l("이메일이 너무 길어요.")),
        ]
    )
    password = PasswordField(
        validators=[
            DataRequired(_l("비밀번호를 입력해 주세요.")),
            Length(max=1024, message=_l("비밀번호가 너무 길어요.")),
        ]
    )
    next = HiddenField()


class CodeForm(Form):
    code = StringField(
        validators=[DataRequired(_l("인증 앱의 6자리 숫자나 복구 코드를 넣어 주세요."))]
    )


class ActionForm(Form):
    """A bare CSRF-checked POST (logout, restore, undo...)."""


class StatusForm(Form):
    status = SelectField(choices=VISIBLE_STATUS_CHOICES)


class HideForm(Form):
    reason = SelectField(choices=[(r.value, label) for r, label in HIDDEN_LABELS.items()])


class TagForm(Form):
    tag = StringField(
        validators=[
            DataRequired(_l("태그 이름을 입력해 주세요.")),
            Length(max=40, message=_l("태그 이름은 40자까지 쓸 수 있어요.")),
        ]
    )


class RouteForm(Form):
    team = SelectField(coerce=str)


def people_choice(value, label) -> tuple:
    """A choice whose words people wrote (a campaign's title, a team, a tag): marked lang="ko"
    on an English page so it is read in Korean; a plain pair on a Korean page (HTML unchanged)."""
    return (value, label, {"lang": "ko"}) if english() else (value, label)


def team_choices(teams) -> list[tuple[str, str]]:
    """Choices for a team select: no team, then each team (for RouteForm and BulkForm)."""
    return [("", _("담당 팀 없음"))] + [(str(t.id), t.name) for t in teams]


def _marked(choices: list[tuple]) -> list[tuple]:
    """Choices shown by WTForms itself, with people's words marked (people_choice)."""
    return [people_choice(*c) if c[0] else c for c in choices]


class MaskForm(Form):
    phrase = StringField(validators=[DataRequired(_l("가릴 내용을 입력해 주세요."))])
    kind = SelectField(choices=[(k, PLACEHOLDER_NAMES[k]) for k in PLACEHOLDERS])


class BulkForm(Form):
    action = SelectField(
        choices=[
            ("", _l("선택한 이야기에…")),
            ("status", _l("상태 바꾸기")),
            ("hide", _l("숨기기")),
            ("tag", _l("태그 달기")),
            ("route", _l("팀에 넘기기")),
        ]
    )
    status = SelectField(choices=VISIBLE_STATUS_CHOICES)
    reason = SelectField(choices=[(r.value, label) for r, label in HIDDEN_LABELS.items()])
    tag = StringField()
    team = SelectField(coerce=str)

    def validate_action(self, field):
        if not field.data:
            raise ValidationError(_("할 일을 골라 주세요."))
        if field.data == "tag" and not (self.tag.data or "").strip():
            raise ValidationError(_("달 태그 이름을 입력해 주세요."))


class NameForm(Form):
    name = StringField(validators=[DataRequired(_l("이름을 입력해 주세요."))])


class MergeTagForm(Form):
    into = SelectField(coerce=int)


class RuleForm(Form):
    phrase = StringField(validators=[DataRequired(_l("단어를 입력해 주세요."))])


class AccountForm(Form):
    email = StringField(validators=[DataRequired(_l("이메일을 입력해 주세요."))])
    name = StringField(validators=[DataRequired(_l("이름을 입력해 주세요.")), Length(max=80)])
    role = SelectField(
        choices=[(r.value, label) for r, label in ROLE_LABELS.items()], default=Role.MODERATOR.value
    )
    password = PasswordField(validators=[DataRequired(_l("처음 쓸 비밀번호를 입력해 주세요."))])


class RoleForm(Form):
    role = SelectField(choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


class PasswordForm(Form):
    current = PasswordField(validators=[DataRequired(_l("지금 쓰는 비밀번호를 입력해 주세요."))])
    new = PasswordField(validators=[DataRequired(_l("새 비밀번호를 입력해 주세요."))])


class SettingsForm(Form):
    shortcuts = BooleanField()


class CampaignForm(Form):
    slug = StringField(validators=[DataRequired(_l("주소 이름을 입력해 주세요."))])
    title = StringField(
        validators=[DataRequired(_l("캠페인 이름을 입력해 주세요.")), Length(max=120)]
    )
    question = StringField(validators=[DataRequired(_l("질문을 입력해 주세요.")), Length(max=200)])
    intro = TextAreaField(validators=[Optional(), Length(max=1000)])
    # English pages show these; left empty, they show the Korean.
    title_en = StringField(validators=[Optional(), Length(max=120)])
    question_en = StringField(validators=[Optional(), Length(max=200)])
    intro_en = TextAreaField(validators=[Optional(), Length(max=1000)])
    categories = StringField(validators=[Optional()])
    channels = StringField(validators=[Optional()])
    opens_on = DateField(validators=[DataRequired(_l("시작일을 입력해 주세요."))])
    closes_on = DateField(validators=[Optional()])

    @staticmethod
    def split(value: str | None) -> list[str]:
        return [p.strip() for p in (value or "").split(",") if p.strip()]


class DaysField(Field):
    """A whole number of days (a clock's target); what was typed stays on the page after an
    error, and anything else than 1 to 365 is refused in Korean."""

    widget = None  # drawn by forms.html's input macro

    def process_formdata(self, valuelist):
        self.raw = (valuelist[0] if valuelist else "").strip()
        self.data = int(self.raw) if self.raw.isdigit() and len(self.raw) <= 4 else None

    def _value(self) -> str:
        raw = getattr(self, "raw", None)
        return raw if raw is not None else ("" if self.data is None else str(self.data))

    def pre_validate(self, form):
        low, high = clocks.TARGET_RANGE
        if self.data is None or not low <= self.data <= high:
            raise StopValidation(
                _("%(low)s에서 %(high)s 사이의 숫자(일)로 써 주세요.", low=low, high=high)
            )


class ClocksForm(Form):
    """A campaign's clock targets, in days."""

    triage_days = DaysField()
    answer_days = DaysField()
    unowned_days = DaysField()

    def targets(self) -> clocks.Targets:
        return clocks.Targets(self.triage_days.data, self.answer_days.data, self.unowned_days.data)


class NoteForm(Form):
    """An internal note on a moment or a cluster."""

    text = TextAreaField(
        validators=[
            DataRequired(_l("메모를 써 주세요.")),
            Length(max=1000, message=_l("메모는 1,000자까지 쓸 수 있어요.")),
        ]
    )


class WebhookForm(Form):
    """A new webhook endpoint. The address and the events are checked by `webhooks`, which
    says what is wrong beside the field; nothing typed is lost."""

    url = StringField()
    events = SelectMultipleField(choices=list(webhooks.EVENTS.items()), validate_choice=False)
    format = RadioField(
        choices=[(f.value, label) for f, label in webhooks.FORMATS.items()],
        default="json",
        validate_choice=False,
    )


class DigestForm(Form):
    frequency = RadioField(
        choices=[(f.value, label) for f, label in DIGEST_FREQUENCY_LABELS.items()],
        validate_choice=False,
    )
    recipients = TextAreaField()


# --- the inbox's filter (GET) ---------------------------------------------------------------------


def _id_or_none(value) -> int | None:
    """An id from a query string or a choice: bounded like every id, else None (전체)."""
    return bounded_int(None if value is None else str(value))


class DayField(Field):
    """A date as <input type=date> sends it, within the years intake accepts; else empty."""

    widget = DateInput()

    def process_formdata(self, valuelist):
        self.data = bounded_day(valuelist[0]) if valuelist else None

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


class InboxFilterForm(Form):
    """What the inbox shows, from the query string. A part that cannot be read is left out
    (the inbox never refuses a filter); `to_filter()` gives the domain's InboxFilter."""

    class Meta:
        csrf = False  # a GET that changes nothing

    q = StringField(filters=[lambda v: (v or "").strip()[:100] or None])
    campaign = SelectField(coerce=_id_or_none, validate_choice=False)
    status = SelectField(
        choices=[("", _l("전체")), ("open", _l("숨김 빼고"))]
        + [(s.value, label) for s, label in STATUS_LABELS.items()]
    )
    flag = SelectField(choices=[("", _l("전체")), *inbox.FLAGS.items()])
    origin = SelectField(choices=[("", _l("전체")), *inbox.ORIGINS.items()])
    tag = SelectField(coerce=_id_or_none, validate_choice=False)
    team = SelectField(coerce=_id_or_none, validate_choice=False)
    category = StringField(filters=[lambda v: v or None])
    channel = StringField(filters=[lambda v: v or None])
    since = DayField()
    until = DayField()
    sort = SelectField(choices=list(inbox.SORTS.items()), default="newest")
    page = StringField(filters=[lambda v: bounded_int(v) or 1])

    def to_filter(self) -> inbox.InboxFilter:
        self.validate()
        parts = {
            name: None if self[name].errors else self[name].data or None
            for name in (
                "q",
                "campaign",
                "status",
                "flag",
                "origin",
                "tag",
                "team",
                "category",
                "channel",
                "since",
                "until",
            )
        }
        return inbox.InboxFilter(**parts, sort=self.sort.data if not self.sort.errors else "newest")

    def offer(self, page: inbox.InboxPage) -> InboxFilterForm:
        """Fill the pickers with what the page found (campaigns, tags, teams)."""
        everything = [("", _("전체"))]
        self.campaign.choices = everything + [people_choice(c.id, c.title) for c in page.campaigns]
        self.tag.choices = everything + [people_choice(t.id, t.name) for t in page.tags]
        self.team.choices = everything + [people_choice(t.id, t.name) for t in page.teams]
        return self


def inbox_forms(page: inbox.InboxPage, filter_form: InboxFilterForm) -> dict[str, Form]:
    """Every form the inbox page offers, by the name its template uses: the filter, the bulk
    bar, and the opened moment's actions (set to where the moment stands)."""
    opened = page.opened
    route = RouteForm(team=str(opened.team_id or "") if opened else "")
    route.team.choices = _marked(team_choices(page.teams))
    bulk = BulkForm()
    bulk.team.choices = _marked(team_choices(page.teams))
    return {
        "filter_form": filter_form.offer(page),
        "bulk": bulk,
        "route_form": route,
        "status_form": StatusForm(status=opened.status.value if opened else None),
        "hide_form": HideForm(),
        "tag_form": TagForm(),
        "mask_form": MaskForm(),
        "action_form": ActionForm(),
    }


class ImportForm(Form):
    """A call centre's or chatbot's log to import into a campaign (imports.py): the one desk
    form that reads an uploaded file. 미리 보기 (`preview`) stores nothing; only 가져오기
    (`store`) does, so a form sent with neither is a preview too."""

    class Meta(Form.Meta):
        def wrap_formdata(self, form, formdata):
            if formdata is _Auto:
                if request.method not in SUBMIT_METHODS:
                    return None
                return CombinedMultiDict((request.files, request.form))
            return formdata

    file = FileField(validators=[FileRequired(_l("올릴 파일을 골라 주세요."))])
    preview = SubmitField()
    store = SubmitField()

    @property
    def dry_run(self) -> bool:
        return not self.store.data
