"""A cluster's one-page brief: the thing a team lead takes into a planning meeting. The problem
(the cluster's name), how many told it and since when, the trend over recent weeks, three
representative quotes (masked text, as stored), the owning team, its status, its public-answer
clock (clocks.py), how inconvenient people said it was, whether it is spiking, and the fixes
that answer it.

`brief` gathers it for the desk's printable page; `as_dict` gives the same as plain data (for a
webhook or an e-mail); `send` tells the webhooks that hear `brief` (the page's 브리프 보내기).
Read only, but for `send`'s audit event and deliveries.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from campaign import audit, clocks, fixes, ranking, spikes, webhooks
from campaign.audit import AuditAction
from campaign.campaigns import day_bounds, local_time, local_today
from campaign.clustering import similar
from campaign.extensions import db
from campaign.i18n import _
from campaign.labels import CLUSTER_STATUS_LABELS, FIX_STATE_LABELS
from campaign.models import Cluster, Fix, Moderator, Moment, MomentStatus, WebhookDelivery
from campaign.refusals import Refusal

WEEKS = 8
QUOTES = 3
QUOTE_MAX_CHARS = 300


class BriefError(Refusal):
    """A brief that could not be sent; the message (Korean) says what to do."""


@dataclass(frozen=True)
class Week:
    first: date  # local days, inclusive
    last: date
    moments: int


@dataclass(frozen=True)
class Brief:
    cluster: Cluster
    problem: str
    keywords: list[str]
    status: str
    team: str | None
    count: int  # visible moments
    first: datetime | None  # the first and the latest moment's hour (naive UTC)
    last: datetime | None
    weeks: list[Week]  # the last WEEKS weeks ending today, oldest first
    quotes: list[Moment]  # representative, masked; never one flagged abusive or not yet read
    rank: ranking.Rank
    spike: spikes.Spike | None
    fixes: list[Fix]
    today: date
    clock: clocks.Clock | None = None  # the public answer's; None without a visible moment

    @property
    def quote_texts(self) -> list[str]:
        return [_cut(m.body) for m in self.quotes]


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_MAX_CHARS else text[: QUOTE_MAX_CHARS - 1] + "…"


def brief(cluster: Cluster, *, now: datetime, rule: spikes.Rule | None = None) -> Brief:
    visible = (Moment.cluster_id == cluster.id, Moment.status != MomentStatus.HIDDEN)
    count, first, last = db.session.execute(
        select(func.count(), func.min(Moment.received_hour), func.max(Moment.received_hour)).where(
            *visible
        )
    ).one()
    today = local_today(now)
    found = spikes.current(cluster.campaign_id, now, rule, clusters=[cluster.id])
    return Brief(
        cluster=cluster,
        problem=cluster.label,
        keywords=list(cluster.keywords or [])[:8],
        status=str(CLUSTER_STATUS_LABELS[cluster.status]),
        team=cluster.team.name if cluster.team else None,
        count=count or 0,
        first=first,
        last=last,
        weeks=weeks(cluster, today),
        quotes=quotes(cluster),
        rank=ranking.ranks([cluster.id], now).get(cluster.id, ranking.EMPTY),
        spike=found[0] if found else None,
        fixes=fixes.for_cluster(cluster),
        today=today,
        clock=clocks.cluster_clocks([cluster], now).get(cluster.id),
    )


def weeks(cluster: Cluster, today: date, n: int = WEEKS) -> list[Week]:
    """Visible moments per week of local days, the newest week ending today."""
    starts = [today - timedelta(days=7 * k + 6) for k in range(n)][::-1]
    rows = db.session.execute(
        select(Moment.received_hour, func.count())
        .where(
            Moment.cluster_id == cluster.id,
            Moment.status != MomentStatus.HIDDEN,
            Moment.received_hour >= day_bounds(starts[0])[0],
        )
        .group_by(Moment.received_hour)
    )
    per_day: Counter = Counter()
    for hour, k in rows:
        per_day[local_today(hour)] += k
    days = [[start + timedelta(days=d) for d in range(7)] for start in starts]
    return [Week(week[0], week[-1], sum(per_day[day] for day in week)) for week in days]


def _quotable(moment: Moment) -> bool:
    return moment.status is not MomentStatus.HIDDEN and moment.settled and not moment.abusive


def quotes(cluster: Cluster, n: int = QUOTES) -> list[Moment]:
    """The members nearest the cluster's centre (similar.profile, from the stored index), never
    one flagged abusive or not yet read for it; topped up, when the index knows too few, with
    the most typical members: those naming most of the cluster's keywords, newest first."""
    chosen = [m for m, _ in similar.profile(cluster, limit=n * 2).representatives if _quotable(m)]
    chosen = chosen[:n]
    if len(chosen) < n:
        taken = {m.id for m in chosen}
        members = db.session.scalars(
            select(Moment)
            .where(
                Moment.cluster_id == cluster.id,
                Moment.status != MomentStatus.HIDDEN,
                Moment.abusive.is_(False),
                Moment.settled.is_(True),
            )
            .order_by(Moment.received_hour.desc(), Moment.id)
            .limit(200)
        )
        terms = [k.lower() for k in cluster.keywords or [] if len(k) > 1]
        typical = sorted(
            (m for m in members if m.id not in taken),
            key=lambda m: -sum(t in m.body.lower() for t in terms),
        )
        chosen += typical[: n - len(chosen)]
    return chosen


