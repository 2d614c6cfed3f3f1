"""The dashboard's figures: what a campaign is telling us, and what was done about it.

Every figure is aggregated in SQL (grouped by the stored hour, category, channel, cluster or
team), so at 100,000 moments Python only folds a few thousand rows; the two medians read one
number per triaged moment or per answered cluster. Days are Korean calendar days.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, case, func, or_, select

from campaign import audit, clocks, fixes, loop, privacy, spikes
from campaign.audit import AuditAction
from campaign.campaigns import local_time, local_today
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.labels import (
    CLUSTER_STATUS_LABELS,
    FIX_PROGRESS_LABELS,
    FIX_STATE_LABELS,
    STATUS_LABELS,
)
from campaign.models import (
    ORIGIN_FORM,
    ORIGIN_IMPORT,
    Campaign,
    Cluster,
    Fix,
    FixProgress,
    FixState,
    Moment,
    MomentStatus,
    Source,
    Tag,
    Team,
    fix_moment,
    moment_tag,
)

# Actions by which a person has looked at a moment and done something with it (defined once,
# in clocks.py, which the triage clock shares).
TRIAGE_ACTIONS = clocks.TRIAGE_ACTIONS
NONE_LABEL = _l("고르지 않음")
IMPORTED_LABEL = _l("가져온 이야기")  # moments another channel heard first (imports.py)
NO_TEAM = _l("담당 팀 없음")
# Moments told on the form without a source link (sources.py). A data key, not shown as it is:
# the templates print it in the reader's language.
DIRECT_LABEL = "직접 방문"


def count_moments(f: Filter) -> int:
    """How many moments the filter holds."""
    return db.session.scalar(_moments(f, func.count())) or 0


@dataclass(frozen=True)
class Filter:
    campaign: Campaign | None
    zone: ZoneInfo  # the campaign's calendar (config TIMEZONE)
    since: date | None = None  # local dates, inclusive
    until: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """The filter's days as naive UTC hours (moments keep their arrival hour in UTC)."""

        def utc(day: date) -> datetime:
            return (
                datetime.combine(day, time(), self.zone)
                .astimezone(timezone.utc)
                .replace(tzinfo=None)
            )

        return (
            utc(self.since) if self.since else None,
            utc(self.until + timedelta(days=1)) if self.until else None,
        )

    def day(self, hour: datetime) -> date:
        return hour.replace(tzinfo=timezone.utc).astimezone(self.zone).date()


def _moments(f: Filter, *columns) -> Select:
    """Moments in the filter; without a campaign, every campaign's (the teams page)."""
    statement = select(*columns) if columns else select(Moment)
    start, end = f.bounds()
    conditions = [Moment.campaign_id == f.campaign.id] if f.campaign else []
    if start is not None:
        conditions.append(Moment.received_hour >= start)
    if end is not None:
        conditions.append(Moment.received_hour < end)
    return statement.where(*conditions)


@dataclass(frozen=True)
class Median:
    """A median with the size of the sample behind it; `value` stays None below the minimum
    sample (MEDIAN_MIN_SAMPLE), where one or two cases would read as a trend."""

    value: float | None
    n: int

    @classmethod
    def of(cls, values: list[float], minimum: int) -> Median:
        shown = round(statistics.median(values), 1) if values and len(values) >= minimum else None
        return cls(shown, len(values))


@dataclass
class Dashboard:
    total: int
    visible: int
    per_day: list[tuple[date, int]]
    by_category: list[tuple[str, int]]
    by_channel: list[tuple[str, int]]
    top_by_size: list[tuple[Cluster, int, int]]  # cluster, size, last 7 days
    top_by_growth: list[tuple[Cluster, int, int]]
    backlog: int
    backlog_age: list[tuple[str, int]]  # bucket label, moments
    oldest_waiting_days: int | None
    hours_to_triage: Median
    days_to_fix: Median
    closure_rate: float | None  # share of visible moments that led to a finished public fix
    closed: int
    teams: list[TeamRow] = field(default_factory=list)
    unowned_clusters: int = 0
    fixes: list[FixRow] = field(default_factory=list)
    regressions: list[loop.Regression] = field(default_factory=list)
    clocks: ClockFigures | None = None
    escalated: int = 0  # clusters in the escalation queue now
    handoffs: list = field(default_factory=list)  # the latest hand-offs between teams
    # Clusters spiking now and urgent moments nobody has looked at (spikes.alerts): about now,
    # whatever the filter's dates.
    alerts: spikes.Alerts | None = None
    by_source: list[tuple[str, int]] = field(default_factory=list)  # source_rows
    silent_sources: list[SilentSource] = field(default_factory=list)


