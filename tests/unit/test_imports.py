"""Importing a call centre's or chatbot's log: reading, dates, duplicates, masking, refusals."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from campaign import imports
from campaign.audit import AuditAction
from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.models import AuditEvent, Moment, utcnow

PHONE = "010-2481-7730"


def _csv(rows: list[tuple[str, ...]], header=("text", "date")) -> bytes:
    lines = [",".join(header)] + [",".join(f'"{v}"' for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _day(days_ago: int = 1) -> str:
    return (local_today() - timedelta(days=days_ago)).isoformat()


def _import(campaign, data: bytes, *, dry_run=False, filename="log.csv"):
    report = imports.import_moments(
        campaign, data, filename=filename, now=utcnow(), dry_run=dry_run
    )
    db.session.commit()
    return report


def _stored() -> list[Moment]:
    return list(db.session.scalars(select(Moment).order_by(Moment.received_hour)))


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-05", datetime(2026, 3, 4, 15)),  # the start of 5 March in Korea, as UTC
        ("2026.03.05", datetime(2026, 3, 4, 15)),
        ("2026. 3. 5.", datetime(2026, 3, 4, 15)),
        ("2026/3/5", datetime(2026, 3, 4, 15)),
        ("2026-03-05T14:20:31", datetime(2026, 3, 5, 5, 20, 31)),
        ("2026-03-05 14:20", datetime(2026, 3, 5, 5, 20)),
        ("2026-03-05T14:20:31.123+09:00", datetime(2026, 3, 5, 5, 20, 31)),
        ("2026-03-05T05:20:31Z", datetime(2026, 3, 5, 5, 20, 31)),
        ("2026.03.05 14:20:31", datetime(2026, 3, 5, 5, 20, 31)),
    ],
)
def test_each_date_form_is_read_in_the_campaigns_time_zone(app, raw, expected):
    assert imports.parse_when(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", "어제", "2026-13-01", "2026-02-30", "05/03/2026", "1999-01-01", "2026-03-05T10:00+99:00"],
)
def test_unreadable_dates_are_none(app, raw):
    assert imports.parse_when(raw) is None


# --- reading files ---------------------------------------------------------------------------


def test_korean_headers_in_cp949_are_read(app):
    text = f"번호,내용,일자,분야,경로\n1,카드 분실 신고가 전화로만 돼요,{_day()},카드,전화 상담\n"
    kind, encoding, rows = imports.read_rows(text.encode("cp949"), "상담.csv")
    rows = list(rows)
    assert (kind, encoding) == ("CSV", "CP949")
    assert rows[0].text == "카드 분실 신고가 전화로만 돼요" and rows[0].category == "카드"
    assert rows[0].channel == "전화 상담" and rows[0].line == 2


def test_a_utf8_bom_does_not_hide_the_first_column(app):
    data = "\ufeff본문,날짜\n앱 로그인이 자꾸 풀려서 불편해요,2026-03-05\n".encode()
    _, encoding, rows = imports.read_rows(data, "log.csv")
    assert encoding == "UTF-8" and next(rows).text == "앱 로그인이 자꾸 풀려서 불편해요"


def test_a_json_line_nested_too_deep_for_python_is_one_refused_line(app):
    data = b"[" * 200_000 + b"\n" + '{"text": "다음 줄은 읽혀요", "date": "2026-03-05"}'.encode()
    _, _, rows = imports.read_rows(data, "bot.jsonl")
    assert [(r.line, r.problem) for r in rows] == [(1, "JSON으로 읽지 못했어요"), (2, None)]


def test_jsonl_lines_are_read_with_their_line_numbers(app):
    data = (
        json.dumps({"text": "챗봇이 같은 답만 반복해요", "date": "2026-03-05"}, ensure_ascii=False)
        + "\n\n"
        + "{broken\n"
        + json.dumps({"내용": "상담원 연결이 안 돼요", "날짜": "2026-03-06"}, ensure_ascii=False)
    ).encode()
    kind, _, rows = imports.read_rows(data, "bot.jsonl")
    rows = list(rows)
    assert kind == "JSONL"
    assert [(r.line, r.text, r.problem) for r in rows] == [
        (1, "챗봇이 같은 답만 반복해요", None),
        (3, None, "JSON으로 읽지 못했어요"),
        (4, "상담원 연결이 안 돼요", None),
    ]


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (b"PK\x03\x04" + b"\x00" * 50, "엑셀"),
        (bytes(range(256)) * 40, "텍스트 파일이 아닌"),
        ("내용,날짜\n안녕".encode("utf-16"), "UTF-16"),
        (b"text,date\n\xff\xfe\xfd\xfc broken,2026-03-05\n", "UTF-8이나 CP949"),
        ("메모,언제\n이체가 안 돼요,2026-03-05\n".encode(), "text(내용), date(날짜) 열이 없어요"),
        (b"   \n", "비어 있어요"),
    ],
)
def test_unreadable_files_are_refused_in_korean(app, data, said):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.read_rows(data, "x.csv")
    assert said in refused.value.message and refused.value.field == "file"


def test_a_file_over_the_limit_is_refused_before_reading(make_app):
    app = make_app(IMPORT_MAX_BYTES=1024)
    with app.app_context(), pytest.raises(imports.ImportRefused) as refused:
        imports.read_rows(b"text,date\n" + b"a" * 2000, "x.csv")
    assert "너무 커요" in refused.value.message and "나눠서" in refused.value.message


# --- importing -------------------------------------------------------------------------------


def test_imported_moments_are_masked_marked_and_kept_to_the_hour(app, campaign):
    when = f"{_day()}T14:37:12"
    data = _csv(
        [
            (
                f"상담원 연결이 40분 걸렸어요. 제 번호 {PHONE}로 전화 주세요",
                when,
                "카드",
                "전화 상담",
            ),
            ("카드 해지가 앱에서 안 돼요 정말 불편해요", _day(2), "없는 분야", "팩스"),
        ],
        header=("내용", "일시", "분야", "경로"),
    )
    report = _import(campaign, data)
    assert (report.rows, report.stored, report.duplicates, report.refused_count) == (2, 2, 0, 0)
    moments = _stored()
    assert all(m.origin == "import" and m.import_batch == report.batch for m in moments)
    assert all(m.received_hour.minute == 0 and m.received_hour.second == 0 for m in moments)
    called = next(m for m in moments if "상담원" in m.body)
    assert PHONE not in called.body and "[전화번호]" in called.body
    assert called.masked == {"PHONE": 1} and called.category == "카드"
    assert called.channel == "전화 상담"
    other = next(m for m in moments if "해지" in m.body)
    assert other.category is None and other.channel is None
    assert (report.unknown_category, report.unknown_channel) == (1, 1)
    every_text = " ".join(
        str(v) for row in db.session.execute(select(Moment.__table__)).all() for v in row
    )
    assert PHONE not in every_text and "2481" not in every_text


def test_the_same_text_on_the_same_day_is_stored_once_even_across_imports(app, campaign):
    same = "이체 한도 변경이 앱에서 안 돼요"
    data = _csv([(same, _day()), (f"  {same} ", f"{_day()}T09:00:00"), (same, _day(2))])
    first = _import(campaign, data)
    assert (first.stored, first.duplicates) == (2, 1)
    again = _import(campaign, data)
    assert (again.stored, again.duplicates) == (0, 3)
    assert db.session.scalar(select(func.count()).select_from(Moment)) == 2


def test_the_duplicate_digest_is_of_the_masked_text_not_the_raw(app, campaign):
    data = _csv([(f"연락처는 {PHONE}이에요 답이 없어요", _day())])
    _import(campaign, data)
    moment = _stored()[0]
    from campaign import privacy

    raw = privacy.content_digest(
        "import", campaign.slug, _day(), f"연락처는 {PHONE}이에요 답이 없어요"
    )
    assert moment.import_digest != raw
    assert moment.import_digest == privacy.content_digest(
        "import", campaign.slug, _day(), moment.body
    )


def test_refused_rows_say_why_with_their_line(app, campaign):
    long_text = "가" * 100_000
    data = _csv(
        [
            ("", _day()),
            ("날짜가 이상한 상담 기록이에요", "어제"),
            (long_text, _day()),
            ("짧아요", _day()),
            ("미래에서 온 상담 기록이에요", _day(-3)),
            ("캠페인 전에 들은 이야기예요", _day(30)),
            ("날짜가 빠진 상담 기록이에요", ""),
        ]
    )
    report = _import(campaign, data)
    assert report.stored == 0 and report.refused_count == 7
    reasons = {r.line: r.reason for r in report.refused}
    assert reasons[2] == "내용(text)이 비어 있어요"
    assert reasons[3].startswith("날짜를 읽지 못했어요")
    assert reasons[4] == "내용이 너무 길어요(100,000자, 2,000자까지)"
    assert reasons[5] == "내용이 너무 짧아요(3자, 10자부터)"
    assert reasons[6] == "앞으로 올 날짜예요"
    assert "캠페인 기간" in reasons[7] and "밖의 날짜" in reasons[7]
    assert reasons[8] == "날짜(date)가 비어 있어요"


def test_a_dry_run_stores_nothing_and_shows_only_masked_examples(app, campaign):
    data = _csv(
        [
            (f"상담원에게 {PHONE} 남겼는데 연락이 없어요", _day()),
            ("카드 재발급이 너무 오래 걸려요", _day()),
            ("카드 재발급이 너무 오래 걸려요", _day()),
        ]
    )
    report = _import(campaign, data, dry_run=True)
    assert db.session.scalar(select(func.count()).select_from(Moment)) == 0
    assert (report.rows, report.stored, report.duplicates) == (3, 2, 1)
    assert report.masked == {"PHONE": 1} and report.masked_described == ["전화번호 1개"]
    assert report.examples == ["상담원에게 [전화번호] 남겼는데 연락이 없어요"]
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == AuditAction.MOMENTS_IMPORT_CHECK and event.data["stored"] == 2
    assert PHONE not in json.dumps(event.data) and PHONE not in " ".join(
        imports.describe(report, campaign=campaign.slug)
    )


def test_an_import_is_audited_with_counts_and_queues_settling(app, campaign):
    report = _import(campaign, _csv([("보험 청구 서류가 너무 많아요", _day())]))
    event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.action == AuditAction.MOMENTS_IMPORT and event.batch == report.batch
    assert event.target_type == "campaign" and event.data["stored"] == 1
    # JOBS_IMMEDIATE in tests: the settle job ran after the commit, like for a told moment.
    assert _stored()[0].settled


def test_an_imported_urgent_line_is_flagged_but_raises_no_webhook_alarm(app, campaign):
    from campaign import webhooks
    from campaign.models import WebhookDelivery
    from tests.factories import make_moderator

    webhooks.create_endpoint(
        url="https://hooks.example.com/desk",
        events=["urgent_moment"],
        format="json",
        by=make_moderator("admin"),
        now=utcnow(),
    )
    db.session.commit()
    _import(campaign, _csv([("어제 보이스피싱으로 돈을 보냈어요", _day())]))
    [moment] = _stored()
    assert moment.urgent and moment.settled
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_rows_go_in_batches_with_the_callers_commit_between(make_app):
    app = make_app(IMPORT_BATCH_ROWS=2)
    with app.app_context():
        from tests.factories import make_campaign

        campaign = make_campaign()
        db.session.commit()
        batches = []
        rows = [(f"상담 기록 {i}번: 이체가 늦어요", _day()) for i in range(5)]
        report = imports.import_moments(
            campaign,
            _csv(rows),
            now=utcnow(),
            dry_run=False,
            after_batch=lambda: (batches.append(1), db.session.commit()),
        )
        db.session.commit()
        assert report.stored == 5 and len(batches) == 2
