"""How long the dashboard and the exports take at scale.

    .venv/bin/python bench/dashboard_bench.py                      # SQLite, 100,000 moments
    .venv/bin/python bench/dashboard_bench.py --backend postgresql --moments 100000

Builds a campaign of N moments over 90 days (categories and channels skewed as real campaigns
are, 70% in 3,000 clusters, half the clusters routed to a team, 40% triaged with an audit event,
50 published fixes answering 100 clusters), then times the figures (analytics.dashboard), the
whole dashboard page through the test client, and streaming every moment as CSV.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def build(n: int, seed: int = 7) -> int:
    from sqlalchemy import insert

    from campaign import campaigns
    from campaign.extensions import db
    from campaign.models import (
        AuditEvent,
        Cluster,
        Fix,
        FixCluster,
        FixProgress,
        FixState,
        Moment,
        MomentStatus,
        Team,
        utcnow,
    )

    rng = random.Random(seed)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    categories = ["송금·이체", "카드", "대출", "투자", "보험", "인증·보안", "고객센터", "기타"]
    channels = ["앱", "웹", "지점·ATM", "전화 상담", "기타"]
    campaign = campaigns.create_campaign(
        slug="bench",
        title="벤치마크",
        question="불편했던 순간은?",
        intro="",
        categories=categories,
        channels=channels,
        opens_on=campaigns.local_today(now) - timedelta(days=90),
        closes_on=None,
    )
    teams = [Team(name=f"팀 {i}") for i in range(5)]
    db.session.add_all(teams)
    db.session.flush()
    clusters = [
        Cluster(
            campaign_id=campaign.id,
            keywords=[f"말{i}"],
            team_id=rng.choice(teams).id if i % 2 else None,
        )
        for i in range(3000)
    ]
    db.session.add_all(clusters)
    db.session.flush()
    statuses = (
        [MomentStatus.RECEIVED] * 12
        + [MomentStatus.IN_REVIEW] * 5
        + [MomentStatus.GROUPED] * 2
        + [MomentStatus.HIDDEN]
    )
    rows, audits = [], []
    for i in range(n):
        hour = now - timedelta(hours=int(rng.triangular(0, 90 * 24, 10 * 24)))
        moment_id = uuid.uuid4().hex[:26]
        rows.append(
            {
                "id": moment_id,
                "campaign_id": campaign.id,
                "body": f"벤치마크 이야기 {i} 점검 시간에 이체가 안 돼요",
                "category": rng.choices(categories, weights=[30, 18, 15, 8, 6, 10, 10, 3])[0],
                "channel": rng.choices(channels, weights=[65, 15, 8, 10, 2])[0],
                "status": rng.choice(statuses),
                "receipt_hash": uuid.uuid4().hex,
                "received_hour": hour,
                "masked": {},
                "cluster_id": clusters[int(rng.paretovariate(1.2)) % 3000].id
                if rng.random() < 0.7
                else None,
            }
        )
        if rng.random() < 0.4:
            audits.append(
                {
                    "at": hour + timedelta(hours=rng.expovariate(1 / 20)),
                    "action": "status",
                    "target_type": "moment",
                    "target_id": moment_id,
                    "batch": uuid.uuid4().hex[:26],
                    "data": {},
                }
            )
    for start in range(0, n, 5000):
        db.session.execute(insert(Moment), rows[start : start + 5000])
    for start in range(0, len(audits), 5000):
        db.session.execute(insert(AuditEvent), audits[start : start + 5000])
    for i in range(50):
        fix = Fix(
            campaign_id=campaign.id,
            slug=f"fix-{i}",
            title=f"개선 {i}",
            state=FixState.PUBLISHED,
            progress=FixProgress.DONE,
            published_at=now,
            shipped_on=date.today() - timedelta(days=rng.randint(0, 30)),
        )
        db.session.add(fix)
        db.session.flush()
        for cluster in rng.sample(clusters[:300], 2):
            db.session.add(FixCluster(fix_id=fix.id, cluster_id=cluster.id))
    db.session.commit()
    return campaign.id


def fresh_database(backend: str, name: str) -> str:
    """An empty database for a bench: a SQLite file in a temporary folder, or database `name`
    (dropped first) on CAMPAIGN_TEST_POSTGRES_URL's server."""
    import sqlalchemy as sa

    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/{name}.sqlite3"
    base = os.environ.get(
        "CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moments", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from campaign import analytics, create_app
    from campaign.extensions import db
    from campaign.models import Campaign, Moderator, Role, utcnow

    url = fresh_database(args.backend, "bench_dashboard")
    app = create_app(
        {
            "ENV": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            # Stream the whole export in the request (over the limit it becomes a desk job), and
            # keep jobs in-process so the bench leaves no queue file behind.
            "EXPORT_DIRECT_MAX_ROWS": args.moments + 1,
            "JOBS_IMMEDIATE": True,
        }
    )
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        campaign_id = build(args.moments)
        print(
            f"built {args.moments:,} moments in {time.perf_counter() - started:.1f} s "
            f"({args.backend})"
        )
        campaign = db.session.get(Campaign, campaign_id)
        f = analytics.Filter(campaign, ZoneInfo(app.config["TIMEZONE"]))
        settings = {
            "min_sample": app.config["MEDIAN_MIN_SAMPLE"],
            "regression": (app.config["REGRESSION_MIN_MOMENTS"], app.config["REGRESSION_DAYS"]),
        }
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            board = analytics.dashboard(f, now=utcnow(), **settings)
            timings.append(time.perf_counter() - started)
        triage = board.hours_to_triage.value
        print(
            f"figures (analytics.dashboard): best {min(timings) * 1000:.0f} ms of 3; "
            f"backlog {board.backlog:,}, closure {board.closure_rate:.1%}, "
            f"median triage {triage if triage is None else f'{triage:.1f}'} h "
            f"(n={board.hours_to_triage.n:,}), escalated {board.escalated:,}"
        )
        week = analytics.Filter(campaign, f.zone, since=campaigns_today(app) - timedelta(days=6))
        started = time.perf_counter()
        analytics.dashboard(week, now=utcnow(), **settings)
        print(f"figures for the last 7 days: {(time.perf_counter() - started) * 1000:.0f} ms")
        from werkzeug.security import generate_password_hash

        db.session.add(
            Moderator(
                email="bench@example.com",
                name="bench",
                role=Role.VIEWER,
                password_hash=generate_password_hash("bench-password", "pbkdf2"),
            )
        )
        db.session.commit()
    client = app.test_client()
    client.post("/admin/login", data={"email": "bench@example.com", "password": "bench-password"})
    started = time.perf_counter()
    page = client.get(f"/admin/dashboard?campaign={campaign_id}")
    print(
        f"dashboard page: {(time.perf_counter() - started) * 1000:.0f} ms, "
        f"HTTP {page.status_code}, {len(page.data) / 1024:.0f} KiB"
    )
    started = time.perf_counter()
    response = client.get(f"/admin/export/moments.csv?campaign={campaign_id}")
    assert response.status_code == 200, f"export answered HTTP {response.status_code}"
    size = sum(len(chunk) for chunk in response.response)
    print(
        f"moments CSV export: {time.perf_counter() - started:.1f} s, "
        f"{size / 1024 / 1024:.1f} MiB streamed"
    )
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def campaigns_today(app):
    from campaign.campaigns import local_today

    return local_today()


if __name__ == "__main__":
    main()