@dataclass(frozen=True)
class SilentSource:
    """A source in use that brought no moment in the filter's range, and for how many local
    days it has existed."""

    name: str
    code: str
    days: int


@dataclass(frozen=True)
class FixRow:
    """A public fix on the dashboard: moments it answers, arrivals after it, and what people
    said when asked "해결됐나요?"."""

    fix: Fix
    moments: int
    after: int
    answered: int
    solved: int

    @property
    def confirmation(self) -> float | None:
        return self.solved / self.answered if self.answered else None


@dataclass
class TeamRow:
    team_id: int | None
    name: str
    moments: int
    waiting: int  # received or in review, and not answered by a finished fix
    closed: int  # led to a finished public fix

    @property
    def closure(self) -> float:
        return self.closed / self.moments if self.moments else 0.0


def dashboard(
    f: Filter,
    *,
    now: datetime,
    min_sample: int,
    regression: tuple[int, int],
    rule: spikes.Rule | None = None,
) -> Dashboard:
    """Every figure of the desk's dashboard for the filter. `regression` is (moments, days):
    how many arrivals within how many days after a finished fix flag its cluster; `rule` the
    spike rule (the settings' when None)."""
    today = local_today(now)
    facts = _breakdown(f)
    visible_facts = [r for r in facts if r.status is not MomentStatus.HIDDEN]
    visible = sum(r.n for r in visible_facts)
    closed = sum(r.n for r in visible_facts if r.answered)
    sizes, growth = _cluster_sizes(f, now)
    clusters = {
        c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.id.in_(list(sizes))))
    }
    ranked = [(clusters[cid], n, growth.get(cid, 0)) for cid, n in sizes.items() if cid in clusters]
    top_by_size = sorted(ranked, key=lambda r: (-r[1], r[0].id))[:10]
    top_by_growth = sorted([r for r in ranked if r[2]], key=lambda r: (-r[2], -r[1], r[0].id))[:10]
    backlog, age, oldest = _backlog(f, now)
    return Dashboard(
        total=sum(r.n for r in facts),
        visible=visible,
        per_day=_per_day(f, today),
        by_category=_shares(visible_facts, "category"),
        by_channel=_shares(visible_facts, "channel_shown"),
        top_by_size=top_by_size,
        top_by_growth=top_by_growth,
        backlog=backlog,
        backlog_age=age,
        oldest_waiting_days=oldest,
        hours_to_triage=Median.of(_hours_to_triage(f), min_sample),
        days_to_fix=Median.of(days_to_fix(f.campaign), min_sample),
        closure_rate=closed / visible if visible else None,
        closed=closed,
        teams=_teams(visible_facts),
        unowned_clusters=sum(
            1 for c in clusters.values() if c.team_id is None and c.merged_into_id is None
        ),
        fixes=fix_rows(f.campaign),
        regressions=loop.regressions(
            f.campaign, now=now, min_moments=regression[0], days=regression[1]
        ),
        clocks=clock_figures(f, now=now),
        escalated=len(clocks.escalations(f.campaign.id if f.campaign else None, now)),
        handoffs=clocks.handoffs(campaign_id=f.campaign.id if f.campaign else None, limit=15),
        alerts=spikes.alerts(f.campaign.id if f.campaign else None, now, rule),
        by_source=source_rows(f),
        silent_sources=silent_sources(f, now=now),
    )


