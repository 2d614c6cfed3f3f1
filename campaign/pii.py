"""Detector of Korean personal data in free text: what counts as personal, and what only looks so.

It works on a normalised copy of the text (NFKC per character, so full-width digits become ASCII;
every dash becomes "-") and maps every span back to offsets in the original string. Numbers are
found once as runs of digit groups and then classified by their structure (length, grouping,
prefixes, dates, Luhn) together with the words near them: a label such as 주문번호 or a trailing
unit such as 원 vetoes a span, a word such as 계좌 or 카드 makes one. Precision is preferred for
names; structure-bearing types aim for recall.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

RRN, ARN, PHONE, CARD, ACCOUNT = "RRN", "ARN", "PHONE", "CARD", "ACCOUNT"
EMAIL, PASSPORT, DRIVER_LICENSE, PLATE, ADDRESS, NAME = (
    "EMAIL", "PASSPORT", "DRIVER_LICENSE", "PLATE", "ADDRESS", "NAME",
)

# A span of another type wins over a name or address that overlaps it.
_PRIORITY = {RRN: 0, ARN: 0, CARD: 1, PHONE: 2, ACCOUNT: 3, EMAIL: 1, PASSPORT: 2,
             DRIVER_LICENSE: 2, PLATE: 4, ADDRESS: 5, NAME: 6}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    type: str


# --- normalisation with an offset map -------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹘﹣－ー~"), "-")


def _normalise(text: str) -> tuple[str, list[int]]:
    """Return the normalised copy and, for each of its characters, the original index."""
    if text.isascii():
        return text, list(range(len(text)))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        n = unicodedata.normalize("NFKC", ch).translate(_DASHES) if not ch.isascii() else ch
        out.append(n)
        origin.extend([i] * len(n))
    return "".join(out), origin


# --- vocabularies ----------------------------------------------------------------------------

_BANKS = (
    "국민은행 국민 KB 신한 우리은행 우리 하나은행 하나 농협 NH 기업은행 IBK 카카오뱅크 카뱅 카카오 "
    "토스뱅크 토뱅 토스 케이뱅크 케뱅 새마을금고 새마을 우체국 수협 신협 SC제일 제일은행 씨티 "
    "대구은행 iM뱅크 부산은행 경남은행 광주은행 전북은행 제주은행 산업은행 저축은행 은행 증권 "
    "키움 미래에셋 삼성증권 한국투자 NH투자 KB증권 신한투자 대신 하이투자 상호금융 지역농협"
).split()
_ACCOUNT_WORDS = ("계좌", "통장", "입금", "이체", "송금", "예금주", "출금", "받을", "보냈", "보내",
                  "환불받", "돈을", "돈 ", "넣었", "부쳤") + tuple(_BANKS)
_CARD_WORDS = ("카드",)
_PHONE_WORDS = ("전화", "연락", "핸드폰", "휴대폰", "폰", "문자", "카톡", "연락처")
_RRN_WORDS = ("주민", "등록번호", "생년월일")
# Labels that make a number something other than personal data.
_NOT_PERSONAL = (
    "주문", "승인", "거래번호", "거래 번호", "접수", "운송장", "송장", "예약번호", "결제번호",
    "가맹점", "사업자", "고객센터", "대표번호", "대표 번호", "상품코드", "상품번호", "모델", "바코드",
    "버전", "쿠폰", "일련번호", "관리번호", "인증번호", "티켓", "문의번호", "주문번호", "영수증",
    "참조번호", "트랜잭션", "Order", "order", "ID", "코드", "품번", "시리얼", "사건번호", "민원번호",
)
# A unit right after a number makes it an amount, a date, a count...
_UNIT_AFTER = re.compile(
    r"\s?(?:원|만|천|억|조|%|퍼센트|년|월|일|시|분|초|개|건|회|번째|번 |명|점|포인트|P\b|p\b|km|kg|세|살|"
    r"달|주|대|층|호선|배|자|위|등|박|편|장|권|병|GB|MB|mb|gb|달러|불|엔|위안|유로|\$)"
)
# Digit groups joined by "-", ".", ")" or spaces, with spaces allowed around a separator
# ("010 - 1234 - 5678") and a bracketed area code ("(02)123-4567").
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z.,])\+?\(?\d+(?:(?:\s?[-.)]\s?|\s)\d+)*(?![0-9])")
# A date or a clock time is never personal, whatever digits follow it.
_DATE_START = re.compile(r"(?:19|20)\d{2}[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?!\d)")

_MOBILE = re.compile(r"01[016789]\d{7,8}")
_AREA = re.compile(r"(?:02\d{7,8}|0(?:3[1-3]|4[1-4]|5[1-5]|6[1-4])\d{7,8}|070\d{8}|050[2-8]\d{7,8})")

_KOREAN_DIGITS = {"공": "0", "영": "0", "빵": "0", "일": "1", "이": "2", "삼": "3", "사": "4", "오": "5",
                  "육": "6", "륙": "6", "칠": "7", "팔": "8", "구": "9"}
_SPELLED = re.compile(r"[공영빵](?:[\s-]?[공영빵일이삼사오육륙칠팔구]){8,11}")

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[MSRODG](?:\d{8}|\d{3}[A-Z]\d{4})(?![A-Za-z0-9])")
_REGIONS = "서울|부산|경기|강원|충북|충남|전북|전남|경북|경남|제주|대구|인천|광주|대전|울산"
_LICENSE = re.compile(rf"(?:(?:{_REGIONS})\s?|(?<!\d)(?:1[1-9]|2[0-8])-)\d{{2}}-\d{{6}}-\d{{2}}(?!\d)")
_LICENSE_PLAIN = re.compile(r"(?<!\d)(?:1[1-9]|2[0-8])\d{10}(?!\d)")

_PLATE_SYLLABLES = "가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주아바사자배하허호"
_PLATE = re.compile(
    rf"(?<![0-9가-힣])(?:(?:{_REGIONS})\s?)?\d{{2,3}}\s?[{_PLATE_SYLLABLES}]\s?\d{{4}}(?![0-9])"
)

# A plate is never directly followed by a unit ("12가 3456원" is an amount after a word).
_PLATE_NOT_AFTER = re.compile(r"(?:원|만|천|억|%|개|명|건|회|번|자|일|년|월)")

_UNIT = r"(?:\s?(?:\d{1,4}동\s?)?\d{1,5}호|\s?\d{1,3}층|\s?[A-Z]동\s?\d{1,5}호)?"
_ROAD = re.compile(
    rf"(?<![가-힣])([가-힣A-Za-z0-9]{{1,12}}(?:대로|로|길))\s?(\d{{1,4}}(?:-\d{{1,4}})?)(?![0-9])({_UNIT})"
)
_LOT = re.compile(
    rf"(?<![가-힣])([가-힣0-9]{{1,8}}(?:동|리|가))\s(산\s?)?(\d{{1,5}}(?:-\d{{1,5}})?)(번지)?({_UNIT})"
)
_UNIT_ALONE = re.compile(r"(?<![0-9])\d{1,4}동\s?\d{1,5}호(?![0-9])")
_ADMIN_AREA = re.compile(r"(?:[가-힣]{1,6}(?:시|구|군|읍|면)\s)|(?:" + _REGIONS + r"|세종)")

_SURNAMES = set(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감음빈동온호범좌팽승간상갈시"
)
_NAME_TITLES = (
    "상담원", "상담사", "고객님", "팀장", "과장", "대리", "주임", "매니저", "직원", "행원", "계장", "차장",
    "부장", "선생님", "님", "씨", "설계사", "기사", "지점장", "점장", "사원", "담당자",
)
_NAME_TITLE_RE = "|".join(sorted(_NAME_TITLES, key=len, reverse=True))
_NAME = re.compile(
    rf"(?<![가-힣])([가-힣])([가-힣]{{1,2}}|[O○*◯0xX]{{1,2}})\s?(?:{_NAME_TITLE_RE})"
)
_NAME_LEAD = re.compile(r"(?:이름은|성함은|예금주는?|예금주명|이름이|성함이)\s?:?\s?([가-힣]{2,4})")
# Words that look like surname + syllables but are ordinary Korean.
_NOT_NAMES = set(
    "이번 이제 이미 이상 이런 이전 이후 이거 이게 정말 정도 정상 전화 전체 전에 조금 주말 방금 오늘 오전 오후 "
    "강제 고객 한번 안내 담당 문의 신규 기존 최근 최초 남자 여자 여성 남성 한참 계속 상담 지점 지난 저번 "
    "그냥 모든 어떤 다른 같은 해당 우리 제가 저희 진짜 계좌 장애 기사 공지 공식 국민 신한 하나 우리 농협 "
    "기업 카카오 토스 은행 고객센 주임 사원 대표 선생 원래 마지막 처음 다음 여러 몇몇 모두 남은 나머지 "
    "현재 당시 당일 한분 한명 두분 여러분 모든분 이분 그분 저분 어느 무슨 상대 담당자 상담사 상담원 "
    "방문 도움 친절 불친절 설명 연결 통화 전달 확인 처리 안내원 배송 기사님 경비 관리 직원분 직원 "
    "이용 우체국 구매 고객님 회원 본인 주인 가족 엄마 아빠 부모 친구 동생 언니 오빠 누나 형님 남편 아내 "
    "장모 시어 할머 할아 손님 사장 사모 부장 차장 과장 대리 팀장 점장 지점장 매니저 은행원 행원 창구 "
    "이상한 정확한 안내한 친절한 설명한 통화한 담당한 연결된 배정된 상담한 응대한 연락한 전화한 "
    "모르는 무례한 황당한 이러한 그러한 어떠한 다정한 차가운 성실한 신속한 노련한 유능한 무능한 "
    "모든직원 여직원 남직원 신입 신입사원 경력 선임 후임 현장 지역 본점 본사 기존고객 신규고객 우수고객"
    .split()
)
_ADJ_ENDINGS = set("한은는던된인운을의게도로과와가를이고서며면다요")


# --- helpers ---------------------------------------------------------------------------------

def _before(norm: str, start: int, width: int = 16) -> str:
    return norm[max(0, start - width):start]


def _after(norm: str, end: int, width: int = 10) -> str:
    return norm[end:end + width]


def _last_position(haystack: str, needles) -> int:
    """Position of the nearest (rightmost) needle in haystack, or -1."""
    return max((haystack.rfind(n) for n in needles), default=-1)


def _first_position(haystack: str, needles) -> int:
    found = [p for p in (haystack.find(n) for n in needles) if p >= 0]
    return min(found) if found else -1


def _labelled_not_personal(norm: str, start: int, end: int) -> bool:
    """A 주문번호/승인번호/... label right before the number (nearer than any personal cue)."""
    before = _before(norm, start, 14)
    neg = _last_position(before, _NOT_PERSONAL)
    if neg < 0:
        return False
    pos = _last_position(before, _ACCOUNT_WORDS + _CARD_WORDS + _PHONE_WORDS + _RRN_WORDS)
    return neg >= pos


def _has_context(norm: str, start: int, end: int, words, before: int = 18, after: int = 10) -> bool:
    return (_last_position(_before(norm, start, before), words) >= 0
            or _first_position(_after(norm, end, after), words) >= 0)


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


def _rrn_kind(digits: str, today: date) -> str | None:
    """RRN or ARN when 13 digits hold a real birth date consistent with the 7th digit."""
    if len(digits) != 13:
        return None
    yy, mm, dd, g = int(digits[0:2]), int(digits[2:4]), int(digits[4:6]), digits[6]
    century = {"1": 1900, "2": 1900, "5": 1900, "6": 1900, "3": 2000, "4": 2000, "7": 2000,
               "8": 2000, "9": 1800, "0": 1800}[g]
    try:
        born = date(century + yy, mm, dd)
    except ValueError:
        return None
    if born > today:
        return None
    return ARN if g in "5678" else RRN


def _phone(digits: str, groups: list[str]) -> bool:
    if digits.startswith("82") and not digits.startswith("820"):
        digits = "0" + digits[2:]
        groups = ["0" + groups[1]] + groups[2:] if len(groups) > 1 and groups[0] == "82" else groups
    if not (_MOBILE.fullmatch(digits) or _AREA.fullmatch(digits)):
        return False
    if len(groups) == 1:
        return True
    # Grouped: the last group is 4 digits and the middle 3-4; the prefix is what is left.
    return len(groups) in (2, 3) and len(groups[-1]) == 4 and (len(groups) == 2 or 3 <= len(groups[1]) <= 4)


def _card_shape(groups: list[str], digits: str) -> bool:
    sizes = [len(g) for g in groups]
    return sizes in ([4, 4, 4, 4], [16], [4, 6, 5], [15]) and (len(digits) == 16 or digits[:2] in ("34", "37"))


def _account_shape(groups: list[str], digits: str) -> bool:
    if not 10 <= len(digits) <= 16:
        return False
    sizes = [len(g) for g in groups]
    if sizes == [3, 2, 5]:  # 사업자등록번호 shape: a business, not a person
        return False
    # Groups of 2-8 digits; some banks (새마을금고, 신협) end with a single check digit.
    return len(groups) == 1 or (2 <= len(groups) <= 5 and all(2 <= s <= 8 for s in sizes[:-1]) and 1 <= sizes[-1] <= 8)


def _classify_number(norm: str, start: int, end: int, today: date) -> str | None:
    raw = norm[start:end]
    groups = re.findall(r"\d+", raw)
    digits = "".join(groups)
    if _DATE_START.match(raw) or norm.startswith(":", end) or norm[max(0, start - 1):start] == ":":
        return None
    if _UNIT_AFTER.match(norm, end) and not _has_context(norm, start, end, _ACCOUNT_WORDS + _CARD_WORDS, 8, 0):
        return None
    if _labelled_not_personal(norm, start, end):
        return None
    kind = _rrn_kind(digits, today)
    if kind and [len(g) for g in groups] in ([13], [6, 7]):
        return kind
    if _phone(digits, groups):
        if digits.startswith("080"):
            return None
        return PHONE
    if _card_shape(groups, digits):
        if _luhn(digits) or _has_context(norm, start, end, _CARD_WORDS):
            return CARD
    if _account_shape(groups, digits) and _has_context(norm, start, end, _ACCOUNT_WORDS):
        return ACCOUNT
    if _card_shape(groups, digits) is False and len(digits) == 12 and _has_context(norm, start, end, ("면허",)):
        return DRIVER_LICENSE
    return None


def _number_spans(norm: str, today: date):
    for m in _DIGIT_RUN.finditer(norm):
        # Split the run at spaces into groups; find the longest classifiable sub-runs, left to
        # right, so "010-1234-5678 010-9876-5432" yields two phones rather than no match.
        parts = [(p.start() + m.start(), p.end() + m.start())
                 for p in re.finditer(r"\+?\(?[0-9](?:[0-9.)-]|\s?-\s?)*[0-9]|\d", m.group())]
        i = 0
        while i < len(parts):
            for j in range(len(parts), i, -1):
                s, e = parts[i][0], parts[j - 1][1]
                kind = _classify_number(norm, s, e, today)
                if kind:
                    yield s - (norm[s - 1:s] == "(" and ")" in norm[s:e]), e, kind
                    i = j
                    break
            else:
                i += 1


def _spelled_phone_spans(norm: str):
    for m in _SPELLED.finditer(norm):
        digits = "".join(_KOREAN_DIGITS[c] for c in m.group() if c in _KOREAN_DIGITS)
        if _MOBILE.fullmatch(digits) or _AREA.fullmatch(digits):
            yield m.start(), m.end(), PHONE


def _address_spans(norm: str):
    for m in _ROAD.finditer(norm):
        road, unit = m.group(1), m.group(3)
        tail = norm[m.end(2):m.end(2) + 3]
        if _UNIT_AFTER.match(tail) and not unit:
            continue
        strong_road = re.search(r"(?:대로|\d+번?길|[가-힣]{2,}길)$", road) is not None
        # "앱으로 3", "카드로 2": a particle 로 after a noun, not a road.
        if road.endswith("으로") or (not strong_road and not unit and not _ADMIN_AREA.search(_before(norm, m.start(), 20))):
            continue
        yield m.start(2), m.end(3) if unit else m.end(2), ADDRESS
    for m in _LOT.finditer(norm):
        if not (m.group(4) or m.group(5)) and not _ADMIN_AREA.search(_before(norm, m.start(), 20)):
            continue
        if _UNIT_AFTER.match(norm, m.end(3)) and not m.group(4) and not m.group(5):
            continue
        yield m.start(3) if not m.group(2) else m.start(2), m.end(), ADDRESS
    for m in _UNIT_ALONE.finditer(norm):
        yield m.start(), m.end(), ADDRESS


def _name_spans(norm: str):
    for m in _NAME.finditer(norm):
        surname, given = m.group(1), m.group(2)
        word = surname + given
        if surname not in _SURNAMES or word in _NOT_NAMES:
            continue
        placeholder = given[0] in "O○*◯0xX"
        if not placeholder:
            if len(given) < 2 or given[-1] in _ADJ_ENDINGS or word[:2] in _NOT_NAMES:
                continue
        yield m.start(1), m.end(2), NAME
    for m in _NAME_LEAD.finditer(norm):
        word = m.group(1)
        if word[0] in _SURNAMES and word not in _NOT_NAMES and word[-1] not in _ADJ_ENDINGS:
            yield m.start(1), m.end(1), NAME


def _other_spans(norm: str):
    for m in _EMAIL.finditer(norm):
        yield m.start(), m.end(), EMAIL
    for m in _PASSPORT.finditer(norm):
        if _has_context(norm, m.start(), m.end(), ("여권", "passport", "Passport"), 20, 8):
            yield m.start(), m.end(), PASSPORT
    for m in _LICENSE.finditer(norm):
        yield m.start(), m.end(), DRIVER_LICENSE
    for m in _LICENSE_PLAIN.finditer(norm):
        if _has_context(norm, m.start(), m.end(), ("면허",), 20, 8):
            yield m.start(), m.end(), DRIVER_LICENSE
    for m in _PLATE.finditer(norm):
        if not _PLATE_NOT_AFTER.match(norm, m.end()):
            yield m.start(), m.end(), PLATE


def detect(text: str, today: date) -> list[Span]:
    """Spans of personal data in `text`, as offsets into `text`, non-overlapping, in order."""
    norm, origin = _normalise(text)
    found = [*_other_spans(norm), *_number_spans(norm, today), *_spelled_phone_spans(norm)]
    if any("가" <= c <= "힣" for c in norm):
        found += [*_address_spans(norm), *_name_spans(norm)]
    # Resolve overlaps: higher-priority type first, then longer span.
    found.sort(key=lambda s: (_PRIORITY[s[2]], -(s[1] - s[0]), s[0]))
    taken: list[tuple[int, int, str]] = []
    for s, e, kind in found:
        if all(e <= ts or s >= te for ts, te, _ in taken):
            taken.append((s, e, kind))
    taken.sort()
    return [Span(origin[s], origin[e - 1] + 1, kind) for s, e, kind in taken]
