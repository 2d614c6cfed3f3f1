"""Placing a moment as it arrives, and finding the moments and clusters it resembles.

Each re-clustering stores a ClusterIndex for the campaign: the IDF weights it fitted per
language, every visible moment's vector (read in context, engine.in_context) and each
cluster's vector sum. A moment that arrives later is weighted with those same IDF weights
(without them English collapses into a few groups), read with its nearest stored neighbours,
compared with the cluster sums and, if close enough, joins the nearest cluster. Its
vector waits on its own row (Moment.vector) until the next re-clustering folds it in.

For unit vectors, a vector's dot product with a cluster's sum divided by the cluster's size is
its average cosine similarity to the members, which is exactly the engine's average-linkage
rule: a moment joins a cluster on arrival when a re-clustering would have merged it there.

The index is loaded once per process and kept until a re-clustering replaces it; placing a
moment then costs a Kiwi pass over one text and a few matrix-vector products (bench/
cluster_bench.py --place measures it at 100,000 stored moments).
"""

from __future__ import annotations

import io
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select, update

from campaign.clustering import encoder, engine, features
from campaign.extensions import db
from campaign.models import Campaign, Cluster, ClusterIndex, Moment, MomentStatus

LANGS = ("ko", "en")
SPACES = (*LANGS, engine.MEANING)  # each language alone without the encoder; one shared space with it
_CODE = {"ko": b"k", "en": b"e", engine.MEANING: b"x"}
_LANG = {v: k for k, v in _CODE.items()}
# Below these average similarities a neighbour is noise, not worth a moderator's glance
# (unrelated texts score about 0 to 0.05; related clusters that stay apart 0.1 to 0.3).
SHOWN_FROM = 0.2
CLUSTERS_SHOWN_FROM = 0.12
# Merge suggestions: two clusters whose members are this alike on average were the same problem
# more often than not on the development complaints (62% of 24 pairs of clusters at the
# defaults, by the problem most of each cluster's members were written about; 37% from 0.15,
# 69% from 0.25). Below it a suggestion is noise a moderator learns to ignore.
MERGE_FROM = 0.2
# A moment that joins no cluster forms a new one on arrival with this many unclustered
# look-alikes (itself included); fewer wait for the next re-clustering.
NEW_GROUP_SIZE = 3


def pack(lang: str, vector: np.ndarray) -> bytes:
    return _CODE[lang] + vector.astype(np.float16).tobytes()


def unpack(data: bytes) -> tuple[str, np.ndarray]:
    return _LANG[data[:1]], np.frombuffer(data[1:], dtype=np.float16).astype(np.float32)


@dataclass
class _Part:
    """One language's rows of an index, with what every lookup needs precomputed."""

    ids: np.ndarray
    vectors: np.ndarray  # float32 unit rows
    clusters: np.ndarray  # cluster id per row when built, -1 for none
    cluster_ids: np.ndarray
    sums: np.ndarray  # per cluster id, its members' vector sum
    sizes: np.ndarray
    loose: np.ndarray  # rows in no cluster
    loose_vectors: np.ndarray  # their vectors, copied once rather than on every arrival
    by_cluster: np.ndarray  # member rows ordered by cluster; cluster i's are [starts[i], starts[i + 1])
    starts: np.ndarray

    @classmethod
    def of(cls, ids: np.ndarray, vectors: np.ndarray, clusters: np.ndarray) -> _Part:
        member = clusters >= 0
        cluster_ids, inverse = np.unique(clusters[member], return_inverse=True)
        sums = np.zeros((len(cluster_ids), vectors.shape[1]), dtype=np.float32)
        order = np.argsort(inverse, kind="stable")
        starts = np.searchsorted(inverse[order], np.arange(len(cluster_ids) + 1))
        if len(order):
            sums = np.add.reduceat(vectors[member][order], starts[:-1], axis=0).astype(np.float32)
        sizes = np.bincount(inverse, minlength=len(cluster_ids)).astype(np.float32)
        loose = np.flatnonzero(~member)
        return cls(ids, vectors, clusters, cluster_ids, sums, sizes, loose, vectors[loose],
                   np.flatnonzero(member)[order], starts)

    def members(self, positions) -> np.ndarray:
        """Rows of the clusters at these positions of cluster_ids."""
        return np.concatenate([self.by_cluster[self.starts[p]:self.starts[p + 1]] for p in positions] or [[]]).astype(np.int64)


