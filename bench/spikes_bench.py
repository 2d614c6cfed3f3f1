"""How long the desk's new signals take at scale: the spike rule over a whole campaign, the
alerts, the ranking, the cluster list that shows them, the settle job's `detect_new`, a brief.

    .venv/bin/python bench/spikes_bench.py                      # SQLite, 100,000 moments
    .venv/bin/python bench/spikes_bench.py --backend postgresql

Builds dashboard_bench.py's campaign (N moments over 90 days, 70% of them in 3,000 clusters of
Pareto sizes), gives a third of the moments a severity, adds a burst of 30 moments in the last
hours to one quiet cluster, then times each read (best of 5).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def best(fn, rounds: int = 5) -> tuple[float, object]:
    timings, result = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - started)
    return min(timings) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moments", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    import sqlalchemy as sa
    from dashboard_bench import build, fresh_database
    from flask_migrate import upgrade

    from campaign import briefs, create_app, desk_pages, ranking, spikes
    from campaign.extensions import db
    from campaign.models import Cluster, Moment, utcnow

    url = fresh_database(args.backend, "bench_spikes")
    app = create_app({"ENV": "development", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        campaign_id = build(args.moments)
        rng = random.Random(11)
        ids = list(db.session.scalars(sa.select(Moment.id)))
        for chunk in range(0, len(ids), 5000):
            for mid in ids[chunk : chunk + 5000]:
                if rng.random() < 0.33:
                    db.session.execute(
                        sa.update(Moment).where(Moment.id == mid).values(severity=rng.randint(1, 5))
                    )
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        quiet = db.session.scalars(
            sa.select(Cluster.id).where(Cluster.campaign_id == campaign_id).order_by(Cluster.id)
        ).all()[-1]
        for i in range(30):
            db.session.add(
                Moment(
                    campaign_id=campaign_id,
                    body=f"급증 {i}",
                    receipt_hash=f"burst{i:059d}",
                    received_hour=now - timedelta(hours=i % 5),
                    masked={},
                    cluster_id=quiet,
                    settled=True,
                )
            )
        db.session.commit()
        took = time.perf_counter() - started
        print(f"built {args.moments:,} moments in {took:.1f} s ({args.backend})")
        now = utcnow()
        rule = spikes.Rule()
        ms, found = best(lambda: spikes.current(campaign_id, now, rule))
        print(f"spikes.current (whole campaign): {ms:.0f} ms; {len(found)} spiking")
        ms, _ = best(lambda: spikes.alerts(campaign_id, now, rule))
        print(f"spikes.alerts (spikes + urgent): {ms:.0f} ms")
        ms, _ = best(lambda: spikes.current(campaign_id, now, rule, clusters=[quiet]))
        print(f"spikes.current for one cluster (its page): {ms:.0f} ms")
        spikes.detect_new(campaign_id, now, rule)
        db.session.commit()
        ms, new = best(lambda: spikes.detect_new(campaign_id, now, rule))
        db.session.rollback()
        print(f"spikes.detect_new once spikes are recorded (each settle batch): {ms:.0f} ms")
        cluster_ids = list(
            db.session.scalars(sa.select(Cluster.id).where(Cluster.campaign_id == campaign_id))
        )
        ms, _ = best(lambda: ranking.ranks(cluster_ids, now))
        print(f"ranking.ranks over {len(cluster_ids):,} clusters: {ms:.0f} ms")
        for order in ("size", "rank"):
            ms, _ = best(
                lambda order=order: desk_pages.clusters_page(
                    campaign_id, order=order, now=now, regression=(5, 14)
                ),
                rounds=3,
            )
            print(f"desk_pages.clusters_page(order={order!r}): {ms:.0f} ms")
        biggest = db.session.execute(
            sa.select(Moment.cluster_id, sa.func.count())
            .where(Moment.cluster_id.is_not(None))
            .group_by(Moment.cluster_id)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
        cluster = db.session.get(Cluster, biggest[0])
        ms, _ = best(lambda: briefs.brief(cluster, now=now), rounds=3)
        print(f"briefs.brief for the largest cluster ({biggest[1]:,} moments): {ms:.0f} ms")


if __name__ == "__main__":
    main()
