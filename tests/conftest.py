"""Fixtures: an app per test on each database backend, migrated once per backend, and a test
client that checks every HTML page it receives.

Backends: SQLite always; PostgreSQL at CAMPAIGN_TEST_POSTGRES_URL (default: the local server with
trust auth). A missing PostgreSQL skips its half of the suite with a message, unless
CAMPAIGN_TEST_REQUIRE_POSTGRES=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db
from tests.pagecheck import check_page

POSTGRES_URL = os.environ.get(
    "CAMPAIGN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("CAMPAIGN_TEST_REQUIRE_POSTGRES") == "1"

BASE_CONFIG = {
    "ENV": "testing",
    "SECRET_KEY": "test-secret",
    "RECEIPT_PEPPER": "test-pepper",
    "RATELIMIT_ENABLED": False,
    # Fast hashing in tests; the production default is checked by its own test.
    "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
    "DEFAULT_CAMPAIGN": "",
    # Two-factor sign-in has its own tests; elsewhere an admin signs in with a password alone.
    "TWO_FACTOR_ROLES": "",
    # Jobs run in-process right after the commit that asks for them, so a test sees a moment
    # settled when its request returns; the queue and the worker have their own tests.
    "JOBS_IMMEDIATE": True,
    # Pages are rendered afresh for each request; tests/web/test_page_cache.py turns the cache on.
    "PAGE_CACHE_SECONDS": 0,
}


class CheckedClient(FlaskClient):
    """Runs the page check on every HTML response, so no page escapes it."""

    def open(self, *args, **kwargs):
        # Tests hold one app context open, which Flask reuses for each request, so `g` would
        # carry per-request caches (Flask-WTF's token, Flask-Login's user) from one request to
        # the next. In production every request has its own context; start each one empty.
        if has_app_context():
            for key in list(g):
                g.pop(key)
        response = super().open(*args, **kwargs)
        if response.mimetype == "text/html" and not 300 <= response.status_code < 400:
            check_page(response.get_data(as_text=True))
        return response


def _postgres_database(request) -> str | None:
    """Create a throw-away database on the PostgreSQL server; drop it at the end of the run."""
    try:
        admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = f"campaign_test_{secrets.token_hex(4)}"
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL suite skipped: no server at {POSTGRES_URL} ({error.orig})"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        return None

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_urls(request, tmp_path_factory):
    """Migrated, empty databases by backend name."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    pg = _postgres_database(request)
    if pg:
        urls["postgresql"] = pg
    for url in urls.values():
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            db.engine.dispose()
    return urls


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "urgent_rule":  # seeded by the migration, like production
                conn.execute(table.delete())
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DELETE FROM moment_fts")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, database_urls) -> str:
    if request.param not in database_urls:
        pytest.skip(f"PostgreSQL suite skipped: no server at {POSTGRES_URL}")
    return request.param


@pytest.fixture
def make_app(backend, database_urls):
    """Build an app on this test's backend, with extra settings."""
    made = []

    def build(**overrides):
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_urls[backend], **overrides})
        app.test_client_class = CheckedClient
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.remove()
            _empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def campaign(app):
    from tests.factories import make_campaign

    return make_campaign()


@pytest.fixture
def instance_tmp() -> Path:
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


@pytest.fixture
def sign_in(app):
    """sign_in(client, role) -> the moderator, signed in on that client."""
    from tests.factories import PASSWORD, make_moderator
    from tests.web.helpers import csrf_token

    def do(client, role="moderator", **fields):
        moderator = make_moderator(role, **fields)
        response = client.post("/admin/login", data={"email": moderator.email, "password": PASSWORD,
                                                     "csrf_token": csrf_token(client, "/admin/login")})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return moderator

    return do


@pytest.fixture
def fixed(app):
    """The reporting campaign of tests/factories.py: (campaign, moments, cluster a, cluster b)."""
    from tests.factories import make_reporting_campaign

    return make_reporting_campaign()
