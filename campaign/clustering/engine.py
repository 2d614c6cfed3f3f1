"""Average-linkage clustering at a cosine-distance threshold, on a nearest-neighbour graph.

A textbook agglomerative clustering needs all n^2 distances (about 10 GB at 20,000 texts).
Here each text only keeps its k nearest neighbours, found with an inverted-file index (coarse
k-means lists; each list searches itself and its nearest lists), and average linkage merges
only clusters that those edges join (scikit-learn's connectivity-restricted average linkage
treats missing edges as distance zero and snowballs, so the merging is done here). Stopping
at a distance threshold means nobody is ever asked for a number of clusters.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from sklearn.cluster import MiniBatchKMeans
from sklearn.preprocessing import normalize

from campaign.clustering import encoder, features

# The cosine distance, between vectors read in context, at which average linkage stops merging
# is an argument here, per space ("ko", "en" or MEANING): its defaults and the reasons for them
# are settings in campaign/config.py (CLUSTER_THRESHOLD_*, given as config["CLUSTER_THRESHOLDS"]).
LANGS = ("ko", "en")
PRIOR_FILE = Path(__file__).resolve().parent.parent / "data" / "e5_prior_mean.npy"
MEANING = "xx"  # the space every text shares when the sentence encoder is available
SPELLING_WEIGHT = 0.6  # the lexical vector's weight beside the meaning (see joined)
PRIOR_WEIGHT = 200  # moments' worth of the general mean in centre()
LOOSE_PERCENTILE = 95  # a loose joiner beats this share of random pairs (see loosen)
LOOSE_FROM_SIZE = 3  # groups at least this big take loose joiners; smaller ones give them
NEIGHBOURS = 12
CONTEXT = 7  # neighbours a text is read with (5 to 10 scored alike on both sets)
CONTEXT_FROM = 0.3  # cosine below which a neighbour is not context (0 to 0.3 scored alike)
EXACT_BELOW = 12000  # up to this many texts the neighbour search is exact (1.2 s at 10,000)
PROBES = 4  # k-means lists each list searches above that (itself and its nearest)


def nearest(vectors: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """For each vector, the rows of its (approximately) k most similar others, as an n x k array."""
    n = vectors.shape[0]
    k = min(k, n - 1)
    found = np.zeros((n, k), dtype=np.int64)

    def search(query_ids: np.ndarray, candidate_ids: np.ndarray) -> None:
        sims = vectors[query_ids] @ vectors[candidate_ids].T
        sims[candidate_ids[None, :] == query_ids[:, None]] = -np.inf  # never itself
        kk = min(k, len(candidate_ids) - 1)
        if kk < 1:
            found[query_ids] = query_ids[:, None]  # nobody else to compare with
            return
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        found[query_ids, :kk] = candidate_ids[top]
        found[query_ids, kk:] = found[query_ids, :1]  # a list shorter than k repeats its best

    if n <= EXACT_BELOW:
        everyone = np.arange(n)
        for start in range(0, n, 1024):
            search(everyone[start : start + 1024], everyone)
    else:
        lists = max(2, int(np.sqrt(n)))
        # Random initial centres: k-means++ took 9 of 13 s at 100,000 and the lists only need
        # to be roughly even, not optimal.
        kmeans = MiniBatchKMeans(
            lists, init="random", random_state=seed, batch_size=4096, n_init=1, max_iter=50
        ).fit(vectors)
        assignment = kmeans.labels_
        centroids = kmeans.cluster_centers_ / np.maximum(
            np.linalg.norm(kmeans.cluster_centers_, axis=1, keepdims=True), 1e-9
        )
        probe = np.argsort(-(centroids @ centroids.T), axis=1)[:, :PROBES]
        members = [np.flatnonzero(assignment == c) for c in range(lists)]
        for c in range(lists):
            if len(members[c]) == 0:
                continue
            candidates = np.concatenate([members[p] for p in probe[c]])
            for start in range(0, len(members[c]), 1024):
                search(members[c][start : start + 1024], candidates)
    return found


def knn_graph(vectors: np.ndarray, k: int = NEIGHBOURS, seed: int = 0) -> csr_matrix:
    """Symmetric graph joining each vector to its (approximately) k most similar others."""
    n = vectors.shape[0]
    around = nearest(vectors, k, seed)
    rows, cols = np.repeat(np.arange(n), around.shape[1]), around.ravel()
    keep = rows != cols
    graph = coo_matrix(
        (np.ones(keep.sum(), dtype=np.float32), (rows[keep], cols[keep])), shape=(n, n)
    ).tocsr()
    return graph.maximum(graph.T)


def in_context(vectors: np.ndarray, k: int = CONTEXT) -> np.ndarray:
    """Each unit vector plus the mean of its k nearest others that are at least CONTEXT_FROM
    alike, renormalised.

    A short complaint is read together with the ones most like it, so one unusual word does
    not decide its group and wordings of one problem pull together (ParaKQC AMI 92.4 -> 94.1,
    BANKING77 ARI 29 -> 41 with the English sentence vectors). Neighbours less alike than
    CONTEXT_FROM are ignored, so a handful of unrelated moments stay apart. Clustering runs on
    these vectors and the index stores them; a newcomer is read the same way (index.Space.read).
    """
    if vectors.shape[0] <= 1:
        return vectors.copy()
    around = nearest(vectors, k)
    out = np.empty_like(vectors)
    for start in range(0, len(vectors), 4096):  # n x k x dims at once would be 700 MB at 100,000
        chunk = slice(start, start + 4096)
        out[chunk] = with_context(vectors[chunk], vectors[around[chunk]])
    return out


def with_context(vectors: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Unit rows plus the mean of their neighbours (rows x k x dims) at least CONTEXT_FROM
    alike, renormalised."""
    close = (np.einsum("nd,nkd->nk", vectors, neighbours) >= CONTEXT_FROM).astype(np.float32)
    mean = np.einsum("nk,nkd->nd", close, neighbours) / np.maximum(
        close.sum(axis=1, keepdims=True), 1
    )
    return normalize(vectors + mean).astype(np.float32)


