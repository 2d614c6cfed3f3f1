"""Every public page in English: <html lang="en">, no Korean outside what people wrote (marked
lang="ko"), forms and their errors in English, and the Korean pages as they were."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import refresh
from sqlalchemy import select

from campaign import campaigns
from campaign.extensions import db
from campaign.models import Campaign
from campaign.templating import korean_date
from tests.dom import hangul_outside_korean, page
from tests.factories import make_campaign, past
from tests.web.helpers import csrf_token, post_moment, receipt_code
from tests.web.test_loop import receipt_page, shipped_fix

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
PUBLIC_PAGES = ["/", "/submit", "/status", "/listening", "/improvements", "/stats", "/privacy"]


@pytest.fixture
def english_campaign(app):
    made = make_campaign(
        title_en="Moments when money got in the way",
        question_en="When did banking get in your way?",
        intro_en="Tell us about a moment that got in your way.",
    )
    db.session.commit()
    return made


def english_page(client, url, via):
    if via == "switch":
        client.get(f"/language/en?next={url}")
        response = client.get(url)
    else:
        response = client.get(url, headers=ENGLISH)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("via", ["switch", "accept-language"])
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_each_public_page_is_wholly_english(client, english_campaign, url, via):
    response = english_page(client, url, via)
    shown = page(response)
    assert shown.one("html")["lang"] == "en"
    assert response.headers["Content-Language"] == "en"
    assert hangul_outside_korean(shown) == []


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_the_same_pages_stay_korean_for_korean_readers(client, english_campaign, url):
    shown = page(client.get(url, headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}))
    assert shown.one("html")["lang"] == "ko"
    assert shown.one("a.brand").text == "불편한 순간"
    assert "Moments when money" not in shown.text


def test_the_campaign_speaks_english_where_it_was_written_in_english(client, english_campaign):
    shown = page(client.get("/", headers=ENGLISH))
    assert shown.one("h1").text == "When did banking get in your way?"
    assert "lang" not in shown.one("h1")
    assert shown.one("title").text.startswith("Moments when money got in the way")
    korean = page(client.get("/"))
    assert korean.one("h1").text == "금융이 불편했던 순간, 언제였나요?"


def test_a_campaign_without_english_is_shown_in_korean_marked_as_korean(client, campaign):
    shown = page(client.get("/", headers=ENGLISH))
    heading = shown.one("h1")
    assert (heading.text, heading["lang"]) == ("금융이 불편했던 순간, 언제였나요?", "ko")
    assert hangul_outside_korean(shown.one("main")) == []
    assert shown.by_role("link", name="Tell us about a moment")


def test_a_form_error_is_english_and_keeps_what_was_typed(client, english_campaign):
    client.get("/language/en?next=/submit")
    shown = page(post_moment(client, body="짧아요"))
    assert "Please tell us a little more" in shown.one("#body-error").text
    assert shown.one("textarea#body").text == "짧아요"
    assert shown.one("title").text.startswith("Error:")
    # What the person typed is theirs: the only Korean left on the page.
    assert hangul_outside_korean(shown.one("main")) == ["<textarea>: 짧아요"]


def test_the_personal_data_check_thanks_and_receipt_in_english(client, english_campaign):
    client.get("/language/en?next=/submit")
    body = "이체가 안 돼서 010-1234-5678로 전화했는데 아무도 받지 않았어요."
    checked = page(post_moment(client, body=body, confirm_pii=False))
    assert checked.one("#pii-check-title").text == "This looks like it has personal details"
    assert "phone number (1)" in checked.all(".pii-check p")[0].text
    assert checked.one(".pii-check blockquote")["lang"] == "ko"
    assert post_moment(client, body=body).status_code == 303
    thanks = page(client.get("/thanks"))
    assert thanks.one("h1").text == "Thank you for telling us"
    assert "We found phone number (1)" in thanks.one(".masked-note p").text
    assert [t for t in hangul_outside_korean(thanks) if "[전화번호]" not in t] == []
    code = receipt_code(thanks)
    receipt = receipt_page(client, code)
    assert receipt.one("html")["lang"] == "en"
    assert receipt.one("h1").text == "Here's where your story is now"
    assert receipt.one("[data-stage='received']").text == "Done: Received"
    assert hangul_outside_korean(receipt.one("main")) == []


def test_a_wrong_code_is_refused_in_english(client, english_campaign):
    client.get("/language/en?next=/status")
    token = csrf_token(client, "/status")
    shown = page(client.post("/status", data={"code": "nope", "csrf_token": token}))
    assert shown.one("#code-error").text == (
        "Error: A code has 16 letters and numbers. Please check the code you got."
    )


def test_a_fix_page_and_its_receipt_in_english_mark_the_teams_korean(client, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    fix = shipped_fix(campaign, moments[:3])
    client.get("/language/en?next=/")
    shown = page(client.get(f"/improvements/{fix.slug}"))
    assert shown.one("html")["lang"] == "en"
    assert shown.one("h1")["lang"] == "ko"
    assert shown.one(".eyebrow").text.endswith("Fixed")
    assert hangul_outside_korean(shown.one("body")) == []
    receipt = receipt_page(client, codes[0])
    assert receipt.one("h1").text == "Your story helped us fix this"
    assert receipt.by_role("button", name="Answer")
    assert hangul_outside_korean(receipt.one("main")) == []


@pytest.mark.parametrize("url", ["/nowhere", "/c/nope/"])
def test_error_pages_are_english_too(client, english_campaign, url):
    response = client.get(url, headers=ENGLISH)
    shown = page(response)
    assert response.status_code == 404
    assert shown.one("h1").text == "We can't find that page"
    assert hangul_outside_korean(shown) == []


def test_dates_read_naturally_in_both_languages(app):
    day = date(2026, 11, 29)
    assert korean_date(day, weekday=True) == "2026년 11월 29일 (일)"
    with app.test_request_context(headers=ENGLISH):
        refresh()  # the fixture's app context remembered Korean from the call above
        assert korean_date(day) == "29 Nov 2026"
        assert korean_date(day, weekday=True) == "Sun 29 Nov 2026"
        # 15:30 UTC is 00:30 the next day in Seoul.
        assert korean_date(datetime(2026, 11, 28, 15, 30)) == "29 Nov 2026"


def test_the_feed_names_itself_in_the_readers_language(client, english_campaign):
    feed = client.get("/improvements/feed.xml", headers=ENGLISH).get_data(as_text=True)
    assert 'xml:lang="en"' in feed and "<title>What we fixed | Inconvenient Moments" in feed


def test_admins_give_a_campaign_its_english_texts_on_the_desk(client, sign_in):
    sign_in(client, "admin")
    data = {
        "csrf_token": csrf_token(client, "/admin/campaigns/new"),
        "slug": "insurance",
        "title": "보험이 불편한 순간",
        "question": "보험이 불편했던 순간은요?",
        "intro": "",
        "title_en": " Insurance moments ",
        "question_en": "When did insurance get in your way?",
        "intro_en": "",
        "categories": "",
        "channels": "",
        "opens_on": past(1).isoformat(),
        "closes_on": "",
    }
    assert client.post("/admin/campaigns/new", data=data).status_code == 303
    made = db.session.scalar(select(Campaign).where(Campaign.slug == "insurance"))
    assert (made.title_en, made.question_en, made.intro_en) == (
        "Insurance moments",
        "When did insurance get in your way?",
        "",
    )
    assert campaigns.snapshot(made).question_en == "When did insurance get in your way?"
