"""The desk warns before an idle session ends, and masks what a moderator selects."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from campaign.extensions import db
from tests.browser.conftest import desk
from tests.factories import make_campaign, make_moderator, make_moment

pytestmark = pytest.mark.browser


def sign_in(browser, live_app, email):
    page = desk(browser, live_app, email)
    return page.context, page


# Warn two seconds after the page loads instead of after 25 minutes.
@pytest.mark.parametrize("live_app", [{"IDLE_WARNING_SECONDS": 30 * 60 - 2}], indirect=True)
def test_the_idle_warning_appears_and_keeping_on_renews_the_session(browser, live_app):
    with live_app.app_context():
        make_moderator(email="idle@example.com")
        db.session.commit()
    context, page = sign_in(browser, live_app, "idle@example.com")
    warning = page.get_by_role("alert").filter(has_text="자동으로 로그아웃돼요")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=6000)
    with page.expect_response(lambda r: r.url.endswith("/admin/ping")) as ping:
        page.get_by_role("button", name="계속 쓸게요").click()
    assert ping.value.status == 200
    expect(warning).to_be_hidden()
    context.close()


def test_selecting_words_in_a_moment_fills_the_mask_form(browser, live_app):
    with live_app.app_context():
        moment_id = make_moment(
            make_campaign(slug="finance"), body="지점 직원 박서준 님이 반말을 했어요 정말로요"
        )[0].id
        make_moderator(email="mask@example.com")
        db.session.commit()
    context, page = sign_in(browser, live_app, "mask@example.com")
    page.goto(f"/admin/moments/{moment_id}")
    text = page.locator("[data-moment-text]")
    text.evaluate("""el => {
        const node = el.firstChild, start = node.textContent.indexOf("박서준");
        const range = document.createRange();
        range.setStart(node, start); range.setEnd(node, start + 3);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        el.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
    }""")
    expect(page.locator("[data-mask-phrase]")).to_have_value("박서준")
    page.get_by_label("종류").select_option("NAME")
    page.get_by_role("button", name="가리기").click()
    expect(text).to_have_text("지점 직원 [이름] 님이 반말을 했어요 정말로요")
    context.close()