def _source_counts(f: Filter) -> dict[int | None, int]:
    """Visible moments told on the form in the filter, by source (None: without one). Imported
    moments were heard elsewhere and never came through a link, so they are not counted."""
    rows = db.session.execute(
        _moments(f, Moment.source_id, func.count())
        .where(Moment.origin == ORIGIN_FORM, Moment.status != MomentStatus.HIDDEN)
        .group_by(Moment.source_id)
    ).all()
    return dict(rows)


def _source_names(f: Filter) -> dict[int, str]:
    statement = select(Source.id, Source.name)
    if f.campaign is not None:
        statement = statement.where(Source.campaign_id == f.campaign.id)
    return dict(db.session.execute(statement).all())


def source_rows(f: Filter) -> list[tuple[str, int]]:
    """어디서 알려줬나요: the filter's visible moments told on the form, per source by name
    (retired ones included: they still brought them), those without a source as 직접 방문;
    largest first. Empty while the campaign has no source at all."""
    names = _source_names(f)
    if not names:
        return []
    counts: Counter = Counter()
    for source_id, n in _source_counts(f).items():
        counts[names.get(source_id) or DIRECT_LABEL] += n
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))


def silent_sources(f: Filter, *, now: datetime) -> list[SilentSource]:
    """Sources in use, made before the filter's range ends, that brought no visible moment in
    it: where people were asked and nobody answered. Longest silent first, with how many local
    days each has existed (today counted from the day it was made)."""
    counts = _source_counts(f)
    _, end = f.bounds()
    statement = (
        select(Source).where(Source.retired_at.is_(None)).order_by(Source.created_at, Source.id)
    )
    if f.campaign is not None:
        statement = statement.where(Source.campaign_id == f.campaign.id)
    if end is not None:
        statement = statement.where(Source.created_at < end)
    today = local_today(now)
    return [
        SilentSource(s.name, s.code, (today - f.day(s.created_at)).days)
        for s in db.session.scalars(statement)
        if not counts.get(s.id)
    ]


def fix_rows(campaign: Campaign | None) -> list[FixRow]:
    statement = (
        select(Fix)
        .where(Fix.state == FixState.PUBLISHED)
        .order_by(Fix.published_at.desc(), Fix.id.desc())
    )
    if campaign is not None:
        statement = statement.where(Fix.campaign_id == campaign.id)
    shown = list(db.session.scalars(statement))
    counts, after = fixes.counts(shown), fixes.after_counts(shown)
    answers = fixes.answer_counts([fix.id for fix in shown])
    return [
        FixRow(fix, counts[fix.id], after[fix.id], *answers.get(fix.id, (0, 0))) for fix in shown
    ]


@dataclass(frozen=True)
class _Fact:
    category: str | None
    channel: str | None
    status: MomentStatus
    team_id: int | None  # the moment's own team, else its cluster's
    answered: bool  # led to a finished public fix, directly or through its cluster
    n: int
    origin: str = ORIGIN_FORM

    @property
    def channel_shown(self) -> str | None:
        """The channel as the dashboard counts it: imported moments apart from those told here,
        since another channel heard them first ("가져온 이야기 · 전화 상담")."""
        if self.origin != ORIGIN_IMPORT:
            return self.channel
        return f"{IMPORTED_LABEL} · {self.channel}" if self.channel else IMPORTED_LABEL


def _breakdown(f: Filter) -> list[_Fact]:
    """Moments counted by category, channel, status, owning team and whether they led to a
    finished public fix: one scan feeds the totals, both shares, the closure rate and team
    queues."""
    owner = func.coalesce(Moment.team_id, Cluster.team_id)
    answered = case((_answered(), 1), else_=0)
    rows = db.session.execute(
        _moments(
            f,
            Moment.category,
            Moment.channel,
            Moment.status,
            owner,
            answered,
            func.count(),
            Moment.origin,
        )
        .outerjoin(Cluster, Cluster.id == Moment.cluster_id)
        .group_by(Moment.category, Moment.channel, Moment.status, owner, answered, Moment.origin)
    ).all()
    return [
        _Fact(category, channel, status, team, bool(flag), n, origin)
        for category, channel, status, team, flag, n, origin in rows
    ]