def as_dict(b: Brief) -> dict:
    """The brief as plain data (JSON-ready): masked quotes only, dates in the campaign's zone."""
    rank = b.rank
    return {
        "cluster_id": b.cluster.id,
        "campaign_id": b.cluster.campaign_id,
        "problem": b.problem,
        "keywords": b.keywords,
        "status": b.status,
        "team": b.team,
        "moments": b.count,
        "first_date": local_time(b.first).date().isoformat() if b.first else None,
        "last_date": local_time(b.last).date().isoformat() if b.last else None,
        "weeks": [
            {"from": w.first.isoformat(), "to": w.last.isoformat(), "moments": w.moments}
            for w in b.weeks
        ],
        "quotes": b.quote_texts,
        "severity": {
            "mean": round(rank.mean_severity, 2) if rank.mean_severity is not None else None,
            "answered": rank.answered,
        },
        "growth": {
            "last_7_days": rank.recent,
            "previous_7_days": rank.previous,
            "ratio": round(rank.growth, 2),
        },
        "score": round(rank.score, 1),
        "spike": {
            "moments_24h": b.spike.moments,
            "usual_per_day": round(b.spike.expected, 2),
            "p": b.spike.p,
        }
        if b.spike
        else None,
        "fixes": [
            {"id": f.id, "title": f.title, "state": str(FIX_STATE_LABELS[f.state])} for f in b.fixes
        ],
        "answer_clock": {
            "started_on": local_time(b.clock.start).date().isoformat(),
            "last_day": b.clock.last_day.isoformat(),
            "answered_on": local_time(b.clock.done).date().isoformat() if b.clock.done else None,
            "overdue": b.clock.overdue,
        }
        if b.clock
        else None,
        "as_of": b.today.isoformat(),
    }


def send(cluster: Cluster, *, by: Moderator, now: datetime) -> list[WebhookDelivery]:
    """브리프 보내기: the brief as plain data to every enabled endpoint that hears `brief`
    (delivered after the commit), audited; refused when none does."""
    if not webhooks.listening("brief"):
        raise BriefError(
            _(
                "브리프를 받을 웹훅 주소가 아직 없어요. 관리자가 웹훅 설정에서 "
                "'묶음 브리프'를 받는 주소를 추가하면 보낼 수 있어요."
            )
        )
    data = as_dict(brief(cluster, now=now))
    sent = webhooks.announce("brief", webhooks.brief(cluster, data), now=now)
    audit.record(by, AuditAction.BRIEF_SEND, cluster, data={"endpoints": len(sent)})
    return sent
