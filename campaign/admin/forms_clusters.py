"""Forms of the cluster workspace."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from campaign.forms import Form
from campaign.i18n import _l
from campaign.labels import CLUSTER_STATUS_LABELS


class ClusterStatusForm(Form):
    status = SelectField(choices=[(s.value, label) for s, label in CLUSTER_STATUS_LABELS.items()])


class ClusterTargetForm(Form):
    """Choose another cluster (merge into, move a moment to)."""

    # The choices are only offered on the page; a POST is checked by looking the cluster up.
    cluster = SelectField(coerce=str, validate_choice=False)


class ClusterRouteForm(Form):
    """Route a cluster to a team, saying why: every change of team is a recorded hand-off."""

    team = SelectField(coerce=str)
    reason = StringField(
        validators=[
            DataRequired(
                _l("담당 팀을 정하는 이유를 짧게 써 주세요. 예: 결제 화면은 카드팀이 맡고 있어요")
            ),
            Length(max=200, message=_l("이유는 200자까지 쓸 수 있어요.")),
        ]
    )


class SplitForm(Form):
    name = StringField()


class PublicForm(Form):
    """How a cluster appears on 듣고 있어요."""

    title = StringField()
    note = TextAreaField()
    listed = BooleanField()
