"""Real processes for the tests that run the app as it is deployed: gunicorn instances, `flask
worker`, a throwaway PostgreSQL database or a whole throwaway PostgreSQL cluster, and a visitor
that speaks plain HTTP to them. Used by tests/web/test_instances.py and test_faults.py (and the
idea, not the code, by bench/submit_load.py).

The machine's own PostgreSQL and Redis are only ever given a database or a key prefix of ours,
removed afterwards; they are never stopped or restarted.
"""

from __future__ import annotations

import glob
import http.client
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES_URL = os.environ.get(
    "CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("CAMPAIGN_TEST_REQUIRE_POSTGRES") == "1"
SECRET_KEY = "instances-test-secret"
PEPPER = "instances-test-pepper"
CAMPAIGN = "proof"

# Texts about two problems the seeded campaign already groups, so settling really places moments
# (joins a cluster or forms one), which is what must happen once and only once.
SEED = [
    "은행 점검 시간이라 밤에 이체가 안 돼요",
    "밤에 은행 점검시간이라서 이체가 안 됐어요",
    "은행 점검 시간 때문에 이체가 안 되네요 밤에요",
    "점검 시간엔 은행 이체가 안 돼서 불편해요",
    "카드를 잃어버렸는데 분실 신고 메뉴를 찾을 수가 없어요",
    "카드 분실 신고 메뉴를 찾을 수가 없어요 잃어버렸는데",
    "잃어버린 카드 분실신고 메뉴를 못 찾겠어요",
]
TOLD = [
    "밤에 은행 점검 시간이라 이체가 안 돼서 답답했어요",
    "카드 분실 신고 메뉴가 어디 있는지 한참 찾았어요",
    "상담원 연결까지 너무 오래 기다렸어요",
    "해외 결제가 두 번 승인됐는데 취소 메뉴가 없어요",
    "대출 금리 인하 요청을 하려면 지점에 가야 한대요",
]
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def marker() -> str:
    """Letters only (digits could read as a phone or account number and be masked)."""
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))


def told(i: int, mark: str) -> str:
    return f"{TOLD[i % len(TOLD)]} (표식 {mark})"


# ---- processes ---------------------------------------------------------------------------------


def app_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a deployed instance: this database, development secrets of our own,
    and `settings` as CAMPAIGN_<NAME>. The caller's CAMPAIGN_* settings are left out."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CAMPAIGN_") and k not in ("DATABASE_URL", "WEB_CONCURRENCY")
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            "FLASK_APP": "app.py",
            "CAMPAIGN_ENV": "development",
            "CAMPAIGN_SECRET_KEY": SECRET_KEY,
            "CAMPAIGN_RECEIPT_PEPPER": PEPPER,
            "CAMPAIGN_DEFAULT_CAMPAIGN": CAMPAIGN,
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update({f"CAMPAIGN_{name}": value for name, value in settings.items()})
    return env


