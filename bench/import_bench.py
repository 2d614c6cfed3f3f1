"""How fast `flask import-moments` reads, masks and stores a call centre's log.

    .venv/bin/python bench/import_bench.py                 # SQLite, 10,000 rows
    .venv/bin/python bench/import_bench.py --rows 50000 --backend postgresql

Writes a CP949 CSV of varied finance complaints (about one in four with a phone number, card
or account number, e-mail or name in it, one in twenty a repeat of an earlier line on the same
day), then runs the command twice on a fresh database: with --dry-run, then for real (one commit
per IMPORT_BATCH_ROWS rows). Prints rows a second for each; the settle jobs are only queued (a
SQLite queue file), as a worker would take them afterwards. PostgreSQL is
CAMPAIGN_TEST_POSTGRES_URL (default: the local server), skipped with a message when unreachable.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WHAT = [
    "이체 한도 변경을 하려는데 앱에서 계속 오류가 나요",
    "점검 시간이라 새벽에 송금을 못 했어요",
    "카드 분실 신고를 했는데 재발급 안내 문자가 안 왔어요",
    "대출 서류를 세 번이나 다시 냈어요",
    "상담원 연결까지 40분이 걸렸어요",
    "ATM에서 돈이 안 나왔는데 출금 처리됐어요",
    "공인인증서 갱신 화면이 휴대폰에서 안 열려요",
    "해외 결제가 막혀서 여행 중에 곤란했어요",
    "적금 해지하려면 지점에 꼭 가야 한대요",
    "보험금 청구 서류가 너무 많고 복잡해요",
    "앱 업데이트 후 로그인이 자꾸 풀려요",
    "자동이체 날짜를 바꾸는 메뉴를 못 찾겠어요",
]
WHEN = ["어제", "오늘 아침", "지난주", "점심시간에", "퇴근하고", "주말에"]
HOW = [
    "정말 불편했어요",
    "답답했어요",
    "두 번이나 전화했어요",
    "결국 포기했어요",
    "빨리 고쳐 주세요",
]
PERSONAL = [
    "제 번호는 010-{a:04d}-{b:04d}이에요",
    "카드번호 9410-{a:04d}-{b:04d}-1234로 확인해 주세요",
    "계좌 110-{a:03d}-{b:06d}로 보냈어요",
    "메일 user{a}@example.com으로 답 주세요",
    "저는 김민준이고 연락 기다려요",
]
CATEGORIES = ["송금·이체", "카드", "대출", "기타", "보험"]
CHANNELS = ["전화 상담", "챗봇", "앱", ""]


def write_log(path: Path, rows: int, first: date, days: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    lines = ["내용,날짜,분야,경로"]
    told: list[tuple[str, str]] = []
    for _ in range(rows):
        if told and rng.random() < 0.05:
            text, day = rng.choice(told[-50:])  # the same line again, the same day
        else:
            text = f"{rng.choice(WHEN)} {rng.choice(WHAT)}. {rng.choice(HOW)}"
            if rng.random() < 0.25:
                text += ". " + rng.choice(PERSONAL).format(
                    a=rng.randint(100, 9999), b=rng.randint(1000, 999999)
                )
            text += f" (상담 {rng.randint(1, 99999)})"
            day = f"{first + timedelta(days=rng.randrange(days)):%Y.%m.%d} {rng.randint(9, 18)}:05"
            told.append((text, day))
        lines.append(f'"{text}",{day},{rng.choice(CATEGORIES)},{rng.choice(CHANNELS)}')
    path.write_bytes(("\n".join(lines) + "\n").encode("cp949"))


def database_url(backend: str) -> str | None:
    if backend == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/import.sqlite3"
    import sqlalchemy as sa

    base = os.environ.get(
        "CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    try:
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text("DROP DATABASE IF EXISTS bench_import WITH (FORCE)"))
            conn.execute(sa.text("CREATE DATABASE bench_import"))
        admin.dispose()
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL skipped: {base} is not reachable ({error.__class__.__name__})")
        return None
    return sa.engine.make_url(base).set(database="bench_import").render_as_string(False)


def run(backend: str, rows: int) -> None:
    url = database_url(backend)
    if url is None:
        return
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from campaign import campaigns, create_app
    from campaign.extensions import db
    from campaign.models import Moment

    folder = Path(tempfile.mkdtemp())
    app = create_app(
        {
            "ENV": "development",
            "SQLALCHEMY_DATABASE_URI": url,
            "JOBS_QUEUE_FILE": str(folder / "jobs.sqlite3"),
        }
    )
    with app.app_context():
        upgrade()
        today = campaigns.local_today()
        campaigns.create_campaign(
            slug="bench",
            title="금융이 불편한 순간",
            question="금융이 불편했던 순간, 언제였나요?",
            intro="",
            categories=CATEGORIES[:4],
            channels=CHANNELS[:3],
            opens_on=today - timedelta(days=120),
            closes_on=None,
        )
        db.session.commit()
        log = folder / "calls.csv"
        write_log(log, rows, today - timedelta(days=90), 90)
        runner = app.test_cli_runner()
        for label, extra in (("dry run", ["--dry-run"]), ("import", [])):
            started = time.perf_counter()
            result = runner.invoke(args=["import-moments", str(log), "--campaign", "bench", *extra])
            took = time.perf_counter() - started
            assert result.exit_code == 0, result.output
            summary = result.output.splitlines()[1]
            print(
                f"{backend:10} {label:8} {rows:,} rows in {took:.1f} s: {rows / took:,.0f} rows/s"
            )
            print(f"{'':10} {summary}")
        stored = db.session.scalar(select(func.count()).select_from(Moment))
        print(f"{'':10} stored moments: {stored:,}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.rows)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
