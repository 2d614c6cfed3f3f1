"""급증: the spike rule on daily counts in Korean days, with the clock stopped at chosen times,
and the alert that fires once per spike."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from scipy.stats import poisson

from campaign import spikes
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import Cluster, MomentStatus, SpikeAlert
from tests.factories import make_moderator, make_moment

RULE = spikes.Rule()  # the defaults: p < 0.001, at least 5, 14 days, floor 0.5 a day


def kst(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A Korean wall-clock time in 2026 as the naive UTC the app stores."""
    return datetime(2026, month, day, hour, minute) - timedelta(hours=9)


NOW = kst(20, 12, 30)  # 20 November, 12:30 in Seoul


def cluster(campaign) -> Cluster:
    made = Cluster(campaign_id=campaign.id)
    db.session.add(made)
    db.session.flush()
    return made


def tell(campaign, group: Cluster, at: datetime, n: int = 1, **fields) -> None:
    for _ in range(n):
        make_moment(campaign, received=at, cluster_id=group.id, **fields)


def steady(campaign, group: Cluster, per_day: int, days: range) -> None:
    """`per_day` moments at 10:00 in Seoul on each of these November days."""
    for day in days:
        tell(campaign, group, kst(day, 10), per_day)


def verdict(campaign, group: Cluster, now: datetime = NOW, rule=RULE) -> spikes.Verdict | None:
    return spikes.verdicts(campaign.id, now, rule).get(group.id)


# ---- the tail probability --------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, mean",
    [(0, 2.0), (1, 0.5), (5, 0.5), (9, 2.0), (3, 10.0), (22, 10.0), (60, 10.0), (900, 800.0)],
)
def test_the_upper_tail_is_the_poisson_survival_function(n, mean):
    assert spikes.upper_tail(n, mean) == pytest.approx(
        poisson.sf(n - 1, mean), rel=1e-9, abs=1e-300
    )


def test_the_tail_of_a_huge_count_is_tiny_but_never_negative_or_nan():
    p = spikes.upper_tail(5000, 3.0)
    assert 0.0 <= p < 1e-300


@pytest.mark.parametrize("per_day, needed", [(0.5, 5), (1.0, 6), (2.0, 9), (10.0, 22), (30.0, 49)])
def test_how_many_in_a_day_make_a_spike_at_each_usual_rate(per_day, needed):
    days = 14
    baseline = round(per_day * days)
    assert spikes.judge(needed, baseline, days, RULE).spike
    assert not spikes.judge(needed - 1, baseline, days, RULE).spike


# ---- the rule on stored moments --------------------------------------------------------------


def test_a_steady_cluster_is_not_a_spike(app, campaign):
    group = cluster(campaign)
    steady(campaign, group, 3, range(1, 21))  # 3 a day for 20 days, today's included
    tell(campaign, group, kst(19, 22), 3)  # and 3 more last night: 6 in the last 24 hours
    found = verdict(campaign, group)
    assert found.moments == 6 and found.expected == 3.0
    assert not found.spike and found.p > 0.05
    assert spikes.current(campaign.id, NOW, RULE) == []


def test_a_jump_well_past_the_usual_rate_is_a_spike(app, campaign):
    group, quiet = cluster(campaign), cluster(campaign)
    steady(campaign, group, 2, range(5, 19))  # 2 a day over the 14 baseline days
    steady(campaign, quiet, 2, range(5, 21))
    tell(campaign, group, kst(20, 9), 7)  # 7 this morning and the usual 2 yesterday afternoon
    tell(campaign, group, kst(19, 15), 2)
    [spike] = spikes.current(campaign.id, NOW, RULE)
    assert spike.cluster.id == group.id
    assert (spike.moments, spike.expected) == (9, 2.0)
    assert spike.p == pytest.approx(poisson.sf(8, 2.0)) and spike.p < 0.001


def test_one_moment_fewer_than_the_threshold_is_no_spike(app, campaign):
    group = cluster(campaign)
    steady(campaign, group, 2, range(5, 19))
    tell(campaign, group, kst(20, 9), 8)  # P(X >= 8; 2) = 0.0011: not below 0.001
    assert not verdict(campaign, group).spike


def test_a_brand_new_cluster_needs_the_minimum_size(app, campaign):
    group = cluster(campaign)
    tell(campaign, group, kst(20, 8), 4)
    assert verdict(campaign, group) is None  # under the minimum: not even judged
    lenient = spikes.Rule(floor_per_day=0.1)  # P(X >= 4; 0.1) is tiny, but 4 is still too few
    assert verdict(campaign, group, rule=lenient) is None
    tell(campaign, group, kst(20, 11))
    found = verdict(campaign, group)
    assert (found.moments, found.expected) == (5, 0.5) and found.spike


def test_a_young_cluster_is_measured_against_the_days_since_its_first_moment(app, campaign):
    group = cluster(campaign)
    steady(campaign, group, 10, range(17, 19))  # born on the 17th: 10 a day, not 20 in 14 days
    tell(campaign, group, kst(20, 9), 12)
    found = verdict(campaign, group)
    assert found.expected == 10.0 and not found.spike


