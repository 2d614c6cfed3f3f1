"""The campaign's stored index: what a re-clustering learnt, kept so later moments are read
the same way.

Each re-clustering stores a ClusterIndex for the campaign (an .npz archive): the IDF weights it
fitted per language, the means it took out of the encoder's vectors, the loose floor, every
visible moment's vector (read in context, engine.in_context) and each cluster's members. A
moment that arrives later keeps its own vector on its row (Moment.vector) until the next
re-clustering folds it in; `current()` puts the two together.

The index is loaded once per process and kept until a re-clustering replaces it.
placement.py places newcomers with it, similar.py answers "what is this like" from it.
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
# Each language alone without the encoder; one shared space with it.
SPACES = (*LANGS, engine.MEANING)
_CODE = {"ko": b"k", "en": b"e", engine.MEANING: b"x"}
_LANG = {v: k for k, v in _CODE.items()}


def pack(lang: str, vector: np.ndarray) -> bytes:
    """A vector read in context, as Moment.vector keeps it: its space, then float16 values."""
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
    # Member rows ordered by cluster; cluster i's are [starts[i], starts[i + 1]).
    by_cluster: np.ndarray
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
        by_cluster = np.flatnonzero(member)[order]
        return cls(
            ids,
            vectors,
            clusters,
            cluster_ids,
            sums,
            sizes,
            loose,
            vectors[loose],
            by_cluster,
            starts,
        )

    def members(self, positions) -> np.ndarray:
        """Rows of the clusters at these positions of cluster_ids."""
        rows = [self.by_cluster[self.starts[p] : self.starts[p + 1]] for p in positions]
        return np.concatenate(rows or [[]]).astype(np.int64)


@dataclass
class Index:
    built_at: datetime
    weights: dict[str, features.Weights]
    parts: dict[str, _Part]
    polarity: dict[int, dict[str, int]]  # per cluster, summed over its Korean members
    rows: dict[str, tuple[str, int]]  # moment id -> (space, row)
    mean: np.ndarray | None = None  # subtracted from encoder vectors (engine.centre); None without
    loose_floor: float | None = None  # engine.loosen's floor at the last re-clustering

    def space_of(self, lang: str) -> str:
        return engine.MEANING if self.mean is not None else lang

    def weighted(self, text: str, lang: str, meaning: np.ndarray | None):
        """(space, vector before reading in context, predicate polarity) for a text, weighted
        as the index's re-clustering weighted its moments; None when the index cannot compare
        it (a language it never saw without the encoder, or an index built with the encoder
        now gone). `meaning` is the text's stored encoder vector, if it has one."""
        space = self.space_of(lang)
        if space not in self.parts or not len(self.parts[space].ids):
            return None
        if lang in self.weights:
            found = self.weights[lang].transform([text])
            lexical, signs = found.vectors[0], found.polarity[0]
        else:
            lexical, signs = np.zeros(features.DIMENSIONS, dtype=np.float32), {}
        if self.mean is None:
            return (space, lexical, signs) if lang in self.weights else None
        if meaning is None:
            if not encoder.available():
                return None
            meaning = encoder.encode([text])[0]
        return space, engine.joined(meaning, lexical, self.mean, [lang])[0], signs


# ---- storing and loading ---------------------------------------------------------------------


def save(
    campaign: Campaign,
    embedding: engine.Embedding,
    moments: list[Moment],
    now: datetime,
    loose_floor: float | None = None,
) -> None:
    """Store what a re-clustering learnt; `moments` are aligned with the embedding's rows and
    already carry their final cluster ids. The vectors of moments placed since are dropped:
    the new index holds them."""
    buffer = io.BytesIO()
    np.savez(buffer, **_arrays(embedding, moments, loose_floor))
    row = db.session.get(ClusterIndex, campaign.id)
    if row is None:
        row = ClusterIndex(campaign_id=campaign.id)
        db.session.add(row)
    row.built_at, row.data = now, buffer.getvalue()
    db.session.execute(
        update(Moment)
        .where(Moment.campaign_id == campaign.id, Moment.vector.isnot(None))
        .values(vector=None)
    )
    db.session.flush()


def _arrays(
    embedding: engine.Embedding, moments: list[Moment], loose_floor: float | None
) -> dict[str, np.ndarray]:
    clusters = np.array([m.cluster_id or -1 for m in moments], dtype=np.int64)
    polarity: dict[int, Counter] = {}
    for cluster_id, signs in zip(clusters.tolist(), embedding.polarity, strict=False):
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
        arrays[f"{lang}_char_features"] = weights.chars.features
        arrays[f"{lang}_char_idf"] = weights.chars.idf
        if weights.terms is not None:
            arrays[f"{lang}_term_features"] = weights.terms.features
            arrays[f"{lang}_term_idf"] = weights.terms.idf
    return arrays


def _encode_signs(signs: Counter) -> str:
    return ";".join(f"{lemma}={n}" for lemma, n in signs.items() if n)[:4000]


def _decode_signs(text: str) -> dict[str, int]:
    pairs = (item.rsplit("=", 1) for item in text.split(";") if "=" in item)
    return {lemma: int(n) for lemma, n in pairs}


_cache: dict[int, Index] = {}
_cache_lock = threading.Lock()


def load(campaign_id: int) -> Index | None:
    """The campaign's index, read from the database only when a re-clustering replaced it."""
    built_at = db.session.scalar(
        select(ClusterIndex.built_at).where(ClusterIndex.campaign_id == campaign_id)
    )
    if built_at is None:
        return None
    with _cache_lock:
        cached = _cache.get(campaign_id)
        if cached is not None and cached.built_at == built_at:
            return cached
        data = db.session.scalar(
            select(ClusterIndex.data).where(ClusterIndex.campaign_id == campaign_id)
        )
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            loaded = _from_archive(archive, built_at)
        _cache[campaign_id] = loaded
        return loaded


