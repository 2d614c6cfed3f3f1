"""Korean labels for the enums, in one place for forms and templates."""

from campaign.audit import AuditAction
from campaign.i18n import _l
from campaign.models import (
    ClusterStatus,
    DeliveryState,
    DigestFrequency,
    FixProgress,
    FixState,
    HiddenReason,
    JobState,
    MomentStatus,
    Role,
)

STATUS_LABELS = {
    MomentStatus.RECEIVED: "접수",
    MomentStatus.IN_REVIEW: "검토 중",
    MomentStatus.GROUPED: "묶음 완료",
    MomentStatus.HIDDEN: "숨김",
}
HIDDEN_LABELS = {
    HiddenReason.SPAM: "스팸",
    HiddenReason.ABUSE: "욕설",
    HiddenReason.IRRELEVANT: "관련 없음",
    HiddenReason.PERSONAL_DATA: "개인정보",
}
# "얼마나 불편했나요?" on the form, 1 to 5; the desk shows the number with its words.
SEVERITY_LABELS = {
    1: _l("살짝 불편했어요"),
    2: _l("꽤 번거로웠어요"),
    3: _l("많이 불편했어요"),
    4: _l("하려던 일을 끝내 못 했어요"),
    5: _l("돈이나 시간을 크게 잃었어요"),
}
ROLE_LABELS = {Role.ADMIN: "관리자", Role.MODERATOR: "모더레이터", Role.VIEWER: "열람자"}
JOB_STATE_LABELS = {
    JobState.QUEUED: "기다리는 중",
    JobState.RUNNING: "처리 중",
    JobState.DONE: "끝남",
    JobState.FAILED: "실패",
}
TARGET_LABELS = {
    "moment": "이야기",
    "moderator": "계정",
    "tag": "태그",
    "team": "팀",
    "urgent_rule": "긴급 단어",
    "campaign": "캠페인",
    "batch": "작업 묶음",
}
CLUSTER_STATUS_LABELS = {
    ClusterStatus.OPEN: "열림",
    ClusterStatus.PLANNED: "개선 예정",
    ClusterStatus.IN_PROGRESS: "개선 중",
    ClusterStatus.DONE: "개선 완료",
    ClusterStatus.ON_HOLD: "보류",
}
TARGET_LABELS["cluster"] = "묶음"
FIX_STATE_LABELS = {
    FixState.DRAFT: "초안",
    FixState.PUBLISHED: "공개",
    FixState.RETRACTED: "공개 취소",
}
FIX_PROGRESS_LABELS = {
    FixProgress.PLANNED: _l("개선 예정"),
    FixProgress.IN_PROGRESS: _l("개선 중"),
    FixProgress.DONE: _l("개선 완료"),
}
TARGET_LABELS["fix"] = "개선 사례"
TARGET_LABELS["webhook_endpoint"] = "웹훅 주소"
TARGET_LABELS["team_digest"] = "팀 요약 메일"
DELIVERY_STATE_LABELS = {
    DeliveryState.PENDING: "다시 보낼 차례를 기다려요",
    DeliveryState.SENDING: "보내는 중",
    DeliveryState.DELIVERED: "전달됨",
    DeliveryState.FAILED: "실패",
}
DIGEST_FREQUENCY_LABELS = {
    DigestFrequency.OFF: "보내지 않기",
    DigestFrequency.DAILY: "매일 아침",
    DigestFrequency.WEEKLY: "매주 월요일 아침",
}
# Every audit action, in the enum's order (a test checks none is missing).
ACTION_LABELS = {
    AuditAction.STATUS: "상태 변경",
    AuditAction.HIDE: "숨김",
    AuditAction.RESTORE: "되살림",
    AuditAction.TAG_ADD: "태그 달기",
    AuditAction.TAG_REMOVE: "태그 떼기",
    AuditAction.ROUTE: "팀 지정",
    AuditAction.MASK: "개인정보 가림",
    AuditAction.UNDO: "되돌리기",
    AuditAction.TAG_CREATE: "태그 만들기",
    AuditAction.TAG_RENAME: "태그 이름 변경",
    AuditAction.TAG_MERGE: "태그 합치기",
    AuditAction.TEAM_CREATE: "팀 만들기",
    AuditAction.TEAM_RENAME: "팀 이름 변경",
    AuditAction.URGENT_RULE_ADD: "긴급 단어 추가",
    AuditAction.URGENT_RULE_REMOVE: "긴급 단어 삭제",
    AuditAction.ACCOUNT_CREATE: "계정 만들기",
    AuditAction.ACCOUNT_ROLE: "권한 변경",
    AuditAction.ACCOUNT_PASSWORD: "비밀번호 변경",
    AuditAction.ACCOUNT_ACTIVATE: "계정 켜기",
    AuditAction.ACCOUNT_DEACTIVATE: "계정 끄기",
    AuditAction.CAMPAIGN_CREATE: "캠페인 만들기",
    AuditAction.CAMPAIGN_UPDATE: "캠페인 수정",
    AuditAction.CAMPAIGN_CLOCKS: "캠페인 기한 변경",
    AuditAction.MOMENTS_IMPORT_CHECK: "가져오기 미리 보기",
    AuditAction.MOMENTS_IMPORT: "이야기 가져오기",
    AuditAction.SOURCE_ADD: "출처 추가",
    AuditAction.SOURCE_RENAME: "출처 이름 바꾸기",
    AuditAction.SOURCE_RETIRE: "출처 그만 쓰기",
    AuditAction.CLUSTER_RENAME: "묶음 이름 변경",
    AuditAction.CLUSTER_LOCK: "묶음 고정",
    AuditAction.CLUSTER_UNLOCK: "묶음 고정 해제",
    AuditAction.CLUSTER_STATUS: "묶음 상태 변경",
    AuditAction.CLUSTER_ROUTE: "묶음 팀 지정",
    AuditAction.CLUSTER_MERGE: "묶음 합치기",
    AuditAction.CLUSTER_UNMERGE: "묶음 합치기 취소",
    AuditAction.CLUSTER_SPLIT: "묶음 나누기",
    AuditAction.CLUSTER_MOVE: "묶음 옮기기",
    AuditAction.RECLUSTER: "다시 묶기",
    AuditAction.CLUSTER_TAG: "묶음 전체 태그",
    AuditAction.CLUSTER_HIDE: "묶음 전체 숨김",
    AuditAction.CLUSTER_PUBLIC: "듣고 있어요 설정",
    AuditAction.ESCALATION_CLEAR: "확인 필요 묶음 정리",
    AuditAction.NOTE_ADD: "메모 남김",
    AuditAction.NOTE_REMOVE: "메모 지움",
    AuditAction.FIX_CREATE: "개선 사례 만들기",
    AuditAction.FIX_UPDATE: "개선 사례 수정",
    AuditAction.FIX_PROGRESS: "개선 진행 상태 변경",
    AuditAction.FIX_NOTE: "진행 소식 추가",
    AuditAction.FIX_NOTE_REMOVE: "진행 소식 삭제",
    AuditAction.FIX_LINK_CLUSTER: "묶음 잇기",
    AuditAction.FIX_UNLINK_CLUSTER: "묶음 잇기 취소",
    AuditAction.FIX_LINK_MOMENT: "이야기 잇기",
    AuditAction.FIX_UNLINK_MOMENT: "이야기 잇기 취소",
    AuditAction.FIX_QUOTE: "인용 추가",
    AuditAction.FIX_QUOTE_EDIT: "인용 다듬기",
    AuditAction.FIX_QUOTE_REMOVE: "인용 삭제",
    AuditAction.FIX_PUBLISH: "공개",
    AuditAction.FIX_RETRACT: "공개 취소",
    AuditAction.EXPORT: "내보내기",
    AuditAction.SIGN_IN: "로그인",
    AuditAction.SIGN_IN_FAILED: "로그인 실패",
    AuditAction.SIGN_IN_THROTTLED: "로그인 잠시 막힘",
    AuditAction.SIGN_OUT: "로그아웃",
    AuditAction.SIGN_IN_PASSWORD: "비밀번호 확인(인증 코드 대기)",
    AuditAction.TWO_FACTOR_ENROL: "2단계 인증 등록",
    AuditAction.TWO_FACTOR_OK: "2단계 인증 통과",
    AuditAction.TWO_FACTOR_RECOVERY: "복구 코드 사용",
    AuditAction.TWO_FACTOR_FAILED: "2단계 인증 실패",
    AuditAction.TWO_FACTOR_RESET: "2단계 인증 초기화",
    AuditAction.WEBHOOK_CREATE: "웹훅 주소 만들기",
    AuditAction.WEBHOOK_ENABLE: "웹훅 주소 켜기",
    AuditAction.WEBHOOK_DISABLE: "웹훅 주소 끄기",
    AuditAction.WEBHOOK_DELETE: "웹훅 주소 삭제",
    AuditAction.WEBHOOK_TEST: "웹훅 시험 보내기",
    AuditAction.DIGEST_SETTINGS: "팀 요약 메일 설정",
    AuditAction.BRIEF_SEND: "묶음 브리프 보내기",
}
