"""Following a moment without an account ("소식 받기"): a private link per moment that opens its
timeline as a page and as an Atom feed, and stopping it.

A follow link carries a random token of its own (privacy.new_follow_token); the database keeps
only its keyed hash and the moment it follows. Nothing here commits.

The timeline is the receipt (loop.receipt) told as dated entries: one per stage the receipt
shows as reached, and one per public word about the fixes it led to. Every date is a day in the
campaign's zone, read from what is stored, never a finer time:
- 접수했어요: the day the moment was told (it keeps only its hour).
- 비슷해 보이는 이야기와 함께 모였어요: the later of that day and the day its cluster formed (the
  machine's placement keeps no date of its own); 묶었어요 (a person confirmed it): the day of
  that decision in the audit trail (status 묶음 완료, a move or a split).
- 담당자가 살펴보고 있어요 / 살펴봤어요: the day the moment last entered its current status.
- 고치기로 했어요 / 고치고 있어요 / 고쳤어요 / 보류: the day a person last moved the cluster into
  that step, or the day a public fix that drives it reached that step (its publication or the
  progress change, whichever came later), the earlier of the two; never before the moment.
- A public fix: the day it was published, and each progress note on its own day. A fix that
  was already public before the moment was told (the moment arrived before its cutoff, or a
  person linked it by hand) is said on the day the moment was told, as the receipt says it:
  이미 이렇게 바뀌었어요 (finished before that day) or 이미 고치고 있었어요, with the day it was
  published; its notes from before that day stay on the fix's own page.
Where the trail has no record (rows older than it), the day the moment was told stands in.
Nothing before the day the moment was told is an entry, and no day is moved: the entries are
sorted by day, ties in the order of the stages. Dates are returned as dates; the templates say
them in the reader's language (templating.korean_date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select

from campaign import loop, privacy
from campaign.audit import AuditAction
from campaign.campaigns import local_time
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    AuditEvent,
    Cluster,
    ClusterStatus,
    Fix,
    FixProgress,
    Follow,
    Moment,
    MomentStatus,
)
from campaign.refusals import Refusal

# Links one moment may have at once: enough for a phone, a feed reader and a spare.
MAX_PER_MOMENT = 5


class FollowError(Refusal):
    """A follow link could not be made; the message is for the receipt's holder, in their
    language."""


# ---- links ------------------------------------------------------------------------------------


def start(moment: Moment) -> str:
    """A new follow link for `moment`; returns its token, which is stored only as a hash."""
    if count(moment) >= MAX_PER_MOMENT:
        raise FollowError(
            _(
                "이 이야기의 소식 받기 링크를 이미 %(count)s개 만들었어요. 접수번호로 확인하는 "
                "화면에서 '소식 그만 받기'를 누른 뒤 다시 만들어 주세요.",
                count=MAX_PER_MOMENT,
            )
        )
    token = privacy.new_follow_token()
    db.session.add(Follow(token_hash=privacy.follow_hash(token), moment_id=moment.id))
    db.session.flush()
    return token


def find(token: str | None) -> Moment | None:
    """The moment a follow token opens, or None (malformed, never made, or stopped)."""
    hashed = privacy.follow_hash(token)
    if hashed is None:
        return None
    follow = db.session.get(Follow, hashed)
    return db.session.get(Moment, follow.moment_id) if follow is not None else None


def count(moment: Moment) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Follow).where(Follow.moment_id == moment.id)
        )
        or 0
    )


def stop(moment: Moment) -> int:
    """Delete every follow link of `moment` ("소식 그만 받기"); returns how many there were."""
    result = db.session.execute(delete(Follow).where(Follow.moment_id == moment.id))
    return result.rowcount or 0


def forget(moment_ids) -> int:
    """Delete the follow links of these moments (a list or a SELECT of ids), before the moments
    themselves go (retention); the foreign key's cascade would too, this says it."""
    result = db.session.execute(delete(Follow).where(Follow.moment_id.in_(moment_ids)))
    return result.rowcount or 0


