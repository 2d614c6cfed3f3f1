"""The hand-labelled PII sets in tests/data and how the detector is scored on them.

Each line: `text || SUBSTRING=TYPE; ... || look-alike; ...`. A labelled span counts as found when
detected spans cover all of it; a look-alike counts as wrongly masked when any detected span
touches it. Types: RRN, ARN, PHONE, CARD, ACCOUNT, EMAIL, PASSPORT, DRIVER_LICENSE, PLATE,
ADDRESS, NAME. A look-alike may carry its kind (`2024.11.23=DATE`); the generated sets do.

Addresses: the 시·도 and 시·군·구 are kept on purpose (see /privacy), so when a labelled ADDRESS
span starts with them (as a writer who was not told so may label it), they are not required to
be covered; the rest of the span is. So is the 우편번호 (five digits, or the old 3-3): it names an
area of some thousand people, like the 시·군·구, and is kept; inside a labelled address it is not
required, and a label that is only a 우편번호 is not scored.

The sets: dev and holdout (the first hand-written sets, written next to the old detector),
gen-dev and gen-untouched (tests/pii_generate.py; the detector is tuned on gen-dev only),
handwritten to handwritten-4 ("hand-written dev (writer 1)" … "(writer 4)": each written by a
separate writer who never saw the detector, scored once untouched, and development data since).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from campaign.pii_lexicon import SIGUNGU

DATA = Path(__file__).parent / "data"
SETS = {
    "dev": DATA / "pii_dev.txt",
    "holdout": DATA / "pii_holdout.txt",
    "gen-dev": DATA / "pii_gen_dev.txt",
    "gen-untouched": DATA / "pii_gen_untouched.txt",
    "handwritten": DATA / "pii_handwritten.txt",
    "handwritten-2": DATA / "pii_handwritten_2.txt",
    "handwritten-3": DATA / "pii_handwritten_3.txt",
    "handwritten-4": DATA / "pii_handwritten_4.txt",
    "handwritten-5": DATA / "pii_handwritten_5.txt",
}
# What the bench and the README call each set.
TITLES = {
    "dev": "dev",
    "holdout": "holdout",
    "gen-dev": "generated dev",
    "gen-untouched": "generated untouched",
    "handwritten": "hand-written dev (writer 1)",
    "handwritten-2": "hand-written dev (writer 2)",
    "handwritten-3": "hand-written dev (writer 3)",
    "handwritten-4": "hand-written dev (writer 4)",
    "handwritten-5": "hand-written untouched (writer 5)",
}
_KIND = re.compile(r"=([A-Z_]+)$")
# 시·도 and 시·군·구 words at the start of a labelled address: kept by design.
# A 시 may be written without 시 ("포항 북구", "원주 단구로"): the names of campaign/pii_lexicon.py.
_SHORT_CITIES = "|".join(
    sorted((w[:-1] for w in SIGUNGU if w.endswith("시")), key=len, reverse=True)
)
_REGION_PREFIX = re.compile(
    r"(?:(?:[가-힣]{1,4}(?:특별시|광역시|특별자치시|특별자치도|도|시)|서울|부산|대구|인천|광주|대전|울산|"
    r"세종|경기|강원|충북|충남|전북|전남|경북|경남|제주)\s)?"
    rf"(?:(?:[가-힣]{{1,5}}(?:시|군|구)|{_SHORT_CITIES})\s){{0,2}}"
)
TODAY = date(2026, 11, 23)


@dataclass
class Sentence:
    text: str
    spans: list[tuple[int, int, str]]
    keep: list[tuple[int, int, str, str]]  # start, end, text, kind ("" when not given)
    exempt: list[tuple[int, int]] = field(
        default_factory=list
    )  # region words and 우편번호 inside ADDRESS labels


def _locate(text: str, needle: str, line: str) -> tuple[int, int]:
    at = text.find(needle)
    assert at >= 0, f"{needle!r} is not in {line!r}"
    return at, at + len(needle)


def available(name: str) -> bool:
    return SETS[name].exists()


_ZIP_PREFIX = re.compile(r"[(\[]?\d{5}[)\]]?\s?")
_ZIP = re.compile(r"(?:우\)\s?)?[(\[]?(?<![0-9-])(?:\d{5}|\d{3}-\d{3})(?![0-9-])[)\]]?")


def _exempt(text: str, start: int, end: int, kind: str) -> list[tuple[int, int]]:
    """The 시·도/시·군·구 words at the head of a labelled address (after a 우편번호, if any) and
    the 우편번호 anywhere in it: kept by design, so not required to be covered. The rest is."""
    if kind != "ADDRESS":
        return []
    gaps = [(z.start(), z.end()) for z in _ZIP.finditer(text, start, end)]
    at = start
    z = _ZIP_PREFIX.match(text, at)
    if z:
        at = z.end()
    m = _REGION_PREFIX.match(text, at)
    if m and at < m.end() < end:
        gaps.append((at, m.end()))
    return gaps


def load(name: str) -> list[Sentence]:
    sentences = []
    for line in SETS[name].read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, keep = (part.strip() for part in line.split("||"))
        labelled, exempt = [], []
        for item in filter(None, (s.strip() for s in spans.split(";"))):
            needle, kind = item.rsplit("=", 1)
            start, end = _locate(text, needle.strip(), line)
            if kind.strip() == "ADDRESS" and _ZIP.fullmatch(text, start, end):
                continue  # only a 우편번호: kept by design
            labelled.append((start, end, kind.strip()))
            exempt.extend(_exempt(text, start, end, kind.strip()))
        alike = []
        for item in filter(None, (s.strip() for s in keep.split(";"))):
            m = _KIND.search(item)
            needle, kind = (
                (item[: m.start()], m.group(1)) if m and item[: m.start()] in text else (item, "")
            )
            alike.append((*_locate(text, needle, line), needle, kind))
        sentences.append(Sentence(text, labelled, alike, exempt))
    return sentences


@dataclass
class Tally:
    spans: int = 0
    found: int = 0
    lookalikes: int = 0
    masked: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.spans if self.spans else None

    @property
    def masked_rate(self) -> float | None:
        return self.masked / self.lookalikes if self.lookalikes else None


@dataclass
class Score(Tally):
    """A whole set's tally, with its misses, per-type tallies and timings."""

    typed: int = 0
    extra: int = 0
    seconds: float = 0.0
    sentences: int = 0
    misses: list[str] = field(default_factory=list)
    # Per labelled type (recall) and per look-alike kind (share masked; "?" when not given).
    by_type: dict[str, Tally] = field(default_factory=dict)
    # Look-alikes wrongly masked, by the type they were masked as.
    false_by_type: dict[str, int] = field(default_factory=dict)
    times_ms: list[float] = field(default_factory=list)

    def tally(self, key: str) -> Tally:
        return self.by_type.setdefault(key, Tally())

    @property
    def type_accuracy(self) -> float:
        return self.typed / self.spans

    @property
    def masked_lookalikes(self) -> int:
        return self.masked

    @property
    def lookalike_rate(self) -> float:
        return self.masked_rate

    @property
    def ms_per_sentence(self) -> float:
        return 1000 * self.seconds / self.sentences


