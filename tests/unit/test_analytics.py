"""Each dashboard figure on a small fixed campaign with known answers."""

from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from campaign import analytics
from campaign.extensions import db
from tests.factories import REPORTING_NOW, make_campaign, make_tag

SEOUL = ZoneInfo("Asia/Seoul")
NOW = REPORTING_NOW


def board(campaign, min_sample=1, **dates):
    return analytics.dashboard(
        analytics.Filter(campaign, SEOUL, **dates),
        now=NOW,
        min_sample=min_sample,
        regression=(5, 14),
    )


def test_moments_per_local_day_cover_the_campaign_with_zeros(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    assert found.total == 5 and found.visible == 4
    assert [n for _, n in found.per_day] == [1, 1, 2, 0, 1, 0, 0, 0, 0, 0]
    assert found.per_day[0][0] == date(2026, 10, 1) and found.per_day[-1][0] == date(2026, 10, 10)


def test_shares_by_category_and_channel_leave_hidden_moments_out(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    assert found.by_category == [("송금·이체", 3), ("카드", 1)]
    assert found.by_channel == [("앱", 2), ("웹", 2)]


def test_top_clusters_by_size_and_by_growth(fixed):
    campaign, _, a, b = fixed
    found = board(campaign)
    assert [(c.id, n, g) for c, n, g in found.top_by_size] == [(a.id, 3, 1), (b.id, 1, 0)]
    assert [c.id for c, _, _ in found.top_by_growth] == [a.id]


def test_backlog_and_its_age(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    assert found.backlog == 2 and found.oldest_waiting_days == 11
    assert dict(found.backlog_age) == {
        "하루 안": 0,
        "1~3일": 0,
        "3~7일": 0,
        "1~4주": 2,
        "4주 넘게": 0,
    }


def test_median_time_to_triage_counts_from_the_middle_of_the_arrival_hour(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    assert found.hours_to_triage == analytics.Median(3.5, 2)


def test_a_median_waits_for_the_minimum_sample_but_keeps_its_count(fixed):
    campaign, *_ = fixed
    found = board(campaign, min_sample=3)
    assert found.hours_to_triage == analytics.Median(
        None, 2
    ) and found.days_to_fix == analytics.Median(None, 1)


def test_days_to_fix_and_loop_closure(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    assert found.days_to_fix == analytics.Median(7, 1)
    assert found.closed == 3 and found.closure_rate == pytest.approx(0.75)


def test_team_queues_count_a_moment_for_its_own_team_else_its_clusters(fixed):
    campaign, *_ = fixed
    found = board(campaign)
    # 송금팀's three moments led to a finished fix, so none of them is still waiting.
    assert [(t.name, t.moments, t.waiting, t.closed) for t in found.teams] == [
        ("송금팀", 3, 0, 3),
        ("담당 팀 없음", 1, 1, 0),
    ]
    assert found.unowned_clusters == 1


def test_a_date_range_narrows_every_figure(fixed):
    campaign, *_ = fixed
    found = board(campaign, since=date(2026, 10, 2), until=date(2026, 10, 3))
    assert [n for _, n in found.per_day] == [1, 2] and found.total == 3
    assert found.by_category == [("송금·이체", 1), ("카드", 1)]


def test_an_empty_campaign_has_no_figures_but_every_day(app):
    campaign = make_campaign(opens_on=date(2026, 10, 1), closes_on=date(2026, 10, 3))
    found = board(campaign)
    assert found.total == 0 and [n for _, n in found.per_day] == [0, 0, 0]
    assert found.closure_rate is None and found.hours_to_triage.value is None and found.teams == []


def test_exports_hold_masked_text_and_labels_but_no_receipt_or_time(fixed):
    campaign, moments, a, _ = fixed
    tag = make_tag("점검")
    moments[0].tags.append(tag)
    db.session.commit()
    f = analytics.Filter(campaign, SEOUL)
    rows = list(analytics.export_moments(f, batch=2))
    assert rows[0]["tags"] == ["점검"] and rows[1]["tags"] == []
    assert [r["received_date"] for r in rows] == [
        "2026-10-01",
        "2026-10-02",
        "2026-10-03",
        "2026-10-03",
        "2026-10-05",
    ]
    assert (
        rows[0]["masked_text"] == moments[0].body
        and rows[0]["status"] == "접수"
        and rows[0]["team"] == "송금팀"
    )
    text = json.dumps(rows, ensure_ascii=False)
    assert moments[0].receipt_hash not in text and "received_hour" not in text
    assert [r["moments"] for r in analytics.export_clusters(f, now=NOW)] == [3, 1]
    assert [r["moments"] for r in analytics.export_fixes(f)] == [3]
