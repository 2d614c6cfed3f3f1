"""Fixes: publishing closes the loop, retracting undoes it, and counts follow merges."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from campaign import analytics, fixes
from campaign.campaigns import local_time
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, FixProgress, FixState, Moment, utcnow
from tests.factories import make_moderator, make_moment
from tests.samples import cluster_of


@pytest.fixture
def drafted(grouped_moments):
    campaign, moments = grouped_moments
    admin = make_moderator()
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title="점검 시간에도 이체를 예약할 수 있어요",
            summary="밤에도 예약해 두면 점검이 끝나자마자 보내요",
        ),
        by=admin,
    )
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    fixes.link_cluster(fix, maintenance, by=admin)
    db.session.commit()
    return fix, maintenance, moments, admin


def test_a_fix_counts_the_distinct_moments_of_its_clusters_and_direct_links(drafted):
    fix, _, moments, admin = drafted
    assert fixes.counts([fix])[fix.id] == 4
    fixes.link_moment(fix, moments[0], by=admin)  # already counted through the cluster
    fixes.link_moment(fix, moments[7], by=admin)
    assert fixes.counts([fix])[fix.id] == 5


def test_counts_follow_merges_in_either_direction(drafted):
    fix, maintenance, moments, admin = drafted
    lost = db.session.get(Cluster, cluster_of(moments[4]))
    decisions.merge(lost, maintenance, by=admin)  # another cluster merged into the linked one
    assert fixes.counts([fix])[fix.id] == 7
    decisions.unmerge(lost, by=admin)
    decisions.merge(maintenance, lost, by=admin)  # the linked cluster merged away
    assert fixes.counts([fix])[fix.id] == 7


def led_to(moment):
    return fixes.published_for(moment).led_to


def test_publishing_gives_clusters_the_fix_progress_and_retracting_restores_them(drafted):
    fix, maintenance, moments, admin = drafted
    maintenance.status = ClusterStatus.PLANNED
    assert led_to(moments[0]) == []
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    assert fix.state is FixState.PUBLISHED and fix.published_at is not None
    assert maintenance.status is ClusterStatus.IN_PROGRESS  # not 개선 완료: it is not done
    assert led_to(moments[1]) == [fix] and led_to(moments[7]) == []

    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    assert maintenance.status is ClusterStatus.DONE
    fixes.retract(fix, by=admin)
    assert maintenance.status is ClusterStatus.PLANNED and led_to(moments[1]) == []
    fixes.publish(fix, by=admin, now=utcnow())
    assert led_to(moments[1]) == [fix] and maintenance.status is ClusterStatus.DONE


def test_a_cluster_is_done_only_when_every_public_fix_for_it_is(drafted):
    fix, maintenance, _, admin = drafted
    other = fixes.create_fix(
        fix.campaign, fixes.FixFields(title="점검이 언제 끝나는지 알려드려요"), by=admin
    )
    fixes.link_cluster(other, maintenance, by=admin)
    for f in (fix, other):
        fixes.set_progress(f, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    fixes.publish(other, by=admin, now=utcnow())
    assert maintenance.status is ClusterStatus.IN_PROGRESS
    fixes.unlink_cluster(other, maintenance, by=admin)
    assert maintenance.status is ClusterStatus.DONE
    fixes.retract(fix, by=admin)
    assert maintenance.status is ClusterStatus.OPEN


def test_a_fix_answers_only_moments_told_before_it_shipped(drafted):
    fix, maintenance, moments, admin = drafted
    for moment in moments:
        moment.received_hour = datetime(2026, 11, 10, 5)
    fix.shipped_on = date(2026, 11, 20)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=datetime(2026, 11, 21, 3))
    before = fixes.counts([fix])[fix.id]
    # 2026-11-20 23:30 in Seoul is still the ship day; 11-21 00:30 in Seoul is after it.
    on_the_day = make_moment(
        fix.campaign, received=datetime(2026, 11, 20, 14), cluster_id=maintenance.id
    )[0]
    later = make_moment(
        fix.campaign, received=datetime(2026, 11, 20, 15), cluster_id=maintenance.id
    )[0]
    assert fixes.counts([fix])[fix.id] == before + 1
    assert fixes.after_counts([fix])[fix.id] == 1
    assert led_to(on_the_day) == [fix] and led_to(later) == []
    assert fixes.published_for(later).already == [fix]
    assert fixes.moment_dates(fix)[1] < datetime(2026, 11, 20, 15)


def test_a_later_arrival_to_an_unfinished_public_fix_is_told_it_is_under_way(drafted):
    fix, maintenance, _, admin = drafted
    fixes.publish(fix, by=admin, now=datetime(2026, 11, 21, 3))
    later = make_moment(
        fix.campaign, received=datetime(2026, 11, 22, 3), cluster_id=maintenance.id
    )[0]
    found = fixes.published_for(later)
    assert found.led_to == [] and found.already == [] and found.underway == [fix]
    assert fixes.after_counts([fix])[fix.id] == 0  # only a finished fix counts "고친 뒤에도"


def test_state_changes_only_through_the_allowed_steps(drafted):
    fix, _, _, admin = drafted
    with pytest.raises(fixes.FixError):
        fixes.retract(fix, by=admin)  # a draft was never public
    empty = fixes.create_fix(
        fix.campaign, fixes.FixFields(title="아무것도 잇지 않은 개선"), by=admin
    )
    with pytest.raises(fixes.FixError):
        fixes.publish(empty, by=admin, now=utcnow())
    assert empty.state is FixState.DRAFT
    with pytest.raises(fixes.FixError):
        fixes.set_progress(
            fix, fixes.FixProgress.DONE, by=admin
        )  # 개선 예정 → 개선 완료 skips a step


def test_a_quote_starts_masked_can_be_generalised_and_never_changes_the_moment(drafted):
    fix, _, moments, admin = drafted
    moment = make_moment(
        fix.campaign, body="강남지점에서 3,450,000원을 보냈는데 [전화번호]로 연락이 없었어요"
    )[0]
    quote = fixes.add_quote(fix, moment, None, by=admin)
    assert quote.text == moment.body
    fixes.edit_quote(
        fix, quote, "지점에서 큰돈을 보냈는데 010-1234-5678 로 연락이 없었어요", by=admin
    )
    assert "010" not in quote.text and "[전화번호]" in quote.text
    assert db.session.get(Moment, moment.id).body.startswith("강남지점")


def test_public_stats_fold_small_categories_into_other(app, campaign):
    for category, n in (("송금", 12), ("카드", 3), (None, 8)):
        for _ in range(n):
            make_moment(campaign, category=category)
    stats = analytics.public_stats(min_group=10, min_sample=1)
    assert stats.moments == 23
    assert [(label, n) for label, n, _ in stats.by_category] == [("송금", 12), ("기타", 11)]


def test_median_days_from_first_moment_to_fix(drafted):
    fix, _, moments, admin = drafted
    for moment in moments:
        moment.received_hour -= timedelta(days=30)
    first, _ = fixes.moment_dates(fix)
    fix.shipped_on = local_time(first).date() + timedelta(days=9)  # days are Korean calendar days
    fixes.set_progress(fix, fixes.FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, fixes.FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    stats = analytics.public_stats(min_group=10, min_sample=1)
    assert stats.fixes_shipped == 1 and stats.days_to_fix == analytics.Median(9, 1)
    assert analytics.public_stats(min_group=10, min_sample=3).days_to_fix == analytics.Median(
        None, 1
    )
