"""What the personal-data detector knows about Korean names, places and account numbers.

Facts, not examples: surname shares, the syllables given names are made of, the 시·도 and the
suffixes of every lower administrative level, and the digit grouping of each bank's accounts.
The detector (`campaign/pii.py`) turns these into rules; the sentence generator of the test sets
(`tests/pii_generate.py`) uses its own lists of real places and frames, so the tests do not
only check that the detector agrees with itself.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

# --- surnames ---------------------------------------------------------------------------------
# Share of the population per surname (per mille), rounded (1 for every rarer surname), after
# Statistics Korea's 2015 census of surnames (통계청 2015 인구주택총조사 성씨·본관). 이/리 and 유/류
# are counted as written.
SURNAME_SHARE = {
    "김": 215,
    "이": 147,
    "박": 84,
    "최": 47,
    "정": 43,
    "강": 24,
    "조": 21,
    "윤": 20,
    "장": 20,
    "임": 17,
    "한": 15,
    "오": 15,
    "서": 15,
    "신": 14,
    "권": 14,
    "황": 14,
    "안": 13,
    "송": 13,
    "유": 13,
    "전": 11,
    "홍": 11,
    "고": 9,
    "문": 9,
    "양": 9,
    "손": 9,
    "배": 8,
    "백": 8,
    "허": 6,
    "노": 6,
    "남": 6,
    "심": 5,
    "하": 5,
    "곽": 4,
    "성": 4,
    "차": 4,
    "주": 4,
    "우": 4,
    "구": 4,
    "민": 3,
    "류": 3,
    "나": 3,
    "진": 3,
    "지": 3,
    "엄": 3,
    "채": 3,
    "원": 3,
    "천": 2,
    "방": 2,
    "공": 2,
    "현": 2,
    "함": 2,
    "변": 2,
    "염": 2,
    "여": 2,
    "추": 1,
    "도": 1,
    "소": 1,
    "석": 1,
    "선": 1,
    "설": 1,
    "마": 1,
    "길": 1,
    "연": 1,
    "위": 1,
    "표": 1,
    "명": 1,
    "기": 1,
    "반": 1,
    "라": 1,
    "왕": 1,
    "금": 1,
    "옥": 1,
    "육": 1,
    "인": 1,
    "맹": 1,
    "제": 1,
    "모": 1,
    "탁": 1,
    "국": 1,
    "어": 1,
    "은": 1,
    "편": 1,
    "용": 1,
    "예": 1,
    "경": 1,
    "봉": 1,
    "사": 1,
    "부": 1,
    "가": 1,
    "복": 1,
    "태": 1,
    "목": 1,
    "형": 1,
    "피": 1,
    "두": 1,
    "감": 1,
    "음": 1,
    "빈": 1,
    "동": 1,
    "온": 1,
    "호": 1,
    "범": 1,
    "좌": 1,
    "팽": 1,
    "승": 1,
    "간": 1,
    "상": 1,
    "갈": 1,
    "시": 1,
    "견": 1,
    "당": 1,
    "화": 1,
    "창": 1,
    "옹": 1,
    "묵": 1,
    "리": 1,
    "단": 1,
    "뇌": 1,
    "평": 1,
    "대": 1,
    "아": 1,
    "판": 1,
    "즙": 1,
    "후": 1,
    "내": 1,
    "저": 1,
    # Two-syllable surnames: rare, but a name with one is as personal as any other.
    "남궁": 1,
    "황보": 1,
    "제갈": 1,
    "선우": 1,
    "독고": 1,
    "사공": 1,
    "서문": 1,
    "동방": 1,
    "어금": 1,
    "망절": 1,
    "장곡": 1,
    "소봉": 1,
}
SURNAMES_1 = frozenset(s for s in SURNAME_SHARE if len(s) == 1)
SURNAMES_2 = frozenset(s for s in SURNAME_SHARE if len(s) == 2)

# Romanised surnames as passports and cards spell them (the 2000 Revised Romanisation and the
# spellings people kept before it), for a Latin name written next to a Korean one.
ROMAN_SURNAMES = frozenset(
    "KIM GIM LEE YI RHEE RI PARK PAK BAK CHOI CHOE CHOY "
    "JUNG JEONG CHUNG JOUNG KANG GANG CHO JO JOE "
    "YOON YUN YOUN JANG CHANG LIM IM YIM HAN OH O SEO "
    "SUH SHIN SIN KWON GWON HWANG AHN AN SONG JEON "
    "JUN CHUN JEUN HONG KO GO KOH MOON MUN YANG SON SOHN "
    "BAE BAEK PAIK BACK HEO HUH HUR NOH NO ROH NAM "
    "SHIM SIM HA KWAK GWAK SUNG SEONG CHA JOO JU CHOO WOO "
    "U KOO KU GU MIN RYU YOO YU NA RA JIN CHIN JI "
    "CHI UM EOM CHAE WON CHEON BANG PANG GONG KONG HYUN "
    "HYEON HAM BYUN BYEON PYUN YEOM YUM YEO YOH CHU "
    "DO TO SO SEOK SUK SUN SEON SUL SEOL MA KIL GIL YEON "
    "YOUN WI WEE PYO MYUNG MYEONG KI GI BAN WANG "
    "KEUM GEUM OK YUK IN MAENG JE MO TAK KUK GUK EO EUN "
    "PYEON YONG YE KYUNG GYEONG BONG SA BOO BU KA GA "
    "NAMGOONG NAMGUNG HWANGBO JEGAL SUNWOO SEONU DOKGO SAGONG SEOMUN".split()
)


# --- given names ------------------------------------------------------------------------------
# How often a syllable opens / closes a two-syllable given name, as a relative weight on a 1-20
# scale. Hand-rounded from the popular-name lists of the 대법원 전자가족관계등록시스템 (names
# registered per birth year, 1940s-2020s, older and newer generations together): an estimate of
# the shape of the distribution, not a measured table. A syllable missing here is not
# forbidden: it scores as rare.
def _weights(pairs: str) -> dict[str, int]:
    return {
        syllable: int(weight) for syllable, weight in (pair.split(":") for pair in pairs.split())
    }


GIVEN_FIRST = _weights(
    "민:20 서:18 지:18 현:15 수:14 영:14 정:14 준:13 은:13 예:12 하:12 도:11 성:11 유:11 재:11 "
    "승:10 동:10 상:10 경:10 미:10 혜:9 진:9 주:9 윤:9 소:9 태:9 채:8 다:8 나:8 희:7 우:7 시:8 "
    "연:7 가:7 건:7 종:7 원:7 명:6 선:7 철:6 병:6 순:6 옥:5 광:6 용:6 기:6 형:5 세:6 해:5 한:5 "
    "보:5 아:6 인:6 혁:4 규:5 창:5 석:5 대:5 호:5 효:5 범:4 찬:5 슬:4 청:3 춘:4 숙:3 말:3 분:3 "
    "남:4 봉:3 길:3 만:4 덕:4 복:3 귀:3 금:4 학:4 중:5 치:3 익:3 일:4 의:4 이:5 라:3 로:2 루:3 "
    "린:3 율:4 온:3 단:3 담:2 솔:3 별:2 새:2 초:3 혜:9 향:3 화:3 란:2 애:3 양:3 영:14 예:12 "
    "완:3 웅:3 원:7 위:2 유:11 윤:9 은:13 재:11 정:14 제:4 조:2 지:18 진:9 찬:5 창:5 채:8 "
    "태:9 평:2 표:2 필:3 홍:3 화:3 환:3 황:2 훈:3 휘:2 희:7 강:3 경:10 계:2 고:2 관:3 국:3 "
    "근:3 기:6 낙:2 노:2 누:2 달:2 덕:4 두:3 래:2 려:2 령:2 록:2 륜:2 리:2 매:2 면:2 무:3 문:4 "
    "묘:2 반:2 배:2 백:2 범:4 병:6 부:2 빈:3 사:2 삼:3 서:18 석:5 선:7 설:3 섭:2 소:9 송:4 "
    "수:14 숙:3 순:6 슬:4 시:8 신:4 실:2 심:2 안:3 애:3 양:3 언:2 여:3 연:7 열:2 염:2 엽:2 "
    "오:2 옥:5 요:2 욱:2 운:3 월:2 육:2 을:2 응:2 자:3 장:3 전:2 점:2 정:14 종:7 좌:2 주:9 "
    "준:13 중:5 지:18 창:5 천:3 철:6 청:3 초:3 충:3 칠:2 탁:2 택:2 판:2 하:12 학:4 한:5 해:5 "
    "헌:3 형:5 혜:9 호:5 화:3 효:5 후:3 흥:3 희:7 예:12 다:8 아:6 나:8 로:2 "
    # Native Korean names (바다, 빛나, 누리, 한결) and the older generation's (판수, 춘식, 용팔).
    "바:3 빛:3 누:2 꽃:2 달:2 별:2 봄:2 샛:2 여:2 이:5 판:2 춘:4 칠:2 쇠:1 돌:2 막:1 간:2 을:2"
)
GIVEN_SECOND = _weights(
    "준:20 호:18 민:18 우:17 현:17 진:16 수:16 영:16 희:15 아:15 연:14 윤:14 서:13 은:13 원:13 "
    "지:13 빈:12 훈:11 혁:10 석:10 철:10 식:9 숙:9 자:9 순:9 정:12 경:10 미:9 하:11 린:10 율:10 "
    "나:8 람:6 름:5 솔:5 별:4 결:5 건:8 환:8 균:6 규:7 완:6 섭:5 택:6 성:9 용:9 기:9 태:7 주:10 "
    "혜:7 선:9 란:7 옥:8 애:6 남:6 녀:5 임:4 례:5 분:5 재:7 찬:7 한:7 헌:5 현:17 형:6 효:5 "
    "훈:11 휘:4 흠:4 희:15 겸:4 경:10 곤:3 관:4 구:5 국:6 권:3 근:6 길:5 동:7 두:4 라:6 랑:4 "
    "래:4 량:4 렬:4 령:5 록:4 룡:4 룬:3 류:3 리:8 림:5 명:8 모:4 목:3 무:4 묵:3 문:5 배:3 범:5 "
    "벽:2 병:6 보:5 복:5 봉:5 비:5 빛:4 산:4 삼:4 상:8 색:2 샘:3 생:4 선:9 설:4 섭:5 세:6 소:5 "
    "송:5 슬:7 승:7 시:5 식:9 신:5 실:4 심:4 안:5 애:6 야:4 양:5 언:5 엽:4 예:6 오:4 온:5 옥:8 "
    "완:6 요:4 욱:8 운:7 웅:6 월:4 위:4 유:7 육:3 율:10 융:3 은:13 을:3 음:3 의:6 이:7 익:6 "
    "인:9 일:7 임:4 자:9 작:3 장:4 재:7 전:4 점:4 제:6 조:4 종:7 좌:3 중:6 직:4 찬:7 창:6 채:6 "
    "천:5 철:10 청:5 초:5 춘:6 충:5 치:5 탁:4 택:6 태:7 표:4 풍:4 필:5 하:11 학:5 해:6 향:6 "
    "헌:5 혁:10 협:4 형:6 혜:7 호:18 홍:5 화:7 환:8 활:3 황:4 회:4 효:5 후:6 훈:11 휘:4 흠:4 "
    "흥:5 희:15 아:15 담:4 들:3 든:3 울:3 달:3 별:4 봄:3 솔:5 결:5 늘:4 란:7 로:5 루:5 린:10 "
    "다:4 롬:3 솜:3 슬:7 엘:2 돈:3 팔:3 칠:3 쇠:2 돌:3 만:4 덕:4 출:2 녕:3 님:2 니:3 음:3"
)


def given_name_score(given: str) -> float:
    """How name-like a given name is: mean log weight of its syllables by position.

    About 2.0 or more for common names (민준, 서연, 영숙), near 0.7 for a syllable never seen in
    that position. One-syllable given names (김솔, 이안) use the closing table.
    """
    if len(given) == 1:
        return math.log(GIVEN_SECOND.get(given, 2))
    if len(given) == 2:
        return (
            math.log(GIVEN_FIRST.get(given[0], 2)) + math.log(GIVEN_SECOND.get(given[1], 2))
        ) / 2
    return 0.0


# --- places -----------------------------------------------------------------------------------
# The 17 시·도 as written in full and in the short forms people use (행정안전부 행정구역 현황).
SIDO = (
    "서울특별시 서울시 서울 부산광역시 부산시 부산 대구광역시 대구시 대구 인천광역시 인천시 인천 "
    "광주광역시 광주시 광주 대전광역시 대전시 대전 "
    "울산광역시 울산시 울산 세종특별자치시 세종시 세종 "
    "경기도 경기 강원특별자치도 강원도 강원 충청북도 "
    "충북 충청남도 충남 전북특별자치도 전라북도 전북 "
    "전라남도 전남 경상북도 경북 경상남도 경남 제주특별자치도 제주도 제주"
).split()

# Every 시·군·구 (and the 구 inside the larger 시), 행정안전부 행정구역 현황 2024. Kept in
# masked text; used to tell "마포구 월드컵북로 396" (an address) from "다시 전화로 2번".
SIGUNGU = frozenset(
    (
        "종로구 중구 용산구 성동구 광진구 동대문구 중랑구 "
        "성북구 강북구 도봉구 노원구 은평구 서대문구 마포구 "
        "양천구 강서구 구로구 금천구 영등포구 동작구 관악구 서초구 강남구 송파구 강동구 "
        "서구 동구 영도구 부산진구 동래구 남구 북구 "
        "해운대구 사하구 금정구 연제구 수영구 사상구 기장군 "
        "수성구 달서구 달성군 군위군 미추홀구 연수구 남동구 "
        "부평구 계양구 강화군 옹진군 광산구 유성구 대덕구 "
        "울주군 "
        "수원시 장안구 권선구 팔달구 영통구 성남시 수정구 "
        "중원구 분당구 의정부시 안양시 만안구 동안구 부천시 "
        "광명시 평택시 동두천시 안산시 상록구 단원구 고양시 "
        "덕양구 일산동구 일산서구 과천시 구리시 남양주시 "
        "오산시 시흥시 군포시 의왕시 하남시 용인시 처인구 "
        "기흥구 수지구 파주시 이천시 안성시 김포시 화성시 "
        "광주시 양주시 포천시 여주시 연천군 가평군 양평군 "
        "춘천시 원주시 강릉시 동해시 태백시 속초시 삼척시 "
        "홍천군 횡성군 영월군 평창군 정선군 철원군 화천군 "
        "양구군 인제군 고성군 양양군 "
        "청주시 상당구 서원구 흥덕구 청원구 충주시 제천시 "
        "보은군 옥천군 영동군 증평군 진천군 괴산군 음성군 "
        "단양군 천안시 동남구 서북구 공주시 보령시 아산시 "
        "서산시 논산시 계룡시 당진시 금산군 부여군 서천군 "
        "청양군 홍성군 예산군 태안군 "
        "전주시 완산구 덕진구 군산시 익산시 정읍시 남원시 "
        "김제시 완주군 진안군 무주군 장수군 임실군 순창군 "
        "고창군 부안군 목포시 여수시 순천시 나주시 광양시 "
        "담양군 곡성군 구례군 고흥군 보성군 화순군 장흥군 "
        "강진군 해남군 영암군 무안군 함평군 영광군 장성군 완도군 진도군 신안군 "
        "포항시 경주시 김천시 안동시 구미시 영주시 영천시 "
        "상주시 문경시 경산시 의성군 청송군 영양군 영덕군 "
        "청도군 고령군 성주군 칠곡군 예천군 봉화군 울진군 울릉군 "
        "창원시 의창구 성산구 마산합포구 마산회원구 진해구 "
        "진주시 통영시 사천시 김해시 밀양시 거제시 양산시 "
        "의령군 함안군 창녕군 남해군 하동군 산청군 함양군 거창군 합천군 제주시 서귀포시"
    ).split()
)

# Suffixes of the name of a building, an apartment complex or a shop front, which can sit
# between a building number and a unit ("… 27, 래미안아파트 103동 1201호").
BUILDING_SUFFIXES = (
    "아파트 빌라 빌딩 오피스텔 맨션 타워 하이츠 파크 캐슬 자이 힐스테이트 푸르지오 래미안 아이파크 "
    "더샵 센트레빌 롯데캐슬 주공 연립 원룸 하우스 스퀘어 센터 상가 프라자 플라자 타운 단지 마을 "
    "레지던스 팰리스 시티 빌 홈타운 그린 스위트 위브 리슈빌 유보라 데시앙 해링턴 쌍용 한신 현대 "
    "삼성 대우 우성 한양 벽산 동아 극동 신동아 두산 금호 코오롱 에듀 포레 리버 하임 아트 뷰 "
    "주택 기숙사 관 호텔 병원 학교 고시원 고시텔 쉐어하우스"
).split()

# --- account numbers --------------------------------------------------------------------------
# How each bank and 증권사 prints its account numbers, as digit groups. Source: 금융결제원
# 「CMS 참가기관별 계좌번호체계」 (KFTC, cmsedi.or.kr, 2024-2026 editions) for the length and
# structure of each institution's numbers, and each bank's own app and statement layout for
# where the dashes go (the CMS tables mark the subject and check digits, not the display).
# A number written in one of these groupings is an account wherever it appears, unless a label
# such as 주문번호 says otherwise.
ACCOUNT_GROUPINGS = {
    (6, 2, 6): "KB국민 14자리, 우체국, 지역농협·축협",
    (3, 2, 4, 3): "KB국민 12자리(구)",
    (3, 3, 6): "신한 12자리, 케이뱅크, 광주 12자리(구), 신협",
    (
        3,
        2,
        6,
    ): "신한 11자리(구), SC제일, 수협, 경남·전북(구), 증권사 종합계좌(유안타·KB·교보·신한투자 등)",
    (4, 3, 6): "우리 13자리",
    (3, 6, 5): "하나 14자리",
    (3, 6, 3): "하나 12자리, 제주 12자리",
    (3, 4, 4, 2): "NH농협 13자리, 부산 13자리",
    (3, 6, 2, 3): "IBK기업 14자리",
    (3, 6, 2, 2, 1): "IBK기업 14자리(CMS 표기), 우리(구 한일)",
    (3, 2, 6, 1): "IBK기업 12자리(구), 대구·iM뱅크, 부산(구), 우리(구 평화)",
    (3, 2, 5, 1): "NH농협·하나·신한(구)·산업 11자리",
    (4, 2, 7): "카카오뱅크 13자리",
    (4, 4, 4): "토스뱅크 12자리 (1000으로 시작)",
    (4, 4, 4, 1): "새마을금고 13자리",
    (3, 2, 7): "경남 12자리",
    (3, 9, 1): "경남 13자리",
    (3, 4, 5, 1): "부산 13자리(CMS 표기)",
    (3, 3, 5, 1): "광주 12자리(구)",
    (1, 3, 8, 1): "광주 13자리",
    (1, 3, 2, 6, 1): "전북 13자리",
    (2, 2, 5, 1): "제주 10자리(구), 씨티(구)",
    (3, 5, 2, 1, 2): "씨티 13자리",
    (3, 5, 2, 1): "씨티 11자리(구 한미)",
    (1, 6, 2, 1): "씨티 10자리",
    (2, 11): "iM뱅크 13자리",
    (3, 7, 1, 3): "산업 14자리",
    (3, 8, 3): "산업 14자리(입금전용), 하나증권",
    (4, 2, 6, 1): "NH농협 13자리(구)",
    (4, 4, 2): "키움·메리츠·유안타 10자리",
    (4, 4, 3): "유안타 11자리",
    (8, 2): "미래에셋·한국투자 10자리",
    (8, 4): "한국투자 12자리",
    (8, 2, 4): "한국투자 14자리",
    (8, 3): "하나증권 11자리",
    (3, 3, 2, 2): "KB증권 10자리",
    (3, 6, 2): "대신증권 11자리",
    (7, 1, 2): "하나증권·아이엠증권 10자리",
    (3, 2, 4, 2): "DB증권 11자리",
    (1, 5, 8): "삼성증권 14자리",
}
# Groupings that are shared with something that is not an account and so need a word such as
# 계좌 or a bank's name nearby, or a prefix that only that bank uses.
ACCOUNT_PREFIXES = {
    (4, 4, 4): (
        "1000",
        "1001",
        "1002",
        "1908",
    ),  # 토스뱅크; anything else 4-4-4 is a coupon or waybill
    (4, 4, 2): (),
    (8, 2): (),
    (8, 4): (),
    (8, 3): (),
    (2, 11): ("91", "92", "93", "94", "96"),
    (4, 2, 7): ("3333", "3355", "3388", "7777", "7979", "3310", "3320"),
}


# --- names from other countries ---------------------------------------------------------------
# The parts of the names most common among people who live in Korea from abroad (법무부 체류외국인
# 통계: China, Vietnam, Thailand, the Philippines, Uzbekistan, Russia, Nepal, Indonesia, Cambodia,
# Mongolia, Kazakhstan, the US), as written in Hangul by the 국립국어원 외래어 표기법 and as people
# write them. Short lists of the most frequent surnames and given-name parts, not of people: a
# sequence of these words is a name only with a person cue or a name's particle around it
# (campaign/pii.py), and one syllable alone (안, 반, 란) is never enough.
FOREIGN_NAME_PARTS = frozenset(
    (
        # Vietnamese: the 14 surnames of 90% of people, the middle names, frequent given names.
        "응우옌 응웬 뉴엔 웬 쩐 짠 레 팜 호앙 황 후인 판 부 보 당 부이 도 호 응오 즈엉 리 "
        "반 티 득 홍 흐엉 란 안 투 짱 호아 린 마이 프엉 타오 응옥 빈 탄 뚜언 흥 중 남 하 꽝 꾸옥 "
        "티엔 투이 흐 니 히엔 옌 비 퐁 롱 뚱 하이 꾸인 쑤언 "
        # Chinese in Korean transcription: frequent surnames and given syllables.
        "왕 장 류 리우 천 첸 양 자오 우 저우 쉬 쑨 마 주 후 궈 허 린 가오 뤄 정 량 셰 쑹 탕 한 펑 "
        "웨이 팡 나 리나 징 레이 옌 타오 밍 하오 샤오 후이 핑 잉 쥔 슈 메이 팅 위 신 샤 펑 쯔 "
        "샤오밍 웨이웨이 리리 쥔제 "
        # Filipino, Latin American and Spanish names.
        "마리아 산토스 레예스 크루즈 크루스 가르시아 바우티스타 멘도사 로페스 곤살레스 페르난데스 "
        "라모스 아키노 델라크루즈 로사 로자 안젤라 조이 크리스틴 제시카 마리 그레이스 호세 후안 "
        "카를로스 페드로 루이스 로드리게스 마르티네스 에르난데스 토레스 플로레스 비야누에바 "
        # Uzbek, Kazakh, Kyrgyz, Russian, Ukrainian.
        "딜노자 굴나라 자밀라 아지즈 알리셰르 쇼히스타 디요라 니고라 말리카 자스미나 루스탐 "
        "사르도르 베크조드 자수르 오타벡 아크말 울루그벡 티무르 카밀라 나타샤 올가 이반 세르게이 "
        "안나 타티아나 타치야나 알렉산드르 드미트리 블라디미르 이리나 스베틀라나 옐레나 나탈리아 "
        "안드레이 막심 빅토르 율리야 마리나 에카테리나 알리나 다리아 "
        # Nepali, Indonesian, Thai, Cambodian, Mongolian.
        "구룽 타망 셰르파 타파 마가르 라이 림부 쉬레스타 시타 람 비슈누 크리슈나 수닐 "
        "시티 누르 아이니 푸트리 데위 와유 리스키 아궁 부디 스리 무하마드 무함마드 아흐마드 "
        "솜차이 솜삭 쁘라윳 나롱 삭다 분미 소피아 다라 소카 "
        "바트 에르덴 수흐 간바트 오윤 체첵 도르지 바야르 볼드 "
        # English.
        "존 스미스 데이비드 마이클 제임스 로버트 메리 제니퍼 사라 다니엘 브라운 존슨 윌리엄스 "
        "존스 밀러 데이비스 윌슨 테일러 앤더슨 토머스 토마스 잭슨 화이트 해리스 마틴 톰슨 "
        "에밀리 엠마 올리비아 윌리엄 크리스 케빈 브라이언 제니 케이트 루카스 벤 샘 피터"
    ).split()
)
# Endings of names that are no Korean word: Slavic and Central Asian family names (-ова, -ов,
# -ев, -евич, -ский), Uzbek given names (-bek, -jon, -hon), Indonesian and Vietnamese forms.
FOREIGN_NAME_ENDINGS = re.compile(
    r"(?:[고노도로모보소오조초코토포호]바|[고노도로모보소오조초코토포호]프|[게네데레메베세에예제체케테페헤]바|"
    r"[게네데레메베세에예제체케테페헤]프|비치|스키|스카야|벡|존|혼)$"
)
# Latin-letter surnames of other countries written in capitals beside a given name (ZHANG WEI,
# NGUYEN THI HOA): the most common of China, Vietnam, the Philippines, Central Asia and Nepal.
LATIN_SURNAMES = frozenset(
    "ZHANG WANG LI LIU CHEN YANG ZHAO HUANG ZHOU WU XU SUN HU ZHU GAO LIN HE GUO MA LUO NGUYEN "
    "TRAN LE PHAM HOANG HUYNH PHAN VU VO DANG BUI DO HO NGO DUONG LY SANTOS REYES CRUZ GARCIA "
    "BAUTISTA MENDOZA LOPEZ GONZALES RAMOS AQUINO KARIMOV RASHIDOV ALIEV IVANOV SMIRNOV GURUNG "
    "THAPA TAMANG SHRESTHA RAI SHERPA SMITH JOHNSON BROWN JONES MILLER DAVIS WILSON TAYLOR "
    "ANDERSON".split()
)

# --- common words shaped like names -------------------------------------------------------------
# A word that opens with a surname syllable is more often an ordinary word (정말, 안내문, 연락처,
# 피해자) than a name, and a foreign name written in Hangul is told from a phrase by its words.
# Which ones are ordinary comes from Kiwi's own lexicon (kiwipiepy_model, a
# project dependency): its morphemes are numbered most frequent first, so the first
# COMMON_WORDS_RANK of them, in the tags of common words, are the words people write every day.
# The list is built once (`python -m campaign.pii_lexicon`) into data/, so that masking never
# loads Kiwi; tests/unit/test_pii_detector.py checks it is what the installed Kiwi gives.
COMMON_WORDS_PATH = Path(__file__).parent / "data" / "pii_common_words.txt"
COMMON_WORDS_RANK = 60000
# Words that open with any other syllable, for foreign names written in Hangul (존 밀러, 왕 웨이):
# only the most frequent, of two syllables or more.
OTHER_WORDS_RANK = 20000
_COMMON_TAGS = frozenset("NNG NNB NP NR MAG MAJ MM IC XR VCN VV VA".split())


def build_common_words() -> str:
    """The file's text: the frequent common words of 2-4 syllables."""
    from kiwipiepy import Kiwi
    from kiwipiepy_model import __version__ as model_version

    kiwi = Kiwi(num_workers=-1, load_typo_dict=False, load_multi_dict=False)
    words = set()
    for rank in range(COMMON_WORDS_RANK):
        m = kiwi.morpheme(rank)
        form = m.form
        if (
            m.tag in _COMMON_TAGS
            and 2 <= len(form) <= 4
            and all("가" <= c <= "힣" for c in form)
            and (rank < OTHER_WORDS_RANK or form[0] in SURNAMES_1 or form[:2] in SURNAMES_2)
        ):
            words.add(form)
    header = (
        f"# Common words of 2-4 syllables: those that open with a surname syllable among Kiwi's "
        f"{COMMON_WORDS_RANK} most frequent morphemes,\n"
        f"# the others among its {OTHER_WORDS_RANK} most frequent "
        f"(kiwipiepy_model {model_version}); tags {' '.join(sorted(_COMMON_TAGS))}. "
        "Built by `python -m campaign.pii_lexicon`; do not edit by hand.\n"
    )
    return header + "\n".join(" ".join(line) for line in _rows(sorted(words))) + "\n"


def _rows(words: list[str], per_row: int = 20):
    for at in range(0, len(words), per_row):
        yield words[at : at + per_row]


def _load_common_words() -> frozenset[str]:
    text = COMMON_WORDS_PATH.read_text(encoding="utf-8")
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


COMMON_WORDS = _load_common_words()


if __name__ == "__main__":
    COMMON_WORDS_PATH.write_text(build_common_words(), encoding="utf-8")
    print(f"wrote {COMMON_WORDS_PATH}")
