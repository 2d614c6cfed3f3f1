"""WCAG 1.4.10: every public page reads at 320 CSS pixels without sideways scrolling."""

from __future__ import annotations

import pytest

from campaign.demo import load_demo
from campaign.extensions import db
from campaign.models import Fix, FixState

pytestmark = pytest.mark.browser


def test_public_pages_reflow_at_320_pixels(browser, live_app, tmp_path):
    with live_app.app_context():
        load_demo(thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        slug = db.session.scalar(db.select(Fix.slug).where(Fix.state == FixState.PUBLISHED))
    context = browser.new_context(
        viewport={"width": 320, "height": 640}, locale="ko-KR", base_url=live_app.config["LIVE_URL"]
    )
    page = context.new_page()
    for path in (
        "/",
        "/submit",
        "/status",
        "/improvements",
        f"/improvements/{slug}",
        "/stats",
        "/privacy",
        "/listening",
    ):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            page.screenshot(path=str(tmp_path / "overflow.png"), full_page=True)
        assert width <= 320, f"{path} is {width} px wide"
    context.close()
