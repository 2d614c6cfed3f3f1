"""Two gunicorn instances and one `flask worker`, as a campaign with more than one web process
runs: one PostgreSQL database, one Redis. Limits, the duplicate guard and the queue are shared,
and every accepted moment is settled exactly once."""

from __future__ import annotations

import itertools
import os
import secrets
import threading
from types import SimpleNamespace

import pytest
import redis

from tests.web.processes import (
    Stored,
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

pytestmark = pytest.mark.server

REDIS_URL = os.environ.get("CAMPAIGN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("CAMPAIGN_TEST_REQUIRE_REDIS") == "1"
LIMIT = 4  # moments per client per minute in this deployment


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.RedisError as error:
        message = f"Redis suite skipped: no server at {REDIS_URL} ({error})"
        if REQUIRE_REDIS:
            pytest.fail(message)
        pytest.skip(message)
    token = secrets.token_hex(4)
    database = machine_database()
    folder = tmp_path_factory.mktemp("instances")
    running, bases = [], []
    try:
        prepare(database.url)
        # Behind one trusted proxy, so each test speaks for clients of its own.
        env = app_env(
            database.url,
            REDIS_URL=REDIS_URL,
            REDIS_PREFIX=f"campaign-test-{token}",
            SUBMIT_LIMIT=f"{LIMIT} per minute",
            PROXY_FIX_X_FOR="1",
        )
        for name in ("one", "two"):
            server, base = start_gunicorn(env, folder / f"{name}.log")
            running.append(server)
            bases.append(base)
        worker = start_worker(env, folder / "worker.log", threads=2)
        running.append(worker)
        for server, base in zip(running, bases, strict=False):
            wait_answering(base, server)
        stored = Stored(database.url)
        yield SimpleNamespace(bases=bases, stored=stored, worker=worker)
        stored.dispose()
    finally:
        stop_all(running)
        database.drop()
        # huey writes "huey.redis.<prefix without dashes>…", the limiter "LIMITS:<prefix>…"
        for key in connection.scan_iter(f"*{token}*"):
            connection.delete(key)


def mine(stored: Stored, marks: list[str]) -> int:
    bodies = stored.bodies()
    return sum(any(mark in body for body in bodies) for mark in marks)


def test_a_submit_limit_holds_across_both_instances(deployment):
    visitor = Visitor("203.0.113.10")
    marks = [marker() for _ in range(LIMIT + 4)]
    answers = [
        (base, visitor.submit(base, told(i, mark)))
        for i, (mark, base) in enumerate(zip(marks, itertools.cycle(deployment.bases)))
    ]
    assert [status for _, status in answers[:LIMIT]] == [303] * LIMIT
    assert [status for _, status in answers[LIMIT:]] == [429] * 4
    assert {base for base, _ in answers[LIMIT:]} == set(deployment.bases)  # refused by both
    assert mine(deployment.stored, marks) == LIMIT
    # Another client is not held back by this one's limit.
    assert Visitor("203.0.113.11").submit(deployment.bases[1], told(1, marker())) == 303


def test_the_same_text_sent_to_each_instance_is_stored_once(deployment):
    one, two = deployment.bases
    visitor, mark = Visitor("203.0.113.20"), marker()
    assert visitor.submit(one, told(3, mark)) == 303
    assert visitor.submit(two, told(3, mark)) == 303
    assert sum(mark in body for body in deployment.stored.bodies()) == 1
    status, page = visitor.request(two, "GET", "/thanks")
    assert status == 200 and "같은 이야기를 방금 받았어요" in page


def test_every_moment_accepted_by_either_instance_is_settled_exactly_once(deployment):
    stored, answers, lock = deployment.stored, [], threading.Lock()

    def person(n: int) -> None:
        visitor = Visitor(f"198.51.100.{n + 1}")
        for i in range(LIMIT):
            mark = marker()
            status = visitor.submit(deployment.bases[(n + i) % 2], told(n + i, mark))
            with lock:
                answers.append((status, mark))

    people = [threading.Thread(target=person, args=(n,)) for n in range(8)]
    for thread in people:
        thread.start()
    for thread in people:
        thread.join(timeout=60)
    assert [status for status, _ in answers] == [303] * (8 * LIMIT)
    assert mine(stored, [mark for _, mark in answers]) == 8 * LIMIT
    wait_until(
        lambda: stored.unsettled() == 0,
        60,
        f"moments still waiting to be settled; see {deployment.worker.log}",
        every=0.5,
    )
    assert_settled_once(stored)
    assert "Traceback" not in deployment.worker.text()