def _per_day(f: Filter, today: date) -> list[tuple[date, int]]:
    """Moments per local day over the filter's range (by default the campaign's days so far),
    every day present, zeros included."""
    rows = db.session.execute(
        _moments(f, Moment.received_hour, func.count()).group_by(Moment.received_hour)
    ).all()
    counts: Counter = Counter()
    for hour, n in rows:
        counts[f.day(hour)] += n
    campaign = f.campaign
    first = f.since or (campaign.opens_on if campaign else today)
    last = f.until or (min(today, campaign.closes_on) if campaign and campaign.closes_on else today)
    if counts:
        first, last = min(first, min(counts)), max(last, max(counts))
    last = max(first, last)
    first = max(first, last - timedelta(days=399))  # a very long range: the latest 400 days
    return [
        (first + timedelta(days=i), counts.get(first + timedelta(days=i), 0))
        for i in range((last - first).days + 1)
    ]


def _shares(facts: list[_Fact], attribute: str) -> list[tuple[str, int]]:
    counts: Counter = Counter()
    for fact in facts:
        counts[getattr(fact, attribute) or NONE_LABEL] += fact.n
    return sorted(counts.items(), key=lambda r: (-r[1], r[0]))


def _cluster_sizes(f: Filter, now: datetime) -> tuple[dict[int, int], dict[int, int]]:
    week = now - timedelta(days=7)
    rows = db.session.execute(
        _moments(
            f, Moment.cluster_id, func.count(), func.count(case((Moment.received_hour >= week, 1)))
        )
        .where(Moment.cluster_id.isnot(None), Moment.status != MomentStatus.HIDDEN)
        .group_by(Moment.cluster_id)
    ).all()
    return {cid: n for cid, n, _ in rows}, {cid: g for cid, _, g in rows}


BACKLOG_BUCKETS = (
    (_l("하루 안"), 1),
    (_l("1~3일"), 3),
    (_l("3~7일"), 7),
    (_l("1~4주"), 28),
    (_l("4주 넘게"), None),
)


def _backlog(f: Filter, now: datetime) -> tuple[int, list[tuple[str, int]], int | None]:
    """Moments nobody has triaged yet (still 접수), by how long they have waited."""
    rows = db.session.execute(
        _moments(f, Moment.received_hour, func.count())
        .where(Moment.status == MomentStatus.RECEIVED)
        .group_by(Moment.received_hour)
    ).all()
    buckets = Counter()
    oldest = None
    for hour, n in rows:
        waited = (now - hour).total_seconds() / 86400
        oldest = max(oldest or 0, int(waited))
        for label, limit in BACKLOG_BUCKETS:
            if limit is None or waited < limit:
                buckets[label] += n
                break
    return (
        sum(buckets.values()),
        [(label, buckets.get(label, 0)) for label, _ in BACKLOG_BUCKETS],
        oldest,
    )


def _hours_to_triage(f: Filter) -> list[float]:
    """Hours from each moment's arrival to the first thing a person did with it (its first
    triage, as the triage clock counts it: clocks.first_triage)."""
    first_action = clocks.first_triage()
    rows = db.session.execute(
        _moments(f, Moment.received_hour, first_action.c.at).join(
            first_action, first_action.c.moment_id == Moment.id
        )
    ).all()
    # The arrival is known to the hour only; count from the middle of that hour.
    return [max((at - hour).total_seconds() / 3600 - 0.5, 0.0) for hour, at in rows]


def _answered():
    """A condition on Moment: it led to a public fix that is 개선 완료, linked by hand or in
    one of the fix's clusters (merges followed) before the fix's cutoff. Later arrivals in a
    fixed cluster did not lead to it and are not counted as closed."""
    done = select(Fix).where(Fix.state == FixState.PUBLISHED, Fix.progress == FixProgress.DONE)
    direct = (
        select(fix_moment.c.moment_id)
        .join(Fix, Fix.id == fix_moment.c.fix_id)
        .where(Fix.state == FixState.PUBLISHED, Fix.progress == FixProgress.DONE)
    )
    via = [
        and_(
            Moment.cluster_id.in_(fixes.answered_clusters([fix.id])),
            Moment.received_hour < fixes.cutoff(fix),
        )
        for fix in db.session.scalars(done)
    ]
    return or_(Moment.id.in_(direct), *via)