def conflict(a: dict[str, int], b: dict[str, int], size_a: float = 1, size_b: float = 1) -> bool:
    """Two groups disagree when one states a predicate the other negates, each side by at
    least half of its members (summed signs over sizes): "송금이 안 돼요" is not "송금이 돼요",
    but one member's "한참 찾았어요" does not keep a text out of a group where one of four
    "찾을 수가 없었어요"."""
    small, large = (a, b) if len(a) < len(b) else (b, a)
    size_small, size_large = (size_a, size_b) if small is a else (size_b, size_a)
    return any(
        v * large.get(k, 0) < 0 and 2 * abs(v) >= size_small and 2 * abs(large[k]) >= size_large
        for k, v in small.items()
    )


def cluster_vectors(
    vectors: np.ndarray, threshold: float, polarity: list[dict[str, int]] | None = None
) -> np.ndarray:
    """Average-linkage cluster labels (0..k-1) for unit vectors, merging while the average
    cosine similarity between two clusters is at least 1 - threshold.

    For unit vectors the average similarity over all pairs of two clusters is the dot product
    of their sums divided by both sizes, so each merge is exact over every pair. The neighbour
    graph only proposes which clusters to compare; singletons keep their own label. With
    `polarity` (per text, predicate lemma -> +1/-1), clusters that state and negate the same
    predicate never merge: "송금이 안 돼요" is not "송금이 돼요", however alike they look.
    """
    n = vectors.shape[0]
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    linkage = _AverageLinkage(vectors, 1.0 - threshold, polarity)
    linkage.run()
    roots = np.array([_root(linkage.parent, i) for i in range(n)])
    return np.unique(roots, return_inverse=True)[1]


