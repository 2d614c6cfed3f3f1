"""axe-core (WCAG 2.x A and AA rules) finds nothing on the pages people and moderators use, with
the demo's data in them: every stage of the loop, a regression and 듣고 있어요 included."""

from __future__ import annotations

from datetime import timedelta

import pytest

from campaign import webhooks
from campaign.demo import load_demo
from campaign.extensions import db
from campaign.models import Cluster, Fix, FixState, Team, utcnow
from tests.browser.conftest import desk
from tests.factories import make_moderator
from tests.receivers import Receiver, free_port

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


@pytest.fixture
def signals(live_app, demo):
    """What the issue-16 pages show, filled: a cluster in the escalation queue, one endpoint
    whose test delivery arrived and one whose delivery failed and waits its back-off, and a
    team with digest settings. Yields (escalated cluster, endpoint ids, team id)."""
    receiver = Receiver()
    with live_app.app_context():
        admin = make_moderator("admin")
        unowned = db.session.scalars(
            db.select(Cluster).where(Cluster.merged_into_id.is_(None)).order_by(Cluster.id.desc())
        ).first()
        unowned.team_id, unowned.created_at = None, utcnow() - timedelta(days=30)
        ids = []
        for url in (receiver.url(), f"http://127.0.0.1:{free_port()}/hook"):
            endpoint, _ = webhooks.create_endpoint(
                url=url, events=list(webhooks.EVENTS), format="json", by=admin, now=utcnow()
            )
            webhooks.send_test(endpoint, by=admin, now=utcnow())
            ids.append(endpoint.id)
        team = db.session.scalars(db.select(Team).order_by(Team.id)).first()
        db.session.commit()  # the test deliveries go out now (JOBS_IMMEDIATE)
        yield ids, team.id
    receiver.stop()


def test_desk_pages_pass_axe(browser, live_app, demo, signals):
    _, cluster = demo
    endpoints, team = signals
    page = desk(browser, live_app, "a11y@example.com")
    found = {}
    for path in (
        "/admin/escalations",
        "/admin/webhooks",
        *(f"/admin/webhooks/{endpoint}" for endpoint in endpoints),
        f"/admin/teams/{team}/digest",
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
    # The new pages were checked filled, not empty.
    page.goto("/admin/escalations")
    assert page.locator("[data-escalation-row] form").count() >= 1
    page.goto(f"/admin/webhooks/{endpoints[1]}")
    assert page.locator("[data-delivery] [data-attempt]").count() == 1
    # The answer that shows a new endpoint's secret, once.
    page.goto("/admin/webhooks")
    page.get_by_label("보낼 주소").fill("https://hooks.example.com/moments")
    page.get_by_label("묶음이 기한을 넘겼을 때").check()
    page.get_by_role("button", name="주소 더하기").click()
    page.locator("[data-webhook-secret]").wait_for()
    found["/admin/webhooks (secret)"] = violations(page)
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
