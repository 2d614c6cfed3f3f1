"""이미 고쳤어요 while typing: a person starts writing a complaint about bank maintenance hours,
is shown the published fix after a pause, and either follows it (the draft is still there when
they come back; they say 나도 겪었어요 on the way) or sends anyway. The send button never moves."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.factories import make_campaign
from tests.samples import MAINTENANCE_FIX_TITLE, publish_maintenance_fix

pytestmark = pytest.mark.browser
TITLE = MAINTENANCE_FIX_TITLE
TYPED = "밤 12시 넘어서 월세 보내려는데 은행 점검이라고 안 된대요"
QUESTION = "금융이 불편했던 순간, 언제였나요?"


@pytest.fixture
def fixed(live_app):
    with live_app.app_context():
        campaign = make_campaign()
        publish_maintenance_fix(campaign)


def start_typing(person):
    person.goto("/submit")
    send = person.get_by_role("button", name="보내기")
    before = send.bounding_box()
    person.get_by_label(QUESTION).press_sequentially(TYPED, delay=5)
    suggestion = person.get_by_role("link", name=TITLE)
    expect(suggestion).to_be_visible(timeout=30_000)
    expect(
        person.get_by_role("heading", name="혹시 이 이야기인가요? 이미 이렇게 바뀌었어요")
    ).to_be_visible()
    assert send.bounding_box() == before  # the suggestion arrived below the button
    expect(person.get_by_label(QUESTION)).to_be_focused()
    return suggestion


def test_a_person_follows_the_fix_and_finds_the_draft_kept(phone, fixed):
    start_typing(phone).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    phone.get_by_role("button", name="나도 겪었어요").click()
    expect(phone.locator("[data-metoo-said]")).to_contain_text("함께 셌어요")
    phone.goto("/submit")
    expect(phone.get_by_label(QUESTION)).to_have_value(TYPED)


def test_a_person_sends_anyway_with_one_tap(phone, fixed):
    start_typing(phone)
    assert violations(phone) == []
    phone.get_by_role("button", name="보내기").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
