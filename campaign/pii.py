"""Detector of Korean personal data in free text: what counts as personal, and what only looks so.

It works on a normalised copy of the text (NFKC per character, so full-width digits become ASCII;
every dash becomes "-") and maps every span back to offsets in the original string.

- Numbers are found once as runs of digit groups and classified by their structure (length,
  grouping, prefixes, dates, Luhn) together with the words near them: a label such as 주문번호 or
  a trailing unit such as 원 vetoes a span, a word such as 계좌 or 카드 makes one. Account
  numbers written in a bank's own grouping are accounts without any word nearby.
- Numbers read aloud (공일공 팔칠육오 …) are turned into digits and classified the same way.
- Addresses follow the grammar of Korean addresses: a road name (…로, …길, …대로, …로12번길) or a
  lot (…동/리/가 + 번지) with its building number, then a building name, 동/호/층.
  The 시·도 and 시·군·구 before them stay, and so does a 우편번호: they say where, not who.
- Names need a surname (one or two syllables), a plausible given name (syllable statistics) and
  a context that people use for a person: a label (이름, 예금주, 임대인 …), a title (님, 씨,
  고객님 …), a family word with the name in brackets, a list of personal details, or a
  romanised spelling beside it. A bank, a place or a common word shaped like a name stays.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from campaign.pii_lexicon import (
    ACCOUNT_GROUPINGS,
    ACCOUNT_PREFIXES,
    BUILDING_SUFFIXES,
    COMMON_WORDS,
    FOREIGN_NAME_ENDINGS,
    FOREIGN_NAME_PARTS,
    GIVEN_FIRST,
    GIVEN_SECOND,
    LATIN_SURNAMES,
    ROMAN_SURNAMES,
    SIDO,
    SIGUNGU,
    SURNAME_SHARE,
    SURNAMES_1,
    SURNAMES_2,
    given_name_score,
)

RRN, ARN, PHONE, CARD, ACCOUNT = "RRN", "ARN", "PHONE", "CARD", "ACCOUNT"
EMAIL, PASSPORT, DRIVER_LICENSE, PLATE, ADDRESS, NAME = (
    "EMAIL",
    "PASSPORT",
    "DRIVER_LICENSE",
    "PLATE",
    "ADDRESS",
    "NAME",
)

# A span of another type wins over a name or address that overlaps it.
_PRIORITY = {
    RRN: 0,
    ARN: 0,
    CARD: 1,
    PHONE: 2,
    ACCOUNT: 3,
    EMAIL: 1,
    PASSPORT: 2,
    DRIVER_LICENSE: 2,
    PLATE: 4,
    ADDRESS: 5,
    NAME: 6,
}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str


# --- normalisation with an offset map -------------------------------------------------------

# ㅡ (the vowel, typed for a dash on a Korean keyboard) is ᅳ after NFKC.
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－ー~\u1173"), "-")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Return the normalised copy and, for each of its characters, the original index."""
    if text.isascii():
        return text, list(range(len(text)))
    if unicodedata.is_normalized("NFKC", text):  # most Korean text: one dash for another at most
        return text.translate(_DASHES), list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch).translate(_DASHES) if not ch.isascii() else ch
        out.append(n)
        origin.extend([i] * len(n))
    return "".join(out), origin


# --- numbers ---------------------------------------------------------------------------------

_BANKS = (
    "국민은행 국민 KB 신한 우리은행 우리 하나은행 하나 농협 NH 기업은행 IBK 카카오뱅크 카뱅 카카오 "
    "토스뱅크 토뱅 토스 케이뱅크 케뱅 K뱅크 새마을금고 "
    "새마을 MG 금고 우체국 수협 신협 SC제일 제일은행 씨티 "
    "대구은행 iM뱅크 부산은행 경남은행 광주은행 전북은행 제주은행 산업은행 저축은행 은행 증권 "
    "키움 미래에셋 삼성증권 한국투자 한투 NH투자 KB증권 신한투자 대신 하이투자 상호금융 지역농협 "
    "유안타 교보 메리츠 한화투자 DB증권 SK증권 이베스트 LS증권 유진투자 현대차증권 CMA"
).split()
_ACCOUNT_WORDS = (
    "계좌",
    "통장",
    "입금",
    "이체",
    "송금",
    "예금주",
    "출금",
    "받을",
    "보냈",
    "보내",
    "환불받",
    "돈을",
    "돈 ",
    "넣었",
    "부쳤",
    "월세",
    "보증금",
    "자동납부",
    "납부",
    "account",
    "Account",
    "acct",
    "Acct",
) + tuple(_BANKS)
_CARD_WORDS = ("카드", "card", "Card", "CARD")
_ACCOUNT_ABROAD = ("account", "Account", "ACCOUNT", "acct", "Acct", "IBAN")
_PHONE_WORDS = (
    "전화",
    "연락",
    "핸드폰",
    "휴대폰",
    "폰",
    "문자",
    "카톡",
    "연락처",
    "직통",
    "내선",
    "번혼",
)
_RRN_WORDS = ("주민", "등록번호", "생년월일")
_SECURITIES_WORDS = (
    "증권",
    "키움",
    "미래에셋",
    "한투",
    "한국투자",
    "NH투자",
    "예수금",
    "주식",
    "위탁",
    "CMA",
    "종합계좌",
)
# Labels that make a number something other than personal data.
_NOT_PERSONAL = (
    "주문",
    "승인",
    "거래번호",
    "거래 번호",
    "접수",
    "운송장",
    "송장",
    "예약번호",
    "결제번호",
    "가맹점",
    "사업자",
    "고객센터",
    "대표번호",
    "대표 번호",
    "상품코드",
    "상품번호",
    "모델",
    "바코드",
    "버전",
    "쿠폰",
    "일련번호",
    "관리번호",
    "인증번호",
    "티켓",
    "문의번호",
    "주문번호",
    "영수증",
    "참조번호",
    "트랜잭션",
    "Order",
    "order",
    "ID",
    "코드",
    "품번",
    "시리얼",
    "사건번호",
    "민원번호",
    "등기번호",
    "택배",
    "배송번호",
    "회원번호",
    "계약번호",
    "증권번호",
    "청구번호",
    "납부번호",
    "고지서",
    "전자납부",
    "ISBN",
    "isbn",
    "핀번호",
    "PIN",
    "상품권",
    "기프티콘",
    "정정번호",
    "처리번호",
    "신청번호",
    "카드사 번호",
    "차대번호",
    "법인",
    "등록번호 제",
    "사건",
    "환불번호",
    "요청번호",
    "조회번호",
    "공고",
    "사업자등록번호",
    "사업자번호",
    "법인등록번호",
    "가맹점번호",
    "쿠폰번호",
    # A bank's own number abroad: it names the bank, not the person.
    "routing",
    "Routing",
    "ROUTING",
    "ABA",
    "sort code",
    "Sort code",
    "SWIFT",
    "BIC",
)
# A unit right after a number makes it an amount, a date, a count... but only when the unit is
# a word of its own: "5분 뒤" and "5분이" are minutes, "010-1234-5678 분실" and "… 명의로" are not.
_UNIT_AFTER = re.compile(
    r"\s?(?:원|만|천|억|조|%|퍼센트|년|월|일|시|분|초|개|건|회|번째|번|명|점|포인트|P\b|p\b|km|kg|세|살|"
    r"달|주|대|층|호선|배|자|위|등|박|편|장|권|병|GB|MB|mb|gb|달러|불|엔|위안|유로|\$|곳|차|m\b|미터|"
    r"킬로|평|인분|가지|통|줄|쪽|페이지|단계|학년|기|마리|그램|g\b|cm|mm|리터|L\b|ml|원짜리|"
    r"번 출구|번출구|분기)"
    r"(?!의로|의\s?(?:계좌|통장|카드|휴대폰|폰|번호))"
    r"(?=$|[^가-힣]|이|가|을|를|은|는|에|의|도|만|씩|째|쯤|정도|가량|짜리|이나|나|으로|로|간|동안|전|후|밖|이상|이하|"
    r"까지|부터|이에|이었|였|입|이고|이며|인데|이면|이라|대|내|당|넘|여|가까이|안|이내|경|께|마다|어치|이요|요|"
    r"출구|차로|선|점|지|뒤|면|과|와|하고|보다|이|짜|이니|니|라|이래|래|이지|지|이던|던|이든|든|에서)"
)
# Digit groups joined by "-", ".", ")" or spaces, with spaces allowed around a separator
# ("010 - 1234 - 5678") and a bracketed area code ("(02)123-4567").
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z.,])\+?\(?\d+(?:(?:\s?[-.)/·]\s?|\s)\d+)*(?![0-9])")
# A date or a clock time is never personal, whatever digits follow it.
_DATE_START = re.compile(
    r"(?:19|20)\d{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?!\d)"
)
_DATE_PREFIX = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")

_MOBILE = re.compile(r"01[016789]\d{7,8}")
_AREA = re.compile(
    r"(?:02\d{7,8}|0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}|070\d{8}|050[2-8]\d{7,8})"
)

_KOREAN_DIGITS = {
    "공": "0",
    "영": "0",
    "빵": "0",
    "일": "1",
    "이": "2",
    "삼": "3",
    "사": "4",
    "오": "5",
    "육": "6",
    "륙": "6",
    "칠": "7",
    "팔": "8",
    "구": "9",
}
# Digits read aloud, one syllable each, with the pauses people write (space, dash, comma, dot,
# "에" as in 공일공에 …). Nine or more in a row: short runs are ordinary words (이사, 오이, 사이).
_SPELLED = re.compile(
    r"(?<![가-힣])[공영빵일이삼사오육륙칠팔구](?:(?:\s|-|,\s?|\.|에\s|의\s)?[공영빵일이삼사오육륙칠팔구]){8,15}"
)
# Some groups read aloud, some written: "공일공-7382-9164", "010에 구팔칠이 삼일육사".
_HALF_SPELLED = re.compile(
    r"(?<![가-힣0-9])[공영빵일이삼사오육륙칠팔구0-9](?:(?:\s|-|\.|에\s?|의\s)?[공영빵일이삼사오육륙칠팔구0-9]){8,15}"
)

# The @ said or hidden from scrapers: "minji골뱅이naver.com", "minji [at] gmail.com",
# "minji 앳 daum.net".
_EMAIL_SAID = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\s?"
    r"(?:골뱅이|\[at\]|\(at\)|\{at\}|\[AT\]|\(AT\)|앳|\sat\s|\s@\s?|@\s)\s?"
    r"[A-Za-z0-9-]+(?:\s?(?:\.|\[dot\]|\(dot\)|닷|점|\sdot\s)\s?[A-Za-z0-9-]+)*"
    r"\s?(?:\.|\[dot\]|\(dot\)|닷|점|\sdot\s)\s?"
    r"[A-Za-z]{2,}(?![A-Za-z])"
)
# An apostrophe may sit inside the local part (RFC 5322 allows it: j.o'brien@…), never first.
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# Korean passports: M/S/R/O/D/G + 8 digits, or the 2021 format M + 3 digits + letter + 4 digits.
# Other countries': one or two letters and 7-8 digits (China E12345678, Japan TK1234567,
# Vietnam C1234567, US 9 digits...), masked only with the word 여권/passport nearby.
# Written in lower case too ("m571q0394"): the word 여권 nearby is required all the same.
_PASSPORT = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d{7,8}[A-Z]?|M\d{3}[A-Z]\d{4}|\d{9})(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# The same with the spaces people type to read it back ("M 123 45678", "S 1234 5678"), or a
# series and a number (Russia's "75 1234567"): only with the word 여권 nearby, like the rest.
_PASSPORT_SPACED = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\s?\d{3,4}\s\d{4,5}|[A-Z]{1,2}\s\d{7,8}|\d{2}\s\d{7})(?![0-9])",
    re.IGNORECASE,
)
_PASSPORT_WORDS = ("여권", "passport", "Passport", "PASSPORT", "패스포트")
_REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
_LICENSE = re.compile(
    rf"(?:(?:{_REGIONS})\s?|(?<!\d)(?:1[1-9]|2[0-8])-)\d{{2}}-\d{{6}}-\d{{2}}(?!\d)"
)
_LICENSE_PLAIN = re.compile(r"(?<!\d)(?:1[1-9]|2[0-8])\d{10}(?!\d)")

_PLATE_SYLLABLES = (
    "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호"
)
_PLATE = re.compile(
    rf"(?<![0-9가-힣])(?:(?:{_REGIONS})\s?)?\d{{2,3}}\s?[{_PLATE_SYLLABLES}]\s?\d{{4}}(?![0-9])"
)
# A plate is never directly followed by a unit ("12가 3456원" is an amount after a word).
_PLATE_NOT_AFTER = re.compile(r"(?:원|만|천|억|%|개|명|건|회|번|자|일|년|월)")


# --- helpers ---------------------------------------------------------------------------------


def _before(norm: str, start: int, width: int = 16) -> str:
    return norm[max(0, start - width) : start]


def _after(norm: str, end: int, width: int = 10) -> str:
    return norm[end : end + width]


def _last_position(haystack: str, needles) -> int:
    """Position of the nearest (rightmost) needle in haystack, or -1."""
    return max((haystack.rfind(n) for n in needles), default=-1)


def _first_position(haystack: str, needles) -> int:
    found = [p for p in (haystack.find(n) for n in needles) if p >= 0]
    return min(found) if found else -1


def _labelled_not_personal(norm: str, start: int, end: int) -> bool:
    """A 주문번호/승인번호/... label right before the number, nearer than any personal cue. A cue
    inside a label does not count ("사업자등록번호" holds 등록번호, "쿠폰" holds 폰)."""
    before = _before(norm, start, 14)
    labels = [(at, at + len(n)) for n in _NOT_PERSONAL for at in _occurrences(before, n)]
    if not labels:
        return False
    cues = [
        at
        for n in _ACCOUNT_WORDS + _CARD_WORDS + _PHONE_WORDS + _RRN_WORDS
        for at in _occurrences(before, n)
        if not any(s <= at < e for s, e in labels)
    ]
    nearest = max(labels)
    # The label names this number only when at most one word stands between them ("주문번호는 …",
    # "승인 번호 …"); "택배 손님들이 자꾸 700-…" or "승인 본인 아닐 시 02-…" are about something
    # else.
    if len(re.findall(r"[가-힣A-Za-z]+", before[nearest[1] :])) > 1:
        return False
    return nearest[0] >= max(cues, default=-1)


def _occurrences(haystack: str, needle: str):
    at = haystack.find(needle)
    while at >= 0:
        yield at
        at = haystack.find(needle, at + 1)


def _has_context(norm: str, start: int, end: int, words, before: int = 18, after: int = 10) -> bool:
    return (
        _last_position(_before(norm, start, before), words) >= 0
        or _first_position(_after(norm, end, after), words) >= 0
    )


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _ean13(digits: str) -> bool:
    """A Korean EAN-13 barcode: GS1 prefix 880 and a valid check digit."""
    if len(digits) != 13 or not digits.startswith("880"):
        return False
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


def _rrn_kind(digits: str, today: date) -> str | None:
    """RRN or ARN when 13 digits hold a real birth date consistent with the 7th digit."""
    if len(digits) != 13:
        return None
    yy, mm, dd, g = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), digits[6]
    century = {
        "1": 1900,
        "2": 1900,
        "5": 1900,
        "6": 1900,
        "3": 2000,
        "4": 2000,
        "7": 2000,
        "8": 2000,
        "9": 1800,
        "0": 1800,
    }[g]
    try:
        born = date(century + yy, mm, dd)
    except ValueError:
        return None
    if born > today:
        return None
    return ARN if g in "5678" else RRN


def _birth_date(front: str, today: date) -> bool:
    """Six digits that are a date of birth in the last or this century (YYMMDD)."""
    yy, mm, dd = int(front[:2]), int(front[2:4]), int(front[4:6])
    for century in (1900, 2000):
        try:
            if date(century + yy, mm, dd) <= today:
                return True
        except ValueError:
            return False
    return False


def _phone(digits: str, groups: list[str]) -> bool:
    if digits.startswith("82") and not digits.startswith("820"):
        digits = "0" + digits[2:]
        groups = ["0" + groups[1]] + groups[2:] if len(groups) > 1 and groups[0] == "82" else groups
    if not (_MOBILE.fullmatch(digits) or _AREA.fullmatch(digits)):
        return False
    if len(groups) == 1 or all(len(g) == 1 for g in groups):  # "0 1 0 1 2 3 4 ..." spaced out
        return True
    if len(digits) == 11 and groups[0] == "010" and len(groups) <= 5:
        return True  # eleven digits from 010 are a mobile however grouped ("010-2847-19 36")
    # Grouped: the last group is 4 digits and the middle 3-4; the prefix is what is left.
    return (
        len(groups) in (2, 3)
        and len(groups[-1]) == 4
        and (len(groups) == 2 or 3 <= len(groups[1]) <= 4)
    )


def _card_shape(groups: list[str], digits: str) -> bool:
    sizes = [len(g) for g in groups]
    return sizes in ([4, 4, 4, 4], [16], [4, 6, 5], [15]) and (
        len(digits) == 16 or digits[:2] in ("34", "37")
    )


def _account_shape(groups: list[str], digits: str) -> bool:
    if not 10 <= len(digits) <= 16:
        return False
    sizes = [len(g) for g in groups]
    if sizes == [3, 2, 5]:  # 사업자등록번호 shape: a business, not a person
        return False
    # Groups of 2-8 digits; some banks (새마을금고, 신협) end with a single check digit.
    return len(groups) == 1 or (
        2 <= len(groups) <= 5 and all(1 <= s <= 8 for s in sizes[:-1]) and 1 <= sizes[-1] <= 8
    )


