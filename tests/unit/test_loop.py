"""When a fix stops taking credit, what a receipt may claim, and the one answer it gives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from campaign import fixes, loop
from campaign.campaigns import local_today
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, FixProgress, MomentStatus, utcnow
from tests.factories import make_moderator, make_moment
from tests.samples import cluster_of

SEOUL_DAY = date(2026, 11, 20)  # 00:00 in Seoul is 15:00 UTC the day before


@pytest.fixture
def linked(grouped_moments):
    """A draft fix for the maintenance cluster, whose four moments came in on 11-10."""
    campaign, moments = grouped_moments
    for moment in moments:
        moment.received_hour = datetime(2026, 11, 10, 5)
    admin = make_moderator()
    fix = fixes.create_fix(
        campaign, fixes.FixFields(title="점검 시간에도 이체를 예약할 수 있어요"), by=admin
    )
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    fixes.link_cluster(fix, maintenance, by=admin)
    db.session.commit()
    return fix, maintenance, moments, admin


def finish(fix, admin, *, shipped_on=None, published_at=None, today=None):
    fix.shipped_on = shipped_on
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin, today=today)
    if published_at is not None:
        fixes.publish(fix, by=admin, now=published_at)


def arrive(fix, cluster, at: datetime):
    return make_moment(fix.campaign, received=at, cluster_id=cluster.id)[0]


def test_a_fix_published_on_its_ship_day_stops_taking_credit_when_published(linked):
    fix, maintenance, _, admin = linked
    finish(
        fix, admin, shipped_on=SEOUL_DAY, published_at=datetime(2026, 11, 20, 1)
    )  # 10:00 in Seoul
    morning = arrive(fix, maintenance, datetime(2026, 11, 20, 0))  # 09:00 in Seoul
    evening = arrive(
        fix, maintenance, datetime(2026, 11, 20, 10)
    )  # 19:00 in Seoul, after publishing
    assert fixes.published_for(morning).led_to == [fix]
    assert fixes.published_for(evening).already == [fix]


def test_a_fix_published_after_its_ship_day_answers_the_whole_ship_day(linked):
    fix, maintenance, _, admin = linked
    finish(fix, admin, shipped_on=SEOUL_DAY, published_at=datetime(2026, 11, 22, 1))
    last_minute = arrive(
        fix, maintenance, datetime(2026, 11, 20, 14)
    )  # 23:00 in Seoul on the ship day
    next_day = arrive(fix, maintenance, datetime(2026, 11, 20, 15))  # 00:00 in Seoul the day after
    assert fixes.published_for(last_minute).led_to == [fix]
    assert fixes.published_for(next_day).already == [fix]


def test_finishing_a_fix_without_a_ship_day_ships_it_today(linked):
    fix, _, _, admin = linked
    finish(fix, admin, today=date(2026, 11, 25))
    assert fix.shipped_on == date(2026, 11, 25)


def test_a_ship_day_still_to_come_is_refused_for_a_finished_fix(linked):
    fix, _, _, admin = linked
    fix.shipped_on = local_today() + timedelta(days=3)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    with pytest.raises(fixes.FixError, match="아직 오지 않았어요"):
        fixes.set_progress(fix, FixProgress.DONE, by=admin)
    assert fix.progress is FixProgress.IN_PROGRESS
    fix.shipped_on = local_today()
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    with pytest.raises(fixes.FixError, match="오늘이나 그 전"):
        fixes.update_fix(
            fix,
            fixes.FixFields(title=fix.title, shipped_on=local_today() + timedelta(days=1)),
            by=admin,
        )


def test_counts_and_receipts_follow_a_chain_of_merges(linked):
    fix, maintenance, moments, admin = linked
    lost = db.session.get(Cluster, cluster_of(moments[4]))
    third = Cluster(campaign_id=fix.campaign_id)
    db.session.add(third)
    db.session.flush()
    decisions.merge(maintenance, lost, by=admin)
    decisions.merge(lost, third, by=admin)
    assert fixes.counts([fix])[fix.id] == 7
    fixes.publish(fix, by=admin, now=utcnow())
    assert fixes.published_for(moments[0]).led_to == [fix]


def test_a_receipt_says_fixed_only_when_every_public_fix_it_led_to_is_finished(linked):
    fix, maintenance, moments, admin = linked
    other = fixes.create_fix(
        fix.campaign, fixes.FixFields(title="점검이 언제 끝나는지 알려드려요"), by=admin
    )
    fixes.link_cluster(other, maintenance, by=admin)
    finish(fix, admin, shipped_on=SEOUL_DAY, published_at=datetime(2026, 11, 21))
    fixes.publish(other, by=admin, now=datetime(2026, 11, 21))
    shown = loop.receipt(moments[0])
    assert not shown.fixed and [s.key for s in shown.stages if s.done][-1] == "planned"
    assert shown.ask == fix  # the finished one may still be asked about


def test_a_desk_status_alone_never_says_fixed(linked):
    _, maintenance, moments, _ = linked
    maintenance.status = ClusterStatus.DONE  # set on the desk, no public fix
    shown = loop.receipt(moments[0])
    assert [s.key for s in shown.stages if s.done] == [
        "received",
        "clustered",
        "planned",
        "in_progress",
    ]


def test_a_person_confirming_the_group_changes_how_the_receipt_speaks_of_it(linked):
    _, _, moments, admin = linked
    assert not loop.receipt(moments[0]).confirmed
    moments[0].status = MomentStatus.GROUPED
    shown = loop.receipt(moments[0])
    assert shown.confirmed and shown.stages[1].label == "비슷한 이야기와 함께 묶었어요"
    assert shown.stages[2].label == "담당자가 살펴봤어요" and shown.stages[2].done


def test_the_answer_note_is_masked_before_its_length_is_checked(linked):
    fix, _, moments, admin = linked
    finish(fix, admin, shipped_on=SEOUL_DAY, published_at=datetime(2026, 11, 21))
    names = " ".join(["김민수 님"] * 60)[: loop.NOTE_MAX_CHARS]  # fits as typed, longer once masked
    masked = fixes.privacy.mask_pii(names).text
    assert len(masked) > loop.NOTE_MAX_CHARS
    with pytest.raises(loop.LoopError, match="가린 뒤의 글이"):
        loop.answer(moments[0], resolved=False, note=names, today=SEOUL_DAY)
    given = loop.answer(
        moments[0], resolved=False, note="김민수 님께 연락이 안 왔어요", today=SEOUL_DAY
    )
    assert "김민수" not in given.note and len(given.note) <= loop.NOTE_MAX_CHARS


def test_a_cluster_that_follows_a_public_fix_takes_no_status_from_the_desk(linked):
    fix, maintenance, _, admin = linked
    fixes.publish(fix, by=admin, now=utcnow())
    assert maintenance.status is ClusterStatus.PLANNED
    with pytest.raises(decisions.ClusterError, match="진행 상태를 따라가는"):
        decisions.set_status(maintenance, ClusterStatus.ON_HOLD, by=admin)
