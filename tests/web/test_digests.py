"""E-mail digests per team: an admin sets who hears and how often; the worker's sweep sends each
team's digest once per local day (or week) to a local SMTP server the test starts, with the
team's open clusters, its new moments since the last digest and the urgent ones, masked."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from campaign import digests, moderation, tasks
from campaign.audit import AuditAction
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import (
    AuditEvent,
    Cluster,
    ClusterStatus,
    DeliveryState,
    DigestFrequency,
    DigestRun,
    MomentStatus,
)
from tests.dom import parse
from tests.factories import make_campaign, make_moderator, make_moment, make_team
from tests.receivers import MailBox, free_port
from tests.web.helpers import csrf_token

# 2026-12-01 is a Tuesday; 08:00 in Korea is 23:00 UTC the day before.
EIGHT_KST = datetime(2026, 11, 30, 23, 0)
URGENT = "보이스피싱 문자를 받고 [전화번호] 번호로 전화했다가 돈을 보냈어요."


@pytest.fixture
def mailbox():
    box = MailBox()
    yield box
    box.stop()


def mail_settings(port: int) -> dict:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_FROM": "desk@example.org",
        "SMTP_STARTTLS": False,
        "SMTP_TIMEOUT": 5,
        "PUBLIC_URL": "https://moments.example.org",
    }


@pytest.fixture
def app(make_app, mailbox):
    """This module's app (and so its client and sign-in) sends mail to the local server."""
    app = make_app(**mail_settings(mailbox.port))
    with app.app_context():
        yield app


def walk_clock(app, moment: datetime) -> None:
    app.config["FROZEN_CLOCK"] = moment.replace(tzinfo=timezone.utc).isoformat()


def sweep() -> None:
    tasks.sweep()
    db.session.commit()


def a_team_with_moments():
    """송금팀 owns an open cluster (4 visible moments, 3 of them in the day before 08:00, one
    hidden) and a finished one, plus an urgent moment routed to it directly; 카드팀's moment
    is not its business."""
    campaign = make_campaign()
    team, other = make_team("송금팀"), make_team("카드팀")
    open_one = Cluster(campaign_id=campaign.id, team_id=team.id, name="점검 시간 이체")
    done = Cluster(
        campaign_id=campaign.id, team_id=team.id, name="이미 고친 것", status=ClusterStatus.DONE
    )
    theirs = Cluster(campaign_id=campaign.id, team_id=other.id, name="카드 분실")
    db.session.add_all([open_one, done, theirs])
    db.session.flush()
    in_window = EIGHT_KST - timedelta(hours=5)
    for _ in range(3):
        make_moment(campaign, cluster_id=open_one.id, received=in_window)
    make_moment(campaign, cluster_id=open_one.id, received=EIGHT_KST - timedelta(days=2))
    make_moment(
        campaign,
        cluster_id=open_one.id,
        received=in_window,
        status=MomentStatus.HIDDEN,
    )
    make_moment(campaign, cluster_id=done.id, received=EIGHT_KST - timedelta(days=3))
    make_moment(campaign, cluster_id=theirs.id, received=in_window)
    make_moment(campaign, body=URGENT, team_id=team.id, urgent=True, received=in_window)
    db.session.commit()
    return campaign, team, open_one


def set_digest(client, team, **fields):
    url = f"/admin/teams/{team.id}/digest"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **fields})


def parts(message) -> tuple[str, str]:
    return (
        message.get_body(("plain",)).get_content(),
        message.get_body(("html",)).get_content(),
    )


