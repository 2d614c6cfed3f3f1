"""Faults a deployment meets: PostgreSQL restarting under a stream of submits, a connection
dropped after the answer was made, and the worker killed (kill -9) while jobs wait. Nobody gets
a 500, no acknowledged moment is lost, and every moment is settled exactly once in the end.

The restart happens to a PostgreSQL cluster this test starts itself in a temporary folder; the
machine's own server is never stopped.
"""

from __future__ import annotations

import threading
import time
from typing import Self

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from campaign.extensions import db
from tests.factories import make_campaign
from tests.web.processes import (
    Stored,
    ThrowawayCluster,
    Visitor,
    app_env,
    assert_settled_once,
    machine_database,
    marker,
    prepare,
    start_gunicorn,
    start_worker,
    stop_all,
    told,
    wait_answering,
    wait_until,
)


class Stream:
    """People sending moments one after another until stopped, or until each has sent `each`:
    (started, ended, status, mark) for every one."""

    def __init__(self, base: str, people: int, each: int | None = None) -> None:
        self.base, self.each, self.sent, self.lock = base, each, [], threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._person, args=(n,)) for n in range(people)]

    def _person(self, n: int) -> None:
        visitor, i = Visitor(), 0
        while not self.stopping.is_set() and (self.each is None or i < self.each):
            mark, started = marker(), time.monotonic()
            status = visitor.submit(self.base, told(n + i, mark))
            with self.lock:
                self.sent.append((started, time.monotonic(), status, mark))
            i += 1

    def __enter__(self) -> Self:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.each is None:
            self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def accepted(self, since: float = 0.0) -> list[str]:
        return [
            mark for started, _, status, mark in self.sent if status == 303 and started >= since
        ]


def test_a_connection_dropped_after_the_page_was_made_still_gives_the_page(make_app, monkeypatch):
    app = make_app()
    with app.app_context():
        make_campaign()
        db.session.commit()
    real_close, dropped = Session.close, []

    def close_a_dropped_connection(session):
        if not dropped:  # ending the request's transaction meets a server that went away
            dropped.append(True)
            raise OperationalError(
                "ROLLBACK",
                {},
                Exception("server closed the connection"),
                connection_invalidated=True,
            )
        return real_close(session)

    monkeypatch.setattr(Session, "close", close_a_dropped_connection)
    response = app.test_client().get("/submit")
    assert dropped and response.status_code == 200
    monkeypatch.undo()
    with app.app_context():  # the next request gets a working connection
        assert app.test_client().get("/submit").status_code == 200


@pytest.fixture
def own_postgres():
    cluster = ThrowawayCluster()
    yield cluster
    cluster.remove()


@pytest.mark.server
def test_a_postgresql_restart_under_a_stream_of_submits_loses_no_acknowledged_moment(
    own_postgres, tmp_path
):
    prepare(own_postgres.url)
    env = app_env(
        own_postgres.url, JOBS_QUEUE_FILE=str(tmp_path / "jobs.sqlite3"), RATELIMIT_ENABLED="false"
    )
    server, base = start_gunicorn(env, tmp_path / "gunicorn.log")
    worker = start_worker(env, tmp_path / "worker.log")
    stored = Stored(own_postgres.url)
    try:
        wait_answering(base, server)
        with Stream(base, people=3) as stream:
            time.sleep(2)
            down = time.monotonic()
            own_postgres.restart(pause=1.0)
            up = time.monotonic()
            time.sleep(3)
        statuses = [status for _, _, status, _ in stream.sent]
        counts = {status: statuses.count(status) for status in set(statuses)}
        assert set(counts) <= {303, 503}, counts  # never a 500
        # Some submits were on their way while the server was down (else nothing was shown).
        assert any(started < up and ended > down for started, ended, _, _ in stream.sent)
        bodies = "\n".join(stored.bodies())
        lost = [mark for mark in stream.accepted() if mark not in bodies]
        assert lost == [], f"{len(lost)} acknowledged moments are not stored"
        assert len(stream.accepted(since=up)) > 0
        wait_until(
            lambda: stored.unsettled() == 0,
            60,
            f"moments still waiting after the restart; see {worker.log}",
            every=0.5,
        )
        assert_settled_once(stored)
        assert "Traceback" not in server.text()
    finally:
        stored.dispose()
        stop_all([server, worker])


@pytest.mark.server
def test_a_worker_killed_while_jobs_wait_leaves_every_moment_settled_once(tmp_path):
    database = machine_database()
    stored = Stored(database.url)
    running = []
    try:
        prepare(database.url)
        # Small batches keep the worker busy one after another, so the kill lands mid-work.
        env = app_env(
            database.url,
            JOBS_QUEUE_FILE=str(tmp_path / "jobs.sqlite3"),
            RATELIMIT_ENABLED="false",
            JOBS_SETTLE_BATCH="4",
        )
        server, base = start_gunicorn(env, tmp_path / "gunicorn.log")
        first = start_worker(env, tmp_path / "first-worker.log", threads=2)
        running += [server, first]
        wait_answering(base, server)
        wait_until(lambda: "consumer started" in first.text(), 90, f"no worker; see {first.log}")
        with Stream(base, people=4, each=5) as before:
            pass
        # Killed mid-way: some moments settled, others waiting or in its hands.
        wait_until(
            lambda: stored.told() - stored.unsettled() >= 5,
            60,
            f"the worker settled nothing; see {first.log}",
            every=0.1,
        )
        first.kill()
        with Stream(base, people=4, each=5) as after:  # and the burst goes on without a worker
            pass
        assert stored.unsettled() >= len(after.accepted()) > 0
        second = start_worker(env, tmp_path / "second-worker.log", threads=2)
        running.append(second)
        wait_until(
            lambda: stored.unsettled() == 0,
            60,
            f"moments still waiting after a new worker started; see {second.log}",
            every=0.5,
        )
        assert stored.told() == len(before.accepted()) + len(after.accepted()) == 40
        assert_settled_once(stored)
    finally:
        stored.dispose()
        stop_all(running)
        database.drop()
