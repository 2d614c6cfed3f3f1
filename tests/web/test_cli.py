"""`flask` commands."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Campaign, Moment


def test_demo_loads_a_campaign_with_masked_moments_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "campaign 'finance'" in result.output
    count = db.session.scalar(select(func.count()).select_from(Moment))
    assert count >= 40
    assert "already has campaigns" in runner.invoke(args=["demo", "--if-empty"]).output
    assert db.session.scalar(select(func.count()).select_from(Moment)) == count
    bodies = " ".join(db.session.scalars(select(Moment.body)))
    assert "010-2481-7730" not in bodies and "[전화번호]" in bodies and "[주민등록번호]" in bodies


def test_demo_refuses_to_load_twice(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_create_campaign_from_the_terminal(app):
    result = app.test_cli_runner().invoke(args=[
        "create-campaign", "--slug", "gov-2026", "--title", "민원이 불편한 순간",
        "--question", "민원을 넣다가 불편했던 순간은요?", "--categories", "세금, 복지 ,세금",
        "--opens", "2026-01-01", "--closes", "2026-12-31",
    ])
    assert result.exit_code == 0, result.output
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "gov-2026"))
    assert campaign.categories == ["세금", "복지"] and campaign.closes_on.year == 2026


def test_create_campaign_explains_a_bad_slug(app):
    result = app.test_cli_runner().invoke(args=["create-campaign", "--slug", "Bad!", "--title", "t", "--question", "q"])
    assert result.exit_code != 0 and "slug must be" in result.output