def _bank_grouping(groups: list[str], digits: str) -> bool:
    """Written in the grouping a bank prints (see pii_lexicon.ACCOUNT_GROUPINGS), and not a date,
    a barcode or a book number in disguise."""
    sizes = tuple(len(g) for g in groups)
    if (
        sizes not in ACCOUNT_GROUPINGS
        or _DATE_PREFIX.match(digits)
        or digits[:3] in ("978", "979", "880")
    ):
        return False
    if sizes in ACCOUNT_PREFIXES:
        return any(digits.startswith(p) for p in ACCOUNT_PREFIXES[sizes])
    return True


def _is_account(norm: str, start: int, end: int, groups: list[str], digits: str) -> bool:
    if len(groups) == 1 and digits.startswith("880") and _ean13(digits):
        return False  # a product barcode (GS1 Korea), whatever word is near
    if 8 <= len(digits) <= 17 and _has_context(norm, start, end, _ACCOUNT_ABROAD, 16, 0):
        return True  # "account number 41234567": accounts abroad have 8 to 17 digits
    return (
        _bank_grouping(groups, digits)
        or _securities_account(norm, start, end, groups, digits)
        or _account_shape(groups, digits)
        and _has_context(norm, start, end, _ACCOUNT_WORDS)
    )


def _securities_account(norm: str, start: int, end: int, groups: list[str], digits: str) -> bool:
    """A 증권사's account: 8 digits (키움 XXXX-XXXX), or 10 digits and a 2-3 digit product code
    (삼성증권 XXXXXXXXXX-01), named by the securities firm or 예수금/주식 nearby."""
    return (
        [len(g) for g in groups] in ([4, 4], [8], [10, 2], [10, 3])
        and not _DATE_PREFIX.match(digits)
        and _has_context(norm, start, end, _SECURITIES_WORDS, 20, 6)
    )


def _classify_number(norm: str, start: int, end: int, today: date) -> str | None:
    raw = norm[start:end]
    groups = re.findall(r"\d+", raw)
    digits = "".join(groups)
    phone_like = digits[:1] == "0" and len(digits) >= 9  # "tel:010…" is no clock
    if (
        _DATE_START.match(raw)
        or norm.startswith(":", end)
        or norm[max(0, start - 1) : start] == ":"
        and not phone_like
    ):
        return None
    if norm[end : end + 1] in (",", ".", "/") and norm[end + 1 : end + 2].isdigit():
        # The last group begins an amount, a decimal or a date ("… 2,940원", "… 2025/7/27").
        return None
    # A long number that opens with 0, or three groups and ten digits, is never a count or an
    # amount, whatever word follows it ("010-… 번으로", "110-482-905133번").
    if (
        _UNIT_AFTER.match(norm, end)
        and not (digits[0] == "0" and len(digits) >= 9)
        and not (len(groups) >= 3 and len(digits) >= 10)
        and not _has_context(norm, start, end, _ACCOUNT_WORDS + _CARD_WORDS, 8, 0)
    ):
        return None
    if _labelled_not_personal(norm, start, end):
        return None
    if digits.startswith("080") and len(digits) in (10, 11):
        return None  # a free hotline (080-…), never a person's number or an account
    kind = _rrn_kind(digits, today)
    if kind and (
        [len(g) for g in groups] in ([13], [6, 7])
        or len(groups) >= 8
        and _has_context(norm, start, end, _RRN_WORDS + ("외국인",), 24, 6)
    ):
        if len(groups) == 1 and _ean13(digits) and not _has_context(norm, start, end, _RRN_WORDS):
            return None  # a product barcode (GS1 Korea, 880…) that happens to hold a date
        return kind
    if _phone(digits, groups):
        if digits.startswith("080") or len(set(digits[-7:])) == 1:
            return None  # a hotline, or a form's example "010-0000-0000"
        return PHONE
    if _card_shape(groups, digits) and (
        _luhn(digits)
        or _has_context(norm, start, end, _CARD_WORDS)
        # Four groups of four are how a card is written; a mistyped one (failing Luhn) is still
        # the person's card. Order, waybill and approval numbers are vetoed by their label above.
        or [len(g) for g in groups] == [4, 4, 4, 4]
        or [len(g) for g in groups] == [4, 6, 5]  # American Express: 34… or 37…
    ):
        return CARD
    if _is_account(norm, start, end, groups, digits):
        return ACCOUNT
    if (
        _card_shape(groups, digits) is False
        and len(digits) == 12
        and _has_context(norm, start, end, ("면허",))
    ):
        return DRIVER_LICENSE
    return None


def _number_spans(norm: str, today: date):
    for m in _DIGIT_RUN.finditer(norm):
        # Split the run at spaces into groups; find the longest classifiable sub-runs, left to
        # right, so "010-1234-5678 010-9876-5432" yields two phones rather than no match.
        parts = [
            (p.start() + m.start(), p.end() + m.start())
            for p in re.finditer(r"\+?\(?[0-9](?:[0-9.)/·-]|\s?-\s?)*[0-9]|\d", m.group())
        ]
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                s, e = parts[i][0], parts[j - 1][1]
                kind = _classify_number(norm, s, e, today)
                if kind:
                    yield s - (norm[s - 1 : s] == "(" and ")" in norm[s:e]), e, kind
                    i = j
                    break
            else:
                i += 1


# Digit groups read out with a particle between them: "010에 1234에 5678".
_SAID_JOIN = r"\s?(?:에|의|하고|그리고|다음에?|이랑|랑|에\s?그리고|,)\s?"
_SAID_GROUPS = re.compile(rf"(?<![0-9])0\d{{1,2}}{_SAID_JOIN}\d{{3,4}}{_SAID_JOIN}\d{{4}}(?![0-9])")
# A letter typed for a digit ("010-39O2-8417", "010-4728-l936"): O for 0, l or I for 1.
_PHONE_LETTERS = re.compile(
    r"(?<![A-Za-z0-9])0[0-9O]{1,2}[-. ]?[0-9OolI]{3,4}[-. ]?[0-9OolI]{4}(?![A-Za-z0-9])"
)
_LETTER_DIGITS = str.maketrans("OolI", "0011")


_RRN_HALVES = re.compile(
    r"앞\s?자리\s?(?:는|은|가|:)?\s?(\d{6})\s?(?:이고|이구|이요|,|고)?\s?,?\s?"
    r"뒷\s?자리\s?(?:는|은|가|:)?\s?(\d{7})(?![0-9])"
)


def _drop_particle_digits(
    norm: str, digits: str, end: int, inside_word_only: bool
) -> tuple[str, int]:
    """The last syllables may open the next word ("…칠이사공이에요": 이 is a particle here): drop
    them while the digits are too many for a phone number."""
    while (
        len(digits) > 10
        and not (_MOBILE.fullmatch(digits) or _AREA.fullmatch(digits))
        and norm[end - 1] in _KOREAN_DIGITS
        and not (inside_word_only and norm[end : end + 1] in ("", " "))
    ):
        digits, end = digits[:-1], end - 1
    return digits, end


def _typed_over_spans(norm: str, today: date):
    """A phone with a letter for a digit, a resident number given in halves."""
    for m in _PHONE_LETTERS.finditer(norm):
        digits = re.sub(r"\D", "", m.group().translate(_LETTER_DIGITS))
        if re.search("[A-Za-z]", m.group()) and _MOBILE.fullmatch(digits):
            yield m.start(), m.end(), PHONE
    # "앞자리 470322 뒷자리 2118427".
    for m in _RRN_HALVES.finditer(norm):
        kind = _rrn_kind(m.group(1) + m.group(2), today)
        if kind and _has_context(norm, m.start(), m.end(), _RRN_WORDS + ("외국인",), 30, 4):
            yield m.start(1), m.end(1), kind
            yield m.start(2), m.end(2), kind


def _spelled_spans(norm: str, today: date):
    """Digits read aloud: classify the number they spell, with the words around the span."""
    yield from _typed_over_spans(norm, today)
    for m in _SAID_GROUPS.finditer(norm):
        digits = re.sub(r"\D", "", m.group())
        if _MOBILE.fullmatch(digits) or _AREA.fullmatch(digits):
            yield m.start(), m.end(), PHONE
    for m in _HALF_SPELLED.finditer(norm):
        text = m.group()
        if not any(c in _KOREAN_DIGITS for c in text) or not any(c.isdigit() for c in text):
            continue
        digits = "".join(
            _KOREAN_DIGITS.get(c, c) for c in text if c.isdigit() or c in _KOREAN_DIGITS
        )
        digits, end = _drop_particle_digits(norm, digits, m.end(), inside_word_only=False)
        while norm[end - 1] in " -.,에의":
            end -= 1
        if (_MOBILE.fullmatch(digits) or _AREA.fullmatch(digits)) and any(
            c in _KOREAN_DIGITS for c in norm[m.start() : end]
        ):
            yield m.start(), end, PHONE
    for m in _SPELLED.finditer(norm):
        end = m.end()
        digits = "".join(_KOREAN_DIGITS[c] for c in m.group() if c in _KOREAN_DIGITS)
        digits, end = _drop_particle_digits(norm, digits, end, inside_word_only=True)
        if _MOBILE.fullmatch(digits) or _AREA.fullmatch(digits):
            yield m.start(), end, PHONE
        elif _rrn_kind(digits, today) and _has_context(norm, m.start(), m.end(), _RRN_WORDS):
            yield m.start(), m.end(), _rrn_kind(digits, today)
        elif len(digits) in (15, 16) and (
            _luhn(digits) or _has_context(norm, m.start(), m.end(), _CARD_WORDS)
        ):
            yield m.start(), end, CARD  # a card number read out over the phone
        elif 10 <= len(digits) <= 14 and _has_context(norm, m.start(), m.end(), _ACCOUNT_WORDS):
            yield m.start(), m.end(), ACCOUNT


# --- addresses -------------------------------------------------------------------------------


def _alternation(words) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


_SIDO_RE = _alternation(SIDO)
_SIGUNGU_RE = _alternation(SIGUNGU)
# A 시·도 or a 시·군·구 written as a word of its own: what an address may start with and keep.
_ADMIN = re.compile(rf"(?<![가-힣])(?:{_SIDO_RE}|{_SIGUNGU_RE})(?![가-힣])")
# Words that say an address is being given.
_ADDRESS_CUES = (
    "주소",
    "배송지",
    "도로명",
    "지번",
    "사는",
    "살고",
    "살아",
    "거주",
    "이사",
    "자택",
    "집은",
    "집이",
    "우편물",
    "우편번호",
    "배달",
    "배송",
    "수령지",
    "소재지",
    "사업장",
    "번지",
    "본가",
    "전입",
)
_BUILDING_RE = _alternation(BUILDING_SUFFIXES)
# What follows a building number: a building name, 동 of a complex, 층, 호, a bracketed note
# such as "(역삼동, 래미안)". Repeated, each after an optional comma. A 우편번호 is left out: it
# names an area, like the 시·군·구, and is kept.
# After a building name a particle may follow ("…하이츠로", "…타워에서"), not more of a word.
_JOSA_AHEAD = (
    r"(?=$|[^가-힣]|(?:으로|로|에서|에|을|를|이|가|은|는|의|도|까지|인데|이고|고|이에요|예요|"
    r"이라|라))"
)
# A name hidden by the writer ("○○아파트", "센텀○○ 오피스텔") is still a name.
_HIDDEN_CHARS = "○◯●*"
_TAIL_ITEM = (
    rf"(?:[가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{0,12}}(?:{_BUILDING_RE})(?:\s?\d{{1,2}}(?:차|단지))?{_JOSA_AHEAD}"
    rf"|[가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{1,14}}(?=\s?(?:(?:지하\s?)?\d{{1,3}}\s?층|(?:\d{{1,4}}|[A-Z가-하])\s?동\s?(?:\d|지하)|\d{{1,5}}\s?호|(?:{_BUILDING_RE})(?![가-힣])))"
    r"|(?:제\s?)?\d{1,4}\s?동(?![0-9]|안|네|사무소|주민|센터)|[A-Z가-하]\s?동(?![가-힣])"
    r"|(?:지하\s?|B)?\d{1,3}\s?층(?![0-9])|(?:B)?\d{1,3}\s?F(?![A-Za-z0-9])|지층"
    r"|(?:B|지하\s?)?\d{1,5}\s?호(?:실)?(?![0-9]|선|점|기|차|텔)"
    # A bracketed note that names the 동 or the building: "(역삼동)", "(신천동, 잠실엘스)". A
    # bracket holding a date, an amount or a request is the writer's, not the address's.
    rf"|\((?:[가-힣]{{1,6}}\d{{0,2}}(?:동|리|가|읍|면)|[가-힣A-Za-z0-9]{{1,14}}(?:{_BUILDING_RE}))"
    rf"(?:\s?,\s?[가-힣A-Za-z0-9]{{1,16}}(?:\s[가-힣A-Za-z0-9]{{1,10}})?)?\)"
    # or holds the building and the unit: "(지웰홈스 B동 907호)", "(○○빌라 2층)".
    rf"|\([가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{1,14}}(?:\s?,?\s?[가-힣A-Za-z0-9]{{1,8}}){{0,3}}"
    r"\s?,?\s?(?:(?:B|지하\s?)?\d{1,5}\s?호|\d{1,3}\s?층)\)"
    # Which house of a lot, and a building's name in brackets after its floor or unit:
    # "2층 뒷집", "3층 (시티세븐)".
    r"|(?:뒷|앞|옆)집(?![가-힣])"
    r"|(?<=[층호])\s?\([가-힣A-Za-z][가-힣A-Za-z0-9]{1,14}\))"
)
_TAIL = rf"(?:(?:\s?,\s?|\s)?{_TAIL_ITEM}){{0,5}}"
# Road names: anything ending in 로/길/대로, optionally with the numbered side street
# (…로58길, …대로94가길, …로 21번길) and a building number (지하 allowed, 12-3 allowed).
_ROAD = re.compile(
    rf"(?<![가-힣A-Za-z0-9])([가-힣A-Za-z{_HIDDEN_CHARS}][가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{0,11}}(?:대로|로|길)(?:\s?\d{{1,4}}(?:번|번가|가)?길)?)"
    rf"\s?((?:지하\s?)?\d{{1,4}}(?:-\d{{1,4}})?)(?:\s?번지)?(?![0-9])({_TAIL})"
)
_STRONG_ROAD = re.compile(r"(?:대로|\d+(?:번|번가|가)?길|\d로|[가-힣]{2,}로\d+(?:번|가)?길)$")
# Lots: a 동/리/가 (with its number: 역삼1동, 종로5가) then 산, the lot number and 번지.
_LOT = re.compile(
    rf"(?<![가-힣0-9])([가-힣]{{1,6}}\d{{0,2}}(?:동|리|\d가))\s(산\s?)?(\d{{1,5}}(?:-\d{{1,5}})?)(\s?번지)?(?![0-9])({_TAIL})"
)
# A building or complex with its unit and no street: "래미안아파트 101동 1203호", "101동 1203호".
_COMPLEX_UNIT = re.compile(
    rf"(?<![가-힣A-Za-z0-9{_HIDDEN_CHARS}])(?:[가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{0,12}}(?:{_BUILDING_RE})"
    rf"(?:\s?\d{{1,2}}(?:차|단지))?\s?)?"
    r"(?:제\s?)?\d{1,4}\s?동\s?\d{1,5}\s?호(?![0-9])"
)
# A named building and its unit with no 동: "○○빌라 B01호", "센텀○○ 오피스텔 1711호"; with a
# hidden name, a floor will do ("○○빌라 3층").
_BUILDING_UNIT = re.compile(
    rf"(?<![가-힣A-Za-z0-9{_HIDDEN_CHARS}])(?:([가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{1,12}})\s)?"
    rf"([가-힣A-Za-z0-9{_HIDDEN_CHARS}]{{0,12}})(?:{_BUILDING_RE})\s?"
    r"(?:(?:B|지하\s?)?\d{1,5}\s?호(?![0-9]|선|점|기|차|텔)|((?:B|지하\s?)?\d{1,3}\s?층(?![0-9])))"
)
# An address written in English, in the order of an envelope: unit, building number, road
# (…-ro, …-gil, …-daero, with a numbered side street), then the district, the city and the
# 우편번호. Masked whole (in this order the district follows the road), but for a 우편번호 that
# ends it.
_EN_UNIT = (
    r"(?:Apt\.?|Apartment|Unit|Room|Rm\.?|Suite|Ste\.?|Flat|Floor|Fl\.?|No\.?|Building|Bldg\.?|#)\s?"
    r"[A-Z]?\d{1,5}(?:-\d{1,5})?[A-Z]?(?![A-Za-z0-9])"
)
_ENGLISH_ADDRESS = re.compile(
    r"(?<![A-Za-z0-9-])(?:"
    # a road address: unit ("Apt 1203, " or a bare "302, "), building number, road (with its
    # numbered side street: 11-gil, 27ga-gil, 94-gil, 21beon-gil)
    rf"(?:{_EN_UNIT},?\s){{0,2}}"
    r"(?:\d{1,5}(?:-\d{1,5})?,\s(?=\d))?"
    r"(?:\d{1,4}(?:-\d{1,4})?,?\s)?"
    r"[A-Z][a-z]+(?:-[a-z]+)*-(?:ro|gil|daero)"
    r"(?:\s?\d{1,4}(?:-?(?:beon|ga|beonga))?-gil)?(?![A-Za-z])"
    r"(?:,?\s\d{1,4}(?:-\d{1,4})?(?![0-9]))?"
    # or a lot: "123-45 Yeoksam-dong"
    r"|\d{1,5}(?:-\d{1,5})?,?\s[A-Z][a-z]+\d?-(?:dong|ri|ga)(?![A-Za-z]))"
    rf"(?:,?\s{_EN_UNIT}|,?\s\d{{1,4}}-dong(?:,?\s\d{{1,5}}-ho)?|,?\s\d{{1,5}}-ho)?"
    r"(?:,\s?(?:[A-Z][a-z]+-(?:gu|si|gun|eup|myeon|dong|do)|Seoul|Busan|Incheon|Daegu|Daejeon|"
    r"Gwangju|Ulsan|Sejong|Jeju)(?![A-Za-z])){0,3}"
    # a unit after the city, or after the 우편번호 ("Seoul 06620, Unit 502"); a 우편번호 that
    # ends the address is kept, like one written before a Korean address
    rf"(?:,?\s(?:\d{{5}},?\s)?{_EN_UNIT})?"
)
# Addresses abroad: an American street ("1420 Pine St, Apt 3B, San Francisco, CA"), a French,
# Spanish, Italian or Portuguese one with the number before or after the street ("15 Rue de la
# Paix, 75002 Paris", "Calle Mayor 12"), a German one ("Hauptstraße 5"). The number is required.
_STREET_ABROAD = re.compile(
    r"(?<![A-Za-z0-9-])(?:"
    r"\d{1,6}[A-Z]?\s(?:[NSEW]\.?\s)?(?:[A-Z][a-z]+\s){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Ct|Court|Pl|Place|"
    r"Ter|Terrace|Pkwy|Parkway|Hwy|Highway|Cir|Circle|Sq|Square)\.?(?![A-Za-z])"
    rf"(?:,?\s{_EN_UNIT})?"
    r"(?:,\s(?:[A-Z][a-z]+\s?){1,3}(?:,\s?[A-Z]{2}(?![A-Za-z]))?)?"
    r"|\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:Rue|Avenue|Boulevard|Bd|Place|Allée|Chemin|Impasse|Quai|"
    r"Route|Cours)\s(?:(?:de|du|des|la|le|l'|d')\s?)*[A-ZÀ-Þ][\w'-]+(?:\s[A-ZÀ-Þ][\w'-]+)*"
    r"(?:,\s?\d{5}\s[A-ZÀ-Þ][a-zà-ÿ]+(?:[- ][A-ZÀ-Þ][a-zà-ÿ]+)*)?"
    r"|(?:Calle|Avenida|Carrer|Via|Viale|Piazza|Corso|Rua)\s(?:(?:de|del|la|dei|della)\s)*"
    r"[A-ZÀ-Þ][\w'-]+(?:\s[A-ZÀ-Þ][\w'-]+)*,?\s\d{1,4}[A-Za-z]?(?![0-9])"
    r"|[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|weg|platz|gasse|allee|ring|damm)\s\d{1,4}[a-z]?"
    r"(?![0-9A-Za-z]))"
)
_EMD_BEFORE = re.compile(r"(?:[가-힣]{1,6}\d{0,2}(?:읍|면|동|리|\d가))\s$")
# A particle 로 after an ordinary noun ("전화로 2번", "앱으로 3번"): never a road.
_NOT_ROAD_END = re.compile(
    r"(?:[가-힣]*으로|[가-힣]{0,3}(?:전화|카드|문자|메일|택배|현금|계좌|통장|창구|지점|대출|이체|송금|"
    r"상담|채팅|카톡|팩스|등기|방문|온라인|모바일|인터넷|우편|자동|수동|별도|기본|최대|최소|"
    r"평균|실제|추가|무료|유료|할부|일시불|정상|처음|새로|마지막|서로|따로|혼자|같이|함께|"
    r"차례|순서|대신|먼저|나중|바로|절대|억지|뒤쪽|앞쪽|오른쪽|왼쪽)로|(?:앱|외|쪽|편|위|뒤|앞|옆|안|밖|도|그|이|저)로)"
)


