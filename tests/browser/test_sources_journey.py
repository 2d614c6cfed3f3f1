"""An admin adds a source and prints its poster; a person follows the poster's link and tells a
moment; the dashboard counts it under that source and lists the silent one."""

from __future__ import annotations

import pytest

from campaign.extensions import db
from tests.browser.conftest import desk
from tests.browser.test_accessibility import violations
from tests.factories import make_campaign, make_moderator

pytestmark = pytest.mark.browser
A4_WIDTH_PX = 210 / 25.4 * 96  # CSS pixels


def test_a_poster_brings_a_moment_that_the_dashboard_counts_under_its_source(browser, live_app):
    with live_app.app_context():
        campaign = make_campaign(slug="finance")
        make_moderator("admin", email="sources@example.com")
        db.session.commit()
        campaign_id, question = campaign.id, campaign.question
    admin = desk(browser, live_app, "sources@example.com")
    admin.goto(f"/admin/campaigns/{campaign_id}/sources")
    found = {"sources (empty)": violations(admin)}
    for name, code in (("강남역 지점 QR", "gangnam"), ("ATM 화면", "")):
        admin.get_by_label("이름", exact=True).fill(name)
        admin.get_by_label("링크 코드 (선택)").fill(code)
        admin.get_by_role("button", name="출처 만들기").click()
        admin.locator(".flash", has_text=f"'{name}' 출처를 만들었어요").wait_for()
    found["sources"] = violations(admin)

    # The printable poster: one A4 page with the question, the QR code and the link.
    admin.locator('[data-source="gangnam"]').get_by_role("link", name="인쇄용 포스터").click()
    admin.locator("[data-poster]").wait_for()
    found["poster"] = violations(admin)
    assert admin.locator("[data-poster-question]").inner_text().split() == question.split()
    link = admin.locator("[data-poster-link]")
    path = link.get_attribute("href")
    assert path == "/c/finance/s/gangnam" and link.inner_text().endswith(path)
    admin.emulate_media(media="print")
    assert admin.locator(".desk-header").is_hidden()
    box = admin.locator("[data-poster]").bounding_box()
    assert abs(box["width"] - A4_WIDTH_PX) < 2
    assert admin.locator("[data-poster-qr]").bounding_box()["width"] > 250  # 80 mm
    pdf = admin.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1
    admin.emulate_media(media="screen")

    # A person scans it: the link opens the form and the moment keeps the source, nothing else.
    person = browser.new_context(locale="ko-KR", base_url=live_app.config["LIVE_URL"]).new_page()
    person.goto(path)
    person.get_by_label(question).fill(
        "지점에서 번호표를 뽑고 40분을 기다렸어요. 순서가 되면 알려주면 좋겠어요."
    )
    person.get_by_role("button", name="보내기").click()
    person.wait_for_url("**/thanks")
    assert person.context.cookies() == [] or all(
        c["name"] in ("session", "__Host-session") for c in person.context.cookies()
    )
    person.context.close()

    admin.goto(f"/admin/dashboard?campaign={campaign_id}")
    card = admin.locator('[data-chart="source"]')
    card.get_by_text("표로 보기").click()
    row = card.locator("tbody tr", has_text="강남역 지점 QR")
    assert row.locator("td").first.inner_text() == "1"
    assert card.locator("[data-silent-sources] li strong").all_inner_texts() == ["ATM 화면"]
    assert {page: v for page, v in found.items() if v} == {}
