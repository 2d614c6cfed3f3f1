"""Retention: moments older than the configured number of days are deleted for good.

Deleting a row is not enough to forget it: SQLite keeps old page images in its write-ahead log
and PostgreSQL keeps dead tuples until vacuum. `scrub_free_space` runs after the commit.
(SQLite's secure_delete, set on every connection, overwrites the freed pages themselves.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine

from campaign import follows, privacy, search
from campaign.extensions import db
from campaign.models import Moment


def cutoff(now: datetime, retention_days: int) -> datetime:
    return privacy.coarse_hour(now) - timedelta(days=retention_days)


def count_expired(*, now: datetime, retention_days: int) -> int:
    query = (
        select(func.count())
        .select_from(Moment)
        .where(Moment.received_hour < cutoff(now, retention_days))
    )
    return db.session.scalar(query) or 0


def purge_expired(*, now: datetime, retention_days: int) -> int:
    """Delete moments that arrived more than `retention_days` ago; returns how many."""
    if retention_days <= 0:
        raise ValueError("retention_days must be positive")
    expired = Moment.received_hour < cutoff(now, retention_days)
    follows.forget(select(Moment.id).where(expired))  # a follow link goes with its moment
    result = db.session.execute(delete(Moment).where(expired))
    search.forget_deleted()
    return result.rowcount or 0


def scrub_free_space(engine: Engine) -> None:
    """Make deleted rows unrecoverable from the database files. Call after committing."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM moment, follow"))
