"""The audit trail: every moderator action, append-only, without any moment text."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEvent, Moderator
from campaign.privacy import new_public_id


class AuditAction(StrEnum):
    """Every action the trail records. Members are the strings stored in `audit_event.action`
    (a StrEnum compares and hashes as its value), so rows written before this enum need no
    migration; writing or matching an action always goes through a member."""

    # Moments (undoable ones first)
    STATUS = "status"
    HIDE = "hide"
    RESTORE = "restore"
    TAG_ADD = "tag_add"
    TAG_REMOVE = "tag_remove"
    ROUTE = "route"
    MASK = "mask"
    UNDO = "undo"
    # The desk's settings
    TAG_CREATE = "tag_create"
    TAG_RENAME = "tag_rename"
    TAG_MERGE = "tag_merge"
    TEAM_CREATE = "team_create"
    TEAM_RENAME = "team_rename"
    URGENT_RULE_ADD = "urgent_rule_add"
    URGENT_RULE_REMOVE = "urgent_rule_remove"
    # Accounts and campaigns
    ACCOUNT_CREATE = "account_create"
    ACCOUNT_ROLE = "account_role"
    ACCOUNT_PASSWORD = "account_password"
    ACCOUNT_ACTIVATE = "account_activate"
    ACCOUNT_DEACTIVATE = "account_deactivate"
    CAMPAIGN_CREATE = "campaign_create"
    CAMPAIGN_UPDATE = "campaign_update"
    CAMPAIGN_CLOCKS = "campaign_clocks"
    MOMENTS_IMPORT_CHECK = "moments_import_check"  # a dry run: nothing stored
    MOMENTS_IMPORT = "moments_import"
    SOURCE_ADD = "source_add"  # a campaign's entry point (sources.py)
    SOURCE_RENAME = "source_rename"
    SOURCE_RETIRE = "source_retire"
    # Clusters
    CLUSTER_RENAME = "cluster_rename"
    CLUSTER_LOCK = "cluster_lock"
    CLUSTER_UNLOCK = "cluster_unlock"
    CLUSTER_STATUS = "cluster_status"
    CLUSTER_ROUTE = "cluster_route"
    CLUSTER_MERGE = "cluster_merge"
    CLUSTER_UNMERGE = "cluster_unmerge"
    CLUSTER_SPLIT = "cluster_split"
    CLUSTER_MOVE = "cluster_move"
    RECLUSTER = "recluster"
    CLUSTER_TAG = "cluster_tag"
    CLUSTER_HIDE = "cluster_hide"
    CLUSTER_PUBLIC = "cluster_public"
    ESCALATION_CLEAR = "escalation_clear"
    # Internal notes (moments and clusters)
    NOTE_ADD = "note_add"
    NOTE_REMOVE = "note_remove"
    # Fixes
    FIX_CREATE = "fix_create"
    FIX_UPDATE = "fix_update"
    FIX_PROGRESS = "fix_progress"
    FIX_NOTE = "fix_note"
    FIX_NOTE_REMOVE = "fix_note_remove"
    FIX_LINK_CLUSTER = "fix_link_cluster"
    FIX_UNLINK_CLUSTER = "fix_unlink_cluster"
    FIX_LINK_MOMENT = "fix_link_moment"
    FIX_UNLINK_MOMENT = "fix_unlink_moment"
    FIX_QUOTE = "fix_quote"
    FIX_QUOTE_EDIT = "fix_quote_edit"
    FIX_QUOTE_REMOVE = "fix_quote_remove"
    FIX_PUBLISH = "fix_publish"
    FIX_RETRACT = "fix_retract"
    # Reading out
    EXPORT = "export"
    # Signing in
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    SIGN_OUT = "sign_out"
    SIGN_IN_PASSWORD = "sign_in_password"
    TWO_FACTOR_ENROL = "two_factor_enrol"
    TWO_FACTOR_OK = "two_factor_ok"
    TWO_FACTOR_RECOVERY = "two_factor_recovery"
    TWO_FACTOR_FAILED = "two_factor_failed"
    TWO_FACTOR_RESET = "two_factor_reset"
    # Telling other tools
    WEBHOOK_CREATE = "webhook_create"
    WEBHOOK_ENABLE = "webhook_enable"
    WEBHOOK_DISABLE = "webhook_disable"
    WEBHOOK_DELETE = "webhook_delete"
    WEBHOOK_TEST = "webhook_test"
    DIGEST_SETTINGS = "digest_settings"
    BRIEF_SEND = "brief_send"


def new_batch() -> str:
    return new_public_id()


def record(
    actor: Moderator | None,
    action: AuditAction,
    target,
    *,
    reason: str | None = None,
    data: dict | None = None,
    batch: str | None = None,
) -> AuditEvent:
    """Write one event. `target` is a model instance (only its table and id are kept) or a
    (type, id) pair for things that are not rows, such as a batch being undone."""
    target_type, target_id = (
        target if isinstance(target, tuple) else (target.__tablename__, target.id)
    )
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        batch=batch or new_batch(),
        reason=reason,
        data=data or {},
    )
    db.session.add(event)
    return event


def history(target_type: str, target_id: str) -> list[AuditEvent]:
    query = (
        select(AuditEvent)
        .where(AuditEvent.target_type == target_type, AuditEvent.target_id == str(target_id))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return list(db.session.scalars(query))


def batch_events(batch: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.batch == batch).order_by(AuditEvent.id)
        )
    )


def was_undone(batch: str) -> bool:
    query = select(AuditEvent.id).where(
        AuditEvent.action == AuditAction.UNDO,
        AuditEvent.target_type == "batch",
        AuditEvent.target_id == batch,
    )
    return db.session.scalar(query.limit(1)) is not None


def search(
    *,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
):
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if actor_id:
        query = query.where(AuditEvent.actor_id == actor_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def actions_used() -> list[str]:
    """Every action the trail holds, once each (the audit page's filter)."""
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))


def people() -> list[Moderator]:
    """Everyone who could be an actor, by name (the audit page's filter)."""
    return list(db.session.scalars(select(Moderator).order_by(Moderator.name)))
