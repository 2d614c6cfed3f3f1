"""Which clusters matter most now: size × severity × growth, the cluster list's 중요한 순.

    score    = size × severity × growth
    size     = the cluster's visible moments (clustering.reads.sizes counts the same)
    severity = (sum of the answers to "얼마나 불편했나요?" + 3 × 2) ÷ (answers + 2): the mean
               answer, pulled towards the middle of the scale (3) as if two more people had
               answered 3, so one loud answer does not rank a cluster; 3 with no answers
    growth   = (moments in the last 7 days + 1) ÷ (moments in the 7 days before + 1): the
               rolling 7 × 24 hours back from now against the 7 × 24 before them, each plus one
               so a quiet week neither divides by zero nor multiplies a cluster by its size

The template shows the same formula to moderators from these constants. Read only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from campaign.extensions import db
from campaign.models import Moment, MomentStatus

SEVERITY_PRIOR = 3  # the middle of the 1–5 scale
SEVERITY_PRIOR_WEIGHT = 2  # as if this many more people had answered SEVERITY_PRIOR
GROWTH_DAYS = 7
GROWTH_SMOOTHING = 1


def severity(total: int, answered: int) -> float:
    return (total + SEVERITY_PRIOR * SEVERITY_PRIOR_WEIGHT) / (answered + SEVERITY_PRIOR_WEIGHT)


def growth(recent: int, previous: int) -> float:
    return (recent + GROWTH_SMOOTHING) / (previous + GROWTH_SMOOTHING)


def score(size: int, severity_total: int, answered: int, recent: int, previous: int) -> float:
    return size * severity(severity_total, answered) * growth(recent, previous)


@dataclass(frozen=True)
class Rank:
    size: int
    severity_total: int
    answered: int  # moments whose teller answered "얼마나 불편했나요?"
    recent: int  # the last GROWTH_DAYS days
    previous: int  # the GROWTH_DAYS days before those

    @property
    def mean_severity(self) -> float | None:
        """The plain mean of the answers (shown beside how many answered), None without any."""
        return self.severity_total / self.answered if self.answered else None

    @property
    def severity(self) -> float:
        return severity(self.severity_total, self.answered)

    @property
    def growth(self) -> float:
        return growth(self.recent, self.previous)

    @property
    def score(self) -> float:
        return score(self.size, self.severity_total, self.answered, self.recent, self.previous)


EMPTY = Rank(0, 0, 0, 0, 0)


def ranks(cluster_ids: list[int], now: datetime) -> dict[int, Rank]:
    """Each cluster's figures for the formula, from one grouped query over its visible
    moments. Clusters without visible moments are left out (their rank is EMPTY)."""
    if not cluster_ids:
        return {}
    recent_from = now - timedelta(days=GROWTH_DAYS)
    previous_from = recent_from - timedelta(days=GROWTH_DAYS)
    recent = case((Moment.received_hour >= recent_from, 1))
    previous = case(
        ((Moment.received_hour >= previous_from) & (Moment.received_hour < recent_from), 1)
    )
    rows = db.session.execute(
        select(
            Moment.cluster_id,
            func.count(),
            func.coalesce(func.sum(Moment.severity), 0),
            func.count(Moment.severity),
            func.count(recent),
            func.count(previous),
        )
        .where(Moment.cluster_id.in_(cluster_ids), Moment.status != MomentStatus.HIDDEN)
        .group_by(Moment.cluster_id)
    )
    return {cid: Rank(*(int(v) for v in figures)) for cid, *figures in rows}
