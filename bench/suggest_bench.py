"""이미 고쳤어요: how often the top suggestion is the right fix, on the development complaints.

    .venv/bin/python bench/suggest_bench.py               # the product's threshold, and a sweep
    CAMPAIGN_ENCODER=off .venv/bin/python bench/suggest_bench.py   # spelling only
    .venv/bin/python bench/suggest_bench.py --untouched   # the untouched complaints (once)

Two thirds of the 45 labelled problems get a fix (every problem but each third one in name
order), with the short title, before and after a moderator would write (below, written for this
bench from the problem, never from the queried texts) and the first half of the problem's
moments as the moments it answers. Queries are the other half of those problems' moments (the
right answer is that fix) and every moment of the problems without a fix (the right answer is
no suggestion). Each query goes through `suggestions.match` as a request would: one encoding
and the product, timed.

Printed: top-1 accuracy (queries with a fix whose top suggestion is it), the share of those with
no suggestion and with a wrong one, the false-suggestion rate (queries without a fix that got
any suggestion), and the time per request. The untouched file is read only with --untouched.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# problem -> (title, before, after), as a desk would publish it.
FIXES = {
    "annual-fee-refund-after-cancel": (
        "카드를 해지하면 남은 연회비를 날짜만큼 돌려드려요",
        "해지해도 받은 혜택 비용을 빼고 환급해서 얼마를 돌려받는지 알기 어려웠어요",
        "해지 화면에서 돌려받을 연회비와 계산 방법을 미리 보여드려요",
    ),
    "annual-fee-surprise": (
        "연회비가 나가기 한 달 전에 미리 알려드려요",
        "연회비가 청구된 뒤에야 알게 됐어요",
        "청구 30일 전에 금액과 날짜를 알림으로 보내드려요",
    ),
    "ars-long-wait": (
        "전화 상담 메뉴를 줄이고 상담원 연결을 맨 앞에 뒀어요",
        "ARS 메뉴가 길고 상담원 연결까지 오래 기다려야 했어요",
        "0번을 누르면 바로 상담원 대기로 넘어가고 예상 대기 시간을 알려드려요",
    ),
    "atm-fees": (
        "ATM 수수료를 출금 전에 미리 보여드려요",
        "다른 은행 ATM에서 수수료가 얼마인지 출금한 뒤에야 알 수 있었어요",
        "출금 금액을 누르기 전에 수수료를 화면에 보여드려요",
    ),
    "branch-closure": (
        "닫는 지점의 업무를 가까운 지점과 앱에서 이어서 할 수 있어요",
        "다니던 지점이 갑자기 문을 닫아 먼 곳까지 가야 했어요",
        "폐점 석 달 전에 알려드리고 옮겨 갈 지점을 고르실 수 있어요",
    ),
    "branch-queue-wait": (
        "지점 대기 번호를 앱에서 미리 받을 수 있어요",
        "지점에 가서 번호표를 뽑고 오래 기다려야 했어요",
        "앱에서 번호표를 받고 내 차례가 가까워지면 알림을 받아요",
    ),
    "card-reissue-delivery-slow": (
        "재발급 카드를 원하는 날짜와 장소로 받을 수 있어요",
        "재발급 카드가 언제 올지 몰라 등기를 계속 놓쳤어요",
        "배송 날짜를 고르고 배송 상황을 앱에서 볼 수 있어요",
    ),
    "card-reissue-fee": (
        "카드가 고장 나서 재발급할 때는 수수료를 받지 않아요",
        "칩이 고장 난 카드를 바꾸는데도 재발급 수수료를 냈어요",
        "훼손이나 고장으로 바꾸는 카드는 무료로 다시 만들어 드려요",
    ),
    "certificate-new-phone-move": (
        "새 휴대폰으로 인증서를 QR 한 번으로 옮길 수 있어요",
        "휴대폰을 바꾸면 인증서 복사에 긴 숫자를 제한 시간 안에 입력해야 했어요",
        "예전 휴대폰으로 QR을 찍으면 인증서가 옮겨져요",
    ),
    "certificate-renewal": (
        "인증서가 만료되기 전에 앱에서 자동으로 갱신해요",
        "해마다 인증서를 직접 갱신해야 했어요",
        "만료 전에 동의만 하면 자동으로 갱신돼요",
    ),
    "child-account-opening": (
        "자녀 계좌를 지점에 가지 않고 앱에서 만들 수 있어요",
        "미성년 자녀 계좌를 만들려면 서류를 들고 지점에 가야 했어요",
        "가족관계 확인을 앱에서 하고 바로 계좌를 열 수 있어요",
    ),
    "deceased-account-inheritance": (
        "가족이 돌아가셨을 때 장례비는 계좌에서 바로 찾을 수 있어요",
        "사망 신고 뒤 계좌가 바로 묶여 장례비를 낼 수 없었어요",
        "상속 절차 전에도 장례비는 증빙과 함께 찾을 수 있고 필요한 서류를 한 번에 안내해요",
    ),
    "double-charge": (
        "같은 곳에서 두 번 결제되면 바로 알려드려요",
        "중복 결제를 한참 뒤에야 알았어요",
        "같은 금액이 짧은 시간에 두 번 결제되면 알림을 보내고 취소를 도와드려요",
    ),
    "face-id-glasses-fail": (
        "안경을 써도 얼굴 인증이 잘 되게 바꿨어요",
        "안경을 쓰면 얼굴 인식이 자꾸 실패했어요",
        "안경 쓴 얼굴도 등록할 수 있고 실패하면 바로 다른 방법을 고를 수 있어요",
    ),
    "fraud-money-lost-recovery": (
        "사기로 보낸 돈은 한 번의 신고로 지급 정지까지 해 드려요",
        "사기를 당하고 어디에 연락해야 돈을 묶을 수 있는지 돌고 돌았어요",
        "앱에서 사기 피해 신고를 하면 받은 은행에 바로 지급 정지를 요청해요",
    ),
    "fraud-text-no-report": (
        "의심 문자를 앱에서 바로 신고할 수 있어요",
        "사칭 문자를 받아도 어디에 신고하는지 몰랐어요",
        "문자를 붙여 넣으면 확인하고 신고까지 이어서 해 드려요",
    ),
    "insurance-claim-receipt-rejected": (
        "보험금 청구 서류를 사진으로 올려도 반려되지 않게 바꿨어요",
        "영수증 사진이 흐리거나 용량이 크다고 청구가 반려됐어요",
        "사진을 알아서 줄이고 흐리면 올리기 전에 알려드려요",
    ),
    "insurance-claim-slow-payout": (
        "보험금을 청구하면 3일 안에 받을 수 있어요",
        "청구하고 보험금을 받기까지 몇 주가 걸렸어요",
        "소액 청구는 3영업일 안에 지급하고 심사 단계를 보여드려요",
    ),
    "joint-account-couples": (
        "가족카드 한도를 쓰는 사람도 직접 바꿀 수 있어요",
        "가족카드 한도는 본회원만 바꿀 수 있었어요",
        "본회원이 허락하면 가족회원이 한도를 조정할 수 있어요",
    ),
    "limited-account-transfer-cap": (
        "한도 제한 계좌를 소득 증빙 없이도 풀 수 있어요",
        "소득 증빙이 없으면 이체 한도 제한을 풀 수 없었어요",
        "거래 기록이나 다른 서류로도 한도 제한을 풀 수 있어요",
    ),
    "maintenance-end-time-unknown": (
        "점검 화면에 끝나는 시간을 보여드려요",
        "점검 중이라는 말만 있고 언제 끝나는지 알 수 없었어요",
        "점검 화면에 끝나는 예정 시각과 남은 시간을 적어 드려요",
    ),
    "maintenance-hours-transfer": (
        "이제 밤 12시 점검 시간에도 송금할 수 있어요",
        "자정 전후 은행 점검 시간에는 이체가 막혀 다음 날 다시 해야 했어요",
        "점검 시간에도 송금을 받아 두었다가 점검이 끝나면 바로 보내드려요",
    ),
    "otp-device-battery": (
        "OTP 기기 배터리가 다 되면 앱 OTP로 바로 바꿀 수 있어요",
        "OTP 기기 화면이 흐려지거나 꺼지면 지점에 가서 바꿔야 했어요",
        "앱에서 모바일 OTP를 바로 발급받을 수 있어요",
    ),
    "overseas-payment-blocked": (
        "해외 결제가 막히면 앱에서 바로 풀 수 있어요",
        "해외에서 결제가 막히면 국제전화로 본인 확인을 해야 했어요",
        "앱에서 본인 인증 후 해외 결제 제한을 바로 해제할 수 있어요",
    ),
    "overseas-stock-tax": (
        "해외 주식 양도소득세 신고를 앱에서 대신 해 드려요",
        "해외 주식 세금을 직접 계산하고 신고해야 했어요",
        "양도소득을 계산해 신고서를 만들어 드리고 신고 대행도 신청할 수 있어요",
    ),
    "password-lock-branch-visit": (
        "비밀번호가 잠겨도 어느 지점이나 앱에서 풀 수 있어요",
        "비밀번호 오류로 잠기면 계좌를 만든 지점에 가야 했어요",
        "앱에서 본인 확인 후 바로 비밀번호를 다시 정할 수 있어요",
    ),
    "rate-cut-right-not-notified": (
        "금리인하요구권을 쓸 수 있으면 먼저 알려드려요",
        "금리를 낮춰 달라고 할 수 있는지 몰랐고 신청 메뉴도 찾기 어려웠어요",
        "조건이 되면 알림을 보내고 대출 화면에서 바로 신청할 수 있어요",
    ),
    "screen-reader-labels": (
        "화면 읽기 프로그램이 이체 화면의 모든 칸을 읽어요",
        "보이스오버로 금액 입력칸과 버튼 이름을 들을 수 없었어요",
        "모든 입력칸과 버튼에 이름을 달았어요",
    ),
    "stock-app-freeze-market-open": (
        "장 시작할 때도 증권 앱이 멈추지 않게 서버를 늘렸어요",
        "장 시작 직후 앱이 멈추고 호가가 안 바뀌었어요",
        "장 시작 시간에 서버를 늘리고 시세가 늦으면 화면에 알려드려요",
    ),
    "stock-order-notification": (
        "주문 체결 알림을 광고와 따로 받을 수 있어요",
        "체결 알림이 광고 푸시에 섞여 놓쳤어요",
        "체결 알림은 광고를 꺼도 따로 와요",
    ),
}


def read(name: str) -> list[dict]:
    path = ROOT / "bench" / "data" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run(rows: list[dict], thresholds: list[float], titled: bool = True) -> None:
    """`titled`: the fixes carry the titles written above (development problems). The untouched
    problems have none written (writing them would mean reading that set), so there every
    problem but each third one in name order gets a fix whose title is the first of the moments
    it answers, as if the desk had quoted one, and no before/after."""
    from campaign import suggestions
    from campaign.clustering import encoder

    by_problem: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_problem[row["problem"]].append(row["text"])
    cards, moments, queries = [], [], []
    for number, problem in enumerate(sorted(by_problem)):
        texts = by_problem[problem]
        if problem in FIXES if titled else number % 3 != 2:
            half = len(texts) // 2
            title, before, after = FIXES[problem] if titled else (texts[0], "", "")
            cards.append(suggestions.Card(number, problem, title, "", before, after))
            moments.append([(text, None) for text in texts[:half]])
            queries += [(text, number) for text in texts[half:]]
        else:
            queries += [(text, None) for text in texts]
    print(
        f"{len(cards)} fixes from {sum(map(len, moments))} moments; {len(queries)} queries "
        f"({sum(1 for _, a in queries if a is None)} with no fix); "
        f"encoder {'on' if encoder.available() else 'off (spelling only)'}"
    )
    started = time.perf_counter()
    profiles = suggestions.build(cards, moments)
    print(f"profiles built in {time.perf_counter() - started:.1f} s")
    suggestions.match(profiles, "은행 점검 시간이라 밤에 이체가 안 돼요")  # warm
    timings, scored = [], []
    for text, answer in queries:
        started = time.perf_counter()
        query = suggestions.vector(profiles, text)
        found = suggestions.scores(profiles, query) if query is not None else None
        timings.append(time.perf_counter() - started)
        scored.append((found, answer, len(text.strip()) >= suggestions.MIN_CHARS))
    product = suggestions.threshold(profiles)
    print(
        f"\nper request (encoding + scores): median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms"
    )
    print("\nthreshold  top-1 right  none  wrong   false suggestions (no fix)")
    for floor in sorted({*thresholds, product}):
        right = none = wrong = false = with_fix = without = 0
        for found, answer, long_enough in scored:
            best = None
            if found is not None and long_enough and found.max() >= floor:
                best = cards[int(found.argmax())].id
            if answer is None:
                without += 1
                false += best is not None
            else:
                with_fix += 1
                right += best == answer
                none += best is None
                wrong += best is not None and best != answer
        mark = "  <- the product's" if floor == product else ""
        print(
            f"  {floor:.2f}     {right / with_fix:6.1%}   {none / with_fix:6.1%} "
            f"{wrong / with_fix:6.1%}   {false / without:6.1%}{mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--untouched", action="store_true", help="the untouched set (once)")
    parser.add_argument(
        "--thresholds", type=float, nargs="*", default=[0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
    )
    args = parser.parse_args()
    print("development complaints (bench/data/complaints_dev.jsonl)")
    run(read("complaints_dev.jsonl"), args.thresholds)
    if args.untouched:
        print("\nuntouched complaints (bench/data/complaints_untouched.jsonl)")
        run(read("complaints_untouched.jsonl"), args.thresholds, titled=False)


if __name__ == "__main__":
    main()
