"""Korean labels for the enums, in one place for forms and templates."""

from campaign.models import ClusterStatus, FixProgress, FixState, HiddenReason, JobState, MomentStatus, Role

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
ROLE_LABELS = {Role.ADMIN: "관리자", Role.MODERATOR: "모더레이터", Role.VIEWER: "열람자"}
JOB_STATE_LABELS = {
    JobState.QUEUED: "기다리는 중", JobState.RUNNING: "처리 중", JobState.DONE: "끝남", JobState.FAILED: "실패",
}

ACTION_LABELS = {
    "status": "상태 변경", "hide": "숨김", "restore": "되살림", "tag_add": "태그 달기", "tag_remove": "태그 떼기",
    "route": "팀 지정", "mask": "개인정보 가림", "undo": "되돌리기", "tag_create": "태그 만들기",
    "tag_rename": "태그 이름 변경", "tag_merge": "태그 합치기", "team_create": "팀 만들기", "team_rename": "팀 이름 변경",
    "urgent_rule_add": "긴급 단어 추가", "urgent_rule_remove": "긴급 단어 삭제", "account_create": "계정 만들기",
    "account_role": "권한 변경", "account_password": "비밀번호 변경", "account_activate": "계정 켜기",
    "account_deactivate": "계정 끄기", "campaign_create": "캠페인 만들기", "campaign_update": "캠페인 수정",
}
TARGET_LABELS = {"moment": "이야기", "moderator": "계정", "tag": "태그", "team": "팀", "urgent_rule": "긴급 단어",
                 "campaign": "캠페인", "batch": "작업 묶음"}
CLUSTER_STATUS_LABELS = {
    ClusterStatus.OPEN: "열림",
    ClusterStatus.PLANNED: "개선 예정",
    ClusterStatus.IN_PROGRESS: "개선 중",
    ClusterStatus.DONE: "개선 완료",
    ClusterStatus.ON_HOLD: "보류",
}
ACTION_LABELS.update({
    "cluster_rename": "묶음 이름 변경", "cluster_lock": "묶음 고정", "cluster_unlock": "묶음 고정 해제",
    "cluster_status": "묶음 상태 변경", "cluster_route": "묶음 팀 지정", "cluster_merge": "묶음 합치기",
    "cluster_unmerge": "묶음 합치기 취소", "cluster_split": "묶음 나누기", "cluster_move": "묶음 옮기기",
    "recluster": "다시 묶기", "cluster_tag": "묶음 전체 태그", "cluster_hide": "묶음 전체 숨김",
    "cluster_public": "듣고 있어요 설정",
})
TARGET_LABELS["cluster"] = "묶음"
FIX_STATE_LABELS = {FixState.DRAFT: "초안", FixState.PUBLISHED: "공개", FixState.RETRACTED: "공개 취소"}
FIX_PROGRESS_LABELS = {FixProgress.PLANNED: "개선 예정", FixProgress.IN_PROGRESS: "개선 중", FixProgress.DONE: "개선 완료"}
ACTION_LABELS.update({
    "fix_create": "개선 사례 만들기", "fix_update": "개선 사례 수정", "fix_progress": "개선 진행 상태 변경",
    "fix_note": "진행 소식 추가", "fix_note_remove": "진행 소식 삭제", "fix_link_cluster": "묶음 잇기",
    "fix_unlink_cluster": "묶음 잇기 취소", "fix_link_moment": "이야기 잇기", "fix_unlink_moment": "이야기 잇기 취소",
    "fix_quote": "인용 추가", "fix_quote_edit": "인용 다듬기", "fix_quote_remove": "인용 삭제",
    "fix_publish": "공개", "fix_retract": "공개 취소",
})
TARGET_LABELS["fix"] = "개선 사례"
ACTION_LABELS["export"] = "내보내기"
ACTION_LABELS.update({"sign_in": "로그인", "sign_in_failed": "로그인 실패", "sign_in_throttled": "로그인 잠시 막힘",
                      "sign_out": "로그아웃", "sign_in_password": "비밀번호 확인(인증 코드 대기)", "two_factor_enrol": "2단계 인증 등록", "two_factor_ok": "2단계 인증 통과",
                      "two_factor_recovery": "복구 코드 사용", "two_factor_failed": "2단계 인증 실패",
                      "two_factor_reset": "2단계 인증 초기화"})
