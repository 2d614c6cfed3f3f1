"""The submit path under load, against a bare-stack reference, on SQLite and PostgreSQL.

Two servers run side by side with the same gunicorn settings (gthread, 2 processes x 4 threads
unless --workers/--threads say otherwise): the PROJECT (campaign/gunicorn_conf.py, the demo
campaign, jobs queued in a SQLite file, no worker yet) and the REFERENCE (bench/reference_app.py:
Flask, a Flask-WTF form with CSRF, one INSERT; a 20-row list page with a join). Rounds alternate
reference and project, so a change in the machine's load hits both alike. It prints:

  * burst rounds (closed loop, --clients keep-alive connections): accepted POSTs a second
    (303s), CPU of the server's processes per request, p50 and p99, 5xx; the median of the
    rounds and the ratio project/reference;
  * a paced phase at half of each one's median capacity (open loop: latency counts from when a
    request was due, so a server that falls behind shows it): p50 and p99;
  * lost moments: rows stored must equal the 303s (0 lost), for both;
  * GETs a second of `/`, `/improvements` and one fix page against the reference list page;
  * then `flask worker` (niced, as deployed) starts and settles every moment the bursts left:
    seconds from the end of the bursts until none waits, and the drain rate;
  * the load generator's own CPU (threads over http.client), so it is known how much of the
    two cores it took.

    .venv/bin/python bench/submit_load.py                     # both backends, modest size
    .venv/bin/python bench/submit_load.py --backend sqlite --rounds 5 --seconds 10 --clients 16

Rate limits are off (CAMPAIGN_RATELIMIT_ENABLED=false): every client is 127.0.0.1. Only loopback
is used. PostgreSQL: two throwaway databases on CAMPAIGN_TEST_POSTGRES_URL's server (trust auth),
dropped at the end; the server itself is never touched otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import resource
import secrets
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
# bench/ is not a package: reference_app is importable only once sys.path has bench/ on it.
from reference_app import create_schema  # noqa: E402

POSTGRES = os.environ.get(
    "CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TICKS = os.sysconf("SC_CLK_TCK")
SENTENCES = [
    "밤 12시에 월세를 보내려는데 점검 시간이라 이체가 안 됐어요",
    "카드 분실 신고 메뉴를 찾는 데 한참 걸렸어요",
    "대출 금리 인하 요청을 하려면 지점에 가야 한대요",
    "상담원 연결까지 너무 오래 기다렸어요",
    "해외 결제가 두 번 승인됐는데 취소 메뉴가 없어요",
]
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def letters(n: int = 8) -> str:
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(n))


# ---- servers -----------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    port: int
    database_url: str
    count_sql: str  # rows that POSTs add

    def cpu_seconds(self) -> float:
        """CPU of gunicorn's master and its workers so far."""
        pids = [self.proc.pid]
        try:
            pids += [
                int(p)
                for p in Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
                .read_text()
                .split()
            ]
        except OSError:
            pass
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime, stime
            except (OSError, IndexError):
                pass
        return total / TICKS

    def rows(self) -> int:
        engine = sa.create_engine(self.database_url)
        with engine.connect() as conn:
            found = conn.execute(sa.text(self.count_sql)).scalar()
        engine.dispose()
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wait_answering(port: int, path: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", path)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server on {port} did not answer")


def gunicorn_settings(args) -> dict[str, str]:
    return {"WEB_CONCURRENCY": str(args.workers), "GUNICORN_THREADS": str(args.threads)}


def project_env(database_url: str, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAMPAIGN_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "CAMPAIGN_ENV": "development",
            "FLASK_APP": "app.py",
            "CAMPAIGN_RATELIMIT_ENABLED": "false",
            "CAMPAIGN_JOBS_QUEUE_FILE": str(work / "jobs.sqlite3"),
        }
    )
    return env