def _admin_before(norm: str, start: int) -> bool:
    return _ADMIN.search(_before(norm, start, 28)) is not None


def _address_cue(norm: str, start: int) -> bool:
    return _last_position(_before(norm, start, 30), _ADDRESS_CUES) >= 0


# Words a writer puts in brackets after an address as a note, not as a building's name.
_NOTE_WORDS = frozenset(
    "오늘 내일 어제 모레 주말 평일 오전 오후 저녁 아침 회사 직장 사무실 집 자택 본가 친정 시댁 "
    "기숙사 신주소 구주소 새주소 현주소 예전 이전 변경 부재시 부재 급함 긴급 문앞 경비실".split()
)


def _tail_end(norm: str, end: int) -> int:
    """Trim trailing spaces and commas the tail swallowed, and a bracketed word after the unit
    that is the writer's note, not a building's name ("3층 (급함)", "(오늘)")."""
    while end > 0 and norm[end - 1] in " ,":
        end -= 1
    if norm[end - 1 : end] == ")":
        at = norm.rfind("(", 0, end)
        word = norm[at + 1 : end - 1]
        if at >= 0 and (word[-1:] in "요다함음임됨줘" or word in _NOT_NAMES or word in _NOTE_WORDS):
            return _tail_end(norm, at)
    return end


_WORD_BEFORE = re.compile(r"([가-힣A-Za-z0-9]{2,14})\s?$")
# Last syllables of a word that ends in a particle or an ending, which no complex name does.
_PARTICLE_END = frozenset("은는이가을를에의도로와과서요다고면며지게")


def _complex_start(norm: str, start: int) -> int:
    """Take in the one or two words before "101동 1203호" that name the complex and its 동
    ("잠실엘스 101동 1203호", "잠실동 잠실엘스 101동 1203호"), but not "집은" or a 시·군·구."""
    for _ in range(2):
        m = _WORD_BEFORE.search(norm, max(0, start - 16), start)
        if (
            not m
            or _ADMIN.fullmatch(m.group(1))
            or m.group(1)[-1] in _PARTICLE_END
            and not re.search(rf"(?:{_BUILDING_RE}|[가-힣]동|\d가)$", m.group(1))
        ):
            break
        if m.group(1) in _NOT_COMPLEX:
            break
        start = m.start(1)
    return start


# Words that sit before a unit without naming a building.
_NOT_COMPLEX = frozenset(
    "우리 저희 제 집 우리집 저희집 주소 주소는 주소가 사는 거주 현재 지금 새 이사 옛날 예전".split()
)


_CAPITAL = re.compile("[A-ZÀ-ÖØ-Þ]")
_QUOTES = re.compile("[\"'“‘「]")


# An address in Chinese characters (Japan, China, Taiwan): a prefecture or province, a city or
# ward, then the block and house numbers. "東京都新宿区西新宿2-8-1", "上海市浦东新区世纪大道100号".
_HAN_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{1,4}[都道府県省市][\u4e00-\u9fff\u3040-\u30ff]{1,12}?"
    r"(?:[\u4e00-\u9fff]{0,8}[区市町村郡县路街道])[\u4e00-\u9fff\u3040-\u30ff]{0,8}"
    r"\d{1,5}(?:\s?(?:-|丁目|番地?|号|弄|之)\s?\d{0,5}){1,4}(?:号|室|階)?"
)


def _english_address_spans(norm: str):
    for m in _HAN_ADDRESS.finditer(norm) if re.search("[\u4e00-\u9fff]", norm) else ():
        yield m.start(), m.end(), ADDRESS
    if not _CAPITAL.search(norm):
        return
    for m in _ENGLISH_ADDRESS.finditer(norm):
        if re.search(r"\d", m.group()):
            yield m.start(), _tail_end(norm, m.end()), ADDRESS
    for m in _STREET_ABROAD.finditer(norm):
        yield m.start(), _tail_end(norm, m.end()), ADDRESS


def _address_spans(norm: str):
    yield from _english_address_spans(norm)
    yield from _road_address_spans(norm)
    yield from _lot_address_spans(norm)
    for m in _COMPLEX_UNIT.finditer(norm):
        start = _complex_start(norm, m.start())
        if start == m.start() and re.match(r"제?\s?\d", m.group()):
            # A 동 and 호 alone ("'305동 1802호' 만 쓰면 안 되고"): without the road or the complex
            # they say little, unless the sentence is about where something is delivered.
            if not _address_cue(norm, m.start()):
                continue
        yield start, m.end(), ADDRESS
    for m in _BUILDING_UNIT.finditer(norm):
        word, name, floor = m.groups()
        hidden = any(c in _HIDDEN_CHARS for c in m.group())
        if floor and not hidden:
            continue  # "롯데타워 3층" is a shop's floor, not a home
        if name or hidden or word and not (_common(word) or word in _NOT_COMPLEX):
            start = m.start() if word and not _common(word) else m.start(2)
            yield _complex_start(norm, start), m.end(), ADDRESS


def _road_address_spans(norm: str):
    """도로명주소: a road name and building number, with the 읍·면·동 just before it."""
    for m in _ROAD.finditer(norm):
        road, tail = m.group(1), m.group(3)
        if _NOT_ROAD_END.fullmatch(road):
            continue
        if _UNIT_AFTER.match(norm, m.end(2)) and not tail.strip(" ,"):
            continue
        strong = _STRONG_ROAD.search(road) is not None
        has_tail = bool(tail.strip(" ,")) or "-" in m.group(2)
        if not (
            strong or has_tail or _admin_before(norm, m.start()) or _address_cue(norm, m.start())
        ):
            continue
        start = m.start()
        emd = _EMD_BEFORE.search(norm, max(0, start - 10), start)
        if emd and not _ADMIN.fullmatch(emd.group().strip()):
            start = emd.start()
        yield start, _tail_end(norm, m.end()), ADDRESS


def _lot_address_spans(norm: str):
    """지번주소: a 동/리/가 and lot number, with the 읍 or 면 just before it."""
    for m in _LOT.finditer(norm):
        lot, tail = m.group(1), m.group(5)
        if _ADMIN.fullmatch(lot):
            continue
        strong = bool(m.group(2) or m.group(4) or "-" in m.group(3) or tail.strip(" ,"))
        if _UNIT_AFTER.match(norm, m.end(3)) and not (m.group(4) or tail.strip(" ,")):
            continue
        if not (strong or _admin_before(norm, m.start()) or _address_cue(norm, m.start())):
            continue
        if lot.endswith("리") and not (_admin_before(norm, m.start()) or strong):
            continue
        if lot.endswith("자리") or (
            lot.endswith("리") and _common(lot) and not _EMD_BEFORE.search(norm, 0, m.start())
        ):
            continue  # 자리, 거리, 우리: words, not a village (상리 after 봉담읍 is one)
        start = m.start()
        emd = _EMD_BEFORE.search(norm, max(0, start - 10), start)
        if emd and emd.group().strip().endswith(("읍", "면")):
            start = emd.start()
        yield start, _tail_end(norm, m.end()), ADDRESS


# --- names -----------------------------------------------------------------------------------

# Titles and roles written after a name (김민수 님, 이OO 팀장).
_TITLES = (
    "고객님 고객 님 씨 상담원 상담사 팀장 과장 대리 주임 "
    "매니저 직원 행원 계장 차장 부장 선생님 선생 "
    "설계사 기사님 기사 지점장 점장 사원 담당자 대표 사장 실장 원장 교수 변호사 세무사 회계사 "
    "간호사 의사 약사 여사"
).split()
_TITLE_RE = _alternation(_TITLES)
# Particles and endings that may follow a name (or its title) inside the same word.
_ENDINGS = (
    "께서는 께서 에게서 에게는 에게 한테서 한테 께 이에요 "
    "예요 입니다 이고 이며 이라고 라고 이라는 라는 "
    "이랑 랑 으로 로 이었 였 인데 이요 이가 은 는 이 가 을 를 의 "
    "과 와 도 만 님 씨 명의로 명의 고 이야 야 이세요 세요 "
    "이시고 시고 이신데 신데 이십니다 십니다 이셨 셨 "
    "이시며 시며 이었는데 였는데 이었어요 였어요 앞으로"
).split()
_NAME_REST = re.compile(rf"(?:{_TITLE_RE})?(?:{_alternation(_ENDINGS)})?")
_PLACEHOLDER = re.compile(
    r"(?<![가-힣])([가-힣])([O○*◯●0xXㅇ\u110b△□]{1,2}|모)\s?(?:" + _TITLE_RE + ")"
)
# A label before the name: the name is the next word whatever it looks like.
_LABEL_TAIL = (
    r"명?(?:\s?(?:분|님))?(?:\s?(?:의|은|는|이|가|:|=|-|은요|이요|(?<=름|함|명)[을를]))?"
    r"(?:\s?(?:이름|성함|성명|표시|란|칸|명의)(?:은|는|이|가|:)?)?"
    # "내 이름 석 자 정순례", "이름 세 글자"
    r"(?:\s?(?:석|세|두|네)\s?(?:자|글자)(?:인|는|가|를)?)?\s?:?\s?[(\[\"'“‘「]?$"
)
_NAME_LABEL = re.compile(
    r"(?:이름|성함|성명|실명|예금주명?|수취인|수령인|수신인|받는\s?(?:사람|분|이)|보내는\s?(?:사람|분|이)|보낸\s?(?:사람|분|이)|"
    r"받으시는\s?분|보내신\s?분|임대인|임차인|집주인|세입자|명의자|가입자|계약자|신청인|신청자|보호자|대표자|"
    r"피보험자|수익자|채무자|채권자|작성자|고객명|주문자|구매자|판매자|입금자명?|송금인|의뢰인|당사자|배우자|"
    r"서명|사인|명의인|소유자|차주|운전자|환자|학생|회원|명의|[Mm]y name is|[Nn]ame\s?:)"
    + _LABEL_TAIL
)
_TITLE_AFTER = re.compile(
    rf"\s(?:{_TITLE_RE})(?=$|[^가-힣]|님|께|이|가|은|는|을|를|의|에|한테|하고|으로|로|과|와|도|만|라|분|인|입|예|였)"
)
_CALLED = re.compile(r"\s?(?:사람|분|이름|직원|상담원|상담사|명의|예금주)")
# Introducing oneself: "저는 강민호입니다", "전 김솔이라고 해요".
_INTRO_LEFT = re.compile(r"(?:저는|전|나는|난|제가)\s?$")
_INTRO_RIGHT = re.compile(
    r"\s?(?:입니다|이에요|예요|이고요|(?:이)?라고\s?(?:합니다|해요|하는데|했는데))"
)
# Roles: often followed by a name ("상담원 김민수"), as often by anything else ("상담원이 이상한").
_ROLE_LABEL = re.compile(
    r"(?:담당자|담당|상담원|상담사|직원|설계사|기사|본인|매니저|팀장|과장|대리)" + _LABEL_TAIL
)
# Family words: a name in brackets after them, or right after them as in "아버지 김철수".
_FAMILY = re.compile(
    r"(?<![가-힣])(?:전|친|큰|작은|외|우리|제|내)?\s?(?:아버지|어머니|아버님|어머님|아빠|엄마|남편|아내|와이프|부인|아들|딸|동생|남동생|여동생|형|오빠|언니|누나|"
    r"할머니|할아버지|시어머니|시아버지|장모님?|장인어른|장인|며느리|사위|조카|삼촌|이모|고모|외삼촌|친구|지인|"
    r"부모님|자녀|손자|손녀|손주|처제|처남|시누이|매형|형부|제부|동서|남자친구|여자친구|남친|여친|신랑|신부|"
    r"애인|약혼자|사장님|사장|사촌|동료|선배|후배|룸메이트|시누|올케|처형|예비신랑|예비신부)"
    r"(?:\s?분)?(?:\s?(?:\(|이름은?\s?|성함은?\s?|인\s|의\s|:\s?)|\s)$"
)
# After the name: a list of personal details, a romanised spelling, a title on its own.
_NAME_RIGHT = re.compile(
    r"(?:\s?[,/]\s?(?:주민|생년|전화|연락처|휴대폰|핸드폰|폰|주소|계좌|이메일|메일|여권|\+?\d{2,3}[-\s).]|\d{6}|\d{10,11}(?!\d))"
    r"|\s?\(\s?(?:[A-Z][A-Za-z]+[ -]?){2,3}\)|\s?\(\s?\d{6}(?!\d)|\s?/\s?[A-Z][A-Za-z]+\s[A-Z]"
    r"|\s?\(\s?(?:\d{1,3}\s?(?:세|살)|\d{2,4}\s?년생|(?:남|여|男|女)\s?[,)/]|본인|가명|예금주|명의자)"
    r"|\s?명의|\s앞으로|\s(?:이라는|라는)\s?(?:사람|분|이름|직원|상담원))"
)
# Words shaped like surname + given name that are ordinary Korean, banks, places or roles.
# The grammar above rejects most of them (no label, no title); these are the ones that do
# come with a title or after a label word in normal writing.
_NOT_NAMES = frozenset(
    "이번 이제 이미 이상 이런 이전 이후 이거 이게 정말 정도 "
    "정상 전화 전체 전에 조금 주말 방금 오늘 오전 오후 "
    "강제 고객 한번 안내 담당 문의 신규 기존 최근 최초 "
    "남자 여자 여성 남성 한참 계속 상담 지점 지난 저번 "
    "모든 어떤 다른 같은 해당 우리 제가 저희 진짜 계좌 장애 기사 공지 공식 국민 신한 하나 농협 "
    "기업 카카오 토스 은행 주임 사원 대표 선생 원래 마지막 처음 다음 여러 몇몇 모두 남은 나머지 "
    "현재 당시 당일 한분 한명 두분 여러분 이분 그분 저분 어느 무슨 상대 담당자 상담사 상담원 "
    "방문 도움 친절 불친절 설명 연결 통화 전달 확인 처리 안내원 배송 경비 관리 직원 "
    "이용 우체국 구매 회원 본인 주인 가족 엄마 아빠 부모 친구 동생 언니 오빠 누나 형님 남편 아내 "
    "장모 시어 할머 할아 손님 사장 사모 부장 차장 과장 "
    "대리 팀장 점장 지점장 매니저 은행원 행원 창구 "
    "신입 경력 선임 후임 현장 지역 본점 본사 지점장 "
    "부지점장 본부장 변호사 세무사 회계사 설계사 간호사 "
    "경비원 관리자 관리인 상담직원 여직원 남직원 대리점 점원 배달원 택배 기사분 고객센터 안내원 "
    "김포 한강 강남 강북 강서 강동 서초 송파 마포 성수 신촌 홍대 이태원 명동 종로 노원 도봉 용산 "
    "한국 조선 고려 신라 백제 정부 국가 국세 국회 한전 "
    "한화 현대 삼성 대우 신세계 우리카드 하나카드 "
    "신한카드 국민카드 현대카드 삼성카드 롯데카드 비씨카드 "
    "농협카드 하나은행 우리은행 신한은행 국민은행 "
    "조회 조치 조정 주문 주소 지급 지연 지원 진행 차단 최종 최대 최소 추가 취소 한도 해지 해결 "
    "송금 신청 신고 안전 양도 여권 연락 예약 오류 유지 인증 임시 입금 장기 전산 정보 제출 제한 "
    "공인 공동 공과금 금리 기한 남편분 도착 동의 명의 문자 민원 방법 배상 변경 보상 보안 부족 "
    "부분 부당 부과 부서 서류 서비스 석달 설정 성함 소비자 손해 수수료 수신 수정 승인 시간 "
    "신용 심사 안심 연체 영업 예금 온라인 완료 요청 우편 원금 위반 유선 이자 인출 일반 임대 "
    "장부 재발급 전자 절차 접수 정산 제도 조건 조작 주의 증명 지출 차량 채무 채권 책임 청구 "
    "추심 출금 통지 통장 판매 편의 평가 표시 피해 한국인 해외 혜택 홍보 환불 환전 회사 "
    "고객님 선생님 사장님 기사님 과장님 부장님 팀장님 대리님 주임님 원장님 실장님 교수님 "
    "하느님 하나님 부모님 어머님 아버님 도련님 형님 누님 사모님 여사님 사위 장인 장모님 "
    "성공 실패 정리 정부 정책 조사 주민 주택 지하 천천 한참 한편 한쪽 함께 허락 허위 "
    "나중 나머지 마음 마지막 모바일 무슨 문제 민원인 반드시 방금 백화점 번호 별도 보험 "
    "보험사 본점 부산 서울 대구 인천 광주 대전 울산 세종 경기 강원 충북 충남 전북 전남 경북 "
    "경남 제주 수원 성남 고양 용인 안양 안산 부천 평택 시흥 김해 포항 전주 천안 청주 창원 "
    "우리은 하나은 신한은 국민은 나라 나이 도로 명절 문서 반품 반환 배달 상품 상태 성별 소득 "
    "손실 송파구 오늘은 유선상 이름 임대인 임차인 정기 조만간 지금 차주 최소한 한달 한번은 "
    "아버지 어머니 아버님 어머님 할머니 할아버지 이모 "
    "이모님 고모 고모님 삼촌 조카 사위 남동생 여동생 "
    "남자친구 여자친구 시어머니 시아버지 장인어른 사람 사람들 다른사람 상대방 본인이 제가요 "
    # Job titles of public bodies and firms, said where a name would be ("담당자: 조사역").
    "조사역 심사역 검사역 조사관 감독관 주무관 사무관 수석 선임 책임 연구원 양반 "
    "아들 딸 자녀 아이 애기 아기 손자 손녀 조카 "
    # How many letters a name has ("내 이름 석자", "성이 두 글자라").
    "석자 두자 세자 넉자 외자 글자 두글자 세글자 네글자 ".split()
)
_ROMAN_NAME = re.compile(
    r"(?<![A-Za-z])([A-Z][A-Za-z]{0,9})(?:[ -]([A-Z][a-z]{1,11}|[A-Z]{1,12}))"
    r"(?:[ -]([A-Z][a-z]{0,11}|[A-Z]{1,12}))?(?![A-Za-z])"
)
_ROMAN_CUES = (
    "영문",
    "여권",
    "passport",
    "Passport",
    "영어",
    "English",
    "로마자",
    "카드에",
    "이름",
)
# One syllable of Korean written in Latin letters, in the Revised Romanisation or the spellings
# passports kept before it (Seo, Hyun, Choi, Jeong, Woo): an initial, a vowel, a final.
_ROMAN_SYLLABLE = (
    r"(?:kk|gg|tt|pp|ss|jj|ch|sh|g|k|n|d|t|r|l|m|b|p|s|j|h|w|y|c)?"
    r"(?:yeo|yae|wae|wo|we|wi|eo|eu|ae|ya|ye|yo|yu|oe|wa|ui|oo|ee|ou|oh|a|e|i|o|u)"
    r"(?:ng|n|m|l|k|p|t|r)?"
)
_ROMAN_GIVEN = re.compile(rf"{_ROMAN_SYLLABLE}(?:[ -]?{_ROMAN_SYLLABLE}){{0,2}}")


