"""Placing a moment as it arrives, the way a re-clustering would have placed it.

A moment that arrives after a re-clustering is encoded, weighted with the IDF weights that
re-clustering fitted (without them English collapses into a few groups), read with its nearest
stored neighbours, compared with the cluster sums and, if close enough, joins the nearest
cluster. Its vector waits on its own row (Moment.vector) until the next re-clustering folds it
in (see index.py).

For unit vectors, a vector's dot product with a cluster's sum divided by the cluster's size is
its average cosine similarity to the members, which is exactly the engine's average-linkage
rule: a moment joins a cluster on arrival when a re-clustering would have merged it there.

With the index loaded once per process, placing a moment costs encoding one text, a Kiwi pass
over it and a few matrix-vector products (`bench/cluster_bench.py --stored N` measures it
among N stored moments).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from sqlalchemy import select

from campaign.clustering import encoder, engine, features, index, keywords
from campaign.extensions import db
from campaign.models import Cluster, Moment, MomentStatus

# A moment that joins no cluster forms a new one on arrival with this many unclustered
# look-alikes (itself included); fewer wait for the next re-clustering.
NEW_GROUP_SIZE = 3


def place(moment: Moment, *, thresholds: dict[str, float]) -> Cluster | None:
    """Give a new moment its vector and, when it is close enough, a cluster: the nearest one
    it would have joined in a re-clustering, or a new one with enough unclustered look-alikes.
    Locked clusters take no newcomers. Does nothing before the campaign's first re-clustering.
    `thresholds` holds a cosine distance per space (config["CLUSTER_THRESHOLDS"])."""
    stored = index.load(moment.campaign_id)
    text = moment.body
    lang = features.language(text)
    if encoder.available() and moment.embedding is None:
        moment.embedding = encoder.pack(encoder.encode([text])[0])  # encoded once, on arrival
    weighted = None
    if stored is not None:
        weighted = stored.weighted(text, lang, encoder.unpack(moment.embedding))
    if weighted is None:
        db.session.flush()
        return None
    space_key, vector, signs = weighted
    space = index.current(stored, moment.campaign_id, space_key)
    vector = space.read(vector)
    moment.vector = index.pack(space_key, vector)
    floor = 1.0 - thresholds[space_key]
    means = space.cluster_means()  # once: copying every cluster's sum cost milliseconds a call
    cluster = _nearest_cluster(means, stored, vector, signs, floor)
    if cluster is None:
        cluster = _new_group(moment, lang, space, vector, signs, floor)
    if cluster is None and stored.loose_floor is not None:
        # As a re-clustering would: into the nearest sizeable cluster, flagged for a person.
        cluster = _nearest_cluster(
            means, stored, vector, signs, stored.loose_floor, min_size=engine.LOOSE_FROM_SIZE
        )
        moment.loosely_grouped = cluster is not None
    if cluster is not None:
        moment.cluster_id = cluster.id
    db.session.flush()
    return cluster


def _nearest_cluster(
    means, stored: index.Index, vector, signs, floor: float, min_size: int = 1
) -> Cluster | None:
    """The nearest live cluster, not locked, at least `floor` alike on average and of at
    least `min_size` members, whose predicates the newcomer does not contradict."""
    ids, sums, sizes = means
    if not len(ids):
        return None
    average = (sums @ vector) / sizes
    chosen = [i for i in index.top(average, 5) if average[i] >= floor and sizes[i] >= min_size]
    candidates = [int(ids[i]) for i in chosen]
    size = {int(ids[i]): float(sizes[i]) for i in chosen}
    alive = index.live(candidates)
    for cid in candidates:
        cluster = alive.get(cid)
        if cluster is None or cluster.locked:
            continue
        if engine.conflict(signs, stored.polarity.get(cid, {}), 1, size[cid]):
            continue
        return cluster
    return None


def _new_group(
    moment: Moment, lang: str, space: index.Space, vector, signs, floor: float
) -> Cluster | None:
    """A new cluster of the newcomer and its unclustered look-alikes, when there are enough of
    them that no person placed and no predicate sets apart; named after the newcomer."""
    others = _look_alikes(moment, space, vector, floor)
    if len(others) >= NEW_GROUP_SIZE - 1 and lang == "ko":
        analysed = features.analyse_many([m.body for m in others])
        others = [
            m
            for m, theirs in zip(others, analysed[1], strict=False)
            if not engine.conflict(signs, theirs)
        ]
    if len(others) < NEW_GROUP_SIZE - 1:
        return None
    members = [moment, *others]
    member_terms = [keywords.terms_of(m.body) for m in members]
    found = keywords.top_terms(member_terms, Counter(), len(members))
    one = np.ones((1, 1), dtype=np.float32)
    cluster = Cluster(
        campaign_id=moment.campaign_id,
        keywords=found,
        summary=keywords.summarise([moment], one, found, [False]),
    )
    db.session.add(cluster)
    db.session.flush()
    for m in others:
        m.cluster_id = cluster.id
    return cluster


def _look_alikes(moment: Moment, space: index.Space, vector, floor: float) -> list[Moment]:
    """Unclustered visible moments no person placed, at least `floor` alike (the 20 nearest);
    none unless there are enough to form a group."""
    rows, scores = space.loose_scores(vector)
    close = [space.id_at(int(rows[i])) for i in index.top(scores, 20) if scores[i] >= floor]
    close = [mid for mid in close if mid != moment.id]
    if len(close) < NEW_GROUP_SIZE - 1:
        return []
    return list(
        db.session.scalars(
            select(Moment).where(
                Moment.id.in_(close),
                Moment.cluster_id.is_(None),
                Moment.placed_by_human.is_(False),
                Moment.status != MomentStatus.HIDDEN,
            )
        )
    )