class Process:
    """A child process with its log file; `kill` is kill -9 (`stop_all` ends them politely)."""

    def __init__(self, args: list, env: dict, log: Path) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(
                [str(a) for a in args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


def stop_all(processes: list[Process]) -> None:
    """Ask every one to stop, then wait for each (killing one that takes too long)."""
    for process in processes:
        if process.proc.poll() is None:
            process.proc.terminate()
    for process in processes:
        try:
            process.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def start_gunicorn(
    env: dict, log: Path, *, workers: int = 1, threads: int = 4
) -> tuple[Process, str]:
    """gunicorn with the project's settings (campaign/gunicorn_conf.py) on a free port; it takes
    a while to start, so `wait_answering` before sending it anything."""
    port = free_port()
    env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    server = Process(
        [
            BIN / "gunicorn",
            "--config",
            "python:campaign.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "app:app",
        ],
        env,
        log,
    )
    return server, f"http://127.0.0.1:{port}"


def wait_answering(base: str, server: Process, timeout: float = 90) -> None:
    port = urllib.parse.urlsplit(base).port
    wait_until(lambda: _answers(port), timeout, f"{base} did not answer; see {server.log}")


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/submit")
        conn.getresponse().read()
        conn.close()
        return True
    except OSError:
        return False


def start_worker(env: dict, log: Path, *, threads: int = 1) -> Process:
    """`flask worker` at normal priority (deployed, it lowers its own so requests come first;
    on a busy test machine that would starve it and the test would only measure the load)."""
    return Process([BIN / "flask", "worker", "--threads", str(threads), "--nice", "0"], env, log)


def wait_until(check, timeout: float, message: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(every)
    raise AssertionError(message)


# ---- a visitor ---------------------------------------------------------------------------------


class Visitor:
    """One person's browser: its session cookie (shared by every instance, as behind a load
    balancer) and, when given, the address a trusted proxy says it comes from."""

    def __init__(self, forwarded_for: str | None = None) -> None:
        self.cookie = ""
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}

    def request(
        self, base: str, method: str, path: str, body: str | None = None, timeout: float = 30
    ) -> tuple[int, str]:
        url = urllib.parse.urlsplit(base)
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        headers = dict(self.headers)
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            reply = conn.getresponse()
            text = reply.read().decode("utf-8", "replace")
        finally:
            conn.close()
        cookie = reply.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return reply.status, text

    def submit(self, base: str, body: str) -> int:
        """Fill in and send the form on that instance; the status of the answer."""
        status, page = self.request(base, "GET", "/submit")
        if status != 200:
            return status
        token = _TOKEN.search(page).group(1)
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
        return self.request(base, "POST", "/submit", form)[0]


# ---- databases ---------------------------------------------------------------------------------


def postgres_or_skip(message: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(message)
    pytest.skip(message)


class ThrowawayDatabase:
    """A database of our own on a PostgreSQL server, dropped (with any connection) at the end."""

    def __init__(self, server_url: str = POSTGRES_URL) -> None:
        self.admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.name = f"campaign_proof_{secrets.token_hex(4)}"
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        self.url = (
            sa.engine.make_url(server_url)
            .set(database=self.name)
            .render_as_string(hide_password=False)
        )

    def drop(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def machine_database():
    """A throwaway database on the machine's PostgreSQL, or a skip (a failure in CI)."""
    try:
        return ThrowawayDatabase()
    except sa.exc.OperationalError as error:
        postgres_or_skip(f"PostgreSQL suite skipped: no server at {POSTGRES_URL} ({error.orig})")


class ThrowawayCluster:
    """A PostgreSQL server of our own (initdb in a temporary folder, a free port, trust auth),
    so a test may stop and start it; the machine's server is never touched."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            postgres_or_skip(
                "no initdb under /usr/lib/postgresql/*/bin: the restart test needs "
                "PostgreSQL's server binaries"
            )
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="campaign-pg-"))
        self.data = self.folder / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres user
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                postgres_or_skip(
                    "running as root and there is no postgres user to run a "
                    "throwaway PostgreSQL cluster as"
                )
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        done = self._run(
            "initdb",
            "-D",
            self.data,
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
            check=False,
        )
        if done.returncode != 0:
            postgres_or_skip(f"initdb failed: {done.stderr.strip()[-300:]}")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self.start()

    def _run(self, tool: str, *args, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, str(self.bin / tool), *map(str, args)],
            capture_output=True,
            text=True,
            check=check,
            timeout=60,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c max_connections=60"
        )
        self._run(
            "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.folder / "server.log",
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop", check=False)

    def restart(self, pause: float) -> None:
        """Stop the server at once (every connection dropped), stay down `pause` seconds,
        start again."""
        self.stop("immediate")
        time.sleep(pause)
        self.start()

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


# ---- the campaign and what the test reads back ---------------------------------------------------

# Every statement that writes a moment's settled flag, its sentence meaning or its placement
# vector, with whether the moment was settled already: settling twice shows as a write to a
# settled moment (the first settling writes while it is still unsettled).
_WRITE_LOG = {
    "postgresql": [
        (
            "CREATE TABLE proof_write (id serial PRIMARY KEY, moment_id varchar(26), "
            "was_settled boolean, now_settled boolean)"
        ),
        (
            "CREATE FUNCTION proof_write_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "INSERT INTO proof_write (moment_id, was_settled, now_settled) "
            "VALUES (NEW.id, OLD.settled, NEW.settled); RETURN NEW; END $$"
        ),
        (
            "CREATE TRIGGER proof_write_log AFTER UPDATE OF settled, embedding, vector ON moment "
            "FOR EACH ROW EXECUTE FUNCTION proof_write_log()"
        ),
    ],
    "sqlite": [
        (
            "CREATE TABLE proof_write (id INTEGER PRIMARY KEY, moment_id varchar(26), "
            "was_settled boolean, now_settled boolean)"
        ),
        (
            "CREATE TRIGGER proof_write_log AFTER UPDATE OF settled, embedding, vector ON moment "
            "FOR EACH ROW BEGIN INSERT INTO proof_write (moment_id, was_settled, now_settled) "
            "VALUES (NEW.id, OLD.settled, NEW.settled); END"
        ),
    ],
}


def prepare(database_url: str) -> None:
    """Migrate, open the campaign, store the seed moments and group them (so newcomers are
    placed on arrival), and start logging writes to moments."""
    from flask_migrate import upgrade

    from campaign import create_app
    from campaign.clustering import recluster
    from campaign.extensions import db
    from tests.factories import make_campaign, make_moment

    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": SECRET_KEY,
            "RECEIPT_PEPPER": PEPPER,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "JOBS_IMMEDIATE": True,
            "REDIS_URL": "",
            "DEFAULT_CAMPAIGN": "",
        }
    )
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        campaign = make_campaign(slug=CAMPAIGN)
        for body in SEED:
            make_moment(campaign, body=body)
        recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        with db.engine.begin() as conn:
            for statement in _WRITE_LOG[conn.dialect.name]:
                conn.exec_driver_sql(statement)
        db.session.remove()
        db.engine.dispose()


class Stored:
    """What the database holds, read with a connection of the test's own."""

    def __init__(self, database_url: str) -> None:
        self.engine = sa.create_engine(database_url, pool_pre_ping=True)

    def _all(self, sql: str) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text(sql)))

    def bodies(self) -> list[str]:
        return [row[0] for row in self._all("SELECT body FROM moment")]

    def told(self) -> int:
        """Moments sent during the test (the seed excluded)."""
        return len(self.bodies()) - len(SEED)

    def unsettled(self) -> int:
        return self._all("SELECT count(*) FROM moment WHERE NOT settled")[0][0]

    def settlings(self) -> dict[str, int]:
        """How many times each moment went from waiting to settled."""
        rows = self._all(
            "SELECT moment_id, count(*) FROM proof_write "
            "WHERE NOT was_settled AND now_settled GROUP BY moment_id"
        )
        return {moment_id: n for moment_id, n in rows}

    def written_after_settling(self) -> list[str]:
        """Moments whose meaning, vector or flag was written again once they were settled."""
        return [row[0] for row in self._all("SELECT moment_id FROM proof_write WHERE was_settled")]

    def sent_ids(self) -> set[str]:
        seeded = ", ".join(f"'{b}'" for b in SEED)
        return {row[0] for row in self._all(f"SELECT id FROM moment WHERE body NOT IN ({seeded})")}

    def dispose(self) -> None:
        self.engine.dispose()


def assert_settled_once(stored: Stored) -> None:
    """Every moment sent is settled, each by exactly one settling, none worked on again."""
    sent = stored.sent_ids()
    assert stored.unsettled() == 0
    settlings = stored.settlings()
    assert {mid: settlings.get(mid, 0) for mid in sent} == {mid: 1 for mid in sent}
    assert stored.written_after_settling() == []