def _split_name(word: str, longest: int = 2) -> list[tuple[str, str]]:
    """Ways a Hangul word can be surname + given name: [(surname, given)], likeliest first.
    Given names have one or two syllables; three (다니엘, 하늘별) only where `longest` allows."""
    out = []
    if word[:2] in SURNAMES_2 and 1 <= len(word) - 2 <= longest:
        out.append((word[:2], word[2:]))
    if word[0] in SURNAMES_1 and 1 <= len(word) - 1 <= longest:
        out.append((word[0], word[1:]))
    return out


# Last syllables that make a word an adjective or verb form ("이상한", "정확한", "지난"), not a
# name.
_VERB_ENDINGS = frozenset("한된던는을게고며면요도로과와를데으")


# A common word and a particle, an ending or a suffix, in three syllables (아니라, 서명을, 이자율):
# never a name, though the whole is in no word list. 은, 이, 지, 해, 나, 란 end too many given
# names (이하은, 신예지, 박동해) to count here; with no person word near, they do (_BARE_FINALS).
_GRAMMAR_FINALS = frozenset(
    "는가을를의도만에로라고요서게며면야랑와과죠하율률액료층실점권증들좀든용"
)
_BARE_FINALS = frozenset("은이해나니말주시성")
_COPULA_START = (
    "이라",
    "이에",
    "이었",
    "이였",
    "이잖",
    "이럴",
    "이렇",
    "이런",
    "이러",
    "이더",
    "이셨",
    "하더",
    "하시",
)
# The copula and the demonstrative 이 in two syllables, and roles said after a surname (공배우님,
# 백대표, 김기자): never a given name.
_COPULA_WORDS = frozenset(
    "이다 이야 이지 이고 이네 이래 인데 이며 이나 이니 이든 이면 이요 이죠 이라 이여".split()
)
_ROLE_NOUNS = frozenset(
    "배우 선배 후배 기자 작가 감독 선수 회장 의원 교수 위원 총장 장관 대표 선생 사장 기사 "
    "부장 과장 팀장 실장 원장 사원 대리 주임 이사 상무 전무 박사 변호사 검사 판사 형사 서방 경장 "
    "경위 경사 순경 모씨".split()
)


def _common(word: str) -> bool:
    return word in _NOT_NAMES or word in COMMON_WORDS


def _ordinary(word: str, finals: frozenset = _GRAMMAR_FINALS) -> bool:
    """An everyday word (Kiwi's frequent common words, or the banks, places and roles above), a
    surname with a role (공배우) or "this" with a noun (이사람, 이내용)."""
    return (
        _common(word)
        or word[-1] in _VERB_ENDINGS
        or word.startswith(_COPULA_START)
        or word in _COPULA_WORDS
        or word[1:] in _ROLE_NOUNS
        or word[2:] in _ROLE_NOUNS
        or (len(word) == 3 and (word[2] in finals and _common(word[:2]) or word[1:] in _VERB_TAILS))
    )


# A verb made a noun or joined to the next one: 정하기, 전해주.
_VERB_TAILS = frozenset(
    "하기 하고 하지 하게 하면 하며 하자 해주 해서 해도 하러 하려 했다 했고 했어 했는 "
    "와서 어서 아서 워서 져서 려서 여서 내서".split()
)


def _plausible(word: str, threshold: float, short_ok: bool) -> bool:
    if _ordinary(word):
        return False
    for surname, given in _split_name(word, 3 if short_ok else 2):
        if len(given) == 3:
            # Only after a label, not a compound of common words ("여권번호", "계좌번호"), and
            # only of syllables given names use (다니엘, not 여쭤보니).
            return (
                word[:2] not in _NOT_NAMES
                and word[2:] not in _NOT_NAMES
                and all(c in GIVEN_FIRST or c in GIVEN_SECOND for c in given)
            )
        if len(given) == 1 and len(surname) == 1 and not short_ok:
            continue  # "김솔": a name, but so are a hundred two-syllable words; only after a label
        # Without a label, a syllable seen in given names at least once in the name: the preview
        # lets a person keep "오뚜기 고객님" unmasked, while a name let through is not taken back.
        if given_name_score(given) >= threshold and (
            short_ok
            or any(
                c in table
                for c, table in zip(
                    given[-2:], (GIVEN_FIRST, GIVEN_SECOND)[-len(given) :], strict=False
                )
            )
        ):
            return True
    return False


def _plausible_word(word: str) -> bool:
    """After "이름 :" or before a list of details, even a name that is also a word (배수지,
    하소연)."""
    return (
        any(given_name_score(given) > 0.7 for _, given in _split_name(word, 2))
        and word[-1] not in _VERB_ENDINGS
    )


def _candidate_names(norm: str, start: int, end: int):
    """The name inside the Hangul word norm[start:end], if one is shaped like a name:
    (s, e, title)."""
    word = norm[start:end]
    results = []
    # A two-syllable surname takes a two-syllable given name first (남궁다은 + 이, not 남궁다 + 은).
    for length in (4, 3, 2) if word[:2] in SURNAMES_2 else (3, 2, 4):
        if length > len(word):
            continue
        name, rest = word[:length], word[length:]
        if name in _NOT_NAMES and _NAME_REST.fullmatch(rest):
            return []  # "이름이", "고객님": an ordinary word with its particle
        if not _split_name(name, 3):
            continue
        if rest == "":
            results.append((start, start + length, False))
            continue
        m = _NAME_REST.fullmatch(rest)
        if m:
            results.append((start, start + length, any(rest.startswith(t) for t in _TITLES)))
    return results


# --- names with no word around them that says "a person" ---------------------------------------
# "전 남친 유건우가 …", "정다운으로 나와서", "서지혜예요": a full name is told apart from an
# ordinary word by how likely it is as a name, the way name finders for Korean score candidates
# (surname frequency times given-name syllable likelihood, e.g. the syllable-based Korean
# person-name recognisers of the HCLT/KIPS literature, and the 대법원 popular-name statistics
# behind pii_lexicon.GIVEN_FIRST/SECOND): the census share of the surname, the positional
# frequency of the given name's syllables, and what follows the word. Kiwi's frequent common
# words (pii_lexicon.COMMON_WORDS) and the place and bank names above are never taken.
# What may follow a bare name in the same word, and how much it says "a person".
_BARE_PERSON = re.compile(
    r"(?:이)?(?:씨|님|한테서|한테|에게서|에게|께서|께|랑|이랑|하고)"
    r"|(?:이)?(?:에요|예요|라고|라서|라는|었|였|고요|시고|신데|십니다)|입니다|이$"
)
_BARE_PLAIN = re.compile(
    r"(?:이)?(?:가|는|를|의|도|만|로|와)|[은을과]|으로|이가|이는|이를|이의|이도"
)
# The word after a bare name, when the particle is written apart ("진미숙 이라고",
# "최준형 아니라고").
_BARE_NEXT = re.compile(
    r"\s(?:이라고|라고|이에요|예요|입니다|이고|으로|님|씨|고객님|아니고|아니라|아니에요|아닌데|맞|명의|앞으로|이름|계좌)"
)
# People's verbs soon after the name: sending, receiving, saying, calling, lending.
_PEOPLE_VERBS = (
    "보냈",
    "보내",
    "받았",
    "받은",
    "말했",
    "말하",
    "전화",
    "연락",
    "빌려",
    "갚",
    "했",
    "불러",
    "부르",
    "떠",
    "뜨",
    "뜬",
    "나와",
    "나오",
    "찍혀",
    "적어",
    "되어",
    "돼",
    "썼",
    "바뀌",
)
_BARE_THRESHOLD = 2.6
_WORD_PENALTY = 0.35
_PLAIN_BONUS = 0.2
_PLACE_ENDINGS = frozenset("역점읍면군동")


def _bare_score(core: str, rest: str, after: str) -> float:
    """How likely `core` (a whole name) is a person's name, from its parts and what follows it."""
    if (
        _ordinary(core, _GRAMMAR_FINALS | _BARE_FINALS)
        or core[-1] in _PLACE_ENDINGS
        or core in SIGUNGU
        or core in SIDO
        or (core[0] == "이" and _common(core[1:]))
        or _common(core[1:] + rest)
    ):
        return 0.0  # 이사람, 이내용: "this …"; 이아저씨: a surname and a word
    best = 0.0
    for surname, given in _split_name(core, 2):
        if len(surname) + len(given) < 3:
            continue  # a two-syllable word is a name only with a label or a title
        score = given_name_score(given) + 0.25 * math.log(SURNAME_SHARE[surname])
        # Many names are words too (하늘, 지원) and many words open like one (이번주, 안정성):
        # either halves the odds when nothing else says "a person".
        score -= _WORD_PENALTY * (_common(given) + (len(surname) == 1 and _common(core[:2])))
        if len(surname) == 2:
            score += 0.8  # 남궁, 황보, 제갈…: rare, and almost never the start of another word
        best = max(best, score)
    if not best:
        return 0.0
    if _BARE_PERSON.fullmatch(rest) or (not rest and _BARE_NEXT.match(after)):
        best += 0.6
    elif rest and not _BARE_PLAIN.fullmatch(rest):
        return 0.0
    elif rest:
        best += _PLAIN_BONUS
    if _first_position(after[:14], _PEOPLE_VERBS) >= 0:
        best += 0.3
    return best


def _bare_names(norm: str, m: re.Match):
    """A name with no cue around it, in the word m: its span, or None."""
    word = m.group()
    for length in (3, 4):
        core, rest = word[:length], word[length:]
        if len(core) < length or (length == 4 and core[:2] not in SURNAMES_2):
            continue
        after = norm[m.end() : m.end() + 16]
        if core[-1] in "리가" and not rest and re.match(r"\s?(?:산\s?)?\d", after):
            continue  # a 리 or 가 with its lot number: an address
        if _bare_score(core, rest, after) >= _BARE_THRESHOLD:
            return m.start(), m.start() + length
    return None


# A label glued to the name in one long word: "예금주이름이강민서로되어있어야하는데".
_GLUED_LABEL = re.compile(
    r"(?=((?:이름|성함|성명|예금주|수취인|받는사람|보내는사람|명의)(?:은|는|이|가|을|를|:)?)[가-힣])"
)
# A name that is not Korean, after a name label and before a copula: "이름은 탄티홍 이에요".
_LABEL_THEN_WORD = re.compile(
    r"(?:이름|성함|성명)(?:은|는|이|:)?\s?:?\s?([가-힣]{2,5}?)(?:\s?(?:이에요|예요|입니다|이고|이라고|라고)(?![가-힣])|\s?[,(/])"
)
_NOT_NAME_END = frozenset("요다고서니데는음네죠까게지면며한된던을를에의도만")
# A two-syllable surname written apart from the given name: "제갈 윤", "남궁 민수".
_SPACED_NAME = re.compile(
    rf"(?<![가-힣])({'|'.join(sorted(SURNAMES_2 - {'서문', '동방'}))})\s([가-힣]{{1,2}}?)"
    r"(?=$|[^가-힣]|[이가은는을를의로와과도님씨]|으로)"
)
# A foreign name in Hangul with its Latin spelling in brackets: "존 밀러(JOHN MILLER)".
_LATIN_IN_BRACKETS = re.compile(r"\s?\(\s?((?:[A-Z][A-Za-z]+[ -]?){2,3})\)")
# A Korean name in brackets after its Latin spelling: "PARK SEOYEON(박서연)".
_LATIN_THEN_HANGUL = re.compile(r"\s?\(\s?([가-힣]{2,4})\s?\)")
# Initial consonants (ㄱ…ㅎ) and the Latin letters a spelling of them may begin with.
_INITIAL_LETTERS = (
    "GK",
    "GK",
    "N",
    "DT",
    "DT",
    "RL",
    "M",
    "BPV",
    "BP",
    "SCX",
    "S",
    "AEIOUYW",
    "JZGC",
    "JT",
    "CT",
    "KCQ",
    "T",
    "PF",
    "HW",
)


