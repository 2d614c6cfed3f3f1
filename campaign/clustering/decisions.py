"""What people decide about clusters. Each writes an audit event and marks the cluster decided,
so no re-clustering undoes it. Nothing here commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from campaign import audit, clocks, moderation, privacy
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    Cluster,
    ClusterStatus,
    Fix,
    FixCluster,
    FixState,
    HiddenReason,
    Moderator,
    Moment,
    Role,
    Tag,
    Team,
)
from campaign.refusals import Refusal


class ClusterError(Refusal):
    """A refused action; the message is Korean, for the desk."""


# 열림 → 개선 예정 → 개선 중 → 개선 완료, with 보류 from anywhere and back, and reopening.
_NEXT = {
    ClusterStatus.OPEN: {ClusterStatus.PLANNED, ClusterStatus.ON_HOLD},
    ClusterStatus.PLANNED: {ClusterStatus.IN_PROGRESS, ClusterStatus.ON_HOLD, ClusterStatus.OPEN},
    ClusterStatus.IN_PROGRESS: {ClusterStatus.DONE, ClusterStatus.ON_HOLD, ClusterStatus.PLANNED},
    ClusterStatus.DONE: {ClusterStatus.IN_PROGRESS, ClusterStatus.OPEN},
    ClusterStatus.ON_HOLD: {ClusterStatus.OPEN, ClusterStatus.PLANNED, ClusterStatus.IN_PROGRESS},
}


def _decide(cluster: Cluster) -> None:
    cluster.decided = True


def rename(cluster: Cluster, name: str, *, by: Moderator) -> None:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ClusterError(_("묶음 이름을 1~120자로 입력해 주세요."))
    audit.record(by, AuditAction.CLUSTER_RENAME, cluster, data={"from": cluster.name, "to": name})
    cluster.name = name
    _decide(cluster)


def set_locked(cluster: Cluster, locked: bool, *, by: Moderator) -> None:
    audit.record(by, AuditAction.CLUSTER_LOCK if locked else AuditAction.CLUSTER_UNLOCK, cluster)
    cluster.locked = locked
    _decide(cluster)


def set_status(cluster: Cluster, status: ClusterStatus, *, by: Moderator) -> None:
    if status is cluster.status:
        return
    driven = db.session.scalar(
        select(Fix.title)
        .join(FixCluster)
        .where(FixCluster.cluster_id == cluster.id, Fix.state == FixState.PUBLISHED)
        .limit(1)
    )
    if driven is not None:
        raise ClusterError(
            _(
                "공개된 개선 사례 '%(fix)s'의 진행 상태를 따라가는 묶음이에요. "
                "개선 사례에서 진행 상태를 바꿔 주세요.",
                fix=driven,
            )
        )
    if status not in _NEXT[cluster.status]:
        raise ClusterError(_("그 상태로는 바로 바꿀 수 없어요. 순서대로 바꿔 주세요."))
    audit.record(
        by,
        AuditAction.CLUSTER_STATUS,
        cluster,
        data={"from": cluster.status.value, "to": status.value},
    )
    cluster.status = status
    _decide(cluster)


def set_public(cluster: Cluster, *, title: str, note: str, listed: bool, by: Moderator) -> None:
    """What 듣고 있어요 says about a cluster: a title and a public word written by a person
    (masked again, like a quote), and whether to show it there at all."""
    title, note = (" ".join(privacy.mask_pii(text or "").text.split()) for text in (title, note))
    if listed and not 2 <= len(title) <= 120:
        raise ClusterError(
            _(
                "'듣고 있어요'에 보일 제목을 2~120자로 써 주세요. "
                "사람들이 겪은 불편으로 쓰면 좋아요."
            )
        )
    if len(title) > 120 or len(note) > 300:
        raise ClusterError(_("제목은 120자, 알리는 말은 300자까지 쓸 수 있어요."))
    if listed and cluster.status is ClusterStatus.ON_HOLD and not note:
        raise ClusterError(_("보류한 묶음을 보여 주려면 왜 미뤘는지 알리는 말을 함께 써 주세요."))
    audit.record(by, AuditAction.CLUSTER_PUBLIC, cluster, data={"listed": listed})
    cluster.public_title, cluster.public_note, cluster.listed = title or None, note or None, listed
    _decide(cluster)


def route(
    cluster: Cluster, team: Team | None, *, by: Moderator | None, reason: str, now: datetime
) -> None:
    """Give the cluster an owning team (None: no team), with a short reason, required and masked.
    A change of team is recorded as a hand-off (clocks.record_handoff). A cluster in the
    escalation queue may be routed only by an admin, and an admin routing it to a team clears
    it (audited); `by` None is the system (the demo), which counts as an admin."""
    reason = clocks.clean_reason(reason, now=now)
    escalated = clocks.escalation_of(cluster, now) is not None
    admin = by is None or by.can(Role.ADMIN)
    if escalated and not admin:
        raise ClusterError(
            _(
                "이 묶음은 '확인이 필요한 묶음'에 올라 있어서 관리자만 담당 팀을 정할 수 있어요. "
                "관리자에게 알려 주세요."
            ),
            field="team",
        )
    target = team.id if team else None
    audit.record(
        by,
        AuditAction.CLUSTER_ROUTE,
        cluster,
        reason=reason,
        data={"from": cluster.team_id, "to": target},
    )
    if cluster.team_id != target:
        clocks.record_handoff(cluster, target, reason, by=by, now=now)
    cluster.team_id = target
    _decide(cluster)
    if escalated and team is not None:
        clocks.clear(cluster, by=by)


def members_query(cluster: Cluster):
    return (
        select(Moment)
        .where(Moment.cluster_id == cluster.id)
        .order_by(Moment.received_hour.desc(), Moment.id)
    )


def members(cluster: Cluster) -> list[Moment]:
    return list(db.session.scalars(members_query(cluster)))


def tag_all(cluster: Cluster, tag: Tag, *, by: Moderator) -> moderation.Done:
    """Tag every moment of the cluster at once (undoable as one batch)."""
    batch = audit.new_batch()
    audit.record(by, AuditAction.CLUSTER_TAG, cluster, batch=batch, data={"tag": tag.id})
    _decide(cluster)
    return moderation.add_tag(members(cluster), tag, by=by, batch=batch)


def hide_all(cluster: Cluster, reason: HiddenReason, *, by: Moderator) -> moderation.Done:
    """Hide every moment of the cluster (say, a wave of spam); undoable as one batch."""
    batch = audit.new_batch()
    audit.record(by, AuditAction.CLUSTER_HIDE, cluster, batch=batch, reason=reason.value)
    _decide(cluster)
    return moderation.hide(members(cluster), reason, by=by, batch=batch)


def merge(source: Cluster, into: Cluster, *, by: Moderator) -> int:
    """Move every moment of `source` into `into`; reversible with unmerge()."""
    if source.id == into.id or source.campaign_id != into.campaign_id:
        raise ClusterError(_("같은 캠페인의 다른 묶음과만 합칠 수 있어요."))
    if source.merged_into_id or into.merged_into_id:
        raise ClusterError(_("이미 다른 묶음에 합쳐진 묶음이에요."))
    moved = members(source)
    for m in moved:
        m.cluster_id = into.id
    source.merged_into_id = into.id
    _decide(source)
    _decide(into)
    audit.record(
        by,
        AuditAction.CLUSTER_MERGE,
        source,
        data={"into": into.id, "moments": [m.id for m in moved]},
    )
    return len(moved)


def unmerge(source: Cluster, *, by: Moderator) -> int:
    """Undo a merge: the moments that came from `source` (and are still there) go back."""
    if source.merged_into_id is None:
        raise ClusterError(_("합쳐진 묶음이 아니에요."))
    events = [
        e for e in audit.history("cluster", str(source.id)) if e.action == AuditAction.CLUSTER_MERGE
    ]
    came = set(events[0].data.get("moments", [])) if events else set()
    back = [
        m
        for m in db.session.scalars(select(Moment).where(Moment.id.in_(came)))
        if m.cluster_id == source.merged_into_id
    ]
    for m in back:
        m.cluster_id = source.id
    audit.record(
        by,
        AuditAction.CLUSTER_UNMERGE,
        source,
        data={"from": source.merged_into_id, "moments": [m.id for m in back]},
    )
    source.merged_into_id = None
    return len(back)


def split(
    cluster: Cluster, moment_ids: list[str], *, by: Moderator, name: str | None = None
) -> Cluster:
    """Take the chosen members out into a new cluster of their own."""
    everyone = members(cluster)
    chosen = [m for m in everyone if m.id in set(moment_ids)]
    if not chosen:
        raise ClusterError(_("나눌 이야기를 골라 주세요."))
    if len(chosen) == len(everyone):
        raise ClusterError(_("모든 이야기를 고르면 나눌 수 없어요. 일부만 골라 주세요."))
    name = " ".join((name or "").split())
    if len(name) > 120:
        raise ClusterError(_("새 묶음 이름은 120자까지 쓸 수 있어요."))
    new = Cluster(
        campaign_id=cluster.campaign_id,
        name=name or None,
        keywords=list(cluster.keywords),
        decided=True,
    )
    db.session.add(new)
    db.session.flush()
    for m in chosen:
        m.cluster_id = new.id
        m.placed_by_human = True
    _decide(cluster)
    audit.record(
        by,
        AuditAction.CLUSTER_SPLIT,
        cluster,
        data={"into": new.id, "moments": [m.id for m in chosen]},
    )
    return new


def move(moment: Moment, cluster: Cluster | None, *, by: Moderator) -> None:
    """Put a moment in a cluster (or in none) by hand; re-clustering will leave it there."""
    if cluster is not None and cluster.campaign_id != moment.campaign_id:
        raise ClusterError(_("같은 캠페인의 묶음으로만 옮길 수 있어요."))
    audit.record(
        by,
        AuditAction.CLUSTER_MOVE,
        moment,
        data={"from": moment.cluster_id, "to": cluster.id if cluster else None},
    )
    moment.cluster_id = cluster.id if cluster else None
    moment.placed_by_human = True
    if cluster is not None:
        _decide(cluster)


def open_clusters(campaign_id: int, *, other_than: Cluster | None = None) -> list[Cluster]:
    """A campaign's clusters that were not merged away, by id (pickers for merge, move, link)."""
    statement = select(Cluster).where(
        Cluster.campaign_id == campaign_id, Cluster.merged_into_id.is_(None)
    )
    if other_than is not None:
        statement = statement.where(Cluster.id != other_than.id)
    return list(db.session.scalars(statement.order_by(Cluster.id)))