def days_to_fix(campaign: Campaign | None) -> list[int]:
    """Calendar days (in the campaign's zone) from the first moment that led to each finished
    public fix to the day it shipped (its ship date, else the day it was published): one number
    per fix. The dashboard, /stats and the API all read this one definition."""
    statement = select(Fix).where(Fix.state == FixState.PUBLISHED, Fix.progress == FixProgress.DONE)
    if campaign is not None:
        statement = statement.where(Fix.campaign_id == campaign.id)
    days = []
    for fix in db.session.scalars(statement):
        first, _ = fixes.moment_dates(fix)
        end = fix.shipped_on or (local_time(fix.published_at).date() if fix.published_at else None)
        if first is not None and end is not None:
            days.append(max((end - local_time(first).date()).days, 0))
    return days


@dataclass(frozen=True)
class Share:
    """Of the clocks that are decided (done, or run out undone), how many were met in time."""

    label: str
    met: int
    due: int

    @property
    def share(self) -> float | None:
        return self.met / self.due if self.due else None


@dataclass(frozen=True)
class ClockFigures:
    triage_days: int | None  # the chosen campaign's targets (None: every campaign)
    answer_days: int | None
    triage: Share
    answer: Share
    triage_by_team: list[Share]
    triage_by_week: list[Share]  # ISO weeks of arrival, oldest first
    answer_by_team: list[Share]
    answer_by_week: list[Share]
    overdue_moments: int  # visible, untriaged and past the target now
    overdue_clusters: int  # unanswered and past the target now


def _shares_of(
    outcomes: list[tuple[str, str, bool, int]],
) -> tuple[Share, list[Share], list[Share]]:
    """(team, week, met, how many) outcomes folded into the total, per team and per week."""
    teams: dict[str, list[int]] = {}
    weeks: dict[str, list[int]] = {}
    for team, week, met, n in outcomes:
        for table, key in ((teams, team), (weeks, week)):
            row = table.setdefault(key, [0, 0])
            row[0] += n if met else 0
            row[1] += n
    met_total = sum(n for _, _, met, n in outcomes if met)
    total = Share(_("전체"), met_total, sum(n for *_, n in outcomes))
    by_team = sorted(
        (Share(k, *v) for k, v in teams.items()), key=lambda r: (r.label == NO_TEAM, r.label)
    )
    by_week = [Share(k, *weeks[k]) for k in sorted(weeks)]
    return total, by_team, by_week


