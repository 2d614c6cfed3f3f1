"""Following a moment by its receipt code."""

from __future__ import annotations

from campaign.models import MomentStatus
from tests.factories import make_moment
from tests.web.helpers import csrf_token, post_moment, receipt_code


def look_up(client, code, token=None):
    return client.post("/status", data={"code": code, "csrf_token": token or csrf_token(client, "/status")})


def test_a_receipt_from_the_thanks_page_finds_the_moment(client, campaign):
    post_moment(client, body="해외 결제가 두 번 승인됐는데 취소 메뉴를 못 찾았어요.")
    code = receipt_code(client.get("/thanks").get_data(as_text=True))
    html = look_up(client, code).get_data(as_text=True)
    assert "보내주신 이야기가 여기까지 왔어요" in html
    assert "해외 결제가 두 번 승인됐는데 취소 메뉴를 못 찾았어요." in html
    assert 'aria-current="step"' in html and "접수했어요" in html


def test_a_code_is_read_in_any_case_without_hyphens_and_with_o_i_l_for_0_1(client, campaign):
    _, code = make_moment(campaign, code="K7QF-3M90-A2BD-8HJ1")
    for typed in ("k7qf3m90a2bd8hj1", "K7QF 3M9O A2BD 8HJI", "k7qf-3m9o-a2bd-8hjl", " K7QF-3M90-A2BD-8HJ1 "):
        assert "여기까지 왔어요" in look_up(client, typed).get_data(as_text=True), typed


def test_each_status_is_told_in_plain_words(client, campaign):
    for status, words in [(MomentStatus.IN_REVIEW, "살펴보고 있어요"), (MomentStatus.GROUPED, "비슷한 이야기와 함께 묶었어요"),
                          (MomentStatus.HIDDEN, "검토를 마쳤어요")]:
        _, code = make_moment(campaign, status=status, body=f"{words} 상태를 확인하는 이야기예요.")
        html = look_up(client, code).get_data(as_text=True)
        assert words in html
        if status is not MomentStatus.HIDDEN:
            assert f'aria-current="step">\n      {words}' in html


def test_an_empty_code_asks_for_one(client, campaign):
    html = look_up(client, "").get_data(as_text=True)
    assert html.count("접수번호를 입력해 주세요.") == 2 and "<title>오류: " in html


def test_a_malformed_code_says_what_a_code_looks_like_and_keeps_it(client, campaign):
    html = look_up(client, "1234").get_data(as_text=True)
    assert "접수번호는 영문과 숫자 16자리예요" in html and 'value="1234"' in html


def test_an_unknown_code_gets_a_kind_message(client, campaign):
    html = look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ").get_data(as_text=True)
    assert "이 접수번호로 찾은 이야기가 없어요" in html


def test_lookups_are_rate_limited_and_keep_the_typed_code(make_app):
    app = make_app(RATELIMIT_ENABLED=True, STATUS_LIMIT="2 per minute")
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client, "/status")
        for _ in range(2):
            assert look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ0", token).status_code == 200
        response = look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZ1", token)
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "조회를 여러 번 하셨어요" in html and "ZZZZ-ZZZZ-ZZZZ-ZZZ1" in html


def test_a_code_is_never_put_in_a_url(client, campaign):
    html = client.get("/status").get_data(as_text=True)
    assert '<form method="post"' in html
    assert client.get("/status?code=K7QF-3M90-A2BD-8HJ1").get_data(as_text=True).count("여기까지 왔어요") == 0


def test_thanks_without_a_submission_explains_how_to_look_up_instead(client, campaign):
    response = client.get("/thanks")
    assert response.status_code == 404
    assert "보여드릴 접수 내역이 없어요" in response.get_data(as_text=True)


def test_a_code_does_not_match_under_another_server_pepper(make_app, campaign):
    """A database dump alone can't confirm a code: the pepper lives outside it."""
    _, code = make_moment(campaign)
    other = make_app(RECEIPT_PEPPER="another-pepper")
    with other.app_context():
        client = other.test_client()
        assert "찾은 이야기가 없어요" in look_up(client, code).get_data(as_text=True)
