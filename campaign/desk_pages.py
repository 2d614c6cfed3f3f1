"""What the cluster workspace's and a fix's desk pages show, gathered by one function per page
(the data, not the HTML), as `inbox.desk_page` does for the inbox and `analytics.dashboard` for
the dashboard. Read only: nothing here changes a row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from campaign import audit, campaigns, clocks, fixes, loop, metoo, notes, ranking, spikes
from campaign.clustering import decisions, reads, similar
from campaign.extensions import db
from campaign.i18n import _l
from campaign.models import Campaign, Cluster, ClusterStatus, Fix, Moment

# The cluster list's orders, each with its Korean label (the filter offers these, in order).
CLUSTER_SORTS = {
    "size": _l("큰 묶음 먼저"),
    "growth": _l("최근 7일에 많이 늘어난 순"),
    "rank": _l("중요한 순 (크기 × 심각도 × 증가율)"),
    "overdue": _l("공개 답 기한 지난 것 먼저"),
}


def _regressions(campaign: Campaign | None, *, now: datetime, regression: tuple[int, int]) -> dict:
    """Clusters growing again after their fix was 개선 완료, by cluster id."""
    min_moments, days = regression
    found = loop.regressions(campaign, now=now, min_moments=min_moments, days=days)
    return {r.cluster.id: r for r in found}


@dataclass(frozen=True)
class ClustersPage:
    campaign: Campaign | None
    campaigns: list[Campaign]
    rows: list[Cluster]  # clusters with visible moments, in the chosen order
    size: dict[int, int]
    recent: dict[int, int]
    trend: dict[int, list[int]]
    order: str
    regressing: dict
    waiting: int  # the campaign's moments in no cluster yet
    clocks: dict  # cluster id → its public-answer clocks.Clock
    escalated: set[int]  # ids of the clusters in the escalation queue
    ranks: dict[int, ranking.Rank]
    alerts: spikes.Alerts  # clusters spiking now and urgent moments nobody has looked at


def clusters_page(
    campaign_id: int | None,
    *,
    order: str,
    now: datetime,
    regression: tuple[int, int],
    rule: spikes.Rule | None = None,
) -> ClustersPage:
    """A campaign's clusters (the latest campaign when none is chosen), largest first or, with
    `order` "growth", fastest-growing first, "rank", by ranking.score (size × severity ×
    growth), or "overdue", those past their public-answer target first (the earliest deadline
    first)."""
    campaign = campaigns.chosen_or_latest(campaign_id)
    chosen = campaign.id if campaign else -1
    rows = list(
        db.session.scalars(
            select(Cluster)
            .options(selectinload(Cluster.team))
            .where(Cluster.campaign_id == chosen, Cluster.merged_into_id.is_(None))
        )
    )
    ids = [c.id for c in rows]
    size, recent, trend = reads.sizes(ids), reads.growth(ids, now), reads.trend(ids, now)
    ranks = ranking.ranks(ids, now)
    order = order if order in CLUSTER_SORTS else "size"
    answer = clocks.cluster_clocks(rows, now)
    if order == "growth":
        rows.sort(key=lambda c: (-recent.get(c.id, 0), -size.get(c.id, 0)))
    elif order == "overdue":
        late = {cid for cid, clock in answer.items() if clock.overdue}
        rows.sort(
            key=lambda c: (
                c.id not in late,
                answer[c.id].deadline if c.id in late else datetime.max,
                -size.get(c.id, 0),
                c.id,
            )
        )
    elif order == "rank":
        rows.sort(key=lambda c: (-ranks.get(c.id, ranking.EMPTY).score, c.id))
    else:
        rows.sort(key=lambda c: (-size.get(c.id, 0), c.id))
    waiting = db.session.scalar(
        select(func.count())
        .select_from(Moment)
        .where(Moment.campaign_id == chosen, Moment.cluster_id.is_(None))
    )
    return ClustersPage(
        campaign=campaign,
        campaigns=list(db.session.scalars(select(Campaign))),
        rows=[c for c in rows if size.get(c.id, 0)],
        size=size,
        recent=recent,
        trend=trend,
        order=order,
        regressing=_regressions(campaign, now=now, regression=regression),
        waiting=waiting,
        clocks=answer,
        escalated=clocks.escalated_ids(chosen, now),
        ranks=ranks,
        alerts=spikes.alerts(campaign.id if campaign else None, now, rule),
    )


@dataclass(frozen=True)
class ClusterPage:
    cluster: Cluster
    page: object  # a Pagination of its members
    merged_into: Cluster | None
    profile: object  # similar.Profile
    trend: list[int]
    answering: list[Fix]
    suggested_tags: list
    history: list
    listed: bool
    regression: object | None
    merge_choices: list[tuple[str, str]]  # the suggested clusters first, finished ones last
    clock: clocks.Clock | None  # its public-answer clock (None without a visible moment)
    escalation: clocks.Escalation | None  # why it is in the escalation queue, when it is
    handoffs: list  # its hand-offs between teams, newest first
    notes: list  # internal notes, newest first
    campaign: Campaign  # its campaign (the clock's targets)
    rank: ranking.Rank  # its severity answers and growth
    spike: spikes.Spike | None
    rule: spikes.Rule
    me_too: int = 0  # 나도 겪었어요 taps on its 듣고 있어요 entry, apart from written moments


def cluster_page(
    cluster: Cluster,
    *,
    number: int,
    now: datetime,
    regression: tuple[int, int],
    rule: spikes.Rule | None = None,
) -> ClusterPage:
    rule = rule or spikes.Rule.configured()
    spiking = spikes.current(cluster.campaign_id, now, rule, clusters=[cluster.id])
    page = db.paginate(decisions.members_query(cluster), page=number, per_page=30, error_out=False)
    profile = similar.profile(cluster)
    neighbours = [c for c, _ in profile.neighbours]
    suggested = [c.id for c in neighbours]
    # Nothing chosen by default (it used to be whichever cluster came first, often a finished
    # one); the suggested clusters first, finished ones last.
    others = decisions.open_clusters(cluster.campaign_id, other_than=cluster)
    others.sort(key=lambda c: (c.id not in suggested, c.status is ClusterStatus.DONE, c.label))
    campaign = db.session.get(Campaign, cluster.campaign_id)
    return ClusterPage(
        cluster=cluster,
        page=page,
        merged_into=db.session.get(Cluster, cluster.merged_into_id)
        if cluster.merged_into_id
        else None,
        profile=profile,
        trend=reads.trend([cluster.id], now)[cluster.id],
        answering=fixes.for_cluster(cluster),
        suggested_tags=reads.suggest_tags(cluster, neighbours),
        history=audit.history("cluster", str(cluster.id)),
        listed=loop.is_listed(cluster),
        regression=_regressions(campaign, now=now, regression=regression).get(cluster.id),
        merge_choices=[(str(c.id), c.label) for c in others],
        rank=ranking.ranks([cluster.id], now).get(cluster.id, ranking.EMPTY),
        spike=spiking[0] if spiking else None,
        rule=rule,
        clock=clocks.cluster_clocks([cluster], now).get(cluster.id),
        escalation=clocks.escalation_of(cluster, now),
        handoffs=clocks.handoffs(cluster=cluster, limit=50),
        notes=notes.listed(cluster),
        campaign=campaign,
        me_too=metoo.cluster_counts([cluster.id]).get(cluster.id, 0),
    )


@dataclass(frozen=True)
class EscalationsPage:
    campaign: Campaign | None
    campaigns: list[Campaign]
    rows: list  # clocks.Escalation, longest waiting first
    size: dict[int, int]
    handoffs: dict[int, list]  # cluster id → its latest hand-offs, newest first


def escalations_page(campaign_id: int | None, *, now: datetime) -> EscalationsPage:
    """The escalation queue of a campaign (the latest when none is chosen)."""
    campaign = campaigns.chosen_or_latest(campaign_id)
    rows = clocks.escalations(campaign.id if campaign else -1, now)
    ids = [e.cluster.id for e in rows]
    return EscalationsPage(
        campaign=campaign,
        campaigns=campaigns.every_campaign(),
        rows=rows,
        size=reads.sizes(ids),
        handoffs={e.cluster.id: clocks.handoffs(cluster=e.cluster, limit=5) for e in rows},
    )


@dataclass(frozen=True)
class FixPage:
    fix: Fix
    count: int  # moments it answers
    first: datetime | None
    last: datetime | None
    after: int  # moments told after it shipped
    answers: tuple[int, int]  # "해결됐나요?": (answered, said solved)
    answer_rows: list
    answered: list[Moment]  # the newest it answers that are not quoted yet
    history: list
    link_choices: list[tuple[str, str]]  # the campaign's clusters it could answer
    me_too: int = 0  # 나도 겪었어요 taps on its public page, apart from written moments


def fix_page(fix: Fix) -> FixPage:
    quoted = {q.moment_id for q in fix.quotes}
    first, last = fixes.moment_dates(fix)
    return FixPage(
        fix=fix,
        count=fixes.counts([fix])[fix.id],
        first=first,
        last=last,
        after=fixes.after_counts([fix])[fix.id],
        answers=fixes.answer_counts([fix.id]).get(fix.id, (0, 0)),
        answer_rows=loop.answers(fix),
        answered=[m for m in fixes.latest_answered(fix, limit=20) if m.id not in quoted],
        history=audit.history("fix", str(fix.id)),
        link_choices=[(str(c.id), c.label) for c in decisions.open_clusters(fix.campaign_id)],
        me_too=metoo.fix_counts([fix.id]).get(fix.id, 0),
    )