def _same_sound(hangul: str, latin: str) -> bool:
    """Do the Hangul words and the Latin words begin alike, word by word (존 밀러 / JOHN MILLER)?"""
    words, letters = hangul.split(), latin.replace("-", " ").split()
    if len(words) != len(letters):
        return False
    return all(
        latin_word[0].upper() in _INITIAL_LETTERS[(ord(w[0]) - 0xAC00) // 588]
        for w, latin_word in zip(words, letters, strict=False)
    )


# A foreign name in Hangul after a word for a person, with no Latin spelling: "외국인 남편 왕 웨이
# 명의로", "세입자 다니엘 스미스가". Two or three words up to a particle, none of two syllables or
# more a common word (pii_lexicon.COMMON_WORDS), and none but the last with a particle of its own.
_FOREIGN_CUE = re.compile(
    _FAMILY.pattern.removesuffix("$")
    + r"|(?<![가-힣])(?:외국인|세입자|직원|근로자|임대인|임차인|집주인|예금주|명의자|수취인|"
    r"받는\s?분|받는\s?사람)\s"
)
_FOREIGN_ENDING = re.compile(r"(.+?)(이랑|한테|에게|이|가|의|은|는|을|를|과|와|랑|도|씨|님)?")
_PERSON_NEXT = re.compile(r"\s?(?:명의|씨|님|\()")
_PARTICLE_SYLLABLES = frozenset("은는을를의에로도만과와랑서고면다요")
_PRONOUNS = frozenset("저 나 너 제 내 네 그 이 우리 저희 그분 자기".split())


def _two_words(word: str) -> bool:
    """A compound of two common words (월급통장, 급여통장): Korean, not a foreign name."""
    return len(word) >= 4 and any(
        _common(word[:i]) and _common(word[i:]) for i in range(2, len(word) - 1)
    )


def _foreign_names(norm: str):
    for cue in _FOREIGN_CUE.finditer(norm):
        words = []
        for w in _HANGUL_WORD.finditer(norm, cue.end(), cue.end() + 30):
            if norm[words[-1].end() if words else cue.end() : w.start()] != (" " if words else ""):
                break
            words.append(w)
            if len(words) == 3:
                break
        for k in (3, 2):
            if len(words) < k:
                continue
            last = words[k - 1].group()
            stems = [last] if _PERSON_NEXT.match(norm, words[k - 1].end()) else []
            split = _FOREIGN_ENDING.fullmatch(last)
            if split.group(2):
                stems.append(split.group(1))
            for stem in stems:
                parts = [w.group() for w in words[: k - 1]] + [stem]
                # A Korean name or a pronoun first ("아버지 제갈동수 명의", "예금주 제 이름"): the
                # Korean rules decide; a foreign name does not open with one.
                if (
                    parts[0] in _PRONOUNS
                    or len(parts[0]) >= 3
                    and _plausible(parts[0], 0.0, short_ok=True)
                ):
                    continue
                if (
                    any(len(p) > 1 for p in parts)
                    and not any(len(p) > 1 and _common(p) for p in parts)
                    and not any(p[-1] in _PARTICLE_SYLLABLES for p in parts[:-1])
                    and stem not in _PRONOUNS
                    and not any(
                        _two_words(p) or len(p) > 2 and p[-1] in "이가" and _common(p[:-1])
                        for p in parts
                    )
                ):
                    yield words[0].start(), words[k - 1].start() + len(stem), NAME
                    break
            else:
                continue
            break


# Half-hidden names: a surname and the rest masked, or one syllable masked (김OO, 이*영, 이준*,
# 서문태oo).
_HIDDEN_MASK = "O○*◯●xXoㅇ\u110b△□"
# An initial consonant alone for the hidden syllable ("박ㅈ훈", "김ㅁ수"; NFKC makes ㅈ U+110C),
# between a surname and a given syllable: ㅋ and ㅎ are left out, they are laughter.
_JAMO_NAME = re.compile(
    r"(?<![가-힣])([가-힣]{1,2})([\u1100-\u110a\u110c-\u110e\u1110\u1111])([가-힣])"
)
_HIDDEN_NAME = re.compile(
    rf"(?<![가-힣A-Za-z0-9])([가-힣]{{1,3}}?)([{_HIDDEN_MASK}]{{1,2}})([가-힣]?)(?![{_HIDDEN_MASK}A-Za-z0-9])"
)
_NOT_GIVEN_AFTER_MASK = frozenset("님씨이가은는을를의께도와과랑로으에")


def _hidden_names(norm: str):
    for m in _JAMO_NAME.finditer(norm):
        if m.group(1) in SURNAMES_1 or m.group(1) in SURNAMES_2:
            yield m.start(), m.end(), NAME
    for m in _HIDDEN_NAME.finditer(norm):
        head, mask, tail = m.groups()
        if not (
            head in SURNAMES_1 or head in SURNAMES_2 or (len(head) >= 2 and _split_name(head, 1))
        ):
            continue
        end = m.end(2)
        if (
            tail
            and tail not in _NOT_GIVEN_AFTER_MASK
            and len(mask) == 1
            and head in SURNAMES_1 | SURNAMES_2
        ):
            end = m.end(3)  # 이*영
        if (
            mask in ("o", "x")
            and not _TITLE_AFTER.match(norm, end)
            and tail not in _NOT_GIVEN_AFTER_MASK
        ):
            continue  # one lower-case letter after a syllable is more often a typo than a mask
        yield m.start(), end, NAME


_HANGUL_WORD = re.compile(r"[가-힣]+")


# --- given names on their own ----------------------------------------------------------------
# Friends, children and colleagues are named by the given name alone: "민지랑", "형 준혁이가",
# "동생 건우 이름으로", "수진, 지은, 하람 셋". A two-syllable word is taken for one when its
# syllables are those given names are made of (pii_lexicon.given_name_score), it is no common
# word, bank or place, and something says "a person": a relation word right before it, a
# particle only people take (한테, 에게, 랑, the 이 of "준혁이가"), or a list of such words
# counted as people. The weaker the cue, the more name-like the word must be.
_RELATIONS = (
    "아들 딸 동생 남동생 여동생 형 누나 언니 오빠 친구 남편 아내 와이프 엄마 아빠 알바생 알바 직원 "
    "삼촌 이모 고모 조카 손자 손녀 손주 큰아이 작은아이 큰애 작은애 첫째 둘째 셋째 막내 사촌 후배 "
    "선배 동료 남친 여친 남자친구 여자친구 신랑 애인 "
    "룸메 룸메이트 동기 짝꿍 딸아이 아들내미 딸내미 "
    "베프 사위 며느리 제자 동창 팀원 막내딸 막내아들 큰딸 큰아들 작은딸 작은아들 외손자 외손녀 "
    "조카딸 조카아들 사촌동생 사촌형 사촌언니 친동생 친언니 친오빠 친누나 친형 애기 아기"
).split()
_RELATION_SET = frozenset(_RELATIONS)
_RELATION_PREFIXES = ("우리", "울", "제", "내", "저희", "옆집", "친한")
# What follows a given name in its word, split by how surely it says "a person". After a name
# that ends in a consonant, people add 이 before the particle (준혁이가, 수빈이랑): only names take
# it.
_RELATION_GLUED = re.compile(rf"(?:{_alternation(_RELATIONS)})")
# Written without spaces: "삼촌용태한테돈빌려준거".
_GIVEN_GLUED = re.compile(rf"(?:{_alternation(_RELATIONS)})([가-힣]{{2}})(?=한테|에게|이랑|하고)")
_GIVEN_ANIMATE = re.compile(
    r"(?:한테서|한테|에게서|에게|께서|께|이랑|랑|하고|이네|네|아|야|(?:씨|님)(?:이|가|은|는|을|를|의|께|한테|도|이랑|과|와|께서)?)"
)
_GIVEN_PLAIN = re.compile(r"(?:가|는|도|를|의|와|이|은|을|과|만|로|이랑은|이가요|이는요)?")
_GIVEN_DIMINUTIVE = re.compile(
    r"이(?:가|는|도|를|의|랑|와|한테|한테서|에게|하고|네|만|야|요|였|였어|고|라고|라서|라는)?"
)
# After a noun that ends in a consonant, these never follow: "은행이가" is not Korean, "준혁이가"
# is.
_DIMINUTIVE_ONLY = re.compile(r"이(?:가|는|한테|한테서|에게|하고|네|야)")
_GIVEN_NEXT = re.compile(r"\s?(?:명의|이름|앞으로|씨|님|폰|휴대폰|$|[,.!?)])")
# A kinship word or a title said after a given name: "소연 언니가", "지훈 형이", "준서 쌤이".
_KIN_AFTER = re.compile(
    r"\s(?:언니|오빠|형|누나|선배|후배|쌤|선생님|이모|삼촌|엄마|아빠|어머니|아버지|어머님|아버님)"
    r"(?:님)?(?:이|가|은|는|을|를|의|한테|에게|께|랑|이랑|하고|도|네|$|(?![가-힣]))"
)
_GIVEN_NEXT_PERSON = re.compile(r"\s?(?:명의|이름|앞으로|씨|님)")
# Words after which a name-shaped word is a product or a shop: "채움 카드", "다온 적금".
_PRODUCT_NEXT = re.compile(
    r"\s?(?:카드|통장|계좌|적금|예금|대출|보험|앱|페이|포인트|쿠폰|지점|매장|점|은행|"
    r"체크|머니|뱅크|몰|마트|센터|펀드|상품|서비스|플러스|멤버십)"
)
# A list of names counted as people: "수진, 지은, 하람 셋 중에", "민수랑 지훈이랑 둘이".
_GIVEN_LIST = re.compile(
    r"(?<![가-힣])([가-힣]{2})(?:이)?(?:,\s?|\s?(?:랑|하고|와|과)\s)([가-힣]{2})(?:이)?"
    r"(?:(?:,\s?|\s?(?:랑|하고|와|과)\s|,?\s?(?:그리고|또)\s)([가-힣]{2})(?:이)?)?"
    r"(?:랑|하고|까지)?,?\s?(?:둘|셋|넷|다섯|모두|다같이|다\s|이렇게|[두세네]\s?명)"
)
_GIVEN_VERBS = (
    "보냈",
    "보내",
    "받았",
    "받은",
    "말했",
    "말하",
    "전화",
    "연락",
    "빌려",
    "갚",
    "알려",
    "가준",
    "해줬",
    "해준",
    "대신",
    "줬",
    "같이",
    "불러",
    "했는데",
    "했어",
    "했대",
    "그랬",
    "가르쳐",
)


def _given_ok(stem: str, floor: float, words_too: bool = False) -> bool:
    """A two-syllable word shaped like a given name, that is no word, bank or place we know."""
    if (
        len(stem) != 2
        or stem in _NOT_NAMES
        or stem in SIDO
        or stem in _PRONOUNS
        or stem in _BANKS
        or any(stem + suffix in SIGUNGU for suffix in "시군구")
        or stem[1] in _VERB_ENDINGS
    ):
        return False
    if stem[0] in _RELATION_SET and stem[1] in "이가은는을를의도랑와":
        return False  # "형이", "딸은": a relation word and its particle
    if stem in COMMON_WORDS and not words_too:
        return False
    if stem[0] not in GIVEN_FIRST or stem[1] not in GIVEN_SECOND:
        return False
    return given_name_score(stem) >= floor


def _given_rest(stem: str, rest: str) -> str | None:
    """'animate', 'plain' or None (not a particle a name takes) for what follows the name."""
    final = (ord(stem[-1]) - 0xAC00) % 28 != 0
    if final and _GIVEN_DIMINUTIVE.fullmatch(rest) and rest != "이":
        return "animate"
    if _GIVEN_ANIMATE.fullmatch(rest) and not (final and rest in ("랑", "네", "야")):
        return "animate"
    if _GIVEN_PLAIN.fullmatch(rest):
        return "plain"
    return None


def _relation_before(norm: str, prev: re.Match | None, start: int) -> bool:
    """Is the word before (one space away at most) a relation word: 아들, 우리 딸, 제동생,
    친구인?"""
    if prev is None or norm[prev.end() : start] not in ("", " "):
        return False
    word = prev.group()
    for ending in ("인", "이자"):
        if word.endswith(ending) and word[: -len(ending)] in _RELATION_SET:
            return True
    if word in _RELATION_SET:
        return True
    return any(word.startswith(p) and word[len(p) :] in _RELATION_SET for p in _RELATION_PREFIXES)


def _given_names(norm: str):
    prev = None
    for m in _HANGUL_WORD.finditer(norm):
        previous, prev = prev, m
        span = _given_name_in_word(norm, m, previous)
        if span:
            yield span
    for m in _GIVEN_GLUED.finditer(norm):
        if _given_ok(m.group(1), 1.7, words_too=True):
            yield m.start(1), m.end(1), NAME
    for m in _GIVEN_LIST.finditer(norm):
        names = [i for i in (1, 2, 3) if m.group(i)]
        if all(_given_ok(m.group(i), 2.0) for i in names):
            for i in names:
                yield m.start(i), m.end(i), NAME


def _given_name_in_word(norm: str, m: re.Match, previous: re.Match | None):
    """A given name alone at the start of the Hangul word `m` (or right after a relation word
    glued to it), when what is around it says "a person": (start, end, NAME) or None."""
    word = m.group()
    starts = [0]
    glued = _RELATION_GLUED.match(word)
    if glued and len(word) >= glued.end() + 3:  # a relation word glued to the name: "삼촌용태한테"
        starts.append(glued.end())
    for at in starts:
        stem, rest = word[at : at + 2], word[at + 2 :]
        if len(stem) < 2 or stem[0] not in GIVEN_FIRST or stem[1] not in GIVEN_SECOND:
            continue
        kind = _given_rest(stem, rest)
        if kind is None and rest:
            continue
        after = norm[m.end() : m.end() + 16]
        cue = at > 0 or _relation_before(norm, previous, m.start())
        if at > 0 and kind != "animate":
            continue
        if _given_name_said(norm, m, previous, stem, rest, kind, cue, after):
            return m.start() + at, m.start() + at + 2, NAME
    return None


def _given_name_said(
    norm: str,
    m: re.Match,
    previous: re.Match | None,
    stem: str,
    rest: str,
    kind: str | None,
    cue: bool,
    after: str,
) -> bool:
    """Is the given name `stem` (then `rest` in its word, `after` past it) surely a name here?"""
    if cue and not rest:
        # "아들 지호 명의로", "동생 건우 이름으로"; not "친구 채움 카드" (a product's name).
        return stem[-1] not in _PLACE_ENDINGS and (
            _GIVEN_NEXT.match(after) is not None
            and _given_ok(stem, 1.7)
            or _given_ok(stem, 2.3)
            and not _PRODUCT_NEXT.match(after)
        )
    if cue:
        return _given_ok(stem, 1.7, words_too=kind == "animate")
    if kind == "animate":
        # "서진이한테": the 이 only a name takes, so even a name that is also a word.
        return _given_ok(stem, 2.2, words_too=_DIMINUTIVE_ONLY.fullmatch(rest) is not None)
    if (
        kind == "plain"
        and rest
        and (
            m.start() == 0
            or norm[m.start() - 1] in ".!?\n"
            or (rest in ("가", "이가") and _first_position(after[:12], _GIVEN_VERBS) >= 0)
        )
    ):
        return _given_ok(stem, 2.35)  # "현우가 대신 은행 가준다고", "다희가 알려준"
    if not rest and _GIVEN_NEXT_PERSON.match(after):
        return _given_ok(stem, 2.35)  # "지호 명의로"
    if not rest and _KIN_AFTER.match(after):
        return _given_ok(stem, 2.0)  # "소연 언니가", "준서 쌤이"
    if (
        rest
        and previous is not None
        and previous.group() in ("우리", "울", "저희")
        and norm[previous.end() : m.start()] == " "
    ):
        return _given_ok(stem, 2.2)  # "우리 지호가 아파서"
    return False


# --- names from other countries, in Hangul and in Latin letters --------------------------------
# "저는 베트남 사람 응우옌 반 안 입니다", "my wife 마리아 산토스 is", "딜노자 라시도바 예요": two to
# four words that are parts of foreign names (pii_lexicon.FOREIGN_NAME_PARTS) or end like one
# (-오바, -오프, -벡), at least one of them of two syllables and no common word, with a person
# cue before them or a name's particle after them.
_PERSON_CUE_BEFORE = re.compile(
    r"(?:저는|전|나는|이름은?|이름이|성함은?|성명|직원|근로자|아내|남편|와이프|며느리|사위|친구|동료|사장님?|"
    r"사람|에서\s?온|출신|외국인|세입자|[Ww]ife|[Hh]usband|[Ff]riend|name\s?is|I\s?am|I'm|Im|[Nn]ame\s?:|씨|:)"
    r"\s?[\"'“‘(]?\s?$"
)
_NAME_PARTICLE_AFTER = re.compile(
    r"\s?(?:입니다|이에요|예요|이고요|이고|이라고|라고|씨|님|\(|의\s|한테|에게|이|가|는|은|을|를|와|과|랑|\sis\b)"
)
_FOREIGN_STEM = re.compile(
    r"(.+?)(입니다|이에요|예요|이라고|라고|이고|한테|에게|이랑|랑|씨|님|이|가|의|은|는|을|를|와|과|도)?"
)


# Coming from abroad, then a name and a copula: "인도네시아에서 온 시티 누르 아이니입니다".
_FROM_ABROAD = re.compile(
    r"(?:에서\s?온|에서\s?왔고|출신|국적)\s(?:사람\s|근로자\s|노동자\s|유학생\s|학생\s)?"
    r"([가-힣]{1,5}(?:\s[가-힣]{1,5}){0,3}?)\s?(?:입니다|이에요|예요|이고요|이라고\s?해요|라고\s?해요|이라고\s?합니다|라고\s?합니다)"
)
_LABEL_FOREIGN = re.compile(
    r"(?:이름|성함|성명)(?:은|는|이|:)?\s?:?\s?([가-힣]{1,4}(?:\s[가-힣]{1,4}){1,3}?)\s?"
    r"(?:입니다|이에요|예요|이고|이라고|라고)"
)


# Someone introduced, then a copula: "저는 쏨차이 입니다", "이름은 사토 유키 입니다", "필리핀 출신
# 안젤리카 입니다", "이름 쿠마라 위제세카라." Whatever the parts, when none of them is a Korean word
# (pii_lexicon.COMMON_WORDS), a pronoun or a compound of two words: a name needs no list.
_INTRODUCED = re.compile(
    r"(?:(?<![가-힣])(?:저는|전|나는|난|저|제가)|(?:이름|성함|성명)(?:은|는|이|:)?|출신|국적|에서\s?온|"
    r"(?<![가-힣])사람)(?:\s?:\s?|\s)[\"'“‘]?\s?"
    r"([가-힣]{2,6}(?:\s[가-힣]{1,6}){0,3}?)\s?[\"'”’]?\s?"
    r"(?:(입니다|이에요|예요|이고요|이고|이라고|라고|인데요|인데|이요)|(?=[.,!?]\s|[.!?]?$))"
)


_SENTENCE_FINALS = frozenset("요다서데까죠네지음함됨임뜸짐고며면게가는은을를의도만에로랑와과야든")


# Countries people living in Korea most often come from (법무부 체류외국인 통계), and Korea's
# neighbours: a word of a name is never one of them.
_COUNTRIES = frozenset(
    "한국 미국 중국 일본 대만 홍콩 베트남 필리핀 태국 러시아 몽골 인도 인도네시아 네팔 캄보디아 "
    "미얀마 스리랑카 방글라데시 파키스탄 우즈베키스탄 카자흐스탄 키르기스스탄 캐나다 호주 영국 "
    "프랑스 독일 이탈리아 스페인 멕시코 브라질 터키 튀르키예 이란 이집트 나이지리아 교포".split()
)
_GLUED_COPULA = re.compile(r"(?:입니다|이에요|예요|이고요|이라고|라고|인데요)$")
_INTRO_WORDS = frozenset(
    "저는 전 저 나는 난 제가 출신 국적 사람 온 이름 이름은 이름이 이름: 성함은 성명 성명:".split()
)


# Last syllables of words for what someone is or does (유학생, 회사원, 근로자, 외국인, 유튜버,
# 프리랜서, 간호사): said where a name would be ("저는 … 입니다"), never a name.
_ROLE_ENDINGS = frozenset("생원자인사가버서맨부꾼러트너공관장")
_ABROAD_CUE = re.compile(r"에서\s?(?:온|왔)|출신|국적|외국인|교포|유학")


def _abroad_single(norm: str, word: str) -> bool:
    """One word introduced as a name by someone who says they come from abroad ("저는 쏨차이
    입니다. 태국에서 왔습니다", "필리핀 출신 안젤리카 입니다"): no Korean word, no role."""
    return (
        len(word) >= 2
        and not _common(word)
        and not _two_words(word)
        and word[-1] not in _ROLE_ENDINGS
        and word not in _NOT_NAMES
        and word not in _COUNTRIES
        and (
            _ABROAD_CUE.search(norm) is not None
            or any(c in norm for c in _COUNTRIES if len(c) >= 2 and c != "한국")
        )
    )


def _introduced_names(norm: str):
    for m in _INTRODUCED.finditer(norm):
        # The cue may be further left than the name ("저 러시아 사람 알렉세이 이바노프 이에요"):
        # the name is the words after the last cue word.
        words = [w.strip("\"'“‘”’") for w in norm[m.start() : m.end(1)].split()]
        last = max(
            (
                i
                for i, w in enumerate(words[:-1])
                if w in _INTRO_WORDS or w.endswith(("에", "에서", "을", "를", "의", "란", "칸"))
            ),
            default=-1,
        )
        parts = words[last + 1 :]
        if not parts or len(parts) > 4:
            continue
        end, copula = m.end(1), m.group(2)
        glued = _GLUED_COPULA.search(parts[-1])
        if copula is None and glued and glued.start() >= 2:
            # "… 유스포프예요." read as the end of a sentence: the copula is glued to the name
            parts[-1] = parts[-1][: glued.start()]
            end, copula = end - len(glued.group()), glued.group()
        start = end - len(" ".join(parts))
        if copula is None and (
            last < 0
            or not re.fullmatch(r"(?:이름|성함|성명)(?:은|는)?:?", words[last])
            or any(p[-1] in _SENTENCE_FINALS for p in parts)
        ):
            continue  # only after a name label may the sentence simply end, and not on a verb
        if any(p.startswith("아니") or re.search("[였었겠]|더라$", p) for p in parts):
            continue
        if any(
            p in _PRONOUNS or p in _NOT_NAMES or p in _COUNTRIES or _two_words(p) or p in _TITLES
            for p in parts
        ):
            continue
        # A Korean word may be one part of a longer name (파티마 하산, 카미유 모로), not all of it.
        common = [p for p in parts if _common(p)]
        if common and (
            len(parts) < 2
            or len(common) * 2 > len(parts)
            or any(len(p) < 2 for p in parts)
            or any(_NAME_LABEL.match(p) or _ROLE_LABEL.match(p) for p in common)
        ):
            continue
        labelled = last >= 0 and re.match("이름|성함|성명", words[last]) is not None
        if (
            len(parts) == 1
            and not (labelled and len(parts[0]) >= 3)
            and not _plausible(parts[0], 0.85, short_ok=False)
            and not _foreign_part(parts[0])
            and not _abroad_single(norm, parts[0])
        ):
            continue  # one word alone: a Korean name needs its surname ("저는 유튜버예요")
        yield start, end, NAME


def _foreign_part(word: str) -> bool:
    return word in FOREIGN_NAME_PARTS or (
        len(word) >= 3 and FOREIGN_NAME_ENDINGS.search(word) is not None and not _common(word)
    )


def _anchor(word: str) -> bool:
    """A part that alone says "a foreign name": two syllables or more, and no Korean word."""
    return len(word) >= 2 and _foreign_part(word) and not _common(word)


def _foreign_runs(norm: str):
    words = list(_HANGUL_WORD.finditer(norm))
    for i, _first in enumerate(words):
        parts: list[tuple[int, int, str]] = []
        for w in words[i : i + 4]:
            if parts and norm[parts[-1][1] : w.start()] != " ":
                break
            if _foreign_part(w.group()):
                parts.append((w.start(), w.end(), w.group()))
                continue
            stem = _FOREIGN_STEM.fullmatch(w.group())
            if stem and stem.group(2) and _foreign_part(stem.group(1)):
                parts.append((w.start(), w.start() + len(stem.group(1)), stem.group(1)))
            break
        if len(parts) < 2:
            continue
        anchors = sum(_anchor(p) for *_, p in parts)
        if not anchors:
            continue
        start, end = parts[0][0], parts[-1][1]
        cue = _PERSON_CUE_BEFORE.search(norm, max(0, start - 14), start) is not None
        after = _NAME_PARTICLE_AFTER.match(norm, end) is not None
        if cue or (after and anchors >= 2) or (anchors >= 2 and len(parts) >= 3):
            yield start, end, NAME
    for m in _FROM_ABROAD.finditer(norm):
        # "캄보디아에서 온 소피업 찬입니다": whatever the parts, when no word of them is Korean.
        parts = m.group(1).split()
        if not any(
            _common(p) or p in _PRONOUNS or p in _NOT_NAMES or _two_words(p) for p in parts
        ) and (
            len(parts) > 1 or _foreign_part(parts[0]) or _abroad_single(norm, parts[0])
        ):  # one word alone: 유튜버, 프리랜서
            yield m.start(1), m.end(1), NAME
    for m in _LABEL_FOREIGN.finditer(norm):
        # After a name label and before a copula, short parts will do: "이름은 쩐 티 투 입니다".
        if all(p in FOREIGN_NAME_PARTS for p in m.group(1).split()):
            yield m.start(1), m.end(1), NAME


# A name in Chinese characters after a name label: "한자 이름 佐藤由紀", "성명: 金民洙".
_HAN_NAME = re.compile(
    r"(?:이름|성명|성함|한자\s?(?:이름|성명)?|[Nn]ame)(?:은|는|이|:)?\s?:?\s?[\"'“‘(]?\s?"
    r"([\u4e00-\u9fff]{2,4}(?:\s[\u4e00-\u9fff]{1,3})?)(?![\u4e00-\u9fff])"
)
# A name in quotes after a name label: "아내 이름 '부티 투 짱' 을", "제 이름을 '배수지'가".
_QUOTED_AFTER_LABEL = re.compile(
    r"(?:이름|성함|성명|영문명|예금주명?)(?:은|는|이|을|를|:)?\s?[\"'“‘「]([가-힣]{2,5}(?:\s[가-힣]{1,5}){0,3})[\"'”’」]"
)

# Latin letters: "my name is Lukas Becker", "I am ZHANG WEI", "남편 Lee Hyunwoo 는",
# "이름 SITA GURUNG 입니다". Two or three capitalised words after a person cue or before a name's
# particle; in capitals, a common surname with a given name needs no cue.
# A word of a name: accented letters (Chloé, Gómez López), an apostrophe or Mc after the first
# letter (O'Connor, D'Angelo, McDonald), a hyphen inside (Ha-eun, Petrova-Ivanova).
# Vietnamese and other languages' letters (Ngô Thị Hương, Đặng Văn Lâm) count as small letters
# after the first: the Latin Extended blocks hold both cases.
_UP, _LOW = "A-ZÀ-ÖØ-ÞĐƯƠ", "a-zß-öø-ÿĀ-ɏḀ-ỿ"
_LATIN_WORD = (
    rf"(?:(?:[A-Z]'|Mc|Mac)?[{_UP}][{_LOW}]+(?:-[{_UP}]?[{_LOW}]+){{0,2}}"
    rf"|[{_UP}](?:-[{_UP}]?[{_LOW}]+){{1,2}}|[{_UP}]{{2,}}(?:'[{_UP}]+)?)"
)
_LATIN_NAME = re.compile(
    rf"(?<![A-Za-z0-9@._/{_UP}{_LOW}-])({_LATIN_WORD}"
    # particles inside a name: "Seán Ó Briain", "Ana de la Cruz", "Ahmad bin Ismail"
    rf"(?:[ -](?:(?:de|del|della|da|di|du|dos|das|van|von|der|den|la|le|bin|binti|al|el|Ó|Ní)\s)*"
    rf"{_LATIN_WORD}){{1,3}}"
    r"(?:\s[A-Z]\b\.?)?)"
    rf"(?![A-Za-z0-9@{_UP}{_LOW}])"
)
# What people write before a name, in English and in Korean (a particle, a colon or a quote
# may follow the Korean labels): "recipient:", "the account holder is", "Ms.", "예금주가 '".
_LATIN_CUE_BEFORE = re.compile(
    r"(?:[Nn]ame(?:[ds]|'s)?\s?(?:is|was|:|,)?|I\s?am|I'm|Im|[Tt]his\s?is|[Cc]alled|[Ss]igned|[Dd]ear|"
    r"[Mm]y\s?(?:wife|husband|friend|son|daughter|mother|father|mom|dad|brother|sister|"
    r"landlord|colleague|boss)(?:'s\s?name)?\s?(?:is|,)?|"
    r"[Rr]ecipient(?:'s\s?name)?\s?(?:is|was)?|[Bb]eneficiary\s?(?:is|was)?|"
    r"[Pp]ayee\s?(?:is|was)?|[Ss]ender\s?(?:is|was)?|(?:[Aa]ccount\s?)?[Hh]older\s?(?:is|was|name)?|"
    r"[Cc]ustomer|[Cc]lient|"
    r"[Oo]wner\s?(?:is)?|[Tt]enant|[Ll]andlord|[Aa]gent|[Mm]anager|[Oo]fficer|[Ss]taff|"
    r"[Cc]ounsell?or|[Aa]dvis[eo]r|[Cc]onsultant|[Rr]epresentative|[Tt]eller|[Cc]lerk|"
    r"(?:[Pp]erson|[Gg]uy|[Ww]oman|[Mm]an|[Ll]ady|[Ss]omeone|[Pp]eople)\s?(?:named|called|,)|"
    r"(?:[Ss]ent|[Tt]ransferred|[Ww]ired|[Pp]aid|[Gg]ave)\s(?:[\w$.,]+\s){0,3}?to|"
    r"(?:[Tt]ransfer|[Pp]ayment|[Mm]oney|[Dd]eposit|[Rr]eceived|[Rr]efund)\s(?:[\w$.,]+\s){0,2}?from|"
    r"(?:영어|영문)\s?(?:로|으로|이름은?)|"
    r"\b(?:Mr|Mrs|Ms|Miss|Dr|Sir|Madam)\.?|"
    r"(?:이름|성함|성명|영문\s?(?:이름|성명)?|영어\s?(?:이름|성명)?|여권\s?(?:이름|상)?|예금주|수취인|"
    r"받는\s?(?:사람|분)|보낸\s?(?:사람|분)|명의자?|남편|아내|와이프|친구|며느리|사위|직원|동료|"
    r"사장님?|세입자|근로자|상담원|담당자)(?:은|는|이|가|을|를|명)?|저는|전|제)"
    r"\s?:?\s?[\"'“‘(]?\s?$"
)
_LATIN_AFTER = re.compile(
    r"\s?[\"'”’]?\s?(?:입니다|이에요|예요|이고|이라고|라고|인데|이라서|라서|씨|님|는\s|가\s|의\s|\(|앞으로|명의|"
    r"으?로\s|이랑|한테|에게)"
)
# Words that are capitalised for another reason: brands, banks, places, greetings, products.
_LATIN_NOT_NAMES = frozenset(
    "APPLE PAY SAMSUNG GOOGLE KAKAO NAVER TOSS BANK CARD VISA MASTER MASTERCARD AMERICAN "
    "EXPRESS AMEX UNION WEB HELLO HI KOREA KOREAN SEOUL BUSAN THE AND FOR WITH MOBILE APP STORE "
    "PLAY SMART STAR LIFE INSURANCE SECURITIES CHECK CREDIT DEBIT ONLINE SERVICE CENTER "
    "CUSTOMER TEAM GLOBAL PLUS PREMIUM GOLD PLATINUM POINT MONEY WALLET OPEN BANKING SHOP MALL "
    "MARKET COUPANG GMARKET NETFLIX YOUTUBE AMAZON PAYPAL WISE WESTERN MONEYGRAM HANA SHINHAN "
    "WOORI KOOKMIN KB NH IBK SC CITI KBANK OK ATM OTP ARS USIM SMS PIN ID PW VIP NEW GOOD THANK "
    "THANKS PLEASE SORRY NOT NO YES MY YOUR IS ARE AM WAS DEAR TEST SAMPLE EXAMPLE NAME USER "
    "ADMIN JANUARY FEBRUARY MARCH APRIL MAY JUNE JULY AUGUST SEPTEMBER OCTOBER NOVEMBER "
    "DECEMBER MONDAY TUESDAY WEDNESDAY THURSDAY FRIDAY SATURDAY SUNDAY CHINA JAPAN VIETNAM "
    "GERMANY FRANCE AMERICA USA UK PHILIPPINES FILIPINO CHINESE JAPANESE ENGLISH GERMAN STUDENT "
    "FROM IN ON AT TO OF BY I WE YOU HE SHE THEY IT FATCA FAQ EVENT SALE FREE EXPRESS SHIPPING "
    "DELIVERY ORDER ACCOUNT PASSPORT VISA PHONE EMAIL ADDRESS STREET ROAD AVENUE CITY SPACE "
    "GALAXY IPHONE PRO MAX ULTRA EDITION CLOUD SECURITY CODE KEY LOGIN SIGN UP DOWN "
    "MOM DAD MUM MOTHER FATHER SISTER BROTHER WIFE HUSBAND SON DAUGHTER FRIEND UNCLE AUNT".split()
)


# Capitalised words that open a run before the name itself: "Counselor Jung Ha-eun", "Dear Ms".
_LATIN_LEAD_WORDS = frozenset(
    "COUNSELOR COUNSELLOR ADVISOR ADVISER CONSULTANT AGENT MANAGER OFFICER TELLER CLERK STAFF "
    "DEAR HELLO HI MR MRS MS MISS DR SIR MADAM CUSTOMER RECIPIENT SENDER PAYEE BENEFICIARY "
    "TENANT LANDLORD OWNER REPRESENTATIVE".split()
)


def _latin_names(norm: str):
    if not _CAPITAL.search(norm):
        return
    found = []
    candidates = []
    for m in _LATIN_NAME.finditer(norm):
        start, end = m.start(1), m.end(1)
        lead = re.match(r"([A-Za-z]+)\.?\s", norm[start:end])
        while lead and lead.group(1).upper() in _LATIN_LEAD_WORDS:
            start += lead.end()
            lead = re.match(r"([A-Za-z]+)\.?\s", norm[start:end])
        name = norm[start:end]
        words = re.split(r"[ -]", name.rstrip(". "))
        if words and len(words[-1]) == 1:
            words = words[:-1]  # a last initial: "PATEL RAJESH K"
        if (
            len(words) < 2
            or any(w.upper() in _LATIN_NOT_NAMES for w in words)
            or not all(re.search(r"[AEIOUYaeiouyÀ-ÆÈ-ÏÒ-ÖÙ-Üà-æè-ïò-öù-üĀ-ɏḀ-ỿ]", w) for w in words)
        ):
            continue
        candidates.append((start, end, words))
        caps = name.isupper()
        cue = _LATIN_CUE_BEFORE.search(norm, max(0, start - 30), start) is not None
        after = _LATIN_AFTER.match(norm, end) is not None
        # Korean surnames in capitals are the older rule's (_ROMAN_NAME: the given part must spell
        # Korean syllables, so "PARK HYATT" stays); here those of other countries.
        surname = any(w.upper() in LATIN_SURNAMES for w in words)
        korean = any("가" <= c <= "힣" for c in norm)
        if (
            cue
            or (after and korean)
            or (caps and surname and len(words) >= 2 and any(len(w) >= 3 for w in words))
        ):
            found.append((start, end))
            yield start, end, NAME
    # The same person written again in another case or cut short: "Maria Santos" … "MARIA SANTO".
    known = {w.upper() for s, e in found for w in re.split(r"[ -]", norm[s:e]) if len(w) >= 3}
    for start, end, words in candidates:
        if (
            (start, end) not in found
            and known
            and (sum(w.upper() in known for w in words) * 2 >= len(words))
        ):
            yield start, end, NAME
    # A title and a surname alone: "Ms. Núñez", "Dr. Okafor".
    for m in _TITLE_SURNAME.finditer(norm):
        if m.group(1).upper() not in _LATIN_NOT_NAMES and not any(
            s <= m.start(1) < e for s, e in found
        ):
            yield m.start(1), m.end(1), NAME
    # A first name alone, quoted after a name label: 상담원분 이름이 "Jessica" 라고.
    for m in _LATIN_QUOTED_ALONE.finditer(norm):
        if m.group(1).upper() not in _LATIN_NOT_NAMES | _LATIN_LEAD_WORDS:
            yield m.start(1), m.end(1), NAME


_TITLE_SURNAME = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s((?:[A-Z]'|Mc|Mac)?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)"
    rf"(?![{_LOW}A-Za-z])"
)
_LATIN_QUOTED_ALONE = re.compile(
    r"(?:이름|성함|[Nn]ame)(?:은|는|이|을|를|\s?is|:)?\s?[\"'“‘]"
    rf"((?:[A-Z]'|Mc)?[{_UP}][{_LOW}]{{2,}})[\"'”’]"
)


def _repeated_names(norm: str, spans):
    """Every other mention of a name found once, spaced or not ("부티 투 짱" … "부티투짱")."""
    seen = {norm[s:e].replace(" ", "") for s, e, kind in spans if kind == NAME and e - s >= 2}
    compact = None
    for name in seen:
        if len(name) < 2 or not any("가" <= c <= "힣" for c in name):
            continue
        for at in _occurrences(norm, name):
            yield at, at + len(name), NAME
        if 2 <= len(name) <= 5 and _HANGUL_WORD.fullmatch(name):
            # The same name with spaces between its syllables ("엄지영" … "엄 지영"): look for
            # it in the text without its single spaces, and map back.
            if compact is None:
                keep = [i for i, c in enumerate(norm) if c != " "]
                compact = ("".join(norm[i] for i in keep), keep)
            text, keep = compact
            for at in _occurrences(text, name):
                s, e = keep[at], keep[at + len(name) - 1] + 1
                if (
                    " " in norm[s:e]
                    and "  " not in norm[s:e]
                    and not ("가" <= norm[s - 1 : s] <= "힣")
                    and not ("가" <= norm[e : e + 1] <= "힣")
                ):
                    yield s, e, NAME


_LIST_ITEMS = re.compile(r"[가-힣]{2,4}(?:\s?[,/·]\s?[가-힣]{2,4}){2,}")


def _names_like_found(norm: str, spans):
    """Names that resemble one found in the same text: the other members of a list of names
    ("김민수, 박지영, 이하나, 최준서"), the same name with one given syllable changed (박준혁 …
    박준역으로: a typo shown as a name), and a Hangul spelling of a Latin name found ("Dilnoza
    Yusupova" … "딜노자 유수포바", "SEO JIWON" … "서지원")."""
    names = {(s, e) for s, e, kind in spans if kind == NAME}
    if not names:
        return
    yield from _list_members(norm, names)
    korean = [norm[s:e] for s, e in names if e - s == 3 and _HANGUL_WORD.fullmatch(norm[s:e])]
    latin = [norm[s:e].replace("-", " ").split() for s, e in names if _CAPITAL.match(norm[s:e])]
    if korean or latin:
        words = list(_HANGUL_WORD.finditer(norm))
        for w in words:
            yield from _name_variants(w, korean, latin)
        for parts in latin:
            yield from _hangul_spellings(norm, words, parts)


def _list_members(norm: str, names: set[tuple[int, int]]):
    for m in _LIST_ITEMS.finditer(norm):
        items = [(w.start(), w.end()) for w in _HANGUL_WORD.finditer(norm, m.start(), m.end())]
        if sum(item in names for item in items) < 2:
            continue
        for s, e in items:
            word = norm[s:e]
            if (
                (s, e) not in names
                and len(word) >= 3
                and _split_name(word, 2)
                and word not in _NOT_NAMES
                and not _ADMIN.fullmatch(word)
            ):
                yield s, e, NAME


def _name_variants(w: re.Match, korean: list[str], latin: list[list[str]]):
    word = w.group()
    core, rest = word[:3], word[3:]
    for name in korean:
        if (
            len(core) == 3
            and core != name
            and core[0] == name[0]
            and sum(a != b for a, b in zip(core, name, strict=True)) == 1
            and _NAME_REST.fullmatch(rest)
            and not _common(core)
        ):
            yield w.start(), w.start() + 3, NAME
    for parts in latin if len(word) == 3 else ():
        if (
            len(parts) == 2
            and parts[0].upper() in ROMAN_SURNAMES
            and _same_sound(f"{word[0]} {word[1]}", " ".join(parts))
            and _split_name(word, 2)
            and not _ordinary(word)
        ):
            yield w.start(), w.end(), NAME


def _hangul_spellings(norm: str, words: list[re.Match], parts: list[str]):
    k = len(parts)
    first = parts[0][0].upper()
    for i in range(len(words) - k + 1) if k >= 2 else ():
        if first not in _INITIAL_LETTERS[(ord(words[i].group()[0]) - 0xAC00) // 588]:
            continue  # its first sound is not the Latin name's
        run = words[i : i + k]
        if any(norm[a.end() : b.start()] != " " for a, b in zip(run, run[1:], strict=False)):
            continue
        last = _FOREIGN_ENDING.fullmatch(run[-1].group()).group(1)
        hangul = " ".join([w.group() for w in run[:-1]] + [last])
        if _same_sound(hangul, " ".join(parts)) and not any(
            _common(p) or len(p) < 2 for p in hangul.split()
        ):
            yield run[0].start(), run[-1].start() + len(last), NAME


def _name_spans(norm: str):
    """Every name rule's spans; a longer span that is a given name found alone plus its 이 or 가
    ("서윤이" after 딸) is cut back to the name."""
    given = list(_given_names(norm))
    alone = {(s, e) for s, e, _ in given}
    yield from given
    for s, e, kind in _other_name_spans(norm):
        if (
            (s, e - 1) in alone
            and norm[e - 1] in "이가아야"
            # A vocative 아/야 takes no particle, closing quote or title: "'윤서아' 가" and
            # "윤지아 상담사님" are names.
            and not (
                norm[e - 1] in "아야"
                and (
                    re.match(r"\s?[\"'”’」)]|[가이는을를의도]", norm[e:])
                    or _TITLE_AFTER.match(norm, e)
                )
            )
        ):
            e -= 1
        yield s, e, kind


def _other_name_spans(norm: str):
    for m in _PLACEHOLDER.finditer(norm):
        if m.group(1) in SURNAMES_1 and m.group(2) != "모":
            yield m.start(1), m.end(2), NAME
    yield from _hidden_names(norm)
    yield from _foreign_names(norm)
    yield from _foreign_runs(norm)
    yield from _introduced_names(norm)
    yield from _latin_names(norm)
    for m in _QUOTED_AFTER_LABEL.finditer(norm):
        # "이름이 '장미경 고객님'": the title stays; "강아지 이름이 '국민'": a bank's word stays.
        words = m.group(1).split()
        while len(words) > 1 and words[-1] in _TITLES:
            words.pop()
        if len(words) == 1 and (words[0] in _NOT_NAMES or _quoted_phrase(words[0])):
            continue
        if _thing_named(norm, m.start()) and not (
            len(words) == 1 and _plausible(words[0], 0.85, short_ok=False)
        ):
            continue  # "통장 이름을 '장보기'", "카드 이름 '신한 딥드림'": a thing's name
        yield m.start(1), m.start(1) + len(" ".join(words)), NAME
    yield from _spaced_names(norm)
    yield from _quoted_full_names(norm)
    yield from _quoted_given_names(norm)
    for m in _HAN_NAME.finditer(norm):
        yield m.start(1), m.end(1), NAME
    for m in _HANGUL_WORD.finditer(norm):
        if not 2 <= len(m.group()) <= 12 or not (
            m.group()[0] in SURNAMES_1 or m.group()[:2] in SURNAMES_2
        ):
            continue
        yield from _surname_word_names(norm, m)
    yield from _labelled_word_names(norm)
    yield from _bracketed_latin_names(norm)
    yield from _roman_names(norm)


# Words before 이름 that say whose name it is: a person's.
_PERSON_OWNERS = frozenset(
    "제 내 저 나 본인 우리 저희 그 이 그분 이분 상대 상대방 고객 고객님 직원 직원분 상담원 상담사 "
    "상담원분 상담사님 기사 기사님 담당자 담당 설계사 사람 분 외국인 예금주 받는 보내는 보낸 받은 "
    "실명 한글 영문 영어 한자 본명 가명 풀네임 진짜 정식".split()
)


def _thing_named(norm: str, label_start: int) -> bool:
    """Is the 이름 at `label_start` a thing's name ("통장 이름", "앱 이름이", "이벤트 이름")? The
    word before it is a common word and no person, relation or role."""
    m = re.search(r"([가-힣A-Za-z]+)[\"'”’]?\s?$", norm[max(0, label_start - 12) : label_start])
    if not m:
        return False
    word = m.group(1)
    for particle in ("의", "님의"):
        if word.endswith(particle) and len(word) > len(particle):
            word = word[: -len(particle)]
    if word in _PERSON_OWNERS or word in _RELATION_SET or _FAMILY.search(word + " "):
        return False
    return _common(word) or _two_words(word) or word.isascii()


def _quoted_phrase(word: str) -> bool:
    """A quoted word of four or five syllables that is a phrase, not a name: an ending of a
    sentence ('여행갈꺼야') or an everyday word first ('자유적금'), and no surname + given name."""
    return (
        len(word) >= 4
        and not _split_name(word, 3)
        and (word[-1] in "야요다자까지네죠래니" or _common(word[:2]))
    )


# A name written with spaces: syllable by syllable ("이 준 호", "백 승 현이요"), or a surname
# apart from its given name ("김 솔", "엄 지영"), or with a hidden syllable ("김 o 현").
_SURNAME_HEAD = rf"(?:{'|'.join(sorted(SURNAMES_2))}|[가-힣])"
_SPACED_SYLLABLES = re.compile(
    rf"(?<![가-힣])({_SURNAME_HEAD}) ([가-힣]) ([가-힣])"
    r"(?=[^가-힣]|$|[이가은는을를의도](?![가-힣])|이요|입니다|이에요)"
)
_QUOTED_SPACED = re.compile(
    rf"[\"'“‘「]({_SURNAME_HEAD}) ([가-힣]{{1,2}}|[{_HIDDEN_MASK}] [가-힣])[\"'”’」]"
)
_LABEL_SPACED = re.compile(
    rf"(?<![가-힣])({_SURNAME_HEAD}) ([가-힣]{{1,2}})"
    r"(?=\s?(?:이라고|라고|이에요|예요|입니다|이요|이고|였|이었|이던|[,/)]|$))"
)
# A given name alone in quotes, said to be a person's: "'지훈'이라는 직원분", "'수진' 님이".
_QUOTED_GIVEN = re.compile(
    r"[\"'“‘]([가-힣]{2})[\"'”’]\s?"
    r"(?=(?:이라는|라는|이란|란)\s?(?:직원|사람|분|상담원|상담사|기사|친구|아이|학생|이름)|님|씨)"
)
_NAME_WORDS = re.compile(
    r"이름|성함|성명|명의|예금주|외자|입금자|수령인|받는\s?(?:사람|분)|보낸\s?사람"
)
_SPACED_AFTER = re.compile(
    rf"\s?(?:이요|입니다|이에요|예요)|\s(?:{_TITLE_RE})|\s?[\"'”’]?\s?(?:맞으시죠|맞죠|맞나요)"
)


# A full name in quotes in a sentence about names ("… 했는데 '백성현' 으로 적으심").
_QUOTED_WORD = re.compile(r"[\"'“‘「]([가-힣]{3,4})[\"'”’」]")


def _quoted_full_names(norm: str):
    for m in _QUOTED_WORD.finditer(norm) if _QUOTES.search(norm) else ():
        word = m.group(1)
        if (
            _plausible(word, 0.85, short_ok=False)
            and not _ordinary(word, _GRAMMAR_FINALS | _BARE_FINALS)
            and _NAME_WORDS.search(norm, max(0, m.start() - 50), m.start())
        ):
            yield m.start(1), m.end(1), NAME


def _quoted_given_names(norm: str):
    for m in _QUOTED_GIVEN.finditer(norm) if _QUOTES.search(norm) else ():
        if _given_ok(m.group(1), 1.5):
            yield m.start(1), m.end(1), NAME


def _spaced_names(norm: str):
    for m in _SPACED_SYLLABLES.finditer(norm):
        surname, given = m.group(1), m.group(2) + m.group(3)
        if surname == "제" or not (surname in SURNAMES_1 or surname in SURNAMES_2):
            continue  # 제 is "my" far more often than the surname
        if (
            given_name_score(given) <= 0.7
            or _ordinary(surname + given)
            or given[-1] in "다요"
            or (surname + given[0]) in _NOT_NAMES
        ):
            continue  # "석 자 다 써야": words spelled apart, not a name
        before = _before(norm, m.start(), 40)
        # Spelled out after a label or in quotes after a name word, a given name that is also a
        # word (정 다 운, 하 지 원) is the name; with only a title after it, it must not be one.
        if (
            _NAME_LABEL.search(before[-24:])
            or _FAMILY.search(before[-24:])
            or _NAME_WORDS.search(before)
            and re.search(r"[\"'“‘:]\s?$", before)
            or _SPACED_AFTER.match(norm, m.end())
            and not _common(given)
        ):
            yield m.start(), m.end(), NAME
    for m in _LABEL_SPACED.finditer(norm):
        # "수취인명 : 권 혁 이라고": a surname and a one- or two-syllable given name apart, right
        # after a name label and before a copula or the end of the item.
        surname, given = m.group(1), m.group(2)
        if (
            (surname in SURNAMES_1 or surname in SURNAMES_2)
            and surname != "제"
            and given_name_score(given) > 0.3
            and given not in _TITLES
            and not _ordinary(surname + given)
            and _NAME_LABEL.search(_before(norm, m.start(), 24))
        ):
            yield m.start(1), m.end(2), NAME
    for m in _QUOTED_SPACED.finditer(norm) if _QUOTES.search(norm) else ():
        surname, given = m.group(1), m.group(2)
        if not (surname in SURNAMES_1 or surname in SURNAMES_2):
            continue
        hidden = given[0] in _HIDDEN_MASK
        if not hidden and (given_name_score(given) <= 0.3 or _common(given) or given in _TITLES):
            continue
        around = norm[max(0, m.start() - 40) : m.end() + 30]
        if not hidden and _common(surname + given) and "외자" not in around:
            continue  # '이 건', '고 객', '주 식': a word spelled apart, unless a one-syllable name
        if _NAME_WORDS.search(around):
            yield m.start(1), m.end(2), NAME


class _WordCues(NamedTuple):
    """What is around a Hangul word that opens with a surname, for `_surname_name_ok`."""

    label: re.Match | None  # a label before it: 이름, 예금주...
    labelled: bool  # a label or a family word before it, or an introduction around it
    colon: bool  # the label ends in ":"
    role: bool  # a role before it
    said: bool  # details, a bracketed note or 명의 after it
    right: bool  # a title after a space
    roman: tuple[int, int] | None  # a Latin spelling of the name right after it


def _surname_word_names(norm: str, m: re.Match):
    """The name in the Hangul word `m` that opens with a surname (and its Latin spelling right
    after it), or else a bare name in it."""
    before = _before(norm, m.start(), 24)
    label = _NAME_LABEL.search(before)
    labelled = label is not None or _FAMILY.search(before) is not None
    colon = label is not None and ":" in label.group()
    role = _ROLE_LABEL.search(before) is not None
    # After the word: details, a bracketed note or 명의 say "a person" as surely as a label;
    # a title after a space (김민수 고객님) only as surely as a title in the word.
    said = _NAME_RIGHT.match(norm, m.end()) is not None or (
        m.group().endswith("라는") and _CALLED.match(norm, m.end()) is not None
    )
    right = _TITLE_AFTER.match(norm, m.end()) is not None
    if _INTRO_LEFT.search(before):
        labelled = labelled or any(
            _INTRO_RIGHT.match(norm, e) or _INTRO_RIGHT.fullmatch(norm[e : m.end()])
            for _, e, _ in _candidate_names(norm, m.start(), m.end())
        )
    roman = _romanised_after(norm, m.end())
    cues = _WordCues(label, labelled, colon, role, said, right, roman)
    for s, e, titled in _candidate_names(norm, m.start(), m.end()):
        if _surname_name_ok(norm, m, norm[s:e], e, titled, cues):
            yield s, e, NAME
            if roman:
                yield roman[0], roman[1], NAME
            return
    bare = _bare_names(norm, m)
    if bare:
        yield *bare, NAME


def _surname_name_ok(
    norm: str, m: re.Match, name: str, e: int, titled: bool, cues: _WordCues
) -> bool:
    """Is `name` (ending at `e` in the word `m`, with a title in the word when `titled`) a name,
    given what is around the word?"""
    if cues.labelled or cues.roman:
        ok = (
            _plausible(name, 0.0, short_ok=True)
            or (cues.colon or cues.said)
            and _plausible_word(name)
        ) and norm[e : m.end()] not in ("에", "에서", "에는")
        if (
            ok
            and cues.label is None
            and not cues.roman
            and e == m.end()
            and _PRODUCT_NEXT.match(norm, e)
            and not cues.said
            and max(given_name_score(g) for _, g in _split_name(name, 3)) < 1.5
        ):
            # "친구 이마트 카드": a family word, then a shop's or a product's name.
            ok = False
        return ok
    if cues.said:  # a two-syllable word before "앞으로" is as likely 사람 as a name
        return len(name) > 2 and _plausible(name, 0.0, short_ok=True)
    if titled or cues.right or cues.role:
        # A title right after it: a three-syllable name that is also a word (이지원 고객님)
        # too.
        return (
            _plausible(name, 0.85, short_ok=False)
            or (titled or cues.right)
            and len(name) >= 3
            and name not in _NOT_NAMES
            and not _ordinary(name[:2] + "는")
            and _plausible_word(name)
        )
    return False


def _labelled_word_names(norm: str):
    """A word right after a name label, a name glued to its label, a name spaced from its
    particle."""
    for m in _LABEL_THEN_WORD.finditer(norm):
        word = m.group(1)
        if word[-1] not in _NOT_NAME_END and not _ordinary(word) and not _split_name(word, 2):
            yield m.start(1), m.end(1), NAME
    for m in _GLUED_LABEL.finditer(norm):
        at = m.end(1)
        word = _HANGUL_WORD.match(norm, at)
        for length in (3, 4):
            name = norm[at : at + length]
            if (
                len(name) == length
                and word
                and word.end() >= at + length
                and _plausible(name, 0.0, short_ok=True)
                and not _ordinary(name, _GRAMMAR_FINALS | _BARE_FINALS)
            ):
                yield at, at + length, NAME
                break
    for m in _SPACED_NAME.finditer(norm):
        if (
            m.group(2) not in _COPULA_WORDS
            and m.group(2) not in _TITLES
            and not m.group(2).startswith("아니")
            and not _NAME_REST.fullmatch(m.group(2))
        ):
            yield m.start(), m.end(), NAME


def _bracketed_latin_names(norm: str):
    """Hangul words followed by their Latin spelling in brackets: "왕 웨이(WANG WEI)"."""
    for m in _LATIN_IN_BRACKETS.finditer(norm):
        latin = m.group(1).rstrip(" -")
        words = list(_HANGUL_WORD.finditer(norm, max(0, m.start() - 16), m.start()))[
            -len(latin.split()) :
        ]
        if (
            not words
            or norm[words[-1].end() : m.start()].strip()
            or any(norm[a.end() : b.start()] != " " for a, b in zip(words, words[1:], strict=False))
        ):
            continue
        hangul = norm[words[0].start() : words[-1].end()]
        ordinary = [_ordinary(w) for w in hangul.split() if len(w) > 1]
        if _same_sound(hangul, latin) and not (
            all(ordinary) if len(ordinary) >= 2 else any(ordinary)
        ):
            yield words[0].start(), words[-1].end(), NAME
            yield m.start(1), m.start(1) + len(latin), NAME
            continue
        # One Hangul word for the whole Latin name ("쩐티마이 (TRAN THI MAI)", "나탈리야 (Natalia
        # Smirnova)"): it begins like the Latin one and is no Korean word.
        word = words[-1].group()
        parts = latin.replace("-", " ").split()
        if (
            len(word) >= 2
            and _same_sound(word[0], parts[0])
            and not (_common(word) or _ordinary(word) or word in _NOT_NAMES)
            and not any(p.upper() in _LATIN_NOT_NAMES for p in parts)
        ):
            yield words[-1].start(), words[-1].end(), NAME
            yield m.start(1), m.start(1) + len(latin), NAME


def _roman_names(norm: str):
    """A romanised Korean name (a known romanised surname first), with a cue or in capitals,
    and the Hangul name written right after it."""
    for m in _ROMAN_NAME.finditer(norm):
        if m.group(1).upper() not in ROMAN_SURNAMES:
            continue
        given = " ".join(g for g in m.groups()[1:] if g)
        caps = m.group().isupper()
        if _has_context(norm, m.start(), m.end(), _ROMAN_CUES, 24, 4) or (
            caps
            and _ROMAN_GIVEN.fullmatch(given.lower())
            and len(given.replace(" ", "").replace("-", "")) >= 4
        ):
            yield m.start(), m.end(), NAME
            k = _LATIN_THEN_HANGUL.match(norm, m.end())
            if k and _split_name(k.group(1), 3) and not _ordinary(k.group(1)):
                yield k.start(1), k.end(1), NAME


_ROMAN_LEAD = re.compile(r"\s?[(/,]?\s?(?:(?:영문|여권|영어)\s?(?:이름|성명|표기)?\s?:?\s?)?")


def _romanised_after(norm: str, end: int) -> tuple[int, int] | None:
    """A Latin spelling of a name right after a Korean one: "김민수(KIM MINSU)",
    "김민수 / Kim Min-su"."""
    m = _ROMAN_LEAD.match(norm, end)
    at = m.end() if m else end
    r = _ROMAN_NAME.match(norm, at)
    if r and r.group(1).upper() in ROMAN_SURNAMES:
        return r.start(), r.end()
    return None


# --- the rest --------------------------------------------------------------------------------

# Numbers the writer half-hid themselves still say much: a birth date and sex, a card's
# issuer and last digits. "880101-1******", "1234-56**-****-7890".
_RRN_HIDDEN = re.compile(r"(?<![0-9])(\d{6})\s?-\s?([1-8])[*xX●○]{6}")
_CARD_HIDDEN = re.compile(
    r"(?<![0-9*])(?=[0-9*xX]{4}[-\s])(?=(?:[^0-9]*\d){8})"
    r"[0-9*xX]{4}(?:[-\s][0-9*xX]{4}){3}(?![0-9*])"
)


# A number with a country code other than Korea's: "+86 138 1047 2291", "+1 (347) 820-4419".
_FOREIGN_PHONE = re.compile(
    r"(?<![0-9A-Za-z])\+(?!82)\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){1,4}(?![0-9])"
)
# A North American number: "(415) 555-0199", "+1 415-555-0199"; written 415-555-0199 only with a
# word for a phone near it.
_US_PHONE = re.compile(
    r"(?<![0-9])(?:\+?1[\s.-]?)?(?:\((\d{3})\)\s?|(\d{3})[.-])\d{3}[\s.-]\d{4}(?![0-9])"
)
_PHONE_WORDS_EN = ("call", "Call", "phone", "Phone", "cell", "Cell", "mobile", "Mobile", "tel")
# The front of a resident number and the digit that says sex and century, nothing after it:
# "530118-1 까지 말했는데".
_RRN_FRONT = re.compile(r"(?<![0-9])(\d{6})\s?-\s?([1-8])(?![0-9*xX●○])")
# The back half of a resident number, alone after the word for it: "뒷자리 2018334".
_RRN_BACK = re.compile(r"뒷\s?자리\s?(?:는|은|가|:)?\s?([1-8]\d{6})(?![0-9])")
# An account abroad as an IBAN (ISO 13616): country, two check digits, then up to 30 letters and
# digits, printed in groups of four. Taken when its check digits hold (mod 97) or the word IBAN
# is next to it: "ES91 2100 0418 4502 0005 1332", "DE89370400440532013000".
_IBAN = re.compile(
    r"(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?)(?![A-Za-z0-9])"
)
# An account half hidden by a stamp or by the writer: "1002-4**-1930**".
_ACCOUNT_HIDDEN = re.compile(r"(?<![0-9*])[0-9][0-9*]{1,7}(?:-[0-9*]{1,8}){1,3}(?![0-9*])")
# Addresses of a function, not of a person (RFC 2142 and what companies use): event@, help@.
_ROLE_MAILBOX = frozenset(
    "info help support event events noreply no-reply donotreply admin webmaster postmaster abuse "
    "security cs service services contact sales marketing press notice news newsletter mail mailer "
    "office tax hr recruit jobs billing account accounts helpdesk customer care feedback privacy "
    "master root system ask team hello".split()
)
_SAID_TLD = re.compile(
    r"(?:\.|dot|닷|점)\s?(?:com|net|org|kr|co|io|me|jp|cn|vn|de|edu|gov|info|biz)$"
)
# The provider without its ".com": "minji@naver 로 보내래요".
_EMAIL_NO_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\s?@\s?"
    r"(?:naver|daum|hanmail|gmail|nate|kakao|hotmail|yahoo|"
    r"outlook|icloud|korea)(?![A-Za-z0-9.@-])"
)
# The dot typed as a comma: "soo.ah@naver,com".
_EMAIL_COMMA = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:[.,][A-Za-z0-9-]+)*"
    r",(?:com|net|kr|org)(?![A-Za-z])"
)


