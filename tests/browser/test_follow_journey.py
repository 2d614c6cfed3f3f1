"""소식 받기, in the order life brings it: a person tells a moment at 00:30 in Seoul, makes a
follow link on the thanks page and sees its QR code; a moderator decides to fix the problem at
the desk; the feed the page links to says so, dated by the Korean day; the person stops the
link on the receipt page and the feed is gone."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, desk, grouped_campaign
from tests.browser.test_accessibility import violations
from tests.browser.test_loop_journey import HALF_PAST_MIDNIGHT, receipt, tell

pytestmark = pytest.mark.browser
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(person, url: str) -> list[tuple[str, str]]:
    response = person.request.get(url)
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body())
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}updated").text)
        for e in root.findall(f"{ATOM}entry")
    ]


@pytest.mark.parametrize("live_app", [{"FROZEN_CLOCK": HALF_PAST_MIDNIGHT}], indirect=True)
def test_a_person_follows_a_moment_without_an_account_and_stops(browser, live_app):
    grouped_campaign(live_app, "follow@example.com")
    base = live_app.config["LIVE_URL"]
    person = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, locale="ko-KR", base_url=base
    ).new_page()

    code = tell(person, "밤에 은행 점검 시간이라 이체가 안 돼서 답답해요")
    follow = person.locator("[data-follow]")
    follow.get_by_role("button", name="소식 받기 링크 만들기").click()
    link = person.locator("[data-follow-page]")
    expect(link).to_contain_text("/follow/")
    expect(person.locator("[data-follow-qr] svg")).to_be_visible()
    expect(person.locator("[data-follow-qr] figcaption")).to_contain_text("QR 코드")
    assert violations(person) == []
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The follow page (the link itself) offers the feed for a feed reader.
    link.click()
    expect(person.get_by_role("heading", level=1)).to_have_text("보내주신 이야기의 소식")
    expect(person.locator("[data-entry=received] time")).to_have_text("2026년 11월 29일")
    feed_url = base + person.locator("[data-follow-feed]").first.get_attribute("href")
    assert violations(person) == []
    assert [title for title, _ in feed(person, feed_url)] == [
        "비슷해 보이는 이야기와 함께 모였어요",
        "접수했어요",
    ]

    # A moderator decides to fix the problem at the desk.
    page = desk(browser, live_app, "follow@example.com")
    page.get_by_role("link", name="묶음", exact=True).click()
    page.locator("[data-cluster-row]").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("이야기 5개")
    page.get_by_label("상태").select_option("planned")
    page.get_by_role("button", name="바꾸기", exact=True).click()
    expect(page.get_by_text("개선 예정").first).to_be_visible()

    assert feed(person, feed_url)[0] == ("고치기로 했어요", "2026-11-29T00:00:00+09:00")
    person.reload()
    expect(person.locator("[data-entry=planned]")).to_contain_text("고치기로 했어요")

    # The person stops it on the receipt page; the link and the feed are gone.
    receipt(person, code)
    expect(person.locator("[data-following]")).to_have_text(
        "이 이야기의 소식 받기 링크가 1개 있어요."
    )
    person.get_by_role("button", name="소식 그만 받기").click()
    expect(person.locator("[data-follow-notice]")).to_contain_text("소식 받기를 그만했어요")
    assert person.request.get(feed_url).status == 404
    person.goto(feed_url.removesuffix(".xml"))
    expect(person.get_by_role("heading", level=1)).to_have_text("이 링크로는 소식을 볼 수 없어요")
