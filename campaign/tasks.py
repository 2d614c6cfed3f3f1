"""The jobs the worker runs. Like a view, a job reads settings, calls domain functions and lets
`jobs._in_context` commit once; the work itself lives in the domain modules."""

from __future__ import annotations

from flask import current_app

from campaign import arrival
from campaign.extensions import db
from campaign.jobs import jobs
from campaign.jobs import later as jobs_later


@jobs.job(retries=3, retry_delay=5)
def settle(campaign_id: int) -> int:
    """Settle a batch of newly accepted moments; queue the next batch while any wait."""
    config = current_app.config
    batch = arrival.waiting(campaign_id, limit=config["JOBS_SETTLE_BATCH"])
    if not batch:
        return 0
    meanings = arrival.meanings(batch)  # the slow part, before any write lock is taken
    db.session.rollback()  # end the read transaction; settling writes in one of its own
    left = arrival.settle(campaign_id, [mid for mid, _ in batch], meanings,
                          thresholds=config["CLUSTER_THRESHOLDS"])
    if left:
        jobs_later(db.session, "settle", campaign_id)
    return left


@jobs.every_minute
def sweep() -> None:
    """Queue again what a killed worker or an unreachable queue left waiting."""
    queue = current_app.extensions["jobs"]
    for campaign_id in arrival.waiting_campaigns():
        queue.enqueue("settle", campaign_id)


@jobs.on_worker_start
def sweep_at_start() -> None:
    sweep()
