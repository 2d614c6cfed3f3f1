"""Generate labelled sentences for the personal-data detector from real parts and many frames.

    .venv/bin/python -m tests.pii_generate            # rewrite tests/data/pii_gen_*.txt
    .venv/bin/python -m tests.pii_generate --check    # exit 1 if the files differ from a fresh run

Every part a sentence is made of is split in two before any sentence is made: road names, lot
names, apartment names, given names, banks, sentence frames and look-alike wordings each go
either to the dev part (the detector may be tuned on it) or to the untouched part (never tuned
on: read only to report). The parts share only what is closed and public anyway: the 시·도 and
시·군·구 names, the surname frequencies and the number formats.

Real parts: 시·도 and 시·군·구 names, road names that exist in those places (…로, …대로, with
numbered side streets …로12번길 / …로58길 generated as the 도로명주소 rules make them), lot names,
apartment brands, surnames by their census share, given names common in each generation, each
bank's account grouping and prefixes. Sentences are written the way complaints to a bank, a card
company or a delivery service are written; look-alikes are the numbers and words such complaints
hold that are not personal (amounts, dates, times, rates, order/approval/waybill numbers,
hotlines, versions, barcodes, banks and places that look like names).

Output lines use the corpus format of tests/pii_corpus.py, with each look-alike's kind after
"=" (`text || SPAN=TYPE; ... || look-alike=KIND; ...`).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import unicodedata
from pathlib import Path

DATA = Path(__file__).parent / "data"
FILES = {"gen-dev": DATA / "pii_gen_dev.txt", "gen-untouched": DATA / "pii_gen_untouched.txt"}
SEED = 20261123
SIZES = {"gen-dev": 1000, "gen-untouched": 800}

# --- Korean text helpers ---------------------------------------------------------------------

_DIGIT_BATCHIM = {
    "0": True,
    "1": True,
    "2": False,
    "3": True,
    "4": False,
    "5": False,
    "6": True,
    "7": True,
    "8": True,
    "9": False,
}
_DIGIT_RIEUL = set("178")


def _final(word: str) -> tuple[bool, bool]:
    """(has a final consonant, that consonant is ㄹ) for the last sounding character."""
    for ch in reversed(unicodedata.normalize("NFKC", word.strip())):
        if "가" <= ch <= "힣":
            jong = (ord(ch) - 0xAC00) % 28
            return jong != 0, jong == 8
        if ch.isdigit():
            return _DIGIT_BATCHIM[ch], ch in _DIGIT_RIEUL
        if ch.isalpha():
            return ch.lower() in "lmnr", ch.lower() in "lr"
        if ch in ")]":
            continue
    return False, False


def josa(word: str, kind: str) -> str:
    has, rieul = _final(word)
    pairs = {
        "로": ("으로", "로"),
        "이": ("이", "가"),
        "은": ("은", "는"),
        "을": ("을", "를"),
        "과": ("과", "와"),
        "이에요": ("이에요", "예요"),
        "이라고": ("이라고", "라고"),
        "아": ("아", "야"),
    }
    if kind == "로":
        return word + ("로" if (not has or rieul) else "으로")
    return word + pairs[kind][0 if has else 1]


# --- romanisation (Revised Romanisation, simplified: no assimilation across syllables) --------

_INITIALS = [
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
]
_MEDIALS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
_FINALS = [
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
]
_SURNAME_ROMAN = {
    "김": "KIM",
    "이": "LEE",
    "박": "PARK",
    "최": "CHOI",
    "정": "JUNG",
    "강": "KANG",
    "조": "CHO",
    "윤": "YOON",
    "장": "JANG",
    "임": "LIM",
    "한": "HAN",
    "오": "OH",
    "서": "SEO",
    "신": "SHIN",
    "권": "KWON",
    "황": "HWANG",
    "안": "AHN",
    "송": "SONG",
    "전": "JEON",
    "홍": "HONG",
    "유": "YOO",
    "고": "KO",
    "문": "MOON",
    "양": "YANG",
    "손": "SON",
    "배": "BAE",
    "백": "BAEK",
    "허": "HEO",
    "남궁": "NAMGOONG",
    "황보": "HWANGBO",
    "제갈": "JEGAL",
    "선우": "SUNWOO",
    "독고": "DOKGO",
}


def romanise(syllables: str) -> str:
    out = []
    for ch in syllables:
        code = ord(ch) - 0xAC00
        out.append(_INITIALS[code // 588] + _MEDIALS[(code % 588) // 28] + _FINALS[code % 28])
    return "".join(out)


# --- real parts ------------------------------------------------------------------------------

# 시·도 (full and short) with 시·군·구 of each; road names and 동 names that exist there.
PLACES = [
    (
        ("서울특별시", "서울시", "서울"),
        [
            (
                "강남구",
                [
                    "테헤란로",
                    "강남대로",
                    "도산대로",
                    "봉은사로",
                    "선릉로",
                    "언주로",
                    "논현로",
                    "학동로",
                    "영동대로",
                    "삼성로",
                ],
                ["역삼동", "삼성동", "대치동", "논현동", "개포동", "도곡동", "일원동", "수서동"],
            ),
            (
                "마포구",
                [
                    "월드컵북로",
                    "양화로",
                    "독막로",
                    "와우산로",
                    "마포대로",
                    "성미산로",
                    "망원로",
                    "동교로",
                    "백범로",
                ],
                ["서교동", "합정동", "망원동", "연남동", "상암동", "공덕동", "아현동", "도화동"],
            ),
            (
                "송파구",
                [
                    "올림픽로",
                    "송파대로",
                    "위례성대로",
                    "오금로",
                    "양재대로",
                    "백제고분로",
                    "석촌호수로",
                ],
                ["잠실동", "가락동", "문정동", "방이동", "석촌동", "송파동", "오금동"],
            ),
            (
                "서초구",
                ["반포대로", "서초중앙로", "사평대로", "효령로", "방배로", "남부순환로", "서운로"],
                ["반포동", "잠원동", "방배동", "서초동", "양재동", "우면동", "내곡동"],
            ),
            (
                "관악구",
                ["관악로", "신림로", "봉천로", "남부순환로", "난곡로", "호암로"],
                ["봉천동", "신림동", "남현동"],
            ),
            (
                "노원구",
                ["동일로", "노원로", "상계로", "한글비석로", "공릉로", "화랑로"],
                ["상계동", "중계동", "하계동", "공릉동", "월계동"],
            ),
            (
                "영등포구",
                ["국제금융로", "여의대로", "당산로", "영등포로", "도림로", "문래로", "신길로"],
                ["여의도동", "당산동", "문래동", "신길동", "대림동", "양평동"],
            ),
            (
                "강서구",
                ["공항대로", "화곡로", "강서로", "양천로", "마곡중앙로", "등촌로"],
                ["화곡동", "등촌동", "가양동", "마곡동", "방화동", "염창동"],
            ),
            (
                "성동구",
                ["왕십리로", "뚝섬로", "성수이로", "아차산로", "고산자로", "독서당로"],
                ["성수동1가", "성수동2가", "행당동", "금호동4가", "옥수동", "마장동"],
            ),
            (
                "종로구",
                ["종로", "율곡로", "자하문로", "북촌로", "대학로", "창경궁로", "세종대로"],
                ["혜화동", "평창동", "부암동", "명륜3가", "종로5가", "청운동"],
            ),
            (
                "구로구",
                ["디지털로", "가산디지털1로", "경인로", "구로중앙로", "고척로", "오리로"],
                ["구로동", "개봉동", "고척동", "오류동", "신도림동"],
            ),
            (
                "중랑구",
                ["망우로", "면목로", "사가정로", "동일로", "봉화산로"],
                ["면목동", "중화동", "묵동", "상봉동", "신내동"],
            ),
        ],
    ),
    (
        ("부산광역시", "부산시", "부산"),
        [
            (
                "해운대구",
                ["센텀중앙로", "해운대로", "좌동순환로", "APEC로", "마린시티2로", "재반로"],
                ["우동", "중동", "좌동", "재송동", "반여동", "송정동"],
            ),
            (
                "부산진구",
                ["중앙대로", "서면로", "전포대로", "가야대로", "새싹로", "동평로"],
                ["부전동", "전포동", "양정동", "개금동", "가야동", "범천동"],
            ),
            (
                "수영구",
                ["수영로", "광안해변로", "남천동로", "망미번영로"],
                ["광안동", "남천동", "망미동", "민락동"],
            ),
            (
                "사하구",
                ["낙동대로", "다대로", "하신번영로", "감천로"],
                ["하단동", "괴정동", "다대동", "신평동"],
            ),
        ],
    ),
    (
        ("대구광역시", "대구시", "대구"),
        [
            (
                "수성구",
                ["달구벌대로", "동대구로", "범어로", "수성로", "들안로", "지범로"],
                ["범어동", "만촌동", "지산동", "황금동", "시지동"],
            ),
            (
                "달서구",
                ["월배로", "달서대로", "성서공단로", "구마로", "상인로"],
                ["상인동", "월성동", "이곡동", "본리동", "진천동"],
            ),
        ],
    ),
    (
        ("인천광역시", "인천시", "인천"),
        [
            (
                "연수구",
                ["송도과학로", "컨벤시아대로", "인천타워대로", "해돋이로", "원인재로"],
                ["송도동", "연수동", "동춘동", "옥련동"],
            ),
            (
                "남동구",
                ["인주대로", "예술로", "구월로", "남동대로", "논현로"],
                ["구월동", "만수동", "간석동", "논현동"],
            ),
            (
                "부평구",
                ["부평대로", "경원대로", "굴포로", "주부토로"],
                ["부평동", "십정동", "산곡동", "삼산동"],
            ),
        ],
    ),
    (
        ("광주광역시", "광주시", "광주"),
        [
            (
                "서구",
                ["상무대로", "상무중앙로", "운천로", "화운로", "월드컵4강로"],
                ["치평동", "쌍촌동", "화정동", "풍암동"],
            ),
            (
                "북구",
                ["우치로", "서강로", "설죽로", "하서로", "용봉로"],
                ["용봉동", "운암동", "문흥동", "일곡동"],
            ),
        ],
    ),
    (
        ("대전광역시", "대전시", "대전"),
        [
            (
                "서구",
                ["한밭대로", "둔산로", "계룡로", "대덕대로", "도산로"],
                ["둔산동", "월평동", "탄방동", "갈마동", "관저동"],
            ),
            (
                "유성구",
                ["대학로", "유성대로", "엑스포로", "노은동로", "계룡로"],
                ["봉명동", "노은동", "지족동", "궁동", "도룡동"],
            ),
        ],
    ),
    (
        ("울산광역시", "울산시", "울산"),
        [
            (
                "남구",
                ["삼산로", "번영로", "돋질로", "대공원로", "문수로"],
                ["삼산동", "달동", "신정동", "무거동", "옥동"],
            ),
        ],
    ),
    (
        ("세종특별자치시", "세종시", "세종"),
        [
            (
                "",
                [
                    "한누리대로",
                    "갈매로",
                    "도움1로",
                    "정부2청사로",
                    "보듬7로",
                    "달빛로",
                    "나성북1로",
                ],
                ["보람동", "도담동", "아름동", "고운동", "나성동"],
            ),
        ],
    ),
    (
        ("경기도", "경기"),
        [
            (
                "성남시 분당구",
                ["판교역로", "분당로", "성남대로", "정자일로", "황새울로", "서현로", "돌마로"],
                ["정자동", "서현동", "이매동", "야탑동", "금곡동", "백현동"],
            ),
            (
                "수원시 영통구",
                ["광교중앙로", "덕영대로", "영통로", "봉영로", "매영로"],
                ["영통동", "매탄동", "원천동", "이의동", "망포동"],
            ),
            (
                "고양시 일산동구",
                ["중앙로", "일산로", "백석로", "호수로", "장백로"],
                ["장항동", "마두동", "백석동", "정발산동", "풍동"],
            ),
            (
                "용인시 수지구",
                ["포은대로", "풍덕천로", "수지로", "동천로", "죽전로"],
                ["풍덕천동", "상현동", "동천동", "죽전동", "성복동"],
            ),
            (
                "김포시",
                ["김포한강로", "김포대로", "사우중로", "풍무로"],
                ["사우동", "풍무동", "장기동", "구래동"],
            ),
            (
                "양평군",
                ["양평읍 양근로", "양서면 북한강로", "서종면 북한강로", "용문면 다문로"],
                ["양서면 양수리", "서종면 문호리", "용문면 다문리", "옥천면 아신리"],
            ),
            (
                "남양주시",
                ["경춘로", "다산중앙로", "진접읍 해밀예당1로", "화도읍 경춘로"],
                ["진접읍 장현리", "화도읍 마석우리", "별내동", "다산동"],
            ),
            (
                "화성시",
                ["동탄대로", "병점중앙로", "봉담읍 동화길", "향남읍 발안로"],
                ["반송동", "능동", "봉담읍 상리", "향남읍 행정리"],
            ),
        ],
    ),
    (
        ("강원특별자치도", "강원도", "강원"),
        [
            (
                "춘천시",
                ["중앙로", "후석로", "공지로", "퇴계로", "영서로"],
                ["효자동", "석사동", "퇴계동", "후평동"],
            ),
            (
                "원주시",
                ["원일로", "서원대로", "단구로", "치악로"],
                ["단구동", "무실동", "반곡동", "명륜동"],
            ),
            ("홍천군", ["홍천읍 홍천로", "화촌면 영서로"], ["홍천읍 희망리", "화촌면 송정리"]),
        ],
    ),
    (
        ("충청북도", "충북"),
        [
            (
                "청주시 흥덕구",
                ["가경로", "대농로", "월명로", "직지대로", "강서로"],
                ["가경동", "복대동", "봉명동", "강서동"],
            ),
            ("옥천군", ["옥천읍 중앙로", "이원면 묘목로"], ["옥천읍 금구리", "이원면 강청리"]),
        ],
    ),
    (
        ("충청남도", "충남"),
        [
            (
                "천안시 서북구",
                ["불당대로", "번영로", "성정두정로", "쌍용대로"],
                ["불당동", "두정동", "성정동", "백석동"],
            ),
            ("홍성군", ["홍성읍 조양로", "홍북읍 충남대로"], ["홍성읍 오관리", "홍북읍 신경리"]),
        ],
    ),
    (
        ("전북특별자치도", "전라북도", "전북"),
        [
            (
                "전주시 완산구",
                ["기린대로", "팔달로", "홍산로", "효자로", "서원로"],
                ["효자동3가", "중화산동2가", "서신동", "평화동2가"],
            ),
            ("익산시", ["인북로", "무왕로", "하나로", "선화로"], ["영등동", "어양동", "모현동"]),
        ],
    ),
    (
        ("전라남도", "전남"),
        [
            (
                "순천시",
                ["중앙로", "팔마로", "연향번영길", "해룡면 향매로"],
                ["연향동", "조례동", "왕지동", "해룡면 신대리"],
            ),
            ("무안군", ["삼향읍 오룡길", "무안읍 무안로"], ["삼향읍 남악리", "무안읍 성내리"]),
        ],
    ),
    (
        ("경상북도", "경북"),
        [
            (
                "포항시 남구",
                ["포스코대로", "대잠동길", "중앙로", "희망대로"],
                ["대잠동", "이동", "상도동", "연일읍 생지리"],
            ),
            (
                "경산시",
                ["대학로", "중앙로", "하양읍 하양로"],
                ["옥산동", "중방동", "하양읍 금락리"],
            ),
        ],
    ),
    (
        ("경상남도", "경남"),
        [
            (
                "창원시 성산구",
                ["창원대로", "원이대로", "중앙대로", "용지로"],
                ["상남동", "중앙동", "용호동", "사파동"],
            ),
            (
                "김해시",
                ["김해대로", "가야로", "금관대로", "장유로"],
                ["내동", "삼계동", "부원동", "율하동"],
            ),
            ("거창군", ["거창읍 중앙로", "가조면 가야로"], ["거창읍 김천리", "가조면 마상리"]),
        ],
    ),
    (
        ("제주특별자치도", "제주도", "제주"),
        [
            (
                "제주시",
                ["연북로", "노형로", "중앙로", "탑동로", "일주서로", "애월읍 애월해안로"],
                ["노형동", "연동", "이도이동", "애월읍 애월리"],
            ),
            (
                "서귀포시",
                ["중정로", "일주동로", "신중로", "대정읍 하모항구로"],
                ["서귀동", "동홍동", "대정읍 하모리"],
            ),
        ],
    ),
]

APARTMENTS = [
    "래미안",
    "자이",
    "푸르지오",
    "힐스테이트",
    "아이파크",
    "롯데캐슬",
    "더샵",
    "센트레빌",
    "e편한세상",
    "한신",
    "현대",
    "삼성",
    "대우",
    "우성",
    "주공",
    "한양",
    "벽산",
    "쌍용",
    "동아",
    "신동아",
    "두산위브",
    "금호어울림",
    "호반베르디움",
    "중흥S클래스",
    "부영",
    "우미린",
    "한라비발디",
    "꿈에그린",
    "SK뷰",
    "데시앙",
]
APARTMENT_KINDS = [
    "아파트",
    "",
    "{n}단지",
    "{n}차아파트",
    "빌라",
    "오피스텔",
    "하이츠",
    "맨션",
    "타운",
]
BUILDINGS = [
    "스타타워",
    "센터원",
    "파이낸스센터",
    "트윈타워",
    "무역센터",
    "프라자",
    "타워",
    "빌딩",
    "상가",
    "메디컬빌딩",
]

SURNAMES = [
    ("김", 215),
    ("이", 147),
    ("박", 84),
    ("최", 47),
    ("정", 43),
    ("강", 24),
    ("조", 21),
    ("윤", 20),
    ("장", 20),
    ("임", 17),
    ("한", 15),
    ("오", 15),
    ("서", 15),
    ("신", 14),
    ("권", 14),
    ("황", 14),
    ("안", 13),
    ("송", 13),
    ("유", 13),
    ("전", 11),
    ("홍", 11),
    ("고", 9),
    ("문", 9),
    ("양", 9),
    ("손", 9),
    ("배", 8),
    ("백", 8),
    ("허", 6),
    ("남", 6),
    ("심", 5),
    ("노", 6),
    ("하", 5),
    ("곽", 4),
    ("성", 4),
    ("차", 4),
    ("주", 4),
    ("우", 4),
    ("구", 4),
    ("민", 3),
    ("류", 3),
    ("나", 3),
    ("진", 3),
    ("지", 3),
    ("엄", 3),
    ("채", 3),
    ("원", 3),
    ("천", 2),
    ("방", 2),
    ("공", 2),
    ("현", 2),
    ("함", 2),
    ("변", 2),
    ("염", 2),
    ("여", 2),
    ("추", 1),
    ("도", 1),
    ("소", 1),
    ("석", 1),
    ("선", 1),
    ("설", 1),
    ("마", 1),
    ("길", 1),
    ("연", 1),
    ("위", 1),
    ("표", 1),
    ("명", 1),
    ("기", 1),
    ("반", 1),
    ("왕", 1),
    ("금", 1),
    ("옥", 1),
    ("육", 1),
    ("인", 1),
    ("맹", 1),
    ("탁", 1),
    ("국", 1),
    ("남궁", 2),
    ("황보", 2),
    ("제갈", 2),
    ("선우", 2),
    ("독고", 2),
    ("사공", 1),
    ("서문", 1),
]
# Given names common in each generation (1950s-2020s birth cohorts), from published
# popular-name lists; a real spread from 영자 and 말순 to 서준 and 하린.
GIVEN_NAMES = (
    "영수 영호 영철 정호 성호 상철 광수 영자 순자 정숙 "
    "영숙 미숙 경숙 명숙 현숙 말순 춘자 옥순 복순 정자 "
    "미경 미영 은영 지영 수진 현정 은정 지현 민정 혜진 "
    "은주 선영 정희 경희 미정 성민 동현 준호 현우 지훈 "
    "성훈 재현 민수 상현 동욱 진우 승민 준영 우진 태현 "
    "민재 건우 현준 유진 수빈 예린 가은 나연 소연 지원 "
    "혜원 다인 채윤 아린 이안 로운 하람 한결 가람 슬기 "
    "나래 보람 초롱 새롬 다솜 빛나 은비 예슬 한솔 누리 "
    "민준 서준 도윤 예준 시우 하준 주원 지호 지후 준우 "
    "서연 서윤 지우 서현 민서 하은 하윤 윤서 지유 지민 "
    "채원 수아 지아 다은 예은 은서 하린 수민 유나 소윤 "
    "태윤 시윤 은우 선우 연우 정우 도현 이준 건 솔 "
    "철수 영희 길동 순이 덕배 만복 칠성 복남 상훈 재석 "
    "종국 광희 명수 준하 형돈 홍철 석진 남준 윤기 정국 "
    "태형 지민 호석 경민 성진 재원 준혁 상우 현석 승우 "
    "민혁 기현 창민 용준 대성 승현 세훈 종인 찬열 백현 "
    "경수 민석 준면 수영 윤아 유리 효연 서현 태연 미란 "
    "선희 정란 경자 혜숙 순옥 명자 영순 정순 금순 "
    "병철 기철 만수 두식 판수 봉수 춘식 용팔 동석 재웅 "
    "태식 무열 인성 우성 정재 해진 혜수 지성 소희 "
    "보영 나은 예지 수지 하니 민지 해린 다니엘 혜인 채령 유진 가을 여름 봄 겨울 하늘 바다 별 "
    "종현 진기 민호 태민 기범 재중 윤호 창민 준수 유천 지용 승리 대성 동해 은혁 규현 려욱 성민 시원"
).split()
GIVEN_NAMES = list(dict.fromkeys(GIVEN_NAMES))
# Names of people from abroad who bank in Korea, as Hangul writes them and as their passports
# spell them (Vietnam, China, the Philippines, Uzbekistan, Nepal, Thailand, the US, Russia...).
FOREIGN_NAMES = [
    ("존 밀러", "JOHN MILLER"),
    ("응우옌 반 안", "NGUYEN VAN AN"),
    ("마리아 산토스", "MARIA SANTOS"),
    ("왕 웨이", "WANG WEI"),
    ("레 티 투", "LE THI THU"),
    ("아지즈 카리모프", "AZIZ KARIMOV"),
    ("수닐 타파", "SUNIL THAPA"),
    ("솜차이 분마", "SOMCHAI BOONMA"),
    ("안나 페트로바", "ANNA PETROVA"),
    ("리우 양", "LIU YANG"),
    ("쩐 티 마이", "TRAN THI MAI"),
    ("제임스 브라운", "JAMES BROWN"),
    ("호세 가르시아", "JOSE GARCIA"),
    ("다니엘 스미스", "DANIEL SMITH"),
    ("팜 반 득", "PHAM VAN DUC"),
    ("장 리", "ZHANG LI"),
    ("로사 레예스", "ROSA REYES"),
    ("이반 소콜로프", "IVAN SOKOLOV"),
    ("사라 존슨", "SARAH JOHNSON"),
    ("부이 티 란", "BUI THI LAN"),
]

# How each institution writes its account numbers: (name as people write it, groups, prefixes).
# Same source as campaign/pii_lexicon.ACCOUNT_GROUPINGS (KFTC CMS account tables and each
# bank's app); prefixes are the subject codes those tables give.
BANKS = [
    ("국민은행", (6, 2, 6), ()),
    ("KB국민", (6, 2, 6), ()),
    ("국민", (3, 2, 4, 3), ()),
    ("신한은행", (3, 3, 6), ("110", "140", "100")),
    ("신한", (3, 2, 6), ()),
    ("우리은행", (4, 3, 6), ("1002", "1005", "1006")),
    ("우리", (4, 3, 6), ("1002",)),
    ("하나은행", (3, 6, 5), ()),
    ("하나", (3, 6, 3), ("611", "620", "630")),
    ("농협", (3, 4, 4, 2), ("301", "302", "312", "351", "352", "356")),
    ("NH농협", (3, 4, 4, 2), ("301", "302", "352")),
    ("지역농협", (6, 2, 6), ()),
    ("기업은행", (3, 6, 2, 3), ()),
    ("IBK", (3, 6, 2, 3), ()),
    ("카카오뱅크", (4, 2, 7), ("3333", "3355", "3388")),
    ("카뱅", (4, 2, 7), ("3333",)),
    ("토스뱅크", (4, 4, 4), ("1000",)),
    ("토스", (4, 4, 4), ("1000",)),
    ("케이뱅크", (3, 3, 6), ("100",)),
    ("새마을금고", (4, 4, 4, 1), ("9002", "9003", "9005", "9100")),
    ("우체국", (6, 2, 6), ()),
    ("SC제일은행", (3, 2, 6), ()),
    ("iM뱅크", (3, 2, 6, 1), ("505", "508")),
    ("대구은행", (3, 2, 6, 1), ()),
    ("부산은행", (3, 4, 4, 2), ("101", "102", "112")),
    ("경남은행", (3, 2, 7), ()),
    ("광주은행", (3, 3, 6), ()),
    ("신협", (3, 3, 6), ("131", "132")),
    ("수협", (3, 2, 6), ()),
    ("키움증권", (4, 4, 2), ()),
    ("미래에셋", (8, 2), ()),
    ("한국투자증권", (8, 2), ()),
    ("삼성증권", (1, 5, 8), ()),
    ("KB증권", (3, 2, 6), ()),
    ("NH투자증권", (3, 2, 6), ()),
]

DOMAINS = [
    "naver.com",
    "gmail.com",
    "daum.net",
    "hanmail.net",
    "kakao.com",
    "nate.com",
    "hotmail.com",
    "outlook.com",
    "icloud.com",
    "yahoo.co.kr",
    "korea.kr",
    "company.co.kr",
]
EMAIL_USERS = [
    "minji",
    "js.park",
    "kim_ys",
    "hello123",
    "sunny.day",
    "jiwoo99",
    "lee-hj",
    "abc.def",
    "parkseo",
    "happy_mom",
    "doyun.k",
    "yoonah",
    "cs.team",
    "gildong",
    "h.jang",
    "mr.cho",
    "user2024",
    "ssong77",
]

# --- slot makers: each returns (text, [(substring, label)]) -------------------------------------


class Parts:
    """The pools one part (dev or untouched) draws from."""

    def __init__(self, rng: random.Random, half: int):
        def mine(items):
            items = list(items)
            random.Random(SEED + len(items)).shuffle(items)
            return items[half::2] or items

        self.rng = rng
        self.places = []
        for sido, districts in PLACES:
            for sigungu, roads, lots in districts:
                self.places.append((sido, sigungu, mine(roads), mine(lots)))
        self.apartments = mine(APARTMENTS)
        self.buildings = mine(BUILDINGS)
        self.given = mine(GIVEN_NAMES)
        self.foreign = mine(FOREIGN_NAMES)
        self.banks = mine(BANKS)
        self.domains = mine(DOMAINS)
        self.users = mine(EMAIL_USERS)
        self.words = {kind: mine(words) for kind, words in WORD_LOOKALIKES.items()}
        self.half = half
        self.state: dict[str, str] = {}  # what one sentence repeats (a name said twice)

    # numbers
    def digits(self, n: int, first: str | None = None) -> str:
        d = "".join(str(self.rng.randrange(10)) for _ in range(n))
        return (first + d[len(first) :]) if first else d

    def ean13(self) -> str:
        """A Korean product barcode (GS1 prefix 880) with its check digit."""
        body = "880" + self.digits(9)
        odd_even = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
        return body + str((10 - odd_even % 10) % 10)

    def mobile(self) -> str:
        r = self.rng
        prefix = r.choice(["010"] * 12 + ["011", "016", "019"])
        mid = self.digits(4 if prefix == "010" else r.choice([3, 4]), str(r.randint(2, 9)))
        last = self.digits(4)
        style = r.choice(
            [
                "dash",
                "dash",
                "dash",
                "bare",
                "space",
                "dot",
                "full",
                "plus",
                "spaced-dash",
                "jamo",
                "slash",
                "middot",
            ]
        )
        if style in (
            "jamo",
            "slash",
            "middot",
        ):  # ㅡ typed for a dash on a Korean keyboard, / and ·
            sep = {"jamo": "ㅡ", "slash": "/", "middot": "·"}[style]
            return f"{prefix}{sep}{mid}{sep}{last}"
        if style == "bare":
            return prefix + mid + last
        if style == "space":
            return f"{prefix} {mid} {last}"
        if style == "dot":
            return f"{prefix}.{mid}.{last}"
        if style == "full":
            return "".join(
                chr(ord(c) + 0xFEE0) if c.isdigit() else "－" for c in f"{prefix}-{mid}-{last}"
            )
        if style == "plus":
            return f"+82 {prefix[1:]}-{mid}-{last}"
        if style == "spaced-dash":
            return f"{prefix} - {mid} - {last}"
        return f"{prefix}-{mid}-{last}"

    def landline(self) -> str:
        r = self.rng
        area = r.choice(
            [
                "02",
                "031",
                "032",
                "033",
                "041",
                "042",
                "043",
                "051",
                "052",
                "053",
                "054",
                "055",
                "061",
                "062",
                "063",
                "064",
                "070",
            ]
        )
        mid = self.digits(r.choice([3, 4]) if area != "070" else 4, str(r.randint(2, 9)))
        return r.choice(
            [
                f"{area}-{mid}-{self.digits(4)}",
                f"{area}){mid}-{self.digits(4)}",
                f"({area}) {mid}-{self.digits(4)}",
                f"{area} {mid} {self.digits(4)}",
            ]
        )

    def spoken_mobile(self) -> str:
        words = "공일이삼사오육칠팔구"
        r = self.rng
        digits = "010" + self.digits(8, str(r.randint(2, 9)))
        zero = r.choice("공공공영")
        spoken = "".join(zero if c == "0" else words[int(c)] for c in digits)
        sep = r.choice([" ", " ", "-", ", ", "에 "])
        # Half read aloud: the prefix in words, the rest in digits, or the other way round.
        return r.choice(
            [
                f"{spoken[:3]}{sep}{spoken[3:7]}{sep}{spoken[7:]}",
                spoken,
                f"{spoken[:3]}-{digits[3:7]}-{digits[7:]}",
                f"{digits[:3]}에 {spoken[3:7]} {spoken[7:]}",
            ]
        )

    def rrn(self, foreign: bool = False) -> str:
        r = self.rng
        year = r.randint(1945, 2008)
        yy, mm, dd = year % 100, r.randint(1, 12), r.randint(1, 28)
        if foreign:
            g = r.choice("56") if year < 2000 else r.choice("78")
        else:
            g = r.choice("12") if year < 2000 else r.choice("34")
        front, back = f"{yy:02d}{mm:02d}{dd:02d}", g + self.digits(6)
        return r.choice(
            [f"{front}-{back}", f"{front}-{back}", f"{front}{back}", f"{front} - {back}"]
        )

    def card(self) -> str:
        r = self.rng
        body = r.choice(["4", "5", "9", "3"]) + self.digits(14)
        total = 0
        for i, ch in enumerate(reversed(body)):
            d = int(ch)
            if i % 2 == 0:
                d *= 2
                d -= 9 if d > 9 else 0
            total += d
        n = body + str((10 - total % 10) % 10)
        g = [n[i : i + 4] for i in range(0, 16, 4)]
        return r.choice(["-".join(g), " ".join(g), n, "-".join(g)])

    def account(self, bank) -> str:
        r = self.rng
        _, groups, prefixes = bank
        total = sum(groups)
        digits = self.digits(total)
        if prefixes:
            p = r.choice(prefixes)
            digits = p + digits[len(p) :]
        out, at = [], 0
        for g in groups:
            out.append(digits[at : at + g])
            at += g
        return "-".join(out)

    def email(self) -> str:
        r = self.rng
        at = r.choice(["@"] * 6 + ["골뱅이", " 골뱅이 ", " [at] ", "(at)", " at "])
        return (
            f"{r.choice(self.users)}{r.choice(['', '', str(r.randint(1, 99))])}"
            f"{at}{r.choice(self.domains)}"
        )

    def passport(self) -> str:
        r = self.rng
        number = r.choice(
            [
                f"M{self.digits(8)}",
                f"M{self.digits(3)}{r.choice('ABCDEFGHJK')}{self.digits(4)}",
                f"{r.choice('EGKPS')}{self.digits(8)}",
                f"{r.choice('MSR')}{self.digits(8)}",
            ]
        )
        return number.lower() if r.random() < 0.2 else number

    def license(self) -> str:
        r = self.rng
        region = r.choice(
            [
                "11",
                "12",
                "13",
                "14",
                "15",
                "16",
                "17",
                "18",
                "19",
                "20",
                "21",
                "22",
                "23",
                "24",
                "25",
                "26",
                "28",
            ]
        )
        return r.choice(
            [
                f"{region}-{self.digits(2)}-{self.digits(6)}-{self.digits(2)}",
                f"{r.choice(['서울', '경기', '부산', '대구'])} "
                f"{self.digits(2)}-{self.digits(6)}-{self.digits(2)}",
            ]
        )

    def plate(self) -> str:
        r = self.rng
        syl = r.choice("가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주하허호")
        return r.choice(
            [
                f"{self.digits(2)}{syl} {self.digits(4)}",
                f"{self.digits(3)}{syl} {self.digits(4)}",
                f"{self.digits(2)}{syl}{self.digits(4)}",
            ]
        )

    # names
    def surname(self) -> str:
        names, weights = zip(*SURNAMES, strict=False)
        return self.rng.choices(names, weights)[0]

    def name(self) -> tuple[str, str, str]:
        s = self.surname()
        return s + self.rng.choice(self.given), s, ""

    def hidden_name(self) -> str:
        """A name the writer half-hid: 김OO, 이*영, 박민*, 최ㅇㅇ."""
        r = self.rng
        full, s, _ = self.name()
        given = full[len(s) :]
        mask = r.choice(["*", "O", "ㅇ", "○"])
        return r.choice(
            [
                s + mask * len(given),
                s + given[0] + mask * (len(given) - 1 or 1),
                s + mask + given[-1] if len(given) == 2 else s + mask * 2,
                s + "OO",
            ]
        )

    def spaced_name(self) -> str:
        """A two-syllable surname written apart from the given name: 제갈 윤, 남궁 민수."""
        return (
            self.rng.choice(["남궁", "황보", "제갈", "독고", "사공"])
            + " "
            + self.rng.choice(self.given)
        )

    def roman(self, full: str, surname: str) -> str:
        given = full[len(surname) :]
        sur = _SURNAME_ROMAN.get(surname) or romanise(surname).upper()
        g = romanise(given)
        return self.rng.choice(
            [
                f"{sur} {g.upper()}",
                f"{sur.title()} {g.title()}",
                f"{sur} {'-'.join(romanise(c) for c in given).upper()}",
            ]
        )

    # addresses
    def zip(self) -> str:
        return f"{self.rng.randint(1, 63):02d}{self.rng.randint(0, 999):03d}"

    def unit(self) -> str:
        r = self.rng
        dong, ho, floor = (
            r.randint(101, 125),
            f"{r.randint(1, 25)}{r.randint(1, 4):02d}",
            r.randint(1, 20),
        )
        return r.choice(
            [
                f", {dong}동 {ho}호",
                f" {dong}동 {ho}호",
                f", {ho}호",
                f" {floor}층",
                f", {floor}층",
                f" {ho}호",
                ", 지하 1층",
                f" {floor}층 {ho}호",
                "",
            ]
        )

    def apartment(self) -> str:
        r = self.rng
        kind = r.choice(APARTMENT_KINDS).format(n=r.randint(1, 9))
        return r.choice(self.apartments) + kind if kind else r.choice(self.apartments) + "아파트"

    def address(self) -> tuple[str, list[tuple[str, str]]]:
        """A full address; the label runs from the road or lot to the unit, and the 시·도 and
        시·군·구 before it are look-alikes (kept on purpose)."""
        r = self.rng
        sido, sigungu, roads, lots = r.choice(self.places)
        sido_form = r.choice(sido)
        region = f"{sido_form} {sigungu}".strip() if r.random() < 0.8 else sigungu or sido_form
        if r.random() < 0.6:
            road = r.choice(roads)
            if r.random() < 0.3 and not road.endswith("길"):
                road += r.choice(
                    [f"{r.randint(1, 90)}길", f"{r.randint(1, 120)}번길", f" {r.randint(1, 40)}길"]
                )
            number = str(r.randint(1, 480)) + (f"-{r.randint(1, 30)}" if r.random() < 0.2 else "")
            if r.random() < 0.05:
                number = "지하 " + number
            core = f"{road} {number}"
        else:
            lot = r.choice(lots)
            number = r.choice(["", "산 "]) if r.random() < 0.1 else ""
            number += f"{r.randint(1, 1800)}" + (f"-{r.randint(1, 40)}" if r.random() < 0.5 else "")
            core = f"{lot} {number}" + r.choice(["", "", "번지"])
        tail = r.choice(
            [
                self.unit(),
                self.unit(),
                f" {self.apartment()}{self.unit()}",
                f" ({lots[0].split()[-1]}, {self.apartment()})",
                f" {r.choice(self.buildings)} {r.randint(2, 30)}층",
                "",
            ]
        )
        tail = tail.rstrip()
        zip_form = r.random()
        labels = []
        if zip_form < 0.12:
            z = self.zip()
            text = f"({z}) {region} {core}{tail}"
            labels.append((z, "ADDRESS"))
        elif zip_form < 0.2:
            z = self.zip()
            text = f"{region} {core}{tail} ({z})"
        elif zip_form < 0.25:
            z = self.zip()
            text = f"우편번호 {z} {region} {core}{tail}"
            labels.append((z, "ADDRESS"))
        else:
            text = f"{region} {core}{tail}".strip()
        masked = text[text.index(core) :]
        if zip_form < 0.12 or 0.2 <= zip_form < 0.25:
            pass
        labels.append((masked, "ADDRESS"))
        if region.strip():
            labels.append((region.strip(), "REGION"))
        return text, labels


# --- look-alikes -------------------------------------------------------------------------------


def lookalike(p: Parts) -> tuple[str, str]:
    """One non-personal number or word with its kind."""
    r = p.rng
    kind = r.choice(
        [
            "AMOUNT",
            "DATE",
            "TIME",
            "RATE",
            "ORDER",
            "APPROVAL",
            "HOTLINE",
            "VERSION",
            "BARCODE",
            "WAYBILL",
            "BUSINESS",
            "COUNT",
            "COUPON",
            "MODEL",
            "AMOUNT",
            "DATE",
        ]
    )
    if kind == "AMOUNT":
        v = r.choice(
            [
                f"{r.randint(1, 999):,}{r.choice(['000', '500', '900'])}원",
                f"{r.randint(1, 99)}만 원",
                f"{r.randint(1, 99)}만원",
                f"{r.randint(100, 9999):,}원",
                f"{r.randint(1, 30)},{r.randint(0, 999):03d},000원",
                f"{r.randint(1, 9)}억 {r.randint(1, 9)}천만 원",
                f"${r.randint(1, 999)}.{r.randint(0, 99):02d}",
            ]
        )
    elif kind == "DATE":
        y, m, d = r.randint(2019, 2026), r.randint(1, 12), r.randint(1, 28)
        v = r.choice(
            [
                f"{y}.{m:02d}.{d:02d}",
                f"{y}-{m:02d}-{d:02d}",
                f"{m}월 {d}일",
                f"{y}년 {m}월 {d}일",
                f"{y}/{m}/{d}",
                f"{str(y)[2:]}.{m}.{d}",
            ]
        )
    elif kind == "TIME":
        v = r.choice(
            [
                f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}",
                f"오후 {r.randint(1, 11)}시 {r.randint(1, 59)}분",
                f"오전 {r.randint(1, 11)}시",
                f"{r.randint(0, 23)}시 {r.randint(0, 59)}분",
                f"{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}",
            ]
        )
    elif kind == "RATE":
        v = r.choice(
            [
                f"{r.randint(1, 19)}.{r.randint(0, 9)}%",
                f"연 {r.randint(1, 19)}.{r.randint(0, 99):02d}%",
                f"{r.randint(1, 99)}퍼센트",
            ]
        )
    elif kind == "ORDER":
        v = r.choice(
            [
                f"주문번호 {r.randint(2019, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
                f"{p.digits(6)}",
                f"주문번호 {p.digits(12)}",
                f"거래번호 {p.digits(4)}-{p.digits(4)}-{p.digits(4)}",
                f"예약번호 {p.digits(10)}",
                f"접수번호 {p.digits(3)}-{p.digits(2)}-{p.digits(6)}",
                f"주문번호 {p.digits(3)}-{p.digits(3)}-{p.digits(6)}",
                f"계약번호 {p.digits(6)}-{p.digits(2)}-{p.digits(6)}",
            ]
        )
    elif kind == "APPROVAL":
        v = r.choice(
            [
                f"승인번호 {p.digits(8)}",
                f"승인번호 {p.digits(8)}",
                f"인증번호 {p.digits(6)}",
                f"승인 번호 {p.digits(4)}-{p.digits(4)}",
            ]
        )
    elif kind == "HOTLINE":
        v = r.choice(
            [
                f"{r.choice('1588 1544 1577 1599 1661 1670 1800 1899 1644'.split())}-{p.digits(4)}",
                f"080-{p.digits(3)}-{p.digits(4)}",
                f"고객센터 {r.choice(['1588', '1566'])} {p.digits(4)}",
                f"대표번호 {r.choice(['1577', '1600'])}-{p.digits(4)}",
            ]
        )
    elif kind == "VERSION":
        v = r.choice(
            [
                f"버전 {r.randint(1, 12)}.{r.randint(0, 30)}.{r.randint(0, 9)}",
                f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 99)}",
                f"iOS {r.randint(14, 18)}.{r.randint(0, 6)}",
                f"안드로이드 {r.randint(9, 15)}",
            ]
        )
    elif kind == "BARCODE":
        v = r.choice(
            [
                f"바코드 {p.ean13()}",
                p.ean13(),
                f"ISBN 978-89-{p.digits(4)}-{p.digits(3)}-{p.digits(1)}",
            ]
        )
    elif kind == "WAYBILL":
        v = r.choice(
            [
                f"운송장번호 {p.digits(12)}",
                f"송장번호 {p.digits(4)}-{p.digits(4)}-{p.digits(4)}",
                f"등기번호 {p.digits(13)}",
                f"운송장 {p.digits(4)} {p.digits(4)} {p.digits(4)}",
            ]
        )
    elif kind == "BUSINESS":
        v = r.choice(
            [
                f"사업자등록번호 {p.digits(3)}-{p.digits(2)}-{p.digits(5)}",
                f"{p.digits(3)}-{p.digits(2)}-{p.digits(5)}",
                f"가맹점번호 {p.digits(9)}",
            ]
        )
    elif kind == "COUNT":
        v = r.choice(
            [
                f"{r.randint(2, 9)}번",
                f"{r.randint(2, 30)}회",
                f"{r.randint(2, 40)}분",
                f"{r.randint(2, 9)}호선",
                f"{r.randint(1, 12)}번 출구",
                f"{r.randint(2, 20)}층",
                f"{r.randint(2, 9)}개월",
                f"{r.randint(1, 99)}명",
            ]
        )
    elif kind == "COUPON":
        v = r.choice(
            [
                f"쿠폰번호 {p.digits(4)}-{p.digits(4)}-{p.digits(4)}-{p.digits(4)}",
                f"상품권 핀번호 {p.digits(4)}-{p.digits(4)}-{p.digits(4)}-{p.digits(4)}",
                f"기프티콘 {p.digits(12)}",
            ]
        )
    else:
        v = r.choice(
            [
                f"SM-S{r.randint(900, 999)}N",
                f"모델명 {r.choice('ABCDEFGH')}{p.digits(4)}-{p.digits(3)}",
                f"A{p.digits(2)}",
            ]
        )
    return v, kind


WORD_LOOKALIKES = {
    # Banks, cards and products with surname-like first syllables, in name-like positions.
    "BANK": [
        "신한",
        "국민",
        "하나",
        "우리",
        "농협",
        "기업",
        "신협",
        "수협",
        "전북",
        "광주",
        "제주",
        "부산",
        "경남",
        "대구",
        "한국씨티",
        "케이뱅크",
    ],
    "PLACE": [
        "김포",
        "한강",
        "강남",
        "이태원",
        "서초",
        "송파",
        "홍대",
        "신촌",
        "명동",
        "정자",
        "수원",
        "안양",
        "양평",
        "진주",
        "이천",
        "조치원",
        "안산",
        "공덕",
        "서면",
        "구미",
    ],
    "COMPANY": [
        "한화",
        "신세계",
        "현대",
        "삼성",
        "조선",
        "이마트",
        "한전",
        "정관장",
        "오뚜기",
        "배민",
        "쿠팡",
        "남양",
        "이디야",
        "교보문고",
        "유한킴벌리",
        "신라면세점",
        "하림",
        "동원",
        "오리온",
        "진로",
    ],
    "WORD": [
        "정말",
        "이상한",
        "조금",
        "한참",
        "진짜",
        "방금",
        "이번",
        "정상",
        "최근",
        "전체",
        "고객",
        "안내",
        "장애",
    ],
}

# --- frames ----------------------------------------------------------------------------------
# {X} fills slot X; {X|로} attaches the particle (으)로 (also 이/가 as |이, 은/는 |은, 을/를 |을,
# 이에요/예요 |이에요, 과/와 |과). Slots: ADDR, NAME, NAME2 (name with romanised spelling),
# PHONE, LAND, SPOKEN, ACCT, BANKACCT, RRN, ARN, CARD, EMAIL, PASS, LIC, PLATE, L1, L2
# (look-alikes), BANK, PLACE, COMPANY (word look-alikes), FAMILY.

FRAMES = {
    "address": [
        "카드 수령지를 {ADDR|로} 적었는데 배송 추적이 멈췄어요.",
        "{ADDR}, 여기로 보내 달라고 세 번이나 말씀드렸어요.",
        "제가 사는 곳은 {ADDR|인데요} 그쪽 지점이 제일 가까워요.",
        "등기우편 받는 주소 {ADDR} 맞는지 확인 부탁드립니다.",
        "{ADDR} 거주 중인데 전입 확인이 안 된다고 해요.",
        "우편물 주소지 변경: {ADDR} ({L1} 요청)",
        "사업장 소재지가 {ADDR|로} 되어 있는데 예전 주소예요.",
        "보증금 반환 소송 중인 집이 {ADDR|이에요}.",
        "체크카드를 {ADDR} 관리실에 맡겨 두셨대요.",
        "배송 주소를 {ADDR|로} 했는데 배송 기사님이 못 찾으셨어요.",
        "{ADDR|로} 카드가 배송된다고 했는데 한 달째 안 와요.",
        "주소를 {ADDR|로} 바꿨는데 안내문이 옛날 집으로 가요.",
        "새 카드 받을 주소는 {ADDR}인데 자꾸 반송돼요.",
        "배송지: {ADDR} / {L1} 결제했는데 배송 조회가 안 돼요.",
        "{L1}에 이사 가서 {ADDR|로} 주소 변경했는데 반영이 안 됐어요.",
        "택배 기사님이 {ADDR} 말고 옆 건물에 두고 가셨어요.",
        "저희 집 {ADDR}에 등기가 왔는데 제 이름이 아니었어요.",
        "{ADDR} 앞에서 {L1}에 교통사고가 났는데 보험 처리가 늦어요.",
        "지점 주소가 {ADDR|로} 나와서 갔는데 폐점했더라고요.",
        "대출 서류에 실거주지 {ADDR|을} 적었는데 다른 주소로 우편물이 가요.",
        "명세서가 {ADDR|로} 와야 하는데 {L1} 이후로 안 와요.",
        "분실한 카드를 {ADDR} 근처에서 누가 썼대요.",
        "이사한 곳은 {ADDR}이고 전입신고도 {L1}에 마쳤어요.",
        "{ADDR|로} 보낸 서류가 {L1} 지나도록 도착을 안 했대요.",
        "가게 주소 {ADDR|을} 가맹점 정보에 넣었는데 틀리게 등록됐어요.",
        "전세 계약한 집이 {ADDR}인데 보증보험 가입이 거절됐어요.",
        "상품권이 {ADDR|로} 간다더니 {L1} 지나도 소식이 없네요.",
        "본가 주소 {ADDR|로} 보내 달라고 했는데 자취방으로 갔어요.",
        "보험금 청구서에 주소를 {ADDR|이라고} 썼는데 확인 전화가 왔어요.",
        "회사 주소가 {ADDR}라서 거기로 받겠다고 했는데 집으로 왔어요.",
    ],
    "name": [
        "담당자 성함이 {NAME|이었는데} 퇴사했다고 하더라고요.",
        "저는 {NAME|이라고} 합니다. 카드 분실 건으로 글 남겨요.",
        "{NAME} 고객 앞으로 청구서가 왔는데 모르는 사람이에요.",
        "누나 {NAME|이} 대신 전화했는데 본인이 아니라고 끊었대요.",
        "가입자 이름: {NAME}, 가입일 {L1}",
        "이 통장 주인은 {NAME} 님인데 연락이 안 돼요.",
        "{NAME}(본인) 명의로 대출이 실행됐는데 저는 신청한 적 없어요.",
        "수령인 {NAME} 으로 택배를 보냈는데 다른 분이 받았대요.",
        "배우자 {NAME|의} 카드를 제가 쓰려면 어떻게 하나요?",
        "계약자 {NAME|과} 피보험자가 같아야 한대요.",
        "예금주가 {NAME|로} 떠서 송금했는데 사기였어요.",
        "상담원 {NAME} 님이 다시 연락 준다고 하고 안 주셨어요.",
        "{NAME} 고객님이라고 부르시는데 저는 그 사람이 아니에요.",
        "임대인 이름 {NAME|로} 되어 있는데 보증금 반환이 안 돼요.",
        "아버지({NAME}) 명의 카드로 결제했는데 취소가 안 된대요.",
        "제 이름 {NAME}, 생년월일은 말씀드렸는데 또 물어보셨어요.",
        "받는 사람 {NAME|으로} 보냈는데 수취인 불명으로 돌아왔어요.",
        "{NAME} 씨 명의로 된 통장이라 본인이 와야 한대요.",
        "어머니 {NAME} 님 앞으로 온 고지서를 제가 대신 냈어요.",
        "담당 설계사가 {NAME} 팀장님이었는데 연락이 끊겼어요.",
        "성함이 {NAME|이라고} 하셨는데 그런 직원은 없대요.",
        "남편({NAME})이 대신 신청했는데 본인 확인이 안 된대요.",
        "{NAME}님께 꼭 전달 부탁드려요. 벌써 {L1} 기다렸어요.",
        "보내는 분 {NAME|으로} 입금했는데 확인이 안 된대요.",
        "계좌 명의자 {NAME|과} 제 이름이 달라서 막혔대요.",
        "지점 {NAME} 과장님이 처리해 주신다고 하셨어요.",
        "딸 {NAME|이} 제 카드로 {L1} 결제했는데 취소하고 싶어요.",
        "수취인 {NAME}으로 된 택배가 저희 집으로 왔어요.",
        "신청인: {NAME} / 연락처는 비워 뒀어요.",
        "친구 {NAME}한테 보낸 돈이 엉뚱한 데로 갔어요.",
    ],
    "roman": [
        "여권 영문 이름이 {NAME2|로} 되어 있어서 카드 이름과 달라요.",
        "제 이름은 {NAME2}인데 해외결제 명의가 다르다고 거절됐어요.",
        "항공권에 {NAME2|로} 적었는데 여권이랑 철자가 달라요.",
        "카드 뒷면 서명은 {NAME2|이고} 영문 이름 변경이 안 돼요.",
        "예금주 {NAME2|로} 해외송금을 보냈는데 반송됐어요.",
        "이름 {NAME2} 기준으로 환전 신청했는데 조회가 안 돼요.",
    ],
    "phone": [
        "연락처: {PHONE} (문자만 가능)",
        "제 핸드폰은 {PHONE|이고} 집 번호는 없어요.",
        "{PHONE|으로} 전화가 와서 대출 상담을 받았어요.",
        "콜백 번호를 {PHONE|로} 남겼는데 연락이 없어요.",
        "{LAND} 이 번호로 전화하면 아무도 안 받아요.",
        "번호 {SPOKEN} 으로 다시 연락 부탁드려요.",
        "제 번호 {PHONE|로} 연락 주세요.",
        "{PHONE|로} 인증번호가 안 와요. {L1}부터 계속이에요.",
        "연락처를 {PHONE|로} 바꿨는데 알림은 예전 번호로 가요.",
        "휴대폰 {PHONE} 분실 신고했는데 요금이 또 나왔어요.",
        "상담원이 {PHONE|로} 다시 전화 준다더니 소식이 없어요.",
        "문자 받을 번호는 {PHONE|이에요}. {L1} 이후로 못 받았어요.",
        "핸드폰 {PHONE|이} 제 명의로 개통돼 있대요.",
        "배송 기사님 번호가 {PHONE|이라고} 떴는데 안 받으세요.",
        "가족 번호 {PHONE|을} 등록했는데 {L1} 지나도 안 바뀌어요.",
        "{PHONE|로} 보이스피싱 문자가 왔는데 신고가 안 돼요.",
        "회사 전화 {LAND|로} 본인확인 전화가 왔어요.",
        "집 전화 {LAND|은} 이제 안 쓰는 번호예요.",
        "{SPOKEN} 로 연락 달라고 했는데 다른 번호로 왔어요.",
        "번호는 {SPOKEN}이에요. 꼭 문자로 주세요.",
        "연락처 불러드린 게 {SPOKEN}인데 잘못 적으셨대요.",
        "지점 번호 {LAND|로} 열 번 걸었는데 안 받아요.",
    ],
    "account": [
        "돈 받을 계좌: {BANKACCT}",
        "{ACCT} 이 계좌로 돈이 잘못 들어왔어요.",
        "{BANKACCT|으로} 입금했다는데 통장에 없어요.",
        "환불 받을 곳은 {BANKACCT} 예금주 본인입니다.",
        "{L1} {ACCT|에서} 모르는 돈이 빠져나갔어요.",
        "이체할 때 {ACCT|를} 잘못 눌러서 다른 사람한테 갔어요.",
        "{BANKACCT|로} 월세를 보냈는데 반송됐어요.",
        "{L1} {L2}에 {ACCT|로} 이체했는데 입금이 안 됐대요.",
        "환불은 {BANKACCT|로} 받기로 했는데 아직이에요.",
        "계좌번호 {ACCT} 맞는지 확인해 주세요. {L1} 보냈어요.",
        "{BANKACCT} 통장이 갑자기 지급정지 됐어요.",
        "자동이체 출금 계좌를 {BANKACCT|로} 바꿨는데 옛 계좌에서 빠져요.",
        "{L1}에 {ACCT|로} 보냈는데 받는 분이 못 받았대요.",
        "입금 계좌 {BANKACCT}에 {L1} 넣었는데 잔액이 그대로예요.",
        "보증금 돌려받을 계좌는 {BANKACCT|이에요}.",
        "{ACCT|으로} 송금한 게 {L1} 지나도 처리 중이래요.",
        "급여 통장 {BANKACCT|이} 압류됐다는 문자를 받았어요.",
        "{L1} {ACCT|로} 두 번 이체됐어요. 한 번은 돌려주세요.",
        "증권 계좌 {BANKACCT|로} 옮겼는데 예수금이 안 보여요.",
        "잘못 보낸 계좌가 {ACCT|이에요}. 반환 청구해 주세요.",
        "{BANKACCT} 계좌 해지하려는데 {L1} 기다리래요.",
        "카드 대금이 {ACCT|에서} 빠져야 하는데 연체됐대요.",
    ],
    "number": [
        "주민등록번호: {RRN} / 본인 확인 부탁드려요.",
        "외국인 등록번호 {ARN} 입력하면 자꾸 오류예요.",
        "신용카드 {CARD} 결제 내역이 두 번 찍혔어요.",
        "이메일({EMAIL})로 안내 메일이 안 와요.",
        "여권 번호: {PASS} 로 인증했는데 실패래요.",
        "차 번호 {PLATE} 주차 정산이 안 됐어요.",
        "주민번호 {RRN|을} 입력했는데 본인인증이 실패해요.",
        "실수로 메모란에 주민등록번호 {RRN|을} 적어 버렸어요.",
        "외국인등록번호 {ARN|로} 가입하려는데 오류가 나요.",
        "{RRN} 이 번호로 조회해 달라고 했는데 못 찾으셨어요.",
        "카드번호 {CARD|로} {L1} 결제가 두 번 됐어요.",
        "체크카드 {CARD|이} 해외에서 막혔어요. {L1}에 썼어요.",
        "{CARD} 카드 분실 신고했는데 {L1} 결제가 됐어요.",
        "답장은 {EMAIL|로} 부탁드려요.",
        "메일 {EMAIL|로} 보낸 서류가 안 열린대요.",
        "이메일 주소 {EMAIL|을} 바꿨는데 명세서는 예전 주소로 가요.",
        "여권번호 {PASS|로} 본인인증을 하라는데 계속 틀렸대요.",
        "여권 {PASS} 기준으로 환전 예약했는데 조회가 안 돼요.",
        "운전면허번호 {LIC|을} 넣었는데 진위 확인이 안 된대요.",
        "면허증 번호 {LIC|로} 인증했는데 {L1} 지나 실패래요.",
        "제 차 {PLATE} 주차 등록이 안 돼서 {L1} 냈어요.",
        "차량번호 {PLATE|로} 보험 조회가 안 돼요.",
    ],
    "mixed": [
        "제 이름은 {NAME|이고} 연락처는 {PHONE|이에요}.",
        "{NAME} / {PHONE} / {ADDR} 로 재발급 신청했어요.",
        "예금주 {NAME}, {BANKACCT|로} 보내 주세요.",
        "이름 {NAME}, 주민번호 {RRN}, 주소 {ADDR|이에요}.",
        "받는 분 {NAME}, 주소 {ADDR}, 번호 {PHONE|으로} 보내 주세요.",
        "{ADDR} 사는 {NAME|이라고} 하면 아실 거예요.",
    ],
    # Names with no word near them that says "a person", as people write them in a hurry.
    "bare": [
        "{NAME|이} 제 명의로 휴대폰을 개통했어요.",
        "어제 {NAME}한테 50만 원을 보냈는데 연락이 끊겼어요.",
        "{NAME|으로} 떠야 하는데 다른 이름으로 나와요.",
        "통장에 {NAME|이라고} 찍혀 있는데 모르는 사람이에요.",
        "{NAME|의} 카드로 결제된 돈이 제 통장에서 빠졌어요.",
        "{NAME|이} 보낸 돈이 {L1} 지나도 안 들어왔어요.",
        "문자에 {NAME|이라고} 나오는데 누군지 모르겠어요.",
        "{NAME|이} 제 카드를 몰래 썼어요.",
        "{NAME}에게 보내려다 다른 계좌로 갔어요.",
        "혹시 {NAME} 아세요? 저한테 돈을 빌려 갔어요.",
        "{NAME|이} 대출 보증을 서 달라고 해서 거절했어요.",
        "{NAME} 아니고 {NAME|이에요}. 이름을 잘못 적으셨어요.",
        "{NAME|과} 같이 쓰는 통장인데 한도가 줄었어요.",
        "보이스피싱범이 {NAME|이라고} 하면서 전화를 했어요.",
        "{NAME|을} 사칭한 문자가 {L1}에 왔어요.",
        "{NAME}한테 물어보니 자기는 모른대요.",
    ],
    "hidden": [
        "입금자명이 {HIDDEN|으로} 떠서 누군지 모르겠어요.",
        "{HIDDEN} 님께 송금 완료 알림이 왔는데 보낸 적이 없어요.",
        "받는 분 표시가 {HIDDEN|으로} 가려져 있어요.",
        "{HIDDEN} 고객님 대출 승인 문자가 왔어요.",
        "보낸 사람이 {HIDDEN|이라고} 나와요. {L1}에 받았어요.",
        "{HIDDEN} 상담원이 다시 전화 준다고 했어요.",
        "카드 명의가 {SPACED|으로} 띄어져 있어서 불일치래요.",
        "은행에는 {SPACED|으로} 등록돼 있어서 이름이 달라요.",
    ],
    "foreign": [
        "외국인 남편 {FOREIGN} 명의로 계좌를 만들 수 있나요?",
        "아내 {FOREIGN|이} 외국인등록증으로 카드를 신청했어요.",
        "직원 {FOREIGN|의} 월급 통장이 막혔어요.",
        "며느리 {FOREIGN|이} 송금하려는데 한도가 낮대요.",
        "세입자 {FOREIGN|이} 월세를 두 달째 안 보냈어요.",
        "친구 {FOREIGN|한테} 보낸 돈이 반송됐어요.",
    ],
    "lookalike": [
        "{L1} 기준으로 {L2} 빠져나갔어요.",
        "{BANK} 은행 {L1} 쯤 갔는데 문이 닫혀 있었어요.",
        "{PLACE} 쪽 지점에서 {L1} 상담받았어요.",
        "{COMPANY} 상담원이 {L1} 다시 전화 준대요.",
        "{L1}에 신청했는데 {L2} 넘게 걸렸어요.",
        "{BANK} 직원분이 {L1} 걸린다고 했어요.",
        "{L1} {L2}에 이체했는데 3시간째 안 들어와요.",
        "{L1}인데 {L2} 이후로 처리가 안 됐어요.",
        "{BANK} 고객센터에 {L1} 전화했는데 연결이 안 돼요.",
        "{BANK} 지점에서 {L1} 기다렸어요.",
        "{PLACE} 지점 직원분이 친절하셨어요. {L1} 걸렸어요.",
        "{COMPANY} 상품권을 {L1}에 샀는데 등록이 안 돼요.",
        "{PLACE}에서 {L1}에 결제했는데 {L2} 나갔어요.",
        "{BANK} 앱 {L1}에서 로그인이 안 돼요.",
        "{L1} 문의했는데 {L2} 기다리래요.",
        "{PLACE} 가는 길에 {L1} 정도 걸렸어요.",
        "{COMPANY} 고객님이라고 부르는데 {L1} 기다렸어요.",
        "{BANK}카드 {L1} 결제 취소가 {L2} 걸렸어요.",
    ],
}
KINDS = {
    "address": 0.2,
    "name": 0.2,
    "roman": 0.04,
    "phone": 0.12,
    "account": 0.14,
    "number": 0.12,
    "mixed": 0.06,
    "lookalike": 0.12,
    "bare": 0.08,
    "hidden": 0.03,
    "foreign": 0.03,
}


def _fill(p: Parts, frame: str) -> str:
    labels: list[tuple[str, str]] = []
    out, at = [], 0
    for m in re.finditer(r"\{([A-Z0-9]+)(?:\|([^}]+))?\}", frame):
        out.append(frame[at : m.start()])
        at = m.end()
        slot, particle = m.group(1), m.group(2)
        value, extra = _slot(p, slot)
        labels.extend(extra)
        text = (
            josa(value, particle)
            if particle and particle in ("로", "이", "은", "을", "과", "이에요", "이라고")
            else value + (particle or "")
        )
        if particle == "이고":
            text = value + ("이고" if _final(value)[0] else "고")
        if particle == "으로":
            text = josa(value, "로")
        if particle in ("이었는데", "인데요", "이에요"):
            has = _final(value)[0]
            text = (
                value
                + {
                    "이었는데": ("이었는데", "였는데"),
                    "인데요": ("인데요", "인데요"),
                    "이에요": ("이에요", "예요"),
                }[particle][0 if has else 1]
            )
        if particle in ("의", "를", "에서"):
            text = value + (particle if particle != "를" else ("을" if _final(value)[0] else "를"))
        out.append(text)
    out.append(frame[at:])
    sentence = "".join(out)
    spans = "; ".join(f"{s}={t}" for s, t in labels if t in TYPES)
    alike = "; ".join(f"{s}={t}" for s, t in labels if t not in TYPES)
    return f"{sentence} || {spans} || {alike}"


TYPES = {
    "RRN",
    "ARN",
    "PHONE",
    "CARD",
    "ACCOUNT",
    "EMAIL",
    "PASSPORT",
    "DRIVER_LICENSE",
    "PLATE",
    "ADDRESS",
    "NAME",
}


# Slots whose value is one labelled span: (how to make it, its type).
_SIMPLE = {
    "PHONE": (Parts.mobile, "PHONE"),
    "LAND": (Parts.landline, "PHONE"),
    "SPOKEN": (Parts.spoken_mobile, "PHONE"),
    "RRN": (Parts.rrn, "RRN"),
    "ARN": (lambda p: p.rrn(foreign=True), "ARN"),
    "CARD": (Parts.card, "CARD"),
    "EMAIL": (Parts.email, "EMAIL"),
    "PASS": (Parts.passport, "PASSPORT"),
    "LIC": (Parts.license, "DRIVER_LICENSE"),
    "PLATE": (Parts.plate, "PLATE"),
}


def _slot(p: Parts, slot: str) -> tuple[str, list[tuple[str, str]]]:
    r = p.rng
    if slot == "ADDR":
        return p.address()
    if slot in ("NAME", "NAME2"):
        full, surname, _ = p.name()
        if slot == "NAME2":
            roman = p.roman(full, surname)
            form = r.choice(
                [
                    f"{full}({roman})",
                    f"{full} ({roman})",
                    f"{full} / {roman}",
                    f"{full}, 영문 {roman}",
                ]
            )
            return form, [(full, "NAME"), (roman, "NAME")]
        return full, [(full, "NAME")]
    if slot in ("ACCT", "BANKACCT"):
        bank = r.choice(p.banks)
        v = p.account(bank)
        if slot == "ACCT" and r.random() < 0.25:
            v = v.replace("-", "") if r.random() < 0.5 else v.replace("-", " ")
            if "계좌" not in v:
                return f"{bank[0]} {v}", [(v, "ACCOUNT"), (bank[0], "BANK")] if len(
                    bank[0]
                ) <= 3 else [(v, "ACCOUNT")]
        if slot == "BANKACCT":
            form = r.choice(
                [
                    f"{bank[0]} {v}",
                    f"{bank[0]} {v}",
                    f"{v} ({bank[0]})",
                    f"{bank[0]}은행 {v}"
                    if not bank[0].endswith(("은행", "증권", "뱅크", "금고", "국", "협", "IBK"))
                    else f"{bank[0]} 계좌 {v}",
                ]
            )
            return form, [(v, "ACCOUNT")]
        return v, [(v, "ACCOUNT")]
    if slot == "HIDDEN":
        v = p.hidden_name()
        return v, [(v, "NAME")]
    if slot == "SPACED":
        v = p.spaced_name()
        return v, [(v, "NAME")]
    if slot == "FOREIGN":
        hangul, latin = r.choice(p.foreign)
        if r.random() < 0.5:
            return f"{hangul}({latin})", [(hangul, "NAME"), (latin, "NAME")]
        return hangul, [(hangul, "NAME")]
    if slot in _SIMPLE:
        make, kind = _SIMPLE[slot]
        v = make(p)
        return v, [(v, kind)]
    if slot in ("L1", "L2"):
        v, kind = lookalike(p)
        return v, [(v, kind)]
    if slot in ("BANK", "PLACE", "COMPANY"):
        v = r.choice(p.words[slot])
        return v, [(v, slot)]
    raise KeyError(slot)


def generate(part: str, size: int | None = None) -> list[str]:
    """The sentences of one part, deterministic for a given part name."""
    half = 0 if part == "gen-dev" else 1
    rng = random.Random(f"{SEED}:{part}")
    parts = Parts(rng, half)
    frames = {k: v[half::2] for k, v in FRAMES.items()}
    kinds, weights = zip(*KINDS.items(), strict=False)
    lines, seen = [], set()
    target = size or SIZES[part]
    while len(lines) < target:
        kind = rng.choices(kinds, weights)[0]
        line = _fill(parts, rng.choice(frames[kind]))
        if line in seen or not _consistent(line):
            continue
        seen.add(line)
        lines.append(line)
    return lines


# --- hard cases (dev part only) ----------------------------------------------------------------
# Kinds an independent writer used that the frames above never make: names in all-English
# text and Latin names of three parts or with a hyphen, foreign names in Hangul the lexicon does
# not list, a name right before a title, names half-hidden by the writer, addresses with ○○ or
# written in English, phones split by words or with a letter typed for a digit, resident numbers
# digit by digit or in halves, spaced passports and 증권사 accounts. Written afresh for this
# generator (not copied from any set), drawn with their own random stream and appended to the
# dev part only, so the untouched part stays what it was.
HARD_SIZE = 320
LATIN_GIVEN = (
    "Carlos Ana Mohammed Fatima Olga Dmitri Priya Arjun Siti Budi Kenji Yuki Thomas Emma Lucas "
    "Sofia Ahmed Nadia Tuan Linh Oyun Ivan Elena Rahul Aisha Marco Chiara Pedro Lucia Omar "
    "Leila Hannah Jonas Mei Hiroshi Camille Diego Yasmin Ravi Anjali Tomas Bilal"
).split()
LATIN_SURNAME = (
    "Mendez Silva Khan Rahman Petrova Volkov Sharma Singh Wijaya Tanaka Suzuki Becker Dubois "
    "Rossi Hassan Erdene Kowalski Novak Fernandez Okafor Mensah Haddad Yilmaz Costa Moreau "
    "Schmidt Ortiz Gupta Sato Kaya Bakirov Tursunov Lim Ong"
).split()
LATIN_HYPHEN_GIVEN = (
    "Jean-Paul Anne-Sophie Mary-Jane Jean-Marc Marie-Claire Hyun-woo Ji-yeon".split()
)
VIET_SURNAME = "Nguyen Tran Le Pham Hoang Vu Dang Bui Do".split()
VIET_MIDDLE = ("Van", "Thi", "Duc", "Minh")
VIET_GIVEN = "Anh Binh Cuong Dung Hai Hanh Khoa Lan Long Mai Nam Phuong Quang Thao Trung".split()
# Foreign names in Hangul, with their Latin spelling; none of them in the detector's lexicon.
HANGUL_FOREIGN = [
    ("카를로스 멘데스", "Carlos Mendez"),
    ("파티마 하산", "Fatima Hassan"),
    ("올가 볼코바", "Olga Volkova"),
    ("프리야 샤르마", "Priya Sharma"),
    ("부디 위자야", "Budi Wijaya"),
    ("나디아 카림", "Nadia Karim"),
    ("오윤 에르덴", "Oyun Erdene"),
    ("라훌 굽타", "Rahul Gupta"),
    ("마르코 로시", "Marco Rossi"),
    ("아이샤 칸", "Aisha Khan"),
    ("디에고 오르티스", "Diego Ortiz"),
    ("야스민 하다드", "Yasmin Haddad"),
    ("빌랄 유스포프", "Bilal Yusupov"),
    ("토마스 베커", "Thomas Becker"),
    ("카미유 모로", "Camille Moreau"),
    ("히로시 스즈키", "Hiroshi Suzuki"),
]
COUNTRIES = (
    "필리핀 인도 인도네시아 몽골 파키스탄 멕시코 이탈리아 러시아 방글라데시 터키 독일".split()
)
TITLES_AFTER = "대리님 과장님 차장님 주임님 팀장님 상담사님 매니저님 계장님 부장님".split()
ENGLISH_LOOKALIKES = [
    ("Shinhan Bank", "BANK"),
    ("Woori Bank", "BANK"),
    ("KB Kookmin Card", "COMPANY"),
    ("Samsung Pay", "COMPANY"),
    ("Google Play", "COMPANY"),
    ("Western Union", "COMPANY"),
    ("Incheon Airport", "PLACE"),
    ("Customer Center", "COMPANY"),
]
HARD_FRAMES = [
    ("Hello, my name is {LATIN} and my debit card was blocked after {L1}.", "latin"),
    ("Recipient: {LATIN}. The transfer of {L1} never arrived.", "latin"),
    ("Mr. {LATIN} at the branch told me to wait until {L1}.", "latin"),
    ("Ms. {LATIN} from {ENG} promised a call back but nobody called.", "latin"),
    ("The account holder is {LATIN}, not me, so the refund failed.", "latin"),
    ("I am {LATIN} and I cannot open an account at {ENG} without ARC.", "latin"),
    ("My husband {LATIN} tried to send money via {ENG} and it was rejected.", "latin"),
    ("Please tell Dr. {LATIN} that the claim form was sent on {L1}.", "latin"),
    ("Sender name {LATIN} is printed wrong on the receipt.", "latin"),
    ("해외송금 받는 사람 {LATIN} 앞으로 보냈는데 {L1} 지나도 안 들어갔대요.", "latin"),
    ("예금주가 {LATIN|로} 떠서 확인이 안 된대요.", "latin"),
    ("영문 이름 {LATIN|이} 카드에 잘려서 찍혔어요.", "latin"),
    ("저는 {FH} 입니다. {L1}에 계좌를 만들었는데 카드가 안 나와요.", "fh"),
    ("{COUNTRY} 출신 {FH|이에요}. {L1} 송금 수수료가 너무 비싸요.", "fh"),
    ("제 이름은 {FH|이에요}. 앱에 이름이 다 안 들어가요.", "fh"),
    ("이름: {FH}. 외국인등록증 갱신 중이라 인증이 안 돼요.", "fh"),
    ("{COUNTRY}에서 온 {FH|이에요}. {L1} 이후로 체크카드가 막혔어요.", "fh"),
    ("동료 {FHL} 월급이 {L1}에 안 들어왔어요.", "fh"),
    ("오늘 통화한 {NAME} {TITLE} 덕분에 해결됐어요.", "titled"),
    ("지점 {NAME} {TITLE|이} 서류를 {L1}까지 보내준다고 했어요.", "titled"),
    ("{NAME} {TITLE|께서} 안내한 내용이랑 앱 내용이 달라요.", "titled"),
    ("처음 상담해 준 분이 {NAME} {TITLE|이었는데} 퇴사하셨대요.", "titled"),
    ("문자에 {JAMO} 고객님이라고 와서 누군지 모르겠어요.", "hidden"),
    ("입금자명이 {JAMO|으로} 표시돼요. {L1} 입금분이에요.", "hidden"),
    ("{CIRCLE} {TITLE|이} {L1}에 전화 준다고 했어요.", "hidden"),
    ("주소는 {ADDRC} 이에요. 택배가 자꾸 반송돼요.", "addr"),
    ("{ADDRC|로} 카드 재발급 보내주세요.", "addr"),
    ("My address is {ADDRE}, but the card went to my old place.", "addr"),
    ("Please send the statement to {ADDRE}.", "addr"),
    ("배송지 {ADDRE|로} 적었는데 영문 주소라 그런지 안 와요.", "addr"),
    ("번호 {SAIDPHONE} 이요. {L1} 이후에 연락 주세요.", "phone"),
    ("제 폰은 {SAIDPHONE} 예요. 문자 말고 전화 주세요.", "phone"),
    ("연락처 {TYPOPHONE} 로 적었는데 오타가 났어요.", "phone"),
    ("주민번호 {SPACEDRRN} 이렇게 불러드렸는데 틀렸대요.", "rrn"),
    ("주민등록번호 {HALVESRRN} 인데 조회가 안 된대요.", "rrn"),
    ("여권번호 {SPACEDPASS} 으로 환전 예약했어요. {L1}에 찾으러 가요.", "passport"),
    ("passport {SPACEDPASS} 로 가입했는데 인증이 안 돼요.", "passport"),
    ("{SEC} 계좌 {SECACCT}에서 {L1} 출금이 안 돼요.", "account"),
    ("{SEC} {SECACCT|으로} 예수금 옮겼는데 안 보여요.", "account"),
]


def _latin_name(p: Parts) -> str:
    r = p.rng
    form = r.random()
    if form < 0.2:
        return f"{r.choice(VIET_SURNAME)} {r.choice(VIET_MIDDLE)} {r.choice(VIET_GIVEN)}"
    if form < 0.35:
        return f"{r.choice(LATIN_HYPHEN_GIVEN)} {r.choice(LATIN_SURNAME)}"
    name = f"{r.choice(LATIN_GIVEN)} {r.choice(LATIN_SURNAME)}"
    return name.upper() if form > 0.85 else name


def _english_address(p: Parts) -> str:
    r = p.rng
    sido, sigungu, roads, _ = r.choice(p.places)
    road = r.choice(roads).split()[0]
    stem, kind = (road[:-2], "daero") if road.endswith("대로") else (road[:-1], "ro")
    if not stem or not all("가" <= c <= "힣" for c in stem):
        stem, kind = "Sejong", "daero"
    else:
        stem = romanise(stem).title()
    side = f" {r.randint(2, 60)}-gil" if r.random() < 0.4 else ""
    gu = sigungu.split()[-1] if sigungu else ""
    district = (
        romanise(gu[:-1]).title() + "-" + {"구": "gu", "시": "si", "군": "gun"}[gu[-1]]
        if gu[-1:] in ("구", "시", "군") and len(gu) > 1
        else ""
    )
    city = romanise(sido[-1][:2]).title() if sido[-1] in ("서울", "부산", "인천", "대구") else ""
    unit = r.choice(["", f"Apt {r.randint(101, 2504)}, ", f"#{r.randint(101, 909)}, "])
    tail = ", ".join(x for x in (district, city) if x)
    zip_code = f" {p.zip()}" if r.random() < 0.4 else ""
    return (
        f"{unit}{r.randint(1, 300)}, {stem}-{kind}{side}" + (f", {tail}" if tail else "") + zip_code
    )


def _hard_slot(p: Parts, slot: str, person: tuple[str, str]) -> tuple[str, list]:
    r = p.rng
    if slot == "LATIN":
        v = _latin_name(p)
        return v, [(v, "NAME")]
    if slot in ("FH", "FHL"):
        hangul, latin = person
        if slot == "FHL":
            v = f"{hangul} ({latin})"
            return v, [(hangul, "NAME"), (latin, "NAME")]
        return hangul, [(hangul, "NAME")]
    if slot == "COUNTRY":
        return r.choice(COUNTRIES), []
    if slot == "NAME":
        v = p.name()[0]
        return v, [(v, "NAME")]
    if slot == "TITLE":
        return r.choice(TITLES_AFTER), []
    if slot == "JAMO":
        full, s, _ = p.name()
        while len(full) - len(s) != 2:  # the hidden syllable sits between two shown ones
            full, s, _ = p.name()
        v = s + r.choice("ㄱㄴㄷㅁㅂㅅㅈㅊ") + full[-1]
        return v, [(v, "NAME")]
    if slot == "CIRCLE":
        v = p.surname() + r.choice(["○○", "OO", "**", "ㅇㅇ"])
        return v, [(v, "NAME")]
    if slot == "ADDRC":
        return _hidden_address(p)
    if slot == "ADDRE":
        v = _english_address(p)
        return v, [(v, "ADDRESS")]
    if slot == "ENG":
        v, kind = r.choice(ENGLISH_LOOKALIKES)
        return v, [(v, kind)]
    return _hard_number_slot(p, slot)


def _hidden_address(p: Parts) -> tuple[str, list]:
    """An address whose road or building the writer hid as ○○, or with the unit in brackets."""
    r = p.rng
    sido, sigungu, roads, lots = r.choice(p.places)
    region = f"{sido[-1]} {sigungu}".strip()
    form = r.random()
    if form < 0.35:
        core = f"○○로 {r.randint(1, 200)}, {r.randint(2, 15)}층"
    elif form < 0.7:
        unit = f"{r.randint(1, 5)}0{r.randint(1, 4)}호"
        core = f"{r.choice(lots)} {r.randint(1, 1500)} ○○빌라 {unit}"
    else:
        core = (
            f"{r.choice(roads)} {r.randint(1, 300)} "
            f"({p.apartment()} {r.randint(101, 120)}동 {r.randint(1, 20)}0{r.randint(1, 4)}호)"
        )
    return f"{region} {core}", [(core, "ADDRESS"), (region, "REGION")]


def _hard_number_slot(p: Parts, slot: str) -> tuple[str, list]:
    r = p.rng
    if slot == "SAIDPHONE":
        a, b, c = "010", p.digits(4, str(r.randint(2, 9))), p.digits(4)
        join = r.choice(
            [(" 하고 ", " 하고 "), ("에 ", " 그리고 "), (" 다음에 ", " 다음에 "), ("에 ", "에 ")]
        )
        v = f"{a}{join[0]}{b}{join[1]}{c}"
        return v, [(v, "PHONE")]
    if slot == "TYPOPHONE":
        b, c = p.digits(4, str(r.randint(2, 9))), p.digits(4)
        number = f"010-{b}-{c}"
        at = r.choice([i for i, ch in enumerate(number) if ch in "01" and i > 3] or [4])
        v = number[:at] + {"0": "O", "1": "l"}.get(number[at], number[at]) + number[at + 1 :]
        return v, [(v, "PHONE")]
    if slot in ("SPACEDRRN", "HALVESRRN"):
        rrn = re.sub(r"\D", "", p.rrn())
        if slot == "SPACEDRRN":
            v = " ".join(rrn[:6]) + r.choice([" - ", " "]) + " ".join(rrn[6:])
            return v, [(v, "RRN")]
        front, back = rrn[:6], rrn[6:]
        v = f"앞자리 {front} 뒷자리 {back}"
        return v, [(front, "RRN"), (back, "RRN")]
    if slot == "SPACEDPASS":
        letter = r.choice("MSR")
        d = p.digits(8)
        v = r.choice(
            [f"{letter} {d[:3]} {d[3:]}", f"{letter} {d[:4]} {d[4:]}", f"{letter}{d[:3]} {d[3:]}"]
        )
        return v, [(v, "PASSPORT")]
    if slot == "SEC":
        return r.choice(["키움증권", "한국투자증권", "미래에셋증권", "삼성증권", "NH투자증권"]), []
    if slot == "SECACCT":
        d = p.digits(10, str(r.randint(1, 9)))
        v = r.choice(
            [f"{d[:4]}-{d[4:8]}", f"{d[:8]}-01", f"{d}-01", f"{d[:8]}-{r.randint(10, 29)}"]
        )
        return v, [(v, "ACCOUNT")]
    return _slot(p, slot)


def _hard_fill(p: Parts, frame: str) -> str:
    person = p.rng.choice(HANGUL_FOREIGN)
    labels: list[tuple[str, str]] = []
    out, at = [], 0
    for m in re.finditer(r"\{([A-Z0-9]+)(?:\|([^}]+))?\}", frame):
        out.append(frame[at : m.start()])
        at = m.end()
        value, extra = _hard_slot(p, m.group(1), person)
        labels.extend(extra)
        particle = m.group(2)
        if particle in ("로", "이", "이에요"):
            value = josa(value, particle)
        elif particle in ("으로",):
            value = josa(value, "로")
        elif particle == "이었는데":
            value += "이었는데" if _final(value)[0] else "였는데"
        elif particle:
            value += particle
        out.append(value)
    out.append(frame[at:])
    sentence = "".join(out)
    spans = "; ".join(f"{s}={t}" for s, t in labels if t in TYPES)
    alike = "; ".join(f"{s}={t}" for s, t in labels if t not in TYPES)
    return f"{sentence} || {spans} || {alike}"


def hard_cases(part: str) -> list[str]:
    if part != "gen-dev":
        return []
    rng = random.Random(f"{SEED}:{part}:hard")
    parts = Parts(rng, 0)
    lines, seen = [], set()
    while len(lines) < HARD_SIZE:
        frame, _ = rng.choice(HARD_FRAMES)
        line = _hard_fill(parts, frame)
        if line in seen or not _consistent(line):
            continue
        seen.add(line)
        lines.append(line)
    return lines


# --- hard cases of a fourth writer's kinds (dev part only) -------------------------------------
# Kinds writer 4 used that nothing above makes: Korean names spelled syllable by syllable or with
# the surname apart ("이 준 호", "'김 솔'"), a name after 보낸 사람 in a list, Latin names with
# accents, an apostrophe or a hyphenated surname, romanised Korean names after an English role,
# a first name alone in quotes, English-order addresses of other shapes and streets abroad,
# a building's name in brackets after the floor, 뒷집, two addresses marked 舊/新, cards in four
# groups that fail Luhn, IBANs, an apostrophe in an email, a foreign resident number cut after
# its seventh digit and a 뒷자리 alone; and their look-alikes (a 우편번호 before an address, a
# card's first six digits, a 동/호 alone, a form's example name, an account's nickname in quotes,
# words such as 인증용). Written afresh for this generator, drawn with their own random stream
# and appended to the dev part only, so the untouched part stays what it was.
ROUND4_SIZE = 240
ACCENTED_LATIN = [
    "Zoé Martin",
    "José Hernández",
    "Renée Lefèvre",
    "Inés Álvarez Ruiz",
    "Björn Müller",
    "Søren Dahl",
    "Ana Sofía Peña",
    "Hélène Girard",
    "Joaquín Muñoz",
    "François Bénard",
]
APOSTROPHE_LATIN = ["Liam O'Brien", "Siobhan O'Neill", "Darragh McCarthy", "Luca D'Angelo"]
HYPHEN_SURNAME_LATIN = [
    "Anna Kowalska-Nowak",
    "Sarah Miller-Jones",
    "Olena Shevchenko-Bondar",
    "Marie Dupont-Roux",
    "Tom Hughes-Baker",
]
ENGLISH_ROLES = ["Counselor", "Advisor", "Consultant", "Teller", "Representative"]
ROUND4_FRAMES = [
    ("수령인: {SPACED3} / 연락처는 문자로 드릴게요", "spaced"),
    ("사고 접수 / 운전자: {SPACED3} / 차량 조회가 안 돼요", "spaced"),
    ("입금자명 {SPACED3} 이렇게 넣었는데 확인이 늦어요", "spaced"),
    ("아빠 이름 {SPACED3} 적는 칸이 따로 있어요", "spaced"),
    ("상담사님이 성함 {SPACED3} 맞냐고 두 번 물으셨어요", "spaced"),
    ("접수하신 분 이름이 '{SPACED3}' 이렇게 적혀 있었어요", "spaced"),
    ("제 이름이 외자라서 '{SPACED1}' 이렇게 띄우면 오류가 나요", "spaced"),
    ("받는 분 이름을 '{SPACED1}' 처럼 쓰니까 다른 사람이래요", "spaced"),
    ("이름이 '{GLUED}' 인데 송장엔 '{SPACEDGLUE}' 처럼 띄어서 찍혀요", "spaced"),
    ("명의가 '{HIDDENSPACED}' 처럼 표시돼서 누군지 모르겠어요", "spaced"),
    ("미입금 건: 보낸 사람 {NAME}, 참고 {L1}, 받는 계좌는 제 통장", "list"),
    ("환불 요청: 받는 사람 {NAME}, 은행 {BANKNAME}, 사유 중복결제", "list"),
    ("예금주명 '{EXNAME}' 은 예시라고 해서 지우고 다시 썼어요", "example"),
    ("이름 칸에 예: {EXAMPLE} 라고 적혀 있어서 헷갈렸어요", "example"),
    ("해외 송금 받는 분이 {ACCENTED} 인데 철자 때문에 막혀요", "latin"),
    ("The beneficiary is {ACCENTED} and the bank rejects the accent.", "latin"),
    ("My landlord {APOSTROPHE} has not received the deposit.", "latin"),
    ("명의자가 {APOSTROPHE} 인데 앱이 따옴표를 못 받아요", "latin"),
    ("영문 성명은 {HYPHENNAME} 인데 하이픈이 빠져서 나와요", "latin"),
    ("hi, my name's {HYPHENNAME} and my card got locked", "latin"),
    ("{ROLE} {ROMANKO} explained the refund very kindly.", "latin"),
    ("I transferred money to the wrong person, {ACCENTED}, yesterday.", "latin"),
    ("채팅 상담원 이름이 '{FIRSTLATIN}' 이라고만 나와요", "latin"),
    ("Mailing address: {ADDRE2}", "addr"),
    ("We moved to {ADDRE2} last month, please update it.", "addr"),
    ("해외 주소 {STREETABROAD} 로 카드를 받을 수 있나요", "addr"),
    ("Please ship the card to {STREETABROAD}.", "addr"),
    ("배송지 {ADDRBRACKET} 로 바꿔 주세요", "addr"),
    ("집 주소 {ADDRBACK} 인데 우편함이 없어요", "addr"),
    ("주소 변경: 舊 {ADDRPLAIN} / 新 {ADDRPLAIN2}", "addr"),
    ("우편번호 칸에 ({ZIP}) 넣고 {REGIONROAD} 썼는데 저장이 안 돼요", "zip"),
    ("우) {ZIP} {REGIONROAD} 으로 고지서 보내주세요", "zip"),
    ("관리사무소에 '{BAREUNIT}' 만 말하면 된다고 하던데 맞나요", "unit"),
    ("카드번호 {BADCARD} 로 결제했는데 두 번 빠졌어요", "card"),
    ("문자에 제 카드 {BADCARD} 가 통째로 찍혀 왔어요", "card"),
    ("Charged twice on {BADCARD} at a hotel.", "card"),
    ("카드 앞 6자리 {CARDSIX} 만 보이고 나머지는 가려져 있어요", "card"),
    ("주문번호 {ORDER16} 로 환불 요청했어요", "card"),
    ("IBAN {IBAN} 으로 보냈는데 반송됐어요", "iban"),
    ("Beneficiary account {IBAN}, SWIFT {SWIFT}, please check.", "iban"),
    ("연락 메일은 {APOSEMAIL} 예요 따옴표 때문에 가입이 안 돼요", "email"),
    ("외국인등록번호 앞부분 ({ARNCUT}) 까지만 입력됐어요", "rrn"),
    ("주민번호 뒷자리 {BACK7} 를 전화로 불러달래요", "rrn"),
    ("적금 별명을 '{NICKNAME}' 로 바꿨는데 반영이 안 돼요", "lookalike"),
    ("My advisor, Ms. {LATINSUR}, never called back.", "latin"),
    ("Refund from {VIETNAME} was returned to me.", "latin"),
    ("보호자 성함 {SPACED3} 입니다", "spaced"),
    ("'{GIVEN}'이라는 직원분이 계좌를 잘못 알려줬어요", "given"),
    ("Call me at {USPHONE} after six.", "phone"),
    ("Wire it to account {ACCT8} at my bank back home.", "account"),
    ("일본 주소 {JPADDR} 로 카드 보내주실 수 있나요", "addr"),
    ("Routing number {ROUTING} is the bank's, my account is {ACCT8}.", "account"),
    ("{USEWORD} 계좌를 하나 더 만들고 싶어요", "lookalike"),
]
SYLLABLE_GIVEN = (
    "준호 유나 지민 은희 상훈 민기 재영 서윤 하준 수빈 예린 도윤 지호 채원 현우".split()
)
ONE_SYLLABLE_GIVEN = "솔 영 별 빈 훈 결 린 윤 찬 혁".split()
NICKNAMES = ["내집마련하자", "비상금이야", "차사자", "유럽가즈아", "월급통장", "생활비모음"]
USE_WORDS = ["업무용", "본인 인증용", "개인용", "비상금용", "공과금용"]
IBAN_BANKS = [("ES", "21000418", 12), ("DE", "37040044", 10), ("FR", "2004101005", 13)]


def _iban(p: Parts) -> str:
    country, bank, rest = p.rng.choice(IBAN_BANKS)
    bban = bank + p.digits(rest)
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in moved)) % 97
    code = f"{country}{check:02d}{bban}"
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def _bad_card(p: Parts) -> str:
    r = p.rng
    while True:
        d = r.choice("45936") + p.digits(15)
        total = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(d))
        )
        if total % 10:
            break
    sep = r.choice([" ", "-"])
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


def _round4_address(p: Parts, slot: str) -> tuple[str, list]:
    r = p.rng
    sido, sigungu, roads, lots = r.choice(p.places)
    region = f"{sido[-1]} {sigungu}".strip()
    road = f"{r.choice(roads)} {r.randint(1, 300)}"
    if slot == "ADDRBRACKET":
        core = f"{road}, {r.randint(2, 15)}층 ({r.choice(p.apartments)})"
    elif slot == "ADDRBACK":
        core = f"{r.choice(lots)} {r.randint(1, 1800)}-{r.randint(1, 40)} {r.randint(1, 3)}층 " + (
            r.choice(["뒷집", "앞집"])
        )
    elif slot == "REGIONROAD":
        return f"{region} {road}", [(road, "ADDRESS"), (region, "REGION")]
    else:
        core = f"{road}" + r.choice(
            ["", f" {p.apartment()} {r.randint(101, 120)}동 {r.randint(1, 20)}0{r.randint(1, 4)}호"]
        )
    return f"{region} {core}", [(core, "ADDRESS"), (region, "REGION")]


def _english_address2(p: Parts) -> str:
    """English order of other shapes: a bare unit first, the unit after the city or after the
    우편번호, a -ga-gil side street."""
    r = p.rng
    base = _english_address(p).split(", ", 1)
    core = base[-1] if base[0].startswith(("Apt", "#")) else ", ".join(base)
    core = re.sub(r" \d{5}$", "", core)
    form = r.random()
    if form < 0.3:
        return f"{r.randint(101, 1505)}, {core}"
    if form < 0.55:
        return f"{core}, Apt {r.randint(101, 2504)}"
    if form < 0.8:
        return f"{core} {p.zip()}, Unit {r.randint(101, 909)}"
    return re.sub(r"(\d+)-gil", r"\1ga-gil", core, count=1) if "-gil" in core else core


def _street_abroad(p: Parts) -> str:
    r = p.rng
    return r.choice(
        [
            f"{r.randint(10, 9999)} {r.choice(['Oak', 'Maple', 'Cedar', 'Lincoln'])} "
            f"{r.choice(['St', 'Ave', 'Blvd', 'Drive'])}, Apt {r.randint(1, 40)}"
            f"{r.choice('ABCD')}, {r.choice(['Seattle', 'Austin', 'Denver'])}, "
            f"{r.choice(['WA', 'TX', 'CO'])}",
            f"{r.randint(1, 120)} {r.choice(['Rue du Bac', 'Avenue Foch', 'Rue de Rivoli'])}, "
            f"{r.randint(75001, 75020)} Paris",
            f"{r.choice(['Calle Alcalá', 'Via Garibaldi', 'Rua Augusta'])} {r.randint(1, 300)}",
            f"{r.choice(['Lindenstraße', 'Bergweg', 'Schillerplatz'])} {r.randint(1, 90)}",
        ]
    )


def _round4_slot(p: Parts, slot: str) -> tuple[str, list]:
    if slot in ("ADDRBRACKET", "ADDRBACK", "REGIONROAD", "ADDRPLAIN", "ADDRPLAIN2"):
        return _round4_address(p, slot)
    if slot in _ROUND4_NAME_SLOTS:
        return _round4_name_slot(p, slot)
    return _round4_other_slot(p, slot)


_ROUND4_NAME_SLOTS = frozenset(
    "SPACED3 SPACED1 SPACEDGLUE GLUED HIDDENSPACED NAME EXNAME EXAMPLE ACCENTED APOSTROPHE "
    "HYPHENNAME ROMANKO FIRSTLATIN".split()
)
_LATIN_POOLS = {
    "ACCENTED": ACCENTED_LATIN,
    "APOSTROPHE": APOSTROPHE_LATIN,
    "HYPHENNAME": HYPHEN_SURNAME_LATIN,
    "FIRSTLATIN": LATIN_GIVEN,
}


_ROUND4_NAME_SLOTS = _ROUND4_NAME_SLOTS | {"LATINSUR", "VIETNAME", "GIVEN"}


def _round4_name_slot(p: Parts, slot: str) -> tuple[str, list]:
    r = p.rng
    if slot in ("SPACED3", "SPACED1", "SPACEDGLUE", "GLUED"):
        s = r.choice(["김", "이", "박", "최", "정", "강", "조", "윤", "한", "오", "서", "신"])
        if slot == "SPACED3":
            g = r.choice(SYLLABLE_GIVEN)
            v = f"{s} {g[0]} {g[1]}"
        elif slot == "SPACED1":
            v = f"{s} {r.choice(ONE_SYLLABLE_GIVEN)}"
        else:
            g = p.state.setdefault("glue", s + r.choice(SYLLABLE_GIVEN))
            v = f"{g[0]} {g[1:]}" if slot == "SPACEDGLUE" else g
        return v, [(v, "NAME")]
    if slot == "HIDDENSPACED":
        v = f"{p.surname()} {r.choice('oO*')} {r.choice(SYLLABLE_GIVEN)[1]}"
        return v, [(v, "NAME")]
    if slot in ("NAME", "EXNAME"):
        v = p.name()[0]
        return v, [(v, "NAME" if slot == "NAME" else "EXAMPLE")]
    if slot == "EXAMPLE":
        return "홍길동", [("홍길동", "EXAMPLE")]
    if slot == "LATINSUR":
        v = r.choice(["Núñez", "Okafor", "Kowalski", "O'Hara", "Lefèvre", "Haddad"])
        return v, [(v, "NAME")]
    if slot == "VIETNAME":
        v = r.choice(["Ngô Thị Hương", "Đặng Văn Lâm", "Hà Thị Mai", "Bùi Minh Tuấn"])
        return v, [(v, "NAME")]
    if slot == "GIVEN":
        v = r.choice(["지훈", "수진", "민재", "서영", "현아", "준서"])
        return v, [(v, "NAME")]
    if slot == "ROMANKO":
        full, s, _ = p.name()
        given = full[len(s) :]
        sur = _SURNAME_ROMAN.get(s, romanise(s).upper()).title()
        v = f"{sur} " + "-".join(romanise(c) for c in given).capitalize()
        return v, [(v, "NAME")]
    v = r.choice(_LATIN_POOLS[slot])
    return v, [(v, "NAME")]


def _round4_other_slot(p: Parts, slot: str) -> tuple[str, list]:
    r = p.rng
    made = {
        "BANKNAME": lambda: (r.choice(["국민은행", "신한은행", "우리은행"]), None),
        "ROLE": lambda: (r.choice(ENGLISH_ROLES), None),
        "ADDRE2": lambda: (_english_address2(p), "ADDRESS"),
        "STREETABROAD": lambda: (_street_abroad(p), "ADDRESS"),
        "ZIP": lambda: (p.zip(), "ZIP"),
        "BAREUNIT": lambda: (
            f"{r.randint(101, 320)}동 {r.randint(1, 25)}0{r.randint(1, 4)}호",
            "UNIT",
        ),
        "BADCARD": lambda: (_bad_card(p), "CARD"),
        "CARDSIX": lambda: (f"{r.choice('459')}{p.digits(3)}-{p.digits(2)}", "CARD_PREFIX"),
        "ORDER16": lambda: ("-".join(p.digits(4) for _ in range(4)), "ORDER"),
        "IBAN": lambda: (_iban(p), "ACCOUNT"),
        "SWIFT": lambda: (r.choice(["BSCHESMM", "DEUTDEFF", "BNPAFRPP"]), "SWIFT"),
        "APOSEMAIL": lambda: (
            f"{r.choice(['d', 'k', 'm'])}.o'{r.choice(['neill', 'hara', 'reilly'])}"
            f"{r.randint(1, 99)}@{r.choice(['gmail.com', 'outlook.com'])}",
            "EMAIL",
        ),
        "ARNCUT": lambda: (
            f"{re.sub(r'[^0-9]', '', p.rrn(foreign=True))[:6]}-{r.choice('5678')}",
            "ARN",
        ),
        "BACK7": lambda: (r.choice("1234") + p.digits(6), "RRN"),
        "NICKNAME": lambda: (r.choice(NICKNAMES), "WORD"),
        "USEWORD": lambda: (r.choice(USE_WORDS), "WORD"),
        "USPHONE": lambda: (
            f"({r.randint(201, 989)}) {r.randint(200, 999)}-{p.digits(4)}",
            "PHONE",
        ),
        "ACCT8": lambda: (p.digits(r.choice([8, 9, 10, 12]), str(r.randint(1, 9))), "ACCOUNT"),
        "ROUTING": lambda: ("0" + p.digits(8), "ROUTING"),
        "JPADDR": lambda: (
            r.choice(["東京都渋谷区神南", "大阪府大阪市北区梅田", "福岡県福岡市中央区天神"])
            + f"{r.randint(1, 5)}-{r.randint(1, 30)}-{r.randint(1, 20)}",
            "ADDRESS",
        ),
    }
    if slot not in made:
        return _slot(p, slot)
    v, kind = made[slot]()
    return v, [(v, kind)] if kind else []


def _round4_fill(p: Parts, frame: str) -> str | None:
    p.state = {}
    labels: list[tuple[str, str]] = []
    out, at = [], 0
    for m in re.finditer(r"\{([A-Z0-9]+)\}", frame):
        out.append(frame[at : m.start()])
        at = m.end()
        value, extra = _round4_slot(p, m.group(1))
        labels.extend(extra)
        out.append(value)
    out.append(frame[at:])
    sentence = "".join(out)
    # A front cut after the seventh digit is RRN or ARN by that digit.
    labels = [(v, ("RRN" if v[-1] in "1234" else "ARN") if k == "ARN" else k) for v, k in labels]
    spans = "; ".join(f"{s}={t}" for s, t in labels if t in TYPES)
    alike = "; ".join(f"{s}={t}" for s, t in labels if t not in TYPES)
    return f"{sentence} || {spans} || {alike}"


def round4_cases(part: str) -> list[str]:
    if part != "gen-dev":
        return []
    rng = random.Random(f"{SEED}:{part}:round4")
    parts = Parts(rng, 0)
    lines, seen = [], set()
    while len(lines) < ROUND4_SIZE:
        frame, _ = rng.choice(ROUND4_FRAMES)
        line = _round4_fill(parts, frame)
        if line in seen or not _consistent(line):
            continue
        seen.add(line)
        lines.append(line)
    return lines


def _consistent(line: str) -> bool:
    """Each labelled substring must occur once, so the scorer finds the right place."""
    text, spans, alike = (part.strip() for part in line.split("||"))
    items = [s.rsplit("=", 1)[0] for s in (spans + ";" + alike).split(";") if s.strip()]
    return all(text.count(item.strip()) == 1 for item in items)


HEADER = (
    "# Generated by tests/pii_generate.py ({part}); do not edit by hand. {note}\n"
    "# Format: text || SPAN=TYPE; ... || look-alike=KIND; ...\n"
)
NOTES = {
    "gen-dev": "The detector may be tuned on this part.",
    "gen-untouched": "Never tuned on: its roads, lots, apartments, given names, banks, frames and "
    "look-alike wordings are not in the dev part. Read only to report.",
}


def render(part: str) -> str:
    lines = generate(part) + hard_cases(part) + round4_cases(part)
    return HEADER.format(part=part, note=NOTES[part]) + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files")
    args = parser.parse_args(argv)
    stale = []
    for part, path in FILES.items():
        text = render(part)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path} ({text.count(chr(10)) - 2} sentences)")
    if stale:
        print("out of date:", *stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
