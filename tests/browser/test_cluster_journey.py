"""A moderator merges two clusters and then unmerges them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import desk, grouped_campaign

pytestmark = pytest.mark.browser


def test_merge_two_clusters_and_unmerge_them(browser, live_app):
    grouped_campaign(live_app, "groups@example.com")
    page = desk(browser, live_app, "groups@example.com")

    page.get_by_role("link", name="묶음", exact=True).click()
    rows = page.locator("[data-cluster-row]")
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link").click()  # the smaller (lost card) group
    expect(page.get_by_role("heading", level=1)).to_contain_text("이야기 3개")
    card_url = page.url
    target = page.get_by_label("이 묶음을 합칠 곳")
    expect(target).to_have_value(
        ""
    )  # nothing chosen until a person chooses (never a finished cluster by default)
    target.select_option(index=1)
    page.get_by_role("button", name="합치기", exact=True).click()
    expect(page.get_by_text("합쳤어요.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("이야기 7개")

    page.get_by_role("link", name="묶음 목록").click()
    expect(rows).to_have_count(1)
    page.goto(card_url)
    page.get_by_role("button", name="합치기 취소").click()
    expect(page.get_by_text("합치기를 취소했어요.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("이야기 3개")
    page.get_by_role("link", name="묶음 목록").click()
    expect(rows).to_have_count(2)
    page.context.close()
