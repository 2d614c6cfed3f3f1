"""The databases the suite runs on and the settings every test app starts from; shared by the
conftest files and tests/test_migrations.py."""

from __future__ import annotations

import os
import secrets

import pytest
import sqlalchemy as sa

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
    # Webhooks are received by a local server (tests/receivers.py); the tests of the production
    # refusal turn this off.
    "WEBHOOK_ALLOW_LOCAL": True,
}


def postgres_database(request) -> str | None:
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
