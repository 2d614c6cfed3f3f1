"""A request only accepts; the worker settles. The thanks page and the receipt stay honest while
a job waits, a lost job is found again, and a database that drops away costs nobody their text."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from campaign import arrival, database, privacy, tasks
from campaign.extensions import db
from campaign.models import Moment, utcnow
from tests.factories import make_campaign
from tests.queue import GROUPED, queued_settings, run_queued
from tests.web.helpers import post_moment, receipt_code

MAINTENANCE = [
    "밤 12시에 월세를 보내려는데 은행 점검 시간이라 이체가 안 됐어요.",
    "새벽에 송금하려니 점검 중이라 아침까지 기다려야 했어요.",
    "점검 시간에는 이체가 막혀서 급한 돈을 못 보냈어요.",
]


@pytest.fixture
def queued_app(make_app, tmp_path):
    """An app whose jobs wait in a real SQLite queue file until `run_queued` plays the worker."""
    app = make_app(**queued_settings(tmp_path))
    with app.app_context():
        yield app


def stored() -> list[Moment]:
    db.session.expire_all()
    return list(db.session.scalars(select(Moment)))


def test_a_moment_is_stored_at_once_and_settled_only_by_the_worker(queued_app):
    make_campaign()
    db.session.commit()
    client = queued_app.test_client()
    assert post_moment(client, body=MAINTENANCE[0]).status_code == 303
    [moment] = stored()
    assert not moment.settled and moment.cluster_id is None and moment.embedding is None
    assert queued_app.extensions["jobs"].pending() == 1
    assert run_queued(queued_app) >= 1
    [moment] = stored()
    assert moment.settled


def test_the_thanks_page_says_it_is_still_comparing_until_the_moment_is_settled(queued_app):
    make_campaign()
    db.session.commit()
    client = queued_app.test_client()
    for body in MAINTENANCE[:2]:
        post_moment(client, body=body)
    run_queued(queued_app)
    post_moment(client, body=MAINTENANCE[2])
    page = client.get("/thanks").get_data(as_text=True)
    assert "data-settling" in page and "data-together>" not in page
    assert client.get("/thanks/together").status_code == 204
    run_queued(queued_app)
    again = client.get("/thanks/together")
    assert again.status_code == 200 and "data-settling" not in again.get_data(as_text=True)
    assert "data-settling" not in client.get("/thanks").get_data(as_text=True)


def test_the_thanks_page_says_how_many_told_the_same_once_the_moment_is_placed(queued_app):
    from campaign.clustering import recluster

    campaign = make_campaign()
    db.session.commit()
    client = queued_app.test_client()
    for body in GROUPED:
        post_moment(client, body=body)
    run_queued(queued_app)
    recluster.run(campaign, thresholds=queued_app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    post_moment(client, body="밤에 은행 점검 시간이라 이체가 안 돼서 답답해요")
    assert "명</strong> 더 있어요" not in client.get("/thanks").get_data(as_text=True)
    run_queued(queued_app)
    newest = max(stored(), key=lambda m: m.body.startswith("밤에 은행"))
    assert newest.cluster_id is not None
    assert "4명</strong> 더 있어요" in client.get("/thanks/together").get_data(as_text=True)


def test_settling_is_idempotent_and_places_each_moment_once(queued_app):
    campaign = make_campaign()
    db.session.commit()
    client = queued_app.test_client()
    for body in MAINTENANCE:
        post_moment(client, body=body)
    queue = queued_app.extensions["jobs"]
    queue.enqueue("settle", campaign.id)  # a job asked for twice (a retry, a sweep)
    run_queued(queued_app)
    assert all(m.settled for m in stored())
    before = {m.id: (m.cluster_id, m.embedding) for m in stored()}
    waiting = [(m.id, m.body) for m in stored()]
    assert (
        arrival.settle(campaign.id, [mid for mid, _ in waiting], {}, thresholds={}, now=utcnow())
        == 0
    )
    assert {m.id: (m.cluster_id, m.embedding) for m in stored()} == before


def test_the_sweep_finds_moments_whose_job_was_lost(queued_app):
    campaign = make_campaign()
    db.session.commit()
    client = queued_app.test_client()
    post_moment(client, body=MAINTENANCE[0])
    queue = queued_app.extensions["jobs"]
    queue.huey.flush()  # the worker died holding the job, or the queue was wiped
    assert run_queued(queued_app) == 0 and not stored()[0].settled
    assert arrival.waiting_campaigns() == [campaign.id]
    tasks.sweep()  # what the worker runs at start and every minute
    run_queued(queued_app)
    assert stored()[0].settled and arrival.waiting_campaigns() == []


def test_a_job_asked_for_in_a_rolled_back_transaction_is_never_queued(queued_app):
    from campaign import jobs

    campaign = make_campaign()
    db.session.commit()
    jobs.later(db.session, "settle", campaign.id)
    db.session.rollback()
    db.session.commit()
    assert queued_app.extensions["jobs"].pending() == 0


def test_a_connection_lost_after_the_commit_stores_the_moment_once(app, monkeypatch):
    make_campaign()
    db.session.commit()
    real_commit, calls = db.session.commit, []

    def commit_then_lose_the_answer():
        calls.append(1)
        real_commit()
        if len(calls) == 1:  # stored, but the acknowledgement never came back
            raise OperationalError(
                "COMMIT", {}, Exception("server closed the connection"), connection_invalidated=True
            )

    monkeypatch.setattr(db.session, "commit", commit_then_lose_the_answer)
    monkeypatch.setattr(database, "RETRY_WAITS", (0, 0))
    client = app.test_client()
    response = post_moment(client, body=MAINTENANCE[0])
    monkeypatch.undo()
    assert response.status_code == 303
    [moment] = stored()
    code = receipt_code(client.get("/thanks").get_data(as_text=True))
    assert moment.receipt_hash == privacy.receipt_hash(code)


def test_a_database_that_stays_away_gets_a_kind_503_and_keeps_the_text(app, monkeypatch):
    make_campaign()
    db.session.commit()

    def refuse():
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(db.session, "commit", refuse)
    monkeypatch.setattr(database, "RETRY_WAITS", (0, 0))
    response = post_moment(app.test_client(), body=MAINTENANCE[1])
    monkeypatch.undo()
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "잠깐 저장하지 못했어요" in page and MAINTENANCE[1] in page
    assert db.session.scalar(select(func.count()).select_from(Moment)) == 0


def test_any_page_answers_503_not_500_while_the_database_is_unreachable(app, monkeypatch):
    from campaign import campaigns

    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("the database system is starting up"))

    monkeypatch.setattr(campaigns, "default_campaign", unreachable)
    response = app.test_client().get("/")
    assert response.status_code == 503 and "잠시 연결이 끊겼어요" in response.get_data(as_text=True)


def test_a_moment_not_yet_read_for_abuse_is_blurred_on_the_desk_until_the_worker_reads_it(
    queued_app,
):
    from tests.factories import PASSWORD, make_moderator
    from tests.web.helpers import csrf_token

    make_campaign()
    moderator = make_moderator()
    db.session.commit()
    client = queued_app.test_client()
    post_moment(client, body="이 은행 앱 진짜 씨발 개같이 만들었네요. 이체가 또 안 돼요.")
    client.post(
        "/admin/login",
        data={
            "email": moderator.email,
            "password": PASSWORD,
            "csrf_token": csrf_token(client, "/admin/login"),
        },
    )
    [moment] = stored()
    assert not moment.abusive and not moment.settled
    assert "욕설이 있을 수 있어요 · 보기" in client.get(f"/admin/moments/{moment.id}").get_data(
        as_text=True
    )
    run_queued(queued_app)
    [moment] = stored()
    assert moment.settled and moment.abusive


def test_a_moment_told_at_half_past_midnight_after_its_fix_shipped_learns_so_once_settled(
    make_app, tmp_path
):
    """The journey in the order life brings it: a fix has shipped, someone tells the same problem
    at 00:30 in Korea, the worker places it later; the thanks page says nothing it doesn't know
    yet, then shows the fix, and the fix's count does not grow."""
    from datetime import timedelta

    from campaign import fixes
    from campaign.campaigns import local_today
    from campaign.clustering import recluster
    from campaign.models import Cluster, FixProgress, utcnow
    from tests.dom import page
    from tests.factories import make_moderator, make_moment

    app = make_app(FROZEN_CLOCK="2026-11-30T00:30:00+09:00", **queued_settings(tmp_path))
    with app.app_context():
        campaign = make_campaign()
        told = [
            make_moment(campaign, body=body, received=utcnow() - timedelta(days=10))[0]
            for body in GROUPED
        ]
        recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
        admin = make_moderator("admin")
        fix = fixes.create_fix(
            campaign,
            fixes.FixFields(
                title="점검 시간에도 이체를 예약할 수 있어요",
                after="예약돼요",
                shipped_on=local_today() - timedelta(days=3),
            ),
            by=admin,
        )
        fixes.link_cluster(fix, db.session.get(Cluster, told[0].cluster_id), by=admin)
        fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
        fixes.set_progress(fix, FixProgress.DONE, by=admin)
        fixes.publish(fix, by=admin, now=utcnow() - timedelta(days=3))
        db.session.commit()
        before = fixes.counts([fix])[fix.id]
        assert before == 4  # the four maintenance moments told before it shipped

        client = app.test_client()
        assert (
            post_moment(client, body="밤에 은행 점검 시간이라 이체가 안 돼서 답답해요").status_code
            == 303
        )
        waiting = page(client.get("/thanks"))
        assert waiting.all("[data-settling]") and "이미 이렇게 바뀌었어요" not in waiting.text
        run_queued(app)
        settled = page(client.get("/thanks/together"))
        assert "이미 이렇게 바뀌었어요" in settled.text and "점검 시간에도 이체를" in settled.text
        db.session.expire_all()
        assert fixes.counts([fix])[fix.id] == before
