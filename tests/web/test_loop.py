"""Closing the loop honestly: moments told after a fix, "해결됐나요?", regressions, 듣고 있어요,
and one figure per definition on every page that shows it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest

from campaign import fixes
from campaign.campaigns import local_today
from campaign.clustering import recluster
from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, FixAnswer, FixProgress, Moment, utcnow
from tests.dom import page
from tests.factories import make_campaign, make_moderator, make_moment
from tests.samples import LOST_CARD, MAINTENANCE
from tests.web.helpers import csrf_token, described, post_moment, receipt_code, table_row

TITLE = "점검 시간에도 이체를 예약할 수 있어요"
LATE = "어제 밤에도 은행 점검 시간이라 이체가 안 됐어요"
HOURS_TO_TRIAGE = "처음 손대기까지 (중앙값)"
DAYS_TO_FIX = "첫 이야기부터 고치기까지 (중앙값)"


def shipped_fix(campaign, moments, *, days_ago: int = 2, progress=FixProgress.DONE):
    """A public fix for the maintenance cluster; the moments behind it were told ten days ago."""
    for moment in moments:
        moment.received_hour -= timedelta(days=10)
    admin = make_moderator("admin")
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title=TITLE,
            after="점검 시간에 예약해 두면 끝나자마자 보내요",
            shipped_on=local_today() - timedelta(days=days_ago),
        ),
        by=admin,
    )
    fixes.link_cluster(fix, db.session.get(Cluster, moments[0].cluster_id), by=admin)
    for step in (FixProgress.IN_PROGRESS, FixProgress.DONE)[
        : 2 if progress is FixProgress.DONE else 1
    ]:
        fixes.set_progress(fix, step, by=admin)
    fixes.publish(fix, by=admin, now=utcnow() - timedelta(days=days_ago))
    db.session.commit()
    return fix


def receipt_page(client, code: str):
    """The receipt page for a code, parsed."""
    token = csrf_token(client, "/status")
    return page(client.post("/status", data={"code": code, "csrf_token": token}))


def answer(client, code: str, resolved: str | None, note: str = ""):
    data = {"code": code, "note": note, "csrf_token": csrf_token(client, "/status")}
    if resolved:
        data["resolved"] = resolved
    return client.post("/status/answer", data=data)


def tell_late(client, campaign) -> str:
    post_moment(client, url=f"/c/{campaign.slug}/submit", body=LATE)
    return receipt_code(page(client.get("/thanks")))


# ---- a moment told after the fix shipped --------------------------------------------------------


def test_a_moment_told_after_a_fix_shipped_is_shown_the_fix_but_never_credited_for_it(
    client, sign_in, grouped_receipts
):
    campaign, moments, codes = grouped_receipts
    fix = shipped_fix(campaign, moments[:4])
    before = page(client.get(f"/improvements/{fix.slug}"))
    assert before.one("[data-fix-count] strong").text == "4명" and not before.by_test_id(
        "after-fix"
    )

    code = tell_late(client, campaign)
    late = db.session.scalar(db.select(Moment).where(Moment.body == LATE))
    assert late.cluster_id == moments[0].cluster_id  # it joined the fixed cluster on arrival
    thanks = page(client.get("/thanks"))
    [already] = thanks.by_test_id("already-fixed")
    assert already.one("h2").text == "이미 이렇게 바뀌었어요" and TITLE in already.texts("a")
    assert thanks.by_test_id("answer-form")

    after = page(client.get(f"/improvements/{fix.slug}"))
    # One arrival after the fix is below the public minimum group: only the desk shows it.
    assert after.one("[data-fix-count] strong").text == "4명" and not after.by_test_id("after-fix")
    receipt = receipt_page(client, code)
    assert receipt.one("h1").text != "보내주신 이야기로 고쳤어요" and receipt.by_test_id(
        "already-fixed"
    )
    fixed_stage = receipt.one("[data-stage=fixed]")
    assert "stage--done" not in fixed_stage.classes
    # The people who led to it are still told it was fixed because of them.
    assert receipt_page(client, codes[0]).one("h1").text == "보내주신 이야기로 고쳤어요"
    sign_in(client)
    desk = page(client.get(f"/admin/fixes/{fix.id}"))
    assert "고친 뒤에도 들어온 이야기 1개" in desk.one("[data-after-fix]").text


def test_still_inconvenient_is_one_anonymous_answer_per_receipt(client, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    fix = shipped_fix(campaign, moments[:4])
    code = tell_late(client, campaign)
    response = answer(
        client, code, "no", note="아직도 밤 12시에 010-1234-5678 번호로 문의했는데 안 돼요"
    )
    answered = page(response)
    assert (
        response.status_code == 200
        and "답해 주셔서 고마워요" in answered.one("[data-answered]").text
    )
    assert "아직 불편하다고 답해 주셨어요" in answered.one("[data-answer]").text
    stored = db.session.scalar(db.select(FixAnswer))
    assert (
        stored.fix_id == fix.id and stored.resolved is False and "010-1234-5678" not in stored.note
    )
    assert stored.answered_on == local_today()
    again = answer(client, code, "yes")
    assert (
        again.status_code == 409 and "이미 답해 주셨거나" in page(again).one("[data-refused]").text
    )
    assert db.session.scalar(db.select(db.func.count()).select_from(FixAnswer)) == 1


def test_an_answer_without_a_choice_keeps_the_note_and_says_what_is_missing(
    client, grouped_receipts
):
    campaign, moments, codes = grouped_receipts
    shipped_fix(campaign, moments[:4])
    response = answer(client, codes[0], None, note="이제 예약 이체가 잘 돼요")
    form = page(response).one("[data-answer-form]")
    assert response.status_code == 400
    assert "해결됐는지, 아직 불편한지 골라 주세요." in form.one("#resolved-error").text
    assert (
        form.by_label("더 알려주실 것이 있나요? (안 써도 돼요)").text == "이제 예약 이체가 잘 돼요"
    )
    assert db.session.scalar(db.select(FixAnswer)) is None
    assert answer(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "yes").status_code == 400


def test_nothing_is_asked_before_a_fix_is_done(client, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    shipped_fix(campaign, moments[:4], progress=FixProgress.IN_PROGRESS)
    receipt = receipt_page(client, codes[0])
    assert receipt.one("h1").text == "보내주신 이야기로 고치고 있어요" and not receipt.by_test_id(
        "answer-form"
    )
    assert answer(client, codes[0], "yes").status_code == 409


def test_the_fix_page_shows_confirmations_once_enough_people_answered(make_app):
    app = make_app(PUBLIC_MIN_GROUP=3)
    with app.app_context():
        client = app.test_client()
        campaign = make_campaign()
        pairs = [make_moment(campaign, body=MAINTENANCE[i % 4] + f" {i}번째") for i in range(5)]
        recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        fix = shipped_fix(campaign, [m for m, _ in pairs])
        for i, (_, code) in enumerate(pairs):
            answer(client, code, "yes" if i < 3 else "no")
            shown = bool(page(client.get(f"/improvements/{fix.slug}")).by_test_id("confirmed"))
            assert shown == (i >= 2), i
        confirmed = page(client.get(f"/improvements/{fix.slug}")).one("[data-confirmed]")
        assert (
            confirmed.one("strong").text == "5명 중 3명"
            and confirmed.text == "5명 중 3명이 해결됐다고 했어요."
        )


# ---- the desk: regressions and 듣고 있어요 -------------------------------------------------------


def test_a_cluster_growing_after_its_fix_is_flagged_on_the_desk_and_dashboard(make_app, sign_in):
    app = make_app(REGRESSION_MIN_MOMENTS=2)
    with app.app_context():
        client = app.test_client()
        campaign = make_campaign()
        moments = [make_moment(campaign, body=body)[0] for body in MAINTENANCE + LOST_CARD]
        recluster.run(campaign, thresholds=app.config["CLUSTER_THRESHOLDS"])
        db.session.commit()
        fix = shipped_fix(campaign, moments[:4])
        sign_in(client)
        listing = f"/admin/clusters?campaign={campaign.id}"
        assert not page(client.get(listing)).by_test_id("regression")
        for n in range(2):
            make_moment(campaign, body=f"{LATE} {n}", cluster_id=moments[0].cluster_id)
        [flag] = page(client.get(listing)).by_test_id("regression")
        assert flag.text == "다시 늘어요"
        assert page(client.get(f"/admin/clusters/{moments[0].cluster_id}")).by_test_id("regression")
        board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
        regressions = board.one("[data-regressions]")
        assert "다시 늘고 있어요" in regressions.parent.one(".takeaway").text
        assert fix.title in regressions.text


def test_listening_shows_chosen_open_clusters_without_moment_text(
    client, sign_in, grouped_receipts
):
    campaign, moments, _ = grouped_receipts
    maintenance = db.session.get(Cluster, moments[0].cluster_id)
    lost = db.session.get(Cluster, moments[4].cluster_id)
    sign_in(client)
    url = f"/admin/clusters/{maintenance.id}"
    client.post(f"{url}/status", data={"csrf_token": csrf_token(client, url), "status": "planned"})
    refused = client.post(
        f"{url}/public",
        data={"csrf_token": csrf_token(client, url), "title": "", "listed": "y"},
        follow_redirects=True,
    )
    assert "제목을 2~120자로" in page(refused).one(".flashes").text
    client.post(
        f"{url}/public",
        data={
            "csrf_token": csrf_token(client, url),
            "title": "점검 시간에 이체가 막혀요",
            "note": "예약 이체를 만들기로 했어요.",
            "listed": "y",
        },
    )
    url = f"/admin/clusters/{lost.id}"
    client.post(f"{url}/status", data={"csrf_token": csrf_token(client, url), "status": "on_hold"})
    no_reason = client.post(
        f"{url}/public",
        data={
            "csrf_token": csrf_token(client, url),
            "title": "분실 신고 메뉴를 찾기 어려워요",
            "listed": "y",
        },
        follow_redirects=True,
    )
    assert "왜 미뤘는지" in page(no_reason).one(".flashes").text
    client.post(
        f"{url}/public",
        data={
            "csrf_token": csrf_token(client, url),
            "title": "분실 신고 메뉴를 찾기 어려워요",
            "note": "앱 첫 화면을 새로 만들 때 함께 고치려고 미뤄 두었어요.",
            "listed": "y",
        },
    )

    listening = page(client.get("/listening"))
    cards = listening.by_test_id("listening")
    assert len(cards) == 2
    assert "점검 시간에 이체가 막혀요" in [card.one("h2").text for card in cards]
    assert any("미뤄 두었어요" in card.text for card in cards)
    # 4 and 3 moments: below the minimum group
    assert sum("10명 이상이 되면 숫자를 보여드려요" in card.text for card in cards) == 2
    assert all(body not in listening.text for body in MAINTENANCE + LOST_CARD)
    assert receipt_page(client, grouped_receipts[2][0]).by_test_id("listening-link")


# ---- defects found by walking the product --------------------------------------------------------


def test_the_fixes_csv_export_streams_to_the_end(client, sign_in, grouped_receipts):
    campaign, moments, _ = grouped_receipts
    fix = shipped_fix(campaign, moments[:4])
    sign_in(client, "viewer")
    body = client.get(f"/admin/export/fixes.csv?campaign={campaign.id}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [r["title"] for r in rows] == [fix.title] and rows[0]["clusters"] == str(
        moments[0].cluster_id
    )
    assert rows[0]["moments"] == "4" and rows[0]["published_at"].endswith("+09:00")


def test_the_api_root_lists_its_endpoints(client, app):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    endpoints = response.get_json()["endpoints"]
    assert set(endpoints) == {"campaigns", "fixes", "fix", "stats"}
    for name in ("campaigns", "fixes", "stats"):
        assert (
            client.get(endpoints[name].split("?")[0].replace("http://localhost", "")).status_code
            == 200
        )


def test_a_form_without_the_optional_selects_is_stored_with_none(client, campaign):
    data = {
        "body": "이체 버튼을 눌러도 아무 반응이 없었어요.",
        "csrf_token": csrf_token(client, "/submit"),
    }
    assert client.post("/submit", data=data).status_code == 303
    moment = db.session.scalar(db.select(Moment))
    assert moment.category is None and moment.channel is None


def test_only_stored_moments_count_against_the_submit_limit(make_app):
    app = make_app(
        RATELIMIT_ENABLED=True, SUBMIT_LIMIT="2 per minute", SUBMIT_POST_LIMIT="8 per minute"
    )
    with app.app_context():
        client = app.test_client()
        make_campaign()
        token = csrf_token(client)
        for _ in range(3):  # too short: three errors fixed by the person
            assert post_moment(client, token=token, body="짧아요").status_code == 200
        # A phone number asks for confirmation first: two POSTs, one moment.
        assert (
            post_moment(
                client, token=token, body="010-2345-6789로 인증 문자가 안 와요."
            ).status_code
            == 303
        )
        assert (
            post_moment(client, token=token, body="두 번째로 보내는 불편한 순간이에요.").status_code
            == 303
        )
        limited = post_moment(client, token=token, body="세 번째로 보내는 불편한 순간이에요.")
        kept = page(limited).one("textarea#body").text
        assert limited.status_code == 429 and kept == "세 번째로 보내는 불편한 순간이에요."
        assert db.session.scalar(db.select(db.func.count()).select_from(Moment)) == 2


def test_without_javascript_the_copy_button_stays_hidden(client, grouped_receipts):
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert re.search(r"\[hidden\]\s*\{\s*display:\s*none\s*!important", css)
    post_moment(client, body="해외 결제가 두 번 승인됐는데 취소 메뉴를 못 찾았어요.")
    copy = page(client.get("/thanks")).one("button[data-copy-target=receipt-code]")
    assert "hidden" in copy


# ---- one day, one figure -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "clock, day",
    [
        ("2026-11-29T00:30:00+09:00", "2026년 11월 29일"),
        ("2026-11-29T08:59:00+09:00", "2026년 11월 29일"),
        ("2026-11-28T23:59:00+09:00", "2026년 11월 28일"),
    ],
)
def test_a_moment_sent_after_midnight_in_korea_is_dated_that_day_everywhere(
    make_app, sign_in, clock, day
):
    app = make_app(FROZEN_CLOCK=clock)
    with app.app_context():
        client = app.test_client()
        campaign = make_campaign()
        post_moment(client, body="자정 넘어서 보낸 송금이 점검 때문에 막혔어요.")
        code = receipt_code(page(client.get("/thanks")))
        assert described(receipt_page(client, code).one("dl.facts"))["접수한 날"] == day
        sign_in(client, "admin")
        [row] = page(client.get("/admin/moments")).all("[data-moment-row]")
        assert row.one(".moment-row__meta > .small").text == day
        board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
        assert table_row(board.one("[data-chart=per-day]"), day) == ["1"]
        exported = client.get(f"/admin/export/moments.json?campaign={campaign.id}").get_json()
        y, m, d = re.findall(r"\d+", day)
        assert exported[0]["received_date"] == f"{y}-{int(m):02d}-{int(d):02d}"
        # The desk's clock is Korean too: the sign-in just now is logged at the frozen local time.
        audit = page(client.get("/admin/audit"))
        signed_in = [row.first("td").text for row in audit.all("tr[data-audit-row]")]
        assert any(clock[:16].replace("T", " ") in when for when in signed_in)


def test_days_to_fix_is_the_same_number_on_stats_the_api_and_the_dashboard(make_app, sign_in):
    app = make_app(MEDIAN_MIN_SAMPLE=2)
    with app.app_context():
        client = app.test_client()
        campaign = make_campaign()
        admin = make_moderator("admin")
        for i, days in enumerate((17, 18)):
            moment, _ = make_moment(
                campaign, body=f"{i}번째 불편한 순간이에요", received=utcnow() - timedelta(days=30)
            )
            fix = fixes.create_fix(
                campaign,
                fixes.FixFields(
                    title=f"{i}번째 개선",
                    shipped_on=local_today(utcnow() - timedelta(days=30)) + timedelta(days=days),
                ),
                by=admin,
            )
            fixes.link_moment(fix, moment, by=admin)
            fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
            fixes.set_progress(fix, FixProgress.DONE, by=admin)
            fixes.publish(fix, by=admin, now=utcnow())
        db.session.commit()
        assert page(client.get("/stats")).one("[data-stat=median]").text == "보통 17.5일"
        assert client.get("/api/v1/stats").get_json()["median_days_to_fix"] == 17.5
        sign_in(client, "viewer")
        board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
        assert described(board.one("[data-headline]"))[DAYS_TO_FIX] == "17.5일"


def test_a_median_over_too_few_cases_is_not_shown(client, sign_in, fixed):
    campaign, *_ = fixed  # one finished fix, two triaged moments; the default minimum is 3
    too_few = "아직 셀 만큼 모이지 않았어요"
    assert page(client.get("/stats")).one("[data-stat=median]").text == too_few
    assert client.get("/api/v1/stats").get_json()["median_days_to_fix"] is None
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}")).one("main")
    headline = described(board.one("[data-headline]"))
    assert headline[HOURS_TO_TRIAGE] == headline[DAYS_TO_FIX] == too_few
    assert board.text.count(too_few) == 2 and "0.0시간" not in board.text


def test_the_teams_page_and_the_dashboard_count_a_teams_moments_alike(client, sign_in, fixed):
    campaign, *_ = fixed
    sign_in(client, "admin")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    teams = page(client.get("/admin/teams")).one("main table")
    # 송금팀 owns one moment itself and two more through its cluster.
    assert table_row(board.one("[data-chart=teams]"), "송금팀")[0] == "3"
    assert table_row(teams, "송금팀")[0] == "3"
    assert teams.by_role("link", name="송금팀", exact=True)


def test_a_fix_count_is_the_same_on_its_page_the_desk_the_dashboard_the_export_and_the_api(
    client, sign_in, grouped_receipts
):
    campaign, moments, _ = grouped_receipts
    fix = shipped_fix(campaign, moments[:4])
    tell_late(client, campaign)  # after the fix: counted nowhere as having led to it
    api = client.get(f"/api/v1/fixes/{fix.slug}").get_json()["fix"]["moments"]
    told = page(client.get(f"/improvements/{fix.slug}")).one("[data-fix-count]")
    assert "이 알려준 불편" in told.text
    public = re.fullmatch(r"(\d+)명", told.one("strong").text).group(1)
    sign_in(client, "viewer")
    linked = page(client.get(f"/admin/fixes/{fix.id}")).one("[data-fix-state]").parent
    linked = linked.one("span.small")
    desk = re.match(r"이어진 이야기 (\d+)개", linked.text).group(1)
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    _, moments_n, after_n, _ = table_row(board.one("[data-chart=fixes]"), fix.title)
    exported = client.get(f"/admin/export/fixes.json?campaign={campaign.id}").get_json()[0]
    assert {api, int(public), int(desk), int(moments_n), exported["moments"]} == {4}
    assert int(after_n) == exported["after_fix"] == 1


def test_the_dashboard_shows_each_fixs_confirmation_rate(client, sign_in, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    shipped_fix(campaign, moments[:4])
    for code, said in zip(codes[:3], ("yes", "yes", "no"), strict=False):
        answer(client, code, said)
    sign_in(client, "viewer")
    board = page(client.get(f"/admin/dashboard?campaign={campaign.id}"))
    assert table_row(board.one("[data-chart=fixes]"), TITLE)[3] == "3개 중 2개 (66.7%)"


def test_each_campaign_has_its_own_listening_page_and_receipts_link_to_it(client, grouped_receipts):
    campaign, moments, codes = grouped_receipts
    cluster = db.session.get(Cluster, moments[0].cluster_id)
    cluster.status, cluster.public_title, cluster.listed = (
        ClusterStatus.PLANNED,
        "점검 시간에 이체가 막혀요",
        True,
    )
    db.session.commit()
    listening = page(client.get(f"/c/{campaign.slug}/listening"))
    assert listening.texts("[data-listening] > h2") == ["점검 시간에 이체가 막혀요"]
    link = receipt_page(client, codes[0]).one("[data-listening-link]")
    assert link["href"] == f"/c/{campaign.slug}/listening"
    assert client.get("/c/no-such-campaign/listening").status_code == 404


def test_a_fix_link_cut_to_its_number_still_finds_it(client, grouped_receipts):
    campaign, moments, _ = grouped_receipts
    fix = shipped_fix(campaign, moments[:4])
    response = client.get(f"/improvements/{fix.id}")
    assert response.status_code == 301 and unquote(response.headers["Location"]).endswith(
        f"/improvements/{fix.slug}"
    )
    assert client.get("/improvements/99999999999999999999").status_code == 404


def test_saving_a_listing_that_cannot_show_yet_says_why(client, sign_in, grouped_receipts):
    _, moments, _ = grouped_receipts
    sign_in(client)
    url = f"/admin/clusters/{moments[0].cluster_id}"
    response = client.post(
        f"{url}/public",
        data={
            "csrf_token": csrf_token(client, url),
            "title": "점검 시간에 이체가 막혀요",
            "listed": "y",
        },
        follow_redirects=True,
    )
    assert "지금 상태로는 '듣고 있어요'에 보이지 않아요" in page(response).one(".flashes").text