@dataclass
class Index:
    built_at: datetime
    weights: dict[str, features.Weights]
    parts: dict[str, _Part]
    polarity: dict[int, dict[str, int]]  # per cluster, summed over its Korean members
    rows: dict[str, tuple[str, int]]  # moment id -> (space, row)
    mean: np.ndarray | None = None  # subtracted from encoder vectors (engine.centre); None without them
    loose_floor: float | None = None  # engine.loosen's floor at the last re-clustering

    def space_of(self, lang: str) -> str:
        return engine.MEANING if self.mean is not None else lang


# ---- building and loading ------------------------------------------------------------------


def save_index(campaign: Campaign, embedding: engine.Embedding, moments: list[Moment], now: datetime,
               loose_floor: float | None = None) -> None:
    """Store what a re-clustering learnt; `moments` are aligned with the embedding's rows and
    already carry their final cluster ids."""
    clusters = np.array([m.cluster_id or -1 for m in moments], dtype=np.int64)
    polarity: dict[int, Counter] = {}
    for cluster_id, signs in zip(clusters.tolist(), embedding.polarity):
        if cluster_id >= 0 and signs:
            polarity.setdefault(cluster_id, Counter()).update(signs)
    arrays = {
        "ids": np.array([m.id for m in moments], dtype="<U32"),
        "langs": embedding.spaces.astype("<U2"),
        "vectors": embedding.vectors.astype(np.float16),
        "clusters": clusters,
        "polarity_clusters": np.array(list(polarity), dtype=np.int64),
        "polarity": np.array([_encode_signs(p) for p in polarity.values()], dtype="<U4000"),
    }
    if embedding.mean is not None:
        arrays["mean"] = embedding.mean.astype(np.float32)
    if loose_floor is not None:
        arrays["loose_floor"] = np.float32(loose_floor)
    for lang, weights in embedding.weights.items():
        arrays[f"{lang}_char_features"], arrays[f"{lang}_char_idf"] = weights.chars.features, weights.chars.idf
        if weights.terms is not None:
            arrays[f"{lang}_term_features"], arrays[f"{lang}_term_idf"] = weights.terms.features, weights.terms.idf
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    row = db.session.get(ClusterIndex, campaign.id)
    if row is None:
        row = ClusterIndex(campaign_id=campaign.id)
        db.session.add(row)
    row.built_at, row.data = now, buffer.getvalue()
    db.session.execute(update(Moment).where(Moment.campaign_id == campaign.id, Moment.vector.isnot(None))
                       .values(vector=None))
    db.session.flush()


def _encode_signs(signs: Counter) -> str:
    return ";".join(f"{lemma}={n}" for lemma, n in signs.items() if n)[:4000]


def _decode_signs(text: str) -> dict[str, int]:
    pairs = (item.rsplit("=", 1) for item in text.split(";") if "=" in item)
    return {lemma: int(n) for lemma, n in pairs}


_cache: dict[int, Index] = {}
_cache_lock = threading.Lock()