def score(detect, sentences: list[Sentence]) -> Score:
    result = Score(sentences=len(sentences))
    for s in sentences:
        started = time.perf_counter()
        found = detect(s.text, TODAY)
        elapsed = time.perf_counter() - started
        result.seconds += elapsed
        result.times_ms.append(elapsed * 1000)
        for start, end, kind in s.spans:
            result.spans += 1
            result.tally(kind).spans += 1
            required = {
                i
                for i in range(start, end)
                if not s.text[i].isspace() and not any(a <= i < b for a, b in s.exempt)
            }
            covering = [
                f
                for f in found
                if f.start <= min(required, default=start)
                and f.end >= max(required, default=end) + 1
            ]
            covered = required <= {i for f in found for i in range(f.start, f.end)}
            if covered:
                result.found += 1
                result.tally(kind).found += 1
                result.typed += any(f.type == kind for f in covering)
            else:
                result.misses.append(f"missed {kind} {s.text[start:end]!r} in {s.text!r}")
        for start, end, text, kind in s.keep:
            result.lookalikes += 1
            result.tally(kind or "?").lookalikes += 1
            hit = [f for f in found if f.start < end and f.end > start]
            if hit:
                result.masked += 1
                result.tally(kind or "?").masked += 1
                result.false_by_type[hit[0].type] = result.false_by_type.get(hit[0].type, 0) + 1
                result.misses.append(f"masked look-alike {text!r} in {s.text!r}")
        for f in found:
            if not any(f.start < e and f.end > b for b, e, _ in s.spans):
                result.extra += 1
                if not any(f.start < e and f.end > b for b, e, _, _ in s.keep):
                    result.misses.append(
                        f"extra {f.type} {s.text[f.start : f.end]!r} in {s.text!r}"
                    )
    return result
