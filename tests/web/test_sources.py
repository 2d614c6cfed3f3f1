"""Sources at the desk (/admin/campaigns/<id>/sources, posters) and their public links
(/c/<slug>/s/<code>): every route, its refusals and its error paths."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from sqlalchemy import select

from campaign import qr, sources
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.models import AuditEvent, Moment, Source, utcnow
from tests.dom import page
from tests.factories import make_campaign, make_moment
from tests.web.helpers import csrf_token, post_moment

SVG = "{http://www.w3.org/2000/svg}"


def _url(campaign, tail: str = "") -> str:
    return f"/admin/campaigns/{campaign.id}/sources{tail}"


def _add(client, campaign, **fields):
    data = {"name": "", "code": "", "description": "", **fields}
    data.setdefault("csrf_token", csrf_token(client, _url(campaign)))
    return client.post(_url(campaign), data=data)


def _source(campaign, **fields) -> Source:
    made = sources.add_source(campaign, by=None, now=utcnow(), **fields)
    db.session.commit()
    return made


def test_an_admin_adds_a_source_and_sees_its_link_and_poster(client, campaign, sign_in):
    sign_in(client, "admin")
    response = _add(client, campaign, name="강남역 지점 QR", code="gangnam", description="1층")
    assert response.status_code == 303
    listed = page(client.get(response.headers["Location"]))
    row = listed.one('[data-source="gangnam"]')
    assert "강남역 지점 QR" in row.text and "1층" in row.text
    assert row.one("[data-source-link]").text.endswith(f"/c/{campaign.slug}/s/gangnam")
    assert row.by_role("link", name="인쇄용 포스터: 강남역 지점 QR")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.SOURCE_ADD))
    assert event.data == {"code": "gangnam", "name": "강남역 지점 QR"}


def test_an_empty_code_gets_a_random_one(client, campaign, sign_in):
    sign_in(client, "admin")
    assert _add(client, campaign, name="ATM 화면").status_code == 303
    made = db.session.scalar(select(Source))
    assert len(made.code) == sources.RANDOM_LENGTH


def test_bad_input_is_said_beside_its_field_and_keeps_what_was_typed(client, campaign, sign_in):
    sign_in(client, "admin")
    response = _add(client, campaign, name="지점 QR", code="지점!", description="입구 옆")
    assert response.status_code == 200
    form = page(response).one("[data-source-form]")
    code = form.by_label("링크 코드 (선택)")
    assert code["value"] == "지점!" and code["aria-invalid"] == "true"
    assert "영문 소문자" in form.one("#code-error").text
    assert form.by_label("이름")["value"] == "지점 QR"
    assert form.by_label("설명 (선택)")["value"] == "입구 옆"
    empty = page(_add(client, campaign, name="   ", code="ok"))
    assert "출처 이름을 적어 주세요" in empty.one("#name-error").text
    assert db.session.scalar(select(Source)) is None


def test_a_taken_code_or_name_is_refused(client, campaign, sign_in):
    sign_in(client, "admin")
    _source(campaign, name="지점 QR", code="branch")
    taken = page(_add(client, campaign, name="다른 지점", code="branch"))
    assert "이미 쓰고 있어요" in taken.one("#code-error").text
    again = page(_add(client, campaign, name="지점 QR", code="other"))
    assert "이미 있어요" in again.one("#name-error").text


def test_nul_bytes_in_the_form_are_dropped_not_stored(client, campaign, sign_in):
    sign_in(client, "admin")
    assert _add(client, campaign, name="지점\x00 QR", code="br\x00anch").status_code == 303
    made = db.session.scalar(select(Source))
    assert (made.name, made.code) == ("지점 QR", "branch")


def test_an_expired_token_keeps_what_was_typed(client, campaign, sign_in):
    sign_in(client, "admin")
    response = _add(client, campaign, name="지점 QR", csrf_token="stale")
    assert response.status_code == 200
    assert page(response).by_label("이름")["value"] == "지점 QR"
    assert db.session.scalar(select(Source)) is None


def test_only_admins_change_sources_and_everyone_at_the_desk_reads_them(client, campaign, sign_in):
    source = _source(campaign, name="지점 QR", code="branch")
    sign_in(client, "moderator")
    listed = page(client.get(_url(campaign)))
    assert listed.has('[data-source="branch"]') and not listed.has("[data-source-form]")
    token = csrf_token(client, _url(campaign))
    for tail, data in (
        ("", {"name": "새 출처"}),
        (f"/{source.id}/rename", {"name": "바뀐 이름"}),
        (f"/{source.id}/retire", {}),
    ):
        assert client.post(
            _url(campaign, tail), data={**data, "csrf_token": token}
        ).status_code == (403)
    db.session.refresh(source)
    assert (source.name, source.retired_at) == ("지점 QR", None)
    assert client.get(_url(campaign, f"/{source.id}/poster")).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, campaign):
    source = _source(campaign, name="지점 QR", code="branch")
    for tail in ("", f"/{source.id}/poster", f"/{source.id}/poster.svg"):
        response = client.get(_url(campaign, tail))
        assert response.status_code in (302, 303) and "/admin/login" in response.headers["Location"]


def test_rename_and_retire_are_audited_and_said(client, campaign, sign_in):
    source = _source(campaign, name="지점 QR", code="branch")
    sign_in(client, "admin")
    token = csrf_token(client, _url(campaign))
    renamed = client.post(
        _url(campaign, f"/{source.id}/rename"), data={"name": "강남 지점 QR", "csrf_token": token}
    )
    assert renamed.status_code == 303
    retired = client.post(_url(campaign, f"/{source.id}/retire"), data={"csrf_token": token})
    assert retired.status_code == 303
    db.session.refresh(source)
    assert source.name == "강남 지점 QR" and source.retired and source.code == "branch"
    listed = page(client.get(_url(campaign)))
    assert "그만 씀" in listed.one('[data-source="branch"]').text
    twice = client.post(_url(campaign, f"/{source.id}/retire"), data={"csrf_token": token})
    assert "이미 그만 썼어요" in page(client.get(twice.headers["Location"])).text
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {AuditAction.SOURCE_RENAME, AuditAction.SOURCE_RETIRE} <= actions


def test_a_source_of_another_campaign_or_none_at_all_is_not_found(client, campaign, sign_in):
    other = make_campaign()
    db.session.commit()
    source = _source(other, name="지점 QR", code="branch")
    sign_in(client, "admin")
    token = csrf_token(client, _url(campaign))
    assert client.get(_url(campaign, f"/{source.id}/poster")).status_code == 404
    assert client.get(_url(campaign, "/999999/poster.svg")).status_code == 404
    assert client.get("/admin/campaigns/999999/sources").status_code == 404
    response = client.post(
        _url(campaign, f"/{source.id}/rename"), data={"name": "x", "csrf_token": token}
    )
    assert response.status_code == 404
    assert client.get(_url(campaign, "/99999999999/poster")).status_code == 404


def test_the_print_poster_shows_the_question_the_qr_code_and_the_link(client, campaign, sign_in):
    source = _source(campaign, name="지점 QR", code="branch")
    sign_in(client, "moderator")
    poster = page(client.get(_url(campaign, f"/{source.id}/poster"))).one("[data-poster]")
    assert poster.one("[data-poster-question]").text.split() == campaign.question.split()
    link = poster.one("[data-poster-link]")
    assert link["href"] == f"/c/{campaign.slug}/s/branch"
    assert link.text == f"localhost/c/{campaign.slug}/s/branch"  # the printed link, no scheme
    assert poster.one("[data-poster-qr]")["aria-label"].startswith(link.text)
    assert "누가 썼는지 남기지 않고" in poster.text


def test_the_poster_svg_is_a4_valid_xml_with_the_qr_code_of_the_link(client, campaign, sign_in):
    source = _source(campaign, name="지점 <QR> & 1층", code="branch")
    sign_in(client, "moderator")
    response = client.get(_url(campaign, f"/{source.id}/poster.svg"))
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    assert f"poster-{campaign.slug}-branch.svg" in response.headers["Content-Disposition"]
    root = ET.fromstring(response.get_data())
    assert (root.tag, root.get("width"), root.get("height")) == (f"{SVG}svg", "210mm", "297mm")
    assert root.get("viewBox") == "0 0 210 297"
    link = root.find(f".//{SVG}text[@data-poster-link]").text
    assert link.endswith(f"/c/{campaign.slug}/s/branch") and "://" not in link
    drawn = root.find(f".//{SVG}g[@data-poster-qr]/{SVG}path").get("d")
    assert drawn == qr.path("http://localhost" + f"/c/{campaign.slug}/s/branch").path
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "지점 <QR> & 1층" in texts and "언제였나요?" in texts


def test_a_source_link_opens_the_form_and_the_moment_keeps_the_source(client, campaign):
    source = _source(campaign, name="지점 QR", code="branch")
    url = f"/c/{campaign.slug}/s/branch"
    opened = page(client.get(url))
    assert opened.one('input[name="source"]')["value"] == "branch"
    response = post_moment(client, url, source="branch")
    assert response.status_code == 303
    moment = db.session.scalar(select(Moment))
    assert moment.source_id == source.id and moment.origin == "form"


def test_the_plain_form_stores_no_source(client, campaign):
    _source(campaign, name="지점 QR", code="branch")
    opened = page(client.get(f"/c/{campaign.slug}/submit"))
    assert opened.one('input[name="source"]')["value"] == ""
    assert post_moment(client, f"/c/{campaign.slug}/submit").status_code == 303
    assert db.session.scalar(select(Moment.source_id)) is None


def test_a_retired_or_unknown_code_still_takes_the_moment_without_a_source(client, campaign):
    source = _source(campaign, name="지점 QR", code="branch")
    sources.retire_source(source, by=None, now=utcnow())
    db.session.commit()
    for code, body in (
        ("branch", "지점 포스터를 보고 들어왔는데 번호표가 너무 오래 걸려요."),
        ("nope", "모르는 링크로 들어왔는데 이체가 안 됐어요. 한참 기다렸어요."),
        ("UPPER-case", "대문자 링크로 들어왔는데 카드 분실 신고가 어려웠어요."),
        ("x" * 200, "아주 긴 링크로 들어왔는데 인증서 옮기기가 너무 복잡했어요."),
    ):
        url = f"/c/{campaign.slug}/s/{code}"
        assert client.get(url).status_code == 200
        assert post_moment(client, url, body=body, source=code).status_code == 303
    assert set(db.session.scalars(select(Moment.source_id))) == {None}


def test_a_source_link_refuses_bad_input_kindly_and_keeps_the_source(client, campaign):
    _source(campaign, name="지점 QR", code="branch")
    url = f"/c/{campaign.slug}/s/branch"
    response = post_moment(client, url, body="짧아요", source="branch")
    assert response.status_code == 200
    form = page(response)
    assert form.one('input[name="source"]')["value"] == "branch"
    assert form.one("textarea[name=body]").text == "짧아요"


def test_odd_source_links_never_fail(client, campaign):
    assert client.get(f"/c/{campaign.slug}/s/%00").status_code in (400, 404)
    assert client.get("/c/no-such-campaign/s/branch").status_code == 404
    response = client.post(
        f"/c/{campaign.slug}/s/branch",
        data={
            "body": "소스 칸에 이상한 값을 넣고 보냈는데 이체가 안 됐어요.",
            "source": "\x00" * 10 + "'; DROP TABLE moment; --",
            "csrf_token": csrf_token(client, f"/c/{campaign.slug}/s/branch"),
        },
    )
    assert response.status_code == 303
    assert db.session.scalar(select(Moment.source_id)) is None


def test_the_dashboard_shows_moments_per_source_and_the_silent_ones(client, campaign, sign_in):
    branch = _source(campaign, name="지점 QR", code="branch")
    _source(campaign, name="ATM 화면", code="atm")
    for i in range(3):
        make_moment(campaign, body=f"지점 이야기 {i}", source_id=branch.id)
    make_moment(campaign, body="그냥 들어온 이야기")
    make_moment(campaign, body="가져온 이야기", origin="import")
    db.session.commit()
    sign_in(client, "viewer")
    card = page(client.get(f"/admin/dashboard?campaign={campaign.id}")).one('[data-chart="source"]')
    rows = {tr.texts("th")[0]: tr.texts("td")[0] for tr in card.all("tbody tr")}
    assert rows == {"지점 QR": "3", "직접 방문": "1"}
    silent = card.one("[data-silent-sources]")
    assert silent.texts("li strong") == ["ATM 화면"] and "오늘 만들었어요" in silent.text


def test_stats_and_the_api_fold_small_sources_into_other(client, make_app):
    app = make_app(PUBLIC_MIN_GROUP=3)
    with app.app_context():
        client = app.test_client()
        campaign = make_campaign()
        db.session.flush()
        big = sources.add_source(campaign, name="지점 QR", code="branch", by=None, now=utcnow())
        small = sources.add_source(campaign, name="직원용", code="staff", by=None, now=utcnow())
        for i in range(4):
            make_moment(campaign, body=f"지점 {i}", source_id=big.id)
        make_moment(campaign, body="직원 0", source_id=small.id)
        for i in range(2):
            make_moment(campaign, body=f"직접 {i}")
        db.session.commit()
        table = page(client.get("/stats")).one('[data-stat="sources"]')
        labels = [tr.texts("th")[0] for tr in table.all("tbody tr")]
        assert labels == ["지점 QR", "기타"] and "직원용" not in table.text
        api = client.get("/api/v1/stats").get_json()
        assert [r["source"] for r in api["by_source"]] == ["지점 QR", "기타"]
        assert [r["moments"] for r in api["by_source"]] == [4, 3]


def test_the_moments_export_names_the_source(client, campaign, sign_in):
    branch = _source(campaign, name="지점 QR", code="branch")
    make_moment(campaign, body="지점에서 들은 이야기예요", source_id=branch.id)
    db.session.commit()
    sign_in(client, "admin")
    response = client.get(f"/admin/export/moments.csv?campaign={campaign.id}")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["source"] for r in rows] == ["지점 QR"]


def test_the_campaign_pages_link_to_its_sources(client, campaign, sign_in):
    sign_in(client, "admin")
    edit = page(client.get(f"/admin/campaigns/{campaign.id}"))
    assert edit.by_role("link", name="출처와 QR 포스터")[0]["href"] == _url(campaign)
