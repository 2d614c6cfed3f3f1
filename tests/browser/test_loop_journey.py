"""The whole loop: a person tells a moment and keeps the receipt; a moderator writes the fix for
its group, quotes and generalises a moment, publishes; the person sees 고쳤어요 on the receipt."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, desk, grouped_campaign

pytestmark = pytest.mark.browser
TITLE = "점검 시간에도 이체를 예약할 수 있어요"


def test_a_moment_travels_to_a_published_fix_and_back_to_its_receipt(browser, live_app):
    grouped_campaign(live_app, "fixes@example.com")
    base = live_app.config["LIVE_URL"]
    person = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR", base_url=base).new_page()

    # A person tells a moment like four others; it joins their group on arrival.
    person.goto("/submit")
    person.get_by_label("금융이 불편했던 순간, 언제였나요?").fill("밤에 은행 점검 시간이라 이체가 안 돼서 답답해요")
    person.get_by_role("button", name="보내기").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    code = person.locator("#receipt-code").inner_text().strip()
    expect(person.locator("[data-together]")).to_contain_text("나 말고도 4명이")

    # A moderator writes the fix from that group.
    page = desk(browser, live_app, "fixes@example.com")
    page.get_by_role("link", name="묶음", exact=True).click()
    page.locator("[data-cluster-row]").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("5명")
    page.get_by_role("link", name="이 묶음으로 개선 사례 쓰기").click()
    page.get_by_label("제목").fill(TITLE)
    page.get_by_label("요약 (선택)").fill("예약해 두면 점검이 끝나자마자 보내요.")
    page.get_by_label("전에는").fill("점검 시간에는 이체를 할 수 없었어요.")
    page.get_by_label("이제는").fill("점검 시간에도 예약해 두면 끝나는 대로 보내요.")
    page.get_by_role("button", name="저장하기").click()
    expect(page.get_by_text("개선 사례를 저장했어요.")).to_be_visible()
    expect(page.get_by_text("5명이 알려준 불편")).to_be_visible()

    page.locator("[data-quote-candidates] li").first.get_by_role("button", name="인용하기").click()
    quote = page.get_by_label("인용 1")
    expect(quote).to_be_visible()
    quote.fill("밤에 점검 시간이라 이체를 못 했어요")
    page.get_by_role("button", name="다듬기").click()
    expect(page.get_by_text("인용문을 다듬었어요.")).to_be_visible()
    page.get_by_role("button", name="공개하기").click()
    expect(page.locator("[data-fix-state]")).to_have_text("공개")

    # The public page shows the fix with its count and the generalised quote.
    person.goto("/improvements")
    card = person.locator("[data-fix-card]").first
    expect(card).to_contain_text(TITLE)
    expect(card).to_contain_text("5명")
    card.get_by_role("link", name=TITLE).click()
    expect(person.locator("[data-quote]")).to_have_text("밤에 점검 시간이라 이체를 못 했어요")

    # The receipt lookup now says 고쳤어요, with the link.
    person.goto("/status")
    person.get_by_label("접수번호").fill(code)
    person.get_by_role("button", name="확인하기").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주신 이야기로 고쳤어요")
    expect(person.locator('[aria-current="step"]')).to_contain_text("고쳤어요")
    person.get_by_role("link", name=TITLE).click()
    expect(person.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
