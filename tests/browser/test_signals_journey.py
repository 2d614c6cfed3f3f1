"""Nothing falls through the cracks, followed in a browser on a frozen clock: a cluster that
formed ten days ago with no owning team gets a new moment from a person on the public form, sits
in the escalation queue past its 7-day target, is routed by an admin with a reason (the hand-off
recorded, the queue emptied), spikes as more moments arrive — its alert reaching a local HTTP
server as a signed webhook — and its one-page brief is sent to the same server with
브리프 보내기. Jobs run inline (JOBS_IMMEDIATE), so each alert has left when the page answers."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import expect

from campaign.clustering import recluster
from campaign.extensions import db
from campaign.models import Moment
from tests.browser.conftest import desk
from tests.factories import make_campaign, make_moderator, make_moment, make_team
from tests.receivers import verified
from tests.samples import LOST_CARD, MAINTENANCE

pytestmark = pytest.mark.browser
NOW = "2026-12-01T14:00:00+09:00"
NOW_UTC = datetime(2026, 12, 1, 5, 0)
QUESTION = "금융이 불편했던 순간, 언제였나요?"
REASON = "점검 시간 이체는 송금팀이 맡고 있어요"


def arrived(receiver, event: str, count: int = 1) -> list:
    """The requests of this event, once `count` have arrived (the delivery is sent before the
    page answers; the wait only covers the receiver's own thread)."""
    for _ in range(50):
        found = [r for r in receiver.requests if r.headers.get("X-Campaign-Event") == event]
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"no {event} webhook arrived: {receiver.requests}")


def a_cluster_without_an_owner(live_app) -> tuple[int, int, str]:
    """The maintenance moments told ten days ago, grouped into a cluster formed then (its 7-day
    no-owner target long past); the lost-card ones grouped today; two teams and an admin."""
    with live_app.app_context():
        campaign = make_campaign(slug="finance", opens_on=date(2026, 11, 1), closes_on=None)
        then = NOW_UTC - timedelta(days=10)
        first = [make_moment(campaign, body=b, received=then)[0] for b in MAINTENANCE]
        for body in LOST_CARD:
            make_moment(campaign, body=body)
        recluster.run(campaign, thresholds=live_app.config["CLUSTER_THRESHOLDS"])
        cluster = db.session.get(Moment, first[0].id).cluster
        cluster.created_at = then
        make_team("송금팀")
        make_team("카드팀")
        make_moderator("admin", email="signals@example.com")
        db.session.commit()
        return campaign.id, cluster.id, cluster.label


def tell(browser, live_app, body: str) -> None:
    """A person tells a moment on the public form, in a browser of their own."""
    context = browser.new_context(locale="ko-KR", base_url=live_app.config["LIVE_URL"])
    page = context.new_page()
    page.goto("/c/finance/submit")
    page.get_by_label(QUESTION).fill(body)
    page.get_by_role("button", name="보내기").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("보내주셔서 고마워요")
    context.close()


@pytest.mark.parametrize("live_app", [{"FROZEN_CLOCK": NOW}], indirect=True)
def test_a_cluster_from_arrival_through_escalation_routing_a_spike_alert_and_its_brief(
    browser, live_app, receiver
):
    campaign_id, cluster_id, label = a_cluster_without_an_owner(live_app)
    admin = desk(browser, live_app, "signals@example.com")

    # An admin tells a local tool about spikes and briefs, and keeps the secret shown once.
    admin.get_by_role("link", name="웹훅", exact=True).click()
    admin.get_by_label("보낼 주소").fill(receiver.url())
    admin.get_by_label("묶음이 갑자기 늘었을 때 (급증)").check()
    admin.get_by_label("모더레이터가 묶음 브리프를 보냈을 때").check()
    admin.get_by_label("JSON").check()
    admin.get_by_role("button", name="주소 더하기").click()
    secret = admin.locator("#new-secret").input_value()
    assert secret.startswith("whsec_")

    # Arrival: a person tells a moment; it settles into the cluster at once.
    tell(browser, live_app, f"{MAINTENANCE[0]} 오늘도 그래요")
    admin.goto(f"/admin/clusters/{cluster_id}")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("이야기 5개")
    assert receiver.requests == []  # one new moment is no spike

    # Escalation: no owning team ten days after it formed.
    admin.get_by_role("link", name="확인 필요", exact=True).click()
    rows = admin.locator("[data-escalation-row]")
    expect(rows).to_have_count(1)
    row = rows.first
    expect(row.get_by_role("link", name=label)).to_be_visible()
    expect(row.locator("[data-why=unowned]")).to_contain_text("담당 팀 없이")

    # Routing: the admin picks a team and says why; the hand-off is recorded, the queue empties.
    row.get_by_label("맡을 팀").select_option(label="송금팀")
    row.get_by_label("이유").fill(REASON)
    row.get_by_role("button", name="이 팀에 맡기기").click()
    expect(admin.get_by_text(f"'{label}' 묶음을 '송금팀'에 맡겼어요.")).to_be_visible()
    expect(rows).to_have_count(0)
    expect(admin.locator("[data-empty]")).to_be_visible()
    admin.goto(f"/admin/clusters/{cluster_id}")
    expect(admin.locator("[data-handoffs]")).to_contain_text(f"팀 없음 → 송금팀: {REASON}")

    # A spike: four more within the day against a usual half a moment a day.
    for body in (
        f"{MAINTENANCE[1]} 오늘도 그래요",
        f"{MAINTENANCE[2]} 오늘도 그래요",
        f"{MAINTENANCE[3]} 오늘도 그래요",
        f"{MAINTENANCE[1]} 정말 불편해요",
    ):
        tell(browser, live_app, body)
    [alert] = arrived(receiver, "spike")
    sent = verified(alert, secret)
    assert sent["type"] == "spike" and sent["data"]["cluster"]["id"] == cluster_id
    assert sent["data"]["cluster"]["team"] == "송금팀"
    assert sent["data"]["moments_24h"] == 5 and sent["data"]["usual_per_day"] == 0.5
    assert sent["links"]["desk"].endswith(f"/admin/clusters/{cluster_id}")
    admin.goto(f"/admin/clusters?campaign={campaign_id}")
    expect(admin.locator("[data-alerts] [data-spikes]")).to_contain_text(label)

    # Its brief: printable, then sent to the same server.
    admin.goto(f"/admin/clusters/{cluster_id}")
    admin.get_by_role("link", name="한 장 요약 (인쇄용)").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(label)
    expect(admin.locator("[data-brief-facts]")).to_contain_text("송금팀")
    expect(admin.locator("[data-brief-spike]")).to_contain_text("급증")
    admin.get_by_role("button", name="브리프 보내기").click()
    expect(admin.get_by_text("브리프를 웹훅 1곳에 보냈어요.")).to_be_visible()
    [brief] = arrived(receiver, "brief")
    data = verified(brief, secret)["data"]
    assert (data["cluster_id"], data["problem"], data["team"]) == (cluster_id, label, "송금팀")
    assert data["moments"] == 9 and data["spike"]["moments_24h"] == 5
    assert len(data["quotes"]) == 3
    assert len(arrived(receiver, "spike")) == 1  # the spike was told once
    admin.context.close()
