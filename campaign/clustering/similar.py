"""What a moment or a cluster resembles: similar moments, the nearest clusters (merge
suggestions), and a cluster's profile (its most representative members, how alike they are,
and whether it looks like two problems). Read from the campaign's stored index (index.py);
nothing here changes a row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from campaign.clustering import features, index
from campaign.extensions import db
from campaign.models import Cluster, Moment, MomentStatus

# Below these average similarities a neighbour is noise, not worth a moderator's glance
# (unrelated texts score about 0 to 0.05; related clusters that stay apart 0.1 to 0.3).
SHOWN_FROM = 0.2
CLUSTERS_SHOWN_FROM = 0.12
# Merge suggestions: two clusters whose members are this alike on average were the same problem
# more often than not on the development complaints (62% of 24 pairs of clusters at the
# defaults, by the problem most of each cluster's members were written about; 37% from 0.15,
# 69% from 0.25). Below it a suggestion is noise a moderator learns to ignore.
MERGE_FROM = 0.2
# A cluster looks mixed (two_ways) when its smaller half holds at least this share of the
# members and each half is this much more alike within itself than between the two.
MIXED_SHARE = 0.2
MIXED_GAP = 0.1


@dataclass
class Similar:
    moments: list[tuple[Moment, float]]
    clusters: list[tuple[Cluster, float]]


def to_text(campaign_id: int, text: str, *, limit: int = 5) -> Similar:
    """The moments and clusters most like `text`, best first, with their average similarity.
    Hidden moments and merged-away clusters are left out."""
    stored = index.load(campaign_id)
    weighted = None
    if stored is not None:
        weighted = stored.weighted(text, features.language(text), None)
    if weighted is None:
        return Similar([], [])
    space = index.current(stored, campaign_id, weighted[0])
    return _similar(space, space.read(weighted[1]), limit, None)


def to_moment(moment: Moment, *, limit: int = 5) -> Similar:
    """The same for a stored moment, from its own vector (the moment itself left out)."""
    stored = index.load(moment.campaign_id)
    if moment.vector is not None:
        lang, vector = index.unpack(moment.vector)
    elif stored is not None and moment.id in stored.rows:
        lang, row = stored.rows[moment.id]
        vector = stored.parts[lang].vectors[row]
    else:
        return to_text(moment.campaign_id, moment.body, limit=limit)
    if stored is None:
        return Similar([], [])
    return _similar(index.current(stored, moment.campaign_id, lang), vector, limit, moment.id)


def _similar(space: index.Space, vector: np.ndarray, limit: int, exclude: str | None) -> Similar:
    scores = space.scores(vector)
    best = [
        (float(scores[i]), space.id_at(int(i)))
        for i in index.top(scores, limit * 3 + 1)
        if scores[i] >= SHOWN_FROM
    ]
    best = [(score, mid) for score, mid in best if mid != exclude]
    found = {
        m.id: m
        for m in db.session.scalars(
            select(Moment).where(
                Moment.id.in_([mid for _, mid in best]), Moment.status != MomentStatus.HIDDEN
            )
        )
    }
    moments = [(found[mid], score) for score, mid in best if mid in found][:limit]
    return Similar(moments, nearest_clusters(space, vector, limit))


def nearest_clusters(
    space: index.Space, vector: np.ndarray, limit: int, but: int | None = None
) -> list[tuple[Cluster, float]]:
    """Live clusters by their members' average similarity to `vector`, best first; a merged
    cluster's members count for the cluster they joined. `but` leaves one cluster out."""
    ids, sums, sizes = space.cluster_means()
    if not len(ids):
        return []
    average = (sums @ vector) / sizes
    order = [i for i in index.top(average, limit * 3) if average[i] >= CLUSTERS_SHOWN_FROM]
    alive = index.live([ids[i] for i in order])
    found: dict[int, tuple[Cluster, float]] = {}
    for i in order:
        cluster = alive.get(int(ids[i]))
        if cluster is not None and cluster.id != but and cluster.id not in found:
            found[cluster.id] = (cluster, float(average[i]))
    return list(found.values())[:limit]


@dataclass
class Profile:
    representatives: list[tuple[Moment, float]]
    neighbours: list[tuple[Cluster, float]]  # merge suggestions
    cohesion: float | None = None  # members' average similarity to one another
    split: list[str] | None = None  # when the cluster looks mixed: the members of its smaller half


