"""Fixes on the desk and in public: writing, linking, quoting, publishing, and the loop back."""

from __future__ import annotations

import json
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest

from campaign import fixes
from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.models import AuditEvent, Cluster, ClusterStatus, Fix, FixProgress, FixState, utcnow
from tests.dom import page as parsed
from tests.factories import make_moderator, make_moment
from tests.samples import MAINTENANCE
from tests.web.helpers import csrf_token, page_text

TITLE = "점검 시간에도 이체를 예약할 수 있어요"


@pytest.fixture
def published(grouped_receipts):
    campaign, moments, codes = grouped_receipts
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title=TITLE,
            summary="예약해 두면 점검이 끝나자마자 보내요",
            before="점검 시간엔 못 보냈어요",
            after="이제 예약할 수 있어요",
            body="**굵게** 쓴 본문이에요.\n\n<script>alert(1)</script>",
        ),
        by=admin,
    )
    fixes.link_cluster(fix, db.session.get(Cluster, moments[0].cluster_id), by=admin)
    fixes.add_quote(fix, moments[1], "밤에 은행 점검 시간이라 이체가 안 됐어요", by=admin)
    fix.shipped_on = local_today()
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    db.session.commit()
    return fix, moments, codes


def status_page(client, code: str):
    """The receipt page for a code, parsed."""
    token = csrf_token(client, "/status")
    return parsed(client.post("/status", data={"code": code, "csrf_token": token}))


# ---- the desk ---------------------------------------------------------------------------------


def test_a_moderator_writes_a_fix_from_a_cluster_quotes_a_moment_and_publishes(
    client, sign_in, grouped_receipts
):
    campaign, moments, codes = grouped_receipts
    sign_in(client)
    cluster_id = moments[0].cluster_id
    cluster_page = parsed(client.get(f"/admin/clusters/{cluster_id}"))
    assert cluster_page.by_role("link", name="이 묶음으로 개선 사례 쓰기")
    form_url = f"/admin/fixes/new?cluster={cluster_id}"
    response = client.post(
        form_url,
        data={
            "csrf_token": csrf_token(client, form_url),
            "campaign": str(campaign.id),
            "title": TITLE,
            "summary": "요약",
            "team": "",
            "category": "",
        },
    )
    assert response.status_code == 303
    fix = db.session.scalar(db.select(Fix))
    assert [link.cluster_id for link in fix.links] == [cluster_id]
    page = f"/admin/fixes/{fix.id}"
    desk = parsed(client.get(page))
    assert any("이어진 이야기 4개" in t for t in desk.texts("main p > .small"))
    assert len(desk.one("[data-quote-candidates]").by_role("button", name="인용하기")) == 4

    client.post(
        f"{page}/quotes", data={"csrf_token": csrf_token(client, page), "moment": moments[2].id}
    )
    quote = fix.quotes[0]
    client.post(
        f"{page}/quotes/{quote.id}",
        data={"csrf_token": csrf_token(client, page), "text": "밤에 점검 때문에 이체가 안 됐어요"},
    )
    assert db.session.get(type(quote), quote.id).text == "밤에 점검 때문에 이체가 안 됐어요"
    assert db.session.get(type(moments[2]), moments[2].id).body == MAINTENANCE[2]

    client.post(
        f"{page}/notes",
        data={
            "csrf_token": csrf_token(client, page),
            "on": "2026-11-20",
            "text": "만들기 시작했어요",
        },
    )
    assert (
        client.post(f"{page}/publish", data={"csrf_token": csrf_token(client, page)}).status_code
        == 303
    )
    assert db.session.get(Fix, fix.id).state is FixState.PUBLISHED
    # Published while still 개선 예정: the cluster and the receipt say so, not "고쳤어요".
    assert db.session.get(Cluster, cluster_id).status is ClusterStatus.PLANNED
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {
        "fix_create",
        "fix_link_cluster",
        "fix_quote",
        "fix_quote_edit",
        "fix_note",
        "fix_publish",
    } <= actions
    receipt = status_page(client, codes[0])
    assert receipt.one("h1").text == "보내주신 이야기로 고치고 있어요"
    assert "보내주신 이야기로 고쳤어요" not in receipt.text
    answering = parsed(client.get(f"/admin/clusters/{cluster_id}")).one("[data-answering]")
    assert answering.by_role("link", name=TITLE, exact=True)


