"""Every alert of issue 16 leaves for the webhooks: a new 급증 once, as the settle job after its
moments finds it; an urgent moment at once, as it settles, while the desk's 알림 box shows it;
a cluster whose public-answer clock has just run out once per deadline, from the worker's
sweep on a frozen clock; and a cluster's brief when a moderator presses 브리프 보내기. Each
arrives at a local receiver, signed, with masked text only."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from campaign import tasks, webhooks
from campaign.audit import AuditAction
from campaign.clustering import decisions, recluster
from campaign.extensions import db
from campaign.models import AuditEvent, Cluster, ClusterStatus, Moment, OverdueAlert, utcnow
from tests.dom import page
from tests.factories import make_campaign, make_moderator, make_moment, make_team
from tests.receivers import verified
from tests.samples import LOST_CARD, MAINTENANCE
from tests.web.helpers import csrf_token, post_moment

PHONE = "010-2481-7730"


def add_endpoint(url: str, events: list[str], fmt: str = "json") -> str:
    admin = make_moderator("admin")
    _, secret = webhooks.create_endpoint(url=url, events=events, format=fmt, by=admin, now=utcnow())
    db.session.commit()
    return secret


def of(receiver, event: str) -> list:
    return [r for r in receiver.requests if r.headers["X-Campaign-Event"] == event]


def walk_clock(app, moment: datetime) -> None:
    app.config["FROZEN_CLOCK"] = moment.replace(tzinfo=timezone.utc).isoformat()


def sweep() -> None:
    tasks.sweep()
    db.session.commit()


def grouped(app, campaign) -> Cluster:
    """MAINTENANCE (four moments just now) and LOST_CARD grouped; the maintenance cluster."""
    first = [make_moment(campaign, body=b)[0] for b in MAINTENANCE]
    for body in LOST_CARD:
        make_moment(campaign, body=body)
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    return db.session.get(Moment, first[0].id).cluster


# --- 급증 -----------------------------------------------------------------------------------------


def test_a_new_spike_is_announced_once_signed_with_its_counts_and_desk_link(
    app, client, campaign, receiver
):
    spiking = grouped(app, campaign)  # four in the last 24 hours: under the minimum
    secret = add_endpoint(receiver.url(), ["spike"])
    add_endpoint(receiver.url("/urgent-only"), ["urgent_moment"])

    post_moment(client, body=f"{MAINTENANCE[0]} 오늘도 그래요. 연락은 {PHONE}로 주세요")
    [got] = receiver.requests
    assert got.path == "/hook" and got.headers["X-Campaign-Event"] == "spike"
    sent = verified(got, secret)
    assert sent["type"] == "spike"
    assert sent["data"]["cluster"]["id"] == spiking.id
    assert sent["data"]["cluster"]["label"] == spiking.label
    assert sent["data"]["moments_24h"] == 5 and sent["data"]["usual_per_day"] == 0.5
    assert sent["data"]["times"] == 10.0 and sent["data"]["p"] < 0.001
    assert "최근 24시간 5개" in sent["summary"] and "하루 0.5개" in sent["summary"]
    assert "급증" in sent["summary"]
    assert sent["links"]["desk"].endswith(f"/admin/clusters/{spiking.id}")
    assert PHONE not in got.body.decode() and "2481" not in got.body.decode()

    for i in (1, 2):  # the same spike goes on: told once
        post_moment(client, body=f"{MAINTENANCE[i]} 오늘도 그래요")
    assert len(of(receiver, "spike")) == 1
    placed = db.session.scalars(select(Moment.cluster_id).where(Moment.body.like("%오늘도%")))
    assert set(placed) == {spiking.id}


def test_a_spike_reaches_a_slack_endpoint_as_a_message_with_its_links(make_app, receiver):
    app = make_app(PUBLIC_URL="https://moments.example.org")
    with app.app_context():
        campaign = make_campaign()
        db.session.commit()
        spiking = grouped(app, campaign)
        add_endpoint(receiver.url(), ["spike"], fmt="slack")
        post_moment(app.test_client(), body=f"{MAINTENANCE[3]} 오늘도 그래요")
        [got] = receiver.requests
        message = json.loads(got.body)
        assert message["text"].startswith(f"[{campaign.title}] '{spiking.label}' 묶음이")
        links = message["blocks"][1]["elements"][0]["text"]
        assert f"<https://moments.example.org/admin/clusters/{spiking.id}|데스크에서 보기>" in links
        assert f"/admin/clusters/{spiking.id}/brief|한 장 요약>" in links


# --- urgent moments: at once ----------------------------------------------------------------------


def test_an_urgent_moment_is_announced_as_it_settles_and_waits_in_the_desk_alerts(
    app, client, sign_in, campaign, receiver
):
    secret = add_endpoint(receiver.url(), ["urgent_moment", "spike"])
    body = f"보이스피싱 문자를 받고 {PHONE} 번호로 전화했다가 돈을 보냈어요."
    assert post_moment(client, body=body).status_code == 303
    # The request that told it has answered: it is settled and announced already (no spike
    # window, no sweep), masked.
    moment = db.session.scalars(select(Moment)).one()
    assert moment.urgent and moment.settled
    [got] = receiver.requests
    sent = verified(got, secret)
    assert sent["type"] == "urgent_moment" and sent["data"]["moment"]["id"] == moment.id
    assert PHONE not in got.body.decode()

    sign_in(client, "viewer")
    for path in (
        f"/admin/clusters?campaign={campaign.id}",
        f"/admin/dashboard?campaign={campaign.id}",
    ):
        alerts = page(client.get(path)).one("[data-alerts]")
        assert "아직 접수 상태예요" in alerts.one("[data-urgent-waiting]").text
        urgent = alerts.one("[data-urgent]")
        assert "전화했다가 돈을 보냈어요" in urgent.text and PHONE not in urgent.text
        assert urgent.one(f"a[href='/admin/moments/{moment.id}']")


# --- a cluster past its public-answer target ----------------------------------------------

# 10월 1일 10:00 in Korea. A 30-day target from there runs out at 11월 1일 00:00 KST, which is
# 10월 31일 15:00 UTC.
STARTED = datetime(2026, 10, 1, 1, 0)
RUNS_OUT = datetime(2026, 10, 31, 15, 0)


def test_a_cluster_past_its_public_answer_target_is_announced_once_per_deadline(app, receiver):
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    team = make_team("송금팀")
    late = Cluster(campaign_id=campaign.id, name="점검 시간 이체", team_id=team.id)
    answered = Cluster(campaign_id=campaign.id, name="이미 답한 묶음")
    long_ago = Cluster(campaign_id=campaign.id, name="오래전에 넘긴 묶음")
    db.session.add_all([late, answered, long_ago])
    db.session.flush()
    make_moment(campaign, cluster_id=late.id, received=STARTED)
    make_moment(campaign, cluster_id=late.id, received=STARTED + timedelta(days=3))
    make_moment(campaign, cluster_id=answered.id, received=STARTED)
    make_moment(campaign, cluster_id=long_ago.id, received=STARTED - timedelta(days=20))
    decisions.set_status(answered, ClusterStatus.PLANNED, by=make_moderator("admin"))
    db.session.commit()
    secret = add_endpoint(receiver.url(), ["cluster_overdue"])

    walk_clock(app, RUNS_OUT)  # at the deadline itself the clock has not run out
    sweep()
    assert receiver.requests == []

    walk_clock(app, RUNS_OUT + timedelta(minutes=1))
    sweep()
    [got] = receiver.requests  # neither the answered one nor one long past its deadline
    sent = verified(got, secret)
    assert sent["type"] == "cluster_overdue"
    assert sent["data"]["cluster"] == {
        "id": late.id,
        "label": "점검 시간 이체",
        "team": "송금팀",
        "status": "열림",
    }
    assert sent["data"]["started_on"] == "2026-10-01"
    assert sent["data"]["last_day"] == "2026-10-31"
    assert sent["data"]["deadline"] == "2026-10-31T15:00:00Z"
    assert "'점검 시간 이체' 묶음의 공개 답 기한(10월 31일까지)이 지났어요" in sent["summary"]
    assert sent["links"]["desk"].endswith(f"/admin/clusters/{late.id}")

    for later in (timedelta(minutes=2), timedelta(hours=5), timedelta(days=3)):
        walk_clock(app, RUNS_OUT + later)
        sweep()
    assert len(receiver.requests) == 1

    # A longer target is a new deadline: told again when that one runs out, once.
    campaign.answer_days = 40
    db.session.commit()
    walk_clock(app, RUNS_OUT + timedelta(days=10, minutes=1))
    sweep()
    walk_clock(app, RUNS_OUT + timedelta(days=10, hours=2))
    sweep()
    second = [verified(r, secret) for r in receiver.requests[1:]]
    assert [s["data"]["last_day"] for s in second] == ["2026-11-10"]
    alerts = db.session.scalars(select(OverdueAlert).order_by(OverdueAlert.id)).all()
    assert [(a.cluster_id, a.deadline) for a in alerts] == [
        (late.id, RUNS_OUT),
        (late.id, RUNS_OUT + timedelta(days=10)),
    ]


def test_an_endpoint_added_later_is_not_told_of_a_deadline_already_announced(app, receiver):
    """The sweep records a deadline whether or not anyone listens; an endpoint added later
    hears only of clocks that run out after it."""
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    cluster = Cluster(campaign_id=campaign.id, name="점검 시간 이체")
    db.session.add(cluster)
    db.session.flush()
    make_moment(campaign, cluster_id=cluster.id, received=STARTED)
    db.session.commit()
    walk_clock(app, RUNS_OUT + timedelta(hours=1))
    sweep()
    assert db.session.scalars(select(OverdueAlert.cluster_id)).all() == [cluster.id]
    add_endpoint(receiver.url(), ["cluster_overdue"])
    walk_clock(app, RUNS_OUT + timedelta(hours=2))
    sweep()
    assert receiver.requests == []


# --- 브리프 보내기 -------------------------------------------------------------------------


def a_cluster_with_a_phone_number(app, client, campaign) -> Cluster:
    for body in MAINTENANCE:
        post_moment(client, body=f"{body}. 연락은 {PHONE}로 주세요", severity="4")
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    [cluster_id] = {m.cluster_id for m in db.session.scalars(select(Moment))}
    return db.session.get(Cluster, cluster_id)


def test_a_moderator_sends_the_brief_from_its_page_and_it_arrives_as_plain_data(
    app, client, sign_in, campaign, receiver
):
    cluster = a_cluster_with_a_phone_number(app, client, campaign)
    secret = add_endpoint(receiver.url(), ["brief"])
    add_endpoint(receiver.url("/spikes-only"), ["spike"])
    sign_in(client, "moderator")
    url = f"/admin/clusters/{cluster.id}/brief"
    brief = page(client.get(url))
    send = brief.one("[data-brief-send]")
    assert send.by_role("button", name="브리프 보내기") and "웹훅 1곳" in send.text
    assert "no-print" in send.classes

    response = client.post(f"{url}/send", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303 and response.location.endswith(url)
    assert "브리프를 웹훅 1곳에 보냈어요" in client.get(url).get_data(as_text=True)
    [got] = receiver.requests
    sent = verified(got, secret)
    assert sent["type"] == "brief" and got.path == "/hook"
    data = sent["data"]
    assert data["cluster_id"] == cluster.id and data["problem"] == cluster.label
    assert data["moments"] == 4 and len(data["quotes"]) == 3
    assert all("[전화번호]" in q for q in data["quotes"])
    assert PHONE not in got.body.decode()
    assert data["answer_clock"]["overdue"] is False and data["answer_clock"]["answered_on"] is None
    assert sent["summary"] == f"묶음 브리프: {cluster.label} (이야기 4개)"
    [event] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.BRIEF_SEND)
    ).all()
    assert (event.target_type, event.target_id, event.data) == (
        "cluster",
        str(cluster.id),
        {"endpoints": 1},
    )


def test_without_an_endpoint_for_briefs_the_page_says_how_and_sending_is_refused(
    app, client, sign_in, campaign
):
    cluster = a_cluster_with_a_phone_number(app, client, campaign)
    sign_in(client, "moderator")
    url = f"/admin/clusters/{cluster.id}/brief"
    send = page(client.get(url)).one("[data-brief-send]")
    assert not send.has("button") and "웹훅 설정에서 '묶음 브리프'" in send.text
    response = client.post(f"{url}/send", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    assert "브리프를 받을 웹훅 주소가 아직 없어요" in client.get(url).get_data(as_text=True)
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.BRIEF_SEND)
    ).all()


def test_a_viewer_reads_the_brief_but_cannot_send_it(app, client, sign_in, campaign, receiver):
    cluster = a_cluster_with_a_phone_number(app, client, campaign)
    add_endpoint(receiver.url(), ["brief"])
    sign_in(client, "viewer")
    url = f"/admin/clusters/{cluster.id}/brief"
    assert client.get(url).status_code == 200
    response = client.post(f"{url}/send", data={"csrf_token": csrf_token(client, url)})
    assert response.status_code == 403
    assert receiver.requests == []
