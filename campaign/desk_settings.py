"""The desk's settings: the tags moderators put on moments, the teams they route to, and the
words that flag a moment urgent; each change writes an audit event. Nothing here commits."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from campaign import audit, flags
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import Moderator, Moment, Tag, Team, UrgentRule, moment_tag
from campaign.refusals import Refusal


class SettingsError(Refusal):
    """A refused change to tags, teams or urgent words, said in the reader's language."""


# --- tags --------------------------------------------------------------------------------------


def _clean_name(name: str, what: str, limit: int) -> str:
    """`name` tidied, or a refusal naming `what` ("tag", "team" or "phrase")."""
    name = " ".join((name or "").split())
    if not name:
        raise SettingsError(
            {
                "tag": _("태그 이름을 입력해 주세요."),
                "team": _("팀 이름을 입력해 주세요."),
                "phrase": _("긴급 표시 단어 이름을 입력해 주세요."),
            }[what]
        )
    if len(name) > limit:
        raise SettingsError(
            {
                "tag": _("태그 이름은 %(most)s자까지 쓸 수 있어요.", most=limit),
                "team": _("팀 이름은 %(most)s자까지 쓸 수 있어요.", most=limit),
                "phrase": _("긴급 표시 단어 이름은 %(most)s자까지 쓸 수 있어요.", most=limit),
            }[what]
        )
    return name


def _same_name(model, name: str, *, other_than=None):
    """The row of `model` (Tag or Team) named `name`, ignoring case, other than `other_than`."""
    query = select(model).where(func.lower(model.name) == name.lower())
    if other_than is not None:
        query = query.where(model.id != other_than.id)
    return db.session.scalar(query)


def find_or_create_tag(name: str, *, by: Moderator) -> Tag:
    name = _clean_name(name, "tag", 40)
    tag = _same_name(Tag, name)
    if tag is None:
        tag = Tag(name=name)
        db.session.add(tag)
        db.session.flush()
        audit.record(by, AuditAction.TAG_CREATE, tag, data={"name": name})
    return tag


def rename_tag(tag: Tag, name: str, *, by: Moderator) -> None:
    name = _clean_name(name, "tag", 40)
    if _same_name(Tag, name, other_than=tag):
        raise SettingsError(_("같은 이름의 태그가 있어요. 합치려면 '합치기'를 써 주세요."))
    audit.record(by, AuditAction.TAG_RENAME, tag, data={"from": tag.name, "to": name})
    tag.name = name


def merge_tags(source: Tag, into: Tag, *, by: Moderator) -> int:
    """Move every moment of `source` to `into`, then delete `source`."""
    if source.id == into.id:
        raise SettingsError(_("같은 태그끼리는 합칠 수 없어요."))
    moved_ids = set(
        db.session.scalars(select(moment_tag.c.moment_id).where(moment_tag.c.tag_id == source.id))
    )
    already = set(
        db.session.scalars(select(moment_tag.c.moment_id).where(moment_tag.c.tag_id == into.id))
    )
    new_rows = [{"moment_id": m, "tag_id": into.id} for m in moved_ids - already]
    if new_rows:
        db.session.execute(insert(moment_tag), new_rows)
    db.session.execute(delete(moment_tag).where(moment_tag.c.tag_id == source.id))
    audit.record(
        by,
        AuditAction.TAG_MERGE,
        into,
        data={"from_tag": source.id, "from_name": source.name, "moments": len(moved_ids)},
    )
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
    name = _clean_name(name, "team", 60)
    if _same_name(Team, name):
        raise SettingsError(_("같은 이름의 팀이 있어요."))
    team = Team(name=name)
    db.session.add(team)
    db.session.flush()
    audit.record(by, AuditAction.TEAM_CREATE, team, data={"name": name})
    return team


def rename_team(team: Team, name: str, *, by: Moderator) -> None:
    name = _clean_name(name, "team", 60)
    if _same_name(Team, name, other_than=team):
        raise SettingsError(_("같은 이름의 팀이 있어요."))
    audit.record(by, AuditAction.TEAM_RENAME, team, data={"from": team.name, "to": name})
    team.name = name


# --- urgent rules ------------------------------------------------------------------------------


def urgent_phrases() -> list[str]:
    return list(db.session.scalars(select(UrgentRule.phrase).order_by(UrgentRule.phrase)))


def add_urgent_rule(phrase: str, *, by: Moderator) -> int:
    phrase = _clean_name(phrase, "phrase", 40)
    if db.session.scalar(select(UrgentRule).where(UrgentRule.phrase == phrase)):
        raise SettingsError(_("이미 있는 단어예요."))
    rule = UrgentRule(phrase=phrase)
    db.session.add(rule)
    db.session.flush()
    audit.record(by, AuditAction.URGENT_RULE_ADD, rule, data={"phrase": phrase})
    return refresh_urgent_flags()


def remove_urgent_rule(rule: UrgentRule, *, by: Moderator) -> int:
    audit.record(by, AuditAction.URGENT_RULE_REMOVE, rule, data={"phrase": rule.phrase})
    db.session.delete(rule)
    db.session.flush()
    return refresh_urgent_flags()


def refresh_urgent_flags() -> int:
    """Re-apply the urgent rules to every moment; returns how many are urgent now."""
    matches = flags.urgent_matcher(urgent_phrases())
    urgent_ids = [
        m_id
        for m_id, body, suggestion in db.session.execute(
            select(Moment.id, Moment.body, Moment.suggestion)
        )
        if matches(body) or matches(suggestion or "")
    ]
    db.session.execute(update(Moment).values(urgent=False).where(Moment.urgent.is_(True)))
    for start in range(0, len(urgent_ids), 500):
        chunk = urgent_ids[start : start + 500]
        db.session.execute(update(Moment).where(Moment.id.in_(chunk)).values(urgent=True))
    return len(urgent_ids)


# --- what the settings pages show ----------------------------------------------------------------


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def tags() -> list[Tag]:
    return list(db.session.scalars(select(Tag).order_by(Tag.name)))


def tag_counts() -> dict[int, int]:
    """How many moments carry each tag, by tag id."""
    rows = db.session.execute(
        select(moment_tag.c.tag_id, func.count()).group_by(moment_tag.c.tag_id)
    )
    return dict(rows.all())


def urgent_rules() -> list[UrgentRule]:
    return list(db.session.scalars(select(UrgentRule).order_by(UrgentRule.phrase)))


def urgent_count() -> int:
    """Moments flagged urgent now."""
    return db.session.scalar(
        select(func.count()).select_from(Moment).where(Moment.urgent.is_(True))
    )
