"""Clustering quality and scale, with exactly the product's default pipeline and settings.

    .venv/bin/python bench/cluster_bench.py                 # quality, then scale at 1k/10k/100k
    .venv/bin/python bench/cluster_bench.py --sizes 1000 10000
    .venv/bin/python bench/cluster_bench.py --skip-quality --sizes --stored 10000 100000
    .venv/bin/python bench/cluster_bench.py --untouched     # also the untouched complaints (once)

Quality: AMI, ARI and NMI (x100) and the share of texts left alone, through the same pipeline
as `flask cluster-file`, on realistic Korean finance complaints written for this project
(bench/data; the development part is tuned on, the untouched part is not), ParaKQC Korean
paraphrase groups and BANKING77 English intents (../shared/data; the whole file and a random
3,000-row sample), the size curve (50, 100 and 200 ParaKQC groups) and ParaKQC among 6,000
unrelated Korean comments as distractors. Texts left alone (cluster -1) each count as their own
cluster. Scale: wall time and peak memory (max RSS of a fresh process) for N cold texts built
by sampling real Korean and English sentences and joining two of them, so no text repeats,
encoding included. --stored: the same through the product (a SQLite database whose moments
carry the vectors encoded on arrival, re-clustering with the index it stores, then new moments
placed one by one, encoding included, and their similar moments looked up, as on submit and on
the desk).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from sklearn.metrics import (
    adjusted_mutual_info_score,
    adjusted_rand_score,
    normalized_mutual_info_score,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BENCH_DATA = ROOT / "bench" / "data"
# Encoder vectors of the synthetic texts, reused by --stored.
CACHE = ROOT / "instance" / "bench-cache"
sys.path.insert(0, str(ROOT))


def load(name: str) -> tuple[list[str], list[str]]:
    rows = [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def singletons_apart(labels):
    out, next_label = list(labels), max(labels, default=-1) + 1
    for i, label in enumerate(out):
        if label == -1:
            out[i], next_label = next_label, next_label + 1
    return out


def quality(untouched: bool = False) -> None:
    import numpy as np

    from campaign.clustering import cluster_texts
    from campaign.config import DEFAULT_CLUSTER_THRESHOLDS

    print(
        f"{'data':40} {'n':>6} {'AMI':>5} {'ARI':>5} {'NMI':>5} {'groups':>6} {'alone':>6} "
        f"{'seconds':>7}"
    )

    def report(name: str, texts: list[str], truth: list, scored_rows=None) -> float:
        started = time.perf_counter()
        found = cluster_texts(texts, DEFAULT_CLUSTER_THRESHOLDS).tolist()
        seconds = time.perf_counter() - started
        rows = range(len(texts)) if scored_rows is None else scored_rows
        y = [truth[i] for i in rows]
        mine = singletons_apart([found[i] for i in rows])
        alone = sum(found[i] == -1 for i in rows)
        ami = 100 * adjusted_mutual_info_score(y, mine)
        print(
            f"{name:40} {len(texts):6} {ami:5.1f} {100 * adjusted_rand_score(y, mine):5.1f} "
            f"{100 * normalized_mutual_info_score(y, mine):5.1f} {max(found) + 1:6} "
            f"{100 * alone / len(y):5.1f}% {seconds:7.1f}"
        )
        return ami

    complaints = [("complaints, development (written for us)", "complaints_dev.jsonl")]
    if untouched:
        complaints.append(("complaints, UNTOUCHED (scored once)", "complaints_untouched.jsonl"))
    for name, file in complaints:
        rows = read_jsonl(BENCH_DATA / file)
        report(name, [r["text"] for r in rows], [r["problem"] for r in rows])

    for name, file in (
        ("ParaKQC (Korean)", "parakqc-dev.jsonl"),
        ("BANKING77 (English)", "banking77-dev.jsonl"),
    ):
        texts, truth = load(file)
        samples = [("all", np.arange(len(texts)))]
        if len(texts) > 3000:
            samples.append(
                ("3,000 sample", np.random.default_rng(7).permutation(len(texts))[:3000])
            )
        for label, idx in samples:
            report(f"{name}, {label}", [texts[i] for i in idx], [truth[i] for i in idx])

    # The size curve: 50, 100 and 200 ParaKQC groups (three samples each), then all 2,000 texts
    # among 6,000 Korean comments about anything else (kor-hate), scored on ParaKQC's rows only:
    # quality must not fall as a campaign grows or fills with unrelated moments.
    texts, truth = load("parakqc-dev.jsonl")
    groups = sorted(set(truth))
    for size in (50, 100, 200):
        amis = []
        for seed in range(3 if size < len(groups) else 1):
            chosen = set(np.random.default_rng(seed).permutation(groups)[:size].tolist())
            idx = [i for i, label in enumerate(truth) if label in chosen]
            amis.append(
                report(
                    f"ParaKQC, {size} groups, sample {seed + 1}",
                    [texts[i] for i in idx],
                    [truth[i] for i in idx],
                )
            )
        print(f"{'  -> ' + str(size) + ' groups, AMI mean':40} {np.mean(amis):20.1f}")
    others, _ = load("kor-hate-dev.jsonl")
    noise = [others[i] for i in np.random.default_rng(3).permutation(len(others))[:6000]]
    report(
        "ParaKQC 2,000 + 6,000 distractors",
        texts + noise,
        truth + ["?"] * len(noise),
        range(len(texts)),
    )


def synthetic(n: int) -> list[str]:
    import numpy as np

    korean, _ = load("parakqc-dev.jsonl")
    english, _ = load("banking77-dev.jsonl")
    rng = np.random.default_rng(n)
    out = []
    for i in range(n):
        pool = korean if i % 2 == 0 else english
        a, b = rng.integers(0, len(pool), 2)
        out.append(f"{pool[a]} {pool[b]}")
    return out


def one_size(n: int) -> None:
    """Run in a fresh process: cluster n cold texts (encoding included, as `flask cluster-file`
    does) and print seconds, the encoding part and peak memory. Loading the models happens once
    per process (gunicorn does it when a worker starts) and is timed on its own. The encoder's
    vectors are kept in CACHE so --stored can store them with the moments."""
    import numpy as np

    from campaign.clustering import engine, features
    from campaign.config import DEFAULT_CLUSTER_THRESHOLDS

    texts = synthetic(n)
    started = time.perf_counter()
    features.warm()
    loaded = time.perf_counter()
    stamps: list[tuple[float, int]] = []

    def progress(done: int) -> None:
        stamps.append((time.perf_counter(), done))

    embedding = engine.embed(texts, progress=progress)
    labels = engine.cluster_embedded(embedding, DEFAULT_CLUSTER_THRESHOLDS)
    done = time.perf_counter()
    if embedding.meanings is not None:
        CACHE.mkdir(exist_ok=True)
        np.save(CACHE / f"synthetic-{n}.npy", embedding.meanings.astype(np.float16))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # The first batch's own time is taken as the average of the others.
    batches = len(stamps)
    encoding = (
        (stamps[-1][0] - stamps[0][0]) * batches / max(batches - 1, 1) if batches > 1 else 0.0
    )
    print(
        json.dumps(
            {
                "n": n,
                "seconds": round(done - loaded, 1),
                "encoding": round(encoding, 1),
                "load": round(loaded - started, 1),
                "peak_mb": round(peak),
                "groups": int(labels.max() + 1),
                "alone": int((labels < 0).sum()),
            }
        )
    )


def stored(n: int, arrivals: int = 200) -> None:
    """Run in a fresh process: store n moments in a new SQLite database, re-cluster them through
    the product, then place `arrivals` new moments one by one and look up similar moments."""
    import tempfile
    import uuid

    import numpy as np
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from campaign import create_app
    from campaign.clustering import encoder, features, placement, recluster, similar
    from campaign.extensions import db
    from campaign.models import Campaign, Moment, utcnow

    texts = synthetic(n + arrivals)
    cached = CACHE / f"synthetic-{n}.npy"
    # Moments keep the vector they were encoded with on arrival; without a cached run of
    # --sizes n, they are stored without one and the re-clustering encodes them (cold).
    meanings = np.load(cached) if cached.exists() and encoder.available() else None
    folder = tempfile.mkdtemp()
    app = create_app(
        {"ENV": "development", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"}
    )
    with app.app_context():
        upgrade()
        campaign = Campaign(slug="bench", title="bench", question="?", opens_on=utcnow().date())
        db.session.add(campaign)
        db.session.flush()
        hour = utcnow().replace(minute=0, second=0, microsecond=0)
        for start in range(0, n, 5000):
            db.session.execute(
                insert(Moment),
                [
                    {
                        "campaign_id": campaign.id,
                        "body": t,
                        "receipt_hash": uuid.uuid4().hex,
                        "received_hour": hour,
                        "masked": {},
                        "embedding": encoder.pack(meanings[start + i])
                        if meanings is not None
                        else None,
                    }
                    for i, t in enumerate(texts[start : min(start + 5000, n)])
                ],
            )
        db.session.commit()
        thresholds = app.config["CLUSTER_THRESHOLDS"]
        features.warm()  # as a gunicorn worker has when someone presses the button
        started = time.perf_counter()
        result = recluster.run(campaign, thresholds=thresholds)
        db.session.commit()
        recluster_seconds = time.perf_counter() - started
        # The first placement loads the index.
        placement.place(Moment(campaign_id=campaign.id, body=texts[n]), thresholds=thresholds)
        db.session.rollback()
        place, lookup = [], []
        for text in texts[n + 1 :]:
            moment = Moment(
                campaign_id=campaign.id,
                body=text,
                receipt_hash=uuid.uuid4().hex,
                received_hour=hour,
                masked={},
            )
            db.session.add(moment)
            db.session.flush()
            started = time.perf_counter()
            placement.place(moment, thresholds=thresholds)
            place.append(time.perf_counter() - started)
            db.session.commit()
            started = time.perf_counter()
            similar.to_moment(moment)
            lookup.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ms(values, q):
        return round(1000 * float(np.percentile(values, q)), 1)

    print(
        json.dumps(
            {
                "n": n,
                "recluster_s": round(recluster_seconds, 1),
                "groups": result.groups,
                "stored_vectors": meanings is not None,
                "place_p50_ms": ms(place, 50),
                "place_p95_ms": ms(place, 95),
                "similar_p50_ms": ms(lookup, 50),
                "similar_p95_ms": ms(lookup, 95),
                "peak_mb": round(peak),
            }
        )
    )


def prior() -> None:
    """Write the encoder's prior means (campaign/data/e5_prior_mean.npy): the mean vector of the
    project's own Korean texts (the demo and the development complaints) and of its English
    ones (the development complaints written in English), so a campaign of a few moments is
    centred sensibly (engine.centre). The untouched complaints are never read here."""
    import numpy as np

    from campaign import demo
    from campaign.clustering import encoder, engine, features

    texts = [m[2] for m in demo.MOMENTS] + [t[3] for t in demo.TIMED]
    texts += [r["text"] for r in read_jsonl(BENCH_DATA / "complaints_dev.jsonl")]
    langs = np.array([features.language(t) for t in texts])
    vectors = encoder.encode(texts)
    means = np.stack([vectors[langs == lang].mean(axis=0) for lang in engine.LANGS])
    np.save(engine.PRIOR_FILE, means.astype(np.float16))
    print(
        f"prior from {dict(zip(*np.unique(langs, return_counts=True), strict=False))} texts -> "
        f"{engine.PRIOR_FILE}"
    )


def read_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--stored",
        type=int,
        nargs="*",
        default=[],
        help="also re-cluster this many stored moments and time placing new ones",
    )
    parser.add_argument("--stored-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--prior", action="store_true", help="write the encoder's prior means and stop"
    )
    parser.add_argument(
        "--untouched",
        action="store_true",
        help="also score the untouched complaints (only once the method and defaults are final)",
    )
    args = parser.parse_args()
    if args.prior:
        prior()
        return
    if args.one:
        one_size(args.one)
        return
    if args.stored_one:
        stored(args.stored_one)
        return
    if not args.skip_quality:
        quality(args.untouched)
    print(
        f"\n{'texts':>7} {'seconds':>8} {'peak MB':>8} {'groups':>7}   (half Korean, "
        "half English; 2 cores; models loaded first, load time apart)"
    )
    for n in args.sizes:
        result = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['n']:7} {row['seconds']:8} {row['peak_mb']:8} {row['groups']:7}   load "
            f"{row['load']} s, encoding {row['encoding']} s, {row['alone']} alone"
        )
    if args.stored:
        print(
            f"\n{'stored':>7} {'recluster s':>11} {'groups':>7} {'place p50/p95 ms':>17} "
            f"{'similar p50/p95 ms':>19} {'peak MB':>8}   "
            "(SQLite, 200 arrivals; models loaded first)"
        )
    for n in args.stored:
        result = subprocess.run(
            [sys.executable, __file__, "--stored-one", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['n']:7} {row['recluster_s']:11} {row['groups']:7} "
            f"{str(row['place_p50_ms']) + ' / ' + str(row['place_p95_ms']):>17} "
            f"{str(row['similar_p50_ms']) + ' / ' + str(row['similar_p95_ms']):>19} "
            f"{row['peak_mb']:8}"
        )


if __name__ == "__main__":
    main()
