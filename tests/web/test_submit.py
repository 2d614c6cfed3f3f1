"""Telling a moment: the form, its errors (nothing typed is ever lost), and what gets stored."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Moment
from tests.dom import Element, page
from tests.factories import make_campaign, past
from tests.web.helpers import csrf_token, post_moment, receipt_code


def stored() -> list[Moment]:
    return list(db.session.scalars(select(Moment)))


def test_form_asks_the_campaign_question_with_one_body_textarea_and_no_maxlength(client, campaign):
    form = page(client.get("/submit"))
    question = "금융이 불편했던 순간, 언제였나요?"
    assert form.one("h1.question > label[for=body]").text == question
    assert form.by_label(question, exact=True)["name"] == "body"
    assert [t["name"] for t in form.all("textarea")] == ["body", "suggestion"]
    assert not form.has("[maxlength]")
    assert "전화번호, 계좌번호, 카드번호는 적지 말아 주세요" in form.one("#body-hint").text
    assert "송금·이체" in form.one("select[name=category]").texts("option")
    assert form.has("select[name=channel]")


def test_a_moment_is_stored_masked_and_answered_with_303_to_the_thanks_page(client, campaign):
    response = post_moment(
        client,
        body="카드 결제가 두 번 됐어요. 010-2481-7730로 연락 주세요.",
        category="카드",
        channel="앱",
        suggestion="중복 결제는 자동으로 취소해 주세요.",
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/thanks")
    [moment] = stored()
    assert moment.body == "카드 결제가 두 번 됐어요. [전화번호]로 연락 주세요."
    assert moment.category == "카드" and moment.channel == "앱"
    assert moment.masked == {"PHONE": 1}
    assert moment.received_hour.minute == moment.received_hour.second == 0


def test_thanks_page_shows_the_receipt_once_per_session_and_reloading_stores_nothing_new(
    client, campaign
):
    post_moment(client, body="대출 금리 인하를 요청하려면 지점에 가야 해서 불편했어요.")
    first = page(client.get("/thanks"))
    code = receipt_code(first)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert receipt_code(page(client.get("/thanks"))) == code
    assert len(stored()) == 1
    assert first.one("body")["data-draft-clear"] == f"moment:{campaign.slug}"


def test_thanks_page_says_what_was_masked_and_shows_the_masked_text(client, campaign):
    post_moment(
        client, body="주민번호 900101-1234567 를 잘못 적었고 메일은 kim.minsu@naver.com으로 주세요."
    )
    main = page(client.get("/thanks")).one("main")
    note = main.one(".masked-note")
    assert "주민등록번호 1개, 이메일 1개를 찾아서 저장하기 전에 가렸어요" in note.one("p").text
    [saved] = main.one("[aria-labelledby=saved-title]").texts("blockquote")
    assert "[주민등록번호]" in saved and "900101" not in main.text


def test_the_receipt_code_is_never_stored_in_plain_text(client, campaign):
    post_moment(client)
    code = receipt_code(page(client.get("/thanks")))
    [moment] = stored()
    assert code not in repr(moment.__dict__) and code.replace("-", "") not in repr(moment.__dict__)
    assert len(moment.receipt_hash) == 64


def test_empty_body_is_an_error_with_summary_inline_message_and_title_prefix(client, campaign):
    response = post_moment(client, body="   ", suggestion="이건 남아 있어야 해요")
    form = page(response)
    message = "어떤 순간이 불편했는지 적어 주세요."
    assert response.status_code == 200
    [link] = form.all("[data-error-summary] li a")  # summary and inline
    assert link.text == message and link["href"] == "#body"
    assert form.one("#body-error").text == f"오류: {message}"
    assert form.one("main").text.count(message) == 2
    assert form.one("title").text.startswith("오류: ")
    assert form.one("textarea#body")["aria-invalid"] == "true"
    assert form.by_label("이렇게 바뀌면 좋겠어요").text == "이건 남아 있어야 해요"
    assert stored() == []


def test_too_short_body_says_how_many_characters_are_needed(client, campaign):
    form = page(post_moment(client, body="불편해요"))
    assert "10자 이상 써 주셔야 해요. (지금 4자)" in form.one("#body-error").text
    assert form.one("textarea#body").raw_text() == "불편해요"


def test_over_long_body_is_kept_whole_and_the_person_is_told_by_how_much(client, campaign):
    body = "가" * 2_003
    form = page(post_moment(client, body=body))
    assert "2,000자까지 쓸 수 있어요. 3자를 줄여 주세요." in form.one("#body-error").text
    assert form.one("textarea#body").raw_text() == body
    assert stored() == []


def test_length_is_counted_in_nfc_code_points_so_decomposed_hangul_is_not_penalised(
    client, campaign
):
    body = unicodedata.normalize("NFD", "가" * 2_000)
    assert len(body) > 2_000
    assert post_moment(client, body=body).status_code == 303
    assert stored()[0].body == "가" * 2_000


def test_an_expired_csrf_token_keeps_every_field_and_asks_to_send_again(client, campaign):
    response = post_moment(
        client,
        token="expired",
        body="ATM 화면 글씨가 너무 작아요 정말로요",
        suggestion="큰 글씨 모드",
        category="기타",
    )
    form = page(response)
    message = "보안 확인 시간이 지났어요. 쓰신 내용은 그대로 있으니 한 번 더 보내 주세요."
    assert response.status_code == 200
    assert form.texts("[data-error-summary] li") == [message]
    body = form.one("textarea#body")
    assert body.closest(".field").one(".field-error").text == f"오류: {message}"
    assert body.text == "ATM 화면 글씨가 너무 작아요 정말로요"
    assert form.one("textarea#suggestion").text == "큰 글씨 모드"
    assert form.one("select[name=category] option[selected]")["value"] == "기타"
    assert stored() == []


def test_a_missing_csrf_token_is_refused_too(client, campaign):
    response = client.post("/submit", data={"body": "토큰 없이 보내는 이야기예요 정말로"})
    assert response.status_code == 200
    assert "보안 확인" in page(response).one("[data-error-summary]").text
    assert stored() == []


def test_an_unknown_category_is_refused_with_a_message(client, campaign):
    form = page(post_moment(client, category="없는 분야"))
    assert "목록에 있는 분야 중에서 골라 주세요." in form.one("#category-error").text
    assert stored() == []


def test_the_honeypot_stores_nothing_but_looks_like_success(client, campaign):
    response = post_moment(client, website="http://spam.example")
    assert response.status_code == 303
    assert stored() == []
    main = page(client.get("/thanks")).one("main")
    assert main.one("h1").text == "보내주셔서 고마워요"
    assert not main.has("#receipt-code, [data-copy-target=receipt-code]")


def test_the_same_text_sent_twice_is_stored_once_and_gets_the_same_receipt(client, campaign):
    token = csrf_token(client)
    post_moment(client, token=token, body="앱에서 이체하면 자꾸 튕겨요. 세 번째예요.")
    first = receipt_code(page(client.get("/thanks")))
    post_moment(client, token=token, body="앱에서 이체하면 자꾸 튕겨요. 세 번째예요.")
    thanks = page(client.get("/thanks"))
    assert receipt_code(thanks) == first
    assert "같은 이야기를 방금 받았어요" in thanks.one("main .notice").text
    assert len(stored()) == 1


def test_the_same_text_after_the_window_is_a_new_moment(make_app):
    app = make_app(DUPLICATE_WINDOW_SECONDS=0)
    with app.app_context():
        make_campaign()
        client = app.test_client()
        post_moment(client, body="앱에서 이체하면 자꾸 튕겨요. 세 번째예요.")
        post_moment(client, body="앱에서 이체하면 자꾸 튕겨요. 세 번째예요.")
        assert db.session.scalar(select(func.count()).select_from(Moment)) == 2


def test_over_the_rate_limit_the_form_comes_back_with_the_text_and_a_429(make_app):
    app = make_app(RATELIMIT_ENABLED=True, SUBMIT_LIMIT="2 per minute")
    with app.app_context():
        make_campaign()
        client = app.test_client()
        for i in range(2):
            assert (
                post_moment(
                    client, body=f"서로 다른 이야기 {i}번째예요. 정말 불편했어요."
                ).status_code
                == 303
            )
        response = post_moment(client, body="세 번째로 보내는 이야기예요, 잃어버리면 안 돼요.")
        form = page(response)
        assert response.status_code == 429
        error = form.one("#body-error").text
        assert "1분쯤 기다린 뒤 다시 보내 주세요. 쓰신 내용은 그대로 있어요." in error
        kept = form.one("textarea#body").text
        assert kept == "세 번째로 보내는 이야기예요, 잃어버리면 안 돼요."
        assert db.session.scalar(select(func.count()).select_from(Moment)) == 2


def test_each_campaign_takes_moments_at_its_own_submit_url(client, campaign):
    other = make_campaign(
        slug="cards-2026", question="카드가 불편했던 순간, 언제였나요?", categories=[], channels=[]
    )
    form = page(client.get("/c/cards-2026/submit"))
    assert form.one("h1.question").text == "카드가 불편했던 순간, 언제였나요?"
    assert not form.one("main").has("[name=category]")
    assert post_moment(client, url="/c/cards-2026/submit").status_code == 303
    assert stored()[0].campaign_id == other.id


def test_a_closed_campaign_accepts_nothing_and_gives_back_what_was_typed(client):
    make_campaign(slug="old", opens_on=past(60), closes_on=past(1))
    get = client.get("/c/old/submit")
    assert get.status_code == 200 and page(get).one("h1").text == "이야기 받기를 마쳤어요"
    response = client.post("/c/old/submit", data={"body": "마감된 줄 모르고 쓴 긴 이야기예요."})
    kept = page(response).by_label("쓰신 내용이에요. 필요하면 복사해 두세요.")
    assert response.status_code == 410
    assert kept.text == "마감된 줄 모르고 쓴 긴 이야기예요." and "readonly" in kept
    assert stored() == []


def test_a_campaign_that_has_not_opened_says_when_it_will(client):
    make_campaign(slug="soon", opens_on=past(-3), closes_on=past(-30))
    main = page(client.get("/c/soon/submit")).one("main")
    assert main.one("h1").text == "아직 시작하지 않았어요"
    assert (past(-3)).strftime("%-m월 %-d일") in main.first("p").text


def test_form_pages_are_not_cached_and_carry_security_headers(client, campaign):
    response = client.get("/submit")
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "frame-ancestors 'none'" in csp
        and "unsafe-inline" not in csp
    )
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_only_cookie_is_the_httponly_lax_session_the_form_needs(app, client, campaign):
    for url in ("/", "/privacy", "/c/nope/"):
        assert "Set-Cookie" not in client.get(url).headers, url
    for form_page in ("/submit", "/status"):
        cookies = app.test_client().get(form_page).headers.getlist("Set-Cookie")
        assert len(cookies) == 1 and cookies[0].startswith("session="), cookies
        assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
        assert "Expires" not in cookies[0]  # a browser-session cookie, gone when the browser closes


def test_personal_data_is_shown_masked_before_anything_is_stored(client, campaign):
    response = post_moment(
        client, confirm_pii=False, body="제 번호 010-2481-7730로 연락 주세요. 앱이 멈춰요."
    )
    form = page(response)
    check = form.one(".pii-check")
    assert response.status_code == 200
    assert form.one("title").text.startswith("확인해 주세요: ")
    assert check.one("h2").text == "개인정보로 보이는 내용이 있어요"
    assert "전화번호 1개를 찾았어요" in check.first("p").text
    assert check.texts("blockquote") == ["제 번호 [전화번호]로 연락 주세요. 앱이 멈춰요."]
    still_editable = form.one("textarea#body").raw_text()
    assert still_editable == "제 번호 010-2481-7730로 연락 주세요. 앱이 멈춰요."
    assert form.by_role("button", name="가려서 보내기", exact=True)
    assert stored() == []


def test_editing_the_text_after_the_check_removes_the_need_to_confirm(client, campaign):
    first = post_moment(
        client, confirm_pii=False, body="제 번호 010-2481-7730로 연락 주세요. 앱이 멈춰요."
    )
    ack = page(first).one("input[name=pii_ack]")["value"]
    response = post_moment(
        client, confirm_pii=False, pii_ack=ack, body="연락은 필요 없어요. 앱이 멈춰요."
    )
    assert response.status_code == 303
    assert stored()[0].body == "연락은 필요 없어요. 앱이 멈춰요."


def test_an_acknowledgement_for_other_text_does_not_skip_the_check(client, campaign):
    first = post_moment(
        client, confirm_pii=False, body="제 번호 010-2481-7730로 연락 주세요. 앱이 멈춰요."
    )
    ack = page(first).one("input[name=pii_ack]")["value"]
    response = post_moment(
        client, confirm_pii=False, pii_ack=ack, body="이번엔 카드 4518-9139-0996-0305 도 적었어요."
    )
    assert response.status_code == 200
    assert "카드번호 1개를 찾았어요" in page(response).one(".pii-check").first("p").text
    assert stored() == []


def _preview(client, body: str) -> tuple[str, Element]:
    preview = page(post_moment(client, confirm_pii=False, body=body))
    return preview.one("input[name=pii_ack]")["value"], preview


def test_an_address_or_a_name_masked_by_mistake_can_be_kept_on_the_preview(client, campaign):
    body = "서울 강남구 테헤란로 152 3층 지점이 문을 닫았어요. 상담원 김민수 님은 친절했어요."
    ack, preview = _preview(client, body)
    keep = preview.one("fieldset.pii-keep")
    assert "개인정보가 아닌데 가려졌다면 골라 주세요" in keep.one("legend").text
    address = keep.one("input[name=keep][value='body:0']").closest("label")
    assert address.one(".pii-keep__text").text == "테헤란로 152 3층" and "(주소)" in address.text
    name = keep.one("input[name=keep][value='body:1']").closest("label")
    assert name.one(".pii-keep__text").text == "김민수" and "(이름)" in name.text
    response = post_moment(client, confirm_pii=False, pii_ack=ack, keep="body:0", body=body)
    assert response.status_code == 303
    moment = stored()[0]
    assert (
        moment.body
        == "서울 강남구 테헤란로 152 3층 지점이 문을 닫았어요. 상담원 [이름] 님은 친절했어요."
    )
    assert moment.masked == {"NAME": 1}


def test_every_kind_of_span_can_be_kept_and_the_rest_stay_masked(client, campaign):
    body = "예금주 홍길동 으로 나와요. 제 번호는 010-2481-7730 이에요."
    ack, _ = _preview(client, body)
    client.post(
        "/submit",
        data={
            "body": body,
            "category": "",
            "channel": "",
            "suggestion": "",
            "website": "",
            "csrf_token": csrf_token(client, "/submit"),
            "pii_ack": ack,
            "keep": ["body:0"],
        },
    )
    assert stored()[0].body == "예금주 홍길동 으로 나와요. 제 번호는 [전화번호] 이에요."


def test_keeping_a_span_needs_the_preview_of_this_very_text(client, campaign):
    body = "제 번호 010-2481-7730로 연락 주세요. 앱이 멈춰요."
    response = post_moment(client, confirm_pii=False, keep="body:0", body=body)
    assert response.status_code == 200 and stored() == []  # no preview seen: asked first
    ack, _ = _preview(client, "다른 글이에요. 010-1111-2222 로 주세요.")
    response = post_moment(client, confirm_pii=False, pii_ack=ack, keep="body:0", body=body)
    assert response.status_code == 200 and stored() == []  # a preview of other text does not count
