"""The desk's settings: tags, teams and urgent words, and how they change what the desk shows."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign import desk_settings, moderation
from campaign.extensions import db
from campaign.models import Moment, Tag, UrgentRule
from tests.factories import make_moderator, make_moment


@pytest.fixture
def moderator(app):
    return make_moderator()


@pytest.fixture
def moments(app, campaign):
    return [make_moment(campaign, body=f"태그를 달 {i}번째 이야기예요.")[0] for i in range(3)]


def test_tags_are_found_case_insensitively_renamed_and_merged(moderator, moments):
    first = desk_settings.find_or_create_tag("Point", by=moderator)
    assert desk_settings.find_or_create_tag(" point ", by=moderator).id == first.id
    other = desk_settings.find_or_create_tag("포인트", by=moderator)
    moderation.add_tag(moments[:2], first, by=moderator)
    moderation.add_tag(moments[1:], other, by=moderator)
    with pytest.raises(desk_settings.SettingsError, match="같은 이름"):
        desk_settings.rename_tag(first, "포인트", by=moderator)
    moved = desk_settings.merge_tags(first, other, by=moderator)
    db.session.commit()
    assert moved == 2
    assert db.session.scalar(select(Tag).where(Tag.name == "Point")) is None
    assert all([t.name for t in db.session.get(Moment, m.id).tags] == ["포인트"] for m in moments)


def test_teams_have_unique_names(moderator):
    desk_settings.create_team("카드팀", by=moderator)
    with pytest.raises(desk_settings.SettingsError):
        desk_settings.create_team("카드팀", by=moderator)


def test_urgent_rules_reflag_every_moment_when_they_change(moderator, campaign):
    copied, _ = make_moment(campaign, body="누가 제 카드를 복 제해서 썼어요.")
    calm, _ = make_moment(campaign, body="앱 글씨가 조금 작아요. 키워 주세요.")
    count = desk_settings.add_urgent_rule("복제", by=moderator)
    assert copied.urgent and not calm.urgent and count == 1  # spaces are ignored
    with pytest.raises(desk_settings.SettingsError, match="이미 있는"):
        desk_settings.add_urgent_rule("복제", by=moderator)
    rule = db.session.scalar(select(UrgentRule).where(UrgentRule.phrase == "복제"))
    desk_settings.remove_urgent_rule(rule, by=moderator)
    db.session.expire_all()
    assert not db.session.get(Moment, copied.id).urgent


def test_the_migration_seeds_urgent_phrases_for_fraud_and_lost_money(app):
    phrases = desk_settings.urgent_phrases()
    assert {"보이스피싱", "사기", "도용", "해킹"} <= set(phrases)
