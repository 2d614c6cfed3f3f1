"""`make run`'s runner: honcho serves the Procfile's web line on the port it is given, and one
Ctrl+C stops every process it started.

The worker line (`flask worker`) arrives with the jobs branch; until then this starts `web`
alone, as `honcho start web` does.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.files import ROOT
from tests.web.processes import free_port

pytestmark = pytest.mark.server


def test_honcho_serves_the_procfile_web_line_on_port_and_ctrl_c_stops_it(tmp_path):
    bin_dir = Path(sys.executable).parent
    port = free_port()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "CAMPAIGN_ENV": "development",
        "CAMPAIGN_INSTANCE_PATH": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "FLASK_APP": "app.py",
    }
    subprocess.run(
        [bin_dir / "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    log = tmp_path / "honcho.log"
    with open(log, "wb") as out:
        honcho = subprocess.Popen(
            [bin_dir / "honcho", "start", "--procfile", "Procfile", "--port", str(port), "web"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                assert honcho.poll() is None, log.read_text()
                try:
                    url = f"http://127.0.0.1:{port}/privacy"
                    with urllib.request.urlopen(url, timeout=5) as page:
                        assert page.status == 200
                    break
                except urllib.error.HTTPError:
                    raise
                except OSError:  # not listening yet
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.3)
            os.killpg(honcho.pid, signal.SIGINT)  # what a terminal's Ctrl+C sends
            honcho.wait(timeout=30)
        finally:
            if honcho.poll() is None:
                os.killpg(honcho.pid, signal.SIGKILL)
    text = log.read_text()
    assert "SIGINT received" in text and "web.1 stopped" in text
    gunicorn = subprocess.run(
        ["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True, check=False
    )
    assert gunicorn.stdout.strip() == "", "a gunicorn process outlived Ctrl+C"
