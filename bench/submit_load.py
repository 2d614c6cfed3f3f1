"""Throughput of the real submit path: gunicorn with the project's settings, real HTTP, real
database. Prints requests per second and latency, and checks that the number of rows stored
equals the number of 303 answers.

    .venv/bin/python bench/submit_load.py                  # SQLite and, if reachable, PostgreSQL
    .venv/bin/python bench/submit_load.py --requests 4000 --clients 16 --backend sqlite

Rate limits are switched off for the run (CAMPAIGN_RATELIMIT_ENABLED=false): every client is
127.0.0.1. Only loopback is used.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SENTENCES = [
    "밤 12시에 월세를 보내려는데 점검 시간이라 이체가 안 됐어요.",
    "카드 분실 신고 메뉴를 찾는 데 5분이 걸렸어요.",
    "대출 금리 인하 요청을 하려면 지점에 가야 한대요.",
    "상담원 연결까지 40분을 기다렸어요. 제 번호는 010-2481-7730이에요.",
    "해외 결제가 두 번 승인됐는데 취소 메뉴가 없어요.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database_url: str, workdir: Path) -> tuple[subprocess.Popen, int]:
    env = {**os.environ, "DATABASE_URL": database_url, "CAMPAIGN_ENV": "development", "FLASK_APP": "app.py",
           "CAMPAIGN_RATELIMIT_ENABLED": "false"}
    subprocess.run([BIN / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([BIN / "flask", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    proc = subprocess.Popen(
        [BIN / "gunicorn", "--config", "python:campaign.gunicorn_conf", "--bind", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT, env=env, stdout=open(workdir / "gunicorn.log", "wb"), stderr=subprocess.STDOUT,
    )
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("gunicorn did not start; see gunicorn.log")


def client_run(port: int, count: int, offset: int, latencies: list[float], statuses: list[int]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/submit")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    for i in range(count):
        body = f"{SENTENCES[(offset + i) % len(SENTENCES)]} ({offset + i}번째 이야기, {secrets.token_hex(3)})"
        data = urllib.parse.urlencode({"csrf_token": token, "body": body, "category": "", "channel": "",
                                       "suggestion": "", "website": ""})
        started = time.perf_counter()
        conn.request("POST", "/submit", body=data, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
        reply = conn.getresponse()
        page = reply.read().decode()
        ack = re.search(r'name="pii_ack" type="hidden" value="([^"]+)"', page) if reply.status == 200 else None
        if ack:  # the soft check about personal data: send it masked, as the person would
            conn.request("POST", "/submit", body=data + "&pii_ack=" + ack.group(1), headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            reply = conn.getresponse()
            reply.read()
        latencies.append(time.perf_counter() - started)
        statuses.append(reply.status)
        new_cookie = reply.getheader("Set-Cookie")
        if new_cookie:
            cookie = new_cookie.split(";", 1)[0]
    conn.close()


def run(backend: str, database_url: str, requests: int, clients: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start_server(database_url, Path(tmp))
        engine = sa.create_engine(database_url)
        with engine.connect() as conn:
            before = conn.execute(sa.text("SELECT count(*) FROM moment")).scalar()
        latencies: list[float] = []
        statuses: list[int] = []
        per_client = requests // clients
        threads = [threading.Thread(target=client_run, args=(port, per_client, c * per_client, latencies, statuses))
                   for c in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        proc.terminate()
        proc.wait(timeout=10)
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT count(*) FROM moment")).scalar() - before
        engine.dispose()
    ok = statuses.count(303)
    q = statistics.quantiles(latencies, n=100)
    print(f"{backend:10} {len(statuses):6} requests  {clients:3} clients  {len(statuses) / elapsed:8.1f} req/s  "
          f"p50 {q[49] * 1000:6.1f} ms  p95 {q[94] * 1000:6.1f} ms  303s {ok:6}  rows stored {stored:6}  "
          f"{'OK' if ok == stored == len(statuses) else 'MISMATCH'}")


def postgres_database() -> tuple[str, callable] | None:
    try:
        admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        name = f"campaign_bench_{secrets.token_hex(3)}"
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        return None

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    url = sa.engine.make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    return url, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(f"gunicorn: {os.environ.get('WEB_CONCURRENCY', '1')} process(es) x {os.environ.get('GUNICORN_THREADS', '8')} threads (campaign/gunicorn_conf.py), "
          f"{os.cpu_count()} cores")
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run("sqlite", f"sqlite:///{tmp}/bench.sqlite3", args.requests, args.clients)
    if args.backend in ("postgresql", "both"):
        made = postgres_database()
        if made is None:
            print(f"postgresql skipped: no server at {POSTGRES}")
        else:
            url, drop = made
            try:
                run("postgresql", url, args.requests, args.clients)
            finally:
                drop()


if __name__ == "__main__":
    main()
