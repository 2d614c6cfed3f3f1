"""English beside Korean: the language a page is in (switch cookie, then Accept-Language, else
Korean), the switch back to the same page, and caches that never hand one language's page to a
reader of the other."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.dom import hangul_outside_korean, page

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def html_lang(response) -> str:
    return page(response).one("html")["lang"]


def test_a_page_is_korean_when_nothing_asks_for_english(client, campaign):
    response = client.get("/privacy")
    assert html_lang(response) == "ko"
    assert page(response).one("a.brand").text == "불편한 순간"


@pytest.mark.parametrize(
    "accept, expected",
    [
        ("en-US,en;q=0.9", "en"),
        ("en-GB", "en"),
        ("ko-KR,ko;q=0.9,en;q=0.8", "ko"),
        ("fr-FR,en;q=0.5", "en"),
        ("fr-FR,de;q=0.8", "ko"),
        ("", "ko"),
        ("*;q=0.1,en", "en"),
    ],
)
def test_accept_language_picks_the_best_of_korean_and_english(client, accept, expected):
    assert html_lang(client.get("/privacy", headers={"Accept-Language": accept})) == expected


def test_the_switch_remembers_english_and_returns_to_the_same_page(client):
    response = client.get("/language/en?next=/status%3Fx%3D1")
    assert response.status_code == 303
    assert response.headers["Location"] == "/status?x=1"
    cookie = client.get_cookie("lang")
    assert cookie.value == "en" and cookie.http_only and cookie.same_site == "Lax"
    shown = client.get("/status")
    assert html_lang(shown) == "en"
    switch = page(shown).one("[data-language-switch]")
    assert (switch.text, switch["lang"], switch["hreflang"]) == ("한국어", "ko", "ko")
    assert switch["href"] == "/language/ko?next=/status"


def test_the_switch_wins_over_accept_language_both_ways(client):
    client.get("/language/ko?next=/privacy")
    assert html_lang(client.get("/privacy", headers=ENGLISH)) == "ko"
    client.get("/language/en?next=/privacy")
    assert html_lang(client.get("/privacy", headers={"Accept-Language": "ko"})) == "en"


def test_every_public_page_links_to_the_other_language_with_its_own_address(client, campaign):
    switch = page(client.get("/privacy")).one("[data-language-switch]")
    assert (switch.text, switch["lang"], switch["hreflang"]) == ("English", "en", "en")
    assert switch["href"] == "/language/en?next=/privacy"


@pytest.mark.parametrize("code", ["fr", "EN", "en-US", "x" * 300, "ko%00"])
def test_a_language_we_do_not_have_changes_nothing(client, code):
    response = client.get(f"/language/{code}?next=/privacy")
    assert response.status_code in (303, 404)
    assert client.get_cookie("lang") is None
    assert html_lang(client.get("/privacy")) == "ko"


@pytest.mark.parametrize("value", ["fr", "", "en; ko", "<script>"])
def test_a_forged_language_cookie_is_ignored(client, value):
    client.set_cookie("lang", value)
    assert html_lang(client.get("/privacy")) == "ko"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "privacy", ""]
)
def test_the_switch_never_leads_off_the_site(client, target):
    response = client.get("/language/en", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_pages_say_they_vary_by_language(client, campaign):
    for url in ("/", "/privacy", "/status"):
        vary = {v.strip() for v in client.get(url).headers.get("Vary", "").split(",")}
        assert {"Accept-Language", "Cookie"} <= vary, url


@pytest.fixture
def cached(make_app):
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        yield app


def test_the_page_cache_keeps_one_page_per_language(cached):
    from campaign.extensions import db
    from tests.factories import make_campaign

    make_campaign()
    db.session.commit()
    korean, english = cached.test_client(), cached.test_client()
    first = korean.get("/")
    in_english = english.get("/", headers=ENGLISH)
    again = korean.get("/")
    assert (html_lang(first), html_lang(in_english), html_lang(again)) == ("ko", "en", "ko")
    assert first.headers["ETag"] == again.headers["ETag"] != in_english.headers["ETag"]
    switched = cached.test_client()
    switched.get("/language/en?next=/")
    assert html_lang(switched.get("/")) == "en"
    # A browser holding the Korean page's ETag that now asks in English gets the English page.
    answer = english.get("/", headers={**ENGLISH, "If-None-Match": first.headers["ETag"]})
    assert answer.status_code == 200 and html_lang(answer) == "en"


def test_the_header_and_footer_are_english_on_an_english_page(client):
    shown = page(client.get("/privacy", headers=ENGLISH))
    header_and_footer = [shown.one("header"), shown.one("footer")]
    assert [hangul_outside_korean(part) for part in header_and_footer] == [[], []]
    assert shown.one("a.brand").text == "Inconvenient Moments"


def test_labels_defined_ahead_go_into_json_in_the_readers_language(app):
    from flask import json
    from flask_babel import refresh

    from campaign.labels import FIX_PROGRESS_LABELS
    from campaign.models import FixProgress

    label = FIX_PROGRESS_LABELS[FixProgress.DONE]
    with app.test_request_context(headers=ENGLISH):
        refresh()  # the fixture's app context may remember a language already
        assert json.loads(json.dumps({"progress": label})) == {"progress": "Fixed"}
    refresh()
    assert json.loads(json.dumps({"progress": label})) == {"progress": "개선 완료"}


# ---- the switch on a page that answered a POST ---------------------------------------------


def _posts_answering_a_page(client, campaign) -> dict[str, tuple[str, object]]:
    """Every public POST that answers a page (not a redirect): the rule it exercises and the
    response, as a person meets it (a thanks page in the session, a receipt code typed)."""
    from tests.web.helpers import csrf_token, post_moment, receipt_code

    post_moment(client)
    code = receipt_code(page(client.get("/thanks")))
    token = csrf_token(client, "/status")
    slug = campaign.slug
    form = {"code": code, "csrf_token": token}
    return {
        "/submit": ("/submit", client.post("/submit", data={"csrf_token": token})),
        "/c/<slug>/submit": (
            "/submit",
            client.post(f"/c/{slug}/submit", data={"csrf_token": token}),
        ),
        "/c/<slug>/s/<code>": (
            f"/c/{slug}/s/branch",
            client.post(f"/c/{slug}/s/branch", data={"csrf_token": token}),
        ),
        "/status": ("/status", client.post("/status", data=form)),
        "/status/answer": ("/status", client.post("/status/answer", data=form)),
        "/status/follow": ("/status", client.post("/status/follow", data=form)),
        "/status/unfollow": ("/status", client.post("/status/unfollow", data=form)),
        "/status/receipt": (
            "/status",
            client.post("/status/receipt", data={**form, "kind": "exe"}),
        ),
        "/thanks/follow": ("/thanks", client.post("/thanks/follow", data={"csrf_token": "x"})),
        "/improvements/<int:fix_id>/metoo": (
            "/improvements",
            client.post("/improvements/999999/metoo", data={"csrf_token": token}),
        ),
        "/listening/<int:cluster_id>/metoo": (
            "/listening",
            client.post("/listening/999999/metoo", data={"csrf_token": token}),
        ),
    }


def test_the_switch_on_a_page_that_answered_a_post_leads_to_a_page_not_a_405(app, client, campaign):
    answered = _posts_answering_a_page(client, campaign)
    fragments = {"/submit/suggestions", "/c/<slug>/submit/suggestions"}  # no page, no header
    public_posts = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("public.") and "POST" in rule.methods
    }
    assert public_posts - fragments == set(answered)
    for rule, (lands_on, response) in answered.items():
        assert response.mimetype == "text/html", rule
        href = page(response).one("[data-language-switch]")["href"]
        switched = client.get(href)
        assert switched.status_code == 303, rule
        assert switched.headers["Location"].split("#")[0].endswith(lands_on), rule
        shown = client.get(switched.headers["Location"])
        assert shown.status_code == 200, rule
        assert html_lang(shown) == "en", rule
        client.get("/language/ko?next=/")


def test_a_refused_tap_switches_to_the_page_of_what_was_tapped(app, client, campaign):
    from campaign.extensions import db
    from tests.web.helpers import csrf_token
    from tests.web.test_reach import published_fix

    fix = published_fix(campaign)
    campaign.opens_on = campaign.opens_on.replace(year=campaign.opens_on.year - 1)
    campaign.closes_on = campaign.opens_on.replace(month=12, day=31)
    db.session.commit()
    refused = client.post(
        f"/improvements/{fix.id}/metoo", data={"csrf_token": csrf_token(client, "/status")}
    )
    assert refused.status_code == 409
    switched = client.get(page(refused).one("[data-language-switch]")["href"])
    assert unquote(switched.headers["Location"]) == f"/improvements/{fix.slug}#metoo-f{fix.id}"
    assert client.get(switched.headers["Location"]).status_code == 200
