"""Clustering quality and scale, with exactly the product's default pipeline and settings.

    .venv/bin/python bench/cluster_bench.py                 # quality on both sets, scale at 1k/10k/100k
    .venv/bin/python bench/cluster_bench.py --sizes 1000 10000
    .venv/bin/python bench/cluster_bench.py --skip-quality --sizes --stored 10000 100000

Quality: AMI, ARI and NMI (x100) on ../shared/data (ParaKQC Korean paraphrase groups, BANKING77
English intents; the whole file and a random 3,000-row sample, closer to a held-out split).
Texts left alone (cluster -1) each count as their own cluster. Scale: wall time and peak
memory (max RSS of a fresh process) for N texts built by sampling real Korean and English
sentences and joining two of them, so no text repeats. --stored: the same through the product
(a SQLite database, re-clustering with the index it stores, then new moments placed one by one
and their similar moments looked up, as on submit and on the desk).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
BENCH_DATA = ROOT / "bench" / "data"
sys.path.insert(0, str(ROOT))


def load(name: str) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def singletons_apart(labels):
    out, next_label = list(labels), max(labels, default=-1) + 1
    for i, label in enumerate(out):
        if label == -1:
            out[i], next_label = next_label, next_label + 1
    return out


def quality() -> None:
    import numpy as np
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

    from campaign.clustering import cluster_texts

    print(f"{'data':28} {'n':>6} {'AMI':>5} {'ARI':>5} {'NMI':>5} {'groups':>6} {'alone':>6} {'seconds':>7}")
    for name, file in (("ParaKQC (Korean)", "parakqc-dev.jsonl"), ("BANKING77 (English)", "banking77-dev.jsonl")):
        texts, truth = load(file)
        samples = [("all", np.arange(len(texts)))]
        if len(texts) > 3000:
            samples.append(("3,000 sample", np.random.default_rng(7).permutation(len(texts))[:3000]))
        for label, idx in samples:
            t, y = [texts[i] for i in idx], [truth[i] for i in idx]
            started = time.perf_counter()
            found = cluster_texts(t).tolist()
            seconds = time.perf_counter() - started
            scored = singletons_apart(found)
            print(f"{name + ', ' + label:28} {len(t):6} {100 * adjusted_mutual_info_score(y, scored):5.1f} "
                  f"{100 * adjusted_rand_score(y, scored):5.1f} {100 * normalized_mutual_info_score(y, scored):5.1f} "
                  f"{max(found) + 1:6} {found.count(-1):6} {seconds:7.1f}")


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
    """Run in a fresh process: cluster n texts and print seconds and peak memory. Loading Kiwi
    and WordLlama happens once per process (gunicorn does it when a worker starts) and is
    timed on its own."""
    from campaign.clustering import cluster_texts, features

    texts = synthetic(n)
    started = time.perf_counter()
    features.warm()
    loaded = time.perf_counter()
    labels = cluster_texts(texts)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"n": n, "seconds": round(done - loaded, 1), "load": round(loaded - started, 1),
                      "peak_mb": round(peak), "groups": int(labels.max() + 1)}))


def stored(n: int, arrivals: int = 200) -> None:
    """Run in a fresh process: store n moments in a new SQLite database, re-cluster them through
    the product, then place `arrivals` new moments one by one and look up similar moments."""
    import tempfile
    import uuid

    import numpy as np
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from campaign import create_app
    from campaign.clustering import features, grouping, similarity
    from campaign.extensions import db
    from campaign.models import Campaign, Moment, utcnow

    texts = synthetic(n + arrivals)
    folder = tempfile.mkdtemp()
    app = create_app({"ENV": "development", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3"})
    with app.app_context():
        upgrade()
        campaign = Campaign(slug="bench", title="bench", question="?", opens_on=utcnow().date())
        db.session.add(campaign)
        db.session.flush()
        hour = utcnow().replace(minute=0, second=0, microsecond=0)
        for start in range(0, n, 5000):
            db.session.execute(insert(Moment), [
                {"campaign_id": campaign.id, "body": t, "receipt_hash": uuid.uuid4().hex, "received_hour": hour,
                 "masked": {}} for t in texts[start:min(start + 5000, n)]])
        db.session.commit()
        thresholds = app.config["CLUSTER_THRESHOLDS"]
        features.warm()  # as a gunicorn worker has when someone presses the button
        started = time.perf_counter()
        result = grouping.recluster(campaign, thresholds=thresholds)
        db.session.commit()
        recluster_seconds = time.perf_counter() - started
        similarity.place(Moment(campaign_id=campaign.id, body=texts[n]), thresholds=thresholds)  # loads the index
        db.session.rollback()
        place, lookup = [], []
        for text in texts[n + 1:]:
            moment = Moment(campaign_id=campaign.id, body=text, receipt_hash=uuid.uuid4().hex, received_hour=hour,
                            masked={})
            db.session.add(moment)
            db.session.flush()
            started = time.perf_counter()
            similarity.place(moment, thresholds=thresholds)
            place.append(time.perf_counter() - started)
            db.session.commit()
            started = time.perf_counter()
            similarity.similar_to_moment(moment)
            lookup.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def ms(values, q):
        return round(1000 * float(np.percentile(values, q)), 1)

    print(json.dumps({"n": n, "recluster_s": round(recluster_seconds, 1), "groups": result.groups,
                      "place_p50_ms": ms(place, 50), "place_p95_ms": ms(place, 95),
                      "similar_p50_ms": ms(lookup, 50), "similar_p95_ms": ms(lookup, 95), "peak_mb": round(peak)}))


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
    print(f"prior from {dict(zip(*np.unique(langs, return_counts=True)))} texts -> {engine.PRIOR_FILE}")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--stored", type=int, nargs="*", default=[],
                        help="also re-cluster this many stored moments and time placing new ones")
    parser.add_argument("--stored-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--prior", action="store_true", help="write the encoder's prior means and stop")
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
        quality()
    print(f"\n{'texts':>7} {'seconds':>8} {'peak MB':>8} {'groups':>7}   (half Korean, half English; 2 cores; "
          "models loaded first, load time apart)")
    for n in args.sizes:
        result = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{row['n']:7} {row['seconds']:8} {row['peak_mb']:8} {row['groups']:7}   load {row['load']} s")
    if args.stored:
        print(f"\n{'stored':>7} {'recluster s':>11} {'groups':>7} {'place p50/p95 ms':>17} {'similar p50/p95 ms':>19} "
              f"{'peak MB':>8}   (SQLite, 200 arrivals; models loaded first)")
    for n in args.stored:
        result = subprocess.run([sys.executable, __file__, "--stored-one", str(n)], capture_output=True, text=True,
                                check=True)
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"{row['n']:7} {row['recluster_s']:11} {row['groups']:7} "
              f"{str(row['place_p50_ms']) + ' / ' + str(row['place_p95_ms']):>17} "
              f"{str(row['similar_p50_ms']) + ' / ' + str(row['similar_p95_ms']):>19} {row['peak_mb']:8}")


if __name__ == "__main__":
    main()
