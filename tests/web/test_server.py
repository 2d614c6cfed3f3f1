"""The real server: gunicorn with the project's own settings keeps no address in its logs."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AGENT = "CanaryAgent/1.0 (gunicorn-canary-91c2)"

pytestmark = pytest.mark.server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "CAMPAIGN_ENV": "development",
        "FLASK_APP": "app.py",
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    subprocess.run([bin_dir / "flask", "demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                bin_dir / "gunicorn",
                "--config",
                "python:campaign.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "app:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}", log
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_gunicorn_logs_no_client_address_or_agent_for_a_submission(gunicorn):
    base, log = gunicorn
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    opener.addheaders = [("User-Agent", AGENT)]
    form = opener.open(f"{base}/submit").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "body": "서버 로그에 남으면 안 되는 이야기예요.",
            "category": "",
            "channel": "",
            "suggestion": "",
            "website": "",
        }
    ).encode()
    thanks = opener.open(f"{base}/submit", data=data).read().decode()
    assert "접수번호" in thanks
    time.sleep(0.3)
    text = log.read_text()
    assert AGENT not in text and "gunicorn-canary" not in text
    assert "127.0.0.1 -" not in text and "POST /submit" not in text
    assert "서버 로그에" not in text