def cohesion(vectors: np.ndarray) -> float | None:
    """Average cosine similarity over all pairs of distinct members (unit rows)."""
    n = len(vectors)
    if n < 2:
        return None
    total = vectors.sum(axis=0)
    return float((total @ total - np.einsum("nd,nd->", vectors, vectors)) / (n * (n - 1)))


def two_ways(vectors: np.ndarray) -> np.ndarray | None:
    """When the members fall into two groups that would not be taken for one problem, a mask of
    the smaller one; else None.

    Two-means on the sphere, seeded with the most central member and the one least like the
    rest. It looks mixed when each half holds at least MIXED_SHARE of the members (and three),
    the halves are less alike on average than MERGE_FROM (what the development complaints
    showed to mean "the same problem"), and each half is clearly more alike within itself."""
    n = len(vectors)
    if n < 6:
        return None
    side = _halves(vectors)
    if side is None:
        return None
    small = side if side.sum() <= n / 2 else ~side
    if small.sum() < max(3, MIXED_SHARE * n):
        return None
    a, b = vectors[small], vectors[~small]
    between = float(a.sum(axis=0) @ b.sum(axis=0)) / (len(a) * len(b))
    within = min(cohesion(a) or 0, cohesion(b) or 0)
    return small if between < MERGE_FROM and within > between + MIXED_GAP else None


def _halves(vectors: np.ndarray) -> np.ndarray | None:
    """Two-means on the sphere in ten rounds: a mask of one side, None when a side empties."""
    mean = vectors.mean(axis=0)
    seeds = vectors[[int(np.argmax(vectors @ mean)), int(np.argmin(vectors @ mean))]]
    side = np.zeros(len(vectors), dtype=bool)
    for _ in range(10):
        side = (vectors @ seeds[1]) > (vectors @ seeds[0])
        if side.all() or not side.any():
            return None
        seeds = np.stack([vectors[~side].mean(axis=0), vectors[side].mean(axis=0)])
        seeds /= np.linalg.norm(seeds, axis=1, keepdims=True)
    return side


def profile(cluster: Cluster, *, limit: int = 3) -> Profile:
    """A cluster's most representative members (closest to its centre) and the clusters
    closest to it, from its members as they are now (merges, splits and moves included).
    Without the encoder a cluster may hold several languages: the one with most members
    speaks for it."""
    stored = index.load(cluster.campaign_id)
    if stored is None:
        return Profile([], [])
    member_ids = set(
        db.session.scalars(
            select(Moment.id).where(
                Moment.cluster_id == cluster.id, Moment.status != MomentStatus.HIDDEN
            )
        )
    )
    best: tuple[int, Profile] | None = None
    for key in index.SPACES:
        if not len(stored.parts[key].ids):
            continue
        space = index.current(stored, cluster.campaign_id, key)
        names, members = _members_in(space, stored, key, member_ids)
        if not len(names) or (best is not None and len(names) <= best[0]):
            continue
        best = (len(names), _profile_in(space, cluster, names, members, limit))
    return best[1] if best else Profile([], [])


def _members_in(space: index.Space, stored: index.Index, key: str, member_ids: set[str]):
    """The cluster's member ids in one space, and their vectors (index rows, then newcomers)."""
    rows = [stored.rows[mid][1] for mid in member_ids if stored.rows.get(mid, ("", 0))[0] == key]
    newcomers = [i for i, mid in enumerate(space.ids) if mid in member_ids]
    members = np.concatenate([space.base.vectors[rows], space.vectors[newcomers]])
    names = [str(space.base.ids[i]) for i in rows] + [space.ids[i] for i in newcomers]
    return names, members


def _profile_in(
    space: index.Space, cluster: Cluster, names: list[str], members: np.ndarray, limit: int
) -> Profile:
    mean = members.mean(axis=0)
    centrality = members @ mean
    smaller = two_ways(members)
    split = [names[i] for i in np.flatnonzero(smaller)] if smaller is not None else None
    chosen = np.argsort(-centrality)[:limit]
    found = {
        m.id: m
        for m in db.session.scalars(select(Moment).where(Moment.id.in_([names[i] for i in chosen])))
    }
    representatives = [(found[names[i]], float(centrality[i])) for i in chosen if names[i] in found]
    nearest = nearest_clusters(space, mean, limit + 2, but=cluster.id)
    neighbours = [(c, score) for c, score in nearest if score >= MERGE_FROM]
    return Profile(representatives, neighbours, cohesion(members), split)