def load_index(campaign_id: int) -> Index | None:
    """The campaign's index, read from the database only when a re-clustering replaced it."""
    built_at = db.session.scalar(select(ClusterIndex.built_at).where(ClusterIndex.campaign_id == campaign_id))
    if built_at is None:
        return None
    with _cache_lock:
        cached = _cache.get(campaign_id)
        if cached is not None and cached.built_at == built_at:
            return cached
        data = db.session.scalar(select(ClusterIndex.data).where(ClusterIndex.campaign_id == campaign_id))
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            weights = {}
            for lang in LANGS:
                if f"{lang}_char_features" not in archive:
                    continue
                terms = None
                if f"{lang}_term_features" in archive:
                    terms = features.HashedIdf(archive[f"{lang}_term_features"], archive[f"{lang}_term_idf"])
                weights[lang] = features.Weights(
                    lang, features.HashedIdf(archive[f"{lang}_char_features"], archive[f"{lang}_char_idf"]), terms)
            ids, langs, clusters = archive["ids"], archive["langs"], archive["clusters"]
            vectors = archive["vectors"].astype(np.float32)
            parts, rows = {}, {}
            for space in SPACES:
                chosen = np.flatnonzero(langs == space)
                parts[space] = _Part.of(ids[chosen], vectors[chosen], clusters[chosen])
                rows.update((mid, (space, row)) for row, mid in enumerate(ids[chosen].tolist()))
            index = Index(
                mean=archive["mean"] if "mean" in archive else None,
                loose_floor=float(archive["loose_floor"]) if "loose_floor" in archive else None,
                built_at=built_at, weights=weights, parts=parts, rows=rows,
                polarity={int(c): _decode_signs(str(p)) for c, p in zip(archive["polarity_clusters"], archive["polarity"])},
            )
        _cache[campaign_id] = index
        return index


# ---- the vectors of one language: index rows plus moments that arrived since ----------------


