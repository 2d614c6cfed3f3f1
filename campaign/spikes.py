"""급증: a cluster growing far faster than its usual rate, and the desk's alerts (spikes and
urgent moments nobody has looked at yet). Read only, except `detect_new`, which records each
spike once so that it is announced once.

The rule (`Rule`; the settings SPIKE_*):

- The window is the last 24 hours: the hour `now` falls in and the 23 before it (a moment keeps
  only its hour). A day's worth of moments that straddles midnight stays one burst.
- The usual rate λ is the cluster's moments a day over the SPIKE_BASELINE_DAYS (14) whole local
  days (the campaign's zone, `campaigns.day_bounds`) before yesterday, i.e. today-15 … today-2.
  Those days never overlap the window, so a burst never raises its own baseline. A cluster
  whose first moment came later than today-15 is averaged over the days since its first
  moment's local day; with no such day (everything arrived yesterday or today) it has no usual
  rate yet. λ is never less than SPIKE_FLOOR_PER_DAY (0.5).
- The cluster spikes when the window holds at least SPIKE_MIN_MOMENTS (5) moments and, were
  arrivals Poisson at λ a day, at least that many in one day would happen with probability
  P(X ≥ n; λ) < SPIKE_P (0.001).

Hidden moments are not counted; merged-away clusters never spike (their moments moved).
So a cluster that usually gets 10 a day spikes at 22 in 24 hours, one of 2 a day at 9, one
of 1 a day at 6, and a new one at 5 (the minimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import case, exists, func, select, true
from sqlalchemy.exc import IntegrityError

from campaign.campaigns import day_bounds, local_today
from campaign.extensions import db
from campaign.models import ORIGIN_FORM, Cluster, Moment, MomentStatus, SpikeAlert

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Rule:
    p: float = 0.001
    min_moments: int = 5
    baseline_days: int = 14
    floor_per_day: float = 0.5

    @classmethod
    def configured(cls) -> Rule:
        """The rule as this app's settings give it (read at call time)."""
        config = current_app.config
        return cls(
            p=float(config["SPIKE_P"]),
            min_moments=int(config["SPIKE_MIN_MOMENTS"]),
            baseline_days=int(config["SPIKE_BASELINE_DAYS"]),
            floor_per_day=float(config["SPIKE_FLOOR_PER_DAY"]),
        )

    @property
    def percent(self) -> str:
        """p as people read it: 0.001 → "0.1"."""
        return f"{self.p * 100:g}"


def upper_tail(n: int, mean: float) -> float:
    """P(X ≥ n) for X ~ Poisson(mean): summed upward from n (no cancellation, so tiny tails
    stay exact), in log space so a large mean never underflows the first term."""
    if n <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    if n <= mean:  # at or below the mean the tail is large; the sum below would be long
        return 1.0 - _lower_sum(n, mean)
    term = math.exp(-mean + n * math.log(mean) - math.lgamma(n + 1))
    total, k = 0.0, n
    while term > total * 1e-17 and term > 0:
        total += term
        k += 1
        term *= mean / k
    return min(total, 1.0)


def _lower_sum(n: int, mean: float) -> float:
    """P(X < n), for n at or below the mean."""
    return sum(math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1)) for k in range(n))


@dataclass(frozen=True)
class Verdict:
    moments: int  # in the window
    expected: float  # λ: the usual moments a day (floored)
    p: float  # P(X ≥ moments; λ)
    spike: bool


def judge(moments: int, baseline: int, baseline_days: int, rule: Rule) -> Verdict:
    """The rule itself, on counts: `moments` in the window, `baseline` moments over
    `baseline_days` whole days before it (0 days: no usual rate yet)."""
    rate = baseline / baseline_days if baseline_days > 0 else 0.0
    expected = max(rate, rule.floor_per_day)
    p = upper_tail(moments, expected)
    return Verdict(moments, expected, p, moments >= rule.min_moments and p < rule.p)


@dataclass(frozen=True)
class Spike:
    cluster: Cluster
    moments: int  # in the last 24 hours
    expected: float  # usual moments a day
    p: float

    @property
    def times(self) -> float:
        """How many times the usual day's worth arrived in the last 24 hours."""
        return self.moments / self.expected


@dataclass(frozen=True)
class _Window:
    start: datetime  # the first stored hour inside the last 24 hours
    baseline_start: datetime
    baseline_end: datetime  # the start of yesterday
    first_day: date  # today-15: the first baseline day


def _window(now: datetime, rule: Rule) -> _Window:
    today = local_today(now)
    yesterday_start = day_bounds(today - timedelta(days=1))[0]
    first_day = today - timedelta(days=rule.baseline_days + 1)
    hour = now.replace(minute=0, second=0, microsecond=0)
    return _Window(
        start=hour - WINDOW + timedelta(hours=1),
        baseline_start=day_bounds(first_day)[0],
        baseline_end=yesterday_start,
        first_day=first_day,
    )