# ---- the timeline -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One dated step. `label` is ours, in the reader's language; `subject` (a fix's title)
    and a `said` summary are what people at the desk wrote, shown as written (in Korean)."""

    key: str  # stable within the moment: a feed reader tells entries apart by it
    label: str
    day: date
    summary: str | None = None
    fix: Fix | None = None  # the public fix it links to (/improvements/<slug>)
    subject: str | None = None
    said: bool = False
    published_on: date | None = None  # a fix public before the moment: the day it was published
    shipped_on: date | None = None  # 고쳤어요: the day the fix shipped

    @property
    def title(self) -> str:
        """The label and what it is about, as one line (the feed's entry title)."""
        return f"{self.label}: {self.subject}" if self.subject else self.label


@dataclass
class Timeline:
    moment: Moment
    receipt: loop.Receipt
    entries: list[Entry]  # oldest first

    @property
    def updated(self) -> date:
        return max(e.day for e in self.entries)


_CLUSTER_LEVEL = {
    ClusterStatus.PLANNED.value: 1,
    ClusterStatus.IN_PROGRESS.value: 2,
    ClusterStatus.DONE.value: 3,
}
_FIX_LEVEL = {
    FixProgress.PLANNED.value: 1,
    FixProgress.IN_PROGRESS.value: 2,
    FixProgress.DONE.value: 3,
}
_STAGE_LEVEL = {"planned": 1, "in_progress": 2, "fixed": 3}


def _day(at: datetime) -> date:
    return local_time(at).date()


def _events(target_type: str, ids: Iterable, actions: tuple[AuditAction, ...]) -> list:
    ids = [str(i) for i in ids]
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(
                AuditEvent.target_type == target_type,
                AuditEvent.target_id.in_(ids),
                AuditEvent.action.in_(actions),
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def _entered(events, level: dict[str, int], step: int) -> date | None:
    """The day of the last change that moved a level from below `step` to `step` or above."""
    found = None
    for event in events:
        data = event.data or {}
        if level.get(data.get("to"), 0) >= step > level.get(data.get("from"), 0):
            found = _day(event.at)
    return found


def _chain(moment: Moment, receipt: loop.Receipt) -> list[int]:
    """The moment's own cluster and those it was merged into, up to where it is now."""
    ids, cluster = [], moment.cluster
    while cluster is not None:
        ids.append(cluster.id)
        if receipt.cluster is not None and cluster.id == receipt.cluster.id:
            break
        cluster = (
            db.session.get(Cluster, cluster.merged_into_id) if cluster.merged_into_id else None
        )
    return ids


def _to(event) -> str | None:
    return (event.data or {}).get("to")


class _Record:
    """What is stored about a moment's way, read once: its audit events, its clusters' and
    public fixes' events, and the day it was told (the earliest any entry may be)."""

    def __init__(self, moment: Moment, receipt: loop.Receipt):
        self.moment, self.receipt = moment, receipt
        self.told = _day(moment.received_hour)
        self.mine = _events(
            "moment",
            [moment.id],
            (AuditAction.STATUS, AuditAction.RESTORE, AuditAction.HIDE, AuditAction.CLUSTER_MOVE),
        )
        self.clusters = _events(
            "cluster",
            _chain(moment, receipt),
            (AuditAction.CLUSTER_STATUS, AuditAction.CLUSTER_SPLIT),
        )
        public = {f.id for f in receipt.led_to + receipt.already + receipt.underway}
        self.progress = _events("fix", public, (AuditAction.FIX_PROGRESS,))

    def at_least(self, day: date | None) -> date:
        return max(day or self.told, self.told)

    def last(self, events) -> date:
        return self.at_least(_day(events[-1].at) if events else None)

    def hidden(self) -> date:
        return self.last([e for e in self.mine if e.action == AuditAction.HIDE])

    def reviewed(self) -> date:
        status = self.moment.status.value
        return self.last(
            [
                e
                for e in self.mine
                if e.action in (AuditAction.STATUS, AuditAction.RESTORE) and _to(e) == status
            ]
        )

    def on_hold(self) -> date:
        return self.last(
            [
                e
                for e in self.clusters
                if e.action == AuditAction.CLUSTER_STATUS and _to(e) == ClusterStatus.ON_HOLD.value
            ]
        )

    def clustered(self) -> date:
        formed = _day(self.moment.cluster.created_at) if self.moment.cluster else None
        machine = self.at_least(formed)
        if not self.receipt.confirmed:
            return machine
        decided = [
            e
            for e in self.mine
            if e.action == AuditAction.CLUSTER_MOVE
            or (e.action == AuditAction.STATUS and _to(e) == MomentStatus.GROUPED.value)
        ] + [
            e
            for e in self.clusters
            if e.action == AuditAction.CLUSTER_SPLIT
            and self.moment.id in (e.data or {}).get("moments", [])
        ]
        if not decided:
            return machine
        return self.at_least(_day(max(decided, key=lambda e: (e.at, e.id)).at))

    def fix_reached(self, fix: Fix, step: int) -> date | None:
        """The day a public fix showed `step` (1 planned, 2 under way, 3 done), if it has."""
        if _FIX_LEVEL[fix.progress.value] < step or fix.published_at is None:
            return None
        mine = [e for e in self.progress if e.target_id == str(fix.id)]
        moved, published = _entered(mine, _FIX_LEVEL, step), _day(fix.published_at)
        return max(moved, published) if moved else published

    def step(self, key: str) -> date:
        """고치기로 했어요 / 고치고 있어요 / 고쳤어요, as loop.receipt decides them: by the fixes
        the moment led to, or (with no finished fix from before it) by its cluster's status,
        set by a person or by a public fix under way."""
        step, receipt = _STAGE_LEVEL[key], self.receipt
        candidates = []
        if receipt.led_to:
            reached = [self.fix_reached(f, step) for f in receipt.led_to]
            if all(reached):
                candidates.append(max(reached))
        if not receipt.already:
            changes = [e for e in self.clusters if e.action == AuditAction.CLUSTER_STATUS]
            candidates.append(_entered(changes, _CLUSTER_LEVEL, step))
            candidates += [self.fix_reached(f, step) for f in receipt.underway]
        candidates = [c for c in candidates if c is not None]
        return self.at_least(min(candidates) if candidates else None)


def _stage_entry(record: _Record, stage: loop.Stage) -> Entry:
    receipt, moment = record.receipt, record.moment
    if stage.key == "clustered":
        variant = "person" if receipt.confirmed else "machine"
        return Entry(f"clustered-{variant}", stage.label, record.clustered())
    if stage.key == "reviewed":
        return Entry(f"reviewed-{moment.status.value}", stage.label, record.reviewed())
    if stage.key == "on_hold":
        hold = receipt.hold
        named = hold.public_title or _("비슷한 이야기") if hold else ""
        summary = f"'{named}': {hold.public_note}" if hold else None
        return Entry("on_hold", stage.label, record.on_hold(), summary, said=True)
    done = [f for f in receipt.led_to if f.progress is FixProgress.DONE]
    fix = (done or receipt.led_to or [None])[0]
    shipped = fix.shipped_on if stage.key == "fixed" and fix is not None else None
    return Entry(stage.key, stage.label, record.step(stage.key), fix=fix, shipped_on=shipped)


def _fix_entries(record: _Record) -> list[Entry]:
    receipt, told, entries = record.receipt, record.told, []
    for fix in receipt.led_to:
        published = _day(fix.published_at)
        if published < told:
            # Public before the moment was told: said on that day, never as news of a later one.
            shipped = fix.progress is FixProgress.DONE and fix.shipped_on is not None
            changed = shipped and fix.shipped_on < told
            label = _("이미 이렇게 바뀌었어요") if changed else _("이미 고치고 있었어요")
            entries.append(
                Entry(
                    f"fix-{fix.id}-before",
                    label,
                    told,
                    fix.summary or None,
                    fix,
                    subject=fix.title,
                    said=True,
                    published_on=published,
                )
            )
        else:
            label = _("개선 사례를 공개했어요")
            summary = fix.summary or None
            entries.append(
                Entry(f"fix-{fix.id}", label, published, summary, fix, fix.title, said=True)
            )
        for note in fix.notes:
            if note.on < told:
                continue  # before this moment: on the fix's page, not in this moment's story
            key = f"fix-{fix.id}-note-{note.id}"
            label = _("진행 소식")
            entries.append(Entry(key, label, note.on, note.text, fix, fix.title, said=True))
    for fix in receipt.already:
        label = _("이미 이렇게 바뀌었어요")
        entries.append(Entry(f"fix-{fix.id}-already", label, told, fix=fix, subject=fix.title))
    for fix in receipt.underway:
        label = _("이미 고치고 있었어요")
        entries.append(Entry(f"fix-{fix.id}-underway", label, told, fix=fix, subject=fix.title))
    return entries


def timeline(moment: Moment) -> Timeline:
    """The receipt of `moment` as dated entries, oldest first (see the module's docstring for
    where each date comes from). Only what the receipt shows as reached is an entry."""
    receipt = loop.receipt(moment)
    record = _Record(moment, receipt)
    entries = [Entry("received", _("접수했어요"), record.told)]
    if receipt.hidden_words:
        hidden = Entry(
            "hidden", _("살펴본 뒤 숨겼어요"), record.hidden(), str(receipt.hidden_words)
        )
        entries.append(hidden)
        return Timeline(moment, receipt, entries)
    entries += [_stage_entry(record, s) for s in receipt.stages if s.done and s.key != "received"]
    entries += _fix_entries(record)
    order = {e.key: i for i, e in enumerate(entries)}
    entries.sort(key=lambda e: (e.day, order[e.key]))
    return Timeline(moment, receipt, entries)
