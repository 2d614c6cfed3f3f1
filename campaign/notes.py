"""Moderators' internal notes on a moment or a cluster: written, listed newest first, deleted by
their author or an admin. Notes are for the desk alone: no public page, the API or an export
reads this module or the desk_note table. Their text is masked like everything typed
(privacy.mask_pii), and the audit trail keeps only that a note was added or removed, never its
text. Nothing here commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from campaign import audit, privacy
from campaign.audit import AuditAction
from campaign.campaigns import local_today
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import Cluster, DeskNote, Moderator, Moment, Role
from campaign.refusals import Refusal

NOTE_MAX = 1000


class NoteError(Refusal):
    """A refused note; the message is Korean, for the desk."""


def _target_column(target: Moment | Cluster):
    return DeskNote.moment_id if isinstance(target, Moment) else DeskNote.cluster_id


def add(target: Moment | Cluster, text: str, *, by: Moderator, now: datetime) -> DeskNote:
    """A note on a moment or a cluster, masked before it is stored."""
    cleaned = privacy.mask_pii((text or "").strip(), local_today(now)).text.strip()
    if not cleaned:
        raise NoteError(_("메모를 써 주세요."), field="text")
    if len(cleaned) > NOTE_MAX:
        raise NoteError(
            _(
                "메모는 %(most)s자까지 쓸 수 있어요. 지금 %(count)s자예요.",
                most=f"{NOTE_MAX:,}",
                count=f"{len(cleaned):,}",
            ),
            field="text",
        )
    note = DeskNote(author_id=by.id, text=cleaned, created_at=now)
    if isinstance(target, Moment):
        note.moment_id = target.id
    else:
        note.cluster_id = target.id
    db.session.add(note)
    db.session.flush()
    audit.record(by, AuditAction.NOTE_ADD, target, data={"note": note.id})
    return note


def can_remove(note: DeskNote, person: Moderator) -> bool:
    return person.can(Role.ADMIN) or (person.can(Role.MODERATOR) and note.author_id == person.id)


def remove(note: DeskNote, *, by: Moderator) -> None:
    """Delete a note: its author or an admin only."""
    if not can_remove(note, by):
        raise NoteError(_("메모는 쓴 사람이나 관리자만 지울 수 있어요."))
    target = ("moment", note.moment_id) if note.moment_id else ("cluster", note.cluster_id)
    audit.record(by, AuditAction.NOTE_REMOVE, target, data={"note": note.id})
    db.session.delete(note)


def listed(target: Moment | Cluster) -> list[DeskNote]:
    """The target's notes, newest first."""
    return list(
        db.session.scalars(
            select(DeskNote)
            .where(_target_column(target) == target.id)
            .order_by(DeskNote.created_at.desc(), DeskNote.id.desc())
        )
    )


def find(note_id: int, target: Moment | Cluster) -> DeskNote | None:
    """The note with this id when it belongs to `target`."""
    note = db.session.get(DeskNote, note_id)
    return (
        note
        if note is not None and getattr(note, _target_column(target).key) == target.id
        else None
    )
