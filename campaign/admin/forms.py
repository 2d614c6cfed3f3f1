"""Forms of the moderators' desk. Every mutation is a POST through one of these (CSRF included)."""

from __future__ import annotations


from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from campaign.forms import Form
from campaign.labels import HIDDEN_LABELS, ROLE_LABELS, STATUS_LABELS
from campaign.models import MomentStatus, Role
from campaign.privacy import PLACEHOLDERS

VISIBLE_STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in STATUS_LABELS if s is not MomentStatus.HIDDEN]
REQUIRED = "{}을(를) 입력해 주세요."


class LoginForm(Form):
    email = StringField(validators=[DataRequired("이메일을 입력해 주세요."), Length(max=254, message="이메일이 너무 길어요.")])
    password = PasswordField(validators=[DataRequired("비밀번호를 입력해 주세요."), Length(max=1024, message="비밀번호가 너무 길어요.")])
    next = HiddenField()


class CodeForm(Form):
    code = StringField(validators=[DataRequired("인증 앱의 6자리 숫자나 복구 코드를 넣어 주세요.")])


class ActionForm(Form):
    """A bare CSRF-checked POST (logout, restore, undo...)."""


class StatusForm(Form):
    status = SelectField(choices=VISIBLE_STATUS_CHOICES)


class HideForm(Form):
    reason = SelectField(choices=[(r.value, label) for r, label in HIDDEN_LABELS.items()])


class TagForm(Form):
    tag = StringField(validators=[DataRequired("태그 이름을 입력해 주세요."), Length(max=40, message="태그 이름은 40자까지 쓸 수 있어요.")])


class RouteForm(Form):
    team = SelectField(coerce=str)


def team_choices(teams) -> list[tuple[str, str]]:
    """Choices for a team select: no team, then each team (for RouteForm and BulkForm)."""
    return [("", "담당 팀 없음")] + [(str(t.id), t.name) for t in teams]


class MaskForm(Form):
    phrase = StringField(validators=[DataRequired("가릴 내용을 입력해 주세요.")])
    kind = SelectField(choices=[(k, v) for k, v in PLACEHOLDERS.items()])


class BulkForm(Form):
    action = SelectField(choices=[
        ("", "선택한 이야기에…"), ("status", "상태 바꾸기"), ("hide", "숨기기"), ("tag", "태그 달기"), ("route", "팀에 넘기기"),
    ])
    status = SelectField(choices=VISIBLE_STATUS_CHOICES)
    reason = SelectField(choices=[(r.value, label) for r, label in HIDDEN_LABELS.items()])
    tag = StringField()
    team = SelectField(coerce=str)

    def validate_action(self, field):
        if not field.data:
            raise ValidationError("할 일을 골라 주세요.")
        if field.data == "tag" and not (self.tag.data or "").strip():
            raise ValidationError("달 태그 이름을 입력해 주세요.")


class NameForm(Form):
    name = StringField(validators=[DataRequired("이름을 입력해 주세요.")])


class MergeTagForm(Form):
    into = SelectField(coerce=int)


class RuleForm(Form):
    phrase = StringField(validators=[DataRequired("단어를 입력해 주세요.")])


class AccountForm(Form):
    email = StringField(validators=[DataRequired("이메일을 입력해 주세요.")])
    name = StringField(validators=[DataRequired("이름을 입력해 주세요."), Length(max=80)])
    role = SelectField(choices=[(r.value, label) for r, label in ROLE_LABELS.items()], default=Role.MODERATOR.value)
    password = PasswordField(validators=[DataRequired("처음 쓸 비밀번호를 입력해 주세요.")])


class RoleForm(Form):
    role = SelectField(choices=[(r.value, label) for r, label in ROLE_LABELS.items()])


class PasswordForm(Form):
    current = PasswordField(validators=[DataRequired("지금 쓰는 비밀번호를 입력해 주세요.")])
    new = PasswordField(validators=[DataRequired("새 비밀번호를 입력해 주세요.")])


class SettingsForm(Form):
    shortcuts = BooleanField()


class CampaignForm(Form):
    slug = StringField(validators=[DataRequired("주소 이름을 입력해 주세요.")])
    title = StringField(validators=[DataRequired("캠페인 이름을 입력해 주세요."), Length(max=120)])
    question = StringField(validators=[DataRequired("질문을 입력해 주세요."), Length(max=200)])
    intro = TextAreaField(validators=[Optional(), Length(max=1000)])
    categories = StringField(validators=[Optional()])
    channels = StringField(validators=[Optional()])
    opens_on = DateField(validators=[DataRequired("시작일을 입력해 주세요.")])
    closes_on = DateField(validators=[Optional()])

    @staticmethod
    def split(value: str | None) -> list[str]:
        return [p.strip() for p in (value or "").split(",") if p.strip()]
