"""deploy/ and the Procfile say what runs in production and under `make run`: every command
they name exists, every setting they set is real, and the env example holds exactly what
production refuses to start without."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import cli as flask_cli
from gunicorn.util import import_app

from campaign.config import Defaults, UnsafeConfiguration
from tests.deploy.files import DEPLOY, ROOT, VENV_BIN, env_example, exec_start, unit

SERVICES = sorted(p.name for p in DEPLOY.glob("*.service"))
SETTINGS = {name for name in vars(Defaults) if name.isupper()}


def production_env(tmp_path, drop: str = "") -> dict[str, str]:
    """The env example with its empty secrets filled and its folder in tmp_path."""
    env = {}
    for _section, name, value in env_example():
        if name == drop:
            continue
        if name in ("CAMPAIGN_SECRET_KEY", "CAMPAIGN_RECEIPT_PEPPER") and not value:
            value = secrets.token_urlsafe(48)
        env[name] = value
    if "CAMPAIGN_INSTANCE_PATH" in env:
        env["CAMPAIGN_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


@pytest.fixture
def environment(monkeypatch):
    """Set an environment for the block; nothing from the suite's own environment leaks in."""

    def use(env: dict[str, str]) -> None:
        for name in [n for n in os.environ if n.startswith("CAMPAIGN_")]:
            if not name.startswith("CAMPAIGN_TEST_"):
                monkeypatch.delenv(name)
        monkeypatch.delenv("DATABASE_URL", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)

    return use


def test_there_are_web_worker_and_migration_units():
    assert SERVICES == [
        "campaign-migrate.service",
        "campaign-web@.service",
        "campaign-worker@.service",
    ]


@pytest.mark.parametrize("name", SERVICES)
def test_each_unit_runs_a_console_script_of_the_installed_release_with_the_env_file(name):
    argv = exec_start(name)
    assert argv[0].startswith(VENV_BIN), argv
    scripts = {ep.name for ep in entry_points(group="console_scripts")}
    assert argv[0].removeprefix(VENV_BIN) in scripts
    service = unit(name)["Service"]
    assert service["EnvironmentFile"] == ["/etc/campaign/campaign.env"]
    assert service["User"] == ["campaign"] and service["StateDirectory"] == ["campaign"]


def test_each_web_instance_binds_its_own_port_on_localhost():
    assert "--bind" in exec_start("campaign-web@.service", "8001")
    bind = exec_start("campaign-web@.service", "8002")
    assert bind[bind.index("--bind") + 1] == "127.0.0.1:8002"


def test_gunicorn_in_the_web_unit_loads_its_config_and_builds_the_app_from_the_env_example(
    tmp_path, environment
):
    argv = exec_start("campaign-web@.service")
    config = argv[argv.index("--config") + 1]
    assert config.startswith("python:")
    __import__(config.removeprefix("python:"))
    environment(production_env(tmp_path))
    app = import_app(argv[-1])  # gunicorn's own loader: imports the module, calls the factory
    assert app.config["ENV"] == "production"
    assert app.instance_path == str(tmp_path / "instance")
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql+psycopg://")


FLASK_COMMANDS = [
    pytest.param("campaign-migrate.service", id="migrate"),
    pytest.param("campaign-worker@.service", id="worker"),
]


@pytest.mark.parametrize("name", FLASK_COMMANDS)
def test_the_flask_command_a_unit_runs_exists_for_the_app_it_names(name, tmp_path, environment):
    argv = exec_start(name)
    assert argv[0] == VENV_BIN + "flask" and argv[1] == "--app"
    environment(production_env(tmp_path))
    result = CliRunner().invoke(flask_cli, [*argv[1:], "--help"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_the_env_example_sets_only_real_settings():
    config_source = (ROOT / "campaign" / "config.py").read_text(encoding="utf-8")
    gunicorn_source = (ROOT / "campaign" / "gunicorn_conf.py").read_text(encoding="utf-8")
    names = [name for _section, name, _value in env_example()]
    assert len(names) == len(set(names))
    for name in names:
        if name.startswith("CAMPAIGN_"):
            assert name.removeprefix("CAMPAIGN_") in SETTINGS, name
        else:
            assert f'"{name}"' in config_source + gunicorn_source, name


def test_production_starts_from_the_env_example(tmp_path, environment):
    from campaign import create_app

    environment(production_env(tmp_path))
    app = create_app()
    assert app.config["ENV"] == "production" and app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["RATELIMIT_STORAGE_URI"].startswith("redis://")


def test_the_required_section_is_exactly_what_production_refuses_to_start_without(
    tmp_path, environment
):
    from campaign import create_app

    required = {name for section, name, _ in env_example() if section.startswith("Required")}
    assert required, "the env example has no Required section"
    refused_without = set()
    for _section, name, _value in env_example():
        environment(production_env(tmp_path, drop=name))
        try:
            create_app()
        except UnsafeConfiguration:
            refused_without.add(name)
    assert refused_without == required


def test_the_proxy_example_keeps_no_access_log():
    text = (DEPLOY / "nginx.conf.example").read_text(encoding="utf-8")
    assert text.count("server {") == text.count("access_log off;") == 2
    upstreams = [
        line.split()[1] for line in text.splitlines() if line.strip().startswith("server 127.")
    ]
    assert upstreams == ["127.0.0.1:8001", "127.0.0.1:8002"]


def test_the_procfile_runs_the_web_app_on_port_and_a_worker(tmp_path, environment):
    lines = dict(
        line.split(":", 1)
        for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert list(lines) == ["web", "worker"]  # honcho gives PORT to the first one
    web = lines["web"].split()
    assert web[0] == "gunicorn" and "python:campaign.gunicorn_conf" in web
    assert web[web.index("--bind") + 1] == "127.0.0.1:${PORT:-8000}"
    module, attribute = web[-1].split(":")
    assert (ROOT / f"{module}.py").is_file()
    # As `make run` does: the development environment allows the built-in secrets.
    environment({"CAMPAIGN_ENV": "development", "CAMPAIGN_INSTANCE_PATH": str(tmp_path)})
    assert import_app(web[-1]) is getattr(__import__(module), attribute)
    assert lines["worker"].split() == ["flask", "worker"]


def test_systemd_reads_every_unit_without_a_complaint(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; the units' syntax is not checked here")
    names = []
    for path in [*DEPLOY.glob("*.service"), DEPLOY / "campaign.target"]:
        # systemd wants the programs to exist: point the units at this virtualenv's scripts.
        text = path.read_text(encoding="utf-8").replace(VENV_BIN, f"{Path(sys.executable).parent}/")
        name = path.name.replace("@.", "@8001.")
        (tmp_path / name).write_text(text, encoding="utf-8")
        names.append(f"./{name}")
    result = subprocess.run(
        [analyze, "verify", "--man=no", *names],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout + result.stderr == ""
