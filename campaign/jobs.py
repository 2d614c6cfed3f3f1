"""Background jobs on huey: what runs after a request has answered.

A request only accepts (validate, mask, flag, one INSERT, 303); the work a moment waits for
afterwards (search index, sentence meaning, its cluster) and the long jobs a moderator starts
(re-clustering, large exports, purges) run in `flask worker`. The queue is huey's: Redis when
REDIS_URL is set (shared by every instance), else a SQLite file in the instance folder, so
`make run` needs no extra service. JOBS_IMMEDIATE runs a job in-process right after the commit
that asked for it (tests and scripts).

Nothing is lost with a worker: the database row is the truth, the queue only a wake-up. A job is
asked for after its transaction commits (`later`), every job is idempotent (a moment is settled
once; a desk job runs only from the queued state), and the worker's sweep, at start and every
minute, queues again whatever a killed worker or an unreachable queue left behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign.extensions import db

log = logging.getLogger(__name__)

# Where a session keeps the jobs its transaction asked for, until it commits (`later`).
_PENDING = "campaign.jobs.pending"


def build_queue(app: Flask):
    """The huey instance for this app's settings."""
    name = app.config["REDIS_PREFIX"]
    if app.config["JOBS_IMMEDIATE"]:
        return MemoryHuey(name, immediate=True, results=False)
    if app.config["REDIS_URL"]:
        return RedisHuey(name, url=app.config["REDIS_URL"], results=False)
    path = app.config["JOBS_QUEUE_FILE"] or str(Path(app.instance_path) / "jobs.sqlite3")
    return SqliteHuey(name, filename=path, results=False)


class Jobs:
    """The app's queue and its named jobs. `init_app` builds the queue from the settings and
    registers every job as a huey task that runs inside an app context and commits once."""

    def __init__(self) -> None:
        self._functions: dict[str, tuple[Callable, dict]] = {}
        self._periodic: list[tuple[Callable, str]] = []
        self._startup: list[Callable] = []

    def job(self, *, retries: int = 3, retry_delay: int = 5):
        """Declare a job: a function taking plain arguments (ids), run with an app context."""

        def decorator(fn: Callable) -> Callable:
            self._functions[fn.__name__] = (fn, {"retries": retries, "retry_delay": retry_delay})
            return fn

        return decorator

    def every_minute(self, fn: Callable) -> Callable:
        self._periodic.append((fn, fn.__name__))
        return fn

    def on_worker_start(self, fn: Callable) -> Callable:
        self._startup.append(fn)
        return fn

    def init_app(self, app: Flask) -> None:
        queue = build_queue(app)
        tasks = {}
        for name, (fn, options) in self._functions.items():
            tasks[name] = queue.task(name=name, **options)(_in_context(app, fn))
        for fn, name in self._periodic:
            queue.periodic_task(crontab(), name=name)(_in_context(app, fn))
        for fn in self._startup:
            queue.on_startup(fn.__name__)(_in_context(app, fn))
        app.extensions["jobs"] = Queue(queue, tasks)


def _in_context(app: Flask, fn: Callable) -> Callable:
    def run(*args, **kwargs):
        # A fresh app context is a fresh session, also when an immediate job runs inside the
        # request that asked for it.
        with app.app_context():
            try:
                outcome = fn(*args, **kwargs)
                db.session.commit()
                return outcome
            except Exception:
                db.session.rollback()
                raise

    run.__name__ = fn.__name__
    return run


class Queue:
    """What the app holds: the huey instance and its tasks by name."""

    def __init__(self, huey, tasks: dict) -> None:
        self.huey, self.tasks = huey, tasks

    def enqueue(self, name: str, *args) -> None:
        self.tasks[name](*args)

    def pending(self) -> int:
        return self.huey.pending_count()


def later(session: Session, name: str, *args) -> None:
    """Ask for job `name` once the session's transaction commits (never for a rolled-back one).
    The same job with the same arguments is asked for once per transaction."""
    pending = session.info.setdefault(_PENDING, [])
    if (name, args) not in pending:
        pending.append((name, args))


@event.listens_for(Session, "after_commit")
def _enqueue_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    from flask import current_app

    queue: Queue = current_app.extensions["jobs"]
    for name, args in pending:
        try:
            queue.enqueue(name, *args)
        except Exception:  # the queue is down: the worker's sweep finds the work in the database
            log.exception("could not queue job %s; the sweep will", name)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction, not a savepoint
        session.info.pop(_PENDING, None)


jobs = Jobs()
