"""Words for a cluster: the terms of each text, a group's keywords, and the short phrase that
names it. Pure text work (Kiwi's morphemes for Korean); no database, no clustering."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Protocol

import numpy as np

from campaign.clustering import features

_ENGLISH_STOP = set(
    "the a an to is it of for and in on can how do does did what why when was be have has this "
    "that with you your am are there my me i not no but if or so just get got been".split()
)


class _Told(Protocol):
    body: str


def terms_of(text: str) -> set[str]:
    """Label candidates for one text (tokenising it if it is Korean)."""
    return terms(text, features.morphemes(text) if features.language(text) == "ko" else None)


def terms(text: str, morphemes: list[str] | None) -> set[str]:
    """Label candidates: Korean nouns and foreign words (from the engine's morphemes), else
    English words that are not stop words."""
    if morphemes is not None:
        found = {
            t.split("/")[0]
            for t in morphemes
            if t.endswith(("/NN", "/SL")) and len(t.split("/")[0]) > 1
        }
        return {_as_written(term, text) for term in found}
    return {
        _as_written(w, text)
        for w in re.findall(r"[a-z][a-z']+", text.lower())
        if w not in _ENGLISH_STOP and len(w) > 2
    }


def _as_written(term: str, text: str) -> str:
    """A foreign term as the text spells it (Kiwi's forms are lower-cased: ATM, not atm)."""
    if term.isascii() and term.isalpha():
        found = re.search(re.escape(term), text, re.IGNORECASE)
        if found:
            return found.group(0)
    return term


def top_terms(
    member_terms: list[set[str]], document_frequency: Counter, total: int, limit: int = 5
) -> list[str]:
    """A group's keywords by class-based TF-IDF: terms frequent in the group and rare in the
    campaign."""
    inside = Counter(t for found in member_terms for t in found)
    score = {
        t: n * math.log(1 + max(total, 1) / document_frequency.get(t, n))
        for t, n in inside.items()
        if n >= 2 or len(member_terms) < 3
    }
    return [t for t, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


_SENTENCE = re.compile(r"(?<=[.!?。…])\s+|\n+|(?<=[요다죠음함임])[.!?~]*\s+(?=\S)")
# Where a Korean or English sentence hands over to its next clause: the last clause usually
# says what went wrong ("월세를 보내려는데 | 점검 시간이라 이체가 안 됐어요").
_CLAUSE = re.compile(
    "(?:"
    + "|".join(
        f"(?<={ending})"
        for ending in ("는데", "니까", "어서", "아서", "해서", "라서", "지만", ",", ";", ":")
    )
    + r")\s+|\s+(?=but |because |so |and then )"
)
_TAIL = re.compile(r"[\s.!?~;,ㅠㅜㅋㅎ^]+$")
SUMMARY_LENGTH = 36


def summarise(
    members: list[_Told], vectors: np.ndarray, cluster_keywords: list[str], loose: list[bool]
) -> str | None:
    """A short phrase that says the cluster's problem: its most representative member (the one
    closest to the members' mean, loosely grouped ones only if nothing else), cut to the
    sentence and then the clause that carries most of the cluster's key terms, in the writer's
    own order and spelling (so ATM and ARS keep their case). At most SUMMARY_LENGTH characters,
    cut at a space."""
    if not members:
        return None
    mean = vectors.mean(axis=0)
    centrality = vectors @ mean - np.array(loose, dtype=np.float32)  # loose members rank last
    text = " ".join(members[int(np.argmax(centrality))].body.split())
    keys = [k.lower() for k in cluster_keywords]
    return _shortened(_telling_clauses(_telling_sentence(text, keys), keys)) or None


def _weight(piece: str, keys: list[str]) -> int:
    """How many of the cluster's key terms a piece of text carries."""
    lowered = piece.lower()
    return sum(k in lowered for k in keys)


def _telling_sentence(text: str, keys: list[str]) -> str:
    """The sentence with the most key terms, the first of equals."""
    sentences = [p for p in _SENTENCE.split(text) if p and p.strip()] or [text]
    return max(enumerate(sentences), key=lambda ip: (_weight(ip[1], keys), -ip[0]))[1]


def _telling_clauses(sentence: str, keys: list[str]) -> str:
    """A sentence too long to show, cut to the run of whole clauses that fits: some key term,
    then ending where the sentence ends (so it closes on its predicate, not on "…작아서"),
    then more key terms, then longer."""
    if len(sentence) <= SUMMARY_LENGTH:
        return sentence
    clauses = [c.strip() for c in _CLAUSE.split(sentence) if c and c.strip()]
    runs = [
        (" ".join(clauses[i:j]), j == len(clauses))
        for i in range(len(clauses))
        for j in range(i + 1, len(clauses) + 1)
    ]
    fitting = [(run, ends) for run, ends in runs if len(run) <= SUMMARY_LENGTH]
    if fitting:

        def rank(run: tuple[str, bool]) -> tuple:
            return _weight(run[0], keys) > 0, run[1], _weight(run[0], keys), len(run[0])

        return max(fitting, key=rank)[0]
    return clauses[-1] if clauses else sentence


def _shortened(phrase: str) -> str:
    """Without trailing punctuation, and at most SUMMARY_LENGTH characters, cut at a space."""
    phrase = _TAIL.sub("", phrase.strip())
    if len(phrase) > SUMMARY_LENGTH:
        cut = phrase[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
        phrase = _TAIL.sub("", cut) + "…"
    return phrase
