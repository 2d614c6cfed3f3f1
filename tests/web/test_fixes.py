"""Fixes on the desk and in public: writing, linking, quoting, publishing, and the loop back."""

from __future__ import annotations

import json
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from campaign import fixes
from campaign.extensions import db
from campaign.campaigns import local_today
from campaign.models import AuditEvent, Cluster, ClusterStatus, Fix, FixProgress, FixState, utcnow
from tests.factories import make_moderator, make_moment
from tests.samples import MAINTENANCE
from tests.web.helpers import csrf_token, page_text

TITLE = "점검 시간에도 이체를 예약할 수 있어요"


@pytest.fixture
def published(grouped_receipts):
    campaign, moments, codes = grouped_receipts
    admin = make_moderator("admin")
    fix = fixes.create_fix(campaign, fixes.FixFields(
        title=TITLE, summary="예약해 두면 점검이 끝나자마자 보내요", before="점검 시간엔 못 보냈어요",
        after="이제 예약할 수 있어요", body="**굵게** 쓴 본문이에요.\n\n<script>alert(1)</script>"), by=admin)
    fixes.link_cluster(fix, db.session.get(Cluster, moments[0].cluster_id), by=admin)
    fixes.add_quote(fix, moments[1], "밤에 은행 점검 시간이라 이체가 안 됐어요", by=admin)
    fix.shipped_on = local_today()
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    db.session.commit()
    return fix, moments, codes


def status_page(client, code: str) -> str:
    return client.post("/status", data={"code": code, "csrf_token": csrf_token(client, "/status")}).get_data(as_text=True)


# ---- the desk ---------------------------------------------------------------------------------


def test_a_moderator_writes_a_fix_from_a_cluster_quotes_a_moment_and_publishes(client, sign_in, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    sign_in(client)
    cluster_id = moments[0].cluster_id
    assert "이 묶음으로 개선 사례 쓰기" in client.get(f"/admin/clusters/{cluster_id}").get_data(as_text=True)
    form_url = f"/admin/fixes/new?cluster={cluster_id}"
    response = client.post(form_url, data={"csrf_token": csrf_token(client, form_url), "campaign": str(campaign.id),
                                           "title": TITLE, "summary": "요약", "team": "", "category": ""})
    assert response.status_code == 303
    fix = db.session.scalar(db.select(Fix))
    assert [link.cluster_id for link in fix.links] == [cluster_id]
    page = f"/admin/fixes/{fix.id}"
    html = client.get(page).get_data(as_text=True)
    assert "이어진 이야기 4개" in html and html.count("인용하기") == 4

    client.post(f"{page}/quotes", data={"csrf_token": csrf_token(client, page), "moment": moments[2].id})
    quote = fix.quotes[0]
    client.post(f"{page}/quotes/{quote.id}", data={"csrf_token": csrf_token(client, page), "text": "밤에 점검 때문에 이체가 안 됐어요"})
    assert db.session.get(type(quote), quote.id).text == "밤에 점검 때문에 이체가 안 됐어요"
    assert db.session.get(type(moments[2]), moments[2].id).body == MAINTENANCE[2]

    client.post(f"{page}/notes", data={"csrf_token": csrf_token(client, page), "on": "2026-11-20", "text": "만들기 시작했어요"})
    assert client.post(f"{page}/publish", data={"csrf_token": csrf_token(client, page)}).status_code == 303
    assert db.session.get(Fix, fix.id).state is FixState.PUBLISHED
    # Published while still 개선 예정: the cluster and the receipt say so, not "고쳤어요".
    assert db.session.get(Cluster, cluster_id).status is ClusterStatus.PLANNED
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"fix_create", "fix_link_cluster", "fix_quote", "fix_quote_edit", "fix_note", "fix_publish"} <= actions
    receipt = status_page(client, codes[0])
    assert "보내주신 이야기로 고치고 있어요" in receipt and "보내주신 이야기로 고쳤어요" not in receipt
    assert TITLE in client.get(f"/admin/clusters/{cluster_id}").get_data(as_text=True).split("data-answering")[1]