@dataclass
class _Space:
    """One language's index rows plus the moments that arrived since (current clusters)."""

    base: _Part
    ids: list[str]
    vectors: np.ndarray
    clusters: np.ndarray

    def id_at(self, i: int) -> str:
        n = len(self.base.ids)
        return str(self.base.ids[i]) if i < n else self.ids[i - n]

    def scores(self, vector: np.ndarray) -> np.ndarray:
        return np.concatenate([self.base.vectors @ vector, self.vectors @ vector])

    def loose_scores(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Rows in no cluster and their similarity to `vector`."""
        n = len(self.base.ids)
        rows = np.concatenate([self.base.loose, n + np.flatnonzero(self.clusters < 0)])
        return rows, np.concatenate([self.base.loose_vectors @ vector,
                                     self.vectors[self.clusters < 0] @ vector])

    def cluster_means(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cluster ids, their members' vector sums and sizes, newcomers included."""
        ids, sums, sizes = self.base.cluster_ids, self.base.sums, self.base.sizes
        placed = self.clusters >= 0
        if placed.any():
            position = {int(c): i for i, c in enumerate(ids)}
            ids, sums, sizes = list(ids), sums.copy(), sizes.copy()
            extra_sums, extra_sizes = [], []
            for cid, vector in zip(self.clusters[placed].tolist(), self.vectors[placed]):
                if cid not in position:
                    position[cid] = len(ids)
                    ids.append(cid)
                    extra_sums.append(np.zeros_like(vector))
                    extra_sizes.append(0.0)
                i = position[cid]
                if i < len(sums):
                    sums[i] += vector
                    sizes[i] += 1
                else:
                    extra_sums[i - len(sums)] += vector
                    extra_sizes[i - len(sums)] += 1
            if extra_sums:
                sums = np.vstack([sums, np.stack(extra_sums)])
                sizes = np.concatenate([sizes, np.array(extra_sizes, dtype=np.float32)])
            ids = np.array(ids, dtype=np.int64)
        return ids, sums, sizes


def _space(index: Index, campaign_id: int, space: str) -> _Space:
    pending = db.session.execute(
        select(Moment.id, Moment.cluster_id, Moment.vector)
        .where(Moment.campaign_id == campaign_id, Moment.vector.isnot(None), Moment.status != MomentStatus.HIDDEN)
    ).all()
    ids, vectors, clusters = [], [], []
    for mid, cid, data in pending:
        found, vector = unpack(data)
        if found == space:
            ids.append(mid)
            vectors.append(vector)
            clusters.append(cid if cid is not None else -1)
    base = index.parts[space]
    return _Space(base, ids, np.stack(vectors) if vectors else np.zeros((0, base.vectors.shape[1]), dtype=np.float32),
                  np.array(clusters, dtype=np.int64))


def _read(space: _Space, vector: np.ndarray) -> np.ndarray:
    """A newcomer's vector read in context, as a re-clustering reads every text
    (engine.in_context): plus the mean of its nearest stored vectors that are alike enough.

    Its neighbours are looked for among the members of the three clusters nearest to it, the
    unclustered rows and the other newcomers, not all 100,000 rows (3.7 ms for a full scan).
    The stored vectors were themselves read in context, so a newcomer leans a little more on
    its neighbourhood than at re-clustering; on BANKING77 (searching every stored row) 94.6% of
    arrivals went where reading against unread vectors would have put them, as often to the
    right intent. Searching only those clusters was not measured on its own."""
    base = space.base
    near = _top((base.sums @ vector) / np.maximum(base.sizes, 1), 3) if len(base.sizes) else []
    # Scored part by part: gathering the unclustered rows into one array copied tens of
    # megabytes on every arrival at 100,000.
    pool = [base.vectors[base.members(near)], base.loose_vectors, space.vectors]
    scores = np.concatenate([part @ vector for part in pool])
    if not len(scores):
        return vector
    ends = np.cumsum([len(part) for part in pool])
    neighbours = []
    for i in _top(scores, engine.CONTEXT).tolist():
        part = int(np.searchsorted(ends, i, side="right"))
        neighbours.append(pool[part][i - (ends[part - 1] if part else 0)])
    return engine.with_context(vector[None], np.stack(neighbours)[None])[0]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, highest first, without sorting them all."""
    if len(scores) <= k:
        return np.argsort(-scores)
    top = np.argpartition(-scores, k)[:k]
    return top[np.argsort(-scores[top])]


def _live(cluster_ids) -> dict[int, Cluster]:
    """Clusters by the ids the index knows, following merges to the cluster that holds them now."""
    found = {c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.id.in_([int(i) for i in cluster_ids])))}
    live = {}
    for cid, cluster in found.items():
        seen = 0
        while cluster is not None and cluster.merged_into_id is not None and seen < 20:
            cluster, seen = db.session.get(Cluster, cluster.merged_into_id), seen + 1
        if cluster is not None:
            live[cid] = cluster
    return live


# ---- placing a moment on arrival -----------------------------------------------------------


def place(moment: Moment, *, thresholds: dict[str, float]) -> Cluster | None:
    """Give a new moment its vector and, when it is close enough, a cluster: the nearest one
    it would have joined in a re-clustering, or a new one with enough unclustered look-alikes.
    Locked clusters take no newcomers. Does nothing before the campaign's first re-clustering."""
    index = load_index(moment.campaign_id)
    text = moment.body
    lang = features.language(text)
    if encoder.available() and moment.embedding is None:
        moment.embedding = encoder.pack(encoder.encode([text])[0])  # encoded once, on arrival
    read = _vector(index, text, lang, encoder.unpack(moment.embedding)) if index is not None else None
    if read is None:
        db.session.flush()
        return None
    space_key, vector, signs = read
    space = _space(index, moment.campaign_id, space_key)
    vector = _read(space, vector)
    moment.vector = pack(space_key, vector)
    floor = 1.0 - thresholds[space_key]
    means = space.cluster_means()  # once: copying every cluster's sum cost milliseconds a call
    cluster = _nearest_cluster(means, index, vector, signs, floor)
    if cluster is None:
        cluster = _new_group(moment, lang, space, vector, signs, floor)
    if cluster is None and index.loose_floor is not None:
        # As a re-clustering would: into the nearest sizeable cluster, flagged for a person.
        cluster = _nearest_cluster(means, index, vector, signs, index.loose_floor, min_size=engine.LOOSE_FROM_SIZE)
        moment.loosely_grouped = cluster is not None
    if cluster is not None:
        moment.cluster_id = cluster.id
    db.session.flush()
    return cluster


def _vector(index: Index, text: str, lang: str, meaning: np.ndarray | None):
    """(space, vector before reading in context, predicate polarity) for a text, weighted as the
    index's re-clustering weighted its moments; None when the index cannot compare it (a
    language it never saw without the encoder, or an index built with the encoder now gone)."""
    space = index.space_of(lang)
    if space not in index.parts or not len(index.parts[space].ids):
        return None
    if lang in index.weights:
        found = index.weights[lang].transform([text])
        lexical, signs = found.vectors[0], found.polarity[0]
    else:
        lexical, signs = np.zeros(features.DIMENSIONS, dtype=np.float32), {}
    if index.mean is None:
        return (space, lexical, signs) if lang in index.weights else None
    if meaning is None:
        if not encoder.available():
            return None
        meaning = encoder.encode([text])[0]
    return space, engine.joined(meaning, lexical, index.mean, [lang])[0], signs


def _nearest_cluster(means, index: Index, vector, signs, floor: float, min_size: int = 1) -> Cluster | None:
    ids, sums, sizes = means
    if not len(ids):
        return None
    average = (sums @ vector) / sizes
    chosen = [i for i in _top(average, 5) if average[i] >= floor and sizes[i] >= min_size]
    candidates = [int(ids[i]) for i in chosen]
    size = {int(ids[i]): float(sizes[i]) for i in chosen}
    live = _live(candidates)
    for cid in candidates:
        cluster = live.get(cid)
        if cluster is None or cluster.locked or engine.conflict(signs, index.polarity.get(cid, {}), 1, size[cid]):
            continue
        return cluster
    return None


def _new_group(moment: Moment, lang: str, space: _Space, vector, signs, floor: float) -> Cluster | None:
    rows, scores = space.loose_scores(vector)
    close = [space.id_at(int(rows[i])) for i in _top(scores, 20) if scores[i] >= floor]
    close = [mid for mid in close if mid != moment.id]
    if len(close) < NEW_GROUP_SIZE - 1:
        return None
    others = list(db.session.scalars(select(Moment).where(
        Moment.id.in_(close), Moment.cluster_id.is_(None), Moment.placed_by_human.is_(False),
        Moment.status != MomentStatus.HIDDEN)))
    if len(others) < NEW_GROUP_SIZE - 1:
        return None
    from campaign.clustering import grouping  # grouping imports this module

    analysed = features.analyse_many([m.body for m in others]) if lang == "ko" else None
    if analysed is not None:
        others = [m for m, theirs in zip(others, analysed[1]) if not engine.conflict(signs, theirs)]
        if len(others) < NEW_GROUP_SIZE - 1:
            return None
    members = [moment, *others]
    found = grouping.keywords([grouping.terms_of(m.body) for m in members], Counter(), len(members))
    cluster = Cluster(campaign_id=moment.campaign_id, keywords=found,  # named after the newcomer
                      summary=grouping.summarise([moment], np.ones((1, 1), dtype=np.float32), found, [False]))
    db.session.add(cluster)
    db.session.flush()
    for m in others:
        m.cluster_id = cluster.id
    return cluster


# ---- what a moment or cluster resembles ----------------------------------------------------


@dataclass
class Similar:
    moments: list[tuple[Moment, float]]
    clusters: list[tuple[Cluster, float]]


def similar(campaign_id: int, text: str, *, limit: int = 5) -> Similar:
    """The moments and clusters most like `text`, best first, with their average similarity.
    Hidden moments and merged-away clusters are left out."""
    index = load_index(campaign_id)
    read = _vector(index, text, features.language(text), None) if index is not None else None
    if read is None:
        return Similar([], [])
    space = _space(index, campaign_id, read[0])
    return _similar(space, _read(space, read[1]), limit, None)


def similar_to_moment(moment: Moment, *, limit: int = 5) -> Similar:
    """The same for a stored moment, from its own vector (the moment itself left out)."""
    index = load_index(moment.campaign_id)
    if moment.vector is not None:
        lang, vector = unpack(moment.vector)
    elif index is not None and moment.id in index.rows:
        lang, row = index.rows[moment.id]
        vector = index.parts[lang].vectors[row]
    else:
        return similar(moment.campaign_id, moment.body, limit=limit)
    return _similar(_space(index, moment.campaign_id, lang), vector, limit, moment.id) if index else Similar([], [])


def _similar(space: _Space, vector: np.ndarray, limit: int, exclude: str | None) -> Similar:
    scores = space.scores(vector)
    best = [(float(scores[i]), space.id_at(int(i))) for i in _top(scores, limit * 3 + 1) if scores[i] >= SHOWN_FROM]
    best = [(score, mid) for score, mid in best if mid != exclude]
    found = {m.id: m for m in db.session.scalars(select(Moment).where(
        Moment.id.in_([mid for _, mid in best]), Moment.status != MomentStatus.HIDDEN))}
    moments = [(found[mid], score) for score, mid in best if mid in found][:limit]
    return Similar(moments, _nearest_clusters(space, vector, limit))


def _nearest_clusters(space: _Space, vector: np.ndarray, limit: int, but: int | None = None) -> list[tuple[Cluster, float]]:
    """Live clusters by their members' average similarity to `vector`, best first; a merged
    cluster's members count for the cluster they joined. `but` leaves one cluster out."""
    ids, sums, sizes = space.cluster_means()
    if not len(ids):
        return []
    average = (sums @ vector) / sizes
    order = [i for i in _top(average, limit * 3) if average[i] >= CLUSTERS_SHOWN_FROM]
    live = _live([ids[i] for i in order])
    found: dict[int, tuple[Cluster, float]] = {}
    for i in order:
        cluster = live.get(int(ids[i]))
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
    mean = vectors.mean(axis=0)
    seeds = vectors[[int(np.argmax(vectors @ mean)), int(np.argmin(vectors @ mean))]]
    side = np.zeros(n, dtype=bool)
    for _ in range(10):
        side = (vectors @ seeds[1]) > (vectors @ seeds[0])
        if side.all() or not side.any():
            return None
        seeds = np.stack([vectors[~side].mean(axis=0), vectors[side].mean(axis=0)])
        seeds /= np.linalg.norm(seeds, axis=1, keepdims=True)
    small = side if side.sum() <= n / 2 else ~side
    if small.sum() < max(3, MIXED_SHARE * n):
        return None
    a, b = vectors[small], vectors[~small]
    between = float(a.sum(axis=0) @ b.sum(axis=0)) / (len(a) * len(b))
    within = min(cohesion(a) or 0, cohesion(b) or 0)
    return small if between < MERGE_FROM and within > between + MIXED_GAP else None


MIXED_SHARE = 0.2
MIXED_GAP = 0.1


def profile(cluster: Cluster, *, limit: int = 3) -> Profile:
    """A cluster's most representative members (closest to its centre) and the clusters
    closest to it, from its members as they are now (merges, splits and moves included)."""
    index = load_index(cluster.campaign_id)
    if index is None:
        return Profile([], [])
    member_ids = set(db.session.scalars(select(Moment.id).where(
        Moment.cluster_id == cluster.id, Moment.status != MomentStatus.HIDDEN)))
    best: tuple[int, Profile] | None = None
    for key in SPACES:
        if not len(index.parts[key].ids):
            continue
        space = _space(index, cluster.campaign_id, key)
        rows = [index.rows[mid][1] for mid in member_ids if index.rows.get(mid, ("", 0))[0] == key]
        members = np.concatenate([space.base.vectors[rows],
                                  space.vectors[[i for i, mid in enumerate(space.ids) if mid in member_ids]]])
        names = [str(space.base.ids[i]) for i in rows] + [mid for mid in space.ids if mid in member_ids]
        if not len(names):
            continue
        mean = members.mean(axis=0)
        centrality = members @ mean
        smaller = two_ways(members)
        split = [names[i] for i in np.flatnonzero(smaller)] if smaller is not None else None
        top = np.argsort(-centrality)[:limit]
        found = {m.id: m for m in db.session.scalars(select(Moment).where(Moment.id.in_([names[i] for i in top])))}
        representatives = [(found[names[i]], float(centrality[i])) for i in top if names[i] in found]
        if best is None or len(names) > best[0]:
            neighbours = [(c, score) for c, score in _nearest_clusters(space, mean, limit + 2, but=cluster.id)
                          if score >= MERGE_FROM]
            best = (len(names), Profile(representatives, neighbours, cohesion(members), split))
    return best[1] if best else Profile([], [])
