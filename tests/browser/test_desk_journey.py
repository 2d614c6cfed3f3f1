"""A moderator at a desk triages by keyboard, tags, hides one moment, undoes it, and checks the
log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from campaign.models import utcnow
from tests.factories import PASSWORD, make_campaign, make_moderator, make_moment

pytestmark = pytest.mark.browser
DESK = {"width": 1440, "height": 900}


@pytest.fixture
def desk(browser, live_app):
    with live_app.app_context():
        campaign = make_campaign(slug="finance")
        for hours, body in [
            (1, "새벽에 이체하려는데 점검 중이라 못 보냈어요."),
            (2, "카드 분실 신고 메뉴를 찾기가 너무 어려웠어요."),
            (3, "대출 금리 인하 요청을 앱에서 할 수 없어요."),
        ]:
            make_moment(campaign, body=body, received=utcnow() - timedelta(hours=hours))
        moderator = make_moderator("admin", email="triage@example.com", name="김담당")
        db.session.commit()
    context = browser.new_context(
        viewport=DESK, locale="ko-KR", base_url=live_app.config["LIVE_URL"]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, moderator
    context.close()
    assert errors == []


def test_keyboard_triage_tag_hide_undo_and_the_audit_log(desk):
    page, moderator = desk
    page.goto("/admin/moments")
    page.get_by_label("이메일").fill("triage@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.locator("[data-moment-row]")).to_have_count(3)
    expect(page.locator("html")).to_have_attribute(
        "data-desk", "ready"
    )  # keys pressed earlier go nowhere

    # j selects the first row, o opens it, e jumps to the status control.
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator("[data-moment-text]")).to_have_text(
        "새벽에 이체하려는데 점검 중이라 못 보냈어요."
    )
    ready = page.locator("html[data-desk='ready']")
    for expected in ["새벽에 이체하려는데", "카드 분실 신고", "대출 금리 인하"]:
        expect(page.locator("[data-moment-text]")).to_contain_text(expected)
        expect(ready).to_have_count(1)  # this page's shortcuts are listening
        page.keyboard.press("e")
        expect(page.locator("[data-status-select]")).to_be_focused()
        page.locator("[data-status-select]").select_option("in_review")
        page.keyboard.press("Tab")
        with page.expect_navigation():  # the old page's message must not count for the new one
            page.keyboard.press("Enter")
        expect(page.get_by_text("'검토 중'(으)로 바꿨어요.")).to_be_visible()
        expect(ready).to_have_count(1)
        if expected != "대출 금리 인하":
            page.keyboard.press("j")  # next moment in the filtered order

    # t jumps to the tag box; Enter adds the tag.
    page.keyboard.press("t")
    expect(page.locator("[data-tag-input]")).to_be_focused()
    page.keyboard.type("금리인하")
    page.keyboard.press("Enter")
    expect(page.locator(".tag-list")).to_contain_text("#금리인하")

    # Typing in a field never triggers a shortcut.
    page.locator("[data-tag-input]").fill("")
    page.locator("[data-tag-input]").type("jjk")
    expect(page.locator("[data-moment-text]")).to_contain_text("대출 금리 인하")

    # Hide it, then undo instead of having confirmed first.
    page.get_by_label("숨기는 이유", exact=True).select_option("irrelevant")
    page.locator("[data-hide]").click()
    expect(page.get_by_role("button", name="다시 보이게 하기")).to_be_visible()
    page.locator("[data-undo]").click()
    expect(page.get_by_text("되돌렸어요 (1건).")).to_be_visible()
    expect(page.get_by_role("button", name="숨기기")).to_be_visible()

    # ? opens the shortcut help.
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="단축키")).to_be_visible()
    page.keyboard.press("Escape")

    page.get_by_role("link", name="작업 기록").click()
    rows = page.locator("[data-audit-row]")
    expect(rows.filter(has_text="상태 변경")).to_have_count(3)
    expect(rows.filter(has_text="태그 달기")).to_have_count(1)
    expect(rows.filter(has_text="숨김")).to_have_count(1)
    expect(rows.filter(has_text="되돌리기")).to_have_count(1)
    expect(rows.filter(has_text="김담당").first).to_be_visible()
