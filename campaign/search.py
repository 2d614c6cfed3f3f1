"""Korean substring search over moments ("한글" finds "한글은").

SQLite: an FTS5 table with the trigram tokenizer, kept in sync by the domain code (submit,
mask, purge). Trigrams need three characters, so shorter queries fall back to LIKE.
PostgreSQL: ILIKE served by pg_trgm GIN indexes on the text columns; nothing to keep in sync.
"""

from __future__ import annotations

from sqlalchemy import literal_column, or_, select, text
from sqlalchemy.sql.elements import ColumnElement

from campaign.extensions import db
from campaign.models import Moment


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def index_moment(moment: Moment, *, new: bool = False) -> None:
    """Index a moment's text (again, after masking; `new` skips looking for an old entry)."""
    if not _sqlite():
        return
    if not new:
        db.session.execute(text("DELETE FROM moment_fts WHERE moment_id = :id"), {"id": moment.id})
    db.session.execute(
        text(
            "INSERT INTO moment_fts (moment_id, body, suggestion) VALUES (:id, :body, :suggestion)"
        ),
        {"id": moment.id, "body": moment.body, "suggestion": moment.suggestion or ""},
    )


def forget_deleted() -> None:
    """Drop index rows whose moment is gone (after a purge)."""
    if _sqlite():
        db.session.execute(
            text("DELETE FROM moment_fts WHERE moment_id NOT IN (SELECT id FROM moment)")
        )


def rebuild() -> int:
    """Index every moment again (after restoring a backup, say); returns how many."""
    if not _sqlite():
        return 0
    db.session.execute(text("DELETE FROM moment_fts"))
    count = 0
    for moment in db.session.scalars(select(Moment)):
        index_moment(moment)
        count += 1
    return count


def matches(query: str) -> ColumnElement[bool]:
    """A condition on Moment: body or suggestion contains `query`, case-insensitively."""
    query = " ".join(query.split())
    if _sqlite() and len(query) >= 3:
        phrase = '"' + query.replace('"', '""') + '"'
        hits = (
            select(literal_column("moment_id"))
            .select_from(text("moment_fts"))
            .where(text("moment_fts MATCH :phrase").bindparams(phrase=phrase))
        )
        return Moment.id.in_(hits)
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(
        Moment.body.ilike(pattern, escape="\\"), Moment.suggestion.ilike(pattern, escape="\\")
    )
