"""Re-clustering a campaign's moments without overruling anyone.

Moments a person placed, and clusters a person decided on (renamed, merged, split, locked,
tagged or routed), stay exactly as they are. Everything else is grouped afresh with the
engine; a new group takes over the id of the old machine cluster it overlaps most, so links and
counts stay stable from one run to the next. The run ends by storing the campaign's index
(index.py), so moments arriving later are placed the same way (placement.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import undefer
from sqlalchemy.orm.attributes import set_committed_value

from campaign.clustering import encoder, engine, index, keywords
from campaign.extensions import db
from campaign.models import Campaign, Cluster, Moment, MomentStatus, utcnow


@dataclass(frozen=True)
class Regrouped:
    groups: int
    clustered: int
    unclustered: int
    kept: int


def run(
    campaign: Campaign,
    *,
    thresholds: dict[str, float],
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Regrouped:
    """Regroup every moment no person placed, keep every cluster a person decided on, and store
    the campaign's index so moments arriving later are placed the same way. `thresholds` holds a
    cosine distance per space (config["CLUSTER_THRESHOLDS"]); `progress` is told how many texts
    were encoded.

    A new group (or a lone moment) joins a decided cluster that is not locked when its average
    similarity to it passes the threshold, so a named cluster keeps gathering its newcomers."""
    moments = list(
        db.session.scalars(
            select(Moment)
            .options(undefer(Moment.embedding))
            .where(Moment.campaign_id == campaign.id)
            .order_by(Moment.id)
        )
    )
    clusters = {
        c.id: c
        for c in db.session.scalars(select(Cluster).where(Cluster.campaign_id == campaign.id))
    }
    kept = {m.id for m in moments if _kept_by_people(m, clusters)}
    visible, free = _visible_and_free(moments, kept)
    stored = [encoder.unpack(m.embedding) for m in visible]
    embedding = engine.embed([m.body for m in visible], stored, progress)
    _store_meanings(visible, stored, embedding)
    grouped = engine.group(embedding, thresholds, subset=free)
    homes = _Homes(campaign, visible, embedding, grouped, clusters, thresholds)
    placed = homes.place(_free_groups(free, grouped.labels))
    db.session.flush()  # new clusters get their ids in one batch (one flush each: 3 s at 10,000)
    _write(placed, {visible[i].id for i in free.tolist() if grouped.loose[i]})
    homes.drop_unused()
    db.session.flush()
    index.save(campaign, embedding, visible, now or utcnow(), loose_floor=grouped.loose_floor)
    clustered = sum(len(members) for _, members in placed)
    return Regrouped(
        groups=len(homes.reused) + homes.created,
        clustered=clustered,
        unclustered=len(free) - clustered,
        kept=len(kept),
    )


def _kept_by_people(m: Moment, clusters: dict[int, Cluster]) -> bool:
    """A moment stays where it is when a person placed it, or its cluster is decided or locked."""
    cluster = clusters.get(m.cluster_id) if m.cluster_id else None
    return m.placed_by_human or (cluster is not None and (cluster.decided or cluster.locked))


def _visible_and_free(moments: list[Moment], kept: set[str]) -> tuple[list[Moment], np.ndarray]:
    """The moments that are not hidden, and the rows among them the engine may regroup (no
    person keeps them where they are). Hidden moments (spam, abuse) leave their machine group."""
    for m in moments:
        if m.status is MomentStatus.HIDDEN and m.id not in kept:
            m.cluster_id = None
    visible = [m for m in moments if m.status is not MomentStatus.HIDDEN]
    free = np.array([i for i, m in enumerate(visible) if m.id not in kept], dtype=np.int64)
    return visible, free


def _free_groups(free: np.ndarray, labels: np.ndarray) -> list[list[int]]:
    """The engine's groups among the free moments (rows), largest first; a text alone is a
    group of one."""
    groups: dict[int, list[int]] = {}
    for i in free.tolist():
        groups.setdefault(int(labels[i]) if labels[i] >= 0 else -1 - i, []).append(i)
    return sorted(groups.values(), key=len, reverse=True)


class _Homes:
    """Where each new group goes: a decided cluster it matches, else the machine cluster it
    overlaps most (renamed for its new members), else a new cluster; a moment alone that
    matches no decided cluster goes nowhere."""

    def __init__(
        self,
        campaign: Campaign,
        visible: list[Moment],
        embedding: engine.Embedding,
        grouped: engine.Grouping,
        clusters: dict[int, Cluster],
        thresholds: dict[str, float],
    ) -> None:
        self.campaign, self.visible, self.embedding = campaign, visible, embedding
        self.grouped, self.clusters, self.thresholds = grouped, clusters, thresholds
        # The machine's own clusters, which a new group may take over.
        self.machine = {
            cid: c
            for cid, c in clusters.items()
            if not (c.decided or c.locked) and c.merged_into_id is None
        }
        self.decided = _decided_sums(clusters, visible, embedding)
        # Terms for labels, once per text, from the morphemes the engine already produced.
        self.terms = {
            m.id: keywords.terms(m.body, embedding.morphemes.get(i)) for i, m in enumerate(visible)
        }
        self.document_frequency = Counter(t for found in self.terms.values() for t in found)
        self.reused: set[int] = set()
        self.created = 0

    def place(self, groups: list[list[int]]) -> list[tuple[Cluster, list[Moment]]]:
        placed = []
        for rows in groups:
            members = [self.visible[i] for i in rows]
            home = _decided_home(rows, self.embedding, self.decided, self.thresholds)
            if home is not None:
                placed.append((self.clusters[home], members))
            elif len(rows) < 2:
                members[0].cluster_id = None
            else:
                placed.append((self._machine_cluster(rows, members), members))
        return placed

    def drop_unused(self) -> None:
        """Delete the machine clusters no new group took over."""
        for cid, cluster in self.machine.items():
            if cid not in self.reused:
                db.session.delete(cluster)

    def _machine_cluster(self, rows: list[int], members: list[Moment]) -> Cluster:
        overlap = Counter(
            m.cluster_id
            for m in members
            if m.cluster_id in self.machine and m.cluster_id not in self.reused
        )
        if overlap:
            cluster = self.machine[overlap.most_common(1)[0][0]]
            self.reused.add(cluster.id)
        else:
            cluster = Cluster(campaign_id=self.campaign.id)
            db.session.add(cluster)
            self.created += 1
        cluster.keywords = keywords.top_terms(
            [self.terms[m.id] for m in members], self.document_frequency, len(self.visible)
        )
        loose = [bool(self.grouped.loose[i]) for i in rows]
        cluster.summary = keywords.summarise(
            members, self.embedding.vectors[rows], cluster.keywords, loose
        )
        return cluster


def _write(placed: list[tuple[Cluster, list[Moment]]], loose: set[str]) -> None:
    """One executemany by primary key instead of the unit of work's statement per moment; the
    loaded moments are told their new cluster without being marked changed."""
    changes = [
        {"id": m.id, "cluster_id": cluster.id, "loosely_grouped": m.id in loose}
        for cluster, members in placed
        for m in members
        if m.cluster_id != cluster.id or m.loosely_grouped != (m.id in loose)
    ]
    for cluster, members in placed:
        for m in members:
            set_committed_value(m, "cluster_id", cluster.id)
            set_committed_value(m, "loosely_grouped", m.id in loose)
    if changes:
        db.session.execute(update(Moment).execution_options(synchronize_session=False), changes)


def _store_meanings(visible: list[Moment], stored: list, embedding: engine.Embedding) -> None:
    """Keep the vectors the encoder just made for moments that had none (they arrived before
    it was installed, or while it could not load), so no text is encoded twice."""
    if embedding.meanings is None:
        return
    fresh = [
        {"id": m.id, "embedding": encoder.pack(embedding.meanings[i])}
        for i, m in enumerate(visible)
        if stored[i] is None
    ]
    for start in range(0, len(fresh), 5000):
        db.session.execute(
            update(Moment).execution_options(synchronize_session=False), fresh[start : start + 5000]
        )
    by_id = {row["id"]: row["embedding"] for row in fresh}
    for m in visible:
        if m.id in by_id:
            set_committed_value(m, "embedding", by_id[m.id])


def _decided_sums(
    clusters: dict[int, Cluster], visible: list[Moment], embedding: engine.Embedding
) -> dict:
    """(language, cluster id) -> vector sum, size and predicate polarity of the clusters people
    decided on and left open to newcomers (not locked, not merged away)."""
    sums: dict[tuple[str, int], list] = {}
    spaces = embedding.spaces
    for i, m in enumerate(visible):
        cluster = clusters.get(m.cluster_id) if m.cluster_id else None
        if cluster is None or not cluster.decided or cluster.locked:
            continue
        if cluster.merged_into_id is not None:
            continue
        entry = sums.setdefault((str(spaces[i]), cluster.id), [0.0, 0, Counter()])
        entry[0] = entry[0] + embedding.vectors[i]
        entry[1] += 1
        entry[2].update(embedding.polarity[i])
    return sums


def _decided_home(
    rows: list[int], embedding: engine.Embedding, decided: dict, thresholds: dict[str, float]
) -> int | None:
    """The decided cluster whose average similarity to these moments passes the language's
    threshold (best first), as the engine would have merged them; None when there is none."""
    lang = str(embedding.spaces[rows[0]])
    total = embedding.vectors[rows].sum(axis=0)
    signs: Counter = Counter()
    for i in rows:
        signs.update(embedding.polarity[i])
    best, best_score = None, 1.0 - thresholds[lang]
    for (cluster_lang, cid), (vector_sum, size, cluster_signs) in decided.items():
        if cluster_lang != lang:
            continue
        score = float(total @ vector_sum) / (len(rows) * size)
        if score < best_score:
            continue
        if not engine.conflict(dict(signs), dict(cluster_signs), len(rows), size):
            best, best_score = cid, score
    return best
