"""The one refusal type every domain error derives from. No Flask here: domain modules raise it,
the desk's transaction boundary (`admin/blueprint.py`: `change`, `act`) catches it."""

from __future__ import annotations


class Refusal(ValueError):
    """A change the domain refused, with a message for the person who asked: Korean in the
    code, marked for translation (`campaign.i18n._` or a `_l` constant), and kept as a plain
    string in the reader's language from the moment it is raised (so it can be flashed into the
    session or put in JSON; outside a request it is Korean).

    `field` names the form field the message belongs beside ("password", "slug" …); a view
    never reads the message to decide. `recorded` says the refused attempt itself wrote an
    audit event (a wrong code, a failed sign-in) that must be kept: the boundary commits that
    event instead of rolling it back; whatever else was changed in the request is left unwritten
    by the domain before it refuses."""

    def __init__(self, message: str, *, field: str | None = None, recorded: bool = False):
        message = str(message)  # a lazy string, resolved now in the language of this request
        super().__init__(message)
        self.message = message
        self.field = field
        self.recorded = recorded
