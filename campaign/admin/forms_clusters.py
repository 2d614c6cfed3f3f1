"""Forms of the cluster workspace."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField

from campaign.forms import Form
from campaign.labels import CLUSTER_STATUS_LABELS


class ClusterStatusForm(Form):
    status = SelectField(choices=[(s.value, label) for s, label in CLUSTER_STATUS_LABELS.items()])


class ClusterTargetForm(Form):
    """Choose another cluster (merge into, move a moment to)."""

    # The choices are only offered on the page; a POST is checked by looking the cluster up.
    cluster = SelectField(coerce=str, validate_choice=False)


class SplitForm(Form):
    name = StringField()


class PublicForm(Form):
    """How a cluster appears on 듣고 있어요."""

    title = StringField()
    note = TextAreaField()
    listed = BooleanField()
