"""Hostile and broken input at every edge: a clear 4xx or a cleaned value, never a 500."""

from __future__ import annotations

import csv
import io
import json

import pytest
from flask.sessions import SecureCookieSessionInterface

from campaign.extensions import db
from campaign.models import Moment
from tests.dom import page as parsed
from tests.factories import make_moment
from tests.web.helpers import csrf_token, described, every_word, post_moment, receipt_code

# ---- exports -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start", ['=HYPERLINK("http://x.example","보기")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_a_moment_that_starts_like_a_formula_stays_text_in_csv_but_not_in_json(
    client, sign_in, campaign, start
):
    make_moment(campaign, body=start + " 이체가 안 돼요", suggestion="=1+1")
    sign_in(client, "viewer")
    body = client.get(f"/admin/export/moments.csv?campaign={campaign.id}").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["masked_text"] == "'" + start + " 이체가 안 돼요" and row["suggestion"] == "'=1+1"
    exported = client.get(f"/admin/export/moments.json?campaign={campaign.id}").get_json()
    assert exported[0]["masked_text"] == start + " 이체가 안 돼요"


# ---- NUL, controls, sizes and numbers ------------------------------------------------------------


def test_a_nul_in_a_moment_is_dropped_and_the_moment_stored(client, campaign):
    response = post_moment(client, body="점검 시간에\x00 이체가 안 됐어요.")
    assert response.status_code == 303
    assert db.session.scalar(db.select(Moment.body)) == "점검 시간에 이체가 안 됐어요."


@pytest.mark.parametrize(
    "url, status",
    [
        ("/improvements?q=%00", 400),
        ("/api/v1/fixes?q=%00", 400),
        ("/api/v1/fixes?category=%00", 400),
        ("/improvements/%00", 404),
        ("/c/%00/submit", 404),
        ("/api/v1/fixes/%00", 404),
        ("/c/%00/", 404),
        ("/improvements?page=99999999999999999999", 200),
        ("/improvements?page=%C2%B2", 200),
        ("/api/v1/fixes?limit=99999999999999999999", 200),
        ("/api/v1/fixes?limit=%D9%A1", 200),
    ],
)
def test_public_urls_with_nul_or_huge_numbers_answer_4xx_or_ignore_them(
    client, campaign, url, status
):
    response = client.get(url)
    assert response.status_code == status
    if url.startswith("/api/") and status >= 400:
        assert response.is_json and response.get_json()["error"]["code"] == status


@pytest.mark.parametrize(
    "url, status",
    [
        ("/admin/clusters/99999999999999999999", 404),
        ("/admin/fixes/99999999999999999999", 404),
        ("/admin/moments?page=99999999999999999999", 200),
        ("/admin/moments?tag=99999999999999999999", 200),
        ("/admin/moments?team=99999999999999999999&campaign=99999999999999999999", 200),
        ("/admin/moments?since=0001-01-01&until=9999-12-31", 200),
        ("/admin/dashboard?since=0001-01-01&until=9999-12-31", 200),
        (
            "/admin/audit?since=0001-01-01&until=9999-12-31&page=99999999999999999999&actor=99999999999999999999",
            200,
        ),
        ("/admin/moments?q=%00abc", 400),
        ("/admin/moments?q=%22%22%22", 200),
        ("/admin/clusters?campaign=99999999999999999999", 200),
        ("/admin/fixes/new?cluster=99999999999999999999", 200),
    ],
)
def test_desk_urls_with_hostile_parameters_never_answer_500(client, sign_in, campaign, url, status):
    make_moment(campaign)
    sign_in(client, "admin")
    assert client.get(url).status_code == status


def test_a_nul_in_the_sign_in_email_is_an_ordinary_failure(client, app):
    response = client.post(
        "/admin/login",
        data={
            "email": "a\x00@example.com",
            "password": "x",
            "csrf_token": csrf_token(client, "/admin/login"),
        },
    )
    assert response.status_code == 401


def test_a_file_uploaded_as_the_body_field_is_ignored_with_a_message(client, campaign):
    data = {"csrf_token": csrf_token(client), "body": (io.BytesIO(b"file"), "body.txt")}
    response = client.post("/submit", data=data, content_type="multipart/form-data")
    error = parsed(response).one("#body-error").text
    assert response.status_code == 200 and "어떤 순간이 불편했는지 적어 주세요." in error


def test_a_json_body_is_not_read_as_a_form(client, campaign):
    response = client.post(
        "/submit", data=json.dumps({"body": ["a", "b"]}), content_type="application/json"
    )
    assert (
        response.status_code == 200
        and db.session.scalar(db.select(db.func.count()).select_from(Moment)) == 0
    )


def test_a_request_larger_than_the_limit_gets_a_kind_korean_page(client, campaign):
    response = client.post(
        "/submit", data={"body": "가" * 300_000, "csrf_token": csrf_token(client)}
    )
    main = parsed(response).one("main")
    assert response.status_code == 413 and main.one("h1").text == "보내신 내용이 너무 커요"
    assert "뒤로 가면 쓰신 내용이 그대로" in main.first("p").text


def test_invisible_and_direction_changing_characters_are_dropped_at_intake_and_counted(
    client, sign_in, campaign
):
    post_moment(client, body="점검\u202e 시간에\u200b 이체가\t안 돼요\x07 정말\x85불편해요")
    moment = db.session.scalar(db.select(Moment))
    assert moment.body == "점검 시간에 이체가 안 돼요 정말\n불편해요" and moment.cleaned == 5
    sign_in(client)
    facts = described(parsed(client.get(f"/admin/moments/{moment.id}")).one(".desk-detail dl"))
    assert "지운 문자" in facts


