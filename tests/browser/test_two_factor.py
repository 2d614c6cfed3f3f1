"""An admin enrols a second factor in Chromium, keeps the recovery codes, and signs in with a
code."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("live_app", [{"TWO_FACTOR_ROLES": "admin"}], indirect=True)
def test_an_admin_enrols_and_signs_in_with_a_one_time_code(browser, live_app):
    from tests.factories import make_moderator

    with live_app.app_context():
        make_moderator("admin", email="two@example.com")
        db.session.commit()
    page = browser.new_context(
        viewport={"width": 1280, "height": 900},
        locale="ko-KR",
        base_url=live_app.config["LIVE_URL"],
    ).new_page()
    page.goto("/admin/login")
    page.get_by_label("이메일").fill("two@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2단계 인증 등록")
    expect(page.locator("[data-qr] svg")).to_be_visible()
    secret = page.locator("[data-secret]").inner_text().strip()
    page.get_by_label("인증 앱의 6자리 숫자").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="등록하기").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.get_by_role("link", name="적어 뒀어요").click()
    expect(page).to_have_url(f"{live_app.config['LIVE_URL']}/admin/moments")

    page.get_by_role("button", name="로그아웃").click()
    page.get_by_label("이메일").fill("two@example.com")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2단계 인증")
    page.get_by_label("인증 코드").fill("000000")
    page.get_by_role("button", name="확인하기").click()
    expect(page.locator("[data-error-summary]")).to_contain_text("숫자가 맞지 않아요")
    page.get_by_label("인증 코드").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="확인하기").click()
    expect(page).to_have_url(f"{live_app.config['LIVE_URL']}/admin/moments")
