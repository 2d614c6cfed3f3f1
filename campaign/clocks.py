"""Clocks and the gray zone between teams: when a moment's first triage and a cluster's public
answer are due, which ones are overdue, and which clusters go to the escalation queue.

Every clock counts the campaign's local days (campaigns.py: Korea by default). A clock that
starts at some instant with a target of N days runs out at the midnight that ends the N-th local
day after the day it started (`deadline`): a moment told on 10월 1일, at any hour, with a 3-day
target is due by 10월 5일 00:00. Done at or before that instant is in time; the clock is over
from one moment after it. Everything here takes `now` as an argument (the app's one clock is
models.utcnow()), so tests freeze it.

- A moment counts as **triaged** at the first thing a person did with it: a status change,
  hiding, a tag, routing to a team or moving it to a cluster (`TRIAGE_ACTIONS` in the audit
  trail; a note is not a decision). The dashboard's median hours to first triage reads the same
  definition (`first_triage`). Its clock starts at the hour it arrived.
- A cluster counts as **answered** at the earlier of: the first time a person moved it out of
  열림 (to 개선 예정, 개선 중, 개선 완료 or 보류: a receipt then says so), and the publication of a
  fix that answers it and is still public. Its clock starts at the arrival of its first visible
  moment (as `analytics.days_to_fix` counts from a fix's first moment).
- A cluster is **overdue** when its public-answer clock has run out unanswered
  (`overdue_clusters`); the worker's sweep tells the webhooks once per cluster and deadline
  (`newly_overdue`, an `OverdueAlert` row each), and a team's digest lists its overdue clusters
  and moments.
- A cluster is **escalated** when it has had no owning team past `unowned_days` after it formed
  (its `created_at`), or when it was handed off from an owning team more than `MAX_HANDOFFS`
  times since an admin last cleared it. Only an admin clears it, by routing it to a team
  (`clustering.decisions.route`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.exc import IntegrityError

from campaign import audit, privacy
from campaign.audit import AuditAction
from campaign.campaigns import day_bounds, local_time, local_today
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    ORIGIN_FORM,
    AuditEvent,
    Campaign,
    Cluster,
    ClusterHandoff,
    ClusterStatus,
    Fix,
    FixCluster,
    FixState,
    Moderator,
    Moment,
    MomentStatus,
    OverdueAlert,
)
from campaign.refusals import Refusal

# Actions by which a person has looked at a moment and done something with it.
TRIAGE_ACTIONS = (
    AuditAction.STATUS,
    AuditAction.HIDE,
    AuditAction.TAG_ADD,
    AuditAction.ROUTE,
    AuditAction.CLUSTER_MOVE,
)
# More hand-offs than this since the last clearance send a cluster to the escalation queue.
MAX_HANDOFFS = 2
# How long after its deadline a cluster still counts as having just run out, for the sweep's
# announcement: a worker down for some hours still tells it; a deploy never tells old ones.
OVERDUE_NEWS = timedelta(days=1)
# What an admin may set a target to, in days.
TARGET_RANGE = (1, 365)


class ClockError(Refusal):
    """Targets that could not be saved as asked; the message (Korean) says why."""


# --- the one rule ---------------------------------------------------------------------------------


def deadline(start: datetime, days: int) -> datetime:
    """When a clock that started at `start` (naive UTC) with a target of `days` local days runs
    out: the local midnight that ends the `days`-th day after the start's local day, as naive
    UTC."""
    return day_bounds(local_time(start).date() + timedelta(days=days))[1]


def is_over(start: datetime, days: int, now: datetime) -> bool:
    """The clock has run out: `now` is past its deadline (at the deadline itself it has not)."""
    return now > deadline(start, days)


def over_before(days: int, now: datetime) -> datetime:
    """The instant that splits clocks of `days` at `now`: a clock that started before it is
    over, one that started at or after it is not (`is_over` as one comparison, for SQL)."""
    today = local_today(now)
    last = today if now > day_bounds(today)[0] else today - timedelta(days=1)
    return day_bounds(last - timedelta(days=days + 1))[1]


@dataclass(frozen=True)
class Clock:
    start: datetime
    deadline: datetime
    done: datetime | None  # when the moment was triaged or the cluster answered
    now: datetime

    @property
    def last_day(self) -> date:
        """The last local day within the target ("10월 4일까지")."""
        return local_time(self.deadline - timedelta(microseconds=1)).date()

    @property
    def overdue(self) -> bool:
        """Not done, and past the deadline now."""
        return self.done is None and self.now > self.deadline

    @property
    def met(self) -> bool | None:
        """True: done in time; False: done late, or not done and overdue; None: still running."""
        if self.done is not None:
            return self.done <= self.deadline
        return False if self.overdue else None


def clock(start: datetime, days: int, done: datetime | None, now: datetime) -> Clock:
    return Clock(start, deadline(start, days), done, now)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# --- campaign targets -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    triage_days: int
    answer_days: int
    unowned_days: int


def targets(campaign: Campaign) -> Targets:
    return Targets(campaign.triage_days, campaign.answer_days, campaign.unowned_days)


def _every_target() -> dict[int, Targets]:
    rows = db.session.execute(
        select(Campaign.id, Campaign.triage_days, Campaign.answer_days, Campaign.unowned_days)
    ).all()
    return {cid: Targets(t, a, u) for cid, t, a, u in rows}


def set_targets(campaign: Campaign, wanted: Targets, *, by: Moderator) -> None:
    """An admin's new targets for the campaign's clocks, each a whole number of days."""
    low, high = TARGET_RANGE
    for field, value in (
        ("triage_days", wanted.triage_days),
        ("answer_days", wanted.answer_days),
        ("unowned_days", wanted.unowned_days),
    ):
        if value is None or not low <= value <= high:
            raise ClockError(
                _("기한은 %(low)s일에서 %(high)s일 사이의 숫자로 써 주세요.", low=low, high=high),
                field=field,
            )
    before = targets(campaign)
    audit.record(
        by,
        AuditAction.CAMPAIGN_CLOCKS,
        campaign,
        data={"from": vars(before), "to": vars(wanted)},
    )
    campaign.triage_days, campaign.answer_days, campaign.unowned_days = (
        wanted.triage_days,
        wanted.answer_days,
        wanted.unowned_days,
    )


# --- moments: first triage ------------------------------------------------------------------------


def first_triage():
    """A subquery (moment_id, at): the first triage action on each moment that had one."""
    return (
        select(AuditEvent.target_id.label("moment_id"), func.min(AuditEvent.at).label("at"))
        .where(AuditEvent.target_type == "moment", AuditEvent.action.in_(TRIAGE_ACTIONS))
        .group_by(AuditEvent.target_id)
        .subquery()
    )


def _triaged():
    """A condition on Moment: a person has triaged it."""
    return exists(
        select(AuditEvent.id).where(
            AuditEvent.target_type == "moment",
            AuditEvent.target_id == Moment.id,
            AuditEvent.action.in_(TRIAGE_ACTIONS),
        )
    )


def overdue_moments_clause(now: datetime):
    """A condition on Moment: told here (not imported), visible, not triaged, and past its
    campaign's triage target."""
    per_campaign = [
        and_(
            Moment.campaign_id == campaign_id,
            Moment.received_hour < over_before(t.triage_days, now),
        )
        for campaign_id, t in _every_target().items()
    ]
    return and_(
        Moment.origin == ORIGIN_FORM,
        Moment.status != MomentStatus.HIDDEN,
        or_(false(), *per_campaign),
        ~_triaged(),
    )


