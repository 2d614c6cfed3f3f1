"""How well and how fast personal data is masked, per type, on every labelled set in tests/data.

    .venv/bin/python bench/pii_bench.py                 # every set, per type
    .venv/bin/python bench/pii_bench.py --misses        # also list every miss and false mask
    .venv/bin/python bench/pii_bench.py --sets gen-dev  # only some sets

Parts: dev (the first hand-written set plus the hard cases of issue 13; tuned on), holdout (the
first hand-written holdout, written next to the old detector), gen-dev (generated; tuned on),
gen-untouched (generated from parts gen-dev never uses; never tuned on), handwritten to
handwritten-4 = "hand-written dev (writer 1)" … "(writer 4)" (separate writers'; each scored
once untouched, at 87.0% recall for writer 3 and 91.1% for writer 4, and tuned on since).
For each part: recall per type (labelled spans fully covered), look-alikes masked per kind and
in all, and the milliseconds per sentence (p50 and p99 of each sentence's best of 20
rounds, and p99 of every round). When the `ko-pii` package is importable (`pip install
ko-pii`; not a project dependency) it is scored on the same sentences for reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign import pii  # noqa: E402
from tests.pii_corpus import SETS, TITLES, TODAY, available, load, score  # noqa: E402

KO_PII_TYPES = {
    "RRN": "RRN",
    "FOREIGNER_RRN": "ARN",
    "PHONE": "PHONE",
    "CARD": "CARD",
    "ACCOUNT": "ACCOUNT",
    "EMAIL": "EMAIL",
    "PASSPORT": "PASSPORT",
    "DRIVER_LICENSE": "DRIVER_LICENSE",
    "CAR_PLATE": "PLATE",
    "ADDRESS": "ADDRESS",
    "PERSON": "NAME",
    "NAME": "NAME",
}
TYPES = [
    "ADDRESS",
    "NAME",
    "ACCOUNT",
    "PHONE",
    "RRN",
    "ARN",
    "CARD",
    "EMAIL",
    "PASSPORT",
    "DRIVER_LICENSE",
    "PLATE",
]


def ko_pii_detector():
    try:
        import ko_pii
    except ImportError:
        return None

    def detect(text, today):
        return [
            pii.Span(r.start, r.end, KO_PII_TYPES.get(r.label, r.label))
            for r in ko_pii.detect_all(text)
        ]

    return detect


def timing(detect, sentences, rounds: int = 20) -> tuple[float, float, float]:
    """Milliseconds per sentence: median and 99th percentile of each sentence's best round (the
    detector's own cost), and the 99th percentile of every round (with whatever else the machine
    was doing: on two shared cores that is most of the tail)."""
    runs = []
    for _ in range(rounds):
        times = []
        for s in sentences:
            started = time.perf_counter()
            detect(s.text, TODAY)
            times.append((time.perf_counter() - started) * 1000)
        runs.append(times)
    best = [min(times) for times in zip(*runs, strict=False)]
    every = [t for times in runs for t in times]
    return (
        statistics.median(best),
        statistics.quantiles(best, n=100)[98],
        statistics.quantiles(every, n=100)[98],
    )


def _pct(value) -> str:
    return "   -  " if value is None else f"{value:6.1%}"


def report(name: str, detect, set_name: str, misses: bool) -> None:
    sentences = load(set_name)
    result = score(detect, sentences)
    p50, p99, p99_all = timing(detect, sentences)
    print(
        f"\n{name} on {TITLES[set_name]} [{set_name}]: {result.sentences} sentences, "
        f"{result.spans} spans, "
        f"{result.lookalikes} look-alikes; p50 {p50:.3f} ms, p99 {p99:.3f} ms per sentence "
        f"(p99 of every round {p99_all:.3f} ms)"
    )
    print(
        f"  recall {result.recall:.1%} ({result.found}/{result.spans}), "
        f"type right {result.type_accuracy:.1%}, "
        f"look-alikes masked {result.lookalike_rate:.2%} "
        f"({result.masked_lookalikes}/{result.lookalikes}), "
        f"extra masks {result.extra}"
    )
    print(f"  {'type':15} {'spans':>5} {'recall':>7} {'false masks as this type':>25}")
    for kind in TYPES:
        t = result.by_type.get(kind)
        false = result.false_by_type.get(kind, 0)
        if t and t.spans or false:
            rate = false / result.lookalikes if result.lookalikes else 0
            print(
                f"  {kind:15} {t.spans if t else 0:5} {_pct(t.recall if t else None)} "
                f"{false:12} ({rate:.2%})"
            )
    kinds = sorted(k for k, t in result.by_type.items() if k not in TYPES)
    if kinds:
        print(
            "  look-alikes masked by kind: "
            + ", ".join(
                f"{k} {result.by_type[k].masked}/{result.by_type[k].lookalikes}" for k in kinds
            )
        )
    if misses:
        for line in result.misses:
            print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss and false mask")
    parser.add_argument(
        "--sets", nargs="*", default=list(SETS), help="which sets (default: all present)"
    )
    args = parser.parse_args()
    detectors = {"ours": pii.detect}
    other = ko_pii_detector()
    if other:
        detectors["ko-pii"] = other
    for name, detect in detectors.items():
        for set_name in args.sets:
            if available(set_name):
                report(name, detect, set_name, args.misses)


if __name__ == "__main__":
    main()