def clock_figures(f: Filter, *, now: datetime) -> ClockFigures:
    """The share of clock targets met, per owning team and per ISO week (of the local day the
    clock started), for the filter's moments and the clusters whose first visible moment falls
    in it. The definitions are clocks.py's, shared with the rest of the dashboard:

    - 처음 살펴보기 (first triage): a moment's clock starts at its arrival hour and stops at its
      first triage action, the same event `_hours_to_triage` counts from (clocks.first_triage).
      Hidden moments count too: hiding is a triage action. Its team is the owning team of
      `team_rows` (the moment's own, else its cluster's).
    - 공개 답 (public answer): a cluster's clock starts at its first visible moment and stops
      when it was first answered in public (clocks.answered_at: moved out of 열림 by a person, or
      answered by a published fix). Its team is the cluster's.

    A clock counts once it is decided: met when stopped by its deadline (clocks.deadline, local
    days), missed when stopped later or still running past it; a clock still within its target
    is not counted yet."""
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    days = {
        cid: (t, a)
        for cid, t, a in db.session.execute(
            select(Campaign.id, Campaign.triage_days, Campaign.answer_days)
        ).all()
    }
    first = clocks.first_triage()
    owner = func.coalesce(Moment.team_id, Cluster.team_id)
    # Untriaged moments of the same hour and owner come as one row with their count.
    grouping = (Moment.campaign_id, Moment.received_hour, Moment.status, owner, first.c.at)
    rows = db.session.execute(
        _moments(f, *grouping, func.count())
        .outerjoin(Cluster, Cluster.id == Moment.cluster_id)
        .outerjoin(first, first.c.moment_id == Moment.id)
        .where(Moment.origin == ORIGIN_FORM)  # an imported moment has no triage clock
        .group_by(*grouping)
    ).all()
    deadlines: dict[tuple[int, datetime], datetime] = {}
    triage, overdue_moments = [], 0
    for campaign_id, hour, status, team, at, n in rows:
        key = (campaign_id, hour)
        if key not in deadlines:
            deadlines[key] = clocks.deadline(hour, days[campaign_id][0])
        clock = clocks.Clock(hour, deadlines[key], at, now)
        if clock.overdue and status is not MomentStatus.HIDDEN:
            overdue_moments += n
        if clock.met is not None:
            week = clocks.iso_week(f.day(hour))
            triage.append((names.get(team, NO_TEAM) if team else NO_TEAM, week, clock.met, n))
    answer, overdue_clusters = _answer_outcomes(f, now, names, days)
    triage_total, triage_team, triage_week = _shares_of(triage)
    answer_total, answer_team, answer_week = _shares_of(answer)
    chosen = days.get(f.campaign.id) if f.campaign else None
    return ClockFigures(
        triage_days=chosen[0] if chosen else None,
        answer_days=chosen[1] if chosen else None,
        triage=triage_total,
        answer=answer_total,
        triage_by_team=triage_team,
        triage_by_week=triage_week,
        answer_by_team=answer_team,
        answer_by_week=answer_week,
        overdue_moments=overdue_moments,
        overdue_clusters=overdue_clusters,
    )


def _answer_outcomes(
    f: Filter, now: datetime, names: dict, days: dict
) -> tuple[list[tuple[str, str, bool, int]], int]:
    statement = select(Cluster.id, Cluster.campaign_id, Cluster.team_id).where(
        Cluster.merged_into_id.is_(None)
    )
    if f.campaign is not None:
        statement = statement.where(Cluster.campaign_id == f.campaign.id)
    clusters = db.session.execute(statement).all()
    ids = [cid for cid, _, _ in clusters]
    starts, answered = clocks.cluster_starts(ids), clocks.answered_at(ids)
    start, end = f.bounds()
    outcomes, overdue = [], 0
    for cid, campaign_id, team in clusters:
        began = starts.get(cid)
        if began is None or (start and began < start) or (end and began >= end):
            continue
        clock = clocks.clock(began, days[campaign_id][1], answered.get(cid), now)
        overdue += clock.overdue
        if clock.met is not None:
            week = clocks.iso_week(f.day(began))
            outcomes.append((names.get(team, NO_TEAM) if team else NO_TEAM, week, clock.met, 1))
    return outcomes, overdue


def team_rows(f: Filter) -> list[TeamRow]:
    """Per owning team (a moment's own, else its cluster's): visible moments, those waiting and
    those a published fix answers. The dashboard and the teams page both read this."""
    return _teams([fact for fact in _breakdown(f) if fact.status is not MomentStatus.HIDDEN])


def _teams(facts: list[_Fact]) -> list[TeamRow]:
    """Per owning team: moments, those waiting (접수 or 검토 중, not yet answered), and those that
    led to a finished public fix."""
    rows: dict[int | None, list[int]] = {}
    for fact in facts:
        row = rows.setdefault(fact.team_id, [0, 0, 0])
        row[0] += fact.n
        # A moment a finished fix answers is no longer waiting, whatever its own status says.
        row[1] += (
            fact.n
            if fact.status in (MomentStatus.RECEIVED, MomentStatus.IN_REVIEW) and not fact.answered
            else 0
        )
        row[2] += fact.n if fact.answered else 0
    names = dict(db.session.execute(select(Team.id, Team.name)).all())
    out = [
        TeamRow(tid, names.get(tid, NO_TEAM) if tid else NO_TEAM, *counts)
        for tid, counts in rows.items()
    ]
    return sorted(out, key=lambda r: (r.name == NO_TEAM, -r.waiting, r.name))