def start_project(database_url: str, work: Path, args) -> Server:
    env = project_env(database_url, work)
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [BIN / "flask", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    port = free_port()
    with open(work / "project.log", "wb") as log:
        proc = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--config",
                "python:campaign.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "app:app",
            ],
            cwd=ROOT,
            env={**env, **gunicorn_settings(args)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Server("project", proc, port, database_url, "SELECT count(*) FROM moment")


def start_reference(database_url: str, work: Path, args) -> Server:
    create_schema(database_url)
    port = free_port()
    env = {**os.environ, "REFERENCE_DATABASE_URL": database_url}
    with open(work / "reference.log", "wb") as log:
        proc = subprocess.Popen(
            [
                BIN / "gunicorn",
                "--pythonpath",
                str(ROOT / "bench"),
                "--worker-class",
                "gthread",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
                "--bind",
                f"127.0.0.1:{port}",
                "reference_app:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Server("reference", proc, port, database_url, "SELECT count(*) FROM note")


# ---- the load ----------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency: float, status: int) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses.append(status)


class Client:
    """One keep-alive connection with its session cookie."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie, self.conn = port, "", None

    def send(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                reply = self.conn.getresponse()
                page = reply.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # An idle keep-alive connection the server closed; nothing was processed.
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        cookie = reply.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if reply.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return reply.status, page

    def token(self) -> str:
        return _TOKEN.search(self.send("GET", "/submit")[1]).group(1)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def post_form(client: Client, token: str, n: int) -> int:
    body = f"{SENTENCES[n % len(SENTENCES)]} (부하 {letters()})"
    form = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "body": body,
            "category": "",
            "channel": "",
            "suggestion": "",
            "website": "",
        }
    )
    return client.send("POST", "/submit", form)[0]


@dataclass
class Round:
    server: str
    what: str
    seconds: float
    tally: Tally
    server_cpu: float
    generator_cpu: float

    @property
    def ok(self) -> int:
        wanted = 303 if self.what == "POST" else 200
        return sum(1 for s in self.tally.statuses if s == wanted)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    @property
    def errors(self) -> int:
        return sum(1 for s in self.tally.statuses if s >= 500)

    def quantile(self, q: int) -> float:
        values = self.tally.latencies
        if len(values) < 2:
            return float("nan")
        return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000

    @property
    def cpu_ms(self) -> float:
        return self.server_cpu / max(len(self.tally.statuses), 1) * 1000


def generator_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measured(server: Server, what: str, work) -> Round:
    cpu, own, started = server.cpu_seconds(), generator_cpu(), time.perf_counter()
    tally = work()
    seconds = time.perf_counter() - started
    return Round(
        server.name, what, seconds, tally, server.cpu_seconds() - cpu, generator_cpu() - own
    )


def burst(server: Server, clients: int, seconds: float, path: str | None = None) -> Round:
    """Closed loop: each client sends the next request as soon as the last is answered. POSTs
    the form when `path` is None, else GETs the path."""

    def work() -> Tally:
        tally, deadline = Tally(), time.perf_counter() + seconds

        def one(c: int) -> None:
            client = Client(server.port)
            token = client.token() if path is None else ""
            n = c * 100_000
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                if path is None:
                    status = post_form(client, token, n)
                else:
                    status = client.send("GET", path)[0]
                tally.add(time.perf_counter() - started, status)
                n += 1
            client.close()

        run_threads(one, clients)
        return tally

    return measured(server, "POST" if path is None else f"GET {path}", work)


def paced(server: Server, clients: int, seconds: float, rate: float) -> Round:
    """Open loop at `rate` POSTs a second, spread over the clients; latency from when each
    request was due."""

    def work() -> Tally:
        tally, start = Tally(), time.perf_counter() + 0.2
        total = max(int(rate * seconds), 1)

        def one(c: int) -> None:
            client = Client(server.port)
            token = client.token()
            for k in range(c, total, clients):
                due = start + k / rate
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                status = post_form(client, token, c * 100_000 + k)
                tally.add(time.perf_counter() - due, status)
            client.close()

        run_threads(one, clients)
        return tally

    return measured(server, "POST", work)


def run_threads(target, n: int) -> None:
    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# ---- the run -----------------------------------------------------------------------------------


def row(r: Round) -> str:
    return (
        f"  {r.server:9} {r.what:22} {r.rate:8.1f}/s  p50 {r.quantile(50):7.1f} ms  "
        f"p99 {r.quantile(99):7.1f} ms  cpu {r.cpu_ms:5.1f} ms/req  5xx {r.errors}  "
        f"generator {r.generator_cpu / r.seconds * 100:3.0f}% of a core"
    )


def median(rounds: list[Round], attr: str) -> float:
    values = [
        getattr(r, attr) if attr != "p50" and attr != "p99" else r.quantile(int(attr[1:]))
        for r in rounds
    ]
    return statistics.median(values)


def run_backend(backend: str, project_url: str, reference_url: str, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(
            f"\n== {backend}: preparing (migrations, demo campaign, reference tables)", flush=True
        )
        project = start_project(project_url, work, args)
        reference = start_reference(reference_url, work, args)
        try:
            wait_answering(project.port, "/submit")
            wait_answering(reference.port, "/submit")
            fix = re.search(
                r'href="/improvements/([^"/.]+)"',
                Client(project.port).send("GET", "/improvements")[1],
            )
            pages = {"/": "/", "/improvements": "/improvements"}
            if fix:
                pages["a fix page"] = f"/improvements/{fix.group(1)}"
            before = {s.name: s.rows() for s in (project, reference)}
            for server in (reference, project):  # warm-up, not counted in the rounds' rates
                burst(server, args.clients, 1.0)
            warm = {s.name: s.rows() - before[s.name] for s in (project, reference)}
            posts: dict[str, list[Round]] = {"reference": [], "project": []}
            print(
                f"-- burst rounds: {args.clients} clients, {args.seconds:.1f} s each, alternating"
            )
            for _ in range(args.rounds):
                for server in (reference, project):
                    posts[server.name].append(r := burst(server, args.clients, args.seconds))
                    print(row(r), flush=True)
            paced_rounds = {}
            print("-- paced at half of each one's median capacity (latency from when due)")
            for server in (reference, project):
                rate = median(posts[server.name], "rate") / 2
                paced_rounds[server.name] = r = paced(server, args.clients, args.paced, rate)
                print(row(r) + f"  (asked {rate:.1f}/s)", flush=True)
            bursts_ended = time.monotonic()
            accepted = {
                name: sum(r.ok for r in posts[name]) + paced_rounds[name].ok for name in posts
            }
            stored = {
                s.name: s.rows() - before[s.name] - warm[s.name] for s in (project, reference)
            }
            gets: dict[str, list[Round]] = {}
            print(
                f"-- GET rounds: {args.clients} clients, {args.get_seconds:.1f} s each "
                "(the project's public pages come from its page cache, as deployed)"
            )
            for _ in range(args.rounds):
                targets = [(reference, "/list", "/list")]
                targets += [(project, label, path) for label, path in pages.items()]
                for server, label, path in targets:
                    r = burst(server, args.clients, args.get_seconds, path)
                    gets.setdefault(f"{server.name} {label}", []).append(r)
            for name, rounds in gets.items():
                print(
                    f"  {name:24} median {median(rounds, 'rate'):8.1f}/s  "
                    f"p50 {median(rounds, 'p50'):6.1f} ms  p99 {median(rounds, 'p99'):7.1f} ms  "
                    f"cpu {median(rounds, 'cpu_ms'):5.1f} ms/req  "
                    f"5xx {sum(r.errors for r in rounds)}"
                )
            drain = drain_with_worker(project, work, bursts_ended)
        finally:
            project.stop()
            reference.stop()
    summary(backend, posts, paced_rounds, accepted, stored, gets, drain)


def drain_with_worker(project: Server, work: Path, bursts_ended: float) -> dict:
    engine = sa.create_engine(project.database_url)

    def waiting() -> int:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM moment WHERE NOT settled")).scalar()

    left = waiting()
    started = time.monotonic()
    with open(work / "worker.log", "wb") as log:  # niced by itself, as deployed
        worker = subprocess.Popen(
            [BIN / "flask", "worker"],
            cwd=ROOT,
            stdout=log,
            env=project_env(project.database_url, work),
            stderr=subprocess.STDOUT,
        )
    first = None
    try:
        while (now_left := waiting()) > 0:
            if first is None and now_left < left:
                first = time.monotonic()
            if time.monotonic() - started > 600:
                break
            time.sleep(0.25)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        engine.dispose()
    done = time.monotonic()
    return {
        "moments": left,
        "left": now_left,
        "after_bursts": done - bursts_ended,
        "worker_start": (first or done) - started,
        "draining": done - (first or done),
    }


def summary(backend, posts, paced_rounds, accepted, stored, gets, drain) -> None:
    ref, proj = posts["reference"], posts["project"]
    print(f"-- {backend} summary (medians of the burst rounds; ratio = project / reference)")
    for label, attr, unit in [
        ("accepted POST/s", "rate", "/s"),
        ("CPU per request", "cpu_ms", " ms"),
        ("p50", "p50", " ms"),
        ("p99", "p99", " ms"),
    ]:
        a, b = median(ref, attr), median(proj, attr)
        print(
            f"  {label:18} reference {a:8.1f}{unit:3}  project {b:8.1f}{unit:3}  ratio {b / a:5.2f}"
        )
    for name in ("reference", "project"):
        r = paced_rounds[name]
        print(
            f"  paced {name:10} {r.rate:6.1f}/s  p50 {r.quantile(50):6.1f} ms  "
            f"p99 {r.quantile(99):7.1f} ms"
        )
    for name in ("reference", "project"):
        errors = sum(r.errors for r in posts[name]) + paced_rounds[name].errors
        lost = accepted[name] - stored[name]
        print(
            f"  {name:10} 303s {accepted[name]:6}  rows stored {stored[name]:6}  lost {lost}  "
            f"5xx {errors}  {'OK' if lost == 0 else 'MISMATCH'}"
        )
    reference_list = statistics.median(r.rate for r in gets["reference /list"])
    for name, rounds in gets.items():
        if name.startswith("project"):
            rate = statistics.median(r.rate for r in rounds)
            print(
                f"  GET {name[8:]:14} {rate:8.1f}/s  ratio to the reference list page "
                f"{rate / reference_list:5.2f}"
            )
    rate = drain["moments"] / drain["draining"] if drain["draining"] else float("nan")
    print(
        f"  worker: {drain['moments']} moments waiting; worker up and settling after "
        f"{drain['worker_start']:.1f} s; drained in {drain['draining']:.1f} s "
        f"({rate:.1f} moments/s); "
        f"all settled {drain['after_bursts']:.1f} s after the bursts ended"
        + (f"; {drain['left']} STILL WAITING" if drain["left"] else "")
    )
    every = [r for rounds in (ref, proj, list(paced_rounds.values())) for r in rounds] + [
        r for rounds in gets.values() for r in rounds
    ]
    seconds = sum(r.seconds for r in every)
    cpu = sum(r.generator_cpu for r in every)
    requests = sum(len(r.tally.statuses) for r in every)
    print(
        f"  load generator: {cpu:.1f} s CPU over {seconds:.0f} s of load "
        f"({cpu / seconds * 100:.0f}% "
        f"of one core), {cpu / requests * 1000:.2f} ms per request"
    )


def postgres_databases(count: int):
    """`count` throwaway databases on the PostgreSQL server, and how to drop them."""
    try:
        admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        names = [f"campaign_bench_{secrets.token_hex(3)}" for _ in range(count)]
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        return None

    def drop():
        with admin.connect() as conn:
            for name in names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    url = sa.engine.make_url(POSTGRES)
    return [url.set(database=n).render_as_string(hide_password=False) for n in names], drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--rounds", type=int, default=3, help="burst rounds each (at least 3)")
    parser.add_argument("--seconds", type=float, default=5, help="length of a burst round")
    parser.add_argument("--paced", type=float, default=5, help="length of the paced phase")
    parser.add_argument("--get-seconds", type=float, default=2, help="length of a GET round")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes, both servers")
    parser.add_argument("--threads", type=int, default=4, help="threads per process, both servers")
    args = parser.parse_args()
    args.rounds = max(args.rounds, 3)
    load = os.getloadavg()[0]
    print(
        f"gunicorn gthread {args.workers} x {args.threads} for both servers; "
        f"{os.cpu_count()} cores; "
        f"load average {load:.1f} at the start"
    )
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            run_backend(
                "sqlite",
                f"sqlite:///{tmp}/project.sqlite3",
                f"sqlite:///{tmp}/reference.sqlite3",
                args,
            )
    if args.backend in ("postgresql", "both"):
        made = postgres_databases(2)
        if made is None:
            print(f"postgresql skipped: no server at {POSTGRES}")
        else:
            (project_url, reference_url), drop = made
            try:
                run_backend("postgresql", project_url, reference_url, args)
            finally:
                drop()
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
