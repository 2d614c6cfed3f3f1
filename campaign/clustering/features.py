"""Text features for clustering complaints written on phones.

Character 2-4-grams survive spacing mistakes and typos; Kiwi morphemes (Korean only) add
lemmas, so "이체가 안 돼요" and "이체 안 됨" share 이체/되 and the negation 안 (kept as its own
token so "안 돼요" is not "돼요"). English adds the average of WordLlama's word-piece vectors, so
"my card hasn't arrived" meets "still waiting for the card" though they share few letters (on
BANKING77 it lifted ARI from 29 to 41 with neighbour reading, see engine.in_context; word
n-grams made clusters worse). Kiwi and WordLlama ship their models inside their wheels;
nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from tokenizers import Tokenizer

DIMENSIONS = 256
MORPHEME_WEIGHT = 0.8
# English: the word-piece average counts this much against the character n-grams (their
# vectors are both unit length; 1/0.6, chosen on BANKING77 where 0.5-0.7 all scored alike).
SENTENCE_WEIGHT = 1 / 0.6
_HANGUL = re.compile(r"[가-힣ㄱ-ㅎㅏ-ㅣ]")
_LETTER = re.compile(r"[^\W\d_]")
# Kiwi tags kept: nouns, verbs and adjectives (lemmas), roots, foreign words, numbers, adverbs
# (안, 못, 너무), auxiliaries (않, 없) and determiners.
_KEEP = ("NNG", "NNP", "NR", "NP", "VV", "VA", "VX", "XR", "SL", "SN", "MAG", "MM", "XSV", "XSA")
_NEGATION = {"안", "못", "않", "없", "말", "아니"}
_EMBEDDED_QUESTION = ("는지", "ㄴ지", "은지", "을지", "ㄹ지", "던지")
_kiwi_lock = threading.Lock()


def language(text: str) -> str:
    """'ko' when at least a fifth of the letters are Hangul, else 'en' (any other script too)."""
    letters = _LETTER.findall(text)
    if not letters:
        return "en"
    return "ko" if len(_HANGUL.findall(text)) * 5 >= len(letters) else "en"


@lru_cache(maxsize=1)
def kiwi():
    from kiwipiepy import Kiwi

    # Every core for batch tokenising; without the typo and multi-word dictionaries it loads in
    # 1.7 s instead of 4.4 s, with the same clustering quality on ParaKQC.
    return Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)


def warm() -> None:
    """Load Kiwi, WordLlama's vectors and the sentence encoder and build the projections before
    the first request needs them (about 3 s; Kiwi's first analysis alone takes a second)."""
    analyse_many(["은행 점검 시간이라 밤에 이체가 안 돼서 불편했어요."])
    sentence_vectors(["The transfer failed during the bank's maintenance hours."])
    from campaign.clustering import encoder  # the sentence encoder: 0.1 s, its first text 0.06 s

    if encoder.available():
        encoder.encode(["은행 점검 시간이라 밤에 이체가 안 돼서 불편했어요."])
    _projection(0)
    _projection(1)


def _kept(tokens) -> list[str]:
    return [
        f"{t.form.lower()}/{t.tag[:2]}"
        for t in tokens
        if t.tag.startswith(_KEEP) or t.form in _NEGATION
    ]


def _polarity(tokens) -> dict[str, int]:
    """Each stated predicate's lemma with +1, or -1 when negated: 안/못 before it, 않/못하
    after it, or "-ㄹ 수 없" ("can't"). "이체가 안 돼요" gives {"되": -1}; "이체가 돼요" gives
    {"되": +1}. A predicate that only describes a noun ("안 읽은 메일") or is made a noun
    ("읽기") states nothing."""
    found: dict[str, int] = {}
    for i, t in enumerate(tokens):
        if not t.tag.startswith(("VV", "VA", "XSV", "XSA")) or t.form in ("않", "없", "못하"):
            continue
        negated = _negated(tokens, i)
        if negated is None:
            continue
        lemma = t.form if t.tag.startswith(("VV", "VA")) or i == 0 else tokens[i - 1].form + t.form
        found[lemma] = found.get(lemma, 0) + (-1 if negated else 1)
    return {lemma: (1 if v > 0 else -1) for lemma, v in found.items() if v}


def _negated(tokens, i: int) -> bool | None:
    """Whether the predicate at `i` is negated; None when it states nothing."""
    following = tokens[i + 1 : i + 5]
    tag, form = (following[0].tag, following[0].form) if following else ("", "")
    if tag == "ETN" or (tag == "EC" and form.endswith(_EMBEDDED_QUESTION)):
        # Made a noun ("읽기가 힘들어요": the statement is the predicate after it), or an
        # embedded question ("어디에 신고하는지 몰라서"): it states nothing.
        return None
    if tag == "ETM":
        # A modifier, not a statement, unless it says "-ㄹ 수 없" ("can't").
        forms = [x.form for x in following]
        return True if len(forms) >= 3 and forms[1] == "수" and "없" in forms[2:4] else None
    return _said_negatively(tokens, i, following)


def _said_negatively(tokens, i: int, following) -> bool:
    """안/못 just before the predicate at `i` (before its noun when it is 하다-like), or an
    auxiliary 않/못하 right after it."""
    anchor = i - 1 if tokens[i].tag.startswith(("VV", "VA")) else i - 2
    before = anchor >= 0 and tokens[anchor].tag == "MAG" and tokens[anchor].form in ("안", "못")
    return before or any(x.form in ("않", "못하") and x.tag == "VX" for x in following[:3])


def morphemes(text: str) -> list[str]:
    with _kiwi_lock:
        return _kept(kiwi().tokenize(text))


def analyse_many(texts: list[str]) -> tuple[list[list[str]], list[dict[str, int]]]:
    """Morphemes and predicate polarity for many texts (Kiwi spreads the work over threads)."""
    kept, polarity = [], []
    with _kiwi_lock:
        # Consume Kiwi's results as they come: holding every token object for 50,000 texts
        # cost hundreds of megabytes.
        # One text (a moment arriving) is analysed on this thread: handing it to Kiwi's pool
        # cost 1 ms more, and up to 20 ms when BLAS threads were still spinning on the cores.
        results = [kiwi().tokenize(texts[0])] if len(texts) == 1 else kiwi().tokenize(texts)
        for tokens in results:
            kept.append(_kept(tokens))
            polarity.append(_polarity(tokens))
    return kept, polarity


HASHED_FEATURES = 2**20
_PER_FEATURE = 4


class HashedIdf:
    """IDF weights over a hashed feature space, kept only for features seen in the corpus (and,
    for character n-grams, in at least two texts once there are 50): small enough to store, so
    a text that arrives later is weighted exactly as the corpus was."""

    def __init__(self, features: np.ndarray, idf: np.ndarray):
        self.features = features.astype(np.int32)
        self.idf = idf.astype(np.float32)
        self._lookup: np.ndarray | None = None

    @classmethod
    def fit(cls, counts: csr_matrix, min_df: int = 1) -> HashedIdf:
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = np.flatnonzero(document_frequency >= max(min_df, 1))
        n = counts.shape[0]
        # scikit-learn's smooth IDF, so weights match TfidfTransformer's.
        return cls(kept, np.log((1 + n) / (1 + document_frequency[kept])) + 1)

    def weigh(self, counts: csr_matrix) -> csr_matrix:
        """Sublinear TF times IDF, L2-normalised; features outside the weights are dropped."""
        if self._lookup is None:
            lookup = np.zeros(HASHED_FEATURES, dtype=np.float32)
            lookup[self.features] = self.idf
            self._lookup = lookup
        weighted = counts.astype(np.float32, copy=True)
        weighted.data = (1 + np.log(weighted.data)) * self._lookup[weighted.indices]
        weighted.eliminate_zeros()
        # In place, without normalize()'s input validation, which costs 0.3 ms per call.
        inplace_csr_row_normalize_l2(weighted)
        return weighted


@dataclass
class Weights:
    """Everything needed to turn a new text into a vector comparable with a fitted corpus."""

    lang: str
    chars: HashedIdf
    terms: HashedIdf | None = None

    def transform(self, texts: list[str]) -> Embedded:
        tokens, polarity = analyse_many(texts) if self.lang == "ko" else ([], [{} for _ in texts])
        return _embed(
            self,
            texts,
            _char_counts(texts),
            _term_counts(tokens) if self.terms else None,
            tokens,
            polarity,
        )


@dataclass
class Embedded:
    vectors: np.ndarray  # unit rows, DIMENSIONS wide
    morphemes: list[list[str]]  # Korean only, else empty
    polarity: list[dict[str, int]]


def fit(texts: list[str], lang: str) -> tuple[Weights, Embedded]:
    """Weights fitted on `texts` (all of one language) and the texts' vectors."""
    chars = _char_counts(texts)
    weights = Weights(lang, HashedIdf.fit(chars, min_df=2 if len(texts) >= 50 else 1))
    terms = None
    tokens, polarity = [], [{} for _ in texts]
    if lang == "ko":
        tokens, polarity = analyse_many(texts)
        terms = _term_counts(tokens)
        weights.terms = HashedIdf.fit(terms)
    return weights, _embed(weights, texts, chars, terms, tokens, polarity)


def _embed(
    weights: Weights,
    texts: list[str],
    chars: csr_matrix,
    terms: csr_matrix | None,
    tokens,
    polarity,
) -> Embedded:
    # Projecting each part on its own equals projecting them side by side: the final
    # normalisation makes the scale of the sum irrelevant. The English sentence vector is added
    # to the same 256 dimensions rather than beside them: the projection is random, so the
    # two parts barely interfere (ARI 41.8 summed, 42.0 side by side at twice the memory).
    dense = (weights.chars.weigh(chars) @ _projection(0)).toarray()
    if terms is not None and weights.terms is not None:
        dense += (weights.terms.weigh(terms) @ _projection(1)).toarray() * MORPHEME_WEIGHT
    if weights.lang == "en":
        dense += sentence_vectors(texts) * SENTENCE_WEIGHT
    return Embedded(normalize(dense).astype(np.float32), tokens, polarity)


@lru_cache(maxsize=1)
def _sentence_model() -> tuple[Tokenizer, np.ndarray]:
    """WordLlama's 256-dimensional word-piece vectors and their tokenizer, as its wheel ships
    them (16 MB). They are read from the package's files: its own loader (0.4) looks for the
    tokenizer in a folder the wheel doesn't have and then tries to download it."""
    spec = importlib.util.find_spec("wordllama")  # without importing it: that sets up logging
    root = Path(next(iter(spec.submodule_search_locations)))
    tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    table = load_file(str(root / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
    return tokenizer, table.astype(np.float32)


def sentence_vectors(texts: list[str]) -> np.ndarray:
    """Unit vectors averaging each text's word-piece vectors (WordLlama's own pooling)."""
    tokenizer, table = _sentence_model()
    encoded = (
        [tokenizer.encode(texts[0], add_special_tokens=False)]
        if len(texts) == 1
        else tokenizer.encode_batch(texts, add_special_tokens=False)
    )
    out = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    for row, piece in enumerate(encoded):
        if piece.ids:
            out[row] = table[piece.ids].mean(axis=0)
    return normalize(out)


def _char_counts(texts: list[str]) -> csr_matrix:
    """Hashed character 2-4-gram counts. Hashing keeps no vocabulary (at 100,000 texts a
    vocabulary of n-gram strings alone took over a gigabyte)."""
    return HashingVectorizer(
        analyzer="char_wb",
        ngram_range=(2, 4),
        n_features=HASHED_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    ).transform(texts)


def _term_counts(tokens: list[list[str]]) -> csr_matrix:
    return HashingVectorizer(
        analyzer=_identity,
        n_features=HASHED_FEATURES,
        alternate_sign=False,
        norm=None,
        dtype=np.float32,
    ).transform(tokens)


def _identity(tokens):
    return tokens


@lru_cache(maxsize=2)
def _projection(seed: int) -> csr_matrix:
    """A sparse random projection with exactly four entries of +-1/2 per hashed feature, so
    every feature reaches a few of the output dimensions (scikit-learn's default density would
    leave most of 2^20 features reaching none, and building its matrix took 20 s and 2 GB).
    Random projection keeps cosines unbiased, unlike SVD, which on small corpora merged
    unrelated groups. Seed 0 serves character n-grams, seed 1 morphemes."""
    rng = np.random.default_rng(seed)
    rows = np.repeat(np.arange(HASHED_FEATURES, dtype=np.int32), _PER_FEATURE)
    cols = rng.integers(0, DIMENSIONS, size=HASHED_FEATURES * _PER_FEATURE, dtype=np.int32)
    values = rng.choice(
        np.array([-0.5, 0.5], dtype=np.float32), size=HASHED_FEATURES * _PER_FEATURE
    )
    return csr_matrix((values, (rows, cols)), shape=(HASHED_FEATURES, DIMENSIONS), dtype=np.float32)
