"""중요한 순: size × severity × growth, each part as the cluster list explains it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from campaign import desk_pages, ranking
from campaign.extensions import db
from campaign.models import Cluster, MomentStatus
from tests.factories import make_moment

NOW = datetime(2026, 11, 20, 3, 30)


def test_severity_is_the_mean_answer_pulled_towards_three_by_two_imagined_answers():
    assert ranking.severity(0, 0) == 3.0  # nobody answered: the middle
    assert ranking.severity(5, 1) == pytest.approx(11 / 3)  # one loud 5 is not a 5
    assert ranking.severity(50, 10) == pytest.approx(56 / 12)  # ten 5s come close
    assert ranking.severity(10, 10) == pytest.approx(16 / 12)  # ten 1s pull it down


def test_growth_is_the_last_seven_days_over_the_seven_before_each_plus_one():
    assert ranking.growth(0, 0) == 1.0
    assert ranking.growth(9, 1) == 5.0
    assert ranking.growth(0, 9) == 0.1
    assert ranking.growth(20, 0) == 21.0


def test_the_score_multiplies_size_severity_and_growth():
    assert ranking.score(40, 0, 0, 0, 0) == 120.0
    assert ranking.score(10, 20, 4, 9, 1) == pytest.approx(10 * (26 / 6) * 5.0)


def _cluster(campaign) -> Cluster:
    made = Cluster(campaign_id=campaign.id)
    db.session.add(made)
    db.session.flush()
    return made


def test_ranks_count_visible_moments_answers_and_both_weeks(app, campaign):
    group = _cluster(campaign)
    for days, severity in ((1, 5), (2, 4), (3, None), (9, 2), (13, None), (20, 1)):
        make_moment(
            campaign, cluster_id=group.id, received=NOW - timedelta(days=days), severity=severity
        )
    make_moment(
        campaign,
        cluster_id=group.id,
        received=NOW - timedelta(days=1),
        severity=5,
        status=MomentStatus.HIDDEN,
    )
    rank = ranking.ranks([group.id], NOW)[group.id]
    assert (rank.size, rank.severity_total, rank.answered) == (6, 12, 4)
    assert (rank.recent, rank.previous) == (3, 2)
    assert rank.mean_severity == 3.0
    assert rank.score == pytest.approx(6 * (18 / 6) * (4 / 3))
    assert ranking.ranks([], NOW) == {}


def test_the_cluster_list_can_put_the_most_important_first(app, campaign):
    big_and_old, small_and_growing, mild = (_cluster(campaign) for _ in range(3))
    for _ in range(30):  # 30 moments, all a month ago: 30 × 3 × 1
        make_moment(campaign, cluster_id=big_and_old.id, received=NOW - timedelta(days=30))
    for _ in range(8):  # 8 this week, answered 5: 8 × (46 / 10) × 9
        make_moment(campaign, cluster_id=small_and_growing.id, received=NOW, severity=5)
    for _ in range(8):  # the same growth, answered 1: 8 × (14 / 10) × 9
        make_moment(campaign, cluster_id=mild.id, received=NOW, severity=1)
    db.session.commit()
    shown = desk_pages.clusters_page(campaign.id, order="rank", now=NOW, regression=(5, 14))
    assert [c.id for c in shown.rows] == [small_and_growing.id, mild.id, big_and_old.id]
    assert shown.ranks[mild.id].score == pytest.approx(8 * 1.4 * 9)
    by_size = desk_pages.clusters_page(campaign.id, order="size", now=NOW, regression=(5, 14))
    assert by_size.rows[0].id == big_and_old.id
