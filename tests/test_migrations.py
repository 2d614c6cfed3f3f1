"""Alembic migrations are the only way the schema is made; they must agree with the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from campaign import create_app
from campaign.extensions import db
from campaign.models import managed_by_models
from tests.conftest import BASE_CONFIG, _postgres_database


@pytest.fixture
def empty_database_url(backend, request, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return _postgres_database(request)


def test_an_empty_database_upgrades_to_head_and_matches_the_models(empty_database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": managed_by_models}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version", "sqlite_sequence"}
        assert remaining == set()
        upgrade()
        db.engine.dispose()
