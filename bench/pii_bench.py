"""How well and how fast personal data is masked, on the hand-labelled sets in tests/data.

    .venv/bin/python bench/pii_bench.py            # our detector on dev and holdout
    .venv/bin/python bench/pii_bench.py --misses   # also list every miss and false mask

Prints recall (labelled spans fully covered), type accuracy, the share of look-alikes (amounts,
dates, hotlines, order numbers...) wrongly masked, extra masks, and time per sentence. When the
`ko-pii` package is importable (`pip install ko-pii`; not a project dependency) it is scored on
the same sentences for reference.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from campaign import pii  # noqa: E402
from tests.pii_corpus import TODAY, load, score  # noqa: E402

KO_PII_TYPES = {"RRN": "RRN", "FOREIGNER_RRN": "ARN", "PHONE": "PHONE", "CARD": "CARD", "ACCOUNT": "ACCOUNT",
                "EMAIL": "EMAIL", "PASSPORT": "PASSPORT", "DRIVER_LICENSE": "DRIVER_LICENSE",
                "CAR_PLATE": "PLATE", "ADDRESS": "ADDRESS", "PERSON": "NAME", "NAME": "NAME"}


def ko_pii_detector():
    try:
        import ko_pii
    except ImportError:
        return None

    def detect(text, today):
        return [pii.Span(r.start, r.end, KO_PII_TYPES.get(r.label, r.label)) for r in ko_pii.detect_all(text)]

    return detect


def timing(detect, sentences, rounds: int = 20) -> tuple[float, float]:
    """Mean and 99th-percentile milliseconds per sentence over several rounds."""
    samples = []
    for _ in range(rounds):
        for s in sentences:
            started = time.perf_counter()
            detect(s.text, TODAY)
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.fmean(samples), statistics.quantiles(samples, n=100)[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss and false mask")
    args = parser.parse_args()
    detectors = {"ours": pii.detect}
    other = ko_pii_detector()
    if other:
        detectors["ko-pii"] = other
    else:
        print("ko-pii not installed: pip install ko-pii to score it on the same sentences")
    print(f"{'detector':8} {'set':8} {'sentences':>9} {'spans':>5} {'recall':>7} {'type ok':>7} "
          f"{'look-alikes':>11} {'masked':>7} {'extra':>5} {'ms/sent':>8} {'p99 ms':>7}")
    for name, detect in detectors.items():
        for set_name in ("dev", "holdout"):
            sentences = load(set_name)
            result = score(detect, sentences)
            mean, p99 = timing(detect, sentences)
            print(f"{name:8} {set_name:8} {result.sentences:9} {result.spans:5} {result.recall:7.1%} "
                  f"{result.type_accuracy:7.1%} {result.lookalikes:11} {result.lookalike_rate:7.1%} "
                  f"{result.extra:5} {mean:8.3f} {p99:7.3f}")
            if args.misses:
                for line in result.misses:
                    print("   ", line)


if __name__ == "__main__":
    main()