def test_control_characters_stored_before_intake_cleaned_them_are_visible_on_the_desk(
    client, sign_in, campaign
):
    moment, _ = make_moment(campaign, body="환불\u202e됐어요 라고 적힌 이야기")
    sign_in(client)
    desk = parsed(client.get(f"/admin/moments/{moment.id}"))
    assert "환불⟨U+202E⟩됐어요" in desk.one("[data-moment-text]").text
    assert "\u202e" not in every_word(desk)


def test_text_made_of_invisible_characters_is_too_short_not_an_error(client, campaign):
    response = post_moment(client, body="\u200b" * 30 + "짧아요")
    assert response.status_code == 200
    assert "조금만 더 자세히" in parsed(response).one("#body-error").text


# ---- hosts, caching, cookies ---------------------------------------------------------------------


def test_links_that_leave_the_page_use_the_public_url_and_a_forged_host_is_refused(make_app):
    app = make_app(PUBLIC_URL="https://moments.example.org")
    with app.app_context():
        client = app.test_client()
        from tests.factories import make_campaign

        make_campaign()
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        head = parsed(client.get("/", headers={"Host": "moments.example.org"})).one("head")
        assert head.one("meta[property='og:url']")["content"] == "https://moments.example.org/"
        feed = client.get(
            "/improvements/feed.xml", headers={"Host": "moments.example.org"}
        ).get_data(as_text=True)
        assert "https://moments.example.org/improvements" in feed and "evil" not in feed


def test_exports_are_never_cached_and_public_feeds_briefly(client, sign_in, campaign):
    assert client.get("/improvements/feed.xml").headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/api/v1/stats").headers["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/fixes/none").headers["Cache-Control"] == "no-store"
    sign_in(client, "viewer")
    assert (
        client.get(f"/admin/export/moments.csv?campaign={campaign.id}").headers["Cache-Control"]
        == "no-store"
    )


def test_production_sends_hsts_and_a_host_only_session_cookie(make_app):
    app = make_app(
        ENV="production",
        SECRET_KEY="s" * 40,
        RECEIPT_PEPPER="p" * 40,
        TWO_FACTOR_ROLES="admin",
        PUBLIC_URL="https://moments.example.org",
    )
    with app.app_context():
        from tests.factories import make_campaign

        make_campaign()
        client = app.test_client()
        response = client.get("/submit", base_url="https://moments.example.org")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        cookie = response.headers["Set-Cookie"]
        assert (
            cookie.startswith("__Host-session=")
            and "Secure" in cookie
            and "Domain" not in cookie
            and "Path=/" in cookie
        )


def test_the_receipt_code_in_the_session_cookie_cannot_be_read(client, app, campaign):
    post_moment(client, body="점검 시간에 이체가 안 돼서 월세가 늦었어요.")
    code = receipt_code(parsed(client.get("/thanks")))
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    session = SecureCookieSessionInterface().get_signing_serializer(app).loads(cookie)
    assert code not in json.dumps(session) and code.replace("-", "") not in json.dumps(session)
    assert receipt_code(parsed(client.get("/thanks"))) == code  # a reload still shows it


# ---- what a second reviewer found on PostgreSQL --------------------------------------------------


def test_overlong_names_and_malformed_ids_in_desk_forms_are_refused_not_crashed(
    client, sign_in, campaign
):
    from campaign.models import Cluster

    moments = [make_moment(campaign, body=f"{i}번째 이체가 안 돼요")[0] for i in range(3)]
    cluster = Cluster(campaign_id=campaign.id)
    db.session.add(cluster)
    db.session.flush()
    for moment in moments:
        moment.cluster_id = cluster.id
    db.session.commit()
    sign_in(client, "admin")
    url = f"/admin/clusters/{cluster.id}"
    split = client.post(
        f"{url}/split",
        data={"csrf_token": csrf_token(client, url), "ids": moments[0].id, "name": "가" * 121},
        follow_redirects=True,
    )
    assert split.status_code == 200 and "120자까지" in parsed(split).one(".flashes").text
    token = csrf_token(client, "/admin/moments")
    for ids in (["a\x00b"], [moments[0].id, "\x00"], ["가" * 30]):
        response = client.post(
            "/admin/moments/bulk",
            data={"csrf_token": token, "ids": ids, "action": "status", "status": "in_review"},
        )
        assert response.status_code in (303, 200, 400), ids


def test_a_category_longer_than_a_moment_can_hold_is_refused_on_the_campaign_form(
    client, sign_in, campaign
):
    sign_in(client, "admin")
    url = f"/admin/campaigns/{campaign.id}"
    edit = client.get(url)
    assert edit.status_code == 200 and parsed(edit).one("main").has("form")  # the edit page
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "slug": campaign.slug,
            "title": campaign.title,
            "question": campaign.question,
            "opens_on": campaign.opens_on.isoformat(),
            "categories": "가" * 41 + "\nb",
            "channels": "",
        },
        follow_redirects=True,
    )
    assert "40자까지" in parsed(response).one("#categories-error").text
    db.session.refresh(campaign)
    assert all(len(c) <= 40 for c in campaign.categories)


def test_joiners_inside_emoji_and_words_stay_while_blank_fillers_go(client, campaign):
    post_moment(client, body="가족 👨\u200d👩\u200d👧 계좌를 만들려는데 안 돼요 क्\u200dष")
    assert "👨\u200d👩\u200d👧" in db.session.scalar(db.select(Moment.body))
    response = post_moment(client, body="\u3164" * 12)
    assert response.status_code == 200
    assert "적어 주세요" in parsed(response).one("#body-error").text
