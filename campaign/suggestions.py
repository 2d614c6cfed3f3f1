"""이미 고쳤어요: the published fixes that look like what a person is writing.

While someone writes on /submit (and, without script, on the personal-data check and the thanks
page) the campaign's public fixes that match the text are offered, so a person whose problem is
already solved learns it at once. Sending is never blocked: this only shows links.

A fix's profile is its own words (title, summary, before and after) and the stored sentence
vectors of the moments it answers (`fixes.moments_query`: its clusters up to its cutoff and the
moments linked by hand), at most PROFILE_MOMENTS of the newest. With the sentence encoder every
text is the encoder's vector less the language's mean (`engine.centre`: the profile's own texts
leaning on the project's prior), as clustering compares meanings; without it each language's
spelling vectors (`features.fit` on the profiles' texts). A fix scores the better of how alike
the text is to its own words and to its TOP_MOMENTS most alike moments on average.

Profiles are built once and kept (`public.cache.remembered`, cleared when a fix, a cluster or a
campaign changes), so a request costs one encoding and a small matrix product. Nothing here
stores, logs or commits anything; the text is only compared.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.preprocessing import normalize
from sqlalchemy import select

from campaign import fixes
from campaign.clustering import encoder, engine, features
from campaign.extensions import db
from campaign.models import Fix, FixState, Moment

MIN_CHARS = 12  # shorter drafts say too little to match ("송금이 안 돼요" matches everything)
MAX_CHARS = 1000  # what is compared of a longer text (the encoder reads 512 tokens at most)
SHOWN = 3
PROFILE_MOMENTS = 200  # newest moments per fix kept in its profile
TOP_MOMENTS = 3  # a fix's moment score: the mean of its this many most alike moments
# The similarity from which a fix is suggested, measured on the development complaints with
# `bench/suggest_bench.py` (fixes for 30 of the 45 labelled problems, each built from half of its
# moments; queried with the other half and with every moment of the 15 problems without a fix).
# Around 0.33 the top suggestion was the right fix for about a third of the queries that had one
# and wrong for 1-3%, and a fix was suggested for 4-7% of those that had none; 0.25 is right for
# more but suggests a fix to about a quarter of those without one. A wrong suggestion costs the
# person a glance and a missing one nothing they have today, so the threshold leans to silence.
SUGGEST_FROM = 0.33
# The same without the encoder (spelling only), measured the same way: at 0.3, 18% right, 3%
# wrong, 6% suggested without a fix.
LEXICAL_FROM = 0.3


@dataclass(frozen=True)
class Card:
    """What a suggestion shows of a fix; plain values, kept across requests."""

    id: int
    slug: str
    title: str
    summary: str
    before: str
    after: str


@dataclass(frozen=True)
class Suggestion:
    card: Card
    score: float


@dataclass(frozen=True)
class Profiles:
    """Every public fix of a campaign as vectors (rows of `text` follow `cards`; `moments` rows
    belong to the fix at `owner`). `mean` is set in the encoder's space, `weights` without it."""

    cards: tuple[Card, ...]
    text: np.ndarray
    moments: np.ndarray
    owner: np.ndarray
    mean: np.ndarray | None = None
    weights: dict[str, features.Weights] | None = None

    @property
    def empty(self) -> bool:
        return not self.cards


NONE = Profiles((), np.zeros((0, 1), np.float32), np.zeros((0, 1), np.float32), np.zeros(0, int))


def fix_text(card: Card) -> str:
    return " ".join(p for p in (card.title, card.summary, card.before, card.after) if p)


def build(cards: list[Card], moments: list[list[tuple[str, np.ndarray | None]]]) -> Profiles:
    """Profiles from each fix's card and its moments' texts and stored encoder vectors (None
    where a moment has none; those are encoded here, or left out without the encoder)."""
    if not cards:
        return NONE
    owner = np.array([i for i, found in enumerate(moments) for _ in found], dtype=np.int64)
    texts = [fix_text(c) for c in cards]
    said = [text for found in moments for text, _ in found]
    stored = [vector for found in moments for _, vector in found]
    if encoder.available():
        fix_vectors = [_fix_meaning(text) for text in texts]
        raw = _meanings(texts + said, fix_vectors + stored)
        langs = np.array([features.language(t) for t in texts + said])
        mean = engine.centre(raw, langs)
        vectors = _centred(raw, langs, mean)
        return Profiles(tuple(cards), vectors[: len(texts)], vectors[len(texts) :], owner, mean)
    weights, vectors = _spelling(texts + said)
    return Profiles(
        tuple(cards), vectors[: len(texts)], vectors[len(texts) :], owner, weights=weights
    )