# ---- public figures ------------------------------------------------------------------------------

OTHER = privacy.OTHER


@dataclass
class Stats:
    moments: int
    fixes_shipped: int
    by_category: list[tuple[str, int, float]]  # label, count, share; small groups folded into 기타
    days_to_fix: Median
    # 어디서 알려줬나요: moments told on the form by source (직접 방문 without one), folded like
    # categories; empty while no moment came through a source.
    by_source: list[tuple[str, int, float]] = field(default_factory=list)


def public_stats(*, min_group: int, min_sample: int, campaign: Campaign | None = None) -> Stats:
    """Aggregate figures anyone may see (/stats and the API). Categories with fewer than
    `min_group` moments are folded into 기타 (and 기타 itself is shown only when it reaches
    `min_group`), so no small group can be singled out."""
    visible = select(Moment).where(Moment.status != MomentStatus.HIDDEN)
    if campaign is not None:
        visible = visible.where(Moment.campaign_id == campaign.id)
    sub = visible.subquery()
    total = db.session.scalar(select(func.count()).select_from(sub)) or 0
    rows = db.session.execute(select(sub.c.category, func.count()).group_by(sub.c.category)).all()
    shown = privacy.fold_small_groups(rows, min_group)
    by_category = [(label, n, n / total if total else 0.0) for label, n in shown]
    days = days_to_fix(campaign)
    return Stats(
        total,
        len(days),
        by_category,
        Median.of(days, min_sample),
        _public_sources(sub, min_group),
    )


def _public_sources(visible, min_group: int) -> list[tuple[str, int, float]]:
    """Visible moments told on the form, by source name (직접 방문 without one), small sources
    folded into 기타 by the same rule as categories (privacy.fold_small_groups)."""
    rows = db.session.execute(
        select(Source.name, func.count())
        .select_from(visible)
        .outerjoin(Source, Source.id == visible.c.source_id)
        .where(visible.c.origin == ORIGIN_FORM)
        .group_by(Source.name)
    ).all()
    if all(name is None for name, _ in rows):
        return []
    told = sum(n for _, n in rows)
    named = [(name or DIRECT_LABEL, n) for name, n in rows]
    shown = privacy.fold_small_groups(named, min_group)
    return [(label, n, n / told) for label, n in shown]


# ---- exports -------------------------------------------------------------------------------------

MOMENT_FIELDS = (
    "id",
    "received_date",
    "category",
    "channel",
    "status",
    "tags",
    "cluster",
    "cluster_id",
    "team",
    "urgent",
    "masked_text",
    "suggestion",
    "source",
)


def export_moments(f: Filter, *, batch: int = 1000):
    """Rows of moments in the filter, oldest first: masked text, category, channel, status, tags,
    cluster, team, source (by name) and local date; never a receipt hash or a finer time. One
    streamed query (plain rows, `batch` at a time) plus one query for the tags of each batch, so
    memory stays flat however large the export."""
    teams = dict(db.session.execute(select(Team.id, Team.name)).all())
    source_names = dict(db.session.execute(select(Source.id, Source.name)).all())
    clusters: dict[int, str] = {}
    columns = (
        Moment.id,
        Moment.received_hour,
        Moment.category,
        Moment.channel,
        Moment.status,
        Moment.cluster_id,
        Moment.team_id,
        Moment.urgent,
        Moment.body,
        Moment.suggestion,
        Moment.source_id,
    )
    result = db.session.execute(
        _moments(f, *columns)
        .order_by(Moment.received_hour, Moment.id)
        .execution_options(yield_per=batch)
    )
    for rows in result.partitions():
        tags: dict[str, list[str]] = {}
        for moment_id, name in db.session.execute(
            select(moment_tag.c.moment_id, Tag.name)
            .join(Tag, Tag.id == moment_tag.c.tag_id)
            .where(moment_tag.c.moment_id.in_([r.id for r in rows]))
            .order_by(Tag.name)
        ):
            tags.setdefault(moment_id, []).append(name)
        missing = {r.cluster_id for r in rows if r.cluster_id and r.cluster_id not in clusters}
        if missing:
            clusters.update(
                {
                    c.id: c.label
                    for c in db.session.scalars(select(Cluster).where(Cluster.id.in_(missing)))
                }
            )
        for r in rows:
            yield {
                "id": r.id,
                "received_date": f.day(r.received_hour).isoformat(),
                "category": r.category or "",
                "channel": r.channel or "",
                "status": str(STATUS_LABELS[r.status]),
                "tags": tags.get(r.id, []),
                "cluster": clusters.get(r.cluster_id, "") if r.cluster_id else "",
                "cluster_id": r.cluster_id,
                "team": teams.get(r.team_id, "") if r.team_id else "",
                "urgent": r.urgent,
                "masked_text": r.body,
                "suggestion": r.suggestion or "",
                "source": source_names.get(r.source_id, "") if r.source_id else "",
            }