def test_a_bad_fix_form_keeps_what_was_typed_and_says_why(client, sign_in, campaign):
    sign_in(client)
    url = "/admin/fixes/new"
    response = client.post(url, data={"csrf_token": "expired", "campaign": str(campaign.id), "title": "",
                                      "before": "길게 쓴 전에는 내용", "team": "", "category": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "제목을 입력해 주세요." in html and "보안 확인 시간이 지났어요" in html
    assert "길게 쓴 전에는 내용" in html


def test_publishing_with_nothing_linked_is_refused_with_a_message(client, sign_in, campaign):
    moderator = sign_in(client)
    fix = fixes.create_fix(campaign, fixes.FixFields(title=TITLE), by=moderator)
    db.session.commit()
    page = f"/admin/fixes/{fix.id}"
    response = client.post(f"{page}/publish", data={"csrf_token": csrf_token(client, page)}, follow_redirects=True)
    assert "하나 이상 이어 주세요" in response.get_data(as_text=True)
    assert db.session.get(Fix, fix.id).state is FixState.DRAFT


def test_retracting_hides_the_fix_and_restores_receipts(client, sign_in, published):
    fix, moments, codes = published
    sign_in(client)
    page = f"/admin/fixes/{fix.id}"
    client.post(f"{page}/retract", data={"csrf_token": csrf_token(client, page)})
    assert client.get(f"/improvements/{fix.slug}").status_code == 404
    assert "data-led-to" not in status_page(client, codes[0])
    assert db.session.get(Cluster, moments[0].cluster_id).status is ClusterStatus.OPEN


def test_viewers_read_fixes_but_change_nothing(client, sign_in, published):
    fix, _, _ = published
    sign_in(client, "viewer")
    html = client.get(f"/admin/fixes/{fix.id}").get_data(as_text=True)
    assert TITLE in html and "공개 취소하기" not in html
    assert client.get("/admin/fixes/new").status_code == 403


# ---- in public ---------------------------------------------------------------------------------


def test_the_receipt_shows_the_fix_with_a_link(client, published):
    fix, _, codes = published
    html = status_page(client, codes[2])
    assert "보내주신 이야기로 고쳤어요" in html and 'href="/improvements/' in html and TITLE in html
    assert "data-led-to" not in status_page(client, codes[5])  # the lost-card cluster has no fix


def test_the_improvements_page_lists_cards_with_counts_and_filters(client, published):
    fix, _, _ = published
    text = page_text(client, "/improvements")
    assert TITLE in text and "<strong>4명</strong>이 알려준 불편" in text
    assert TITLE not in page_text(client, "/improvements?q=없는말")
    assert "찾는 개선 사례가 없어요" in page_text(client, "/improvements?q=없는말")
    assert TITLE in page_text(client, "/improvements?q=예약")


def test_more_fixes_than_a_page_show_a_more_link(client, published):
    fix, moments, _ = published
    admin = make_moderator("admin")
    for i in range(12):
        extra = fixes.create_fix(fix.campaign, fixes.FixFields(title=f"개선 {i}번째로 바뀐 것"), by=admin)
        fixes.link_moment(extra, moments[5], by=admin)
        fixes.publish(extra, by=admin, now=utcnow())
    db.session.commit()
    first = client.get("/improvements").get_data(as_text=True)
    assert first.count("data-fix-card") == 12 and "data-more" in first
    second = client.get("/improvements?page=2").get_data(as_text=True)
    assert second.count("data-fix-card") == 13 and "data-more" not in second


def test_the_empty_improvements_page_invites_people_to_tell_a_moment(client, campaign):
    text = page_text(client, "/improvements")
    assert "아직 공개된 개선 사례가 없어요" in text and "불편했던 순간 알려주기" in text


def test_a_fix_page_shows_before_after_count_quotes_and_clean_body(client, published):
    fix, _, _ = published
    html = client.get(f"/improvements/{fix.slug}").get_data(as_text=True)
    assert "<strong>굵게</strong>" in html and "<script>alert" not in html
    assert "점검 시간엔 못 보냈어요" in html and "이제 예약할 수 있어요" in html
    assert "밤에 은행 점검 시간이라 이체가 안 됐어요" in html and "<strong>4명</strong>" in html
    assert f'<meta property="og:title" content="{TITLE} | 불편한 순간">' in html or f'content="{TITLE}"' in html
    assert 'property="og:description"' in html and "비슷한 불편이 있나요?" in html


def test_unpublished_fixes_are_not_public(client, grouped_receipts):
    campaign, _, _ = grouped_receipts
    fix = fixes.create_fix(campaign, fixes.FixFields(title="아직 초안인 개선"), by=make_moderator())
    db.session.commit()
    assert client.get(f"/improvements/{fix.slug}").status_code == 404
    assert "아직 초안인 개선" not in page_text(client, "/improvements")
    assert client.get(f"/api/v1/fixes/{fix.slug}").status_code == 404


def test_the_landing_page_shows_the_latest_fixes(client, published):
    assert TITLE in page_text(client, "/")


def test_the_atom_feed_lists_published_fixes(client, published):
    fix, _, _ = published
    response = client.get("/improvements/feed.xml")
    assert response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.get_data())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 1 and entries[0].find("a:title", ns).text == TITLE
    assert unquote(entries[0].find("a:link", ns).get("href")).endswith(f"/improvements/{fix.slug}")


def test_stats_fold_small_categories_and_show_counts(client, campaign):
    for _ in range(10):
        make_moment(campaign, category="송금")
    make_moment(campaign, category="카드")
    text = page_text(client, "/stats")
    assert "11개" in text and "송금" in text and "카드" not in text.split("분야별 이야기")[1].split("누구인지")[0]


# ---- the API -------------------------------------------------------------------------------------


def test_the_api_lists_campaigns_fixes_and_stats_without_moment_text(client, published):
    fix, moments, _ = published
    campaigns = client.get("/api/v1/campaigns").get_json()["campaigns"]
    assert campaigns[0]["slug"] == fix.campaign.slug
    listing = client.get("/api/v1/fixes").get_json()
    assert listing["total"] == 1 and listing["fixes"][0]["moments"] == 4
    one = client.get(f"/api/v1/fixes/{fix.slug}").get_json()["fix"]
    assert one["quotes"] == ["밤에 은행 점검 시간이라 이체가 안 됐어요"]
    everything = json.dumps([campaigns, listing, one, client.get("/api/v1/stats").get_json()], ensure_ascii=False)
    assert not any(m.body in everything for m in moments)


def test_api_errors_are_json(client, campaign):
    for url, code in (("/api/v1/nothing", 404), ("/api/v1/fixes/없는-개선", 404)):
        response = client.get(url)
        assert response.status_code == code and response.get_json()["error"]["code"] == code
    response = client.post("/api/v1/fixes")
    assert response.status_code == 405 and response.is_json


def test_a_refused_fix_is_explained_beside_the_form_with_everything_typed(client, sign_in, campaign):
    sign_in(client)
    url = "/admin/fixes/new"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "campaign": str(campaign.id),
                                      "title": TITLE, "after": "이제는 예약돼요", "category": "없는 분야", "team": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "캠페인의 분야 중에서 골라 주세요." in html
    assert TITLE in html and "이제는 예약돼요" in html
    assert db.session.scalar(db.select(Fix)) is None
