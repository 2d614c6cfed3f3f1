"""Campaign rules and configuration safety."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from campaign import campaigns, create_app
from campaign.config import UnsafeConfiguration
from campaign.extensions import db
from tests.factories import make_campaign, past


def test_a_campaign_is_open_between_its_dates_inclusive(app):
    c = make_campaign(opens_on=date(2026, 11, 1), closes_on=date(2026, 11, 30))
    assert c.is_open_on(date(2026, 11, 1)) and c.is_open_on(date(2026, 11, 30))
    assert not c.is_open_on(date(2026, 10, 31)) and not c.is_open_on(date(2026, 12, 1))


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"slug": "Bad Slug"}, "영문 소문자"),
        ({"slug": "dup"}, "이미 있어요"),
        ({"title": "  "}, "이름과 질문을 입력해"),
        ({"closes_on": date(2000, 1, 1)}, "마감일은"),
    ],
)
def test_create_campaign_refuses_bad_input_with_a_reason(app, fields, message):
    make_campaign(slug="dup")
    base = dict(slug="fine", title="제목", question="질문이에요?", opens_on=past(1))
    with pytest.raises(campaigns.CampaignError, match=message):
        campaigns.create_campaign(**{**base, **fields})


def test_categories_are_trimmed_and_deduplicated(app):
    c = make_campaign(categories=[" 카드", "카드", "", "대출 "])
    assert c.categories == ["카드", "대출"]


def test_today_is_the_korean_date(app):
    from datetime import datetime

    assert campaigns.local_today(datetime(2026, 11, 23, 16, 30)) == date(2026, 11, 24)  # 01:30 KST


def test_a_day_starts_at_midnight_in_the_campaigns_zone(app):
    from datetime import datetime

    assert campaigns.day_start(date(2026, 11, 29)).isoformat() == "2026-11-29T00:00:00+09:00"
    start, end = campaigns.day_bounds(date(2026, 11, 29))
    assert (start, end) == (datetime(2026, 11, 28, 15), datetime(2026, 11, 29, 15))


def test_production_refuses_the_development_secret_key(monkeypatch):
    monkeypatch.delenv("CAMPAIGN_SECRET_KEY", raising=False)
    with pytest.raises(UnsafeConfiguration, match="SECRET_KEY"):
        create_app({"ENV": "production"})


def test_production_refuses_the_development_receipt_pepper():
    with pytest.raises(UnsafeConfiguration, match="PEPPER"):
        create_app({"ENV": "production", "SECRET_KEY": "x" * 40})


PRODUCTION = {
    "ENV": "production",
    "SECRET_KEY": "s" * 40,
    "RECEIPT_PEPPER": "p" * 40,
    "PUBLIC_URL": "https://moments.example.org",
    "TWO_FACTOR_ROLES": "admin",
}


@pytest.mark.parametrize(
    "change, refused",
    [
        ({"PUBLIC_URL": ""}, "PUBLIC_URL"),
        ({"TWO_FACTOR_ROLES": ""}, "TWO_FACTOR"),
        ({"TWO_FACTOR_ROLES": "moderator"}, "TWO_FACTOR"),
    ],
)
def test_production_refuses_to_trust_any_host_or_to_let_admins_in_without_a_second_factor(
    tmp_path, change, refused
):
    with pytest.raises(UnsafeConfiguration, match=refused):
        create_app(
            {**PRODUCTION, **change, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
        )


def test_production_with_real_secrets_starts_with_secure_cookies(tmp_path):
    app = create_app({**PRODUCTION, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


def test_local_webhook_endpoints_are_allowed_in_development_only_unless_set(monkeypatch, tmp_path):
    monkeypatch.delenv("CAMPAIGN_WEBHOOK_ALLOW_LOCAL", raising=False)
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    assert create_app({**PRODUCTION, **database}).config["WEBHOOK_ALLOW_LOCAL"] is False
    assert create_app({"ENV": "testing", **database}).config["WEBHOOK_ALLOW_LOCAL"] is False
    assert create_app({"ENV": "development", **database}).config["WEBHOOK_ALLOW_LOCAL"] is True
    monkeypatch.setenv("CAMPAIGN_WEBHOOK_ALLOW_LOCAL", "false")
    assert create_app({"ENV": "development", **database}).config["WEBHOOK_ALLOW_LOCAL"] is False


def test_settings_come_from_the_environment_with_their_types(monkeypatch, tmp_path):
    monkeypatch.setenv("CAMPAIGN_BODY_MAX_CHARS", "500")
    monkeypatch.setenv("CAMPAIGN_RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("CAMPAIGN_SUBMIT_LIMIT", "3 per minute")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    app = create_app({"ENV": "testing"})
    assert app.config["BODY_MAX_CHARS"] == 500
    assert app.config["RATELIMIT_ENABLED"] is False
    assert app.config["SUBMIT_LIMIT"] == "3 per minute"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_clustering_thresholds_default_once_per_space_and_follow_the_environment(
    monkeypatch, tmp_path
):
    from campaign.clustering import engine
    from campaign.config import DEFAULT_CLUSTER_THRESHOLDS

    for name in ("KO", "EN", "MEANING"):
        monkeypatch.delenv(f"CAMPAIGN_CLUSTER_THRESHOLD_{name}", raising=False)
    database = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}"}
    assert set(DEFAULT_CLUSTER_THRESHOLDS) == {*engine.LANGS, engine.MEANING}
    app = create_app({"ENV": "testing", **database})
    assert app.config["CLUSTER_THRESHOLDS"] == DEFAULT_CLUSTER_THRESHOLDS
    monkeypatch.setenv("CAMPAIGN_CLUSTER_THRESHOLD_MEANING", "0.4")
    app = create_app({"ENV": "testing", **database})
    assert app.config["CLUSTER_THRESHOLDS"] == {**DEFAULT_CLUSTER_THRESHOLDS, engine.MEANING: 0.4}


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_secure_delete(tmp_path):
    app = create_app(
        {"ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'w.db'}"}
    )
    with app.app_context(), db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA secure_delete")).scalar() == 1


def test_the_instance_folder_comes_from_the_environment_and_holds_the_sqlite_file(
    monkeypatch, tmp_path
):
    folder = tmp_path / "state" / "campaign"  # not there yet: the app makes it
    monkeypatch.setenv("CAMPAIGN_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"ENV": "testing"})
    assert app.instance_path == str(folder) == app.config["INSTANCE_PATH"]
    assert folder.is_dir()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{folder / 'campaign.sqlite3'}"


def test_from_the_source_tree_the_app_reads_the_top_level_templates_static_and_migrations(
    monkeypatch, tmp_path
):
    from campaign import ROOT

    monkeypatch.delenv("CAMPAIGN_INSTANCE_PATH", raising=False)
    database = f"sqlite:///{tmp_path / 'x.db'}"
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": database})
    assert app.template_folder == str(ROOT / "templates")
    assert app.static_folder == str(ROOT / "static")
    assert app.extensions["migrate"].directory == str(ROOT / "migrations")
    assert app.instance_path == str(ROOT / "instance")
