"""The desk's managing pages in English (fixes, campaigns, tags, teams, urgent words, accounts,
webhooks, digests, the audit log, my settings): <html lang="en">, no Korean outside what people
wrote (marked lang="ko"), refusals and form errors in English; Korean pages as they were."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest

from campaign import desk_settings, digests, fixes, loop, webhooks
from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.models import (
    Cluster,
    DeliveryState,
    DigestRun,
    FixProgress,
    WebhookAttempt,
    utcnow,
)
from tests.dom import HANGUL, hangul_outside_korean, page, parse
from tests.factories import make_moderator, make_team
from tests.web.helpers import csrf_token

ROOT = Path(__file__).resolve().parents[2]

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


@pytest.fixture
def desk(client, sign_in, grouped_receipts):
    """A desk with something on every managing page: a published, finished fix with a quote,
    an update and two answers, a draft fix, tags, teams with a digest and its runs, an urgent
    word, a webhook endpoint whose deliveries failed, and the audit events all that wrote."""
    campaign, moments, codes = grouped_receipts
    admin = sign_in(client, "admin", name="운영자")
    team = make_team("송금팀")
    make_team("카드팀")
    tag = desk_settings.find_or_create_tag("점검시간", by=admin)
    desk_settings.find_or_create_tag("카드분실", by=admin)
    moments[0].tags.append(tag)
    if "해킹 피해" not in desk_settings.urgent_phrases():  # rules outlive a test, like seeds
        desk_settings.add_urgent_rule("해킹 피해", by=admin)
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title="점검 시간에도 이체를 예약할 수 있어요",
            summary="예약해 두면 점검이 끝나자마자 보내요",
            before="점검 시간엔 못 보냈어요",
            after="이제 예약할 수 있어요",
            team=team,
            shipped_on=local_today() - timedelta(days=1),
        ),
        by=admin,
    )
    fixes.link_cluster(fix, db.session.get(Cluster, moments[0].cluster_id), by=admin)
    fixes.add_quote(fix, moments[1], "밤에 은행 점검 시간이라 이체가 안 됐어요", by=admin)
    fixes.add_note(fix, local_today(), "예약 이체를 시험하고 있어요", by=admin)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
    fixes.set_progress(fix, FixProgress.DONE, by=admin)
    fixes.publish(fix, by=admin, now=utcnow())
    loop.answer(moments[1], resolved=True, note="이제 잘 돼요", today=local_today())
    loop.answer(moments[2], resolved=False, note="아직도 느려요", today=local_today())
    fixes.create_fix(campaign, fixes.FixFields(title="카드 분실 신고를 앱에서 바로 해요"), by=admin)
    endpoint, _ = webhooks.create_endpoint(
        url="https://hooks.example.com/moments",
        events=["urgent_moment", "fix_published"],
        format="slack",
        by=admin,
        now=utcnow(),
    )
    delivery = webhooks.send_test(endpoint, by=admin, now=utcnow())
    delivery.state = DeliveryState.FAILED
    for error in (
        "연결을 거절했어요. 받는 쪽 서버가 켜져 있는지 확인해 주세요.",
        "10초 안에 답이 오지 않았어요.",
    ):
        db.session.add(
            WebhookAttempt(delivery_id=delivery.id, at=utcnow(), error=error, duration_ms=12)
        )
    digests.save_settings(
        team, frequency="daily", recipients="lead@example.com", by=admin, now=utcnow()
    )
    db.session.add_all(
        [
            DigestRun(
                team_id=team.id,
                period="2026-11-30",
                state=DeliveryState.DELIVERED,
                sent_at=utcnow(),
                result={"to": 1, "moments": 3, "urgent": 1, "clusters": 2},
            ),
            DigestRun(
                team_id=team.id,
                period="2026-12-01",
                state=DeliveryState.FAILED,
                result={"error": "메일 서버에 연결하지 못했어요."},
            ),
        ]
    )
    make_moderator("viewer", name="열람자")
    db.session.commit()
    return {"campaign": campaign, "fix": fix, "team": team, "endpoint": endpoint, "admin": admin}


def desk_pages(d) -> list[str]:
    c, f, t, e = d["campaign"], d["fix"], d["team"], d["endpoint"]
    return [
        "/admin/fixes",
        f"/admin/fixes/{f.id}",
        f"/admin/fixes/{f.id}/edit",
        "/admin/fixes/new",
        "/admin/campaigns",
        f"/admin/campaigns/{c.id}",
        "/admin/campaigns/new",
        f"/admin/campaigns/{c.id}/import",
        "/admin/tags",
        "/admin/teams",
        f"/admin/teams/{t.id}/digest",
        "/admin/rules",
        "/admin/accounts",
        "/admin/webhooks",
        f"/admin/webhooks/{e.id}",
        "/admin/audit",
        "/admin/settings",
    ]


# The other half of the desk's English (labels.py, the desk's shared forms and macros, the
# layout) is the other helper's (branch desk-en1). Until it is merged they are Korean here; a
# finding is let through only while its exact words are a literal in one of those files that is
# not marked for translation there, so once both halves are merged every page must be wholly
# English.
OTHER_HALF = [
    "campaign/labels.py",
    "campaign/admin/forms.py",
    "campaign/admin/blueprint.py",
    "templates/admin/layout.html",
    *[str(p.relative_to(ROOT)) for p in (ROOT / "templates/_macros").glob("*.html")],
]


def _pending_words() -> list[str]:
    """Korean literals of those files that are left unmarked at least once, longest first."""
    pending = set()
    for name in OTHER_HALF:
        source = (ROOT / name).read_text(encoding="utf-8")
        literals = re.findall(r"[\"']([^\"'\n]*[\uac00-\ud7af][^\"'\n]*)[\"']", source)
        marked = re.findall(r"_l?\(\s*[\"']([^\"'\n]+)[\"']", source)
        pending |= {words for words in literals if literals.count(words) > marked.count(words)}
    return sorted(pending, key=len, reverse=True)


PENDING = _pending_words()


def korean_left(element) -> list[str]:
    """Korean an English reader meets, less the other half's words not yet translated."""
    left = []
    for found in hangul_outside_korean(element):
        text = found.split(": ", 1)[-1]
        for words in PENDING:
            text = text.replace(words, "")
        if HANGUL.search(text):
            left.append(found)
    return left


