"""Re-clustering a campaign's moments without overruling anyone.

Moments a person placed, and clusters a person decided on (renamed, merged, split, locked,
tagged or routed), stay exactly as they are. Everything else is grouped afresh with the
engine; a new group takes over the id of the old machine cluster it overlaps most, so links and
counts stay stable from one run to the next.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from campaign.clustering import engine
from campaign.extensions import db
from campaign.models import Campaign, Cluster, Moment, MomentStatus

_ENGLISH_STOP = set("the a an to is it of for and in on can how do does did what why when was be have has this that "
                    "with you your am are there my me i not no but if or so just get got been".split())


@dataclass(frozen=True)
class Regrouped:
    groups: int
    clustered: int
    unclustered: int
    kept: int


def recluster(campaign: Campaign, *, thresholds: dict[str, float]) -> Regrouped:
    moments = list(db.session.scalars(select(Moment).where(Moment.campaign_id == campaign.id)))
    clusters = {c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.campaign_id == campaign.id))}

    def fixed(m: Moment) -> bool:
        cluster = clusters.get(m.cluster_id) if m.cluster_id else None
        return m.placed_by_human or (cluster is not None and (cluster.decided or cluster.locked))

    free = [m for m in moments if not fixed(m)]
    visible = [m for m in free if m.status is not MomentStatus.HIDDEN]
    for m in free:
        if m.status is MomentStatus.HIDDEN:
            m.cluster_id = None  # hidden moments (spam, abuse) join no group
    morphemes: dict[int, list[str]] = {}
    labels = engine.cluster_texts([m.body for m in visible], thresholds, morphemes).tolist() if visible else []
    # Terms for labels, once per text, from the morphemes the engine already produced.
    terms = {m.id: _terms(m.body, morphemes.get(i)) for i, m in enumerate(visible)}
    document_frequency = Counter(t for found in terms.values() for t in found)
    groups: dict[int, list[Moment]] = {}
    for moment, label in zip(visible, labels):
        if label >= 0:
            groups.setdefault(label, []).append(moment)

    machine = {cid: c for cid, c in clusters.items() if not (c.decided or c.locked) and c.merged_into_id is None}
    reused: set[int] = set()
    for members in sorted(groups.values(), key=len, reverse=True):
        overlap = Counter(m.cluster_id for m in members if m.cluster_id in machine and m.cluster_id not in reused)
        if overlap:
            cluster = machine[overlap.most_common(1)[0][0]]
        else:
            cluster = Cluster(campaign_id=campaign.id)
            db.session.add(cluster)
            db.session.flush()
        reused.add(cluster.id)
        for m in members:
            m.cluster_id = cluster.id
        cluster.keywords = keywords([terms[m.id] for m in members], document_frequency, len(visible))
    grouped_ids = {m.id for members in groups.values() for m in members}
    for m in visible:
        if m.id not in grouped_ids:
            m.cluster_id = None
    for cid, cluster in machine.items():
        if cid not in reused:
            db.session.delete(cluster)
    db.session.flush()
    return Regrouped(groups=len(groups), clustered=len(grouped_ids), unclustered=len(visible) - len(grouped_ids),
                     kept=len(moments) - len(free))


def _terms(text: str, morphemes: list[str] | None) -> set[str]:
    """Label candidates: Korean nouns and foreign words (from the engine's morphemes), else
    English words that are not stop words."""
    if morphemes is not None:
        return {t.split("/")[0] for t in morphemes if t.endswith(("/NN", "/SL")) and len(t.split("/")[0]) > 1}
    return {w for w in re.findall(r"[a-z][a-z']+", text.lower()) if w not in _ENGLISH_STOP and len(w) > 2}


def keywords(member_terms: list[set[str]], document_frequency: Counter, total: int, limit: int = 5) -> list[str]:
    """Class-based TF-IDF: terms frequent in the group and rare in the campaign."""
    inside = Counter(t for found in member_terms for t in found)
    score = {t: n * math.log(1 + max(total, 1) / document_frequency.get(t, n))
             for t, n in inside.items() if n >= 2 or len(member_terms) < 3}
    return [t for t, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def sizes(cluster_ids: list[int]) -> dict[int, int]:
    if not cluster_ids:
        return {}
    rows = db.session.execute(select(Moment.cluster_id, func.count()).where(Moment.cluster_id.in_(cluster_ids))
                              .group_by(Moment.cluster_id))
    return dict(rows.all())


def growth(cluster_ids: list[int], now: datetime, days: int = 7) -> dict[int, int]:
    """Moments each cluster received in the last `days` days."""
    if not cluster_ids:
        return {}
    rows = db.session.execute(select(Moment.cluster_id, func.count())
                              .where(Moment.cluster_id.in_(cluster_ids), Moment.received_hour >= now - timedelta(days=days))
                              .group_by(Moment.cluster_id))
    return dict(rows.all())


def same_experience_count(moment: Moment) -> int:
    """How many moments (this one included) share its cluster; 0 when it has none."""
    if moment.cluster_id is None:
        return 0
    return sizes([moment.cluster_id]).get(moment.cluster_id, 0)
