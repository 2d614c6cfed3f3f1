"""급증 and urgent moments in the desk's alerts, 중요한 순 on the cluster list, and a cluster's
printable one-page brief."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from campaign import briefs
from campaign.clustering import recluster
from campaign.extensions import db
from campaign.models import Cluster, Moment, SpikeAlert, utcnow
from tests.dom import page
from tests.factories import make_moment
from tests.samples import LOST_CARD, MAINTENANCE
from tests.web.helpers import post_moment

PHONE = "010-2481-7730"


def grouped(app, campaign, extra_maintenance: int = 0) -> tuple[Cluster, Cluster]:
    """MAINTENANCE (with `extra_maintenance` more of the same, all just now) and LOST_CARD,
    grouped by a re-clustering: (maintenance, lost card)."""
    bodies = MAINTENANCE + [MAINTENANCE[i % 4] + " 정말요" for i in range(extra_maintenance)]
    maintenance = [make_moment(campaign, body=b)[0] for b in bodies]
    lost = [make_moment(campaign, body=b)[0] for b in LOST_CARD]
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    a = db.session.get(Moment, maintenance[0].id).cluster
    b = db.session.get(Moment, lost[0].id).cluster
    assert a is not None and b is not None and a.id != b.id
    assert {db.session.get(Moment, m.id).cluster_id for m in maintenance} == {a.id}
    return a, b


def test_a_spiking_cluster_is_flagged_on_the_list_its_page_and_the_dashboard(
    app, client, sign_in, campaign
):
    spiking, calm = grouped(app, campaign, extra_maintenance=2)  # 6 today, new: a spike
    make_moment(campaign, body="모르는 번호로 사기 문자가 와서 돈을 보냈어요", urgent=True)
    db.session.commit()
    sign_in(client, "viewer")

    listing = page(client.get(f"/admin/clusters?campaign={campaign.id}"))
    alerts = listing.one("[data-alerts]")
    [flagged] = alerts.one("[data-spikes]").all("li")
    assert flagged.one("a").text == spiking.label and flagged.has("[data-spike]")
    assert "최근 24시간 6개 · 평소 하루 0.5개" in flagged.text
    assert "아직 접수 상태예요" in alerts.one("[data-urgent-waiting]").text
    assert "사기 문자가 와서 돈을 보냈어요" in alerts.one("[data-urgent]").text
    rule = alerts.one("[data-spike-rule]").text
    assert "최근 24시간에 들어온 이야기가 5개 이상" in rule and "0.1%보다 낮을 때" in rule
    rows = {r.one("th a").text: r for r in listing.all("[data-cluster-row]")}
    assert rows[spiking.label].one("[data-spike]").text == "급증"
    assert not rows[calm.label].has("[data-spike]")

    cluster = page(client.get(f"/admin/clusters/{spiking.id}"))
    notice = cluster.one("[data-spike-notice]")
    assert "급증" in notice.text and "평소보다 12배 많이 들어오고 있어요" in notice.text
    assert not page(client.get(f"/admin/clusters/{calm.id}")).has("[data-spike-notice]")

    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    assert board.one("[data-alerts] [data-spikes] a").text == spiking.label
    assert board.one("[data-chart=top-size]").has("[data-spike]")


def test_moments_placed_by_the_settle_job_raise_the_spike_and_it_is_recorded_once(
    app, client, campaign
):
    spiking, _ = grouped(app, campaign)  # four now: under the minimum
    assert db.session.scalar(select(SpikeAlert)) is None
    # The fifth, told through the form: the settle job places it, and the check after sees it.
    post_moment(client, body=f"{MAINTENANCE[0]} 오늘도 그래요")
    assert db.session.scalar(select(Moment.cluster_id).where(Moment.body.like("%오늘도%"))) == (
        spiking.id
    )
    [alert] = db.session.scalars(select(SpikeAlert)).all()
    assert (alert.cluster_id, alert.moments, alert.ended_at) == (spiking.id, 5, None)
    for i in (1, 2):  # more of the same spike: no new alert
        post_moment(client, body=f"{MAINTENANCE[i]} 오늘도 그래요")
    placed = db.session.scalars(select(Moment.cluster_id).where(Moment.body.like("%오늘도%")))
    assert list(placed) == [spiking.id] * 3
    assert len(db.session.scalars(select(SpikeAlert)).all()) == 1


def test_no_alerts_says_so(app, client, sign_in, campaign):
    grouped(app, campaign)
    sign_in(client, "viewer")
    listing = page(client.get(f"/admin/clusters?campaign={campaign.id}"))
    assert listing.one("[data-alerts]").has("[data-no-alerts]")
    assert not listing.has("[data-spike]")


def test_the_list_ranks_by_importance_and_shows_the_formula_beside_the_choice(
    app, client, sign_in, campaign
):
    grouped(app, campaign)
    sign_in(client, "viewer")
    listing = page(client.get(f"/admin/clusters?campaign={campaign.id}&sort=rank"))
    sort = listing.by_label("순서")
    assert sort.one("option[selected]").text == "중요한 순 (크기 × 심각도 × 증가율)"
    formula = listing.one("#rank-formula")
    assert sort["aria-describedby"] == "rank-formula"
    assert "점수 = 이야기 수 × 심각도 × 증가율" in formula.text
    assert "(답의 합 + 3 × 2) ÷ (답한 수 + 2)" in formula.text
    assert "(최근 7일 이야기 + 1) ÷ (그 전 7일 이야기 + 1)" in formula.text
    scores = [r.one("[data-score]").text for r in listing.all("[data-cluster-row]")]
    assert scores == ["60 = 4 × 3 × 5", "36 = 3 × 3 × 4"]
    plain = page(client.get(f"/admin/clusters?campaign={campaign.id}"))
    assert not plain.has("[data-score]")


def test_the_brief_is_one_printable_page_of_masked_quotes_reached_from_the_cluster(
    app, client, sign_in, campaign
):
    for body in MAINTENANCE:  # told through the form: the phone number is masked on arrival
        post_moment(client, body=f"{body}. 연락은 {PHONE}로 주세요")
    make_moment(campaign, body="은행 점검 시간이라 이체가 안 돼요 진짜 짜증나", abusive=True)
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    [cluster_id] = {m.cluster_id for m in db.session.scalars(select(Moment))}
    sign_in(client, "viewer")
    link = page(client.get(f"/admin/clusters/{cluster_id}")).one("[data-brief-link]")
    assert link.text == "한 장 요약 (인쇄용)"
    response = client.get(link["href"])
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert PHONE not in html and "2481" not in html
    brief = page(response).one("[data-brief]")
    cluster = db.session.get(Cluster, cluster_id)
    assert brief.one("[data-brief-problem]").text == cluster.label
    facts = {dt.text: dt.parent.one("dd").text for dt in brief.one("[data-brief-facts]").all("dt")}
    assert facts["알려준 이야기"] == "5개" and facts["담당 팀"] == "정해지지 않았어요"
    quotes = brief.one("[data-brief-quotes]").texts("blockquote")
    assert len(quotes) == 3 and all("[전화번호]" in q for q in quotes)
    assert not any("짜증" in q for q in quotes)  # flagged abusive: never quoted
    weeks = brief.one("[data-brief-trend] table").all("tbody tr")
    assert len(weeks) == 8 and weeks[-1].one("td").text == "5개"
    assert page(response).one(".no-print a").text == "← 묶음으로 돌아가기"


def test_the_print_stylesheet_leaves_only_the_brief_on_paper():
    css = (Path(__file__).resolve().parents[2] / "static/css/site.css").read_text("utf-8")
    printed = css.split("@media print {", 1)[1]
    hidden = printed.split("display: none !important", 1)[0]
    assert ".desk-header" in hidden and ".no-print" in hidden and ".idle-warning" in hidden
    assert "@page { size: A4" in printed


def test_the_brief_is_not_for_anyone_signed_out(app, client, campaign):
    spiking, _ = grouped(app, campaign)
    response = client.get(f"/admin/clusters/{spiking.id}/brief")
    assert response.status_code in (302, 303) and "/admin/login" in response.headers["Location"]
    assert client.get("/admin/clusters/999999/brief").status_code in (302, 303)


def test_a_missing_cluster_has_no_brief(client, sign_in, campaign):
    sign_in(client, "viewer")
    assert client.get("/admin/clusters/999999/brief").status_code == 404


def test_the_brief_as_plain_data_carries_masked_text_only(app, client, campaign):
    for body in MAINTENANCE:
        post_moment(client, body=f"{body}. 연락은 {PHONE}로 주세요", severity="4")
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    db.session.commit()
    [cluster_id] = {m.cluster_id for m in db.session.scalars(select(Moment))}
    data = briefs.as_dict(briefs.brief(db.session.get(Cluster, cluster_id), now=utcnow()))
    text = json.dumps(data, ensure_ascii=False)
    assert PHONE not in text and "[전화번호]" in text
    assert data["moments"] == 4 and len(data["quotes"]) == 3
    assert data["severity"] == {"mean": 4.0, "answered": 4}
    assert data["spike"] is None and data["team"] is None
    assert [w["moments"] for w in data["weeks"]][-1] == 4 and len(data["weeks"]) == 8
    assert set(data) >= {"problem", "status", "first_date", "last_date", "growth", "score"}
