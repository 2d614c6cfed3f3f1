"""A live server and Debian's Chromium, driven by Playwright.

No browser is downloaded: Playwright launches /usr/bin/chromium. Where it is absent the browser
suite skips with a message, unless CAMPAIGN_TEST_REQUIRE_BROWSER=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from campaign import create_app
from campaign.extensions import db
from tests.backends import BASE_CONFIG

CHROMIUM = os.environ.get("CAMPAIGN_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("CAMPAIGN_TEST_REQUIRE_BROWSER") == "1"
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


def _skip_or_fail(message: str):
    if REQUIRE_BROWSER:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _skip_or_fail(
            f"browser suite skipped: no Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("browser suite skipped: Playwright is not installed (make test installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_app(request, tmp_path):
    """A served app; parametrize indirectly with a dict of settings to change."""
    overrides = getattr(request, "param", {})
    app = create_app(
        {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            **overrides,
        }
    )
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def phone(browser, live_app):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ko-KR",
        base_url=live_app.config["LIVE_URL"],
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"browser errors: {errors}"


@pytest.fixture
def phone_without_js(browser, live_app):
    context = browser.new_context(
        viewport=PHONE,
        java_script_enabled=False,
        locale="ko-KR",
        base_url=live_app.config["LIVE_URL"],
    )
    yield context.new_page()
    context.close()


def desk(browser, live_app, email: str, viewport=None):
    """A desktop page signed in to the desk as the moderator with this e-mail."""
    from tests.factories import PASSWORD

    context = browser.new_context(
        viewport=viewport or {"width": 1440, "height": 900},
        locale="ko-KR",
        base_url=live_app.config["LIVE_URL"],
    )
    page = context.new_page()
    page.goto("/admin/login")
    page.get_by_label("이메일").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    return page


def grouped_campaign(live_app, moderator_email: str) -> None:
    """The "finance" campaign with the maintenance and lost-card moments grouped, and a
    moderator."""
    from campaign.clustering import recluster
    from tests.factories import make_campaign, make_moderator, make_moment
    from tests.samples import LOST_CARD, MAINTENANCE

    with live_app.app_context():
        campaign = make_campaign(slug="finance")
        for body in MAINTENANCE + LOST_CARD:
            make_moment(campaign, body=body)
        recluster.run(campaign, thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        make_moderator("moderator", email=moderator_email)
        db.session.commit()