CLUSTER_FIELDS = (
    "id",
    "name",
    "keywords",
    "status",
    "team",
    "moments",
    "last_7_days",
    "first_date",
    "last_date",
    "decided",
    "locked",
)


def export_clusters(f: Filter, *, now: datetime):
    week = now - timedelta(days=7)
    rows = db.session.execute(
        _moments(
            f,
            Moment.cluster_id,
            func.count(),
            func.count(case((Moment.received_hour >= week, 1))),
            func.min(Moment.received_hour),
            func.max(Moment.received_hour),
        )
        .where(Moment.cluster_id.isnot(None))
        .group_by(Moment.cluster_id)
    ).all()
    teams = dict(db.session.execute(select(Team.id, Team.name)).all())
    found = {
        c.id: c
        for c in db.session.scalars(select(Cluster).where(Cluster.id.in_([r[0] for r in rows])))
    }
    for cid, n, recent, first, last in sorted(rows, key=lambda r: (-r[1], r[0])):
        c = found[cid]
        yield {
            "id": c.id,
            "name": c.label,
            "keywords": list(c.keywords),
            "status": str(CLUSTER_STATUS_LABELS[c.status]),
            "team": teams.get(c.team_id, "") if c.team_id else "",
            "moments": n,
            "last_7_days": recent,
            "first_date": f.day(first).isoformat(),
            "last_date": f.day(last).isoformat(),
            "decided": c.decided,
            "locked": c.locked,
        }


FIX_FIELDS = (
    "id",
    "slug",
    "title",
    "state",
    "progress",
    "category",
    "team",
    "shipped_on",
    "published_at",
    "moments",
    "after_fix",
    "answers",
    "resolved",
    "clusters",
)


def export_fixes(f: Filter):
    rows = list(
        db.session.scalars(
            select(Fix)
            .where(Fix.campaign_id == (f.campaign.id if f.campaign else -1))
            .order_by(Fix.id)
        )
    )
    counts, after = fixes.counts(rows), fixes.after_counts(rows)
    answers = fixes.answer_counts([fix.id for fix in rows])
    for fix in rows:
        yield {
            "id": fix.id,
            "slug": fix.slug,
            "title": fix.title,
            "state": str(FIX_STATE_LABELS[fix.state]),
            "progress": str(FIX_PROGRESS_LABELS[fix.progress]),
            "category": fix.category or "",
            "team": fix.team.name if fix.team else "",
            "shipped_on": fix.shipped_on.isoformat() if fix.shipped_on else "",
            "published_at": local_time(fix.published_at).isoformat(timespec="minutes")
            if fix.published_at
            else "",
            "moments": counts[fix.id],
            "after_fix": after[fix.id],
            "answers": answers.get(fix.id, (0, 0))[0],
            "resolved": answers.get(fix.id, (0, 0))[1],
            "clusters": [link.cluster_id for link in fix.links],
        }


def record_export(f: Filter, *, kind: str, fmt: str, by, args: dict[str, str]) -> None:
    """An export of moments, clusters or fixes is an audit event: who, what, which filter."""
    audit.record(
        by,
        AuditAction.EXPORT,
        ("campaign", f.campaign.id if f.campaign else 0),
        data={"kind": kind, "format": fmt, **args},
    )
