"""Storing through a busy or briefly unreachable database.

SQLite answers "database is locked" when a writer holds the lock longer than the busy timeout;
PostgreSQL drops every connection when it restarts. Neither may cost a person the moment they
wrote, nor show them a 500: the store is tried again, after a short wait, as long as it is
idempotent (submissions.Attempt makes telling a moment so), and a store that still fails says
so kindly with the text kept (the view's job).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError, OperationalError

from campaign.extensions import db

log = logging.getLogger(__name__)
T = TypeVar("T")

# Waits between tries (seconds): about three seconds in all, enough for a PostgreSQL restart
# or a long SQLite write, short enough that a person is not left looking at a spinner.
RETRY_WAITS = (0.1, 0.3, 0.8, 1.8)


def claim(model, key, *conditions, **values):
    """Take one row once: an UPDATE that only the first of several workers can match (its
    `conditions` say what "still free" means), setting `values`. The row as it is now, or None
    when another worker, an earlier run or an early wake-up has it."""
    taken = db.session.execute(
        update(model)
        .where(model.id == key, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    return db.session.get(model, key, populate_existing=True)


class Unavailable(Exception):
    """The database could not store this now; nothing was stored."""


def transient(error: DBAPIError) -> bool:
    """A lost connection, a server starting or stopping, or SQLite's lock: worth trying again."""
    return bool(error.connection_invalidated) or isinstance(error, OperationalError)


def committed_with_retries(store: Callable[[], T]) -> T:
    """Run `store` (idempotent) and commit; on a transient failure roll back, wait, try again.
    Exceptions other than database ones (a refusal, a confirmation to ask for) pass through
    untouched: they come before anything is written, and rolling back would expire what the page
    shows next."""
    for attempt, wait in enumerate((*RETRY_WAITS, None), start=1):
        try:
            result = store()
            db.session.commit()
            return result
        except DBAPIError as error:
            _roll_back()
            if wait is None or not transient(error):
                log.error("store failed after %d tries: %s", attempt, type(error.orig).__name__)
                raise Unavailable from error
            log.warning("store failed (%s), trying again", type(error.orig).__name__)
            time.sleep(wait)
    raise AssertionError("unreachable")


def _roll_back() -> None:
    try:
        db.session.rollback()
    except DBAPIError:  # the connection is gone; the pool replaces it on the next checkout
        db.session.close()


def init_app(app: Flask) -> None:
    """Release each context's session before Flask-SQLAlchemy's own teardown does (teardowns
    run last registered first), forgiving a connection the server dropped after the answer was
    made: ending the transaction then fails, and without this gunicorn turns a page that was
    ready (or a 303 for a stored moment) into a 500. The pool replaces the connection."""

    @app.teardown_appcontext
    def release_session(_error) -> None:
        try:
            db.session.remove()
        except DBAPIError as error:
            log.warning(
                "connection lost while ending a request's transaction: %s",
                type(error.orig).__name__,
            )
            try:  # the broken connection is invalidated by now: closing sends nothing
                db.session.remove()
            except DBAPIError:
                db.session.registry.clear()