@lru_cache(maxsize=1024)
def _fix_meaning(text: str) -> np.ndarray:
    """A fix's words, encoded once per process: profiles are rebuilt whenever a fix, cluster or
    campaign changes (every few seconds while moments are placed), and a fix's text rarely does."""
    vector = encoder.encode([text[:MAX_CHARS]])[0]
    vector.setflags(write=False)
    return vector


def _meanings(texts: list[str], stored: list[np.ndarray | None]) -> np.ndarray:
    raw = np.zeros((len(texts), encoder.DIMENSIONS), dtype=np.float32)
    missing = [i for i, v in enumerate(stored) if v is None]
    for i, v in enumerate(stored):
        if v is not None:
            raw[i] = v
    if missing:
        raw[missing] = encoder.encode([texts[i][:MAX_CHARS] for i in missing])
    return raw


def _centred(raw: np.ndarray, langs: np.ndarray, mean: np.ndarray) -> np.ndarray:
    rows = np.array([engine.LANGS.index(str(lang)) for lang in langs], dtype=np.int64)
    return normalize(raw - mean[rows]).astype(np.float32)


def _spelling(texts: list[str]) -> tuple[dict[str, features.Weights], np.ndarray]:
    langs = [features.language(t) for t in texts]
    vectors = np.zeros((len(texts), features.DIMENSIONS), dtype=np.float32)
    weights = {}
    for lang in engine.LANGS:
        idx = [i for i, found in enumerate(langs) if found == lang]
        if idx:
            weights[lang], found = features.fit([texts[i] for i in idx], lang)
            vectors[idx] = found.vectors
    return weights, vectors


def vector(profiles: Profiles, text: str, meaning: np.ndarray | None = None) -> np.ndarray | None:
    """A text in the profiles' space (`meaning`: its stored encoder vector, if any); None when
    it cannot be compared (a language the spelling profiles never saw)."""
    lang = features.language(text)
    if profiles.mean is not None:
        if meaning is None:
            if not encoder.available():
                return None
            meaning = encoder.encode([text[:MAX_CHARS]])[0]
        return _centred(np.atleast_2d(meaning), np.array([lang]), profiles.mean)[0]
    if profiles.weights is None or lang not in profiles.weights:
        return None
    return profiles.weights[lang].transform([text[:MAX_CHARS]]).vectors[0]


def scores(profiles: Profiles, query: np.ndarray) -> np.ndarray:
    """Each fix's score for a query vector: the better of its own words and its moments."""
    best = profiles.text @ query
    if len(profiles.moments):
        alike = profiles.moments @ query
        for i in range(len(profiles.cards)):
            mine = np.sort(alike[profiles.owner == i])[-TOP_MOMENTS:]
            if len(mine):
                best[i] = max(best[i], float(mine.mean()))
    return best


def threshold(profiles: Profiles) -> float:
    return SUGGEST_FROM if profiles.mean is not None else LEXICAL_FROM


def match(
    profiles: Profiles,
    text: str,
    *,
    meaning: np.ndarray | None = None,
    limit: int = SHOWN,
    leave_out: frozenset[int] | set[int] = frozenset(),
    least: float | None = None,
) -> list[Suggestion]:
    """The fixes like `text`, best first, from the threshold (`least`, else the measured one)
    up; `leave_out` are fix ids the page already shows."""
    text = (text or "").strip()
    if profiles.empty or len(text) < MIN_CHARS:
        return []
    query = vector(profiles, text, meaning)
    if query is None:
        return []
    found = scores(profiles, query)
    floor = threshold(profiles) if least is None else least
    order = [int(i) for i in np.argsort(-found) if found[i] >= floor]
    chosen = [Suggestion(profiles.cards[i], float(found[i])) for i in order]
    return [s for s in chosen if s.card.id not in leave_out][:limit]


def profiles_of(campaign_id: int) -> Profiles:
    """The profiles of a campaign's published fixes, from the database (kept by the caller)."""
    found = list(
        db.session.scalars(
            select(Fix)
            .where(Fix.campaign_id == campaign_id, Fix.state == FixState.PUBLISHED)
            .order_by(Fix.id)
        )
    )
    cards, moments = [], []
    for fix in found:
        cards.append(Card(fix.id, fix.slug, fix.title, fix.summary, fix.before, fix.after))
        rows = db.session.execute(
            fixes.moments_query(fix)
            .with_only_columns(Moment.body, Moment.embedding)
            .order_by(Moment.received_hour.desc(), Moment.id)
            .limit(PROFILE_MOMENTS)
        )
        moments.append([(body, encoder.unpack(data)) for body, data in rows])
    return build(cards, moments)


def for_moment(profiles: Profiles, moment: Moment, *, leave_out=frozenset()) -> list[Suggestion]:
    """Suggestions for a stored moment from its own encoder vector (encoded again only when
    it has none)."""
    return match(
        profiles, moment.body, meaning=encoder.unpack(moment.embedding), leave_out=leave_out
    )
