"""Forms of a campaign's sources (its named links and QR posters)."""

from __future__ import annotations

from wtforms import StringField

from campaign.forms import Form


class SourceForm(Form):
    """A new source. The domain (sources.add_source) says what is wrong with a name or code, so
    every message stands beside its field with everything typed kept."""

    name = StringField()
    code = StringField()
    description = StringField()


class SourceNameForm(Form):
    name = StringField()
