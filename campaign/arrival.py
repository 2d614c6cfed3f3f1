"""What a moment waits for after it is accepted: read for abusive language, made searchable,
its meaning read, placed in a cluster. Runs in the worker (campaign/tasks.py), a batch at a
time, never in the request.

Settling is idempotent: a moment is settled once (`Moment.settled`), and on PostgreSQL two
workers never take (or encode) the same moment (FOR UPDATE SKIP LOCKED). On SQLite the encoder,
the slow part, runs before the write transaction starts, so a busy worker holds the writer's
lock only for the quick part.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import func, select

from campaign import flags, search, webhooks
from campaign.clustering import encoder, placement
from campaign.extensions import db
from campaign.models import Moment, MomentStatus

log = logging.getLogger(__name__)


def unsettled_query(campaign_id: int):
    return select(Moment).where(Moment.campaign_id == campaign_id, Moment.settled.is_(False))


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def waiting(campaign_id: int, *, limit: int) -> list[tuple[str, str]]:
    """(id, text) of up to `limit` moments of a campaign that wait to be settled. On PostgreSQL
    they are claimed (FOR UPDATE SKIP LOCKED) until the transaction ends, so two workers never
    encode the same moments; SQLite has one writer and one worker thread."""
    query = (
        unsettled_query(campaign_id)
        .with_only_columns(Moment.id, Moment.body)
        .order_by(Moment.received_hour, Moment.id)
        .limit(limit)
    )
    if _postgres():
        query = query.with_for_update(skip_locked=True)
    return [tuple(row) for row in db.session.execute(query)]


def end_read() -> None:
    """After the slow encoding: on SQLite end the read, so settling takes the writer's lock only
    for its quick part; on PostgreSQL keep the transaction, which holds the claim."""
    if not _postgres():
        db.session.rollback()


def meanings(texts: list[tuple[str, str]]) -> dict[str, bytes]:
    """Each text's stored sentence vector, read in one batch (no database work); empty when
    the encoder is unavailable or fails, and placing then reads them one by one."""
    if not texts or not encoder.available():
        return {}
    try:
        vectors = encoder.encode([body for _, body in texts])
    except Exception:
        log.exception("encoding a batch of moments failed")
        return {}
    return {mid: encoder.pack(vector) for (mid, _), vector in zip(texts, vectors, strict=False)}


def settle(
    campaign_id: int,
    ids: list[str],
    meanings: dict[str, bytes],
    *,
    thresholds: dict[str, float],
    now: datetime,
) -> int:
    """Settle those of `ids` that still wait: searchable, with their meaning, in a cluster.
    An urgent one is announced to the webhooks that hear `urgent_moment` (sent once this
    transaction commits; settling happens once, so it is announced once). Returns how many of
    the campaign's moments still wait after these."""
    claim = unsettled_query(campaign_id).where(Moment.id.in_(ids))
    if _postgres():
        claim = claim.with_for_update(skip_locked=True)  # another worker has those: leave them
    for moment in db.session.scalars(claim).all():
        if moment.embedding is None and moment.id in meanings:
            moment.embedding = meanings[moment.id]
        moment.abusive = moment.abusive or flags.is_abusive(
            f"{moment.body}\n{moment.suggestion or ''}"
        )
        search.index_moment(moment)
        if moment.cluster_id is None and not moment.placed_by_human:  # else a person or a
            try:  # re-clustering has placed it since it arrived: leave it there
                with db.session.begin_nested():
                    placement.place(moment, thresholds=thresholds)
            except Exception:  # grouping must never keep a moment waiting; re-clustering catches up
                log.exception("placing a moment in a cluster failed")
        moment.settled = True
        # An imported line was heard elsewhere, maybe months ago: the desk sees it, no alarm.
        if moment.urgent and moment.status is not MomentStatus.HIDDEN and not moment.imported:
            webhooks.announce("urgent_moment", webhooks.urgent_moment(moment), now=now)
    db.session.flush()
    return (
        db.session.scalar(
            unsettled_query(campaign_id)
            .with_only_columns(func.count())
            .where(Moment.id.not_in(ids))
        )
        or 0
    )


def waiting_campaigns() -> list[int]:
    """Campaigns with at least one moment waiting to be settled."""
    return list(
        db.session.scalars(select(Moment.campaign_id).where(Moment.settled.is_(False)).distinct())
    )
