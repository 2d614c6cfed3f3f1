"""Following a moment by its receipt code."""

from __future__ import annotations

from campaign.extensions import db
from campaign.models import Cluster, ClusterStatus, HiddenReason, MomentStatus
from tests.dom import Element, page
from tests.factories import make_moment
from tests.web.helpers import csrf_token, post_moment, receipt_code


def look_up(client, code, token=None):
    return client.post(
        "/status", data={"code": code, "csrf_token": token or csrf_token(client, "/status")}
    )


def test_a_receipt_from_the_thanks_page_finds_the_moment(client, campaign):
    post_moment(client, body="해외 결제가 두 번 승인됐는데 취소 메뉴를 못 찾았어요.")
    code = receipt_code(page(client.get("/thanks")))
    receipt = page(look_up(client, code))
    assert receipt.one("h1").text == "보내주신 이야기가 여기까지 왔어요"
    story = receipt.one(".status-card blockquote.moment-text").text
    assert story == "해외 결제가 두 번 승인됐는데 취소 메뉴를 못 찾았어요."
    assert "접수했어요" in receipt.one("li.stage[aria-current=step]").text


def test_a_code_is_read_in_any_case_without_hyphens_and_with_o_i_l_for_0_1(client, campaign):
    _, code = make_moment(campaign, code="K7QF-3M90-A2BD-8HJ1")
    for typed in (
        "k7qf3m90a2bd8hj1",
        "K7QF 3M9O A2BD 8HJI",
        "k7qf-3m9o-a2bd-8hjl",
        " K7QF-3M90-A2BD-8HJ1 ",
    ):
        assert "여기까지 왔어요" in page(look_up(client, typed)).one("h1").text, typed


def stages(receipt: Element) -> tuple[list[str], str | None]:
    """The stages ticked on a receipt page, and the one marked as now."""
    done = [li["data-stage"] for li in receipt.all("ol.stages > li.stage--done")]
    now = receipt.all("ol.stages > li[aria-current=step]")
    assert len(now) <= 1, now
    return done, now[0]["data-stage"] if now else None


def test_each_ticked_stage_is_a_fact_about_the_moment(client, campaign):
    cluster = Cluster(campaign_id=campaign.id)
    db.session.add(cluster)
    db.session.commit()
    cases = [  # status, in a cluster, what is ticked, words of the stage marked as now
        (MomentStatus.RECEIVED, False, ["received"], "접수했어요"),
        # An unconfirmed cluster says 비슷해 보이는 (the stage's words since 1b1fa83; the old
        # words passed only because the moment's own body, on the page too, repeats them).
        (
            MomentStatus.RECEIVED,
            True,
            ["received", "clustered"],
            "비슷해 보이는 이야기와 함께 모였어요",
        ),
        (MomentStatus.IN_REVIEW, False, ["received", "reviewed"], "담당자가 살펴보고 있어요"),
        (MomentStatus.GROUPED, True, ["received", "clustered", "reviewed"], "담당자가 살펴봤어요"),
    ]
    for status, clustered, ticked, words in cases:
        _, code = make_moment(
            campaign,
            status=status,
            cluster_id=cluster.id if clustered else None,
            body=f"{words} 단계를 확인하는 이야기예요.",
        )
        receipt = page(look_up(client, code))
        assert stages(receipt) == (ticked, ticked[-1]), (status, clustered)
        assert words in receipt.one("li.stage[aria-current=step]").text


def test_a_cluster_decision_reaches_the_receipt_with_its_public_reason(client, campaign):
    cluster = Cluster(
        campaign_id=campaign.id,
        status=ClusterStatus.ON_HOLD,
        public_note="법이 바뀌어야 고칠 수 있어서 기다리고 있어요.",
    )
    db.session.add(cluster)
    db.session.commit()
    _, code = make_moment(campaign, cluster_id=cluster.id)
    receipt = page(look_up(client, code))
    # Nobody has looked at this moment itself, so 담당자가 살펴보고 있어요 stays unticked.
    assert stages(receipt) == (["received", "clustered", "on_hold"], "on_hold")
    note = receipt.one("[data-hold-note] p").text
    assert note == "법이 바뀌어야 고칠 수 있어서 기다리고 있어요."
    cluster.status = ClusterStatus.IN_PROGRESS
    db.session.commit()
    assert stages(page(look_up(client, code)))[0][-2:] == [
        "planned",
        "in_progress",
    ]


def test_a_hidden_moment_says_why_kindly(client, campaign):
    _, code = make_moment(
        campaign, status=MomentStatus.HIDDEN, hidden_reason=HiddenReason.PERSONAL_DATA
    )
    main = page(look_up(client, code)).one("main")
    assert main.one("h1").text == "검토를 마쳤어요"
    said = main.one("[data-hidden]").parent.texts("p")
    assert any("개인정보가 많이 담겨 있어서 안전하게 숨겼어요" in p for p in said)
    assert not main.by_test_id("stage")


def test_an_empty_code_asks_for_one(client, campaign):
    form = page(look_up(client, ""))
    message = "접수번호를 입력해 주세요."
    assert form.texts("[data-error-summary] li") == [message]
    assert form.one("#code-error").text == f"오류: {message}"
    assert form.one("main").text.count(message) == 2
    assert form.one("title").text.startswith("오류: ")


def test_a_malformed_code_says_what_a_code_looks_like_and_keeps_it(client, campaign):
    form = page(look_up(client, "1234"))
    assert "접수번호는 영문과 숫자 16자리예요" in form.one("#code-error").text
    assert form.by_label("접수번호", exact=True)["value"] == "1234"


def test_an_unknown_code_gets_a_kind_message(client, campaign):
    form = page(look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"))
    assert "이 접수번호로 찾은 이야기가 없어요" in form.one("#code-error").text


def test_lookups_are_rate_limited_and_keep_the_typed_code(make_app):
    app = make_app(RATELIMIT_ENABLED=True, STATUS_LIMIT="2 per minute")
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client, "/status")
        for _ in range(2):
            assert look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ0", token).status_code == 200
        response = look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ1", token)
        assert response.status_code == 429
        form = page(response)
        assert "조회를 여러 번 하셨어요" in form.one("#code-error").text
        assert form.by_label("접수번호", exact=True)["value"] == "ZZZZ-ZZZZ-ZZZZ-ZZZ1"


def test_a_code_is_never_put_in_a_url(client, campaign):
    assert page(client.get("/status")).one("main form")["method"] == "post"
    main = page(client.get("/status?code=K7QF-3M90-A2BD-8HJ1")).one("main")
    assert "여기까지 왔어요" not in main.text


def test_thanks_without_a_submission_explains_how_to_look_up_instead(client, campaign):
    response = client.get("/thanks")
    assert response.status_code == 404
    assert page(response).one("h1").text == "보여드릴 접수 내역이 없어요"


def test_a_code_does_not_match_under_another_server_pepper(make_app, campaign):
    """A database dump alone can't confirm a code: the pepper lives outside it."""
    _, code = make_moment(campaign)
    other = make_app(RECEIPT_PEPPER="another-pepper")
    with other.app_context():
        client = other.test_client()
        assert "찾은 이야기가 없어요" in page(look_up(client, code)).one("#code-error").text
