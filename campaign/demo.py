"""The demo campaign: realistic Korean finance moments, loaded through the real submit path."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from sqlalchemy import func, select

from campaign import (
    arrival,
    audit,
    campaigns,
    fixes,
    imports,
    loop,
    moderation,
    sources,
    submissions,
)
from campaign.clustering import decisions, recluster
from campaign.extensions import db
from campaign.models import (
    Campaign,
    Cluster,
    ClusterStatus,
    Fix,
    FixProgress,
    Moment,
    MomentStatus,
    Team,
    utcnow,
)

SLUG = "finance"
MODERATOR_EMAIL = "demo-admin@example.com"
TEAMS = ["송금팀", "카드팀", "대출팀", "고객센터", "보안팀"]
CATEGORIES = ["송금·이체", "카드", "대출", "투자", "보험", "인증·보안", "고객센터", "기타"]
CHANNELS = ["앱", "웹", "지점·ATM", "전화 상담", "기타"]

# (category, channel, body, suggestion)
MOMENTS = [
    (
        "송금·이체",
        "앱",
        (
            "밤 11시 50분에 월세를 보내려는데 은행 점검 시간이라 이체가 안 됐어요. "
            "집주인한테 늦는다고 사과해야 했어요."
        ),
        "점검 시간에도 미리 예약해 두면 끝나자마자 보내지면 좋겠어요.",
    ),
    (
        "송금·이체",
        "앱",
        "새벽에 급하게 송금해야 했는데 점검 중이라는 안내만 나오고 언제 끝나는지 알 수가 없었어요.",
        "점검이 몇 시에 끝나는지라도 알려 주세요.",
    ),
    (
        "송금·이체",
        "앱",
        (
            "자정 넘어서 카드값 자동이체 계좌에 돈을 옮기려고 했는데 은행 점검이라 못 옮겼어요. "
            "결국 연체됐어요."
        ),
        "점검 시간에 예약 이체가 되면 좋겠어요.",
    ),
    (
        "송금·이체",
        "앱",
        (
            "중고거래 판매자한테 돈을 보냈는데 나중에 보니 사기 계좌였어요. "
            "보내기 전에 알 수 있었다면 좋았을 텐데요."
        ),
        "신고된 계좌면 보내기 전에 경고해 주세요.",
    ),
    (
        "송금·이체",
        "앱",
        (
            "계좌번호 하나 잘못 눌러서 모르는 사람한테 30만원이 갔어요. "
            "돌려받는 방법을 찾느라 하루 종일 걸렸어요."
        ),
        "받는 사람 이름을 한 번 더 크게 보여주면 좋겠어요.",
    ),
    (
        "송금·이체",
        "웹",
        "PC에서 이체하려면 보안 프로그램을 다섯 개나 깔아야 해서 포기했어요.",
        None,
    ),
    (
        "송금·이체",
        "앱",
        "해외 송금 수수료가 얼마인지 보내기 전에는 알 수가 없어서 불안했어요.",
        "보내기 전에 받는 금액과 수수료를 같이 보여 주세요.",
    ),
    ("송금·이체", "앱", "친구한테 보낸 돈에 메모를 남기고 싶은데 글자 수가 너무 짧아요.", None),
    (
        "송금·이체",
        "지점·ATM",
        "ATM에서 송금하는데 화면 글씨가 너무 작아서 어머니가 계속 잘못 누르셨어요.",
        "큰 글씨 모드가 있으면 좋겠어요.",
    ),
    (
        "카드",
        "앱",
        "해외 사이트에서 결제가 두 번 승인됐는데 취소 요청을 어디서 하는지 찾을 수가 없었어요.",
        None,
    ),
    (
        "카드",
        "앱",
        (
            "카드를 잃어버려서 분실 신고하려는데 메뉴가 너무 깊숙이 숨어 있었어요. "
            "그 사이에 누가 쓸까 봐 조마조마했어요."
        ),
        "첫 화면에 분실 신고 버튼을 두세요.",
    ),
    ("카드", "전화 상담", "카드 분실 신고하려고 전화했는데 ARS 안내만 5분 넘게 들었어요.", None),
    (
        "카드",
        "앱",
        (
            "제 번호 010-2481-7730로 문자가 와서 카드가 발급됐다는데 저는 신청한 적이 없어요. "
            "무서워서 바로 정지했어요."
        ),
        None,
    ),
    (
        "카드",
        "앱",
        "카드 실적이 얼마나 채워졌는지 매번 계산기를 두드려야 해요.",
        "이번 달 실적과 남은 금액을 바로 보여 주세요.",
    ),
    (
        "카드",
        "웹",
        "연회비가 언제 빠져나가는지 미리 알려주지 않아서 쓰지도 않는 카드 연회비를 냈어요.",
        "연회비 나가기 한 달 전에 알려 주세요.",
    ),
    ("카드", "앱", "할부 개월 수를 결제한 뒤에 바꾸고 싶은데 방법이 없다고만 해요.", None),
    (
        "대출",
        "앱",
        "금리가 내렸다는데 제가 금리인하요구권을 쓸 수 있는지 아무도 알려주지 않았어요.",
        "쓸 수 있을 때 먼저 알려 주세요.",
    ),
    (
        "대출",
        "앱",
        (
            "대출 금리 인하 요청을 하려니 서류를 직접 떼서 지점에 가야 한대요. "
            "회사 다니면서 갈 시간이 없어요."
        ),
        None,
    ),
    (
        "대출",
        "지점·ATM",
        "전세대출 연장하려고 지점에 세 번이나 갔어요. 갈 때마다 필요한 서류가 달랐어요.",
        "필요한 서류를 처음부터 한 번에 알려 주세요.",
    ),
    (
        "대출",
        "앱",
        "대출 한도 조회만 했는데 신용점수가 떨어질까 봐 무서워서 못 눌렀어요.",
        "조회해도 점수가 안 떨어진다고 분명히 써 주세요.",
    ),
    (
        "대출",
        "웹",
        "중도상환수수료가 얼마인지 계산해 주는 곳이 없어서 엑셀로 직접 계산했어요.",
        None,
    ),
    ("투자", "앱", "주식 주문을 넣었는데 체결이 됐는지 안 됐는지 알림이 오지 않았어요.", None),
    (
        "투자",
        "앱",
        "해외주식 세금을 언제 어떻게 신고해야 하는지 앱 어디에도 설명이 없었어요.",
        "신고할 때가 되면 알려 주고 금액도 계산해 주세요.",
    ),
    ("투자", "앱", "펀드 수익률이 수수료를 빼고 나서인지 아닌지 헷갈려요.", None),
    (
        "보험",
        "앱",
        "병원비 청구하려고 영수증을 찍어 올렸는데 흐릿하다고 세 번이나 반려됐어요.",
        None,
    ),
    (
        "보험",
        "전화 상담",
        "보험금 청구 결과를 물어보려고 전화했더니 담당자가 자리에 없다고 다음 날 다시 전화하래요.",
        "진행 상황을 앱에서 볼 수 있으면 좋겠어요.",
    ),
    (
        "보험",
        "웹",
        "보험 해지하려면 꼭 전화를 해야 한다고 해서 답답했어요. 가입은 앱으로 1분이면 됐는데요.",
        "가입처럼 해지도 앱에서 되게 해 주세요.",
    ),
    (
        "인증·보안",
        "앱",
        "휴대폰을 바꿨더니 인증서를 옮기는 방법이 너무 복잡해서 결국 새로 발급받았어요.",
        None,
    ),
    (
        "인증·보안",
        "앱",
        "보이스피싱 문자를 받았는데 어디에 신고하는지 몰라서 그냥 지웠어요.",
        "앱에서 바로 신고할 수 있게 해 주세요.",
    ),
    (
        "인증·보안",
        "앱",
        (
            "누가 제 명의로 계좌를 만들려고 했다는 문자를 받았어요. "
            "제 주민번호 900215-1234567가 유출된 것 같아서 너무 불안해요."
        ),
        "명의도용이 의심될 때 한 번에 막는 방법이 있으면 좋겠어요.",
    ),
    ("인증·보안", "웹", "비밀번호를 틀려서 잠겼는데 풀려면 지점에 직접 가야 한대요.", None),
    ("인증·보안", "앱", "얼굴 인증이 안경을 쓰면 계속 실패해요.", None),
    (
        "고객센터",
        "전화 상담",
        "상담원 연결까지 40분을 기다렸는데 연결되자마자 끊겼어요.",
        "기다리는 대신 전화를 다시 걸어 주는 기능이 있으면 좋겠어요.",
    ),
    (
        "고객센터",
        "앱",
        "채팅 상담을 했는데 같은 질문에 자동 답변만 반복돼서 사람과 이야기할 수가 없었어요.",
        None,
    ),
    (
        "고객센터",
        "전화 상담",
        (
            "문의 결과를 문자로 받고 싶었는데 이메일로만 보내 준대요. "
            "메일 주소 abc.kim@naver.com으로 받긴 했는데 스팸함에 들어가 있었어요."
        ),
        None,
    ),
    (
        "고객센터",
        "지점·ATM",
        "지점에 갔더니 대기 인원이 25명이었어요. 미리 번호표를 뽑을 수 있으면 좋겠어요.",
        "앱으로 번호표를 미리 받게 해 주세요.",
    ),
    (
        "기타",
        "앱",
        "앱을 열 때마다 광고 팝업이 세 개씩 떠서 원하는 메뉴까지 가기가 힘들어요.",
        None,
    ),
    ("기타", "앱", "글씨 크기를 키웠더니 버튼 글자가 잘려서 무슨 버튼인지 알 수가 없어요.", None),
    (
        "기타",
        "웹",
        "화면 읽기 프로그램으로 쓰면 버튼 이름이 전부 '버튼'이라고만 읽혀요.",
        "버튼마다 이름을 붙여 주세요.",
    ),
    ("송금·이체", "앱", "토요일 밤에 송금하는데 점검 중이라 두 시간을 기다렸어요.", None),
    # The same moments told again by other people, as a real campaign receives them.
    (
        "송금·이체",
        "앱",
        "은행 점검 시간이라 밤에 이체가 안 돼요. 월세 날인데 곤란했어요.",
        "점검 시간에도 예약 이체가 되면 좋겠어요.",
    ),
    ("송금·이체", "앱", "밤에 은행 점검 시간에 걸려서 이체를 못 했어요.", None),
    ("송금·이체", "앱", "은행 점검시간이라 이체가 안 돼서 다음 날 아침에 다시 보냈어요.", None),
    (
        "송금·이체",
        "앱",
        "점검 시간에는 은행 이체가 안 되니까 너무 불편해요.",
        "점검이 끝나면 자동으로 보내지게 해 주세요.",
    ),
    ("카드", "앱", "카드를 잃어버렸는데 분실 신고 메뉴를 찾을 수가 없었어요.", None),
    (
        "카드",
        "앱",
        "카드 분실 신고 메뉴가 어디 있는지 한참 찾았어요.",
        "분실 신고 버튼을 첫 화면에 두세요.",
    ),
    ("카드", "앱", "잃어버린 카드 분실 신고 메뉴를 찾기가 너무 어려워요.", None),
    ("대출", "앱", "금리인하요구권을 쓸 수 있는지 알려주지 않아서 몰랐어요.", None),
    (
        "대출",
        "앱",
        "금리인하요구권이 있는 줄도 몰랐어요. 미리 알려주면 좋겠어요.",
        "쓸 수 있을 때 알림을 주세요.",
    ),
    ("대출", "웹", "금리인하요구권을 언제 쓸 수 있는지 안내가 없어요.", None),
    ("고객센터", "전화 상담", "상담원 연결까지 너무 오래 기다렸어요. 30분이 넘었어요.", None),
    (
        "고객센터",
        "전화 상담",
        "고객센터 상담원 연결이 너무 오래 걸려요.",
        "다시 전화해 주는 기능이 있으면 좋겠어요.",
    ),
    ("고객센터", "전화 상담", "상담원 연결을 기다리다가 결국 끊었어요. 너무 오래 걸려요.", None),
    ("인증·보안", "앱", "보이스피싱 문자를 받았는데 신고하는 곳을 못 찾았어요.", None),
    (
        "인증·보안",
        "앱",
        "보이스피싱 의심 문자를 앱에서 바로 신고할 수 없어서 불편했어요.",
        "앱 안에 신고 버튼을 만들어 주세요.",
    ),
]


# The same problems told again, at known times, so the loop shows every stage: more people behind
# the maintenance fix (who then answer "해결됐나요?"), and the rate-cut alert that keeps being
# asked for after it shipped (a regression). (days ago, category, channel, body)
TIMED = [
    (6, "송금·이체", "앱", "은행 점검 시간이라 밤 12시에 이체가 안 됐어요."),
    (7, "송금·이체", "앱", "밤에 이체하려는데 은행 점검 시간이라 안 된대요. 급한 돈이었어요."),
    (8, "송금·이체", "앱", "은행 점검 시간에 걸려서 이체를 못 하고 아침까지 기다렸어요."),
    (9, "송금·이체", "웹", "새벽에 은행 점검 시간이라 이체가 안 돼서 곤란했어요."),
    (
        11,
        "송금·이체",
        "앱",
        "점검 시간이라 은행 이체가 안 돼요. 밤에 보내야 할 때가 많은데 불편해요.",
    ),
    (13, "송금·이체", "앱", "월세를 밤에 보내려다 은행 점검 시간이라 이체를 못 했어요."),
    (15, "송금·이체", "앱", "은행 점검시간에는 이체가 안 되니까 다음 날 다시 보내야 해요."),
    (16, "송금·이체", "앱", "밤 11시 반에 이체하려니 은행 점검 시간이래요. 너무 불편해요."),
    (17, "송금·이체", "지점·ATM", "은행 점검 시간이라 ATM에서도 이체가 안 됐어요."),
    (18, "송금·이체", "앱", "주말 밤에 은행 점검 시간이라 이체가 막혔어요."),
    (0, "대출", "앱", "금리인하요구권 알림을 준다더니 저는 아직 못 받았어요."),
    (0, "대출", "앱", "금리인하요구권을 쓸 수 있는지 알려주지 않아서 이번에도 몰랐어요."),
    (1, "대출", "앱", "금리인하요구권 안내가 저한테는 안 왔어요. 쓸 수 있는지 모르겠어요."),
    (1, "대출", "웹", "금리인하요구권을 언제 쓸 수 있는지 아직도 알려주지 않아요."),
    (1, "대출", "앱", "금리인하요구권이 있는 줄 몰랐어요. 알림을 못 받았어요."),
    (2, "대출", "앱", "금리인하요구권을 쓸 수 있다는 알림이 안 와서 직접 찾아봤어요."),
]
# Who answered "해결됐나요?" on the maintenance fix: resolved, then the optional note.
ANSWERS = [(True, None)] * 9 + [
    (True, "예약해 두니 점검 끝나고 바로 보내졌어요."),
    (False, "예약은 되는데 끝나는 시간을 몰라 불안해요."),
    (False, None),
]
# Open clusters shown on 듣고 있어요: (a moment in it, status, public title, public note, the word
# every moment in it mentions).
LISTENING = [
    (
        "고객센터 상담원 연결이 너무 오래 걸려요.",
        ClusterStatus.PLANNED,
        "상담원 연결을 오래 기다려야 해요",
        "기다리는 대신 순서가 되면 다시 전화를 걸어 드리는 기능을 만들기로 했어요.",
        "상담원",
    ),
    (
        "카드 분실 신고 메뉴가 어디 있는지 한참 찾았어요.",
        ClusterStatus.ON_HOLD,
        "카드 분실 신고 메뉴를 찾기 어려워요",
        (
            "앱 첫 화면을 새로 만드는 작업과 함께 고치려고 잠시 미뤄 두었어요. "
            "그동안에는 '전체 > 카드 > 분실 신고'에 있어요."
        ),
        "분실",
    ),
]


# Where the campaign asks (sources.py): (name, code, description). The ATM screen and the staff
# link stay silent in the demo, so the dashboard's 조용한 출처 has something to say.
SOURCES = [
    ("지점 QR", "branch-qr", "전국 지점 창구 옆에 붙인 A4 포스터"),
    ("ATM 화면", "atm", "ATM 거래가 끝난 화면에 띄우는 QR 코드"),
    ("앱 해지 화면", "app-cancel", "앱에서 상품을 해지하거나 탈퇴할 때 보이는 링크"),
    ("고객센터 문자", "callcentre-sms", "상담이 끝나면 보내는 문자 속 링크"),
    ("직원용", "staff", "직원이 고객에게 들은 이야기를 대신 남길 때 쓰는 링크"),
]
SILENT_SOURCES = ("atm", "staff")


def _source_for(channel: str | None, rng: random.Random) -> str | None:
    """The link a person plausibly came through, given where the moment happened; about a
    third came to the site directly."""
    if rng.random() < 0.3:
        return None
    if channel == "지점·ATM":
        return "branch-qr"
    if channel == "전화 상담":
        return "callcentre-sms"
    return rng.choice(["app-cancel", "app-cancel", "branch-qr", "callcentre-sms"])


# Foreign residents tell their moments in English: (category, channel, body, suggestion).
ENGLISH = [
    (
        "송금·이체",
        "앱",
        (
            "I tried to send money home to Vietnam and the app never showed the fee or the "
            "exchange rate until after the transfer went through."
        ),
        "Show the total cost before I press send.",
    ),
    (
        "인증·보안",
        "앱",
        (
            "Identity verification keeps failing because my phone plan is not in my own name. "
            "As a foreigner I can't get one in my name without a bank account first."
        ),
        None,
    ),
    (
        "기타",
        "앱",
        (
            "The banking app is only in Korean. I use a translator on every screen and I'm "
            "always scared I'm pressing the wrong button."
        ),
        "Please add an English menu, at least for transfers.",
    ),
    (
        "고객센터",
        "전화 상담",
        (
            "I called customer service and pressed 9 for English, but I waited 25 minutes and "
            "then the call dropped."
        ),
        None,
    ),
    (
        "송금·이체",
        "지점·ATM",
        "The ATM rejected my foreign card twice and didn't explain why. I needed cash for rent.",
        None,
    ),
    (
        "카드",
        "지점·ATM",
        (
            "To get a debit card the branch asked for proof of employment, my residence card and "
            "a Korean phone number. It took three visits."
        ),
        "Tell foreigners the full list of documents on the website.",
    ),
    (
        "송금·이체",
        "앱",
        "My transfer failed at midnight: bank maintenance, and no notice in English.",
        None,
    ),
]

# A call centre's log, as `flask import-moments` would read it: lines made from parts written here
# (a problem said as a counsellor's note, in 해요체 or in 반말 × how the note begins × a detail),
# some with personal data the import masks. (category, note, 해요체, 반말, details)
CALL_PROBLEMS = [
    (
        "송금·이체",
        "은행 점검 시간이라 야간 이체 불가, 점검 종료 시각 안내 없음",
        "밤에 이체하려는데 은행 점검 시간이라 안 된대요",
        "밤에 이체하려니까 은행 점검 시간이라고 안 된대",
        ["월세 납부일", "자정 직전", "주말 새벽", "카드값 결제일", "급여일 다음 날"],
    ),
    (
        "카드",
        "카드 분실 신고 메뉴 위치 문의, 앱에서 찾지 못함",
        "카드를 잃어버렸는데 앱에서 분실 신고 메뉴를 못 찾겠어요",
        "카드 잃어버렸는데 앱에서 분실 신고 메뉴를 못 찾겠어",
        ["지하철에서 분실", "식당에 두고 옴", "해외 여행 중", "지갑째 잃어버림"],
    ),
    (
        "대출",
        "금리인하요구권 대상 여부 문의, 안내 받은 적 없음",
        "금리인하요구권을 쓸 수 있는지 아무도 알려주지 않았어요",
        "금리인하요구권 쓸 수 있는지 왜 안 알려줘",
        ["이직 후 연봉 상승", "신용점수 상승", "전세대출 이용 중", "신용대출 2년 차"],
    ),
    (
        "고객센터",
        "상담원 연결 대기 시간 과다, 연결 직후 끊김",
        "상담원 연결까지 너무 오래 기다렸어요",
        "상담원 연결 기다리다 지쳤어",
        ["대기 30분", "대기 45분", "점심시간", "월요일 오전"],
    ),
    (
        "인증·보안",
        "보이스피싱 의심 문자 신고 방법 문의",
        "보이스피싱 같은 문자를 받았는데 어디에 신고하는지 모르겠어요",
        "보이스피싱 문자 왔는데 어디다 신고해",
        ["택배 사칭", "검찰 사칭", "가족 사칭", "대출 권유 문자"],
    ),
    (
        "송금·이체",
        "해외 송금 수수료 및 환율 사전 확인 불가",
        "해외로 돈을 보내기 전에 수수료가 얼마인지 알 수가 없어요",
        "해외 송금 수수료를 보내기 전엔 알 수가 없어",
        ["유학 중인 자녀", "베트남 가족", "미국 학비", "소액 송금"],
    ),
    (
        "인증·보안",
        "휴대폰 교체 후 인증서 이동 실패, 재발급 안내",
        "휴대폰을 바꿨더니 인증서 옮기기가 너무 어려워요",
        "폰 바꿨는데 인증서 옮기는 게 너무 복잡해",
        ["아이폰으로 변경", "갤럭시로 변경", "PC에서 옮기기", "부모님 휴대폰"],
    ),
    (
        "보험",
        "보험금 청구 서류 반려 사유 불명확",
        "병원비 청구했는데 서류가 반려됐다는 말만 있고 이유를 몰라요",
        "보험금 청구했는데 이유도 없이 반려됐어",
        ["진료비 영수증", "입원 확인서", "약제비", "치과 치료"],
    ),
    (
        "송금·이체",
        "자동이체 출금 실패 사전 알림 없음, 연체 발생",
        "잔액이 모자라 자동이체가 안 됐는데 미리 알려주지 않아서 연체됐어요",
        "자동이체 빠지는 날 잔액 부족하다고 미리 좀 알려주지",
        ["통신비", "보험료", "관리비", "적금"],
    ),
    (
        "기타",
        "ATM 카드 걸림, 회수 절차 문의",
        "ATM에 카드가 걸려서 안 나왔는데 어떻게 찾는지 모르겠어요",
        "ATM이 카드를 먹었는데 어떻게 찾아",
        ["편의점 ATM", "지점 마감 후", "주말 오후", "역 안 ATM"],
    ),
    (
        "기타",
        "앱 업데이트 후 로그인 오류 반복",
        "앱을 업데이트했더니 로그인이 계속 안 돼요",
        "앱 업데이트하고 나서 로그인이 안 돼",
        ["간편 비밀번호", "지문 로그인", "얼굴 인증", "공동인증서 로그인"],
    ),
    (
        "카드",
        "연회비 청구 사전 안내 없음, 환불 문의",
        "연회비가 나간다는 안내도 없이 빠져나갔어요",
        "연회비 빠진다는 말도 없이 그냥 빠져나갔네",
        ["안 쓰는 카드", "첫해 면제 끝", "해지하려던 카드", "가족카드"],
    ),
]
# How a counsellor's note begins (the note's own words follow), and how people said it on the
# phone, as the log wrote them down.
CALL_NOTES = ["고객 문의: {note}", "[상담 메모] {note}", "민원 접수 - {note}", "콜백 요청. {note}"]
CALL_SAID = ['고객 말씀: "{said}"', "{said}", "고객이 {said}라고 함"]
CALL_DETAILS = ["({detail})", "- {detail}", "상황: {detail}."]
# Personal data people gave on the phone, which the import masks before anything is stored.
CALL_PERSONAL = [
    "회신 번호 010-{a:04d}-{b:04d}",
    "고객 연락처 010 {a:04d} {b:04d}",
    "출금 계좌 110-{c:03d}-{b:06d}",
    "결과는 메일 customer{a}@naver.com 으로 요청",
]
CALL_LINES = 200


def call_centre_log(today, days: int, seed: int) -> bytes:
    """CALL_LINES lines of a call centre's log as CSV (내용, 날짜, 분야, 경로), each a different
    text, dated over the `days` days before `today`; about one in six carries personal data."""
    rng = random.Random(seed)
    lines, seen = [], set()
    while len(lines) < CALL_LINES:
        category, note, haeyo, banmal, details = rng.choice(CALL_PROBLEMS)
        style = rng.random()
        if style < 0.45:
            text = rng.choice(CALL_NOTES).format(note=note)
        elif style < 0.75:
            text = rng.choice(CALL_SAID).format(said=haeyo)
        else:
            text = rng.choice(CALL_SAID[:2]).format(said=banmal)
        text = f"{text} {rng.choice(CALL_DETAILS).format(detail=rng.choice(details))}"
        if text in seen:
            continue
        seen.add(text)
        if rng.random() < 0.17:  # a unique text already: masking cannot make two lines one
            a, b, c = rng.randint(1000, 9999), rng.randint(1000, 9999), rng.randint(100, 999)
            text = f"{text} {rng.choice(CALL_PERSONAL).format(a=a, b=b, c=c)}"
        when = today - timedelta(days=rng.randint(1, days))
        lines.append(
            (
                text,
                f"{when.isoformat()} {rng.randint(9, 17):02d}:{rng.choice([0, 30]):02d}",
                category,
            )
        )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["내용", "날짜", "분야", "경로"])
    for text, when, category in lines:
        writer.writerow([text, when, category, "전화 상담"])
    return out.getvalue().encode("utf-8")


def load_demo(*, thresholds: dict[str, float], seed: int = 2020) -> Campaign:
    """Create the demo campaign and its moments, spread over the past three weeks, grouped, with
    fixes at every stage (개선 중 and 개선 완료, one growing again after it shipped), answers to
    "해결됐나요?" and two clusters on 듣고 있어요; its sources (two silent), moments in English,
    and a call centre's log of CALL_LINES lines imported last, which the worker settles."""
    now = utcnow()
    today = campaigns.local_today(now)
    campaign = campaigns.create_campaign(
        slug=SLUG,
        title="금융이 불편한 순간",
        question="금융이 불편했던 순간, 언제였나요?",
        intro=(
            "송금, 카드, 대출, 투자, 보험까지, 돈을 다루다 불편했던 순간을 들려주세요. "
            "모인 이야기는 하나씩 살펴보고 고쳐요."
        ),
        title_en="Moments when money got in the way",
        question_en="When did banking or paying get in your way?",
        intro_en=(
            "Sending money, cards, loans, investing, insurance: tell us about a moment that "
            "got in your way. We read every story and fix what we can."
        ),
        categories=CATEGORIES,
        channels=CHANNELS,
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=90),
    )
    for name in TEAMS:
        db.session.add(Team(name=name))
    for name, code, description in SOURCES:  # put up before the campaign opened
        sources.add_source(
            campaign,
            name=name,
            code=code,
            description=description,
            by=None,
            now=now - timedelta(days=22),
        )
    rng = random.Random(seed)
    recent = submissions.RecentSubmissions()
    told: dict[str, submissions.Submitted] = {}
    # "얼마나 불편했나요?": about a third skip it, as on a real form. A generator of its own, so
    # the moments' times (drawn from `rng`) stay what they were.
    answers = random.Random(seed + 1)
    places, english = random.Random(seed + 2), random.Random(seed + 3)

    def tell(i: int, category, channel, body, suggestion, when) -> None:
        told[body] = submissions.submit_moment(
            campaign,
            body=body,
            suggestion=suggestion,
            category=category,
            channel=channel,
            now=when,
            client=f"demo-{i}",
            recent=recent,
            acknowledged=submissions.SEND_MASKED,
            severity=answers.choice([None, None, 1, 2, 3, 3, 4, 4, 5]),
            source=_source_for(channel, places),
        )

    # The untimed moments arrived before any fix shipped (4 to 20 days ago).
    for i, (category, channel, body, suggestion) in enumerate(MOMENTS):
        tell(
            i,
            category,
            channel,
            body,
            suggestion,
            now - timedelta(hours=rng.randint(4 * 24, 20 * 24)),
        )
    for i, (days, category, channel, body) in enumerate(TIMED, len(MOMENTS)):
        tell(i, category, channel, body, None, now - timedelta(days=days, hours=rng.randint(1, 5)))
    # Settled here, as the worker would have as they arrived, before the first re-clustering.
    waiting = arrival.waiting(campaign.id, limit=len(told))
    arrival.settle(
        campaign.id,
        [mid for mid, _ in waiting],
        arrival.meanings(waiting),
        thresholds=thresholds,
        now=now,
    )
    recluster.run(campaign, thresholds=thresholds)
    teams = {t.name: t for t in db.session.scalars(select(Team))}
    moments = {body: result.moment for body, result in told.items()}
    for about, body in [(spec["about"], spec["answers"]) for spec in FIXES] + [
        (e[4], e[0]) for e in LISTENING
    ]:
        _demo_tidy(moments[body].cluster, about, campaign)
    made = [_demo_fix(campaign, spec, moments, teams, now) for spec in FIXES]
    _demo_answers(made[0], told, today)
    for body, status, title, note, _ in LISTENING:
        cluster = moments[body].cluster
        if cluster is not None:
            decisions.set_status(cluster, ClusterStatus.PLANNED, by=None)
            decisions.set_status(cluster, status, by=None)
            decisions.set_public(cluster, title=title, note=note, listed=True, by=None)
    _demo_triage(
        made, [moments[body].cluster for body, *_ in LISTENING], list(moments.values()), rng
    )
    # Told last and left to the worker, which settles and places them as they would have been:
    # moments in English (`flask demo` never loads the English word pieces itself), and the call
    # centre's log, imported as `flask import-moments` does (the same reading, masking and
    # duplicate check).
    for i, (category, channel, body, suggestion) in enumerate(ENGLISH, len(told)):
        when = now - timedelta(hours=english.randint(2 * 24, 18 * 24))
        tell(i, category, channel, body, suggestion, when)
    imports.import_moments(
        campaign,
        call_centre_log(today, days=20, seed=seed + 4),
        filename="callcentre.csv",
        now=now,
        dry_run=False,
        by=None,
    )
    return campaign


