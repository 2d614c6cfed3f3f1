"""The desk's import page and `flask import-moments`."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.models import Moment
from tests.dom import page
from tests.web.helpers import csrf_token

PHONE = "010-2481-7730"


def _day(days_ago: int = 1) -> str:
    return (local_today() - timedelta(days=days_ago)).isoformat()


def _log() -> bytes:
    return (
        "내용,날짜,경로\n"
        f'"상담원 연결이 40분 걸렸어요. {PHONE}로 전화 주세요",{_day()},전화 상담\n'
        f"카드 재발급이 너무 오래 걸려요,{_day()},전화 상담\n"
        f"카드 재발급이 너무 오래 걸려요,{_day()},전화 상담\n"
        f"짧아요,{_day()},\n"
    ).encode("cp949")


def _url(campaign) -> str:
    return f"/admin/campaigns/{campaign.id}/import"


def _post(client, campaign, data: bytes, *, button="preview", name="log.csv"):
    return client.post(
        _url(campaign),
        data={
            "csrf_token": csrf_token(client, _url(campaign)),
            "file": (io.BytesIO(data), name),
            button: "1",
        },
        content_type="multipart/form-data",
    )


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Moment))


def test_only_admins_may_import(client, campaign, sign_in):
    sign_in(client, "moderator")
    assert client.get(_url(campaign)).status_code == 403
    response = client.post(_url(campaign), data={"store": "1"})
    assert response.status_code == 403 and _count() == 0


def test_a_preview_shows_counts_reasons_and_masked_examples_but_stores_nothing(
    client, campaign, sign_in
):
    sign_in(client, "admin")
    response = _post(client, campaign, _log())
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    shown = page(response)
    assert "미리 보기" in shown.one("#report-title").text
    assert shown.by_test_id("import-rows")[0].text == "4"
    assert shown.by_test_id("import-stored")[0].text == "2"
    assert shown.by_test_id("import-duplicates")[0].text == "1"
    assert shown.by_test_id("import-refused")[0].text == "1"
    assert "내용이 너무 짧아요" in shown.by_test_id("import-refusals")[0].text
    assert "전화번호 1개" in shown.by_test_id("import-masked")[0].text
    assert "[전화번호]로 전화 주세요" in shown.by_test_id("import-examples")[0].text
    assert PHONE not in body and "2481" not in body
    assert _count() == 0


def test_importing_stores_marked_moments_that_the_inbox_and_dashboard_show_apart(
    client, campaign, sign_in
):
    sign_in(client, "admin")
    response = _post(client, campaign, _log(), button="store")
    assert response.status_code == 200
    assert "가져왔어요" in page(response).one("#report-title").text
    assert _count() == 2
    told = client.get(f"/admin/moments?campaign={campaign.id}&origin=import")
    assert len(page(told).by_test_id("import-rows")) == 0
    assert told.get_data(as_text=True).count("data-imported") >= 2
    assert PHONE not in told.get_data(as_text=True)
    none = client.get(f"/admin/moments?campaign={campaign.id}&origin=form")
    assert "data-imported" not in none.get_data(as_text=True)
    board = client.get(f"/admin/dashboard?campaign={campaign.id}").get_data(as_text=True)
    assert "가져온 이야기 · 전화 상담" in board
    again = _post(client, campaign, _log(), button="store")
    assert page(again).by_test_id("import-duplicates")[0].text == "3" and _count() == 2


def test_bad_files_get_a_korean_message_not_an_error(client, campaign, sign_in):
    sign_in(client, "admin")
    cases = [
        (b"PK\x03\x04" + b"\x00" * 100, "엑셀"),
        (bytes(range(256)) * 50, "텍스트 파일이 아닌"),
        ("메모,언제\n이체가 안 돼요,2026-03-05\n".encode(), "열이 없어요"),
        (b"text,date\n\xff\xfe\xfd\xfc,2026-03-05\n", "UTF-8이나 CP949"),
        (f"text,date\n{'가' * 100_000},{_day()}\n".encode(), "너무 길어요"),
        (f"text,date\n이체가\x00 안 돼서 불편했어요,{_day()}\n".encode(), "저장할 줄"),
    ]
    for data, said in cases:
        response = _post(client, campaign, data)
        assert response.status_code == 200, said
        assert said in response.get_data(as_text=True), response.get_data(as_text=True)[-3000:]
    response = client.post(
        _url(campaign), data={"csrf_token": csrf_token(client, _url(campaign)), "store": "1"}
    )
    assert "올릴 파일을 골라 주세요" in response.get_data(as_text=True)
    assert _count() == 0


def test_a_file_over_the_limit_is_refused_with_its_size(make_app, sign_in):
    app = make_app(IMPORT_MAX_BYTES=1024 * 1024)
    with app.app_context():
        from tests.factories import make_campaign

        campaign = make_campaign()
        db.session.commit()
        client = app.test_client()
        sign_in(client, "admin")
        response = _post(client, campaign, b"text,date\n" + b"a" * (3 * 1024 * 1024))
        assert response.status_code == 413
        assert "파일이 너무 커요(3MB)" in response.get_data(as_text=True)
        assert "1MB까지" in response.get_data(as_text=True)


def test_the_command_imports_and_previews(app, campaign, tmp_path):
    log = tmp_path / "calls.csv"
    log.write_bytes(_log())
    runner = app.test_cli_runner()
    preview = runner.invoke(
        args=["import-moments", str(log), "--campaign", campaign.slug, "--dry-run"]
    )
    assert preview.exit_code == 0, preview.output
    assert "읽은 줄 4 · 저장할 줄 2 · 중복이라 건너뛴 줄 1 · 받지 않은 줄 1" in preview.output
    assert "5번째 줄: 내용이 너무 짧아요" in preview.output and PHONE not in preview.output
    assert "전화번호 1개" in preview.output and _count() == 0
    stored = runner.invoke(args=["import-moments", str(log), "--campaign", campaign.slug])
    assert stored.exit_code == 0 and "저장한 줄 2" in stored.output and _count() == 2


def test_the_command_refuses_bad_input_in_korean(app, campaign, tmp_path):
    runner = app.test_cli_runner()
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"\x00\x01\x02" * 1000)
    result = runner.invoke(args=["import-moments", str(binary), "--campaign", campaign.slug])
    assert result.exit_code != 0 and "텍스트 파일이 아닌" in result.output
    result = runner.invoke(args=["import-moments", str(binary), "--campaign", "nope"])
    assert result.exit_code != 0 and "캠페인을 찾지 못했어요" in result.output