def test_a_team_digest_arrives_once_a_day_with_its_clusters_new_and_urgent_moments(
    app, mailbox, client, sign_in
):
    campaign, team, cluster = a_team_with_moments()
    sign_in(client, "admin")
    response = set_digest(
        client, team, frequency="daily", recipients="lead@example.com, ops@example.com"
    )
    assert response.status_code == 303
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DIGEST_SETTINGS)
    ).one().data == {"frequency": "daily", "recipients": 2}

    walk_clock(app, EIGHT_KST - timedelta(minutes=1))
    sweep()
    assert mailbox.messages == [] and db.session.scalars(select(DigestRun)).all() == []

    walk_clock(app, EIGHT_KST)
    sweep()
    [(to, message)] = mailbox.messages
    assert to == ["lead@example.com", "ops@example.com"]
    assert message["From"] == "desk@example.org"
    assert message["Subject"] == "[불편한 순간] 송금팀 오늘의 요약: 새 이야기 4개"
    text, html = parts(message)
    assert "12월 1일 08시 전까지" in text and "11월 30일 08시부터" in text
    assert "새로 들어온 이야기: 4개 (긴급 1개)" in text
    assert f'- "{URGENT}"' in text
    assert "열려 있는 묶음: 1개" in text
    assert "- 점검 시간 이체: 이야기 4개 (열림)" in text
    assert f"https://moments.example.org/admin/clusters/{cluster.id}" in text
    assert "카드 분실" not in text and "이미 고친 것" not in text
    page = parse(html)
    assert page.one("h1").text == "송금팀에 온 이야기 요약이에요"
    assert [q.text for q in page.all("q")] == [URGENT]
    assert page.one("tbody tr").texts("td") == ["4개", "열림"]

    for later in (timedelta(minutes=5), timedelta(hours=15)):
        walk_clock(app, EIGHT_KST + later)
        sweep()
    assert len(mailbox.messages) == 1

    make_moment(campaign, cluster_id=cluster.id, received=EIGHT_KST + timedelta(hours=4))
    db.session.commit()
    walk_clock(app, EIGHT_KST + timedelta(days=1))
    sweep()
    assert len(mailbox.messages) == 2
    second, _ = parts(mailbox.messages[1][1])
    assert "새로 들어온 이야기: 1개 (긴급 0개)" in second
    assert "- 점검 시간 이체: 이야기 5개 (열림)" in second

    runs = db.session.scalars(select(DigestRun).order_by(DigestRun.id)).all()
    assert [(r.period, r.state) for r in runs] == [
        ("2026-12-01", DeliveryState.DELIVERED),
        ("2026-12-02", DeliveryState.DELIVERED),
    ]
    assert runs[0].result["moments"] == 4 and runs[0].result["to"] == 2
    reader = app.test_client()  # a day on: the first desk session has passed its lifetime
    sign_in(reader, "admin")
    desk = parse(reader.get(f"/admin/teams/{team.id}/digest").get_data(as_text=True))
    assert [row.attrs["data-digest-run"] for row in desk.all("[data-digest-run]")] == [
        "delivered",
        "delivered",
    ]


def test_a_weekly_digest_goes_once_a_week_from_monday_morning(app, mailbox):
    _, team, _ = a_team_with_moments()
    digests.save_settings(
        team,
        frequency="weekly",
        recipients="lead@example.com",
        by=make_moderator("admin"),
        now=EIGHT_KST,
    )
    db.session.commit()
    monday_eight = EIGHT_KST - timedelta(days=1)  # Monday 30 November, 08:00 in Korea
    assert digests.period_of(DigestFrequency.WEEKLY, monday_eight - timedelta(minutes=1)) is None
    for hours in (0, 30, 24 * 5):
        walk_clock(app, monday_eight + timedelta(hours=hours))
        sweep()
    [(_, message)] = mailbox.messages
    assert message["Subject"] == "[불편한 순간] 송금팀 주간 요약: 새 이야기 2개"
    walk_clock(app, monday_eight + timedelta(days=7))
    sweep()
    assert len(mailbox.messages) == 2
    periods = [r.period for r in db.session.scalars(select(DigestRun).order_by(DigestRun.id))]
    assert periods == ["2026-W49", "2026-W50"]


