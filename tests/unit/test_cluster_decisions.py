"""Re-clustering and people's decisions about clusters: humans always win."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.clustering import decisions, reads, recluster
from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, HiddenReason
from tests.factories import make_moderator
from tests.samples import THRESHOLDS, cluster_of


def test_recluster_groups_similar_moments_with_keywords(grouped_moments):
    _, moments = grouped_moments
    assert (
        len({cluster_of(m) for m in moments[:4]}) == 1
        and len({cluster_of(m) for m in moments[4:7]}) == 1
    )
    assert cluster_of(moments[0]) != cluster_of(moments[4]) and cluster_of(moments[7]) is None
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    assert {"점검", "이체"} <= set(maintenance.keywords)
    assert reads.sizes([cluster_of(moments[0])]) == {cluster_of(moments[0]): 4}
    assert cluster_of(moments[7]) is None


def test_a_second_run_keeps_cluster_ids_stable(grouped_moments):
    campaign, moments = grouped_moments
    before = [cluster_of(m) for m in moments]
    recluster.run(campaign, thresholds=THRESHOLDS)
    assert [cluster_of(m) for m in moments] == before


def test_renamed_merged_split_locked_clusters_and_moved_moments_survive_reclustering(
    grouped_moments,
):
    campaign, moments = grouped_moments
    moderator = make_moderator()
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    card = db.session.get(Cluster, cluster_of(moments[4]))
    decisions.rename(maintenance, "점검 시간 이체", by=moderator)
    new = decisions.split(maintenance, [moments[3].id], by=moderator, name="점검 불편 표현")
    decisions.move(
        moments[7], card, by=moderator
    )  # a person says this one belongs with the card group
    decisions.set_locked(card, True, by=moderator)
    db.session.commit()
    snapshot = {m.id: cluster_of(m) for m in moments}

    result = recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    assert {m.id: cluster_of(m) for m in moments} == snapshot
    assert result.kept == 8 and db.session.get(Cluster, maintenance.id).name == "점검 시간 이체"
    assert db.session.get(Cluster, new.id).decided


def test_merging_is_reversible_and_both_clusters_survive_reclustering(grouped_moments):
    campaign, moments = grouped_moments
    moderator = make_moderator()
    maintenance = db.session.get(Cluster, cluster_of(moments[0]))
    card = db.session.get(Cluster, cluster_of(moments[4]))
    assert decisions.merge(card, maintenance, by=moderator) == 3
    db.session.commit()
    assert all(cluster_of(m) == maintenance.id for m in moments[:7])
    recluster.run(campaign, thresholds=THRESHOLDS)
    db.session.commit()
    assert all(cluster_of(m) == maintenance.id for m in moments[:7])
    assert decisions.unmerge(card, by=moderator) == 3
    db.session.commit()
    assert {cluster_of(m) for m in moments[4:7]} == {card.id} and {
        cluster_of(m) for m in moments[:4]
    } == {maintenance.id}


def test_hidden_moments_leave_machine_groups(grouped_moments):
    from campaign import moderation

    campaign, moments = grouped_moments
    moderation.hide([moments[0]], HiddenReason.SPAM, by=make_moderator())
    recluster.run(campaign, thresholds=THRESHOLDS)
    assert cluster_of(moments[0]) is None


def test_cluster_status_moves_in_order_with_hold_and_reopen(grouped_moments):
    _, moments = grouped_moments
    moderator = make_moderator()
    cluster = db.session.get(Cluster, cluster_of(moments[0]))
    with pytest.raises(decisions.ClusterError):
        decisions.set_status(cluster, ClusterStatus.DONE, by=moderator)
    for status in (
        ClusterStatus.PLANNED,
        ClusterStatus.IN_PROGRESS,
        ClusterStatus.ON_HOLD,
        ClusterStatus.IN_PROGRESS,
        ClusterStatus.DONE,
        ClusterStatus.OPEN,
    ):
        decisions.set_status(cluster, status, by=moderator)
    assert cluster.status is ClusterStatus.OPEN and cluster.decided


def test_split_needs_some_but_not_all_members(grouped_moments):
    _, moments = grouped_moments
    cluster = db.session.get(Cluster, cluster_of(moments[4]))
    moderator = make_moderator()
    with pytest.raises(decisions.ClusterError):
        decisions.split(cluster, [], by=moderator)
    with pytest.raises(decisions.ClusterError):
        decisions.split(cluster, [m.id for m in moments[4:7]], by=moderator)


def test_every_decision_is_audited(grouped_moments):
    from campaign.models import AuditEvent

    _, moments = grouped_moments
    moderator = make_moderator()
    cluster = db.session.get(Cluster, cluster_of(moments[0]))
    decisions.rename(cluster, "이름", by=moderator)
    decisions.set_locked(cluster, True, by=moderator)
    decisions.move(moments[7], cluster, by=moderator)
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == moderator.id))
    )
    assert {"cluster_rename", "cluster_lock", "cluster_move"} <= actions
