"""이미 고쳤어요 while typing (POST /submit/suggestions, the personal-data check, the thanks page)
and 나도 겪었어요 (a fix's page, 듣고 있어요, the desk)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest

from campaign import fixes, metoo
from campaign.clustering import decisions, recluster
from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, MeToo, Moment
from tests.dom import page
from tests.factories import make_campaign, make_moderator, make_moment
from tests.samples import MAINTENANCE, MAINTENANCE_FIX_TITLE, publish_maintenance_fix
from tests.web.helpers import csrf_token, post_moment

IN_OTHER_WORDS = "밤 12시 넘어서 월세 보내려는데 은행 점검이라고 안 된대요"
UNRELATED = "보험금 청구하려고 영수증 사진을 올렸는데 자꾸 반려돼요"
TITLE = MAINTENANCE_FIX_TITLE


def published_fix(campaign):
    return publish_maintenance_fix(campaign)


@pytest.fixture
def fix(app, campaign):
    return published_fix(campaign)


def ask(client, body, token=None):
    token = csrf_token(client) if token is None else token
    return client.post("/submit/suggestions", data={"csrf_token": token, "body": body})


# ---- 이미 고쳤어요 ----------------------------------------------------------------------------


def test_while_typing_a_maintenance_complaint_the_published_fix_is_offered(client, fix):
    response = ask(client, IN_OTHER_WORDS)
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]
    found = page(response)
    assert "이미 이렇게 바뀌었어요" in found.one("h2").text
    [link] = found.by_role("link", name=TITLE)
    assert unquote(link["href"]) == f"/improvements/{fix.slug}"
    assert "점검 시간에도 송금을 받아 두었다가" in found.one("[data-suggestion]").text


def test_an_unrelated_complaint_gets_an_empty_answer(client, fix):
    response = ask(client, UNRELATED)
    assert response.status_code == 200 and "data-suggestion" not in response.get_data(as_text=True)


def test_the_text_is_compared_and_never_stored(client, fix):
    before = db.session.query(Moment).count()
    ask(client, IN_OTHER_WORDS)
    assert db.session.query(Moment).count() == before


@pytest.mark.parametrize("body", ["", "   ", "점검 때문에", "\x00" * 40])
def test_empty_or_short_text_is_not_compared(client, fix, body):
    response = ask(client, body)
    assert response.status_code == 200
    assert "data-suggestion" not in response.get_data(as_text=True)


def test_a_nul_byte_inside_the_text_is_dropped_not_a_500(client, fix):
    response = ask(client, IN_OTHER_WORDS.replace(" ", "\x00", 2))
    assert response.status_code == 200


def test_a_very_long_text_is_compared_by_its_beginning(client, fix):
    response = ask(client, IN_OTHER_WORDS + " 정말 불편해요" * 3000)
    assert response.status_code == 200


def test_without_the_csrf_token_the_answer_is_a_short_korean_message(client, fix):
    response = client.post("/submit/suggestions", data={"body": IN_OTHER_WORDS})
    assert response.status_code == 400
    assert "새로 고친 뒤" in page(response).one("[data-suggestions-message]").text
    assert "data-suggestion=" not in response.get_data(as_text=True)


def test_asking_too_often_is_refused_quietly(make_app, campaign):
    app = make_app(RATELIMIT_ENABLED=True, SUGGEST_LIMIT="2 per minute")
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client)
        codes = [ask(client, "은행 점검 시간이라 밤에 이체가 안 돼요", token) for _ in range(3)]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert "data-suggestion" not in codes[2].get_data(as_text=True)
    assert "no-store" in codes[2].headers["Cache-Control"]


def test_the_submit_page_has_a_polite_place_for_suggestions_after_the_send_button(client, fix):
    form = page(client.get("/submit")).one("form.moment-form")
    slot = form.one("[data-suggest-from]")
    assert slot["aria-live"] == "polite"
    assert slot["data-suggest-from"] == "/submit/suggestions"
    html = str(client.get("/submit").get_data(as_text=True))
    assert html.index('type="submit"') < html.index("data-suggest-from")


def test_without_javascript_the_personal_data_check_shows_the_fix(client, fix):
    response = post_moment(
        client, body=IN_OTHER_WORDS + " 제 번호는 010-1234-5678이에요", confirm_pii=False
    )
    checked = page(response)
    assert checked.one(".pii-check")
    [link] = checked.by_role("link", name=TITLE)
    assert unquote(link["href"]) == f"/improvements/{fix.slug}"


def test_the_thanks_page_shows_the_fix_for_the_moment_just_told(client, fix):
    thanks = page(client.get(post_moment(client, body=IN_OTHER_WORDS).location))
    [link] = thanks.by_role("link", name=TITLE)
    assert unquote(link["href"]) == f"/improvements/{fix.slug}"


def test_the_thanks_page_says_nothing_of_fixes_when_none_matches(client, fix):
    thanks = client.get(post_moment(client, body=UNRELATED).location)
    assert "이미 이렇게 바뀌었어요" not in thanks.get_data(as_text=True)


# ---- 나도 겪었어요 ----------------------------------------------------------------------------


def tap(client, url, token=None, **extra):
    data = {"csrf_token": token if token is not None else csrf_token(client, "/submit"), **extra}
    return client.post(url, data=data)


def test_a_tap_on_a_fix_counts_once_per_browser_session(client, fix):
    url = f"/improvements/{fix.id}/metoo"
    first = tap(client, url)
    assert first.status_code == 303
    assert unquote(first.location).endswith(f"/improvements/{fix.slug}#metoo-f{fix.id}")
    said = page(client.get(first.location)).one("[data-metoo-said]").text
    assert "함께 셌어요" in said
    again = tap(client, url)
    assert again.status_code == 303
    assert "이미 함께 셌어요" in page(client.get(again.location)).one("[data-metoo-said]").text
    assert metoo.fix_counts([fix.id]) == {fix.id: 1}
    stored = db.session.query(MeToo).one()
    assert (stored.fix_id, stored.cluster_id) == (fix.id, None) and stored.on is not None


def test_another_browser_counts_again(app, fix):
    for _ in range(2):
        tap(app.test_client(), f"/improvements/{fix.id}/metoo")
    assert metoo.fix_counts([fix.id]) == {fix.id: 2}


def test_the_public_count_waits_for_the_minimum_group(make_app, campaign):
    app = make_app(PUBLIC_MIN_GROUP=2)
    with app.app_context():
        fix = published_fix(campaign)
        tap(app.test_client(), f"/improvements/{fix.id}/metoo")
        shown = page(app.test_client().get(f"/improvements/{fix.slug}"))
        assert not shown.all("[data-metoo-count]")
        tap(app.test_client(), f"/improvements/{fix.id}/metoo")
        shown = page(app.test_client().get(f"/improvements/{fix.slug}"))
        assert "2명" in shown.one("[data-metoo-count]").text


def test_a_tap_on_a_missing_fix_or_cluster_is_404(client, fix):
    assert tap(client, "/improvements/999999/metoo").status_code == 404
    assert tap(client, "/listening/999999/metoo").status_code == 404


def _refusal(response) -> tuple[int, str]:
    return response.status_code, page(response).one("main").text


def test_a_draft_or_retracted_fix_answers_a_tap_exactly_like_an_unknown_one(client, campaign):
    unknown = _refusal(tap(client, "/improvements/999999/metoo"))
    assert unknown[0] == 404
    draft = fixes.create_fix(campaign, fixes.FixFields(title="아직 쓰는 중인 개선"), by=None)
    db.session.commit()
    assert _refusal(tap(client, f"/improvements/{draft.id}/metoo")) == unknown
    retracted = published_fix(campaign)
    fixes.retract(retracted, by=None)
    db.session.commit()
    assert _refusal(tap(client, f"/improvements/{retracted.id}/metoo")) == unknown
    assert metoo.fix_counts([draft.id, retracted.id]) == {}


def test_a_fix_retracted_after_a_tap_is_not_revealed_by_tapping_again(client, fix):
    assert tap(client, f"/improvements/{fix.id}/metoo").status_code == 303
    fixes.retract(fix, by=None)
    db.session.commit()
    again = tap(client, f"/improvements/{fix.id}/metoo")
    assert again.status_code == 404 and fix.slug not in again.headers.get("Location", "")
    assert _refusal(again) == _refusal(tap(client, "/improvements/999999/metoo"))


def test_a_closed_campaign_says_kindly_that_it_no_longer_counts(client, campaign, fix):
    campaign.opens_on = campaign.opens_on - timedelta(days=10)
    campaign.closes_on = campaign.opens_on + timedelta(days=1)
    db.session.commit()
    refused = tap(client, f"/improvements/{fix.id}/metoo", csrf_token(client, "/status"))
    assert refused.status_code == 409
    assert "이야기를 더 이상 받지 않아서" in page(refused).one("main").text
    assert metoo.fix_counts([fix.id]) == {}


def test_without_the_csrf_token_a_tap_is_refused_not_a_500(client, fix):
    refused = client.post(f"/improvements/{fix.id}/metoo")
    assert refused.status_code == 400
    assert metoo.fix_counts([fix.id]) == {}


def test_taps_are_rate_limited(make_app, campaign):
    app = make_app(RATELIMIT_ENABLED=True, METOO_LIMIT="2 per minute")
    with app.app_context():
        fix = published_fix(campaign)
        codes = [
            tap(app.test_client(), f"/improvements/{fix.id}/metoo").status_code for _ in range(3)
        ]
    assert codes == [303, 303, 429]


def test_a_cached_fix_page_carries_each_visitors_own_token(make_app, campaign):
    app = make_app(PAGE_CACHE_SECONDS=60)
    with app.app_context():
        fix = published_fix(campaign)
        url = f"/improvements/{fix.slug}"
        results = []
        for _ in range(2):
            visitor = app.test_client()
            shown = visitor.get(url)
            assert shown.headers["Cache-Control"] == "private, no-cache"
            token = page(shown).one("[data-metoo] input[name=csrf_token]")["value"]
            results.append(tap(visitor, f"/improvements/{fix.id}/metoo", token).status_code)
        assert results == [303, 303]
        assert metoo.fix_counts([fix.id]) == {fix.id: 2}


def list_maintenance_cluster(app, campaign) -> Cluster:
    """The MAINTENANCE moments grouped, planned and shown on 듣고 있어요."""
    told = [make_moment(campaign, body=body)[0] for body in MAINTENANCE]
    recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
    cluster = db.session.get(Cluster, db.session.get(Moment, told[0].id).cluster_id)
    mod = make_moderator()
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=mod)
    decisions.set_public(
        cluster,
        title="점검 시간에 이체가 막혀요",
        note="예약 이체를 만들기로 했어요.",
        listed=True,
        by=mod,
    )
    db.session.commit()
    return cluster


@pytest.fixture
def listed(app, campaign):
    return list_maintenance_cluster(app, campaign)


def test_a_tap_on_a_listening_entry_counts_apart_from_written_moments(make_app, campaign):
    app = make_app(PUBLIC_MIN_GROUP=1)
    with app.app_context():
        cluster = list_maintenance_cluster(app, campaign)
        client = app.test_client()
        done = tap(client, f"/listening/{cluster.id}/metoo")
        assert done.status_code == 303 and f"#metoo-c{cluster.id}" in done.location
        entry = page(client.get(done.location)).one(f"[data-listening='{cluster.id}']")
        assert "함께 셌어요" in entry.one("[data-metoo-said]").text
        counts = entry.one("[data-listening-count]").text
        assert f"{len(MAINTENANCE)}명이 알려줬고, 1명이 나도 겪었다고 했어요" in counts


def test_a_cluster_not_on_listening_answers_like_an_unknown_one(client, listed):
    mod = make_moderator()
    decisions.set_public(listed, title=listed.public_title, note="", listed=False, by=mod)
    db.session.commit()
    unknown = _refusal(tap(client, "/listening/999999/metoo"))
    assert unknown[0] == 404
    assert _refusal(tap(client, f"/listening/{listed.id}/metoo")) == unknown
    assert metoo.cluster_counts([listed.id]) == {}


def test_a_tap_from_another_campaigns_page_answers_like_an_unknown_one(client, campaign, listed):
    other = make_campaign()
    db.session.commit()
    refused = tap(client, f"/listening/{listed.id}/metoo", **{"from": other.slug})
    assert _refusal(refused) == _refusal(tap(client, "/listening/999999/metoo"))
    mine = tap(client, f"/listening/{listed.id}/metoo", **{"from": campaign.slug})
    assert mine.status_code == 303 and f"/c/{campaign.slug}/listening" in mine.location
    assert metoo.cluster_counts([listed.id]) == {listed.id: 1}


def test_the_desk_sees_taps_apart_on_the_fix_and_cluster_pages(client, sign_in, fix, listed):
    tap(client, f"/improvements/{fix.id}/metoo")
    tap(client, f"/listening/{listed.id}/metoo")
    sign_in(client)
    on_fix = page(client.get(f"/admin/fixes/{fix.id}"))
    assert "나도 겪었어요 1명" in on_fix.one("[data-metoo-desk]").text
    on_cluster = page(client.get(f"/admin/clusters/{listed.id}"))
    assert "나도 겪었어요 1명" in on_cluster.one("[data-metoo-desk]").text
