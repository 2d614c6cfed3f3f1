"""The dashboard page and the exports, through the test client."""

from __future__ import annotations

import csv
import io
import json

from campaign.extensions import db
from campaign.models import AuditEvent
from tests.dom import page
from tests.factories import make_campaign, make_moment


def test_viewers_see_every_chart_with_a_takeaway_and_a_table(client, sign_in, fixed):
    campaign, *_ = fixed
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    charts = board.all("[data-chart]")
    assert len(charts) == 12 and all(len(chart.all(".takeaway")) == 1 for chart in charts)
    # Seven charts; the 7-day growth one has nothing to draw, as the fixed data is weeks old.
    assert len(board.by_role("img")) == 6
    assert len([t for t in board.texts("summary") if "표로 보기" in t]) == 6
    takeaways = board.texts(".takeaway")
    assert any("10일 동안 5개, 가장 많은 날은 2026년 10월 3일" in t for t in takeaways)
    assert "송금·이체 이야기가 75.0%로 가장 많아요." in takeaways
    assert not board.by_test_id("empty")


def test_an_empty_campaign_says_so(client, sign_in, app):
    campaign = make_campaign()
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    assert board.by_test_id("empty") and "이 범위에 받은 이야기가 없어요." in board.texts(
        ".takeaway"
    )


def test_a_bad_date_is_named_and_the_rest_of_the_filter_kept(client, sign_in, fixed):
    campaign, *_ = fixed
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}&since=어제&until=2026-10-03"))
    assert any("날짜는 2026-11-23처럼 골라 주세요" in t for t in board.texts("[role=alert]"))
    assert board.by_label("종료일")["value"] == "2026-10-03"


def test_moments_export_as_csv_streams_masked_rows_and_is_audited(client, sign_in, fixed):
    campaign, moments, *_ = fixed
    sign_in(client, "viewer")
    response = client.get(f"/admin/export/moments.csv?campaign={campaign.id}&since=2026-10-02")
    assert response.status_code == 200 and response.is_streamed and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["received_date"] for r in rows] == [
        "2026-10-02",
        "2026-10-03",
        "2026-10-03",
        "2026-10-05",
    ]
    assert rows[0]["masked_text"] == moments[1].body and moments[1].receipt_hash not in text
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.data["kind"] == "moments" and event.data["since"] == "2026-10-02"


def test_clusters_and_fixes_export_as_json(client, sign_in, fixed):
    campaign, *_ = fixed
    sign_in(client, "viewer")
    clusters = json.loads(
        client.get(f"/admin/export/clusters.json?campaign={campaign.id}").get_data(as_text=True)
    )
    assert [c["moments"] for c in clusters] == [3, 1] and clusters[0]["team"] == "송금팀"
    fixes = json.loads(
        client.get(f"/admin/export/fixes.json?campaign={campaign.id}").get_data(as_text=True)
    )
    assert (
        fixes[0]["title"] == "점검 시간에도 이체를 예약할 수 있어요" and fixes[0]["state"] == "공개"
    )


def test_an_empty_export_is_still_valid(client, sign_in, app):
    campaign = make_campaign()
    sign_in(client, "viewer")
    assert (
        json.loads(
            client.get(f"/admin/export/moments.json?campaign={campaign.id}").get_data(as_text=True)
        )
        == []
    )


def test_unknown_exports_are_not_found(client, sign_in, app):
    sign_in(client, "viewer")
    assert client.get("/admin/export/receipts.csv").status_code == 404
    assert client.get("/admin/export/moments.xml").status_code == 404


def test_anonymous_visitors_cannot_export(client, app):
    campaign = make_campaign()
    make_moment(campaign)
    response = client.get(f"/admin/export/moments.csv?campaign={campaign.id}")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
