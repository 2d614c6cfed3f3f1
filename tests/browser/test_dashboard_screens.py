"""The dashboard as a screenshot: with data its charts draw bars, with none it says so."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from campaign.demo import load_demo
from campaign.extensions import db
from tests.browser.conftest import desk
from tests.factories import make_campaign, make_moderator

pytestmark = pytest.mark.browser

# Count the screenshot's pixels in the bars' colour (--brand, #1b64da), inside the page itself.
BAR_PIXELS = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  let bars = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - 0x1b) < 12 && Math.abs(data[i + 1] - 0x64) < 12
        && Math.abs(data[i + 2] - 0xda) < 12) bars++;
  }
  return bars;
}"""


def signed_in_viewer(browser, live_app):
    return desk(browser, live_app, "viewer@example.com", viewport={"width": 1280, "height": 900})


def bar_pixels(page, locator) -> int:
    png = base64.b64encode(locator.screenshot()).decode()
    return page.evaluate(BAR_PIXELS, png)


def test_the_dashboard_draws_every_chart_with_data(browser, live_app, tmp_path):
    with live_app.app_context():
        load_demo(thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        make_moderator("viewer", email="viewer@example.com")
        db.session.commit()
    page = signed_in_viewer(browser, live_app)
    page.get_by_role("link", name="대시보드").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("금융이 불편한 순간")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    for name in ("per-day", "category", "channel", "top-size", "backlog", "loop"):
        chart = page.locator(f'[data-chart="{name}"] svg.chart')
        box = chart.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 40, name
        assert bar_pixels(page, chart) > 200, f"{name} drew no bars"
        expect(page.locator(f'[data-chart="{name}"] .takeaway')).not_to_have_text("아직 없어요.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.context.close()


def test_the_dashboard_with_no_moments_draws_no_bars_and_says_so(browser, live_app, tmp_path):
    with live_app.app_context():
        make_campaign(slug="empty")
        make_moderator("viewer", email="viewer@example.com")
        db.session.commit()
    page = signed_in_viewer(browser, live_app)
    page.goto("/admin/dashboard")
    expect(page.locator("[data-empty]")).to_be_visible()
    page.screenshot(path=str(tmp_path / "dashboard-empty.png"), full_page=True)
    assert bar_pixels(page, page.locator('[data-chart="per-day"]')) == 0
    expect(page.locator('[data-chart="per-day"] .takeaway')).to_have_text(
        "이 범위에 받은 이야기가 없어요."
    )
    page.context.close()
