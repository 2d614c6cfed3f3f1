"""이미 고쳤어요: which published fixes a text is offered (suggestions.py)."""

from __future__ import annotations

import pytest

from campaign import fixes, suggestions
from campaign.clustering import encoder
from campaign.extensions import db
from campaign.models import Cluster, utcnow
from tests.factories import make_campaign, make_moderator, make_moment
from tests.samples import MAINTENANCE, cluster_of

IN_OTHER_WORDS = "밤 12시 넘어서 월세 보내려는데 은행 점검이라고 안 된대요"
UNRELATED = "보험금 청구하려고 영수증 사진을 올렸는데 자꾸 반려돼요"


def publish_fix(campaign, cluster, title="이제 밤 12시 점검 시간에도 송금할 수 있어요"):
    admin = make_moderator()
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title=title,
            before="자정 전후 은행 점검 시간에는 이체가 막혔어요",
            after="점검 시간에도 송금을 받아 두었다가 끝나면 바로 보내드려요",
        ),
        by=admin,
    )
    fixes.link_cluster(fix, cluster, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    db.session.flush()
    return fix, admin


@pytest.fixture
def maintenance_fix(grouped_moments):
    campaign, moments = grouped_moments
    fix, admin = publish_fix(campaign, db.session.get(Cluster, cluster_of(moments[0])))
    db.session.commit()
    return campaign, fix, admin


def test_a_maintenance_complaint_in_other_words_finds_the_maintenance_fix(maintenance_fix):
    campaign, fix, _ = maintenance_fix
    found = suggestions.match(suggestions.profiles_of(campaign.id), IN_OTHER_WORDS)
    assert [s.card.id for s in found] == [fix.id]
    assert found[0].card.slug == fix.slug and found[0].score >= suggestions.threshold(
        suggestions.profiles_of(campaign.id)
    )


def test_an_unrelated_complaint_gets_no_suggestion(maintenance_fix):
    campaign, _, _ = maintenance_fix
    assert suggestions.match(suggestions.profiles_of(campaign.id), UNRELATED) == []


def test_a_text_shorter_than_the_minimum_is_not_compared(maintenance_fix):
    campaign, _, _ = maintenance_fix
    short = "은행 점검 시간"
    assert len(short) < suggestions.MIN_CHARS
    assert suggestions.match(suggestions.profiles_of(campaign.id), short) == []


def test_a_retracted_fix_is_never_suggested(maintenance_fix):
    campaign, fix, admin = maintenance_fix
    fixes.retract(fix, by=admin)
    db.session.commit()
    profiles = suggestions.profiles_of(campaign.id)
    assert profiles.empty
    assert suggestions.match(profiles, IN_OTHER_WORDS) == []


def test_a_draft_fix_is_never_suggested(grouped_moments):
    campaign, moments = grouped_moments
    admin = make_moderator()
    draft = fixes.create_fix(
        campaign, fixes.FixFields(title="이제 밤 12시 점검 시간에도 송금할 수 있어요"), by=admin
    )
    fixes.link_cluster(draft, db.session.get(Cluster, cluster_of(moments[0])), by=admin)
    db.session.commit()
    assert suggestions.match(suggestions.profiles_of(campaign.id), IN_OTHER_WORDS) == []


def test_another_campaigns_fix_is_never_suggested(maintenance_fix):
    campaign, fix, admin = maintenance_fix
    other = make_campaign()
    theirs = fixes.create_fix(
        other, fixes.FixFields(title="이제 밤 12시 점검 시간에도 송금할 수 있어요"), by=admin
    )
    for body in MAINTENANCE:
        fixes.link_moment(theirs, make_moment(other, body=body)[0], by=admin)
    fixes.publish(theirs, by=admin, now=utcnow())
    db.session.commit()
    found = suggestions.match(suggestions.profiles_of(campaign.id), IN_OTHER_WORDS)
    assert [s.card.id for s in found] == [fix.id]
    found = suggestions.match(suggestions.profiles_of(other.id), IN_OTHER_WORDS)
    assert [s.card.id for s in found] == [theirs.id]


def test_the_page_already_showing_a_fix_can_leave_it_out(maintenance_fix):
    campaign, fix, _ = maintenance_fix
    profiles = suggestions.profiles_of(campaign.id)
    assert suggestions.match(profiles, IN_OTHER_WORDS, leave_out={fix.id}) == []


def test_without_the_encoder_spelling_still_finds_a_fix_told_in_the_same_words(
    maintenance_fix, monkeypatch
):
    campaign, fix, _ = maintenance_fix
    monkeypatch.setattr(encoder, "available", lambda: False)
    profiles = suggestions.profiles_of(campaign.id)
    assert profiles.mean is None and profiles.weights
    found = suggestions.match(profiles, "은행 점검 시간이라서 밤에 이체가 안 돼요 불편해요")
    assert [s.card.id for s in found] == [fix.id]
    assert suggestions.match(profiles, UNRELATED) == []