def moment_clocks(moments: list[Moment], now: datetime) -> dict[str, Clock]:
    """The triage clock of each moment told here, by id (one query for the first triage of them
    all). An imported moment has none: it was heard in another channel, maybe long ago, and the
    clock measures how soon the desk answers people who told it here."""
    moments = [m for m in moments if not m.imported]
    if not moments:
        return {}
    first = dict(
        db.session.execute(
            select(AuditEvent.target_id, func.min(AuditEvent.at))
            .where(
                AuditEvent.target_type == "moment",
                AuditEvent.target_id.in_([m.id for m in moments]),
                AuditEvent.action.in_(TRIAGE_ACTIONS),
            )
            .group_by(AuditEvent.target_id)
        ).all()
    )
    days = _every_target()
    return {
        m.id: clock(m.received_hour, days[m.campaign_id].triage_days, first.get(m.id), now)
        for m in moments
    }


def overdue_moment_ids(
    moments: list[Moment], now: datetime, known: dict[str, Clock] | None = None
) -> set[str]:
    """Which of these moments carry the 기한 지남 badge (hidden ones never do); `known` are their
    clocks when the caller has them already."""
    clocks = known if known is not None else moment_clocks(moments, now)
    return {
        m.id
        for m in moments
        if m.status is not MomentStatus.HIDDEN and m.id in clocks and clocks[m.id].overdue
    }


