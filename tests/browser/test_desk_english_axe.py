"""The desk in English passes axe-core as the Korean desk does: the dashboard, the inbox with a
story open, and a group's page, with the demo's data on them, after a moderator picks English
with the header's switch."""

from __future__ import annotations

import pytest

from campaign.extensions import db
from campaign.models import Moment
from tests.browser.conftest import desk
from tests.browser.test_accessibility import demo, violations  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_the_english_desk_passes_axe(browser, live_app, demo):  # noqa: F811
    _, cluster = demo
    with live_app.app_context():
        moment = db.session.scalar(
            db.select(Moment.id).where(Moment.cluster_id == cluster).order_by(Moment.id)
        )
    page = desk(browser, live_app, "a11y@example.com")
    page.goto("/admin/dashboard")
    page.locator("header [data-language-switch]").click()
    page.wait_for_url("**/admin/dashboard")
    found = {}
    for path in (
        "/admin/dashboard",
        "/admin/",
        f"/admin/moments/{moment}",
        f"/admin/clusters/{cluster}",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "en", path
        found[path] = violations(page)
    assert page.get_by_role("heading", level=2, name="Hand-offs").is_visible()
    assert {path: v for path, v in found.items() if v} == {}
    page.context.close()
