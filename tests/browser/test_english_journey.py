"""The whole public journey in English, chosen with the header's switch: landing → tell a moment
(with the personal-data check) → thanks and the code → the receipt → what we fixed → a fix →
numbers → the anonymity promise; axe on every page. The switch also works without JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaign.demo import load_demo
from campaign.extensions import db
from campaign.models import Fix, FixState
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture
def demo_fix(live_app):
    with live_app.app_context():
        load_demo(thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        return db.session.scalar(db.select(Fix.slug).where(Fix.state == FixState.PUBLISHED))


def test_the_english_switch_walks_the_whole_public_journey(phone, demo_fix):
    found: dict[str, list[str]] = {}

    def check(name: str) -> None:
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        found[name] = violations(phone)

    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "ko")
    phone.get_by_role("link", name="English").click()
    expect(phone).to_have_url(re.compile(r"/$"))
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "When did banking or paying get in your way?"
    )
    check("landing")

    phone.get_by_role("link", name="Tell us about a moment").click()
    body = phone.get_by_label("When did banking or paying get in your way?")
    body.fill("이체가 자꾸 실패해서 010-2481-7730으로 전화했는데 아무도 안 받았어요.")
    expect(phone.locator("#body-count")).to_contain_text("You can write")
    check("submit")
    phone.get_by_role("button", name="Send", exact=True).click()
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("We found phone number (1).")
    check("personal-data check")
    phone.get_by_role("button", name="Send with it hidden").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    code = phone.locator("#receipt-code").inner_text().strip()
    assert CODE.match(code)
    check("thanks")

    phone.get_by_role("link", name="Check with your code").first.click()
    phone.get_by_label("Your code").fill(code)
    phone.get_by_role("button", name="Check").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Here's where your story is now")
    expect(phone.locator('[aria-current="step"]')).to_contain_text("Received")
    check("receipt")

    phone.get_by_role("link", name="What we fixed").first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("What we fixed")
    check("improvements")
    phone.goto(f"/improvements/{demo_fix}")
    expect(phone.locator("h1")).to_have_attribute("lang", "ko")
    check("a fix")
    phone.goto("/stats")
    expect(phone.get_by_role("heading", level=1)).to_have_text("The campaign in numbers")
    check("stats")
    phone.get_by_role("link", name="Our anonymity promise").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("We never keep who sent a story")
    check("privacy")

    phone.get_by_role("link", name="한국어").click()
    expect(phone.locator("html")).to_have_attribute("lang", "ko")
    expect(phone.get_by_role("heading", level=1)).to_have_text("누가 보냈는지 남기지 않아요")
    assert {name: v for name, v in found.items() if v} == {}


def test_the_switch_works_without_javascript_and_keeps_the_page(phone_without_js, demo_fix):
    phone_without_js.goto("/stats")
    phone_without_js.get_by_role("link", name="English").click()
    expect(phone_without_js).to_have_url(re.compile(r"/stats$"))
    expect(phone_without_js.locator("html")).to_have_attribute("lang", "en")
    switch = phone_without_js.locator("[data-language-switch]")
    expect(switch).to_have_attribute("hreflang", "ko")
    switch.focus()
    phone_without_js.keyboard.press("Enter")
    expect(phone_without_js.locator("html")).to_have_attribute("lang", "ko")
    expect(phone_without_js).to_have_url(re.compile(r"/stats$"))
