"""The hand-labelled PII sets in tests/data and how the detector is scored on them.

Each line: `text || SUBSTRING=TYPE; ... || look-alike; ...`. A labelled span counts as found when
detected spans cover all of it; a look-alike counts as wrongly masked when any detected span
touches it. Types: RRN, ARN, PHONE, CARD, ACCOUNT, EMAIL, PASSPORT, DRIVER_LICENSE, PLATE,
ADDRESS, NAME.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA = Path(__file__).parent / "data"
SETS = {"dev": DATA / "pii_dev.txt", "holdout": DATA / "pii_holdout.txt"}
TODAY = date(2026, 11, 23)


@dataclass
class Sentence:
    text: str
    spans: list[tuple[int, int, str]]
    keep: list[tuple[int, int, str]]


def _locate(text: str, needle: str, line: str) -> tuple[int, int]:
    at = text.find(needle)
    assert at >= 0, f"{needle!r} is not in {line!r}"
    return at, at + len(needle)


def load(name: str) -> list[Sentence]:
    sentences = []
    for line in SETS[name].read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, keep = (part.strip() for part in line.split("||"))
        labelled = []
        for item in filter(None, (s.strip() for s in spans.split(";"))):
            needle, kind = item.rsplit("=", 1)
            labelled.append((*_locate(text, needle, line), kind))
        alike = [(*_locate(text, k, line), k) for k in filter(None, (s.strip() for s in keep.split(";")))]
        sentences.append(Sentence(text, labelled, alike))
    return sentences


@dataclass
class Score:
    spans: int = 0
    found: int = 0
    typed: int = 0
    lookalikes: int = 0
    masked_lookalikes: int = 0
    extra: int = 0
    seconds: float = 0.0
    sentences: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.spans

    @property
    def type_accuracy(self) -> float:
        return self.typed / self.spans

    @property
    def lookalike_rate(self) -> float:
        return self.masked_lookalikes / self.lookalikes

    @property
    def ms_per_sentence(self) -> float:
        return 1000 * self.seconds / self.sentences


def score(detect, sentences: list[Sentence]) -> Score:
    result = Score(sentences=len(sentences))
    for s in sentences:
        started = time.perf_counter()
        found = detect(s.text, TODAY)
        result.seconds += time.perf_counter() - started
        for start, end, kind in s.spans:
            result.spans += 1
            covering = [f for f in found if f.start <= start and f.end >= end]
            covered = covering or sum(min(end, f.end) - max(start, f.start) for f in found
                                      if f.start < end and f.end > start) >= end - start
            if covered:
                result.found += 1
                result.typed += any(f.type == kind for f in covering)
            else:
                result.misses.append(f"missed {kind} {s.text[start:end]!r} in {s.text!r}")
        for start, end, text in s.keep:
            result.lookalikes += 1
            if any(f.start < end and f.end > start for f in found):
                result.masked_lookalikes += 1
                result.misses.append(f"masked look-alike {text!r} in {s.text!r}")
        for f in found:
            if not any(f.start < e and f.end > b for b, e, _ in s.spans):
                result.extra += 1
                if not any(f.start < e and f.end > b for b, e, _ in s.keep):
                    result.misses.append(f"extra {f.type} {s.text[f.start:f.end]!r} in {s.text!r}")
    return result
