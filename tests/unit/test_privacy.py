"""Receipts, client keys, coarse time and masking, without HTTP."""

from __future__ import annotations

import re
from datetime import date, datetime

from campaign import privacy

TODAY = date(2026, 11, 23)


def test_a_receipt_code_is_80_random_bits_in_four_groups_of_crockford_base32():
    codes = {privacy.new_receipt_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)


def test_a_typed_code_is_read_forgivingly():
    assert privacy.normalise_receipt_code(" k7qf-3m9o a2bd_8hjl ") == "K7QF3M90A2BD8HJ1"
    assert privacy.normalise_receipt_code("Ｋ７ＱＦ３Ｍ９０Ａ２ＢＤ８ＨＪ１") == "K7QF3M90A2BD8HJ1"


def test_a_code_is_shown_in_groups_of_four_however_it_was_typed():
    assert privacy.shown_receipt_code(" k7qf 3m9o a2bd_8hjl ") == "K7QF-3M90-A2BD-8HJ1"
    code = privacy.new_receipt_code()
    assert privacy.shown_receipt_code(code.replace("-", "").lower()) == code
    assert privacy.shown_receipt_code("12345") == "1234-5"  # not a code: grouped as it is


def test_text_that_cannot_be_a_code_is_refused():
    for typed in ("", "1234", "K7QF-3M90-A2BD-8HJ1-0", "가나다라마바사아자차카타파하가나"):
        assert privacy.normalise_receipt_code(typed) is None


def test_receipt_and_client_hashes_are_keyed_by_the_pepper(app):
    code = privacy.new_receipt_code()
    first = privacy.receipt_hash(code)
    assert first == privacy.receipt_hash(code.lower().replace("-", ""))
    app.config["RECEIPT_PEPPER"] = "another"
    assert privacy.receipt_hash(code) != first
    assert privacy.client_key("203.0.113.1") != privacy.client_key("203.0.113.2")
    assert "203.0.113.1" not in privacy.client_key("203.0.113.1")


def test_time_is_kept_no_finer_than_the_hour():
    assert privacy.coarse_hour(datetime(2026, 11, 23, 14, 37, 12, 999)) == datetime(
        2026, 11, 23, 14
    )


def test_masking_replaces_spans_with_typed_korean_placeholders_and_keeps_original_offsets():
    text = "제 번호 ０１０－２４８１－７７３０로 연락 주세요"
    masked = privacy.mask_pii(text, TODAY)
    assert masked.text == "제 번호 [전화번호]로 연락 주세요"
    [span] = masked.spans
    assert text[span.start : span.end] == "０１０－２４８１－７７３０"
    assert masked.counts == {"PHONE": 1}


def test_text_without_personal_data_is_returned_unchanged():
    text = "점검 시간이라 50,000원 이체가 3시간 동안 안 됐어요. 1588-1234로 전화했어요."
    assert privacy.mask_pii(text, TODAY).text == text


def test_masked_counts_are_described_in_korean_in_a_stable_order():
    assert privacy.describe_masked({"EMAIL": 1, "PHONE": 2}) == ["전화번호 2개", "이메일 1개"]