def _from_archive(archive, built_at: datetime) -> Index:
    ids, langs, clusters = archive["ids"], archive["langs"], archive["clusters"]
    vectors = archive["vectors"].astype(np.float32)
    parts, rows = {}, {}
    for space in SPACES:
        chosen = np.flatnonzero(langs == space)
        parts[space] = _Part.of(ids[chosen], vectors[chosen], clusters[chosen])
        rows.update((mid, (space, row)) for row, mid in enumerate(ids[chosen].tolist()))
    polarity = zip(archive["polarity_clusters"], archive["polarity"], strict=False)
    return Index(
        mean=archive["mean"] if "mean" in archive else None,
        loose_floor=float(archive["loose_floor"]) if "loose_floor" in archive else None,
        built_at=built_at,
        weights=_weights(archive),
        parts=parts,
        rows=rows,
        polarity={int(c): _decode_signs(str(p)) for c, p in polarity},
    )


def _weights(archive) -> dict[str, features.Weights]:
    weights = {}
    for lang in LANGS:
        if f"{lang}_char_features" not in archive:
            continue
        terms = None
        if f"{lang}_term_features" in archive:
            terms = features.HashedIdf(
                archive[f"{lang}_term_features"], archive[f"{lang}_term_idf"]
            )
        chars = features.HashedIdf(archive[f"{lang}_char_features"], archive[f"{lang}_char_idf"])
        weights[lang] = features.Weights(lang, chars, terms)
    return weights


# ---- one space as it is now: index rows plus the moments that arrived since -----------------


@dataclass
class Space:
    """One space's index rows plus the moments that arrived since (current clusters)."""

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
        scores = [self.base.loose_vectors @ vector, self.vectors[self.clusters < 0] @ vector]
        return rows, np.concatenate(scores)

    def cluster_means(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cluster ids, their members' vector sums and sizes, newcomers included."""
        ids, sums, sizes = self.base.cluster_ids, self.base.sums, self.base.sizes
        placed = self.clusters >= 0
        if not placed.any():
            return ids, sums, sizes
        position = {int(c): i for i, c in enumerate(ids)}
        ids, sums, sizes = list(ids), sums.copy(), sizes.copy()
        extra_sums, extra_sizes = [], []
        for cid, vector in zip(self.clusters[placed].tolist(), self.vectors[placed], strict=False):
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
        return np.array(ids, dtype=np.int64), sums, sizes

    def read(self, vector: np.ndarray) -> np.ndarray:
        """A newcomer's vector read in context, as a re-clustering reads every text
        (engine.in_context): plus the mean of its nearest stored vectors that are alike enough.

        Its neighbours are looked for among the members of the three clusters nearest to it, the
        unclustered rows and the other newcomers, not all 100,000 rows (3.7 ms for a full scan).
        The stored vectors were themselves read in context, so a newcomer leans a little more on
        its neighbourhood than at re-clustering; on BANKING77 (searching every stored row) 94.6%
        of arrivals went where reading against unread vectors would have put them, as often to
        the right intent. Searching only those clusters was not measured on its own."""
        base = self.base
        near = top((base.sums @ vector) / np.maximum(base.sizes, 1), 3) if len(base.sizes) else []
        # Scored part by part: gathering the unclustered rows into one array copied tens of
        # megabytes on every arrival at 100,000.
        pool = [base.vectors[base.members(near)], base.loose_vectors, self.vectors]
        scores = np.concatenate([part @ vector for part in pool])
        if not len(scores):
            return vector
        ends = np.cumsum([len(part) for part in pool])
        neighbours = []
        for i in top(scores, engine.CONTEXT).tolist():
            part = int(np.searchsorted(ends, i, side="right"))
            neighbours.append(pool[part][i - (ends[part - 1] if part else 0)])
        return engine.with_context(vector[None], np.stack(neighbours)[None])[0]


def current(stored: Index, campaign_id: int, space: str) -> Space:
    """A space of the index with the visible moments placed since it was built."""
    pending = db.session.execute(
        select(Moment.id, Moment.cluster_id, Moment.vector).where(
            Moment.campaign_id == campaign_id,
            Moment.vector.isnot(None),
            Moment.status != MomentStatus.HIDDEN,
        )
    ).all()
    ids, vectors, clusters = [], [], []
    for mid, cid, data in pending:
        found, vector = unpack(data)
        if found == space:
            ids.append(mid)
            vectors.append(vector)
            clusters.append(cid if cid is not None else -1)
    base = stored.parts[space]
    if vectors:
        stacked = np.stack(vectors)
    else:
        stacked = np.zeros((0, base.vectors.shape[1]), dtype=np.float32)
    return Space(base, ids, stacked, np.array(clusters, dtype=np.int64))


def top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, highest first, without sorting them all."""
    if len(scores) <= k:
        return np.argsort(-scores)
    best = np.argpartition(-scores, k)[:k]
    return best[np.argsort(-scores[best])]


def live(cluster_ids) -> dict[int, Cluster]:
    """Clusters by the ids the index knows, following merges to the cluster that holds them now."""
    wanted = [int(i) for i in cluster_ids]
    found = {c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.id.in_(wanted)))}
    alive = {}
    for cid, cluster in found.items():
        seen = 0
        while cluster is not None and cluster.merged_into_id is not None and seen < 20:
            cluster, seen = db.session.get(Cluster, cluster.merged_into_id), seen + 1
        if cluster is not None:
            alive[cid] = cluster
    return alive
