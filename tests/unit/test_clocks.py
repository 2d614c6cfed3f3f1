"""Clocks, hand-offs, escalation and internal notes, each rule on a frozen clock.

Times are naive UTC as stored; Korea is UTC+9, so 15:00 UTC is the KST midnight."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaign import analytics, audit, clocks, fixes, moderation, notes
from campaign.audit import AuditAction
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import (
    ORIGIN_IMPORT,
    AuditEvent,
    Cluster,
    ClusterHandoff,
    ClusterStatus,
    MomentStatus,
)
from tests.factories import make_campaign, make_moderator, make_moment, make_team

SEOUL = ZoneInfo("Asia/Seoul")
MINUTE = timedelta(minutes=1)
# A moment told at 09:00 KST on 1 October; with 3 days it is due by the midnight ending 4 October.
TOLD = datetime(2026, 10, 1, 0)
DUE = datetime(2026, 10, 4, 15)  # 10월 5일 00:00 KST


def frozen(app, at: datetime) -> datetime:
    """Stop the app's clock at `at` (naive UTC): audit events (when flushed) and utcnow() read
    it."""
    app.config["FROZEN_CLOCK"] = at.isoformat() + "+00:00"
    return at


# --- the one rule -------------------------------------------------------------------------------


def test_a_clock_runs_out_at_the_local_midnight_ending_its_last_day(app):
    assert clocks.deadline(TOLD, 3) == DUE
    assert not clocks.is_over(TOLD, 3, DUE)  # exactly at the target: still in time
    assert clocks.is_over(TOLD, 3, DUE + MINUTE)  # one minute over
    assert clocks.clock(TOLD, 3, None, DUE).last_day == date(2026, 10, 4)


def test_the_kst_midnight_not_the_utc_one_splits_the_days(app):
    before = datetime(2026, 10, 1, 14)  # 23:00 KST on 1 October
    after = datetime(2026, 10, 1, 15)  # 00:00 KST on 2 October, the same UTC day
    assert clocks.deadline(before, 3) == DUE
    assert clocks.deadline(after, 3) == DUE + timedelta(days=1)
    # At 00:30 KST on 5 October the first is over, the second still has a day.
    now = DUE + timedelta(minutes=30)
    assert clocks.is_over(before, 3, now) and not clocks.is_over(after, 3, now)


@pytest.mark.parametrize("days", [1, 3, 7])
def test_the_sql_threshold_agrees_with_the_rule_at_every_hour(app, days):
    starts = [datetime(2026, 10, 1) + timedelta(hours=h) for h in range(0, 24 * 12)]
    nows = [DUE, DUE + MINUTE, DUE - MINUTE, datetime(2026, 10, 9, 3, 30), datetime(2026, 10, 12)]
    for now in nows:
        split = clocks.over_before(days, now)
        assert [s < split for s in starts] == [clocks.is_over(s, days, now) for s in starts]


# --- moments: first triage ----------------------------------------------------------------------


@pytest.fixture
def told(app):
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    moment, _ = make_moment(campaign, received=TOLD)
    db.session.commit()
    return campaign, moment


@pytest.mark.parametrize(
    ("triaged", "met"), [(DUE - timedelta(hours=5), True), (DUE, True), (DUE + MINUTE, False)]
)
def test_a_moment_triaged_by_its_deadline_met_the_target(app, told, triaged, met):
    campaign, moment = told
    person = make_moderator()
    frozen(app, triaged)
    moderation.set_status([moment], MomentStatus.IN_REVIEW, by=person)
    db.session.flush()
    clock = clocks.moment_clocks([moment], triaged + timedelta(days=3))[moment.id]
    assert clock.done == triaged and clock.met is met and not clock.overdue


def test_an_untriaged_moment_is_overdue_one_minute_after_its_deadline_not_at_it(app, told):
    campaign, moment = told
    assert clocks.overdue_moment_ids([moment], DUE) == set()
    assert clocks.overdue_moment_ids([moment], DUE + MINUTE) == {moment.id}
    overdue = select(type(moment).id).where(clocks.overdue_moments_clause(DUE + MINUTE))
    assert list(db.session.scalars(overdue)) == [moment.id]
    assert (
        list(db.session.scalars(select(type(moment).id).where(clocks.overdue_moments_clause(DUE))))
        == []
    )


def test_an_imported_moment_has_no_triage_clock_however_old_it_is(app, told):
    campaign, moment = told
    imported, _ = make_moment(campaign, received=TOLD, origin=ORIGIN_IMPORT)
    db.session.flush()
    late = DUE + timedelta(days=30)
    assert clocks.moment_clocks([moment, imported], late).keys() == {moment.id}
    assert clocks.overdue_moment_ids([moment, imported], late) == {moment.id}
    overdue = select(type(moment).id).where(clocks.overdue_moments_clause(late))
    assert list(db.session.scalars(overdue)) == [moment.id]
    f = analytics.Filter(campaign, SEOUL)
    assert analytics.clock_figures(f, now=late).triage.due == 1


def test_a_note_is_not_triage_and_a_hidden_moment_is_never_overdue(app, told):
    campaign, moment = told
    person = make_moderator()
    notes.add(moment, "송금팀에 물어볼게요", by=person, now=TOLD)
    assert clocks.overdue_moment_ids([moment], DUE + MINUTE) == {moment.id}
    moment.status = MomentStatus.HIDDEN  # hidden without an event (an import): still no badge
    assert clocks.overdue_moment_ids([moment], DUE + MINUTE) == set()


def test_a_longer_target_set_by_an_admin_moves_the_deadline_and_is_audited(app, told):
    campaign, moment = told
    admin = make_moderator("admin")
    clocks.set_targets(campaign, clocks.Targets(5, 30, 7), by=admin)
    assert clocks.overdue_moment_ids([moment], DUE + MINUTE) == set()
    [event] = [e for e in audit.history("campaign", campaign.id) if e.action == "campaign_clocks"]
    assert event.data == {
        "from": {"triage_days": 3, "answer_days": 30, "unowned_days": 7},
        "to": {"triage_days": 5, "answer_days": 30, "unowned_days": 7},
    }


@pytest.mark.parametrize("bad", [0, 366, None])
def test_targets_outside_one_to_365_days_are_refused_in_korean(app, told, bad):
    campaign, _ = told
    with pytest.raises(clocks.ClockError) as refused:
        clocks.set_targets(campaign, clocks.Targets(3, bad, 7), by=make_moderator("admin"))
    assert refused.value.field == "answer_days" and "1일에서 365일" in refused.value.message


# --- clusters: the public answer ----------------------------------------------------------------


@pytest.fixture
def grouped(app):
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    cluster = Cluster(campaign_id=campaign.id, created_at=TOLD)
    db.session.add(cluster)
    db.session.flush()
    make_moment(
        campaign,
        received=TOLD - timedelta(days=2),
        cluster_id=cluster.id,
        status=MomentStatus.HIDDEN,
    )  # hidden: the clock starts at the first visible one
    make_moment(campaign, received=TOLD, cluster_id=cluster.id)
    make_moment(campaign, received=TOLD + timedelta(days=3), cluster_id=cluster.id)
    db.session.commit()
    return campaign, cluster


ANSWER_DUE = datetime(2026, 10, 31, 15)  # 30 local days after 1 October: 11월 1일 00:00 KST


@pytest.mark.parametrize(("answered", "met"), [(ANSWER_DUE, True), (ANSWER_DUE + MINUTE, False)])
def test_a_cluster_moved_out_of_open_by_its_deadline_was_answered_in_time(
    app, grouped, answered, met
):
    _, cluster = grouped
    frozen(app, answered)
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=make_moderator())
    db.session.flush()
    clock = clocks.cluster_clocks([cluster], ANSWER_DUE + timedelta(days=5))[cluster.id]
    assert clock.start == TOLD and clock.done == answered and clock.met is met


def test_a_published_fix_answers_its_cluster_and_reopening_does_not_undo_the_answer(app, grouped):
    campaign, cluster = grouped
    person = make_moderator("admin")
    assert clocks.cluster_clocks([cluster], ANSWER_DUE + MINUTE)[cluster.id].overdue
    fix = fixes.create_fix(
        campaign, fixes.FixFields(title="점검 중에도 예약 송금이 돼요"), by=person
    )
    fixes.link_cluster(fix, cluster, by=person)
    fixes.publish(fix, by=person, now=datetime(2026, 10, 20))
    db.session.flush()
    clock = clocks.cluster_clocks([cluster], ANSWER_DUE + MINUTE)[cluster.id]
    assert clock.done == datetime(2026, 10, 20) and clock.met and not clock.overdue


def test_clock_figures_count_met_and_missed_per_team_and_iso_week(app):
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    team = make_team("카드팀")
    person = make_moderator()
    in_time, late, _waiting, running = (
        make_moment(campaign, received=TOLD, team_id=team.id)[0],
        make_moment(campaign, received=TOLD, team_id=team.id)[0],
        make_moment(campaign, received=datetime(2026, 10, 5, 3))[0],  # week 41, no team
        make_moment(campaign, received=datetime(2026, 10, 9, 3))[0],  # still within its target
    )
    frozen(app, DUE)
    moderation.set_status([in_time], MomentStatus.IN_REVIEW, by=person)
    db.session.flush()  # an event takes the clock's time when it is written
    frozen(app, DUE + MINUTE)
    moderation.set_status([late], MomentStatus.IN_REVIEW, by=person)
    db.session.flush()
    now = datetime(2026, 10, 10)
    figures = analytics.clock_figures(analytics.Filter(campaign, SEOUL), now=now)
    assert (figures.triage.met, figures.triage.due) == (1, 3)
    assert [(r.label, r.met, r.due) for r in figures.triage_by_team] == [
        ("카드팀", 1, 2),
        ("담당 팀 없음", 0, 1),
    ]
    assert [(r.label, r.met, r.due) for r in figures.triage_by_week] == [
        ("2026-W40", 1, 2),
        ("2026-W41", 0, 1),
    ]
    assert figures.overdue_moments == 1 and figures.triage_days == 3
    assert running.id not in clocks.overdue_moment_ids([running], now)


# --- hand-offs and escalation -------------------------------------------------------------------


@pytest.fixture
def unowned(app):
    campaign = make_campaign(opens_on=date(2026, 9, 1), closes_on=None)
    cluster = Cluster(campaign_id=campaign.id, created_at=TOLD)
    db.session.add(cluster)
    db.session.flush()
    make_moment(campaign, received=TOLD, cluster_id=cluster.id)
    db.session.commit()
    return campaign, cluster


SEVEN_DAYS = datetime(2026, 10, 8, 15)  # the midnight ending 8 October KST


def test_a_cluster_without_owner_escalates_one_minute_after_its_n_days(app, unowned):
    campaign, cluster = unowned
    assert clocks.escalation_of(cluster, SEVEN_DAYS) is None
    found = clocks.escalation_of(cluster, SEVEN_DAYS + MINUTE)
    assert found.unowned and not found.bounced and found.unowned_deadline == SEVEN_DAYS
    assert [e.cluster for e in clocks.escalations(campaign.id, SEVEN_DAYS + MINUTE)] == [cluster]
    assert clocks.escalations(campaign.id, SEVEN_DAYS) == []


def test_every_routing_records_a_hand_off_with_its_masked_reason(app, unowned):
    _, cluster = unowned
    person = make_moderator()
    a, b = make_team("송금팀"), make_team("카드팀")
    decisions.route(cluster, a, by=person, reason="처음 담당: 송금 화면", now=TOLD)
    decisions.route(
        cluster, b, by=person, reason="카드팀 김민지 010-2345-6789에게 확인", now=TOLD + MINUTE
    )
    rows = clocks.handoffs(cluster=cluster)
    assert [(h.from_team_id, h.to_team_id) for h in rows] == [(a.id, b.id), (None, a.id)]
    assert "010-2345-6789" not in rows[0].reason and "[전화번호]" in rows[0].reason
    assert rows[0].by_id == person.id and rows[0].at == TOLD + MINUTE
    assert clocks.handoff_count(cluster) == 1  # from an owning team: only the second


def test_a_reason_is_required_to_route(app, unowned):
    _, cluster = unowned
    with pytest.raises(clocks.ClockError) as refused:
        decisions.route(cluster, make_team(), by=make_moderator(), reason=" ", now=TOLD)
    assert refused.value.field == "reason" and "이유" in refused.value.message
    assert cluster.team_id is None


def test_handed_off_more_than_twice_escalates_and_only_an_admin_clears_it(app, unowned):
    campaign, cluster = unowned
    person, admin = make_moderator(), make_moderator("admin")
    a, b, c = make_team("송금팀"), make_team("카드팀"), make_team("대출팀")
    for team in (a, b, c, a):  # three hand-offs away from an owning team
        decisions.route(cluster, team, by=person, reason="우리 팀 일이 아니에요", now=TOLD)
    found = clocks.escalation_of(cluster, TOLD + MINUTE)
    assert found.bounced and found.handoffs == 3 and not found.unowned
    with pytest.raises(decisions.ClusterError) as refused:
        decisions.route(cluster, b, by=person, reason="카드팀 일이에요", now=TOLD)
    assert "관리자만" in refused.value.message and cluster.team_id == a.id
    decisions.route(cluster, b, by=admin, reason="카드팀이 끝까지 맡아요", now=TOLD)
    assert clocks.escalation_of(cluster, TOLD + MINUTE) is None
    assert cluster.team_id == b.id and cluster.handoffs_cleared == 4
    cleared = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.ESCALATION_CLEAR)
    ).all()
    assert [(e.actor_id, e.target_id) for e in cleared] == [(admin.id, str(cluster.id))]
    for team in (c, a):  # two more: not yet
        decisions.route(cluster, team, by=person, reason="다시 넘겨요", now=TOLD)
    assert clocks.escalation_of(cluster, TOLD + MINUTE) is None
    decisions.route(cluster, b, by=person, reason="또 넘겨요", now=TOLD)
    assert clocks.escalation_of(cluster, TOLD + MINUTE).handoffs == 3


def test_an_unowned_escalation_clears_when_an_admin_gives_it_a_team(app, unowned):
    _, cluster = unowned
    late = SEVEN_DAYS + MINUTE
    with pytest.raises(decisions.ClusterError):
        decisions.route(cluster, make_team(), by=make_moderator(), reason="송금팀 일", now=late)
    decisions.route(
        cluster, make_team("카드팀"), by=make_moderator("admin"), reason="카드팀 일", now=late
    )
    assert clocks.escalation_of(cluster, late) is None
    assert db.session.scalars(select(ClusterHandoff)).one().to_team.name == "카드팀"


def test_a_cluster_whose_moments_are_all_hidden_or_merged_away_is_not_escalated(app, unowned):
    campaign, cluster = unowned
    other = Cluster(campaign_id=campaign.id, created_at=TOLD)
    db.session.add(other)
    db.session.flush()
    cluster.merged_into_id = other.id
    assert clocks.escalation_of(cluster, SEVEN_DAYS + MINUTE) is None
    assert clocks.escalations(campaign.id, SEVEN_DAYS + MINUTE) == []  # `other` has no moments


# --- internal notes -----------------------------------------------------------------------------


def test_notes_are_masked_listed_newest_first_and_removed_only_by_author_or_admin(app, told):
    _, moment = told
    author, other, admin = make_moderator(), make_moderator(), make_moderator("admin")
    first = notes.add(moment, "고객 연락처 010-2345-6789 확인 필요", by=author, now=TOLD)
    second = notes.add(moment, "송금팀에 전달했어요", by=other, now=TOLD + MINUTE)
    assert [n.id for n in notes.listed(moment)] == [second.id, first.id]
    assert "010-2345-6789" not in first.text and "[전화번호]" in first.text
    with pytest.raises(notes.NoteError) as refused:
        notes.remove(first, by=other)
    assert "쓴 사람이나 관리자만" in refused.value.message
    notes.remove(first, by=author)
    notes.remove(second, by=admin)
    db.session.flush()
    assert notes.listed(moment) == []
    trail = [e for e in audit.history("moment", moment.id)]
    assert [e.action for e in trail].count(AuditAction.NOTE_ADD) == 2
    assert [e.action for e in trail].count(AuditAction.NOTE_REMOVE) == 2
    assert all("송금팀" not in str(e.data) and "연락처" not in str(e.data) for e in trail)


@pytest.mark.parametrize(("text", "said"), [("   ", "메모를 써 주세요"), ("가" * 1001, "1,000자")])
def test_an_empty_or_too_long_note_is_refused_in_korean(app, told, text, said):
    _, moment = told
    with pytest.raises(notes.NoteError) as refused:
        notes.add(moment, text, by=make_moderator(), now=TOLD)
    assert said in refused.value.message and refused.value.field == "text"


def test_a_viewer_cannot_remove_even_their_own_note(app, told):
    _, moment = told
    note = notes.add(moment, "메모", by=make_moderator(), now=TOLD)
    viewer = make_moderator("viewer")
    note.author_id = viewer.id
    assert not notes.can_remove(note, viewer)
