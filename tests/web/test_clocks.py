"""Clocks, hand-offs, the escalation queue and internal notes at the desk, through the test
client on a frozen clock: each page and form, bad input (a Korean message, nothing typed lost,
never a 500), who may do what, and notes never leaving the desk."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from campaign import fixes
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import AuditEvent, Cluster, ClusterStatus, FixProgress, Moment, utcnow
from tests.dom import page
from tests.factories import make_campaign, make_moderator, make_moment, make_team
from tests.web.helpers import csrf_token, every_word, post_moment, receipt_code

NOW = "2026-10-10T12:00:00+09:00"  # 10월 10일 정오, Korea
CANARY = "내부메모카나리아7731"


@pytest.fixture
def desk(app):
    """A campaign at 10월 10일: an untriaged moment from 1 October (overdue at 3 days) and one
    from 9 October (not yet); an unowned cluster formed on 1 October (escalated at 7 days) and
    one whose first moment came on 1 September (its 30-day public answer overdue)."""
    app.config["FROZEN_CLOCK"] = NOW
    campaign = make_campaign(slug="clocks", opens_on=date(2026, 9, 1), closes_on=None)
    old_cluster = Cluster(
        campaign_id=campaign.id, name="예전 묶음", created_at=datetime(2026, 9, 1)
    )
    gray = Cluster(campaign_id=campaign.id, name="회색 지대 묶음", created_at=datetime(2026, 10, 1))
    db.session.add_all([old_cluster, gray])
    db.session.flush()
    owner = make_team("송금팀")
    old_cluster.team_id = owner.id
    overdue, _ = make_moment(
        campaign, body="기한이 지난 이야기예요", received=datetime(2026, 10, 1), cluster_id=gray.id
    )
    fresh, _ = make_moment(campaign, body="어제 온 이야기예요", received=datetime(2026, 10, 9))
    make_moment(
        campaign,
        body="한 달 넘게 기다린 이야기",
        received=datetime(2026, 9, 1),
        cluster_id=old_cluster.id,
    )
    db.session.commit()
    return campaign, overdue, fresh, old_cluster, gray


def test_the_inbox_badges_overdue_moments_in_words_and_sorts_them_first(client, sign_in, desk):
    campaign, overdue, fresh, *_ = desk
    sign_in(client)
    newest = page(client.get(f"/admin/moments?campaign={campaign.id}"))
    rows = newest.all("[data-moment-row]")
    badged = {r.one(".moment-row__text").text: bool(r.by_test_id("overdue")) for r in rows}
    assert badged == {
        "어제 온 이야기예요": False,
        "기한이 지난 이야기예요": True,
        "한 달 넘게 기다린 이야기": True,
    }
    assert all(b.text == "기한 지남" for b in newest.by_test_id("overdue"))
    first = page(client.get(f"/admin/moments?campaign={campaign.id}&sort=overdue"))
    assert [r.one(".moment-row__text").text for r in first.all("[data-moment-row]")] == [
        "한 달 넘게 기다린 이야기",
        "기한이 지난 이야기예요",
        "어제 온 이야기예요",
    ]
    only = page(client.get(f"/admin/moments?campaign={campaign.id}&flag=overdue"))
    assert len(only.all("[data-moment-row]")) == 2
    # The opened moment shows its clock and its neighbours in the overdue order.
    opened = page(client.get(f"/admin/moments/{overdue.id}?campaign={campaign.id}&sort=overdue"))
    assert opened.one("[data-clock]").text == "2026년 10월 4일까지 (3일) · 기한이 지났어요"
    assert opened.by_test_id("prev") and opened.by_test_id("next")


def test_the_cluster_list_badges_and_sorts_late_and_escalated_clusters(client, sign_in, desk):
    campaign, *_, old_cluster, gray = desk
    sign_in(client)
    listed = page(client.get(f"/admin/clusters?campaign={campaign.id}&sort=overdue"))
    rows = listed.all("[data-cluster-row]")
    assert [r.one("th a").text for r in rows] == ["예전 묶음", "회색 지대 묶음"]
    assert rows[0].by_test_id("overdue")[0].text == "답 기한 지남"
    assert "2026년 10월 1일까지였어요" in rows[0].text
    assert not rows[1].by_test_id("overdue")
    assert rows[1].by_test_id("escalated")[0].text == "확인 필요"
    assert "1개 있어요" in listed.by_test_id("escalated-count")[0].text


def test_an_admin_sets_the_targets_and_bad_input_keeps_every_field_typed(client, sign_in, desk):
    campaign, *_ = desk
    admin = sign_in(client, "admin")
    url = f"/admin/campaigns/{campaign.id}"
    token = csrf_token(client, url)
    bad = client.post(
        f"{url}/clocks",
        data={"csrf_token": token, "triage_days": "사흘", "answer_days": "0", "unowned_days": "10"},
    )
    assert bad.status_code == 200
    form = page(bad).one("[data-clocks-form]")
    assert form.by_label("처음 살펴보기 (일)")["value"] == "사흘"
    assert form.by_label("공개 답 (일)")["value"] == "0"
    assert form.by_label("담당 팀 없이 둘 수 있는 날 (일)")["value"] == "10"
    assert form.texts(".field-error") == [
        "오류: 1에서 365 사이의 숫자(일)로 써 주세요.",
        "오류: 1에서 365 사이의 숫자(일)로 써 주세요.",
    ]
    assert db.session.get(type(campaign), campaign.id).triage_days == 3
    saved = client.post(
        f"{url}/clocks",
        data={"csrf_token": token, "triage_days": "10", "answer_days": "60", "unowned_days": "10"},
    )
    assert saved.status_code == 303
    db.session.expire_all()
    assert (campaign.triage_days, campaign.answer_days, campaign.unowned_days) == (10, 60, 10)
    [event] = db.session.query(AuditEvent).filter_by(action="campaign_clocks").all()
    assert event.actor_id == admin.id and event.data["to"]["answer_days"] == 60
    # With 10 days, the moment from 1 October is no longer late.
    inbox = page(client.get(f"/admin/moments?campaign={campaign.id}"))
    assert len(inbox.by_test_id("overdue")) == 1


def test_a_moderator_cannot_change_the_targets(client, sign_in, desk):
    campaign, *_ = desk
    sign_in(client)
    token = csrf_token(client, "/admin/moments")
    refused = client.post(
        f"/admin/campaigns/{campaign.id}/clocks",
        data={"csrf_token": token, "triage_days": "1", "answer_days": "1", "unowned_days": "1"},
    )
    assert refused.status_code == 403


def test_routing_a_cluster_needs_a_reason_and_every_hand_off_is_shown(client, sign_in, desk):
    *_, old_cluster, _ = desk
    card = make_team("카드팀")
    db.session.commit()
    sign_in(client)
    url = f"/admin/clusters/{old_cluster.id}"
    token = csrf_token(client, url)
    missing = client.post(f"{url}/route", data={"csrf_token": token, "team": str(card.id)})
    assert missing.status_code == 200
    form = page(missing).one("[data-route-form]")
    assert form.by_label("담당 팀").first("option[selected]").text == "카드팀"
    assert "담당 팀을 정하는 이유를 짧게 써 주세요" in form.one(".field-error").text
    db.session.expire_all()
    assert db.session.get(Cluster, old_cluster.id).team.name == "송금팀"
    done = client.post(
        f"{url}/route",
        data={"csrf_token": token, "team": str(card.id), "reason": "결제 화면은 카드팀 몫이에요"},
        follow_redirects=True,
    )
    handoffs = page(done).one("[data-handoffs]")
    assert "송금팀 → 카드팀: 결제 화면은 카드팀 몫이에요" in handoffs.text
    board = page(client.get("/admin/dashboard")).one("[data-chart=handoffs]")
    assert "결제 화면은 카드팀 몫이에요" in board.one("tbody").text


def test_only_an_admin_clears_the_escalation_queue_by_routing(client, sign_in, desk):
    campaign, *_, gray = desk
    team = make_team("대출팀")
    db.session.commit()
    sign_in(client)
    queue = page(client.get(f"/admin/escalations?campaign={campaign.id}"))
    [row] = queue.by_test_id("escalation-row")
    assert "회색 지대 묶음" in row.text and row.by_test_id("why")
    assert not queue.by_test_id("clear-form")  # a moderator sees the queue, not the form
    token = csrf_token(client, "/admin/escalations")
    data = {"csrf_token": token, "team": str(team.id), "reason": "대출팀이 맡아요"}
    assert client.post(f"/admin/escalations/{gray.id}/route", data=data).status_code == 403
    refused = client.post(f"/admin/clusters/{gray.id}/route", data=data)
    assert "관리자만 담당 팀을 정할 수 있어요" in page(refused).one("[data-route-form]").text
    db.session.expire_all()
    assert db.session.get(Cluster, gray.id).team_id is None

    admin_client = client.application.test_client()  # a second browser, an admin's
    sign_in(admin_client, "admin")
    token = csrf_token(admin_client, "/admin/escalations")
    no_team = admin_client.post(
        f"/admin/escalations/{gray.id}/route",
        data={"csrf_token": token, "team": "", "reason": "누가 맡을지 정해요"},
    )
    assert no_team.status_code == 200
    kept = page(no_team).one("[data-clear-form]")
    assert "맡을 팀을 골라 주세요" in kept.text
    assert kept.by_label("이유")["value"] == "누가 맡을지 정해요"
    cleared = admin_client.post(
        f"/admin/escalations/{gray.id}/route",
        data={"csrf_token": token, "team": str(team.id), "reason": "대출팀이 맡아요"},
        follow_redirects=True,
    )
    assert page(cleared).by_test_id("empty")
    assert db.session.query(AuditEvent).filter_by(action="escalation_clear").count() == 1


def test_notes_on_a_moment_keep_what_was_typed_and_only_author_or_admin_delete(
    client, sign_in, desk
):
    campaign, overdue, *_ = desk
    author = sign_in(client)
    url = f"/admin/moments/{overdue.id}"
    token = csrf_token(client, url)
    empty = client.post(f"{url}/notes", data={"csrf_token": token, "text": "   "})
    assert empty.status_code == 200
    assert "메모를 써 주세요." in page(empty).one("[data-notes]").one(".field-error").text
    long = "가" * 1001
    too_long = page(client.post(f"{url}/notes", data={"csrf_token": token, "text": long}))
    assert too_long.by_label("새 메모").text == long
    assert "1,000자까지" in too_long.one("[data-notes] .field-error").text
    expired = page(client.post(f"{url}/notes", data={"csrf_token": "old", "text": "남겨 둘 말"}))
    assert expired.by_label("새 메모").text == "남겨 둘 말"
    assert "보안 확인 시간이 지났어요" in expired.one(".flashes").text
    for text in ("먼저 쓴 메모", "연락처 010-2345-6789는 지웠어요"):
        client.post(f"{url}/notes", data={"csrf_token": token, "text": text})
    shown = page(client.get(url)).all("[data-note]")
    assert [n.one("[data-note-text-shown]").text for n in shown] == [
        "연락처 [전화번호]는 지웠어요",
        "먼저 쓴 메모",
    ]
    assert shown[0].one("[data-note-author]").text == author.name
    note_id = _note_ids(overdue)[0]

    other = client.application.test_client()
    sign_in(other)
    assert not page(other.get(url)).by_role("button", name="메모 지우기")
    other_token = csrf_token(other, url)
    client_refused = other.post(
        f"{url}/notes/{note_id}/delete", data={"csrf_token": other_token}, follow_redirects=True
    )
    assert "쓴 사람이나 관리자만" in page(client_refused).one(".flashes").text
    admin = client.application.test_client()
    sign_in(admin, "admin")
    admin.post(f"{url}/notes/{note_id}/delete", data={"csrf_token": csrf_token(admin, url)})
    assert len(_note_ids(overdue)) == 1
    assert db.session.query(AuditEvent).filter_by(action="note_remove").count() == 1


def _note_ids(moment: Moment) -> list[int]:
    from campaign import notes

    db.session.expire_all()
    return [n.id for n in notes.listed(db.session.get(Moment, moment.id))]


def test_a_cluster_note_is_shown_on_its_page_and_kept_after_an_error(client, sign_in, desk):
    *_, gray = desk
    sign_in(client)
    url = f"/admin/clusters/{gray.id}"
    token = csrf_token(client, url)
    long = "나" * 1001
    refused = page(client.post(f"{url}/notes", data={"csrf_token": token, "text": long}))
    assert refused.by_label("새 메모").text == long
    client.post(f"{url}/notes", data={"csrf_token": token, "text": "대출팀과 이야기 중이에요"})
    notes = page(client.get(url)).one("[data-notes]")
    assert notes.one("[data-note-text-shown]").text == "대출팀과 이야기 중이에요"
    assert notes.by_role("button", name="메모 지우기")


def test_notes_never_reach_a_public_page_the_api_or_an_export(client, sign_in, app):
    """A canary written in notes on a moment and on its cluster, whose fix is public and which is
    shown on 듣고 있어요, appears on no public page, API answer or export."""
    campaign = make_campaign()
    db.session.commit()
    post_moment(client, body="점검 시간이라 이체가 안 됐어요 정말 불편해요")
    code = receipt_code(client.get("/thanks").get_data(as_text=True))
    moment = db.session.query(Moment).one()
    cluster = Cluster(campaign_id=campaign.id, name="점검 시간 이체")
    db.session.add(cluster)
    db.session.flush()
    moment.cluster_id = cluster.id
    admin = make_moderator("admin")
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=admin)
    decisions.set_public(
        cluster, title="점검 시간에 이체가 막혀요", note="고치기로 했어요", listed=True, by=admin
    )
    fix = fixes.create_fix(
        campaign, fixes.FixFields(title="점검 중에도 예약 이체가 돼요"), by=admin
    )
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.publish(fix, by=admin, now=utcnow() - timedelta(hours=1))
    db.session.commit()
    desk_client = client.application.test_client()
    sign_in(desk_client)
    token = csrf_token(desk_client, f"/admin/moments/{moment.id}")
    for url in (f"/admin/moments/{moment.id}/notes", f"/admin/clusters/{cluster.id}/notes"):
        desk_client.post(url, data={"csrf_token": token, "text": f"{CANARY} 확인 중"})
    assert CANARY in desk_client.get(f"/admin/clusters/{cluster.id}").get_data(as_text=True)

    status = client.post(
        "/status", data={"code": code, "csrf_token": csrf_token(client, "/status")}
    )
    public = [status]
    for url in (
        "/",
        f"/c/{campaign.slug}/",
        "/improvements",
        f"/improvements/{fix.slug}",
        "/improvements/feed.xml",
        "/listening",
        "/stats",
        "/privacy",
        "/api/v1/",
        "/api/v1/campaigns",
        "/api/v1/fixes",
        f"/api/v1/fixes/{fix.slug}",
        "/api/v1/stats",
    ):
        public.append(client.get(url))
    assert all(r.status_code == 200 for r in public)
    assert "점검 시간에 이체가 막혀요" in public[6].get_data(as_text=True)  # listed indeed
    for response in public:
        assert CANARY not in response.get_data(as_text=True)
    if status.mimetype == "text/html":
        assert CANARY not in every_word(page(status))
    for kind in ("moments", "clusters", "fixes"):
        for fmt in ("csv", "json"):
            exported = desk_client.get(f"/admin/export/{kind}.{fmt}?campaign={campaign.id}")
            assert exported.status_code == 200 and CANARY not in exported.get_data(as_text=True)


def test_the_dashboard_writes_the_definitions_and_the_shares_met(client, sign_in, desk):
    campaign, overdue, *_ = desk
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    section = board.one("[data-chart=clocks]")
    definitions = section.one("[data-clock-definitions]").text
    assert "처음 손대기까지" in definitions and "'열림'에서" in definitions
    assert "자정" in definitions
    takeaway = section.one("[data-clock-takeaway]").text
    assert "처음 살펴보기: 2개 중 0개(0.0%)가 기한 안이었어요." in takeaway
    assert "공개 답: 1개 묶음 중 0개(0.0%)가 기한 안이었어요." in takeaway
    assert section.one("[data-overdue-moments]").text == "2개"
    teams = section.one("[data-clock-table=triage-team]")
    assert [tr.texts("td") for tr in teams.all("tbody tr")] == [
        ["0", "1", "0.0%"],
        ["0", "1", "0.0%"],
    ]
    assert board.one("[data-chart=handoffs]").by_test_id("escalated")[0].text == "1개"