def _demo_tidy(cluster, about: str, campaign: Campaign) -> None:
    """What a moderator does before answering a group: take out the moments that are about
    something else, and merge in the other groups that are all about this."""
    if cluster is None:
        return
    for moment in decisions.members(cluster):
        if about not in moment.body:
            decisions.move(moment, None, by=None)
    others = list(
        db.session.scalars(
            select(Cluster).where(
                Cluster.campaign_id == campaign.id,
                Cluster.id != cluster.id,
                Cluster.merged_into_id.is_(None),
            )
        )
    )
    for other in others:
        members = decisions.members(other)
        if members and all(about in m.body for m in members):
            decisions.merge(other, cluster, by=None)


def _demo_triage(made: list[Fix], listed: list, moments: list[Moment], rng: random.Random) -> None:
    """The desk's work so far: moments that led to a fix and those in the listed clusters
    confirmed as grouped, a few others under review, each a few hours to two days after it
    arrived; what came in after a fix shipped still waits."""
    led = {m.id for fix in made for m in db.session.scalars(fixes.moments_query(fix))}
    listed_ids = {c.id for c in listed if c is not None}
    grouped = [m for m in moments if m.id in led or m.cluster_id in listed_ids]
    others = [
        m
        for m in moments
        if m.status is MomentStatus.RECEIVED
        and m not in grouped
        and not fixes.published_for(m).already
    ][::4]
    for chosen, status in ((grouped, MomentStatus.GROUPED), (others, MomentStatus.IN_REVIEW)):
        for moment in chosen:
            done = moderation.set_status([moment], status, by=None)
            for event in audit.batch_events(done.batch) if done.batch else []:
                event.at = moment.received_hour + timedelta(hours=rng.randint(2, 48))