# --- clusters: the public answer ------------------------------------------------------------------


def answered_at(cluster_ids: list[int]) -> dict[int, datetime]:
    """When each cluster was first answered in public (see the module's docstring), by id."""
    if not cluster_ids:
        return {}
    ids = [str(i) for i in cluster_ids]
    found: dict[int, datetime] = {}
    moved = db.session.execute(
        select(AuditEvent.target_id, AuditEvent.at, AuditEvent.data).where(
            AuditEvent.target_type == "cluster",
            AuditEvent.target_id.in_(ids),
            AuditEvent.action == AuditAction.CLUSTER_STATUS,
        )
    ).all()
    for target_id, at, data in moved:
        if (data or {}).get("to", ClusterStatus.OPEN.value) != ClusterStatus.OPEN.value:
            key = int(target_id)
            found[key] = min(found.get(key, at), at)
    published = db.session.execute(
        select(FixCluster.cluster_id, func.min(Fix.published_at))
        .join(Fix, Fix.id == FixCluster.fix_id)
        .where(
            FixCluster.cluster_id.in_(cluster_ids),
            Fix.state == FixState.PUBLISHED,
            Fix.published_at.isnot(None),
        )
        .group_by(FixCluster.cluster_id)
    ).all()
    for cluster_id, at in published:
        found[cluster_id] = min(found.get(cluster_id, at), at)
    return found


def cluster_starts(cluster_ids: list[int]) -> dict[int, datetime]:
    """The arrival of each cluster's first visible moment, by id (clusters with none left out)."""
    if not cluster_ids:
        return {}
    return dict(
        db.session.execute(
            select(Moment.cluster_id, func.min(Moment.received_hour))
            .where(Moment.cluster_id.in_(cluster_ids), Moment.status != MomentStatus.HIDDEN)
            .group_by(Moment.cluster_id)
        ).all()
    )


def cluster_clocks(clusters: list[Cluster], now: datetime) -> dict[int, Clock]:
    """The public-answer clock of each cluster that has a visible moment, by id."""
    ids = [c.id for c in clusters]
    starts, answered, days = cluster_starts(ids), answered_at(ids), _every_target()
    return {
        c.id: clock(starts[c.id], days[c.campaign_id].answer_days, answered.get(c.id), now)
        for c in clusters
        if c.id in starts
    }


def overdue_clusters(
    now: datetime,
    *,
    campaign_id: int | None = None,
    team_id: int | None = None,
    since: datetime | None = None,
) -> list[tuple[Cluster, Clock]]:
    """Clusters (not merged away) whose public-answer clock has run out unanswered at `now`,
    with their clocks, the earliest deadline first; of one campaign or one owning team, and
    with `since` only those whose deadline came at or after it. One grouped query finds the
    candidates (the first visible moment before `over_before`, per campaign); `answered_at`
    takes out those answered."""
    starts = (
        select(Moment.cluster_id.label("cluster_id"), func.min(Moment.received_hour).label("start"))
        .where(Moment.cluster_id.is_not(None), Moment.status != MomentStatus.HIDDEN)
        .group_by(Moment.cluster_id)
        .subquery()
    )
    days = _every_target()
    late = []
    for cid, t in days.items():
        condition = [Cluster.campaign_id == cid, starts.c.start < over_before(t.answer_days, now)]
        if since is not None:  # not yet over at `since`: its deadline is at or after it
            condition.append(starts.c.start >= over_before(t.answer_days, since))
        late.append(and_(*condition))
    statement = (
        select(Cluster, starts.c.start)
        .join(starts, starts.c.cluster_id == Cluster.id)
        .where(Cluster.merged_into_id.is_(None), or_(false(), *late))
    )
    if campaign_id is not None:
        statement = statement.where(Cluster.campaign_id == campaign_id)
    if team_id is not None:
        statement = statement.where(Cluster.team_id == team_id)
    rows = db.session.execute(statement).all()
    answered = answered_at([c.id for c, _ in rows])
    found = [
        (c, clock(start, days[c.campaign_id].answer_days, answered.get(c.id), now))
        for c, start in rows
    ]
    return sorted(
        ((c, k) for c, k in found if k.overdue), key=lambda row: (row[1].deadline, row[0].id)
    )