def english(client, url: str):
    client.get(f"/language/en?next={url}")
    response = client.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("index", range(17))
def test_every_managing_page_is_english_but_for_what_people_wrote(client, desk, index):
    url = desk_pages(desk)[index]
    response = english(client, url)
    shown = page(response)
    assert shown.one("html")["lang"] == "en"
    assert response.headers["Content-Language"] == "en"
    assert korean_left(shown.one("main")) == [], url
    # A title may hold a person's words (a fix's title, a team's name) but no desk words.
    title = shown.one("title").text
    for written in ("점검 시간에도 이체를 예약할 수 있어요", "송금팀", "금융이 불편한 순간"):
        title = title.replace(written, "")
    assert korean_left(parse(f"<p>{title}</p>")) == [], title


def test_what_people_wrote_is_marked_korean_on_english_pages(client, desk):
    fix = desk["fix"]
    shown = page(english(client, f"/admin/fixes/{fix.id}"))
    assert shown.one("h1")["lang"] == "ko"
    assert shown.one("[data-quotes] textarea")["lang"] == "ko"
    assert shown.one("h2#links").text == "What this fix answers"
    assert [b.text for b in shown.all(".answers .badge")] == [
        "It still gets in my way",
        "It's solved",
    ]
    teams = page(english(client, "/admin/teams"))
    assert [e.get("lang") for e in teams.all("tbody th")] == ["ko", "ko"]
    assert teams.by_label("New name for 송금팀").get("lang") == "ko"


def test_korean_readers_keep_the_korean_desk(client, desk):
    fix = desk["fix"]
    shown = page(client.get(f"/admin/fixes/{fix.id}"))
    assert shown.one("html")["lang"] == "ko"
    assert shown.one("h2#links").text == "이 개선이 답하는 것"
    assert "lang" not in shown.one("h1")
    assert page(client.get("/admin/webhooks")).one("h1").text == "웹훅"


def test_a_bad_fix_form_is_explained_in_english_and_keeps_what_was_typed(client, desk):
    english(client, "/admin/fixes/new")
    response = client.post(
        "/admin/fixes/new",
        data={
            "csrf_token": csrf_token(client, "/admin/fixes/new"),
            "campaign": str(desk["campaign"].id),
            "title": "x",
            "summary": "요" * 301,
            "team": "",
        },
    )
    shown = page(response)
    assert shown.one("title").text.startswith("Error:")
    assert shown.one("#title-error").text == ("Error: Please write a title of 2 to 120 characters.")
    assert shown.one("#summary-error").text == ("Error: The summary can be up to 300 characters.")
    assert shown.one("textarea#summary").text == "요" * 301
    assert korean_left(shown.one("main")) == []


