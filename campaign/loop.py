"""Closing the loop: what a receipt truthfully says about a moment, the "해결됐나요?" answer
once it is fixed, clusters that keep growing after their fix, and 듣고 있어요.

Every stage a receipt ticks is a fact read from the database (the moment's status, its cluster
membership, the cluster's status, the public fixes and their progress); nothing is inferred
from elapsed time. Nothing here commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from campaign import fixes, privacy
from campaign.clustering import reads
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.intake import clean_text
from campaign.models import (
    Campaign,
    Cluster,
    ClusterStatus,
    Fix,
    FixAnswer,
    FixProgress,
    FixState,
    HiddenReason,
    Moment,
    MomentStatus,
)
from campaign.refusals import Refusal


class LoopError(Refusal):
    """A refused answer; the message is Korean, for the person holding the receipt."""


# Why a moment was hidden, said kindly to the person who told it.
HIDDEN_WORDS = {
    HiddenReason.SPAM: _l("광고나 스팸처럼 보여서 개선 과제에는 넣지 않았어요."),
    HiddenReason.ABUSE: _l(
        "거친 표현이 있어서 함께 살펴보는 목록에서는 뺐어요. "
        "불편했던 순간만 다시 알려주시면 꼭 살펴볼게요."
    ),
    HiddenReason.IRRELEVANT: _l("이 캠페인에서 다루는 일과 달라서 개선 과제에는 넣지 않았어요."),
    HiddenReason.PERSONAL_DATA: _l(
        "개인정보가 많이 담겨 있어서 안전하게 숨겼어요. 개인정보를 빼고 다시 알려주시면 살펴볼게요."
    ),
}
NOTE_MAX_CHARS = 300
ALREADY_ANSWERED = _l("이 접수번호로는 이미 답해 주셨거나, 아직 여쭐 개선이 없어요.")
# Cluster statuses 듣고 있어요 may show: a decision people can wait for, never a closed one.
LISTENING_STATUSES = (ClusterStatus.PLANNED, ClusterStatus.IN_PROGRESS, ClusterStatus.ON_HOLD)
_LEVEL = {ClusterStatus.PLANNED: 1, ClusterStatus.IN_PROGRESS: 2, ClusterStatus.DONE: 3}
_PROGRESS_LEVEL = {FixProgress.PLANNED: 1, FixProgress.IN_PROGRESS: 2, FixProgress.DONE: 3}


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    done: bool


@dataclass
class Receipt:
    moment: Moment
    cluster: Cluster | None  # where the moment is now (merges followed)
    together: int  # moments in that cluster, this one included
    confirmed: bool  # a person put it there or marked it 묶음 완료; else the machine did
    stages: list[Stage]
    led_to: list[Fix]  # public fixes this moment led to, any progress
    already: list[Fix]  # finished public fixes that had shipped before it arrived
    underway: list[Fix]  # unfinished public fixes already under way when it arrived
    answer: FixAnswer | None
    hold: Cluster | None = None  # its cluster while 보류, with the public reason
    listed: bool = False  # its cluster is on 듣고 있어요
    hidden_words: str | None = None

    @property
    def fixed(self) -> bool:
        """Every public fix it led to is 개선 완료 (one still under way means 고치고 있어요)."""
        return bool(self.led_to) and all(f.progress is FixProgress.DONE for f in self.led_to)

    @property
    def ask(self) -> Fix | None:
        """The finished fix to ask "해결됐나요?" about, until the receipt has answered once."""
        if self.answer is not None or self.moment.status is MomentStatus.HIDDEN:
            return None
        done = [f for f in self.led_to if f.progress is FixProgress.DONE]
        return (done or self.already or [None])[0]

    @property
    def current(self) -> str | None:
        reached = [s.key for s in self.stages if s.done]
        return reached[-1] if reached else None


def receipt(moment: Moment) -> Receipt:
    """What the receipt page and the thanks page say about a moment, each stage a fact:
    the moment's own status for what a person did with it, cluster membership (said as
    "seems alike" until a person confirms it), the cluster's status up to 개선 중, and the
    least advanced public fix it led to. Only a finished public fix says 고쳤어요."""
    cluster = moment.cluster
    while cluster is not None and cluster.merged_into_id is not None:
        cluster = db.session.get(Cluster, cluster.merged_into_id)
    answer = db.session.get(FixAnswer, moment.id)
    if moment.status is MomentStatus.HIDDEN:
        words = HIDDEN_WORDS.get(
            moment.hidden_reason, _l("살펴본 뒤 개선 과제 목록에는 넣지 않기로 했어요.")
        )
        return Receipt(moment, None, 0, False, [], [], [], [], answer, hidden_words=words)
    found = fixes.published_for(moment)
    confirmed = moment.status is MomentStatus.GROUPED or moment.placed_by_human
    level = min((_PROGRESS_LEVEL[f.progress] for f in found.led_to), default=0)
    status = cluster.status if cluster is not None else ClusterStatus.OPEN
    if not found.already:
        # A desk status says 고치기로 했어요 or 고치고 있어요; 고쳤어요 needs a public finished fix.
        level = max(level, min(_LEVEL.get(status, 0), 2))
    on_hold = status is ClusterStatus.ON_HOLD and not found.led_to
    stages = [
        Stage("received", _("접수했어요"), True),
        Stage(
            "clustered",
            _("비슷한 이야기와 함께 묶었어요")
            if confirmed
            else _("비슷해 보이는 이야기와 함께 모였어요"),
            cluster is not None,
        ),
        Stage(
            "reviewed",
            _("담당자가 살펴봤어요")
            if moment.status is MomentStatus.GROUPED
            else _("담당자가 살펴보고 있어요"),
            moment.status in (MomentStatus.IN_REVIEW, MomentStatus.GROUPED),
        ),
    ]
    if on_hold:
        stages.append(Stage("on_hold", _("지금은 잠시 미뤄 두었어요"), True))
    else:
        stages += [
            Stage("planned", _("고치기로 했어요"), level >= 1),
            Stage("in_progress", _("고치고 있어요"), level >= 2),
            Stage("fixed", _("고쳤어요"), level >= 3),
        ]
    together = reads.sizes([cluster.id]).get(cluster.id, 0) if cluster is not None else 0
    return Receipt(
        moment,
        cluster,
        together,
        confirmed,
        stages,
        found.led_to,
        found.already,
        found.underway,
        answer,
        hold=cluster if on_hold and cluster is not None and cluster.public_note else None,
        listed=bool(cluster is not None and is_listed(cluster)),
    )


def answers(fix: Fix) -> list[FixAnswer]:
    """What people said about a fix, newest first, for the desk (notes are masked)."""
    return list(
        db.session.scalars(
            select(FixAnswer)
            .where(FixAnswer.fix_id == fix.id)
            .order_by(FixAnswer.answered_on.desc(), FixAnswer.resolved)
        )
    )


def answer(moment: Moment, *, resolved: bool, note: str | None, today: date) -> FixAnswer:
    """Record a receipt's one answer to "해결됐나요?". The note is masked like a moment."""
    asked = receipt(moment).ask
    if asked is None:
        raise LoopError(ALREADY_ANSWERED)
    # Cleaned and masked like a moment, then measured: a placeholder can be longer than what it
    # hides, and the column holds 300.
    note = " ".join(privacy.mask_pii(clean_text(note or "")[0], today).text.split())
    if len(note) > NOTE_MAX_CHARS:
        raise LoopError(
            _(
                "가린 뒤의 글이 %(most)s자를 넘어요. %(over)s자를 줄여 주세요.",
                most=NOTE_MAX_CHARS,
                over=len(note) - NOTE_MAX_CHARS,
            ),
            field="note",
        )
    given = FixAnswer(
        moment_id=moment.id,
        fix_id=asked.id,
        resolved=resolved,
        note=note or None,
        answered_on=today,
    )
    db.session.add(given)
    db.session.flush()
    return given


