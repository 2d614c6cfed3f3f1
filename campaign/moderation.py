"""What moderators do to moments: statuses, tags on moments, routing, masking by hand, and undo.
Every change writes audit events that share one batch per request, which is what "undo"
reverses. The desk's settings (the tags, teams and urgent words themselves) live in
`desk_settings`. Nothing here commits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from campaign import audit, desk_settings, privacy, search
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    HiddenReason,
    Moderator,
    Moment,
    MomentStatus,
    Tag,
    Team,
)
from campaign.refusals import Refusal


class ModerationError(Refusal):
    """A refused action; the message is Korean, for the desk."""


# Visible statuses may move freely among themselves (a moderator can send a moment back);
# hiding needs a reason and goes through hide(); only restore() leaves HIDDEN.
VISIBLE = (MomentStatus.RECEIVED, MomentStatus.IN_REVIEW, MomentStatus.GROUPED)


def _check_transition(current: MomentStatus, target: MomentStatus) -> None:
    if target is MomentStatus.HIDDEN:
        raise ModerationError(_("숨기려면 숨기는 이유를 골라 주세요."))
    if current is MomentStatus.HIDDEN:
        raise ModerationError(_("숨긴 이야기는 먼저 되살린 뒤 상태를 바꿀 수 있어요."))
    if target not in VISIBLE:
        raise ModerationError(_("바꿀 수 없는 상태예요."))


@dataclass(frozen=True)
class Done:
    """What an action changed: how many items, and the batch to undo it (None if nothing)."""

    count: int
    batch: str | None

    @classmethod
    def of(cls, count: int, batch: str) -> Done:
        return cls(count, batch if count else None)


@dataclass(frozen=True)
class Tagged(Done):
    """What tagging by name changed, and the tag it found or made."""

    tag: Tag | None = None


def set_status(
    moments: list[Moment], to: MomentStatus, *, by: Moderator, batch: str | None = None
) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if moment.status is to:
            continue
        _check_transition(moment.status, to)
        audit.record(
            by,
            AuditAction.STATUS,
            moment,
            batch=batch,
            data={"from": moment.status.value, "to": to.value},
        )
        moment.status = to
        changed += 1
    return Done.of(changed, batch)


def hide(
    moments: list[Moment], reason: HiddenReason, *, by: Moderator, batch: str | None = None
) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if moment.status is MomentStatus.HIDDEN:
            continue
        audit.record(
            by,
            AuditAction.HIDE,
            moment,
            batch=batch,
            reason=reason.value,
            data={"from": moment.status.value},
        )
        moment.status_before_hidden = moment.status
        moment.status = MomentStatus.HIDDEN
        moment.hidden_reason = reason
        changed += 1
    return Done.of(changed, batch)


def restore(moments: list[Moment], *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if moment.status is not MomentStatus.HIDDEN:
            continue
        back = moment.status_before_hidden or MomentStatus.RECEIVED
        audit.record(
            by,
            AuditAction.RESTORE,
            moment,
            batch=batch,
            reason=moment.hidden_reason.value if moment.hidden_reason else None,
            data={"to": back.value},
        )
        moment.status, moment.status_before_hidden, moment.hidden_reason = back, None, None
        changed += 1
    return Done.of(changed, batch)


def add_tag(moments: list[Moment], tag: Tag, *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if tag in moment.tags:
            continue
        moment.tags.append(tag)
        audit.record(by, AuditAction.TAG_ADD, moment, batch=batch, data={"tag": tag.id})
        changed += 1
    return Done.of(changed, batch)


def remove_tag(moments: list[Moment], tag: Tag, *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if tag not in moment.tags:
            continue
        moment.tags.remove(tag)
        audit.record(by, AuditAction.TAG_REMOVE, moment, batch=batch, data={"tag": tag.id})
        changed += 1
    return Done.of(changed, batch)


def tag_by_name(moments: list[Moment], name: str, *, by: Moderator) -> Tagged:
    """Tag moments with the tag called `name` (ignoring case), making it if it is new."""
    tag = desk_settings.find_or_create_tag(name, by=by)
    done = add_tag(moments, tag, by=by)
    return Tagged(done.count, done.batch, tag)


def route(
    moments: list[Moment], team: Team | None, *, by: Moderator, batch: str | None = None
) -> Done:
    """Give moments an owning team (None: no team)."""
    batch = batch or audit.new_batch()
    changed = 0
    target = team.id if team else None
    for moment in moments:
        if moment.team_id == target:
            continue
        audit.record(
            by, AuditAction.ROUTE, moment, batch=batch, data={"from": moment.team_id, "to": target}
        )
        moment.team_id = target
        changed += 1
    return Done.of(changed, batch)


def bulk(
    moments: list[Moment],
    action: str,
    *,
    by: Moderator,
    status: MomentStatus,
    reason: HiddenReason,
    tag: str | None,
    team: Team | None,
) -> Done:
    """One action on the moments chosen in the inbox: a new status (hidden moments keep theirs),
    hiding for `reason`, a tag by name, or routing to `team`."""
    if action == "status":
        return set_status(
            [m for m in moments if m.status is not MomentStatus.HIDDEN], status, by=by
        )
    if action == "hide":
        return hide(moments, reason, by=by)
    if action == "tag":
        return tag_by_name(moments, tag or "", by=by)
    if action == "route":
        return route(moments, team, by=by)
    raise ModerationError(_("할 일을 골라 주세요."))


def mask_more(moment: Moment, phrase: str, kind: str, *, by: Moderator) -> int:
    """Mask every occurrence of `phrase` in the moment's text as `kind`. Irreversible by design;
    the audit event keeps the type and count, never the phrase."""
    phrase = phrase.strip()
    if kind not in privacy.PLACEHOLDERS:
        raise ModerationError(_("가릴 정보의 종류를 골라 주세요."))
    if len(phrase) < 2:
        raise ModerationError(_("가릴 내용을 두 글자 이상 입력해 주세요."))
    placeholder = f"[{privacy.PLACEHOLDERS[kind]}]"
    count = 0
    pattern = re.compile(re.escape(phrase))
    for field in ("body", "suggestion"):
        text = getattr(moment, field)
        if text:
            new, n = pattern.subn(placeholder, text)
            setattr(moment, field, new)
            count += n
    if not count:
        raise ModerationError(
            _("이야기에서 그 내용을 찾지 못했어요. 화면에 보이는 그대로 입력해 주세요.")
        )
    moment.masked = {**moment.masked, kind: moment.masked.get(kind, 0) + count}
    search.index_moment(moment)
    audit.record(by, AuditAction.MASK, moment, data={"type": kind, "count": count})
    return count


# --- undo --------------------------------------------------------------------------------------

UNDOABLE = {
    AuditAction.STATUS,
    AuditAction.HIDE,
    AuditAction.RESTORE,
    AuditAction.TAG_ADD,
    AuditAction.TAG_REMOVE,
    AuditAction.ROUTE,
}
# Cluster-wide actions: markers in a batch whose moment events are the ones reversed.
MARKERS = {AuditAction.CLUSTER_TAG, AuditAction.CLUSTER_HIDE}


def undo(batch: str, *, by: Moderator) -> Done:
    """Reverse a batch of reversible actions, as a new batch; refuses a second undo."""
    every = audit.batch_events(batch)
    events = [e for e in every if e.target_type == "moment"]
    if not events or not all(e.action in UNDOABLE or e.action in MARKERS for e in every):
        raise ModerationError(_("되돌릴 수 없는 작업이에요."))
    if audit.was_undone(batch):
        raise ModerationError(_("이미 되돌린 작업이에요."))
    new = audit.new_batch()
    moments = {
        m.id: m
        for m in db.session.scalars(
            select(Moment).where(Moment.id.in_({e.target_id for e in events}))
        )
    }
    changed = 0
    for event in reversed(events):
        moment = moments.get(event.target_id)
        if moment is None:
            continue
        data = event.data
        if event.action == AuditAction.STATUS and moment.status.value == data["to"]:
            changed += set_status([moment], MomentStatus(data["from"]), by=by, batch=new).count
        elif event.action == AuditAction.HIDE:
            changed += restore([moment], by=by, batch=new).count
        elif event.action == AuditAction.RESTORE and moment.status.value == data["to"]:
            changed += hide(
                [moment], HiddenReason(event.reason or HiddenReason.IRRELEVANT), by=by, batch=new
            ).count
        elif event.action in (AuditAction.TAG_ADD, AuditAction.TAG_REMOVE):
            tag = db.session.get(Tag, data["tag"])
            if tag is not None:
                verb = remove_tag if event.action == AuditAction.TAG_ADD else add_tag
                changed += verb([moment], tag, by=by, batch=new).count
        elif event.action == AuditAction.ROUTE and moment.team_id == data["to"]:
            team = db.session.get(Team, data["from"]) if data["from"] else None
            changed += route([moment], team, by=by, batch=new).count
    audit.record(by, AuditAction.UNDO, ("batch", batch), batch=new, data={"changed": changed})
    return Done(changed, None)
