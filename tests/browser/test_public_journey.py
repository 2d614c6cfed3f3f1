"""A person on a phone tells a moment, keeps the receipt, and looks it up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from tests.factories import make_campaign

pytestmark = pytest.mark.browser
CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@pytest.fixture
def open_campaign(live_app):
    with live_app.app_context():
        make_campaign(slug="finance")
        db.session.commit()


def test_telling_a_moment_on_a_phone_and_looking_it_up_by_receipt(phone, open_campaign, tmp_path):
    phone.goto("/")
    phone.get_by_role("link", name="불편했던 순간 알려주기").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("금융이 불편했던 순간, 언제였나요?")
    body = phone.get_by_label("금융이 불편했던 순간, 언제였나요?")
    body.fill(
        "밤 12시에 월세를 보내려는데 점검 시간이라 못 보냈어요. 제 번호는 010-2481-7730이에요."
    )
    expect(phone.locator("#body-count")).to_contain_text("자 더 쓸 수 있어요")
    phone.get_by_label("어떤 서비스였나요? (선택)").select_option("송금·이체")
    phone.get_by_role("button", name="보내기").click()

    # The soft check shows what will be masked before anything is stored.
    check = phone.locator("[data-error-summary]")
    expect(check).to_be_focused()
    expect(check).to_contain_text("전화번호 1개를 찾았어요")
    expect(check).to_contain_text("제 번호는 [전화번호]이에요.")
    phone.get_by_role("button", name="가려서 보내기").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    code = phone.locator("#receipt-code").inner_text().strip()
    assert CODE.match(code)
    expect(phone.get_by_text("전화번호 1개를 찾아서 저장하기 전에 가렸어요")).to_be_visible()
    expect(phone.locator(".moment-text").first).to_contain_text("제 번호는 [전화번호]이에요.")
    phone.screenshot(path=str(tmp_path / "thanks.png"), full_page=True)
    # The code fits the screen without sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.get_by_role("link", name="접수번호로 확인하기").first.click()
    phone.get_by_label("접수번호").fill(code.lower().replace("-", ""))
    phone.get_by_role("button", name="확인하기").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("보내주신 이야기가 여기까지 왔어요")
    expect(phone.locator('[aria-current="step"]')).to_contain_text("접수했어요")


def test_errors_take_focus_and_nothing_typed_is_lost(phone, open_campaign):
    phone.goto("/submit")
    phone.get_by_label("이렇게 바뀌면 좋겠어요 (선택)").fill("알림을 먼저 주세요")
    phone.get_by_role("button", name="보내기").click()
    expect(phone).to_have_title(re.compile("^오류: "))
    summary = phone.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("어떤 순간이 불편했는지 적어 주세요.")
    expect(phone.get_by_label("이렇게 바뀌면 좋겠어요 (선택)")).to_have_value("알림을 먼저 주세요")
    summary.get_by_role("link").click()
    expect(phone.locator("#body")).to_be_focused()


def test_a_draft_survives_a_reload_and_is_cleared_once_the_server_confirms(phone, open_campaign):
    phone.goto("/submit")
    text = "카드 분실 신고 메뉴가 너무 깊숙이 있어서 한참 찾았어요."
    phone.locator("#body").fill(text)
    phone.reload()
    expect(phone.locator("#body")).to_have_value(text)
    expect(phone.get_by_text("쓰시던 내용을 불러왔어요")).to_be_visible()
    phone.get_by_role("button", name="보내기").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    phone.goto("/submit")
    expect(phone.locator("#body")).to_have_value("")


def test_a_restored_draft_can_be_thrown_away_and_an_old_one_is_not_restored(phone, open_campaign):
    phone.goto("/submit")
    phone.locator("#body").fill("공용 휴대폰에 남기고 싶지 않은 이야기예요.")
    phone.reload()
    phone.get_by_role("button", name="지우고 새로 쓰기").click()
    expect(phone.locator("#body")).to_have_value("")
    expect(phone.locator("#body")).to_be_focused()
    phone.reload()
    expect(phone.get_by_text("쓰시던 내용을 불러왔어요")).to_have_count(0)
    # A draft saved more than a day ago is dropped rather than restored.
    phone.evaluate("""localStorage.setItem(document.querySelector('form[data-draft-key]').dataset.draftKey,
                      JSON.stringify({_savedAt: Date.now() - 25 * 3600 * 1000,
                                      body: '어제 쓰다 만 이야기'}))""")
    phone.reload()
    expect(phone.locator("#body")).to_have_value("")
    assert phone.evaluate("localStorage.length") == 0


def test_the_counter_counts_like_the_server_and_says_by_how_much_it_is_over(phone, open_campaign):
    phone.goto("/submit")
    phone.locator("#body").fill("가" * 2_005)
    expect(phone.locator("#body-count")).to_have_text("5자 넘었어요. 2,000자까지 쓸 수 있어요.")
    phone.get_by_role("button", name="보내기").click()
    expect(phone.locator("#body-error")).to_contain_text("5자를 줄여 주세요")
    expect(phone.locator("#body")).to_have_value("가" * 2_005)


def test_the_whole_journey_works_without_javascript(phone_without_js, open_campaign):
    page = phone_without_js
    page.goto("/submit")
    page.locator("#body").fill("자바스크립트 없이도 보낼 수 있어야 해요. 오래된 휴대폰이에요.")
    page.get_by_role("button", name="보내기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    # Copying needs the script: without it the button is not there to press and do nothing.
    expect(page.get_by_role("button", name="접수번호 복사하기")).to_be_hidden()
    code = page.locator("#receipt-code").inner_text().strip()
    page.goto("/status")
    page.get_by_label("접수번호").fill(code)
    page.get_by_role("button", name="확인하기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("보내주신 이야기가 여기까지 왔어요")


def test_keeping_an_address_masked_by_mistake_on_a_phone(phone, open_campaign, tmp_path):
    phone.goto("/submit")
    phone.get_by_label("금융이 불편했던 순간, 언제였나요?").fill(
        "서울 강남구 테헤란로 152 3층 지점이 예고 없이 문을 닫았어요. 번호는 010-2481-7730이에요."
    )
    phone.get_by_role("button", name="보내기").click()
    check = phone.locator("[data-error-summary]")
    expect(check).to_contain_text("서울 강남구 [주소] 지점이")
    phone.get_by_label(re.compile("테헤란로 152 3층")).check()
    phone.screenshot(path=str(tmp_path / "keep.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="가려서 보내기").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    expect(phone.locator(".moment-text").first).to_contain_text(
        "서울 강남구 테헤란로 152 3층 지점이"
    )
    expect(phone.locator(".moment-text").first).to_contain_text("번호는 [전화번호]이에요.")