# ---- the desk: regressions -----------------------------------------------------------------------


@dataclass(frozen=True)
class Regression:
    cluster: Cluster
    fix: Fix
    recent: int  # moments in the window after the fix


def regressions(
    campaign: Campaign | None, *, now: datetime, min_moments: int, days: int
) -> list[Regression]:
    """Clusters whose fix is 개선 완료 and public but that received at least `min_moments`
    moments in the last `days` days after it: the problem may be back."""
    statement = select(Fix).where(Fix.state == FixState.PUBLISHED, Fix.progress == FixProgress.DONE)
    if campaign is not None:
        statement = statement.where(Fix.campaign_id == campaign.id)
    found: dict[int, Regression] = {}
    since = now - timedelta(days=days)
    for fix in db.session.scalars(statement):
        end = max(fixes.cutoff(fix), since)
        recent = fixes.after_query(fix).where(Moment.received_hour >= end).subquery()
        rows = db.session.execute(
            select(recent.c.cluster_id, func.count()).group_by(recent.c.cluster_id)
        )
        for cluster_id, n in rows:
            if n >= min_moments and (cluster_id not in found or found[cluster_id].recent < n):
                found[cluster_id] = Regression(db.session.get(Cluster, cluster_id), fix, n)
    return sorted(found.values(), key=lambda r: (-r.recent, r.cluster.id))


# ---- 듣고 있어요 ---------------------------------------------------------------------------------


def is_listed(cluster: Cluster) -> bool:
    return (
        cluster.listed
        and cluster.merged_into_id is None
        and bool(cluster.public_title)
        and cluster.status in LISTENING_STATUSES
        and (cluster.status is not ClusterStatus.ON_HOLD or bool(cluster.public_note))
    )


@dataclass(frozen=True)
class Listening:
    cluster: Cluster
    count: int | None  # None below the public minimum group


def listening(campaign: Campaign | None, *, min_group: int) -> list[Listening]:
    """Open clusters moderators chose to show, with their own title and public word, and a count
    only when it reaches the public minimum group. No moment text."""
    statement = select(Cluster).where(
        Cluster.listed.is_(True),
        Cluster.merged_into_id.is_(None),
        Cluster.status.in_(LISTENING_STATUSES),
    )
    if campaign is not None:
        statement = statement.where(Cluster.campaign_id == campaign.id)
    shown = [c for c in db.session.scalars(statement) if is_listed(c)]
    sizes = dict(
        db.session.execute(
            select(Moment.cluster_id, func.count())
            .where(
                Moment.cluster_id.in_([c.id for c in shown]), Moment.status != MomentStatus.HIDDEN
            )
            .group_by(Moment.cluster_id)
        ).all()
    )
    order = {ClusterStatus.IN_PROGRESS: 0, ClusterStatus.PLANNED: 1, ClusterStatus.ON_HOLD: 2}
    entries = [Listening(c, privacy.public_count(sizes.get(c.id, 0), min_group)) for c in shown]
    return sorted(entries, key=lambda e: (order[e.cluster.status], -(e.count or 0), e.cluster.id))
