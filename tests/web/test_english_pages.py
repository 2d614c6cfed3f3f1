"""Every public page in English: <html lang="en">, no Korean outside what people wrote (marked
lang="ko"), forms and their errors in English, and the Korean pages as they were."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from flask_babel import refresh
from sqlalchemy import select

from campaign import campaigns, sources
from campaign.clustering import decisions, recluster
from campaign.extensions import db
from campaign.models import Campaign, Cluster, ClusterStatus, Moment, utcnow
from campaign.templating import korean_date
from tests.dom import HANGUL, hangul_outside_korean, page
from tests.factories import make_campaign, make_moderator, make_moment, past
from tests.samples import MAINTENANCE
from tests.web.helpers import csrf_token, post_moment, receipt_code
from tests.web.test_loop import receipt_page, shipped_fix
from tests.web.test_reach import IN_OTHER_WORDS, published_fix

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


# ---- 소식 받기, 이미 고쳤어요, 나도 겪었어요 and sources ---------------------------


def make_follow_link(client) -> str:
    """Press "Make an updates link" on the thanks page; the path of the follow page."""
    token = csrf_token(client, "/thanks")
    assert client.post("/thanks/follow", data={"csrf_token": token}).status_code == 303
    return urlsplit(page(client.get("/thanks")).one("[data-follow-page]")["href"]).path


def test_the_thanks_page_offers_updates_and_the_fix_already_made_in_english(
    client, english_campaign
):
    fix = published_fix(english_campaign)
    client.get("/language/en?next=/submit")
    thanks = page(client.get(post_moment(client, body=IN_OTHER_WORDS).location))
    assert thanks.one("html")["lang"] == "en"
    assert thanks.one("#save-title").text == "Save your code"
    assert thanks.one("#follow-title").text == "Get updates"
    assert thanks.by_role("button", name="Make an updates link")
    assert thanks.one("#suggestions-title").text == "Is this your story? It's already been changed"
    suggested = thanks.one(f"[data-suggestion='{fix.id}'] a")
    assert (suggested.text, suggested["lang"]) == (fix.title, "ko")
    assert hangul_outside_korean(thanks) == []


def test_while_typing_the_suggestions_answer_in_english(client, english_campaign):
    published_fix(english_campaign)
    client.get("/language/en?next=/submit")
    data = {"csrf_token": csrf_token(client), "body": IN_OTHER_WORDS}
    answer = page(client.post("/submit/suggestions", data=data))
    assert answer.one("html")["lang"] == "en"
    assert hangul_outside_korean(answer) == []
    refused = page(client.post("/submit/suggestions", data={"body": IN_OTHER_WORDS}))
    assert refused.one("[data-suggestions-message]").text.startswith("Please refresh the page")


def test_following_in_english_the_link_its_page_feed_and_saved_code(client, english_campaign):
    client.get("/language/en?next=/submit")
    post_moment(client)
    path = make_follow_link(client)
    thanks = page(client.get("/thanks"))
    assert thanks.one("[data-follow-qr] svg title").text == "QR code of your updates link"
    assert hangul_outside_korean(thanks) == []
    shown = page(client.get(path))
    assert shown.one("html")["lang"] == "en"
    assert shown.one("h1").text == "Updates on your story"
    assert shown.one("[data-entry='received'] strong").text == "Received"
    assert hangul_outside_korean(shown) == []
    feed = ET.fromstring(client.get(path + ".xml").data)
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert feed.find(f"{atom}title").text == (
        "Updates on your story | Moments when money got in the way"
    )
    assert [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")][-1] == "Received"
    assert not HANGUL.search(ET.tostring(feed, encoding="unicode"))
    text = client.get("/thanks/receipt.txt").get_data(as_text=True)
    assert text.startswith("Inconvenient Moments: your code\n")
    assert "Campaign: Moments when money got in the way" in text
    assert not HANGUL.search(text)
    gone = page(client.get("/follow/" + "x" * 32))
    assert gone.one("h1").text == "This link doesn't show updates"
    assert hangul_outside_korean(gone) == []


def test_an_updates_page_in_english_marks_the_teams_fix_title_korean(client, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    fix = shipped_fix(campaign, moments[:3])
    client.get("/language/en?next=/status")
    token = csrf_token(client, "/status")
    made = page(client.post("/status/follow", data={"code": codes[0], "csrf_token": token}))
    assert made.one("#follow-title").text == "Get updates"
    assert hangul_outside_korean(made.one("main")) == []
    shown = page(client.get(urlsplit(made.one("[data-follow-page]")["href"]).path))
    published = shown.one(f"[data-entry='fix-{fix.id}'] strong")
    assert published.text == f"We published a fix: {fix.title}"
    assert published.one("span")["lang"] == "ko"
    assert shown.all("[data-entry='fixed'] p")[0].text.startswith("Fixed on: ")
    assert hangul_outside_korean(shown) == []


@pytest.fixture
def listened(app, campaign):
    """A published fix and a cluster on 듣고 있어요, both written by the desk in Korean."""
    fix = published_fix(campaign)
    told = [make_moment(campaign, body=body)[0] for body in MAINTENANCE]
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    cluster = db.session.get(Cluster, db.session.get(Moment, told[0].id).cluster_id)
    mod = make_moderator()
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=mod)
    decisions.set_public(cluster, title="점검 시간에 이체가 막혀요", note="", listed=True, by=mod)
    db.session.commit()
    return fix, cluster


def test_i_had_this_too_reads_in_english_on_a_fix_and_on_listening(app, client, listened):
    fix, cluster = listened
    client.get("/language/en?next=/")
    shown = page(client.get(f"/improvements/{fix.slug}"))
    button = shown.one(f"[data-metoo='f{fix.id}'] button")
    assert button.text == f"I've had this too: {fix.title}"
    assert button.one("span")["lang"] == "ko"
    # The page's <title> is the fix's own (Korean) title: the body is what is checked.
    assert hangul_outside_korean(shown.one("body")) == []
    token = csrf_token(client, f"/improvements/{fix.slug}")
    tapped = page(
        client.get(
            client.post(f"/improvements/{fix.id}/metoo", data={"csrf_token": token}).location
        )
    )
    said = tapped.one("[data-metoo-said]").text
    assert said == "Thank you. We've counted that you had this too."
    assert hangul_outside_korean(tapped.one("body")) == []
    listening = page(client.get("/listening"))
    entry = listening.one(f"[data-listening='{cluster.id}']")
    # Below the public minimum group: no number yet, said in English.
    assert entry.one("[data-listening-count]").text.startswith(
        f"Once {app.config['PUBLIC_MIN_GROUP']} or more people"
    )
    assert entry.one("button").text.startswith("I've had this too")
    assert hangul_outside_korean(listening) == []


def test_a_tap_refused_by_a_closed_campaign_in_english(client, listened):
    fix, _ = listened
    fix.campaign.opens_on = fix.campaign.opens_on - timedelta(days=10)
    fix.campaign.closes_on = fix.campaign.opens_on + timedelta(days=1)
    db.session.commit()
    client.get("/language/en?next=/")
    token = csrf_token(client, "/status")
    refused = client.post(f"/improvements/{fix.id}/metoo", data={"csrf_token": token})
    assert refused.status_code == 409
    shown = page(refused)
    assert shown.one("h1").text == "We can't count this"
    assert hangul_outside_korean(shown) == []


def test_stats_show_where_stories_came_from_in_english(client, english_campaign):
    branch = sources.add_source(
        english_campaign, name="지점 QR", code="branch", by=None, now=utcnow()
    )
    for i in range(12):
        make_moment(english_campaign, body=f"지점 이야기 {i}", source_id=branch.id)
    for i in range(10):
        make_moment(english_campaign, body=f"직접 이야기 {i}")
    db.session.commit()
    shown = page(client.get("/stats", headers=ENGLISH))
    table = shown.one("[data-stat='sources']")
    assert shown.one("#source-share-title").text == "Where people told us from"
    rows = table.all("tbody th")
    assert [(th.text, th.get("lang")) for th in rows] == [("지점 QR", "ko"), ("Direct", None)]
    assert hangul_outside_korean(shown) == []


@pytest.fixture
def desk_sources(english_campaign):
    made = [
        sources.add_source(
            english_campaign,
            name="강남역 지점 QR",
            code="gangnam",
            description="1층 입구",
            by=None,
            now=utcnow(),
        ),
        sources.add_source(english_campaign, name="옛 문자", code="sms", by=None, now=utcnow()),
    ]
    sources.retire_source(made[1], by=None, now=utcnow())
    db.session.commit()
    return made


def test_the_desk_sources_page_in_english(client, english_campaign, desk_sources, sign_in):
    sign_in(client, "admin")
    url = f"/admin/campaigns/{english_campaign.id}/sources"
    client.get(f"/language/en?next={url}")
    shown = page(client.get(url))
    assert shown.one("html")["lang"] == "en"
    assert shown.one("h1").text == "Sources and QR posters"
    assert shown.by_role("link", name="Poster to print: 강남역 지점 QR")
    assert shown.all("[data-source='gangnam'] th > span")[0]["lang"] == "ko"
    assert hangul_outside_korean(shown.one("main")) == []
    empty = page(client.post(url, data={"csrf_token": csrf_token(client, url), "name": ""}))
    assert "Please name the source" in empty.one("#add-source").text
    assert hangul_outside_korean(empty.one("main")) == []


def test_the_poster_follows_the_desk_readers_language_with_the_question_in_both(
    client, english_campaign, desk_sources, sign_in
):
    sign_in(client, "admin")
    url = f"/admin/campaigns/{english_campaign.id}/sources/{desk_sources[0].id}/poster"
    client.get(f"/language/en?next={url}")
    shown = page(client.get(url))
    assert shown.one("html")["lang"] == "en"
    poster = shown.one("[data-poster]")
    question = poster.one("[data-poster-question]")
    assert question.text == "When did banking get in your way?" and "lang" not in question
    second = poster.one("[data-poster-second]")
    assert (second.text, second["lang"]) == (english_campaign.question, "ko")
    assert "Scan the QR code" in poster.text
    assert hangul_outside_korean(shown.one("main")) == []
    svg = ET.fromstring(client.get(url + ".svg").data)
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("lang") == "en"
    lines = [t for t in svg.iter(f"{ns}text") if HANGUL.search(t.text or "")]
    assert {t.get("lang") for t in lines} == {"ko"}
    client.get(f"/language/ko?next={url}")
    korean = page(client.get(url)).one("[data-poster]")
    assert korean.one("[data-poster-question]").text == english_campaign.question
    assert korean.one("[data-poster-second]")["lang"] == "en"


def test_an_english_poster_of_a_campaign_without_english_marks_its_question_korean(
    client, campaign, sign_in
):
    source = sources.add_source(campaign, name="ATM 화면", code="atm", by=None, now=utcnow())
    db.session.commit()
    sign_in(client, "admin")
    url = f"/admin/campaigns/{campaign.id}/sources/{source.id}/poster"
    client.get(f"/language/en?next={url}")
    poster = page(client.get(url)).one("[data-poster]")
    assert poster.one("[data-poster-question]")["lang"] == "ko"
    assert not poster.all("[data-poster-second]")
    assert hangul_outside_korean(poster) == []