def newly_overdue(now: datetime) -> list[tuple[Cluster, Clock]]:
    """Clusters whose public-answer clock ran out within OVERDUE_NEWS before `now` and that
    nobody was told of for this deadline yet: each recorded (`OverdueAlert`) and returned once,
    however many sweeps see it (two workers' sweeps included: the row is unique per cluster and
    deadline). The worker's sweep announces what it returns. Adds and flushes; writes nothing
    when nothing is new."""
    found = overdue_clusters(now, since=now - OVERDUE_NEWS)
    if not found:
        return []
    told = set(
        db.session.execute(
            select(OverdueAlert.cluster_id, OverdueAlert.deadline).where(
                OverdueAlert.cluster_id.in_([c.id for c, _ in found])
            )
        ).all()
    )
    new = []
    for cluster, k in found:
        if (cluster.id, k.deadline) in told:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    OverdueAlert(cluster_id=cluster.id, deadline=k.deadline, announced_at=now)
                )
        except IntegrityError:  # another worker's sweep recorded it first: theirs to tell
            continue
        new.append((cluster, k))
    return new


def overdue_moments(now: datetime, *, team_id: int, limit: int = 10) -> tuple[list[Moment], int]:
    """Moments a team owns (their own team, else their cluster's) that are past their triage
    target untriaged (`overdue_moments_clause`): the longest waiting first, at most `limit`,
    and how many there are."""
    statement = (
        select(Moment)
        .outerjoin(Cluster, Cluster.id == Moment.cluster_id)
        .where(
            func.coalesce(Moment.team_id, Cluster.team_id) == team_id,
            overdue_moments_clause(now),
        )
    )
    count = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    if not count:
        return [], 0
    shown = db.session.scalars(statement.order_by(Moment.received_hour, Moment.id).limit(limit))
    return list(shown), count


# --- the gray zone: hand-offs and escalation ------------------------------------------------------


def _handoff_counts():
    """A subquery (cluster_id, n): hand-offs away from an owning team, per cluster."""
    return (
        select(ClusterHandoff.cluster_id, func.count().label("n"))
        .where(ClusterHandoff.from_team_id.isnot(None))
        .group_by(ClusterHandoff.cluster_id)
        .subquery()
    )