class _AverageLinkage:
    """Merging on the neighbour graph: per cluster (by the row that founded it) its vector sum,
    size, predicate signs, neighbours, parent (itself while alive) and a version bumped on
    every merge, so stale heap entries are recognised.

    The heap holds one entry per live cluster: its most similar neighbour. A pair's similarity
    changes only when one side merges, and the side formed last pushed its best then, so the
    best valid entry is always the best pair overall; stale entries are recomputed when they
    surface. (Pushing every neighbour after each merge grew the heap past a gigabyte at
    100,000.)"""

    def __init__(
        self, vectors: np.ndarray, floor: float, polarity: list[dict[str, int]] | None
    ) -> None:
        n = vectors.shape[0]
        graph = knn_graph(vectors)
        self.floor = floor
        self.sums = vectors.copy()
        self.size = np.ones(n, dtype=np.float32)
        self.version = np.zeros(n, dtype=np.int64)
        self.parent = np.arange(n)
        self.neighbours: list[set[int]] = [
            set(graph.indices[graph.indptr[i] : graph.indptr[i + 1]].tolist()) for i in range(n)
        ]
        self.signs = [dict(p) for p in polarity] if polarity is not None else None
        self.heap: list[tuple[float, int, int, int, int]] = []

    def run(self) -> None:
        parent, version, heap = self.parent, self.version, self.heap
        for a in range(len(parent)):
            self.push_best(a)
        while heap:
            _, a, b, version_a, version_b = heapq.heappop(heap)
            if parent[a] != a or version[a] != version_a:
                continue  # a has changed since; its newer entry is in the heap
            if parent[b] != b or version[b] != version_b:
                self.push_best(a)  # the neighbour changed: find a's best again
            elif self.signs is not None and conflict(
                self.signs[a], self.signs[b], self.size[a], self.size[b]
            ):
                self.keep_apart(a, b)
            else:
                self.push_best(self.merge(a, b))

    def push_best(self, a: int) -> None:
        neighbours = self.neighbours[a]
        if not neighbours:
            return
        around = np.fromiter(neighbours, dtype=np.int64, count=len(neighbours))
        similarity = (self.sums[around] @ self.sums[a]) / (self.size[around] * self.size[a])
        j = int(np.argmax(similarity))
        if similarity[j] >= self.floor:
            b = int(around[j])
            entry = (-float(similarity[j]), a, b, int(self.version[a]), int(self.version[b]))
            heapq.heappush(self.heap, entry)

    def keep_apart(self, a: int, b: int) -> None:
        """Two clusters that contradict each other: never compared again."""
        self.neighbours[a].discard(b)
        self.neighbours[b].discard(a)
        self.push_best(a)
        self.push_best(b)

    def merge(self, a: int, b: int) -> int:
        """Merge two live clusters into the one with more neighbours, which is returned."""
        neighbours = self.neighbours
        if len(neighbours[a]) < len(neighbours[b]):
            a, b = b, a
        self.parent[b] = a
        if self.signs is not None:
            for lemma, sign in self.signs[b].items():
                self.signs[a][lemma] = self.signs[a].get(lemma, 0) + sign
        self.sums[a] += self.sums[b]
        self.size[a] += self.size[b]
        self.version[a] += 1
        self.version[b] += 1
        for other in neighbours[b]:
            neighbours[other].discard(b)
            if other != a:
                neighbours[other].add(a)
        neighbours[a] |= neighbours[b]
        neighbours[a].discard(a)
        neighbours[a].discard(b)
        neighbours[b] = set()
        return a