def verdicts(
    campaign_id: int, now: datetime, rule: Rule | None = None, *, clusters: list[int] | None = None
) -> dict[int, Verdict]:
    """The rule's verdict for each cluster of the campaign with at least the minimum in the
    window (or for `clusters` only). Three small queries: moments per cluster in the last 24
    hours (an index range of a day); for the few with enough, the baseline count and the first
    moment since the first baseline day; and which of those had moments before it."""
    rule = rule or Rule.configured()
    w = _window(now, rule)
    counted = [
        Moment.campaign_id == campaign_id,
        Moment.cluster_id.is_not(None),
        Moment.status != MomentStatus.HIDDEN,
        Moment.origin == ORIGIN_FORM,  # an import of old lines is no burst
    ]
    if clusters is not None:
        counted.append(Moment.cluster_id.in_(clusters))
    window = db.session.execute(
        select(Moment.cluster_id, func.count())
        .where(*counted, Moment.received_hour >= w.start, Moment.received_hour <= now)
        .group_by(Moment.cluster_id)
    ).all()
    candidates = {cid: n for cid, n in window if n >= rule.min_moments}
    if not candidates:
        return {}
    baseline = db.session.execute(
        select(
            Moment.cluster_id,
            func.count(case((Moment.received_hour < w.baseline_end, 1))),
            func.min(Moment.received_hour),
        )
        .where(
            *counted,
            Moment.cluster_id.in_(list(candidates)),
            Moment.received_hour >= w.baseline_start,
        )
        .group_by(Moment.cluster_id)
    ).all()
    older = set(
        db.session.scalars(
            select(Cluster.id).where(
                Cluster.id.in_(list(candidates)),
                exists().where(
                    Moment.cluster_id == Cluster.id,
                    Moment.status != MomentStatus.HIDDEN,
                    Moment.received_hour < w.baseline_start,
                ),
            )
        )
    )
    today = local_today(now)
    out = {}
    for cid, before, first in baseline:
        first_day = w.first_day if cid in older else max(local_today(first), w.first_day)
        days = max((today - timedelta(days=1) - first_day).days, 0)
        out[cid] = judge(candidates[cid], before, days, rule)
    return out


def current(
    campaign_id: int, now: datetime, rule: Rule | None = None, *, clusters: list[int] | None = None
) -> list[Spike]:
    """Clusters spiking at `now`, the least likely by chance first. What the desk and the
    dashboard show: computed when read, so a spike shows as soon as its moments are placed."""
    found = {
        cid: v for cid, v in verdicts(campaign_id, now, rule, clusters=clusters).items() if v.spike
    }
    if not found:
        return []
    rows = db.session.scalars(
        select(Cluster).where(Cluster.id.in_(list(found)), Cluster.merged_into_id.is_(None))
    )
    spikes = [Spike(c, found[c.id].moments, found[c.id].expected, found[c.id].p) for c in rows]
    return sorted(spikes, key=lambda s: (s.p, -s.moments, s.cluster.id))


def detect_new(campaign_id: int, now: datetime, rule: Rule | None = None) -> list[Spike]:
    """Spikes that began since the last check: each spike is returned once, however many
    checks see it. A spike is open from the check that first saw it (a SpikeAlert row) until a
    check no longer sees it, or until no check saw it for 24 hours (its window has moved on
    entirely; what spikes then is a new burst). The settle job calls this after placing
    moments; whoever announces spikes (webhooks) takes what it returns. Adds and flushes."""
    rule = rule or Rule.configured()
    spikes = {s.cluster.id: s for s in current(campaign_id, now, rule)}
    still_open: set[int] = set()
    for alert in db.session.scalars(
        select(SpikeAlert).where(
            SpikeAlert.campaign_id == campaign_id, SpikeAlert.ended_at.is_(None)
        )
    ):
        if alert.cluster_id in spikes and alert.last_seen_at > now - WINDOW:
            alert.last_seen_at = max(alert.last_seen_at, now)
            still_open.add(alert.cluster_id)
        else:
            alert.ended_at = now
    db.session.flush()
    new = []
    for cluster_id, spike in spikes.items():
        if cluster_id in still_open:
            continue
        try:
            with db.session.begin_nested():  # another worker recorded it first: theirs to tell
                db.session.add(
                    SpikeAlert(
                        campaign_id=campaign_id,
                        cluster_id=cluster_id,
                        started_at=now,
                        last_seen_at=now,
                        moments=spike.moments,
                        expected=spike.expected,
                    )
                )
        except IntegrityError:
            continue
        new.append(spike)
    return sorted(new, key=lambda s: (s.p, -s.moments, s.cluster.id))


URGENT_SHOWN = 5


@dataclass(frozen=True)
class Alerts:
    """The desk's alerts for one campaign: clusters spiking now, and urgent moments (fraud, lost
    money: the urgent words) that nobody has looked at yet, newest first."""

    spikes: list[Spike]
    urgent: list[Moment]  # at most URGENT_SHOWN
    urgent_waiting: int
    rule: Rule

    def __bool__(self) -> bool:
        return bool(self.spikes or self.urgent_waiting)

    @property
    def by_cluster(self) -> dict[int, Spike]:
        return {s.cluster.id: s for s in self.spikes}


def alerts(campaign_id: int | None, now: datetime, rule: Rule | None = None) -> Alerts:
    rule = rule or Rule.configured()
    if campaign_id is None:
        return Alerts([], [], 0, rule)
    waiting = (
        select(Moment)
        .where(
            Moment.campaign_id == campaign_id,
            Moment.urgent == true(),  # "= 1" on SQLite: what its partial index names
            Moment.status == MomentStatus.RECEIVED,
        )
        .order_by(Moment.received_hour.desc(), Moment.id)
    )
    count = db.session.scalar(waiting.with_only_columns(func.count()).order_by(None)) or 0
    shown = list(db.session.scalars(waiting.limit(URGENT_SHOWN))) if count else []
    return Alerts(current(campaign_id, now, rule), shown, count, rule)
