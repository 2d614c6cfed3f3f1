"""Precision and recall of the abusive-language flag, and (with --train) the model it ships.

    .venv/bin/python bench/abuse_bench.py            # measure the shipped flag
    .venv/bin/python bench/abuse_bench.py --train    # retrain the model, then measure

--train writes campaign/data/abuse_model.npz.

Training data: ../shared/data/kor-hate-dev.jsonl (Korean HateSpeech Dataset, Moon et al. 2020,
CC BY-SA 4.0) plus this project's own complaint sentences as non-abusive examples (the demo
moments and the PII sets), weighted 3x so that ordinary blunt complaints are not blurred.
Features are hashed character 1-3-grams: the weights file holds numbers only, no text.

Reported: 5-fold cross-validation on kor-hate (lexicon OR classifier, as the product decides),
and the shipped flag on tests/data/abuse_domain.txt, finance complaints it never trained on.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaign import flags  # noqa: E402
from campaign.demo import MOMENTS  # noqa: E402
from tests.pii_corpus import load as load_pii  # noqa: E402

KOR_HATE = ROOT.parent / "shared" / "data" / "kor-hate-dev.jsonl"
DOMAIN = ROOT / "tests" / "data" / "abuse_domain.txt"
C, DOMAIN_WEIGHT, THRESHOLD = 2.0, 3.0, 0.5


def kor_hate() -> tuple[list[str], np.ndarray]:
    rows = [
        json.loads(line)
        for line in KOR_HATE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r["text"] for r in rows], np.array([bool(r["abusive"]) for r in rows])


def own_complaints() -> list[str]:
    sentences = [s.text for name in ("dev", "holdout") for s in load_pii(name)]
    return [m[2] for m in MOMENTS] + [m[3] for m in MOMENTS if m[3]] + sentences


def domain_set() -> tuple[list[str], np.ndarray]:
    pairs = [
        line.split("\t", 1)
        for line in DOMAIN.read_text(encoding="utf-8").splitlines()
        if line[:1] in "01"
    ]
    return [t.strip() for _, t in pairs], np.array([label == "1" for label, _ in pairs])


def fit(texts: list[str], labels: np.ndarray, negatives: list[str]):
    vectorizer = flags.hashing_vectorizer()
    counts = vectorizer.transform(texts + negatives)
    y = np.concatenate([labels, np.zeros(len(negatives), dtype=bool)])
    weights = np.concatenate([np.ones(len(texts)), np.full(len(negatives), DOMAIN_WEIGHT)])
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts)
    model = LogisticRegression(C=C, max_iter=3000).fit(
        tfidf.transform(counts), y, sample_weight=weights
    )
    return tfidf, model


def report(name: str, truth: np.ndarray, predicted: np.ndarray) -> None:
    p, r, f, _ = precision_recall_fscore_support(
        truth, predicted, average="binary", zero_division=0
    )
    flagged_ok = int((predicted & ~truth).sum())
    print(
        f"{name:52} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}  (false flags "
        f"{flagged_ok}/{int((~truth).sum())})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--train", action="store_true", help="retrain and rewrite the shipped weights"
    )
    args = parser.parse_args()
    texts, labels = kor_hate()
    negatives = own_complaints()
    vectorizer = flags.hashing_vectorizer()

    if args.train:
        tfidf, model = fit(texts, labels, negatives)
        np.savez_compressed(
            flags.MODEL_PATH,
            idf=tfidf.idf_.astype(np.float16),
            coef=model.coef_[0].astype(np.float16),
            intercept=np.array([model.intercept_[0]], dtype=np.float32),
            threshold=np.array([THRESHOLD], dtype=np.float32),
        )
        flags._model.cache_clear()
        print(
            f"wrote {flags.MODEL_PATH.relative_to(ROOT)} "
            f"({flags.MODEL_PATH.stat().st_size / 1024:.0f} KiB)"
        )

    lexicon = np.array([flags.lexicon_hit(t) for t in texts])
    probabilities = np.zeros(len(texts))
    for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, labels):
        tfidf, model = fit([texts[i] for i in train], labels[train], negatives)
        probabilities[test] = model.predict_proba(
            tfidf.transform(vectorizer.transform([texts[i] for i in test]))
        )[:, 1]
    print(f"kor-hate dev, {len(texts)} rows, 5-fold cross-validation:")
    report("  lexicon alone", labels, lexicon)
    report("  classifier alone", labels, probabilities >= THRESHOLD)
    report("  lexicon or classifier (the product)", labels, lexicon | (probabilities >= THRESHOLD))

    domain_texts, domain_labels = domain_set()
    shipped = np.array([flags.is_abusive(t) for t in domain_texts])
    print(
        "finance complaints never trained on, "
        f"{len(domain_texts)} rows ({int(domain_labels.sum())} abusive):"
    )
    report("  shipped flag", domain_labels, shipped)
    report("  lexicon alone", domain_labels, np.array([flags.lexicon_hit(t) for t in domain_texts]))

    started = time.perf_counter()
    for t in domain_texts * 10:
        flags.is_abusive(t)
    print(
        "time per moment: "
        f"{(time.perf_counter() - started) / (len(domain_texts) * 10) * 1000:.3f} ms"
    )


if __name__ == "__main__":
    main()
