"""The whole loop, in the order life brings it: a person tells a moment at 00:30 in Seoul and
keeps the receipt; a moderator publishes a fix that is only planned, then finishes it; the
receipt follows each step truthfully and asks "해결됐나요?"; two days later someone else meets the
same problem, is shown the fix, and answers "아직 불편해요" without being counted behind it.

The server's clock is frozen through its settings (FROZEN_CLOCK), not the machine's."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, desk, grouped_campaign

pytestmark = pytest.mark.browser
TITLE = "점검 시간에도 이체를 예약할 수 있어요"
HALF_PAST_MIDNIGHT = "2026-11-29T00:30:00+09:00"


def tell(person, text: str) -> str:
    person.goto("/submit")
    person.get_by_label("금융이 불편했던 순간, 언제였나요?").fill(text)
    person.get_by_role("button", name="보내기").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    return person.locator("#receipt-code").inner_text().strip()


def receipt(person, code: str):
    person.goto("/status")
    person.get_by_label("접수번호").fill(code)
    person.get_by_role("button", name="확인하기").click()


# A public minimum group of 1, so the single arrival after the fix shows on its page.
@pytest.mark.parametrize(
    "live_app", [{"FROZEN_CLOCK": HALF_PAST_MIDNIGHT, "PUBLIC_MIN_GROUP": 1}], indirect=True
)
def test_a_moment_travels_to_a_fix_and_back_truthfully_at_every_step(browser, live_app):
    grouped_campaign(live_app, "fixes@example.com")
    base = live_app.config["LIVE_URL"]
    person = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR", base_url=base
    ).new_page()

    # 00:30 in Seoul (15:30 the day before in UTC): the receipt is dated the Korean day.
    code = tell(person, "밤에 은행 점검 시간이라 이체가 안 돼서 답답해요")
    expect(person.locator("[data-together]")).to_contain_text(
        "비슷한 불편을 알려주신 분이 4명 더 있어요"
    )
    receipt(person, code)
    expect(person.locator(".facts")).to_contain_text("2026년 11월 29일")
    expect(person.locator('[aria-current="step"]')).to_contain_text(
        "비슷해 보이는 이야기와 함께 모였어요"
    )
    expect(person.locator('[data-stage="reviewed"]')).not_to_have_class("stage stage--done")

    # A moderator writes the fix from that group and publishes it while it is only planned.
    page = desk(browser, live_app, "fixes@example.com")
    page.get_by_role("link", name="묶음", exact=True).click()
    page.locator("[data-cluster-row]").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("이야기 5개")
    page.get_by_role("link", name="이 묶음으로 개선 사례 쓰기").click()
    page.get_by_label("제목").fill(TITLE)
    page.get_by_label("요약 (선택)").fill("예약해 두면 점검이 끝나자마자 보내요.")
    page.get_by_label("전에는").fill("점검 시간에는 이체를 할 수 없었어요.")
    page.get_by_label("이제는").fill("점검 시간에도 예약해 두면 끝나는 대로 보내요.")
    page.get_by_role("button", name="저장하기").click()
    expect(page.get_by_text("개선 사례를 저장했어요.")).to_be_visible()
    expect(page.get_by_text("이어진 이야기 5개")).to_be_visible()
    page.locator("[data-quote-candidates] li").first.get_by_role("button", name="인용하기").click()
    page.get_by_label("인용 1").fill("밤에 점검 시간이라 이체를 못 했어요")
    page.get_by_role("button", name="다듬기").click()
    page.get_by_role("button", name="공개하기").click()
    expect(page.locator("[data-fix-state]")).to_have_text("공개")

    receipt(person, code)
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주신 이야기로 고치고 있어요")
    expect(person.locator('[aria-current="step"]')).to_contain_text("고치기로 했어요")
    expect(person.locator("[data-answer-form]")).to_have_count(0)
    person.goto("/improvements")
    expect(person.locator("[data-fix-card]").first).to_contain_text("고치기로 했어요")

    # The fix ships that day: 개선 중, then 개선 완료 with its date.
    page.get_by_label("진행").select_option("in_progress")
    page.get_by_role("button", name="바꾸기").click()
    page.get_by_role("link", name="내용 고치기").click()
    page.get_by_label("고친 날 (선택)").fill("2026-11-29")
    page.get_by_role("button", name="저장하기").click()
    page.get_by_label("진행").select_option("done")
    page.get_by_role("button", name="바꾸기").click()
    expect(page.get_by_text("개선 완료").first).to_be_visible()

    receipt(person, code)
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주신 이야기로 고쳤어요")
    expect(person.locator('[aria-current="step"]')).to_contain_text("고쳤어요")
    expect(person.locator("[data-answer-form]")).to_be_visible()

    # Two days later, at 21:00, someone else meets the same problem.
    live_app.config["FROZEN_CLOCK"] = "2026-12-01T21:00:00+09:00"
    other = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR", base_url=base
    ).new_page()
    tell(other, "은행 점검 시간이라 밤에 이체가 또 안 됐어요")
    already = other.locator("[data-already-fixed]")
    expect(already).to_contain_text("이미 이렇게 바뀌었어요")
    expect(already).to_contain_text(TITLE)
    other.get_by_label("아직 불편해요").check()
    other.get_by_label("더 알려주실 것이 있나요? (안 써도 돼요)").fill("예약 버튼이 안 보여요")
    other.get_by_role("button", name="답하기").click()
    expect(other.locator("[data-answered]")).to_contain_text("답해 주셔서 고마워요")
    expect(other.locator("[data-answer]")).to_contain_text("아직 불편하다고 답해 주셨어요")
    expect(other.get_by_role("heading", level=1)).not_to_have_text("보내주신 이야기로 고쳤어요")

    # The fix still counts the five who led to it, and says who met the problem after it.
    other.goto("/improvements")
    card = other.locator("[data-fix-card]").first
    expect(card).to_contain_text("5명")
    card.get_by_role("link", name=TITLE).click()
    expect(other.locator("[data-fix-count]")).to_contain_text("2026년 11월 29일에 고쳤어요")
    expect(other.locator("[data-after-fix]")).to_contain_text("고친 뒤에도 1명이")
    expect(other.locator("[data-quote]")).to_have_text("밤에 점검 시간이라 이체를 못 했어요")

    # The first person answers too, once.
    receipt(person, code)
    person.get_by_label("해결됐어요").check()
    person.get_by_role("button", name="답하기").click()
    expect(person.locator("[data-answer]")).to_contain_text("해결됐다고 답해 주셨어요")
    expect(person.locator("[data-answer-form]")).to_have_count(0)
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
