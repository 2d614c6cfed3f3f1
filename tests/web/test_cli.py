"""`flask` commands."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Campaign, Moment
from tests.queue import queued_settings


@pytest.fixture
def demo_app(make_app, tmp_path):
    """As `flask demo` runs for `make run`: what it leaves for the worker (the English moments,
    the call centre's log) waits in a queue instead of being settled inside the command."""
    app = make_app(**queued_settings(tmp_path))
    with app.app_context():
        yield app


def test_demo_loads_a_campaign_with_masked_moments_once(demo_app):
    app = demo_app
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


def test_demo_refuses_to_load_twice(demo_app):
    app = demo_app
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0 and "이미 있어요" in result.output


def test_create_campaign_from_the_terminal(app):
    result = app.test_cli_runner().invoke(
        args=[
            "create-campaign",
            "--slug",
            "gov-2026",
            "--title",
            "민원이 불편한 순간",
            "--question",
            "민원을 넣다가 불편했던 순간은요?",
            "--categories",
            "세금, 복지 ,세금",
            "--opens",
            "2026-01-01",
            "--closes",
            "2026-12-31",
        ]
    )
    assert result.exit_code == 0, result.output
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "gov-2026"))
    assert campaign.categories == ["세금", "복지"] and campaign.closes_on.year == 2026


def test_create_campaign_explains_a_bad_slug(app):
    result = app.test_cli_runner().invoke(
        args=["create-campaign", "--slug", "Bad!", "--title", "t", "--question", "q"]
    )
    assert result.exit_code != 0 and "영문 소문자" in result.output


def test_mask_pii_reads_lines_and_writes_json_with_original_offsets(app):
    import json

    lines = "제 번호 ０１０－２４８１－７７３０로 연락 주세요\n고객센터 1588-1234 는 괜찮아요\n\n"
    result = app.test_cli_runner().invoke(args=["mask-pii"], input=lines.encode("utf-8"))
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert len(records) == 3
    first = lines.splitlines()[0]
    assert records[0]["text"] == "제 번호 [전화번호]로 연락 주세요"
    [span] = records[0]["spans"]
    assert (
        span["type"] == "PHONE"
        and first[span["start"] : span["end"]] == "０１０－２４８１－７７３０"
    )
    assert records[1] == {"text": "고객센터 1588-1234 는 괜찮아요", "spans": []}
    assert records[2] == {"text": "", "spans": []}


def test_purge_deletes_only_moments_past_the_retention_period(make_app):
    from datetime import timedelta

    from campaign.models import utcnow
    from tests.factories import make_campaign, make_moment

    app = make_app(RETENTION_DAYS=30)
    with app.app_context():
        campaign = make_campaign()
        old_id = make_moment(campaign, received=utcnow() - timedelta(days=31))[0].id
        make_moment(campaign, received=utcnow() - timedelta(days=29))
        runner = app.test_cli_runner()
        assert (
            "1 moments are older than 30 days" in runner.invoke(args=["purge", "--dry-run"]).output
        )
        result = runner.invoke(args=["purge"])
        assert result.exit_code == 0 and "Deleted 1 moments" in result.output
        db.session.expire_all()
        assert db.session.get(Moment, old_id) is None
        assert db.session.scalar(select(func.count()).select_from(Moment)) == 1


def test_purge_does_nothing_while_retention_is_off(app):
    from tests.factories import make_campaign, make_moment

    make_moment(make_campaign())
    assert "Retention is off" in app.test_cli_runner().invoke(args=["purge"]).output
    assert db.session.scalar(select(func.count()).select_from(Moment)) == 1
