"""The wheel is the release: built from the source tree, installed into a fresh virtualenv
(not editable), it migrates a new database, loads the demo and serves the public pages and the
desk's sign-in from a directory that holds no source, with the commands the systemd units run.

Slow (the virtualenv installs every dependency), so it runs in CI (.ci/run) or when asked:
CAMPAIGN_TEST_WHEEL=1.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from tests.deploy.files import ROOT, VENV_BIN, exec_start

pytestmark = [
    pytest.mark.wheel,
    pytest.mark.skipif(
        os.environ.get("CAMPAIGN_TEST_WHEEL") != "1",
        reason="wheel test skipped: it installs every dependency; CAMPAIGN_TEST_WHEEL=1 runs it",
    ),
]

SITE_DIRS = ("templates", "static", "migrations")
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "instance",
    "*.egg-info",
    "__pycache__",
    "*.py[co]",
    ".pytest_cache",
    ".hypothesis",
    "tests",
    "bench",
)


def run(argv, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{argv}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a clean copy of the source tree, so nothing left in build/ can slip in."""
    source = tmp_path_factory.mktemp("source") / "campaign"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    dist = tmp_path_factory.mktemp("dist")
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", str(source), "-w", str(dist)],
        timeout=600,
    )
    (built,) = dist.glob("campaign-*.whl")
    return built


def source_files(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def test_the_wheel_carries_every_module_template_static_file_migration_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"campaign/{name}" for name in source_files(ROOT / "campaign")}
    for folder in SITE_DIRS:
        expected |= {f"campaign/_site/{folder}/{name}" for name in source_files(ROOT / folder)}
    assert expected - names == set()
    for name in (
        "campaign/clustering/engine.py",
        "campaign/admin/views/__init__.py",
        "campaign/data/abuse_model.npz",
        "campaign/data/e5_prior_mean.npy",
        "campaign/_site/templates/base.html",
        "campaign/_site/static/css/site.css",
        "campaign/_site/migrations/env.py",
        "campaign/_site/migrations/versions/0001_moments.py",
    ):
        assert name in names
    assert not any(name.startswith(("tests/", "templates/", "bench/")) for name in names)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unit_command(name: str, bin_dir: Path, port: int = 0) -> list[str]:
    """The unit's ExecStart, pointed at this virtualenv instead of /opt/campaign/venv."""
    argv = exec_start(name, str(port))
    return [str(bin_dir / argv[0].removeprefix(VENV_BIN)), *argv[1:]]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "gunicorn exited"
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_the_installed_wheel_migrates_loads_the_demo_and_serves_outside_the_source_tree(
    wheel, tmp_path
):
    venv, state, cwd = tmp_path / "venv", tmp_path / "state", tmp_path / "elsewhere"
    cwd.mkdir()
    run([sys.executable, "-m", "venv", str(venv)], timeout=120)
    bin_dir = venv / "bin"
    run(
        [str(bin_dir / "pip"), "install", "--find-links", str(wheel.parent), str(wheel)],
        timeout=1800,
    )

    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CAMPAIGN_", "FLASK_", "PYTHON", "VIRTUAL_ENV"))
        and k != "DATABASE_URL"
    }
    env.update(
        {
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            # Production, with the secrets it demands; plain http on 127.0.0.1 can't keep a
            # Secure cookie, so this one test turns that off.
            "CAMPAIGN_ENV": "production",
            "CAMPAIGN_SECRET_KEY": secrets.token_urlsafe(48),
            "CAMPAIGN_RECEIPT_PEPPER": secrets.token_urlsafe(48),
            "CAMPAIGN_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "CAMPAIGN_SESSION_COOKIE_SECURE": "false",
            "CAMPAIGN_INSTANCE_PATH": str(state),
        }
    )
    script = "import campaign; print(campaign.__file__); print(campaign.site_dir('migrations'))"
    where = run([str(bin_dir / "python"), "-c", script], cwd=cwd, env=env).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where

    run(unit_command("campaign-migrate.service", bin_dir), cwd=cwd, env=env, timeout=300)
    run([str(bin_dir / "flask"), "--app", "campaign", "demo"], cwd=cwd, env=env, timeout=300)
    database = state / "campaign.sqlite3"
    with sqlite3.connect(database) as conn:
        before = conn.execute("SELECT count(*) FROM moment").fetchone()[0]
    assert before > 0

    log = tmp_path / "gunicorn.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            unit_command("campaign-web@.service", bin_dir, port),
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/", proc)
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            for path in ("/", "/improvements", "/admin/login", "/static/css/site.css"):
                with opener.open(base + path, timeout=30) as response:
                    assert response.status == 200, path
            with opener.open(f"{base}/submit", timeout=30) as response:
                assert response.status == 200
                form = response.read().decode()
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
            data = urllib.parse.urlencode(
                {
                    "csrf_token": token,
                    "body": "설치한 휠에서도 이야기가 저장되는지 확인해요.",
                    "category": "",
                    "channel": "",
                    "suggestion": "",
                    "website": "",
                }
            ).encode()
            with opener.open(f"{base}/submit", data=data, timeout=60) as response:
                assert response.status == 200 and "접수번호" in response.read().decode()
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM moment").fetchone()[0] == before + 1
    assert "Traceback" not in log.read_text(errors="replace")