def test_a_refused_fix_action_is_flashed_in_english(client, desk):
    fix = desk["fix"]
    english(client, f"/admin/fixes/{fix.id}")
    url = f"/admin/fixes/{fix.id}/notes"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, f"/admin/fixes/{fix.id}"), "on": "", "text": ""},
        follow_redirects=True,
    )
    flashed = page(response).one(".flash--error").text
    assert "Please choose a date." in flashed and "Please enter the update." in flashed


def test_a_bad_campaign_is_refused_in_english_beside_its_field(client, desk):
    english(client, "/admin/campaigns/new")
    response = client.post(
        "/admin/campaigns/new",
        data={
            "csrf_token": csrf_token(client, "/admin/campaigns/new"),
            "slug": "Bad Slug",
            "title": "새 캠페인",
            "question": "언제였나요?",
            "opens_on": "2026-01-01",
        },
    )
    shown = page(response)
    assert shown.one("title").text.startswith("Error:")
    assert shown.one("#slug-error").text == (
        "Error: The address name can only use lowercase letters, numbers and hyphens (-), "
        "e.g. finance-2026"
    )
    assert shown.one("input#title")["lang"] == "ko"
    assert korean_left(shown.one("main")) == []


def test_clock_targets_out_of_range_are_refused_in_english(client, desk):
    campaign = desk["campaign"]
    english(client, f"/admin/campaigns/{campaign.id}")
    response = client.post(
        f"/admin/campaigns/{campaign.id}/clocks",
        data={
            "csrf_token": csrf_token(client, f"/admin/campaigns/{campaign.id}"),
            "triage_days": "3",
            "answer_days": "7",
            "unowned_days": "3",
        },
        follow_redirects=True,
    )
    assert "Deadlines saved." in page(response).one(".flash").text


def test_webhook_refusals_and_delivery_reasons_are_english(client, desk):
    english(client, "/admin/webhooks")
    response = client.post(
        "/admin/webhooks",
        data={
            "csrf_token": csrf_token(client, "/admin/webhooks"),
            "url": "https://user:pw@hooks.example.com/x",
            "events": ["spike"],
            "format": "json",
        },
    )
    assert page(response).one("#url-error").text == (
        "Error: An address can't contain a user name or password. The server makes the "
        "signing secret for you."
    )
    log = page(english(client, f"/admin/webhooks/{desk['endpoint'].id}"))
    assert [row.all("td")[1].text for row in log.all("[data-attempt]")] == [
        "Connection refused. Check that the receiving server is running.",
        "No answer within 10 seconds.",
    ]
    korean_log = page(client.get(f"/admin/webhooks/{desk['endpoint'].id}", headers={"Cookie": ""}))
    assert korean_log.one("html")["lang"] == "en"  # the switch's cookie is kept


def test_a_digest_run_and_a_bad_recipient_read_in_english(client, desk):
    team = desk["team"]
    url = f"/admin/teams/{team.id}/digest"
    shown = page(english(client, url))
    failed = shown.one("[data-digest-run='failed']").all("td")
    assert failed[-1].text == "Couldn't connect to the mail server."
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "frequency": "daily", "recipients": "nope"},
    )
    assert page(response).one("#recipients-error").text == (
        "Error: ‘nope’ doesn't look like an e-mail address."
    )


def test_an_import_preview_reads_in_english_with_the_lines_as_written(client, desk):
    campaign = desk["campaign"]
    url = f"/admin/campaigns/{campaign.id}/import"
    english(client, url)
    log = (
        "내용,날짜,경로\n"
        "상담원 연결이 40분 걸렸어요. 010-2481-7730로 전화 주세요,2026-11-30,전화 상담\n"
        "짧아요,2026-11-30,\n"
        "카드가 안 돼요 정말 불편해요,2099-01-01,\n"
    ).encode("cp949")
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "file": (io.BytesIO(log), "log.csv"),
            "preview": "1",
        },
        content_type="multipart/form-data",
    )
    shown = page(response)
    assert shown.one("#report-title").text == "Preview: nothing saved yet"
    reasons = [row.all("td")[1].text for row in shown.all("[data-import-refusals] tbody tr")]
    assert reasons == [
        "The text is too short (3 characters, at least 10)",
        "The date is in the future",
    ]
    assert korean_left(shown.one("main")) == []