def test_a_bad_fix_form_keeps_what_was_typed_and_says_why(client, sign_in, campaign):
    sign_in(client)
    url = "/admin/fixes/new"
    response = client.post(
        url,
        data={
            "csrf_token": "expired",
            "campaign": str(campaign.id),
            "title": "",
            "before": "길게 쓴 전에는 내용",
            "team": "",
            "category": "",
        },
    )
    form = parsed(response).one("main form")
    summary = form.texts("[data-error-summary] li")
    assert response.status_code == 200 and "제목을 입력해 주세요." in summary
    assert any("보안 확인 시간이 지났어요" in t for t in summary)
    assert form.by_label("전에는").text == "길게 쓴 전에는 내용"


def test_publishing_with_nothing_linked_is_refused_with_a_message(client, sign_in, campaign):
    moderator = sign_in(client)
    fix = fixes.create_fix(campaign, fixes.FixFields(title=TITLE), by=moderator)
    db.session.commit()
    page = f"/admin/fixes/{fix.id}"
    response = client.post(
        f"{page}/publish", data={"csrf_token": csrf_token(client, page)}, follow_redirects=True
    )
    assert "하나 이상 이어 주세요" in parsed(response).one(".flashes").text
    assert db.session.get(Fix, fix.id).state is FixState.DRAFT


def test_retracting_hides_the_fix_and_restores_receipts(client, sign_in, published):
    fix, moments, codes = published
    sign_in(client)
    page = f"/admin/fixes/{fix.id}"
    client.post(f"{page}/retract", data={"csrf_token": csrf_token(client, page)})
    assert client.get(f"/improvements/{fix.slug}").status_code == 404
    assert not status_page(client, codes[0]).by_test_id("led-to")
    assert db.session.get(Cluster, moments[0].cluster_id).status is ClusterStatus.OPEN


def test_viewers_read_fixes_but_change_nothing(client, sign_in, published):
    fix, _, _ = published
    sign_in(client, "viewer")
    desk = parsed(client.get(f"/admin/fixes/{fix.id}"))
    assert desk.one("h1").text == TITLE and not desk.by_role("button", name="공개 취소하기")
    assert client.get("/admin/fixes/new").status_code == 403


# ---- in public ---------------------------------------------------------------------------------


def test_the_receipt_shows_the_fix_with_a_link(client, published):
    fix, _, codes = published
    receipt = status_page(client, codes[2])
    assert receipt.one("h1").text == "보내주신 이야기로 고쳤어요"
    [link] = receipt.one("[data-led-to]").by_role("link", name=TITLE, exact=True)
    assert link["href"].startswith("/improvements/")
    # The lost-card cluster has no fix.
    assert not status_page(client, codes[5]).by_test_id("led-to")


def test_the_improvements_page_lists_cards_with_counts_and_filters(client, published):
    fix, _, _ = published
    [card] = parsed(client.get("/improvements")).by_test_id("fix-card")
    assert card.one(".fix-card__title").text == TITLE
    meta = card.one(".fix-card__meta")
    assert meta.one("strong").text == "4명" and "4명이 알려준 불편" in meta.text
    nothing = parsed(client.get("/improvements?q=없는말"))
    assert not nothing.by_test_id("fix-card") and TITLE not in nothing.text
    assert "찾는 개선 사례가 없어요" in nothing.one("main .empty").text
    assert parsed(client.get("/improvements?q=예약")).texts(".fix-card__title") == [TITLE]


def test_more_fixes_than_a_page_show_a_more_link(client, published):
    fix, moments, _ = published
    admin = make_moderator("admin")
    for i in range(12):
        extra = fixes.create_fix(
            fix.campaign, fixes.FixFields(title=f"개선 {i}번째로 바뀐 것"), by=admin
        )
        fixes.link_moment(extra, moments[5], by=admin)
        fixes.publish(extra, by=admin, now=utcnow())
    db.session.commit()
    first = parsed(client.get("/improvements"))
    assert len(first.by_test_id("fix-card")) == 12 and first.by_test_id("more")
    second = parsed(client.get("/improvements?page=2"))
    assert len(second.by_test_id("fix-card")) == 13 and not second.by_test_id("more")


