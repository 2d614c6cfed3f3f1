"""Fixtures: an app per test on each database backend, migrated once per backend, and a test
client that checks every HTML page it receives.

Backends: SQLite always; PostgreSQL at CAMPAIGN_TEST_POSTGRES_URL (default: the local server with
trust auth). A missing PostgreSQL skips its half of the suite with a message, unless
CAMPAIGN_TEST_REQUIRE_POSTGRES=1 (CI), where it fails.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from campaign import create_app
from campaign.extensions import db
from tests.backends import BASE_CONFIG, POSTGRES_URL, postgres_database
from tests.pagecheck import check_page
from tests.receivers import Receiver


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
            language = response.headers.get("Content-Language", "ko")
            check_page(response.get_data(as_text=True), language)
        return response


@pytest.fixture(scope="session")
def database_urls(request, tmp_path_factory):
    """Migrated, empty databases by backend name."""
    urls = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"}
    pg = postgres_database(request)
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
        app = create_app(
            {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_urls[backend], **overrides}
        )
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

    made = make_campaign()
    db.session.commit()
    return made


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
        db.session.commit()
        response = client.post(
            "/admin/login",
            data={
                "email": moderator.email,
                "password": PASSWORD,
                "csrf_token": csrf_token(client, "/admin/login"),
            },
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return moderator

    return do


@pytest.fixture
def fixed(app):
    """The reporting campaign of tests/factories.py: (campaign, moments, cluster a, cluster b)."""
    from tests.factories import make_reporting_campaign

    made = make_reporting_campaign()
    db.session.commit()
    return made


@pytest.fixture
def receiver():
    """A local HTTP server that keeps the webhooks it is sent (tests/receivers.py)."""
    made = Receiver()
    yield made
    made.stop()
