"""Labels for the enums, in one place for forms and templates: Korean marked `_l` (lazy), so each
shows in the reader's language when rendered. Put one into JSON or a flash with `str()`."""

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
    MomentStatus.RECEIVED: _l("접수"),
    MomentStatus.IN_REVIEW: _l("검토 중"),
    MomentStatus.GROUPED: _l("묶음 완료"),
    MomentStatus.HIDDEN: _l("숨김"),
}
HIDDEN_LABELS = {
    HiddenReason.SPAM: _l("스팸"),
    HiddenReason.ABUSE: _l("욕설"),
    HiddenReason.IRRELEVANT: _l("관련 없음"),
    HiddenReason.PERSONAL_DATA: _l("개인정보"),
}
# "얼마나 불편했나요?" on the form, 1 to 5; the desk shows the number with its words.
SEVERITY_LABELS = {
    1: _l("살짝 불편했어요"),
    2: _l("꽤 번거로웠어요"),
    3: _l("많이 불편했어요"),
    4: _l("하려던 일을 끝내 못 했어요"),
    5: _l("돈이나 시간을 크게 잃었어요"),
}
ROLE_LABELS = {
    Role.ADMIN: _l("관리자"),
    Role.MODERATOR: _l("모더레이터"),
    Role.VIEWER: _l("열람자"),
}
JOB_STATE_LABELS = {
    JobState.QUEUED: _l("기다리는 중"),
    JobState.RUNNING: _l("처리 중"),
    JobState.DONE: _l("끝남"),
    JobState.FAILED: _l("실패"),
}
TARGET_LABELS = {
    "moment": _l("이야기"),
    "moderator": _l("계정"),
    "tag": _l("태그"),
    "team": _l("팀"),
    "urgent_rule": _l("긴급 단어"),
    "campaign": _l("캠페인"),
    "batch": _l("작업 묶음"),
}
CLUSTER_STATUS_LABELS = {
    ClusterStatus.OPEN: _l("열림"),
    ClusterStatus.PLANNED: _l("개선 예정"),
    ClusterStatus.IN_PROGRESS: _l("개선 중"),
    ClusterStatus.DONE: _l("개선 완료"),
    ClusterStatus.ON_HOLD: _l("보류"),
}
TARGET_LABELS["cluster"] = _l("묶음")
FIX_STATE_LABELS = {
    FixState.DRAFT: _l("초안"),
    FixState.PUBLISHED: _l("공개"),
    FixState.RETRACTED: _l("공개 취소"),
}
FIX_PROGRESS_LABELS = {
    FixProgress.PLANNED: _l("개선 예정"),
    FixProgress.IN_PROGRESS: _l("개선 중"),
    FixProgress.DONE: _l("개선 완료"),
}
TARGET_LABELS["fix"] = _l("개선 사례")
TARGET_LABELS["webhook_endpoint"] = _l("웹훅 주소")
TARGET_LABELS["team_digest"] = _l("팀 요약 메일")
DELIVERY_STATE_LABELS = {
    DeliveryState.PENDING: _l("다시 보낼 차례를 기다려요"),
    DeliveryState.SENDING: _l("보내는 중"),
    DeliveryState.DELIVERED: _l("전달됨"),
    DeliveryState.FAILED: _l("실패"),
}
DIGEST_FREQUENCY_LABELS = {
    DigestFrequency.OFF: _l("보내지 않기"),
    DigestFrequency.DAILY: _l("매일 아침"),
    DigestFrequency.WEEKLY: _l("매주 월요일 아침"),
}
# Every audit action, in the enum's order (a test checks none is missing).
ACTION_LABELS = {
    AuditAction.STATUS: _l("상태 변경"),
    AuditAction.HIDE: _l("숨김"),
    AuditAction.RESTORE: _l("되살림"),
    AuditAction.TAG_ADD: _l("태그 달기"),
    AuditAction.TAG_REMOVE: _l("태그 떼기"),
    AuditAction.ROUTE: _l("팀 지정"),
    AuditAction.MASK: _l("개인정보 가림"),
    AuditAction.UNDO: _l("되돌리기"),
    AuditAction.TAG_CREATE: _l("태그 만들기"),
    AuditAction.TAG_RENAME: _l("태그 이름 변경"),
    AuditAction.TAG_MERGE: _l("태그 합치기"),
    AuditAction.TEAM_CREATE: _l("팀 만들기"),
    AuditAction.TEAM_RENAME: _l("팀 이름 변경"),
    AuditAction.URGENT_RULE_ADD: _l("긴급 단어 추가"),
    AuditAction.URGENT_RULE_REMOVE: _l("긴급 단어 삭제"),
    AuditAction.ACCOUNT_CREATE: _l("계정 만들기"),
    AuditAction.ACCOUNT_ROLE: _l("권한 변경"),
    AuditAction.ACCOUNT_PASSWORD: _l("비밀번호 변경"),
    AuditAction.ACCOUNT_ACTIVATE: _l("계정 켜기"),
    AuditAction.ACCOUNT_DEACTIVATE: _l("계정 끄기"),
    AuditAction.CAMPAIGN_CREATE: _l("캠페인 만들기"),
    AuditAction.CAMPAIGN_UPDATE: _l("캠페인 수정"),
    AuditAction.CAMPAIGN_CLOCKS: _l("캠페인 기한 변경"),
    AuditAction.MOMENTS_IMPORT_CHECK: _l("가져오기 미리 보기"),
    AuditAction.MOMENTS_IMPORT: _l("이야기 가져오기"),
    AuditAction.SOURCE_ADD: _l("출처 추가"),
    AuditAction.SOURCE_RENAME: _l("출처 이름 바꾸기"),
    AuditAction.SOURCE_RETIRE: _l("출처 그만 쓰기"),
    AuditAction.CLUSTER_RENAME: _l("묶음 이름 변경"),
    AuditAction.CLUSTER_LOCK: _l("묶음 고정"),
    AuditAction.CLUSTER_UNLOCK: _l("묶음 고정 해제"),
    AuditAction.CLUSTER_STATUS: _l("묶음 상태 변경"),
    AuditAction.CLUSTER_ROUTE: _l("묶음 팀 지정"),
    AuditAction.CLUSTER_MERGE: _l("묶음 합치기"),
    AuditAction.CLUSTER_UNMERGE: _l("묶음 합치기 취소"),
    AuditAction.CLUSTER_SPLIT: _l("묶음 나누기"),
    AuditAction.CLUSTER_MOVE: _l("묶음 옮기기"),
    AuditAction.RECLUSTER: _l("다시 묶기"),
    AuditAction.CLUSTER_TAG: _l("묶음 전체 태그"),
    AuditAction.CLUSTER_HIDE: _l("묶음 전체 숨김"),
    AuditAction.CLUSTER_PUBLIC: _l("듣고 있어요 설정"),
    AuditAction.ESCALATION_CLEAR: _l("확인 필요 묶음 정리"),
    AuditAction.NOTE_ADD: _l("메모 남김"),
    AuditAction.NOTE_REMOVE: _l("메모 지움"),
    AuditAction.FIX_CREATE: _l("개선 사례 만들기"),
    AuditAction.FIX_UPDATE: _l("개선 사례 수정"),
    AuditAction.FIX_PROGRESS: _l("개선 진행 상태 변경"),
    AuditAction.FIX_NOTE: _l("진행 소식 추가"),
    AuditAction.FIX_NOTE_REMOVE: _l("진행 소식 삭제"),
    AuditAction.FIX_LINK_CLUSTER: _l("묶음 잇기"),
    AuditAction.FIX_UNLINK_CLUSTER: _l("묶음 잇기 취소"),
    AuditAction.FIX_LINK_MOMENT: _l("이야기 잇기"),
    AuditAction.FIX_UNLINK_MOMENT: _l("이야기 잇기 취소"),
    AuditAction.FIX_QUOTE: _l("인용 추가"),
    AuditAction.FIX_QUOTE_EDIT: _l("인용 다듬기"),
    AuditAction.FIX_QUOTE_REMOVE: _l("인용 삭제"),
    AuditAction.FIX_PUBLISH: _l("공개"),
    AuditAction.FIX_RETRACT: _l("공개 취소"),
    AuditAction.EXPORT: _l("내보내기"),
    AuditAction.SIGN_IN: _l("로그인"),
    AuditAction.SIGN_IN_FAILED: _l("로그인 실패"),
    AuditAction.SIGN_IN_THROTTLED: _l("로그인 잠시 막힘"),
    AuditAction.SIGN_OUT: _l("로그아웃"),
    AuditAction.SIGN_IN_PASSWORD: _l("비밀번호 확인(인증 코드 대기)"),
    AuditAction.TWO_FACTOR_ENROL: _l("2단계 인증 등록"),
    AuditAction.TWO_FACTOR_OK: _l("2단계 인증 통과"),
    AuditAction.TWO_FACTOR_RECOVERY: _l("복구 코드 사용"),
    AuditAction.TWO_FACTOR_FAILED: _l("2단계 인증 실패"),
    AuditAction.TWO_FACTOR_RESET: _l("2단계 인증 초기화"),
    AuditAction.WEBHOOK_CREATE: _l("웹훅 주소 만들기"),
    AuditAction.WEBHOOK_ENABLE: _l("웹훅 주소 켜기"),
    AuditAction.WEBHOOK_DISABLE: _l("웹훅 주소 끄기"),
    AuditAction.WEBHOOK_DELETE: _l("웹훅 주소 삭제"),
    AuditAction.WEBHOOK_TEST: _l("웹훅 시험 보내기"),
    AuditAction.DIGEST_SETTINGS: _l("팀 요약 메일 설정"),
    AuditAction.BRIEF_SEND: _l("묶음 브리프 보내기"),
}
