"""소식 받기 and 접수번호 저장하기 over HTTP: making a follow link on the thanks page or a receipt,
its page and Atom feed, stopping it, the receipt code as a file, and every error path."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from campaign.clustering import decisions
from campaign.extensions import db, limiter
from campaign.forms import CSRF_EXPIRED
from campaign.models import Cluster, ClusterStatus, Moment
from tests.dom import page
from tests.factories import make_moderator
from tests.samples import cluster_of
from tests.web.helpers import csrf_token, post_moment, receipt_code

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


def subscribe(client) -> str:
    """Press 소식 받기 링크 만들기 on the thanks page; the path of the follow page it shows."""
    response = client.post("/thanks/follow", data={"csrf_token": csrf_token(client, "/thanks")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/thanks#follow")
    link = page(client.get("/thanks")).one("[data-follow-page]")
    return urlsplit(link["href"]).path


def feed_entries(client, path: str) -> list[tuple[str, str, str]]:
    """(title, updated, alternate link) of each entry of the feed, read as Atom XML."""
    response = client.get(path + ".xml")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    return [
        (
            e.find(f"{ATOM}title").text,
            e.find(f"{ATOM}updated").text,
            e.find(f"{ATOM}link[@rel='alternate']").get("href"),
        )
        for e in feed.findall(f"{ATOM}entry")
    ]


def look_up(client, code: str):
    return client.post("/status", data={"code": code, "csrf_token": csrf_token(client, "/status")})


@pytest.fixture
def told(client, grouped_receipts):
    """A moment told through the form that joins the maintenance cluster; the client's session
    holds its thanks page."""
    post_moment(client, body="밤에 은행 점검 시간이라 이체가 안 돼서 답답해요")
    return page(client.get("/thanks"))


def test_the_thanks_page_offers_to_follow_and_to_save_the_code(client, told):
    follow = told.one("[data-follow]")
    assert follow.one("h2").text == "소식 받기"
    assert follow.by_role("button", name="소식 받기 링크 만들기")
    saving = told.one("[data-save-receipt]")
    hrefs = [a["href"] for a in saving.all("a[download]")]
    assert hrefs == ["/thanks/receipt.txt", "/thanks/receipt.svg"]


def test_following_shows_the_link_its_qr_code_and_feed_on_the_thanks_page(client, told):
    path = subscribe(client)
    thanks = page(client.get("/thanks"))
    assert path.startswith("/follow/") and len(path) == len("/follow/") + 32
    qr = thanks.one("[data-follow-qr]")
    assert qr.one("svg title").text == "소식 받기 링크 QR 코드"
    assert "QR 코드를 찍으면" in qr.one("figcaption").text
    assert urlsplit(thanks.one("[data-follow-feed]")["href"]).path == path + ".xml"
    assert not thanks.has("[data-follow] button")  # made once; the page shows it again


def test_the_follow_page_and_feed_are_private_unindexed_and_show_the_timeline(client, told):
    path = subscribe(client)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    shown = page(response)
    assert [li["data-entry"] for li in shown.all("[data-timeline] li")] == [
        "received",
        "clustered-machine",
    ]
    # The moment's own text is never on the link's page.
    assert "답답해요" not in response.get_data(as_text=True)
    feed = client.get(path + ".xml")
    assert feed.headers["Cache-Control"] == "private, no-store"
    assert "noindex" in feed.headers["X-Robots-Tag"]
    titles = [title for title, _, _ in feed_entries(client, path)]
    assert titles == ["비슷해 보이는 이야기와 함께 모였어요", "접수했어요"]


def test_a_stage_change_at_the_desk_appears_in_the_feed_dated_by_day(client, told):
    path = subscribe(client)
    moment = db.session.scalars(sa.select(Moment).order_by(Moment.received_hour.desc())).first()
    cluster = db.session.get(Cluster, cluster_of(moment))
    decisions.set_status(cluster, ClusterStatus.PLANNED, by=make_moderator())
    db.session.commit()
    entries = feed_entries(client, path)
    title, updated, _ = entries[0]
    assert title == "고치기로 했어요"
    assert updated.endswith("T00:00:00+09:00")  # a day, never a time
    assert len(entries) == 3


def test_a_link_that_is_not_one_answers_a_kind_404(client, told):
    for path in (
        "/follow/nothing",
        "/follow/nothing.xml",
        "/follow/" + "A" * 32,
        "/follow/" + "A" * 32 + ".xml",
        "/follow/" + "A" * 31 + "%00",
        "/follow/%00.xml",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "noindex" in response.headers.get("X-Robots-Tag", "noindex"), path
    gone = page(client.get("/follow/" + "A" * 32))
    assert gone.one("h1").text == "이 링크로는 소식을 볼 수 없어요"


def test_an_expired_security_check_keeps_the_thanks_page_and_makes_no_link(client, told):
    response = client.post("/thanks/follow", data={"csrf_token": "expired"})
    assert response.status_code == 400
    shown = page(response)
    assert shown.one("[data-follow-error]").text.endswith(str(CSRF_EXPIRED))
    assert shown.one("#receipt-code").text  # the receipt is still there
    count = db.session.scalar(sa.text("SELECT count(*) FROM follow"))
    assert count == 0


def test_following_without_a_thanks_page_finds_nothing(client, campaign):
    response = client.post("/thanks/follow", data={"csrf_token": csrf_token(client, "/status")})
    assert response.status_code == 404
    assert client.get("/thanks/receipt.txt").status_code == 404


def test_the_code_saves_as_a_utf8_text_file_that_says_how_to_use_it(client, told):
    code = receipt_code(told)
    response = client.get("/thanks/receipt.txt")
    assert response.status_code == 200
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    text = response.data.decode("utf-8")
    assert f"접수번호: {code}" in text
    assert "캠페인: 금융이 불편한 순간" in text
    assert "확인하는 곳: http://localhost/status" in text
    assert "알려주신 날: 20" in text and "일" in text
    assert "접수번호를 입력하면" in text


def test_the_code_saves_as_an_svg_image_with_the_text_as_text(client, told):
    code = receipt_code(told)
    response = client.get("/thanks/receipt.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    image = ET.fromstring(response.data)
    texts = [t.text for t in image.iter(f"{SVG}text")]
    assert code in texts
    assert "불편한 순간 접수번호" in texts
    fonts = image.find(f"{SVG}g").get("font-family")
    assert "Noto Sans KR" in fonts and fonts.endswith("sans-serif")
    assert image.find(f"{SVG}title").text.endswith(code)


def test_a_receipt_can_follow_save_and_stop_following(client, told):
    code = receipt_code(told)
    receipt = page(look_up(client, code))
    follow = receipt.one("[data-follow]")
    assert not follow.has("[data-following]")
    made = client.post(
        "/status/follow", data={"code": code, "csrf_token": csrf_token(client, "/status")}
    )
    assert made.status_code == 200
    link = urlsplit(page(made).one("[data-follow-page]")["href"]).path
    assert client.get(link).status_code == 200
    again = page(look_up(client, code))
    assert again.one("[data-following]").text == "이 이야기의 소식 받기 링크가 1개 있어요."

    saved = client.post(
        "/status/receipt",
        data={"code": code.lower(), "kind": "txt", "csrf_token": csrf_token(client, "/status")},
    )
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    assert f"접수번호: {code}" in saved.data.decode("utf-8")

    stopped = client.post(
        "/status/unfollow", data={"code": code, "csrf_token": csrf_token(client, "/status")}
    )
    assert "소식 받기를 그만했어요" in page(stopped).one("[data-follow-notice]").text
    assert client.get(link).status_code == 404
    assert client.get(link + ".xml").status_code == 404


def test_the_receipt_page_buttons_refuse_a_wrong_code_or_an_expired_check_kindly(client, told):
    code = receipt_code(told)
    for url in ("/status/follow", "/status/unfollow", "/status/receipt"):
        wrong = client.post(
            url,
            data={"code": "0000-0000-0000-0000", "kind": "txt", "csrf_token": csrf_token(client)},
        )
        assert wrong.status_code == 400, url
        assert "찾은 이야기가 없어요" in page(wrong).one(".field-error").text
        expired = client.post(url, data={"code": code, "kind": "txt", "csrf_token": "old"})
        assert expired.status_code == 400, url
        assert page(expired).one("[data-refused]").text == CSRF_EXPIRED
    bad_kind = client.post(
        "/status/receipt",
        data={"code": code, "kind": "exe", "csrf_token": csrf_token(client, "/status")},
    )
    assert bad_kind.status_code == 400
    assert db.session.scalar(sa.text("SELECT count(*) FROM follow")) == 0


def test_the_code_is_never_taken_from_a_url(client, told):
    code = receipt_code(told)
    assert client.get(f"/status/receipt?code={code}&kind=txt").status_code == 405
    assert client.get(f"/status/follow?code={code}").status_code == 405


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("", "werkzeug", "flask_limiter", "campaign"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    yield caplog
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


def test_nothing_of_the_token_is_logged_audited_or_stored(client, told, all_logs):
    audited = db.session.scalar(sa.text("SELECT count(*) FROM audit_event"))
    path = subscribe(client)
    token = path.rsplit("/", 1)[1]
    client.get(path)
    client.get(path + ".xml")
    logged = "\n".join(r.getMessage() + str(r.args) for r in all_logs.records)
    assert token not in logged
    all_logs.set_level(logging.WARNING)
    dump = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            dump.extend(str(v) for row in conn.execute(sa.select(table)) for v in row)
    assert token not in "\n".join(dump)
    # An anonymous public action, like "해결됐나요?": not in the desk's trail.
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_event")) == audited


def test_making_and_reading_follow_links_are_rate_limited(make_app):
    from tests.factories import make_campaign, make_moment

    app = make_app(
        RATELIMIT_ENABLED=True, FOLLOW_LIMIT="2 per minute", FOLLOW_READ_LIMIT="3 per minute"
    )
    with app.app_context():
        campaign = make_campaign()
        _, code = make_moment(campaign)
        db.session.commit()
        client = app.test_client()
        token = csrf_token(client, "/status")
        made = [
            client.post("/status/follow", data={"code": code, "csrf_token": token})
            for _ in range(3)
        ]
        assert [r.status_code for r in made] == [200, 200, 429]
        link = urlsplit(page(made[0]).one("[data-follow-page]")["href"]).path
        reads = [client.get(link).status_code, client.get(link + ".xml").status_code]
        reads += [client.get(link).status_code, client.get(link + ".xml").status_code]
        assert reads == [200, 200, 200, 429]


def test_a_fix_older_than_the_moment_is_dated_truthfully_on_the_page_and_feed(make_app):
    """With the clock stopped on 12-10 in Seoul: a fix published and shipped on 12-01, a moment
    told today and linked to it by hand. Nothing says the fix was published on 12-10."""
    from datetime import date, datetime

    from campaign import fixes, follows
    from campaign.models import FixProgress, utcnow
    from tests.factories import make_campaign, make_moment

    app = make_app(FROZEN_CLOCK="2026-12-10T12:00:00+09:00")
    with app.app_context():
        campaign = make_campaign()
        admin = make_moderator("admin")
        fix = fixes.create_fix(campaign, fixes.FixFields(title="예약 이체가 생겼어요"), by=admin)
        fixes.link_moment(
            fix, make_moment(campaign, received=datetime(2026, 11, 25, 3))[0], by=admin
        )
        fixes.publish(fix, by=admin, now=datetime(2026, 12, 1, 3))
        fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=admin)
        fixes.set_progress(fix, FixProgress.DONE, by=admin, today=date(2026, 12, 1))
        moment, _ = make_moment(campaign, received=utcnow())
        fixes.link_moment(fix, moment, by=admin)
        token = follows.start(moment)
        db.session.commit()
        client = app.test_client()
        shown = page(client.get(f"/follow/{token}"))
        assert not shown.all(f"[data-entry='fix-{fix.id}']")
        before = shown.one(f"[data-entry='fix-{fix.id}-before']")
        assert before.one("time")["datetime"] == "2026-12-10"
        assert "이미 이렇게 바뀌었어요: 예약 이체가 생겼어요" in before.text
        said = before.one("[data-entry-published]").text
        assert said == "2026년 12월 1일에 공개한 개선 사례예요."
        fixed = shown.one("[data-entry='fixed']")
        assert "고친 날: 2026년 12월 1일" in fixed.text
        entries = feed_entries(client, f"/follow/{token}")
        titles = [title for title, _, _ in entries]
        assert not any(t.startswith("개선 사례를 공개했어요") for t in titles)
        assert all(updated >= "2026-12-10" for _, updated, _ in entries)
        english = page(client.get(f"/follow/{token}", headers={"Accept-Language": "en"}))
        said = english.one(f"[data-entry='fix-{fix.id}-before'] [data-entry-published]").text
        assert said == "A fix we published on 1 Dec 2026."


def test_over_the_limit_the_receipt_buttons_keep_the_page_and_the_typed_code(make_app):
    from tests.factories import make_campaign, make_moment

    app = make_app(RATELIMIT_ENABLED=True, STATUS_LIMIT="1 per minute")
    with app.app_context():
        campaign = make_campaign()
        _, code = make_moment(campaign)
        db.session.commit()
        for url in ("/status/follow", "/status/unfollow", "/status/receipt"):
            client = app.test_client()
            data = {
                "code": code.lower(),
                "kind": "txt",
                "csrf_token": csrf_token(client, "/status"),
            }
            assert client.post(url, data=data).status_code == 200, url
            limited = client.post(url, data=data)
            assert limited.status_code == 429, url
            shown = page(limited)
            assert "1분쯤 기다린 뒤 다시 눌러 주세요" in shown.one("#code-error").text, url
            assert shown.by_label("접수번호", exact=True)["value"] == code.lower(), url
            limiter.reset()


def test_over_the_limit_the_thanks_page_stays_with_its_code(make_app):
    app = make_app(RATELIMIT_ENABLED=True, FOLLOW_LIMIT="1 per minute")
    with app.app_context():
        from tests.factories import make_campaign

        make_campaign()
        db.session.commit()
        client = app.test_client()
        post_moment(client)
        code = receipt_code(page(client.get("/thanks")))
        token = csrf_token(client, "/thanks")
        # The budget for making links is shared with the receipt page, where it went.
        made = client.post("/status/follow", data={"code": code, "csrf_token": token})
        assert made.status_code == 200
        limited = client.post("/thanks/follow", data={"csrf_token": token})
        assert limited.status_code == 429
        shown = page(limited)
        assert receipt_code(shown) == code
        assert "1분쯤 기다린 뒤 다시 눌러 주세요" in shown.one("[data-follow-error]").text
