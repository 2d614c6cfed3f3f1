"""Read queries about clusters for the pages that show them: sizes, growth, the daily trend and
tags worth suggesting. Nothing here changes a row."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from campaign.extensions import db
from campaign.models import Cluster, Moment, MomentStatus, Tag, moment_tag


def sizes(cluster_ids: list[int]) -> dict[int, int]:
    """Visible moments per cluster: the one size the desk, the dashboard and receipts show."""
    if not cluster_ids:
        return {}
    rows = db.session.execute(
        select(Moment.cluster_id, func.count())
        .where(Moment.cluster_id.in_(cluster_ids), Moment.status != MomentStatus.HIDDEN)
        .group_by(Moment.cluster_id)
    )
    return dict(rows.all())


def growth(cluster_ids: list[int], now: datetime, days: int = 7) -> dict[int, int]:
    """Moments each cluster received in the last `days` days."""
    if not cluster_ids:
        return {}
    rows = db.session.execute(
        select(Moment.cluster_id, func.count())
        .where(
            Moment.cluster_id.in_(cluster_ids), Moment.received_hour >= now - timedelta(days=days)
        )
        .group_by(Moment.cluster_id)
    )
    return dict(rows.all())


def trend(cluster_ids: list[int], now: datetime, days: int = 14) -> dict[int, list[int]]:
    """Moments per day for each cluster over the last `days` days, oldest first (UTC days
    counted back from `now`; counted per stored hour, so the query stays small)."""
    if not cluster_ids:
        return {}
    since = now - timedelta(days=days)
    rows = db.session.execute(
        select(Moment.cluster_id, Moment.received_hour, func.count())
        .where(Moment.cluster_id.in_(cluster_ids), Moment.received_hour > since)
        .group_by(Moment.cluster_id, Moment.received_hour)
    )
    series = {cid: [0] * days for cid in cluster_ids}
    for cid, hour, n in rows:
        back = int((now - hour).total_seconds() // 86400)
        if 0 <= back < days:
            series[cid][days - 1 - back] += n
    return series


def suggest_tags(cluster: Cluster, neighbours: list[Cluster], limit: int = 4) -> list[Tag]:
    """Tags worth putting on a whole cluster: ones its keywords name, and ones moderators
    already put on its members or on members of the most similar clusters. Tags every member
    already carries are left out."""
    tags = list(db.session.scalars(select(Tag)))
    if not tags:
        return []
    score: Counter = Counter()
    for tag in tags:
        if _names_a_keyword(tag, cluster.keywords):
            score[tag.id] += 3
    size = (
        db.session.scalar(
            select(func.count()).select_from(Moment).where(Moment.cluster_id == cluster.id)
        )
        or 0
    )
    on_members = _tag_counts([cluster.id])
    for tag_id, n in on_members.items():
        score[tag_id] += 1 + n / max(size, 1)
    if neighbours:
        for tag_id in _tag_counts([c.id for c in neighbours]):
            score[tag_id] += 1
    by_id = {t.id: t for t in tags}
    best_first = sorted(score.items(), key=lambda kv: (-kv[1], by_id[kv[0]].name))
    ranked = [by_id[tid] for tid, _ in best_first if on_members.get(tid, 0) < size]
    return ranked[:limit]


def _names_a_keyword(tag: Tag, cluster_keywords: list[str]) -> bool:
    name = tag.name.lower()
    return any(name in k.lower() or k.lower() in name for k in cluster_keywords if len(k) > 1)


def _tag_counts(cluster_ids: list[int]) -> dict[int, int]:
    """Tag id -> how many moments of these clusters carry it."""
    members = select(Moment.id).where(Moment.cluster_id.in_(cluster_ids)).scalar_subquery()
    return dict(
        db.session.execute(
            select(moment_tag.c.tag_id, func.count())
            .where(moment_tag.c.moment_id.in_(members))
            .group_by(moment_tag.c.tag_id)
        ).all()
    )