def test_a_digest_the_mail_server_refuses_is_tried_again_then_failed(make_app):
    app = make_app(**mail_settings(free_port()))  # nothing listens there
    with app.app_context():
        _, team, _ = a_team_with_moments()
        digests.save_settings(
            team,
            frequency="daily",
            recipients="lead@example.com",
            by=make_moderator("admin"),
            now=EIGHT_KST,
        )
        db.session.commit()
        for minutes in (0, 4, 5, 34, 35, 120):
            walk_clock(app, EIGHT_KST + timedelta(minutes=minutes))
            sweep()
        run = db.session.scalars(select(DigestRun)).one()
        assert run.attempts == 3 and run.state is DeliveryState.FAILED
        assert run.result["error"] == "메일 서버에 연결하지 못했어요."
        assert run.sent_at is None


def test_digest_settings_refuse_a_wrong_address_keeping_what_was_typed(client, sign_in):
    team = make_team()
    db.session.commit()
    sign_in(client, "admin")
    typed = "lead@example.com\nnot-an-address"
    page = parse(
        set_digest(client, team, frequency="weekly", recipients=typed).get_data(as_text=True)
    )
    assert "'not-an-address'은(는) 메일 주소 모양이 아니에요." in page.one("#recipients-error").text
    assert page.one("#recipients").raw_text() == typed
    assert page.one("input[type=radio][checked]").attrs["value"] == "weekly"
    page = parse(set_digest(client, team, frequency="daily", recipients=" ").get_data(as_text=True))
    assert "받을 메일 주소를 하나 이상 넣어 주세요." in page.one("#recipients-error").text
    assert digests.settings_for(team).frequency is DigestFrequency.OFF


def test_without_a_mail_server_no_digest_is_made_and_the_desk_says_so(app, client, sign_in):
    app.config["SMTP_HOST"] = ""
    _, team, _ = a_team_with_moments()
    digests.save_settings(
        team,
        frequency="daily",
        recipients="lead@example.com",
        by=make_moderator("admin"),
        now=EIGHT_KST,
    )
    db.session.commit()
    sweep()
    assert db.session.scalars(select(DigestRun)).all() == []
    sign_in(client, "admin")
    page = parse(client.get(f"/admin/teams/{team.id}/digest").get_data(as_text=True))
    assert "CAMPAIGN_SMTP_HOST" in page.one("[role=note]").text


@pytest.mark.parametrize("role", ["moderator", "viewer"])
def test_only_admins_set_a_team_digest(client, sign_in, role):
    team = make_team()
    db.session.commit()
    sign_in(client, role)
    assert client.get(f"/admin/teams/{team.id}/digest").status_code == 403
    token = csrf_token(client, "/admin/settings")
    url = f"/admin/teams/{team.id}/digest"
    data = {"csrf_token": token, "frequency": "daily", "recipients": "a@example.com"}
    assert client.post(url, data=data).status_code == 403
    assert digests.settings_for(team).frequency is DigestFrequency.OFF


