"""The audit trail: every moderator action, append-only, without any moment text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from campaign.extensions import db
from campaign.models import AuditEvent, Moderator
from campaign.privacy import new_public_id


def new_batch() -> str:
    return new_public_id()


def record(actor: Moderator | None, action: str, target, *, reason: str | None = None,
           data: dict | None = None, batch: str | None = None) -> AuditEvent:
    """Write one event. `target` is a model instance (only its table and id are kept) or a
    (type, id) pair for things that are not rows, such as a batch being undone."""
    target_type, target_id = target if isinstance(target, tuple) else (target.__tablename__, target.id)
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
    query = (select(AuditEvent).where(AuditEvent.target_type == target_type, AuditEvent.target_id == str(target_id))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    return list(db.session.scalars(query))


def batch_events(batch: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.batch == batch).order_by(AuditEvent.id)))


def was_undone(batch: str) -> bool:
    query = select(AuditEvent.id).where(AuditEvent.action == "undo", AuditEvent.target_type == "batch",
                                        AuditEvent.target_id == batch)
    return db.session.scalar(query.limit(1)) is not None


def search(*, actor_id: int | None = None, action: str | None = None, since: datetime | None = None,
           until: datetime | None = None, page: int = 1, per_page: int = 50):
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
