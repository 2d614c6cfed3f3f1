"""Landing, campaign pages, the privacy promise and error pages."""

from __future__ import annotations

from campaign.extensions import db
from tests.dom import page
from tests.factories import make_campaign, make_moment, past


def test_landing_shows_the_question_the_live_count_and_the_way_to_follow_up(client, campaign):
    for _ in range(3):
        make_moment(campaign)
    landing = page(client.get("/"))
    assert landing.one("h1").text == "금융이 불편했던 순간, 언제였나요?"
    count = landing.one("strong.big-number")
    assert count.text == "3" and count.parent.text == "3개의 불편한 순간이 모였어요."
    assert landing.has("main a[href='/submit']") and landing.has("main a[href='/status']")
    assert "아직 공개된 개선 사례가 없어요" in landing.one("main .empty").text


def test_the_default_campaign_is_the_latest_opened_unless_configured(make_app):
    app = make_app()
    with app.app_context():
        make_campaign(slug="older", opens_on=past(30), question="예전 질문이에요?")
        make_campaign(slug="newer", opens_on=past(2), question="새 질문이에요?")
        make_campaign(slug="future", opens_on=past(-5), question="미래 질문이에요?")
        db.session.commit()  # the second app below reads them through its own session
        assert page(app.test_client().get("/")).one("h1").text == "새 질문이에요?"
    configured = make_app(DEFAULT_CAMPAIGN="older")
    with configured.app_context():
        assert page(configured.test_client().get("/")).one("h1").text == "예전 질문이에요?"


def test_every_campaign_has_its_own_page_linking_its_own_form(client, campaign):
    make_campaign(
        slug="insurance", title="보험이 불편한 순간", question="보험이 불편했던 순간은요?"
    )
    insurance = page(client.get("/c/insurance/"))
    assert insurance.one("h1").text == "보험이 불편했던 순간은요?"
    assert insurance.has("main a[href='/c/insurance/submit']")


def test_a_closed_campaign_page_says_so_kindly_and_shows_what_came_of_it(client):
    closed = make_campaign(slug="done", opens_on=past(90), closes_on=past(10))
    make_moment(closed)
    done = page(client.get("/c/done/"))
    assert "마감했어요. 함께해 주셔서 고마워요." in done.one("main .notice").text
    assert not done.by_role("link", name="불편했던 순간 알려주기")
    assert "불편했던 순간 알려주기" not in done.text
    assert done.one("strong.big-number").text == "1"


def test_an_unknown_campaign_is_a_korean_404(client, campaign):
    response = client.get("/c/no-such-campaign/")
    assert (
        response.status_code == 404 and page(response).one("h1").text == "페이지를 찾을 수 없어요"
    )


def test_no_campaign_at_all_is_a_404_not_a_crash(client):
    assert client.get("/").status_code == 404


def test_wrong_method_is_a_korean_405(client, campaign):
    response = client.post("/")
    assert (
        response.status_code == 405
        and page(response).one("h1").text == "이 방법으로는 열 수 없어요"
    )


def test_privacy_promise_page_explains_what_is_never_kept(client):
    promise = page(client.get("/privacy")).one("main")
    assert "접속 주소(IP), 브라우저 정보" in promise.text and "한 시간 단위까지만" in promise.text


def test_privacy_promise_says_addresses_keep_only_the_province_and_district_in_both_languages(
    client,
):
    promise = page(client.get("/privacy")).one("main")
    korean = " ".join(p.text for p in promise.all("p") if "lang" not in p)
    english = " ".join(promise.texts("p[lang=en]"))
    assert "주소는 시·도와 시·군·구까지만 남기고 나머지는 가려요" in korean
    assert (
        "we keep only the province or city (시·도) and the district (시·군·구) and hide the rest"
        in english
    )
    assert (
        "잘못 가려진 게 있으면" in korean and "you can keep anything we hid by mistake" in english
    )
    assert "우편번호(다섯 자리)도" in korean and "The postcode names an area" in english


def test_privacy_promise_says_shared_mailboxes_and_example_numbers_stay_in_both_languages(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert (
        "회사나 기관이 함께 쓰는 메일 주소" in html and "예시로 적힌 번호(010-0000-0000)는" in html
    )
    assert "A mailbox that a company or an office shares" in html
    assert "so we leave them as they are" in html


def test_an_unexpected_error_is_a_friendly_500(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    with app.app_context():
        response = app.test_client().get("/boom")
        assert response.status_code == 500
        assert "저희 쪽에 일시적인 문제가 생겼어요" in page(response).first("main p").text
        db.session.rollback()


def test_static_assets_are_fingerprinted_and_self_hosted(client, campaign):
    head = page(client.get("/")).one("head")
    assert head.one("link[rel=stylesheet]")["href"].startswith("/static/css/site.css?v=")
    assert head.one("script[src]")["src"].startswith("/static/js/site.js?v=")