def _demo_answers(fix: Fix, told: dict[str, submissions.Submitted], today) -> None:
    """People whose moments led to the maintenance fix answer "해결됐나요?" on their receipts."""
    led = [
        result.moment
        for result in told.values()
        if fix in fixes.published_for(result.moment).led_to
    ]
    for moment, (resolved, note) in zip(led, ANSWERS, strict=False):
        loop.answer(moment, resolved=resolved, note=note, today=today)


# Fixes as Toss published them, told as what people can now do, each answering a demo cluster.
FIXES = [
    {
        "title": "점검 시간에도 이체를 예약할 수 있어요",
        "category": "송금·이체",
        "team": "송금팀",
        "days_ago": 3,
        "summary": "은행 점검 시간에 이체를 예약해 두면, 점검이 끝나자마자 자동으로 보내드려요.",
        "before": (
            "밤 11시 30분부터 새벽까지 은행 점검 시간에는 이체를 할 수 없었어요. "
            "월세나 카드값처럼 급한 돈도 다음 날까지 기다려야 했어요."
        ),
        "after": (
            "점검 시간에 이체를 예약하면 점검이 끝나는 대로 보내고, 보낸 뒤 알림으로 알려드려요."
        ),
        "body": (
            "### 이렇게 쓰세요\n\n1. 평소처럼 받는 분과 금액을 입력해요.\n2. "
            "점검 중이라는 안내가 나오면 **예약하기**를 눌러요.\n3. "
            "점검이 끝나면 자동으로 보내고 알림을 드려요.\n\n"
            "예약은 점검이 끝나기 전까지 언제든 취소할 수 있어요."
        ),
        "answers": "은행 점검 시간이라 밤에 이체가 안 돼요. 월세 날인데 곤란했어요.",
        "about": "점검",
        "quote": "밤에 월세를 보내려는데 은행 점검 시간이라 이체가 안 됐어요.",
        "published": True,
        "notes": [
            (12, "점검 시간 예약 이체를 만들기 시작했어요."),
            (3, "모든 은행 계좌에서 쓸 수 있게 됐어요."),
        ],
    },
    {
        "title": "금리를 낮춰 달라고 요청할 수 있을 때 알려드려요",
        "category": "대출",
        "team": "대출팀",
        "days_ago": 4,
        "summary": (
            "신용점수가 오르거나 소득이 늘어 금리인하요구권을 쓸 수 있게 되면 알림을 보내드려요."
        ),
        "before": "금리인하요구권이 있다는 것도, 언제 쓸 수 있는지도 직접 찾아봐야 알 수 있었어요.",
        "after": "쓸 수 있는 때가 되면 알림을 드리고, 알림에서 바로 신청할 수 있어요.",
        "answers": "금리인하요구권이 있는 줄도 몰랐어요. 미리 알려주면 좋겠어요.",
        "about": "금리인하요구권",
        "quote": "금리인하요구권이 있는 줄도 몰랐어요.",
        "published": True,
        "notes": [],
    },
    {
        "title": "의심 문자를 앱에서 바로 신고할 수 있어요",
        "category": "인증·보안",
        "team": "보안팀",
        "days_ago": None,
        "summary": (
            "보이스피싱이 의심되는 문자를 받으면 앱 안에서 바로 신고할 수 있게 만들고 있어요."
        ),
        "before": "의심 문자를 받아도 어디에 신고해야 하는지 찾기 어려웠어요.",
        "after": "앱의 '의심 문자 신고'에 문자를 붙여 넣으면 바로 신고돼요.",
        "answers": "보이스피싱 의심 문자를 앱에서 바로 신고할 수 없어서 불편했어요.",
        "about": "보이스피싱",
        "quote": None,
        "published": True,
        "notes": [(2, "신고 화면을 만들고 있어요.")],
    },
]


