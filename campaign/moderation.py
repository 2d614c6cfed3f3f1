"""What moderators do to moments, tags, teams and rules. Every change writes audit events that
share one batch per request, which is what "undo" reverses. Nothing here commits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update

from campaign import audit, flags, privacy, search
from campaign.extensions import db
from campaign.models import (
    HiddenReason,
    Moderator,
    Moment,
    MomentStatus,
    Tag,
    Team,
    UrgentRule,
    moment_tag,
)


class ModerationError(ValueError):
    """A refused action; the message is Korean, for the desk."""


# Visible statuses may move freely among themselves (a moderator can send a moment back);
# hiding needs a reason and goes through hide(); only restore() leaves HIDDEN.
VISIBLE = (MomentStatus.RECEIVED, MomentStatus.IN_REVIEW, MomentStatus.GROUPED)


def _check_transition(current: MomentStatus, target: MomentStatus) -> None:
    if target is MomentStatus.HIDDEN:
        raise ModerationError("숨기려면 숨기는 이유를 골라 주세요.")
    if current is MomentStatus.HIDDEN:
        raise ModerationError("숨긴 이야기는 먼저 되살린 뒤 상태를 바꿀 수 있어요.")
    if target not in VISIBLE:
        raise ModerationError("바꿀 수 없는 상태예요.")


@dataclass(frozen=True)
class Done:
    """What an action changed: how many items, and the batch to undo it (None if nothing)."""

    count: int
    batch: str | None

    @classmethod
    def of(cls, count: int, batch: str) -> Done:
        return cls(count, batch if count else None)


def set_status(moments: list[Moment], to: MomentStatus, *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if moment.status is to:
            continue
        _check_transition(moment.status, to)
        audit.record(by, "status", moment, batch=batch, data={"from": moment.status.value, "to": to.value})
        moment.status = to
        changed += 1
    return Done.of(changed, batch)


def hide(moments: list[Moment], reason: HiddenReason, *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if moment.status is MomentStatus.HIDDEN:
            continue
        audit.record(by, "hide", moment, batch=batch, reason=reason.value, data={"from": moment.status.value})
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
        audit.record(by, "restore", moment, batch=batch, reason=moment.hidden_reason.value if moment.hidden_reason else None,
                     data={"to": back.value})
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
        audit.record(by, "tag_add", moment, batch=batch, data={"tag": tag.id})
        changed += 1
    return Done.of(changed, batch)


def remove_tag(moments: list[Moment], tag: Tag, *, by: Moderator, batch: str | None = None) -> Done:
    batch = batch or audit.new_batch()
    changed = 0
    for moment in moments:
        if tag not in moment.tags:
            continue
        moment.tags.remove(tag)
        audit.record(by, "tag_remove", moment, batch=batch, data={"tag": tag.id})
        changed += 1
    return Done.of(changed, batch)


def route(moments: list[Moment], team: Team | None, *, by: Moderator, batch: str | None = None) -> Done:
    """Give moments an owning team (None: no team)."""
    batch = batch or audit.new_batch()
    changed = 0
    target = team.id if team else None
    for moment in moments:
        if moment.team_id == target:
            continue
        audit.record(by, "route", moment, batch=batch, data={"from": moment.team_id, "to": target})
        moment.team_id = target
        changed += 1
    return Done.of(changed, batch)


def mask_more(moment: Moment, phrase: str, kind: str, *, by: Moderator) -> int:
    """Mask every occurrence of `phrase` in the moment's text as `kind`. Irreversible by design;
    the audit event keeps the type and count, never the phrase."""
    phrase = phrase.strip()
    if kind not in privacy.PLACEHOLDERS:
        raise ModerationError("가릴 정보의 종류를 골라 주세요.")
    if len(phrase) < 2:
        raise ModerationError("가릴 내용을 두 글자 이상 입력해 주세요.")
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
        raise ModerationError("이야기에서 그 내용을 찾지 못했어요. 화면에 보이는 그대로 입력해 주세요.")
    moment.masked = {**moment.masked, kind: moment.masked.get(kind, 0) + count}
    search.index_moment(moment)
    audit.record(by, "mask", moment, data={"type": kind, "count": count})
    return count


# --- undo --------------------------------------------------------------------------------------

UNDOABLE = {"status", "hide", "restore", "tag_add", "tag_remove", "route"}


def undo(batch: str, *, by: Moderator) -> Done:
    """Reverse a batch of reversible actions, as a new batch; refuses a second undo."""
    every = audit.batch_events(batch)
    events = [e for e in every if e.target_type == "moment"]
    markers = {"cluster_tag", "cluster_hide"}  # cluster-wide actions: their moment events are reversed
    if not events or not all(e.action in UNDOABLE or e.action in markers for e in every):
        raise ModerationError("되돌릴 수 없는 작업이에요.")
    if audit.was_undone(batch):
        raise ModerationError("이미 되돌린 작업이에요.")
    new = audit.new_batch()
    moments = {m.id: m for m in db.session.scalars(select(Moment).where(Moment.id.in_({e.target_id for e in events})))}
    changed = 0
    for event in reversed(events):
        moment = moments.get(event.target_id)
        if moment is None:
            continue
        data = event.data
        if event.action == "status" and moment.status.value == data["to"]:
            changed += set_status([moment], MomentStatus(data["from"]), by=by, batch=new).count
        elif event.action == "hide":
            changed += restore([moment], by=by, batch=new).count
        elif event.action == "restore" and moment.status.value == data["to"]:
            changed += hide([moment], HiddenReason(event.reason or HiddenReason.IRRELEVANT), by=by, batch=new).count
        elif event.action in ("tag_add", "tag_remove"):
            tag = db.session.get(Tag, data["tag"])
            if tag is not None:
                verb = remove_tag if event.action == "tag_add" else add_tag
                changed += verb([moment], tag, by=by, batch=new).count
        elif event.action == "route" and moment.team_id == data["to"]:
            team = db.session.get(Team, data["from"]) if data["from"] else None
            changed += route([moment], team, by=by, batch=new).count
    audit.record(by, "undo", ("batch", batch), batch=new, data={"changed": changed})
    return Done(changed, None)


# --- tags --------------------------------------------------------------------------------------

def _clean_name(name: str, what: str, limit: int) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ModerationError(f"{what} 이름을 입력해 주세요.")
    if len(name) > limit:
        raise ModerationError(f"{what} 이름은 {limit}자까지 쓸 수 있어요.")
    return name


def _same_name(model, name: str, *, other_than=None):
    """The row of `model` (Tag or Team) named `name`, ignoring case, other than `other_than`."""
    query = select(model).where(func.lower(model.name) == name.lower())
    if other_than is not None:
        query = query.where(model.id != other_than.id)
    return db.session.scalar(query)


def find_or_create_tag(name: str, *, by: Moderator) -> Tag:
    name = _clean_name(name, "태그", 40)
    tag = _same_name(Tag, name)
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
        db.session.flush()
        audit.record(by, "tag_create", tag, data={"name": name})
    return tag


def rename_tag(tag: Tag, name: str, *, by: Moderator) -> None:
    name = _clean_name(name, "태그", 40)
    if _same_name(Tag, name, other_than=tag):
        raise ModerationError("같은 이름의 태그가 있어요. 합치려면 '합치기'를 써 주세요.")
    audit.record(by, "tag_rename", tag, data={"from": tag.name, "to": name})
    tag.name = name


def merge_tags(source: Tag, into: Tag, *, by: Moderator) -> int:
    """Move every moment of `source` to `into`, then delete `source`."""
    if source.id == into.id:
        raise ModerationError("같은 태그끼리는 합칠 수 없어요.")
    moved_ids = set(db.session.scalars(select(moment_tag.c.moment_id).where(moment_tag.c.tag_id == source.id)))
    already = set(db.session.scalars(select(moment_tag.c.moment_id).where(moment_tag.c.tag_id == into.id)))
    new_rows = [{"moment_id": m, "tag_id": into.id} for m in moved_ids - already]
    if new_rows:
        db.session.execute(insert(moment_tag), new_rows)
    db.session.execute(delete(moment_tag).where(moment_tag.c.tag_id == source.id))
    audit.record(by, "tag_merge", into, data={"from_tag": source.id, "from_name": source.name, "moments": len(moved_ids)})
    db.session.delete(source)
    db.session.flush()
    db.session.expire_all()
    return len(moved_ids)


def tag_names(prefix: str = "", limit: int = 200) -> list[str]:
    query = select(Tag.name).order_by(Tag.name).limit(limit)
    if prefix:
        query = query.where(Tag.name.ilike(f"{prefix}%"))
    return list(db.session.scalars(query))


# --- teams -------------------------------------------------------------------------------------

def create_team(name: str, *, by: Moderator) -> Team:
    name = _clean_name(name, "팀", 60)
    if _same_name(Team, name):
        raise ModerationError("같은 이름의 팀이 있어요.")
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    audit.record(by, "team_create", team, data={"name": name})
    return team


def rename_team(team: Team, name: str, *, by: Moderator) -> None:
    name = _clean_name(name, "팀", 60)
    if _same_name(Team, name, other_than=team):
        raise ModerationError("같은 이름의 팀이 있어요.")
    audit.record(by, "team_rename", team, data={"from": team.name, "to": name})
    team.name = name


# --- urgent rules ------------------------------------------------------------------------------

def urgent_phrases() -> list[str]:
    return list(db.session.scalars(select(UrgentRule.phrase).order_by(UrgentRule.phrase)))


def add_urgent_rule(phrase: str, *, by: Moderator) -> int:
    phrase = _clean_name(phrase, "긴급 표시 단어", 40)
    if db.session.scalar(select(UrgentRule).where(UrgentRule.phrase == phrase)):
        raise ModerationError("이미 있는 단어예요.")
    rule = UrgentRule(phrase=phrase)
    db.session.add(rule)
    db.session.flush()
    audit.record(by, "urgent_rule_add", rule, data={"phrase": phrase})
    return refresh_urgent_flags()


def remove_urgent_rule(rule: UrgentRule, *, by: Moderator) -> int:
    audit.record(by, "urgent_rule_remove", rule, data={"phrase": rule.phrase})
    db.session.delete(rule)
    db.session.flush()
    return refresh_urgent_flags()


def refresh_urgent_flags() -> int:
    """Re-apply the urgent rules to every moment; returns how many are urgent now."""
    matches = flags.urgent_matcher(urgent_phrases())
    urgent_ids = [m_id for m_id, body, suggestion in db.session.execute(select(Moment.id, Moment.body, Moment.suggestion))
                  if matches(body) or matches(suggestion or "")]
    db.session.execute(update(Moment).values(urgent=False).where(Moment.urgent.is_(True)))
    for start in range(0, len(urgent_ids), 500):
        chunk = urgent_ids[start:start + 500]
        db.session.execute(update(Moment).where(Moment.id.in_(chunk)).values(urgent=True))
    return len(urgent_ids)