def _role_mailbox(address: str) -> bool:
    local = address.split("@")[0].lower()
    return all(part in _ROLE_MAILBOX for part in re.split(r"[-_.]", local) if part)


def _other_spans(norm: str, today: date):
    yield from _partial_number_spans(norm, today)
    for m in _EMAIL_COMMA.finditer(norm) if "@" in norm else ():
        yield m.start(), m.end(), EMAIL
    for m in _RRN_HIDDEN.finditer(norm):
        kind = _rrn_kind(m.group(1) + m.group(2) + "000000", today)
        if kind:
            yield m.start(), m.end(), kind
    for m in _CARD_HIDDEN.finditer(norm):
        if "*" in m.group() or "x" in m.group().lower():
            yield m.start(), m.end(), CARD
    yield from _email_spans(norm)
    yield from _document_spans(norm)


def _iban_valid(iban: str) -> bool:
    code = iban.replace(" ", "")
    if not 15 <= len(code) <= 34:
        return False
    moved = code[4:] + code[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _iban_spans(norm: str):
    for m in _IBAN.finditer(norm) if _CAPITAL.search(norm) else ():
        if _iban_valid(m.group(1)) or "IBAN" in _before(norm, m.start(), 12).upper():
            yield m.start(1), m.end(1), ACCOUNT


def _partial_number_spans(norm: str, today: date):
    """Phone numbers with a country code, the front half of a 주민번호 said to be one, and
    accounts with hidden digits."""
    for m in _US_PHONE.finditer(norm) if "-" in norm or "." in norm else ():
        if m.group(1) or _has_context(norm, m.start(), m.end(), _PHONE_WORDS_EN, 24, 4):
            yield m.start(), m.end(), PHONE
    for m in _FOREIGN_PHONE.finditer(norm) if "+" in norm else ():
        if 8 <= sum(c.isdigit() for c in m.group()) <= 15:
            yield m.start(), m.end(), PHONE
    for m in _RRN_FRONT.finditer(norm):
        kind = _rrn_kind(m.group(1) + m.group(2) + "000000", today)
        if not kind and _birth_date(m.group(1), today):
            # A birth date whose 7th digit does not fit its century ("871205-7" for a foreign
            # resident born in 1987) is still that person's number, mistyped or misremembered.
            kind = ARN if m.group(2) in "5678" else RRN
        if kind and _has_context(
            norm, m.start(), m.end(), _RRN_WORDS + ("뒷자리", "외국인등록"), 40, 6
        ):
            yield m.start(), m.end(), kind
    for m in _RRN_BACK.finditer(norm):
        # "주민번호 뒷자리 2018334": the back half alone, right after its label.
        if _has_context(norm, m.start(), m.start(), _RRN_WORDS + ("외국인",), 16, 0):
            yield m.start(1), m.end(1), ARN if m.group(1)[0] in "5678" else RRN
    for m in _ACCOUNT_HIDDEN.finditer(norm) if "*" in norm else ():
        groups = m.group().split("-")
        if (
            "*" in m.group()
            and tuple(map(len, groups)) in ACCOUNT_GROUPINGS
            and sum(c.isdigit() for c in m.group()) >= 6
            and _has_context(norm, m.start(), m.end(), _ACCOUNT_WORDS + ("사본",), 24, 10)
        ):
            yield m.start(), m.end(), ACCOUNT


def _email_spans(norm: str):
    """E-mail addresses, written, said ("골뱅이", "[at]") or without a domain; not a role's."""
    for m in _EMAIL.finditer(norm):
        if not _role_mailbox(m.group()):
            yield m.start(), m.end(), EMAIL
    for m in _EMAIL_SAID.finditer(norm):
        if " at " in m.group() and not _SAID_TLD.search(m.group()):
            continue  # "pay at checkout. Line": English, not an address
        if not _role_mailbox(
            re.split(r"\s?(?:골뱅이|앳|\sat\s|@|\W)", m.group(), maxsplit=1)[0] + "@"
        ):
            yield m.start(), m.end(), EMAIL
    for m in _EMAIL_NO_DOMAIN.finditer(norm) if "@" in norm else ():
        if not _role_mailbox(m.group()):
            yield m.start(), m.end(), EMAIL


def _document_spans(norm: str):
    """Passport and driving licence numbers, and car plates."""
    for m in _PASSPORT.finditer(norm):
        if _has_context(norm, m.start(), m.end(), _PASSPORT_WORDS, 30, 10):
            yield m.start(), m.end(), PASSPORT
    for m in _PASSPORT_SPACED.finditer(norm):
        if 7 <= sum(c.isdigit() for c in m.group()) <= 9 and _has_context(
            norm, m.start(), m.end(), _PASSPORT_WORDS, 30, 10
        ):
            yield m.start(), m.end(), PASSPORT
    for m in _LICENSE.finditer(norm):
        yield m.start(), m.end(), DRIVER_LICENSE
    for m in _LICENSE_PLAIN.finditer(norm):
        if _has_context(norm, m.start(), m.end(), ("면허",), 20, 8):
            yield m.start(), m.end(), DRIVER_LICENSE
    for m in _PLATE.finditer(norm):
        if not _PLATE_NOT_AFTER.match(norm, m.end()):
            yield m.start(), m.end(), PLATE


# A name a form prints as its example ("'홍길동' 은 예시라면서", "예: 김철수"), as 010-0000-0000 is
# its example number: no one's.
_EXAMPLE_AFTER = re.compile(
    r"[\"'”’」)]?\s?(?:은|는|이|가|도)?\s?(?:예시|샘플|견본|example|sample)"
)
_EXAMPLE_BEFORE = re.compile(r"(?:예\s?[:)]|예시\s?:?|e\.g\.|[Ee]xample:?)\s?[\"'“‘「(]?$")


def _example_name(norm: str, s: int, e: int) -> bool:
    return bool(_EXAMPLE_AFTER.match(norm, e) or _EXAMPLE_BEFORE.search(_before(norm, s, 10)))


def _merge_addresses(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Addresses found by two rules that overlap are one address: the road and its building
    number by one, the complex and its 동/호 by another ("김포한강4로 125 한강신도시
    반도유보라 304동 502호")."""
    addresses = sorted((s, e) for s, e, kind in found if kind == ADDRESS)
    if len(addresses) < 2:
        return found
    merged: list[list[int]] = []
    for s, e in addresses:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [f for f in found if f[2] != ADDRESS] + [(s, e, ADDRESS) for s, e in merged]


def detect(text: str, today: date) -> list[Span]:
    """Spans of personal data in `text`, as offsets into `text`, non-overlapping, in order."""
    norm, origin = _normalise(text)
    found = [*_other_spans(norm, today), *_number_spans(norm, today)]
    ibans = list(_iban_spans(norm))
    if ibans:  # its digit groups are not a card or a phone of their own
        found = [f for f in found if all(f[1] <= s or f[0] >= e for s, e, _ in ibans)] + ibans
    if any("가" <= c <= "힣" for c in norm):
        found += [
            *_spelled_spans(norm, today),
            *_address_spans(norm),
            # A 시·도 or 시·군·구 is kept on purpose, and never part of a name.
            *(
                (s, e, kind)
                for s, e, kind in _name_spans(norm)
                if not _ADMIN.search(norm, s, e) and not _example_name(norm, s, e)
            ),
        ]
        found += list(_repeated_names(norm, found))
        found += list(_names_like_found(norm, found))
    else:
        # An all-English complaint: names after a cue ("my name is", "recipient:", "Ms."), and
        # addresses written the English way.
        found += [*_latin_names(norm), *_english_address_spans(norm)]
    found = _merge_addresses(found)
    # Resolve overlaps: higher-priority type first, then longer span. An address that contains
    # a number classified as something else (a 우편번호 read as an account) keeps its extent.
    found.sort(key=lambda s: (_PRIORITY[s[2]], -(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, kind))
    taken.sort()
    spans = []
    for s, e, kind in taken:
        while e > s and norm[e - 1].isspace():
            e -= 1  # a span never ends on the space a pattern let in
        spans.append(Span(origin[s], origin[e - 1] + 1, kind))
    return spans