def test_the_empty_improvements_page_invites_people_to_tell_a_moment(client, campaign):
    empty = parsed(client.get("/improvements"))
    assert "아직 공개된 개선 사례가 없어요" in empty.one("main .empty").text
    assert empty.by_role("link", name="불편했던 순간 알려주기")


def test_a_fix_page_shows_before_after_count_quotes_and_clean_body(client, published):
    fix, _, _ = published
    shown = parsed(client.get(f"/improvements/{fix.slug}"))
    body = shown.one(".fix__body")
    assert body.one("strong").text == "굵게" and not shown.all("main script")
    assert shown.one("#before-title").parent.one("p").text == "점검 시간엔 못 보냈어요"
    assert shown.one("#after-title").parent.one("p").text == "이제 예약할 수 있어요"
    assert shown.texts("[data-quote]") == ["밤에 은행 점검 시간이라 이체가 안 됐어요"]
    assert shown.one("[data-fix-count] strong").text == "4명"
    assert shown.one("meta[property='og:title']")["content"] in (f"{TITLE} | 불편한 순간", TITLE)
    assert shown.one("meta[property='og:description']")["content"]
    assert shown.by_role("heading", name="비슷한 불편이 있나요?", exact=True)


def test_unpublished_fixes_are_not_public(client, grouped_receipts):
    campaign, _, _ = grouped_receipts
    fix = fixes.create_fix(campaign, fixes.FixFields(title="아직 초안인 개선"), by=make_moderator())
    db.session.commit()
    assert client.get(f"/improvements/{fix.slug}").status_code == 404
    assert "아직 초안인 개선" not in parsed(client.get("/improvements")).text
    assert client.get(f"/api/v1/fixes/{fix.slug}").status_code == 404


def test_the_landing_page_shows_the_latest_fixes(client, published):
    assert TITLE in parsed(client.get("/")).texts(".fix-card__title")


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
    assert (
        "11개" in text
        and "송금" in text
        and "카드" not in text.split("분야별 이야기")[1].split("누구인지")[0]
    )


# ---- the API -------------------------------------------------------------------------------------


def test_the_api_lists_campaigns_fixes_and_stats_without_moment_text(client, published):
    fix, moments, _ = published
    campaigns = client.get("/api/v1/campaigns").get_json()["campaigns"]
    assert campaigns[0]["slug"] == fix.campaign.slug
    listing = client.get("/api/v1/fixes").get_json()
    assert listing["total"] == 1 and listing["fixes"][0]["moments"] == 4
    one = client.get(f"/api/v1/fixes/{fix.slug}").get_json()["fix"]
    assert one["quotes"] == ["밤에 은행 점검 시간이라 이체가 안 됐어요"]
    everything = json.dumps(
        [campaigns, listing, one, client.get("/api/v1/stats").get_json()], ensure_ascii=False
    )
    assert not any(m.body in everything for m in moments)


def test_api_errors_are_json(client, campaign):
    for url, code in (("/api/v1/nothing", 404), ("/api/v1/fixes/없는-개선", 404)):
        response = client.get(url)
        assert response.status_code == code and response.get_json()["error"]["code"] == code
    response = client.post("/api/v1/fixes")
    assert response.status_code == 405 and response.is_json


def test_a_refused_fix_is_explained_beside_the_form_with_everything_typed(
    client, sign_in, campaign
):
    sign_in(client)
    url = "/admin/fixes/new"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "campaign": str(campaign.id),
            "title": TITLE,
            "after": "이제는 예약돼요",
            "category": "없는 분야",
            "team": "",
        },
    )
    form = parsed(response).one("main form")
    assert (
        response.status_code == 200
        and "캠페인의 분야 중에서 골라 주세요." in form.one("#category-error").text
    )
    assert (
        form.by_label("제목")["value"] == TITLE
        and form.by_label("이제는").text == "이제는 예약돼요"
    )
    assert db.session.scalar(db.select(Fix)) is None
