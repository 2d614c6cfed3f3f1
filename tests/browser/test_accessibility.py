"""axe-core (WCAG 2.x A and AA rules) finds nothing on the pages people and moderators use, with
the demo's data in them: every stage of the loop, a regression and 듣고 있어요 included."""

from __future__ import annotations

import pytest

from campaign.demo import load_demo
from campaign.extensions import db
from campaign.models import Cluster, Fix, FixState
from tests.browser.conftest import desk
from tests.factories import make_moderator

pytestmark = pytest.mark.browser
# WCAG 2.2 A/AA rules and axe's best practices (heading order among them), plus the experimental
# rule that a control's name contains its visible text (WCAG 2.5.3).
WCAG = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=WCAG)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in result.response["violations"]
    ]


@pytest.fixture
def demo(live_app):
    with live_app.app_context():
        load_demo(thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        make_moderator("admin", email="a11y@example.com")
        db.session.commit()
        slugs = list(db.session.scalars(db.select(Fix.slug).where(Fix.state == FixState.PUBLISHED)))
        cluster = db.session.scalar(
            db.select(Cluster.id).where(Cluster.merged_into_id.is_(None)).order_by(Cluster.id)
        )
    return slugs, cluster


def test_public_pages_pass_axe(browser, live_app, demo):
    slugs, _ = demo
    page = browser.new_context(locale="ko-KR", base_url=live_app.config["LIVE_URL"]).new_page()
    found = {}
    for path in (
        "/",
        "/submit",
        "/status",
        "/improvements",
        "/stats",
        "/privacy",
        "/listening",
        *(f"/improvements/{slug}" for slug in slugs),
    ):
        page.goto(path)
        found[path] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_desk_pages_pass_axe(browser, live_app, demo):
    _, cluster = demo
    page = desk(browser, live_app, "a11y@example.com")
    found = {}
    for path in (
        "/admin/moments",
        "/admin/clusters",
        "/admin/clusters?sort=rank",
        f"/admin/clusters/{cluster}",
        f"/admin/clusters/{cluster}/brief",
        "/admin/dashboard",
        "/admin/fixes",
        "/admin/teams",
        "/admin/audit",
    ):
        page.goto(path)
        found[path] = violations(page)
    assert {path: v for path, v in found.items() if v} == {}


def test_the_check_finds_the_faults_it_is_here_for(browser):
    """The two faults a walk-through found: a heading that skips a level, and a button whose
    name does not contain its visible text."""
    page = browser.new_context().new_page()
    page.set_content(
        '<html lang="ko"><head><title>t</title></head><body><main><h1>목록</h1><h3>카드</h3>'
        '<button aria-label="이 묶음을 다른 묶음에 합치기">여기에 합치기</button>'
        "</main></body></html>"
    )
    assert {v.split(":")[0] for v in violations(page)} >= {
        "heading-order",
        "label-content-name-mismatch",
    }