def test_the_baseline_is_counted_in_korean_days_not_utc_days(app, campaign):
    late, early = cluster(campaign), cluster(campaign)
    # 23:30 on the 18th in Seoul is the day before yesterday: baseline. 00:30 on the 19th is
    # yesterday (though still the 18th in UTC): never baseline, and before the last 24 hours.
    tell(campaign, late, kst(18, 23, 30), 7)
    tell(campaign, early, kst(19, 0, 30), 7)
    for group in (late, early):
        tell(campaign, group, kst(20, 9), 5)
    assert verdict(campaign, late).expected == 7.0
    assert verdict(campaign, early).expected == RULE.floor_per_day
    assert verdict(campaign, early).moments == 5


def test_a_burst_across_korean_midnight_is_one_spike_that_alerts_once(app, campaign):
    group = cluster(campaign)
    steady(campaign, group, 1, range(5, 20))
    tell(campaign, group, kst(20, 23), 3)
    before_midnight = kst(20, 23, 40)
    assert verdict(campaign, group, before_midnight) is None  # 3 today: under the minimum
    assert spikes.detect_new(campaign.id, before_midnight, RULE) == []
    tell(campaign, group, kst(21, 0), 4)
    after_midnight = kst(21, 0, 20)
    # Today (the 21st) holds only 4, under the minimum; the last 24 hours hold 7 against 1 a day.
    found = verdict(campaign, group, after_midnight)
    assert (found.moments, found.expected) == (7, 1.0) and found.spike
    [new] = spikes.detect_new(campaign.id, after_midnight, RULE)
    assert new.cluster.id == group.id
    assert spikes.detect_new(campaign.id, after_midnight + timedelta(minutes=5), RULE) == []
    assert spikes.detect_new(campaign.id, kst(21, 9), RULE) == []  # still the same spike


def test_a_spike_alerts_again_only_after_it_has_ended(app, campaign):
    group = cluster(campaign)
    tell(campaign, group, kst(20, 9), 6)
    assert [s.cluster.id for s in spikes.detect_new(campaign.id, NOW, RULE)] == [group.id]
    assert spikes.detect_new(campaign.id, NOW + timedelta(hours=3), RULE) == []
    quiet = NOW + timedelta(hours=25)  # the six have left the last 24 hours
    assert spikes.current(campaign.id, quiet, RULE) == []
    assert spikes.detect_new(campaign.id, quiet, RULE) == []
    [ended] = db.session.query(SpikeAlert).all()
    assert ended.ended_at == quiet and (ended.moments, ended.expected) == (6, 0.5)
    tell(campaign, group, quiet, 30)  # a new burst
    assert [s.cluster.id for s in spikes.detect_new(campaign.id, quiet, RULE)] == [group.id]
    assert db.session.query(SpikeAlert).filter(SpikeAlert.ended_at.is_(None)).count() == 1


def test_a_spike_nobody_checked_for_a_day_is_over_and_the_next_one_is_new(app, campaign):
    group = cluster(campaign)
    tell(campaign, group, kst(20, 9), 6)
    assert len(spikes.detect_new(campaign.id, NOW, RULE)) == 1
    later = NOW + timedelta(days=2)
    tell(campaign, group, later, 40)
    assert [s.cluster.id for s in spikes.detect_new(campaign.id, later, RULE)] == [group.id]


def test_hidden_moments_do_not_count(app, campaign):
    group = cluster(campaign)
    tell(campaign, group, kst(20, 9), 4)
    tell(campaign, group, kst(20, 9), 3, status=MomentStatus.HIDDEN)
    assert verdict(campaign, group) is None


def test_a_merged_cluster_passes_its_spike_to_the_cluster_it_joined(app, campaign):
    source, into = cluster(campaign), cluster(campaign)
    tell(campaign, source, kst(20, 9), 6)
    decisions.merge(source, into, by=make_moderator())
    db.session.flush()
    assert [s.cluster.id for s in spikes.current(campaign.id, NOW, RULE)] == [into.id]


def test_the_rule_comes_from_the_settings(make_app):
    app = make_app(SPIKE_P="0.01", SPIKE_MIN_MOMENTS=3, SPIKE_BASELINE_DAYS=7)
    with app.app_context():
        rule = spikes.Rule.configured()
    assert rule == spikes.Rule(p=0.01, min_moments=3, baseline_days=7, floor_per_day=0.5)
    assert RULE.percent == "0.1"


def test_alerts_hold_spikes_and_urgent_moments_nobody_has_looked_at(app, campaign):
    group = cluster(campaign)
    tell(campaign, group, kst(20, 9), 6)
    make_moment(campaign, received=kst(20, 10), urgent=True, body="사기 문자를 받고 돈을 보냈어요")
    make_moment(campaign, received=kst(20, 11), urgent=True, status=MomentStatus.IN_REVIEW)
    shown = spikes.alerts(campaign.id, NOW, RULE)
    assert [s.cluster.id for s in shown.spikes] == [group.id] and shown.by_cluster.keys() == {
        group.id
    }
    assert shown.urgent_waiting == 1 and [m.body for m in shown.urgent] == [
        "사기 문자를 받고 돈을 보냈어요"
    ]
    assert not spikes.alerts(None, NOW, RULE)