def handoff_count(cluster: Cluster) -> int:
    """How many times the cluster was handed off from an owning team (to another, or to none)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(ClusterHandoff)
            .where(ClusterHandoff.cluster_id == cluster.id, ClusterHandoff.from_team_id.isnot(None))
        )
        or 0
    )


@dataclass(frozen=True)
class Escalation:
    """Why a cluster is in the escalation queue: no owner past its target, bounced, or both."""

    cluster: Cluster
    unowned_since: datetime | None  # when it formed, when it is here for having no owner
    unowned_deadline: datetime | None
    handoffs: int  # since the last clearance

    @property
    def bounced(self) -> bool:
        return self.handoffs > MAX_HANDOFFS

    @property
    def unowned(self) -> bool:
        return self.unowned_since is not None


def escalations(campaign_id: int | None, now: datetime) -> list[Escalation]:
    """The escalation queue: clusters (not merged away, with a visible moment) that have had no
    owning team past their campaign's `unowned_days`, or were handed off more than
    MAX_HANDOFFS times since an admin last cleared them; longest waiting first."""
    counts = _handoff_counts()
    handed = func.coalesce(counts.c.n, 0) - Cluster.handoffs_cleared
    days = _every_target()
    unowned = or_(
        false(),
        *[
            and_(Cluster.campaign_id == cid, Cluster.created_at < over_before(t.unowned_days, now))
            for cid, t in days.items()
        ],
    )
    visible = exists(
        select(Moment.id).where(
            Moment.cluster_id == Cluster.id, Moment.status != MomentStatus.HIDDEN
        )
    )
    statement = (
        select(Cluster, handed)
        .outerjoin(counts, counts.c.cluster_id == Cluster.id)
        .where(
            Cluster.merged_into_id.is_(None),
            or_(and_(Cluster.team_id.is_(None), unowned), handed > MAX_HANDOFFS),
            visible,
        )
        .order_by(Cluster.created_at, Cluster.id)
    )
    if campaign_id is not None:
        statement = statement.where(Cluster.campaign_id == campaign_id)
    out = []
    for cluster, n in db.session.execute(statement).all():
        is_unowned = cluster.team_id is None and is_over(
            cluster.created_at, days[cluster.campaign_id].unowned_days, now
        )
        out.append(
            Escalation(
                cluster,
                cluster.created_at if is_unowned else None,
                deadline(cluster.created_at, days[cluster.campaign_id].unowned_days)
                if is_unowned
                else None,
                n,
            )
        )
    return out


def escalation_of(cluster: Cluster, now: datetime) -> Escalation | None:
    """Whether this one cluster is in the queue, and why."""
    if cluster.merged_into_id is not None:
        return None
    handed = handoff_count(cluster) - cluster.handoffs_cleared
    days = db.session.get(Campaign, cluster.campaign_id).unowned_days
    unowned = cluster.team_id is None and is_over(cluster.created_at, days, now)
    if not unowned and handed <= MAX_HANDOFFS:
        return None
    if not db.session.scalar(
        select(
            exists().where(Moment.cluster_id == cluster.id, Moment.status != MomentStatus.HIDDEN)
        )
    ):
        return None
    return Escalation(
        cluster,
        cluster.created_at if unowned else None,
        deadline(cluster.created_at, days) if unowned else None,
        handed,
    )


def escalated_ids(campaign_id: int | None, now: datetime) -> set[int]:
    return {e.cluster.id for e in escalations(campaign_id, now)}


HANDOFF_REASON_MAX = 200


def record_handoff(
    cluster: Cluster,
    to_team_id: int | None,
    reason: str,
    *,
    by: Moderator | None,
    now: datetime,
) -> ClusterHandoff:
    """One routing of a cluster from its team to another (or none), with the reason given."""
    handoff = ClusterHandoff(
        cluster_id=cluster.id,
        from_team_id=cluster.team_id,
        to_team_id=to_team_id,
        reason=reason,
        at=now,
        by_id=by.id if by else None,
    )
    db.session.add(handoff)
    return handoff


def clean_reason(reason: str | None, *, now: datetime) -> str:
    """The reason for a hand-off as stored: one line, personal data masked; refused when empty
    or longer than HANDOFF_REASON_MAX."""
    text = " ".join(privacy.mask_pii(reason or "", local_today(now)).text.split())
    if not 2 <= len(text) <= HANDOFF_REASON_MAX:
        raise ClockError(
            _(
                "담당 팀을 정하는 이유를 2~%(most)s자로 짧게 써 주세요. "
                "예: 결제 화면은 카드팀이 맡고 있어요",
                most=HANDOFF_REASON_MAX,
            ),
            field="reason",
        )
    return text


def clear(cluster: Cluster, *, by: Moderator | None) -> None:
    """An admin routed an escalated cluster: later hand-offs start counting from here."""
    db.session.flush()
    cluster.handoffs_cleared = handoff_count(cluster)
    audit.record(by, AuditAction.ESCALATION_CLEAR, cluster, data={"team": cluster.team_id})


def handoffs(*, campaign_id: int | None = None, cluster: Cluster | None = None, limit: int = 20):
    """Recent hand-offs, newest first: of one cluster, or of a campaign's clusters."""
    statement = select(ClusterHandoff).order_by(ClusterHandoff.at.desc(), ClusterHandoff.id.desc())
    if cluster is not None:
        statement = statement.where(ClusterHandoff.cluster_id == cluster.id)
    elif campaign_id is not None:
        statement = statement.join(Cluster, Cluster.id == ClusterHandoff.cluster_id).where(
            Cluster.campaign_id == campaign_id
        )
    return list(db.session.scalars(statement.limit(limit)))
