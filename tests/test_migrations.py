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
from tests.backends import BASE_CONFIG, postgres_database


@pytest.fixture
def empty_database_url(backend, request, tmp_path):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    return postgres_database(request)


def test_an_empty_database_upgrades_to_head_and_matches_the_models(empty_database_url):
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_object": managed_by_models}
                ),
                db.metadata,
            )
        assert diff == [], f"models and migrations disagree: {diff}"
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {
            "alembic_version",
            "sqlite_sequence",
        }
        assert remaining == set()
        upgrade()
        db.engine.dispose()


def test_upgrading_gives_clusters_the_progress_of_their_public_fixes(empty_database_url):
    """Before 0006, publishing marked a cluster 개선 완료 even for a fix still 개선 중."""
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="0005_fixes")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO campaign (id, slug, title, question, intro, categories, "
                    "channels, opens_on, created_at) "
                    "VALUES (1, 'c', 't', 'q', '', '[]', '[]', '2026-11-01', '2026-11-01')"
                )
            )
            for cluster_id in (1, 2):
                conn.execute(
                    sa.text(
                        "INSERT INTO cluster "
                        "(id, campaign_id, keywords, status, decided, locked, created_at) "
                        "VALUES (:id, 1, '[]', 'done', true, false, '2026-11-01')"
                    ),
                    {"id": cluster_id},
                )
            for fix_id, progress, state in (
                (1, "in_progress", "published"),
                (2, "done", "published"),
                (3, "planned", "draft"),
            ):
                conn.execute(
                    sa.text(
                        "INSERT INTO fix (id, campaign_id, slug, title, summary, before, after, "
                        "body, progress, state, created_at, updated_at) "
                        "VALUES (:id, 1, :slug, 't', '', '', '', '', :progress, "
                        ":state, '2026-11-01', '2026-11-01')"
                    ),
                    {"id": fix_id, "slug": f"f{fix_id}", "progress": progress, "state": state},
                )
            for fix_id, cluster_id in ((1, 1), (2, 2), (3, 2)):
                conn.execute(
                    sa.text("INSERT INTO fix_cluster (fix_id, cluster_id) VALUES (:f, :c)"),
                    {"f": fix_id, "c": cluster_id},
                )
        upgrade()
        with db.engine.connect() as conn:
            statuses = dict(
                conn.execute(sa.text("SELECT id, status FROM cluster ORDER BY id")).all()
            )
        assert statuses == {1: "in_progress", 2: "done"}
        downgrade(revision="base")
        db.engine.dispose()


def test_stepping_down_one_revision_at_a_time_keeps_every_row(empty_database_url):
    """A downgrade that rebuilds a table (SQLite's batch mode: copy, drop, rename) must not let
    the drop cascade to the rows that point at it: a step down from 0019 once emptied every
    campaign's moments, sources and fixes."""
    from tests.factories import make_campaign, make_moment

    target = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database_url})
    with target.app_context():
        upgrade()
        campaign = make_campaign()
        make_moment(campaign)
        db.session.commit()
        db.session.remove()
        for revision in ("0018_sources", "0015_imports", "0010_jobs", "0005_fixes"):
            downgrade(revision=revision)
            with db.engine.connect() as conn:
                moments = conn.execute(sa.text("SELECT count(*) FROM moment")).scalar()
                campaigns = conn.execute(sa.text("SELECT count(*) FROM campaign")).scalar()
            assert (campaigns, moments) == (1, 1), revision
        upgrade()
        db.engine.dispose()