def _demo_fix(
    campaign: Campaign, spec: dict, told: dict[str, Moment], teams: dict[str, Team], now
) -> Fix:
    today = campaigns.local_today(now)
    moment = told[spec["answers"]]
    shipped = today - timedelta(days=spec["days_ago"]) if spec["days_ago"] is not None else None
    fix = fixes.create_fix(
        campaign,
        fixes.FixFields(
            title=spec["title"],
            summary=spec["summary"],
            before=spec["before"],
            after=spec["after"],
            body=spec.get("body", ""),
            category=spec["category"],
            team=teams.get(spec["team"]),
            shipped_on=shipped,
        ),
        by=None,
    )
    if moment.cluster is not None:
        fixes.link_cluster(fix, moment.cluster, by=None)
        decisions.route(
            moment.cluster,
            teams.get(spec["team"]),
            by=None,
            reason="개선 사례를 맡은 팀이에요",
            now=now,
        )
    else:
        fixes.link_moment(fix, moment, by=None)
    if spec["quote"]:
        fixes.add_quote(fix, moment, spec["quote"], by=None)
    for days, text in spec["notes"]:
        fixes.add_note(fix, today - timedelta(days=days), text, by=None)
    fixes.set_progress(fix, FixProgress.IN_PROGRESS, by=None)
    if shipped is not None:
        fixes.set_progress(fix, FixProgress.DONE, by=None)
    if spec["published"]:
        fixes.publish(fix, by=None, now=now - timedelta(days=spec["days_ago"] or 1))
    return fix


def is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Campaign))