def test_the_digest_lists_the_teams_overdue_clusters_and_moments(app, mailbox):
    """Past their clocks (clocks.py) at 12월 1일 08:00: 송금팀's cluster whose first moment came
    on 10월 1일 (30 days to answer) and its moment from 11월 25일 nobody looked at (3 days to
    triage); not a moment triaged in time, a cluster answered, or 카드팀's."""
    campaign, team, _ = a_team_with_moments()
    other = db.session.scalars(select(Cluster).where(Cluster.name == "카드 분실")).one()
    admin = make_moderator("admin")
    old = Cluster(campaign_id=campaign.id, team_id=team.id, name="오래 기다린 묶음")
    answered = Cluster(campaign_id=campaign.id, team_id=team.id, name="답한 묶음")
    db.session.add_all([old, answered])
    db.session.flush()
    in_clusters = [
        make_moment(campaign, cluster_id=cluster.id, received=datetime(2026, 10, 1, 1))[0]
        for cluster in (old, answered, other)
    ]
    decisions.set_status(answered, ClusterStatus.PLANNED, by=admin)
    waiting, _ = make_moment(
        campaign, body="열흘 전에 보낸 이야기예요", team_id=team.id, received=datetime(2026, 11, 25)
    )
    looked_at, _ = make_moment(
        campaign, body="살펴본 이야기예요", team_id=team.id, received=datetime(2026, 11, 25)
    )
    moderation.set_status([looked_at, *in_clusters], MomentStatus.IN_REVIEW, by=admin)
    make_moment(
        campaign, body="카드팀 이야기예요", team_id=other.team_id, received=datetime(2026, 11, 25)
    )
    digests.save_settings(
        team, frequency="daily", recipients="lead@example.com", by=admin, now=EIGHT_KST
    )
    db.session.commit()

    walk_clock(app, EIGHT_KST)
    sweep()
    [(_, message)] = mailbox.messages
    text, html = parts(message)
    assert "기한이 지났어요: 공개 답을 못 한 묶음 1개, 아직 살펴보지 않은 이야기 1개" in text
    assert "- 묶음 오래 기다린 묶음: 10월 31일까지 공개 답을 해야 했어요" in text
    assert f"https://moments.example.org/admin/clusters/{old.id}" in text
    assert '- "열흘 전에 보낸 이야기예요": 11월 28일까지 살펴봐야 했어요' in text
    assert f"https://moments.example.org/admin/moments/{waiting.id}" in text
    for elsewhere in ("답한 묶음", "카드 분실", "살펴본 이야기", "카드팀 이야기"):
        assert elsewhere not in text.split("열려 있는 묶음")[0]
    page = parse(html)
    headings = page.texts("h2")
    assert "기한이 지났어요" in headings
    assert page.texts("h3") == ["공개 답 기한이 지난 묶음", "처음 살펴보기 기한이 지난 이야기"]
    lists = [ul for ul in page.all("ul") if "까지" in ul.text]
    assert [li.text for li in lists[0].all("li")] == [
        "오래 기다린 묶음: 10월 31일까지 공개 답을 해야 했어요"
    ]
    [late] = lists[1].all("li")
    assert late.one("q").text == "열흘 전에 보낸 이야기예요" and "11월 28일까지" in late.text
    run = db.session.scalars(select(DigestRun)).one()
    assert (run.result["overdue_clusters"], run.result["overdue_moments"]) == (1, 1)


def test_a_digest_without_anything_overdue_has_no_overdue_section(app, mailbox):
    _, team, _ = a_team_with_moments()
    digests.save_settings(
        team,
        frequency="daily",
        recipients="lead@example.com",
        by=make_moderator("admin"),
        now=EIGHT_KST,
    )
    db.session.commit()
    walk_clock(app, EIGHT_KST)
    sweep()
    text, html = parts(mailbox.messages[0][1])
    assert "기한이 지났어요" not in text and "기한이 지났어요" not in html


def test_a_digest_waiting_to_be_tried_again_goes_nowhere_once_the_team_turns_it_off(make_app):
    app = make_app(**mail_settings(free_port()))  # nothing listens: the first try fails
    with app.app_context():
        _, team, _ = a_team_with_moments()
        admin = make_moderator("admin")
        digests.save_settings(
            team, frequency="daily", recipients="lead@example.com", by=admin, now=EIGHT_KST
        )
        db.session.commit()
        walk_clock(app, EIGHT_KST)
        sweep()
        run = db.session.scalars(select(DigestRun)).one()
        assert run.attempts == 1 and run.state is DeliveryState.PENDING
        digests.save_settings(team, frequency="off", recipients="", by=admin, now=EIGHT_KST)
        db.session.commit()
        walk_clock(app, EIGHT_KST + timedelta(minutes=10))
        sweep()
        db.session.refresh(run)
        assert run.attempts == 1 and run.state is DeliveryState.FAILED
        assert run.result == {"error": "보내지 않기로 바뀌었어요"}