def _root(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


@dataclass
class Embedding:
    """Texts as vectors. With the sentence encoder every text lives in one space ("xx": its
    meaning plus its spelling); without it each language has its own lexical space (vectors
    of different languages are not comparable)."""

    langs: np.ndarray
    vectors: np.ndarray
    weights: dict[str, features.Weights]
    polarity: list[dict[str, int]]
    morphemes: dict[int, list[str]] = field(default_factory=dict)  # Korean texts only, by index
    meanings: np.ndarray | None = None  # the encoder's raw vectors (stored with each moment)
    mean: np.ndarray | None = (
        None  # per language (LANGS order), subtracted from them before comparing
    )

    @property
    def spaces(self) -> np.ndarray:
        """The space each text is compared in: "xx" for all with meaning, else its language."""
        return (
            np.full(len(self.langs), MEANING, dtype="<U2")
            if self.meanings is not None
            else self.langs
        )


def embed(
    texts: list[str],
    meanings: list[np.ndarray | None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Embedding:
    """Vectors for texts. `meanings` may hold the encoder's stored vector per text (None where
    there is none yet: those are encoded here); `progress` is told how many texts were encoded."""
    embedding = _lexical(texts)
    langs = embedding.langs
    if encoder.available() and len(texts):
        raw = _meanings(texts, meanings, progress)
        embedding.meanings, embedding.mean = raw, centre(raw, langs)
        embedding.vectors = in_context(joined(raw, embedding.vectors, embedding.mean, langs))
    else:
        for lang in LANGS:
            idx = np.flatnonzero(langs == lang)
            if len(idx):
                embedding.vectors[idx] = in_context(embedding.vectors[idx])
    return embedding


def _lexical(texts: list[str]) -> Embedding:
    """Each language's spelling vectors (TF-IDF fitted on that language's texts), with every
    text's predicate polarity and the Korean texts' morphemes; not yet read in context."""
    langs = np.array([features.language(t) for t in texts], dtype="<U2")
    lexical = np.zeros((len(texts), features.DIMENSIONS), dtype=np.float32)
    polarity: list[dict[str, int]] = [{} for _ in texts]
    embedding = Embedding(langs, lexical, {}, polarity)
    for lang in LANGS:
        idx = np.flatnonzero(langs == lang)
        if not len(idx):
            continue
        weights, found = features.fit([texts[i] for i in idx], lang)
        embedding.weights[lang] = weights
        lexical[idx] = found.vectors
        for position, i in enumerate(idx.tolist()):
            polarity[i] = found.polarity[position]
            if found.morphemes:
                embedding.morphemes[i] = found.morphemes[position]
    return embedding


def _meanings(
    texts: list[str],
    meanings: list[np.ndarray | None] | None,
    progress: Callable[[int], None] | None,
) -> np.ndarray:
    """The encoder's vector for every text: the stored one where there is one, else encoded."""
    raw = np.zeros((len(texts), encoder.DIMENSIONS), dtype=np.float32)
    missing = []
    for i in range(len(texts)):
        stored = meanings[i] if meanings is not None else None
        if stored is None:
            missing.append(i)
        else:
            raw[i] = stored
    if missing:
        raw[missing] = encoder.encode([texts[i] for i in missing], progress)
    return raw


def centre(meanings: np.ndarray, langs: np.ndarray) -> np.ndarray:
    """What to subtract from encoder vectors before comparing them, per language (rows in
    LANGS order): the campaign's own mean, leaning on a prior while the campaign is small.

    Any two e5 vectors are about 0.83 alike, so raw cosines barely separate problems; without
    the shared direction they spread from about -0.3 to 1 (ParaKQC AMI 75 -> 93 at their best
    thresholds). A campaign's own mean also removes what all its moments share ("금융"), which
    is what tells its problems apart (BANKING77 ARI 46 with its own mean, 39 with a general
    one); a handful of moments alone would cancel themselves out, hence the prior. Each
    language has its own mean, so what is left is the problem, not the language it is told in."""
    prior = _prior_mean()
    out = np.zeros((len(LANGS), meanings.shape[1]), dtype=np.float32)
    for row, lang in enumerate(LANGS):
        mine = meanings[langs == lang]
        own = mine.sum(axis=0) if len(mine) else 0
        out[row] = (own + prior[row] * PRIOR_WEIGHT) / (len(mine) + PRIOR_WEIGHT)
    return out


def joined(meanings: np.ndarray, lexical: np.ndarray, means: np.ndarray, langs) -> np.ndarray:
    """Meaning less its language's mean, beside spelling at SPELLING_WEIGHT, as unit rows:
    their cosine is (meaning cosine + w * spelling cosine) / (1 + w)."""
    rows = np.array([LANGS.index(str(lang)) for lang in np.atleast_1d(langs)])
    centred = normalize(np.atleast_2d(meanings) - means[rows])
    return normalize(
        np.hstack([centred, np.atleast_2d(lexical) * np.sqrt(SPELLING_WEIGHT)])
    ).astype(np.float32)


@lru_cache(maxsize=1)
def _prior_mean() -> np.ndarray:
    """Mean encoder vectors of the project's own Korean and English complaints (bench/data), one
    row per language; written by `bench/cluster_bench.py --prior`."""
    return np.load(PRIOR_FILE).astype(np.float32)


@dataclass
class Grouping:
    labels: np.ndarray  # 0..k-1, -1 for a text alone (or outside the subset)
    loose: np.ndarray  # True where a text joined its group by the loose rule (see loosen)
    loose_floor: float | None = None  # the similarity that rule asked for, in the meaning space


def cluster_embedded(
    embedding: Embedding, thresholds: dict[str, float], subset: np.ndarray | None = None
) -> np.ndarray:
    """Labels 0..k-1 for the texts in `subset` (default: all), each space on its own; -1 for a
    text alone and for texts outside the subset."""
    return group(embedding, thresholds, subset).labels


def group(
    embedding: Embedding, thresholds: dict[str, float], subset: np.ndarray | None = None
) -> Grouping:
    """Average linkage per space, then (in the meaning space) the loose rule for what is left.
    `thresholds` holds a cosine distance for every space (config["CLUSTER_THRESHOLDS"])."""
    n = len(embedding.langs)
    labels = np.full(n, -1, dtype=np.int64)
    loose = np.zeros(n, dtype=bool)
    floor = None
    chosen = np.zeros(n, dtype=bool)
    chosen[np.arange(n) if subset is None else subset] = True
    spaces = embedding.spaces
    next_label = 0
    for space in (MEANING, "ko", "en"):
        idx = np.flatnonzero(chosen & (spaces == space))
        if len(idx) < 2:
            continue
        polarity = [embedding.polarity[i] for i in idx] if space != "en" else None
        found = cluster_vectors(embedding.vectors[idx], thresholds[space], polarity)
        joined_loosely = np.zeros(len(idx), dtype=bool)
        if space == MEANING:
            found, joined_loosely, floor = loosen(embedding.vectors[idx], found, polarity)
        sizes = np.bincount(found)
        for g in np.flatnonzero(sizes >= 2):
            labels[idx[found == g]] = next_label
            next_label += 1
        loose[idx] = joined_loosely & (labels[idx] >= 0)
    return Grouping(labels, loose, floor)


def random_pair_floor(
    vectors: np.ndarray, percentile: float = LOOSE_PERCENTILE, pairs: int = 20000
) -> float:
    """The similarity that only (100 - percentile)% of random pairs of these texts reach."""
    if len(vectors) < 2:
        return 1.0
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, len(vectors), (2, pairs))
    keep = a != b
    return float(
        np.percentile(np.einsum("nd,nd->n", vectors[a[keep]], vectors[b[keep]]), percentile)
    )


def loosen(vectors: np.ndarray, labels: np.ndarray, polarity: list[dict[str, int]] | None = None):
    """Texts in groups smaller than LOOSE_FROM_SIZE join the group of at least that size whose
    members they are most alike on average, when that beats what 95% of random pairs of the
    campaign's texts reach (a floor that follows the campaign's own spread rather than one
    global distance) and no predicate is negated between them.

    Average linkage at the meaning threshold keeps paraphrase groups apart (ParaKQC), but
    people telling one problem in their own words are less alike than that: on the
    development complaints three in four moments stayed alone. A moderator wants every moment
    in some group, with a flag where unsure; these are shown 느슨하게 묶임. Returns the new
    labels, which texts joined loosely, and the floor."""
    labels = labels.copy()
    loose = np.zeros(len(labels), dtype=bool)
    floor = random_pair_floor(vectors)
    sizes = np.bincount(labels)
    big = np.flatnonzero(sizes >= LOOSE_FROM_SIZE)
    small = np.flatnonzero(sizes[labels] < LOOSE_FROM_SIZE)
    if not len(big) or not len(small):
        return labels, loose, floor
    sums = np.zeros((len(sizes), vectors.shape[1]), dtype=np.float32)
    np.add.at(sums, labels, vectors)
    signs: dict[int, Counter] = {}
    if polarity is not None:
        for i, p in enumerate(polarity):
            if p and sizes[labels[i]] >= LOOSE_FROM_SIZE:
                signs.setdefault(int(labels[i]), Counter()).update(p)
    for start in range(0, len(small), 4096):
        rows = small[start : start + 4096]
        average = (vectors[rows] @ sums[big].T) / sizes[big]
        for row, scores in zip(rows.tolist(), average, strict=False):
            for j in np.argsort(-scores)[:3].tolist():
                if scores[j] < floor:
                    break
                target = int(big[j])
                if polarity is not None and conflict(
                    polarity[row], dict(signs.get(target, {})), 1, sizes[target]
                ):
                    continue
                labels[row], loose[row] = target, True
                break
    return labels, loose, floor


def cluster_texts(texts: list[str], thresholds: dict[str, float]) -> np.ndarray:
    """Cluster labels for texts, each language clustered on its own; -1 for a text alone."""
    return cluster_embedded(embed(texts), thresholds)
