"""The jobs the worker runs. Like a view, a job reads settings, calls domain functions and lets
`jobs._in_context` commit once; the work itself lives in the domain modules."""

from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app

from campaign import (
    arrival,
    audit,
    clocks,
    desk_jobs,
    digests,
    exports,
    outbound,
    retention,
    spikes,
    webhooks,
)
from campaign.audit import AuditAction
from campaign.clustering import recluster
from campaign.extensions import db
from campaign.jobs import jobs
from campaign.jobs import later as jobs_later
from campaign.models import JobRun, utcnow

log = logging.getLogger(__name__)


@jobs.job(retries=3, retry_delay=5)
def settle(campaign_id: int) -> int:
    """Settle a batch of newly accepted moments; queue the next batch while any wait."""
    config = current_app.config
    batch = arrival.waiting(campaign_id, limit=config["JOBS_SETTLE_BATCH"])
    if not batch:
        return 0
    meanings = arrival.meanings(batch)  # the slow part, before SQLite's write lock is taken
    arrival.end_read()
    left = arrival.settle(
        campaign_id,
        [mid for mid, _ in batch],
        meanings,
        thresholds=config["CLUSTER_THRESHOLDS"],
        now=utcnow(),
    )
    jobs_later(db.session, "check_spikes", campaign_id)
    if left:
        jobs_later(db.session, "settle", campaign_id)
    return left


@jobs.job(retries=0)
def check_spikes(campaign_id: int) -> list[spikes.Spike]:
    """Clusters that began to spike with the moments just settled, each returned once and
    announced to the webhooks that hear `spike` (sent after this job commits). Its own job,
    after the settle committed, so a failure here never keeps moments from settling."""
    now = utcnow()
    found = spikes.detect_new(campaign_id, now)
    for spike in found:
        webhooks.announce("spike", webhooks.spike(spike), now=now)
    return found


@jobs.job(retries=0)
def run_desk_job(run_id: str) -> None:
    """A job a person asked for (or the daily purge): claimed once, reported, finished."""
    run = desk_jobs.claim(run_id, now=utcnow())
    if run is None:  # another worker has it, or it ran already
        return
    db.session.commit()  # the desk sees it running
    try:
        result = RUNNERS[run.kind](run)
    except Exception as error:
        log.exception("job %s (%s) failed", run_id, run.kind)
        db.session.rollback()
        desk_jobs.fail(desk_jobs.find(run_id), type(error).__name__, now=utcnow())
        return
    desk_jobs.finish(run, result, now=utcnow())


def _recluster(run: JobRun) -> dict:
    total = desk_jobs.recluster_size(run.campaign_id)
    done = 0

    def progress(step: int) -> None:
        nonlocal done
        done += step
        desk_jobs.report(run, done, total)

    desk_jobs.report(run, 0, total)
    result = recluster.run(
        run.campaign, thresholds=current_app.config["CLUSTER_THRESHOLDS"], progress=progress
    )
    audit.record(
        run.requested_by,
        AuditAction.RECLUSTER,
        run.campaign,
        data={"groups": result.groups, "kept": result.kept},
    )
    return {
        "groups": result.groups,
        "clustered": result.clustered,
        "unclustered": result.unclustered,
        "kept": result.kept,
    }


def _export(run: JobRun) -> dict:
    now = utcnow()
    f = exports.filter_from(run.params, ZoneInfo(current_app.config["TIMEZONE"]))
    kind, fmt = run.params["kind"], run.params["format"]
    fields, rows = exports.kinds(now)[kind]
    total, written = exports.size(kind, f), 0
    folder = exports_folder()
    folder.mkdir(parents=True, exist_ok=True)
    path = desk_jobs.export_path(folder, run)
    partial = path.with_suffix(".part")

    def counted(found):
        nonlocal written
        for row in found:
            written += 1
            if written % 2000 == 0:
                desk_jobs.report(run, written, total)
            yield row

    with partial.open("w", encoding="utf-8", newline="") as out:
        for chunk in exports.write(fields, counted(rows(f)), fmt):
            out.write(chunk)
    partial.replace(path)
    audit.record(
        run.requested_by,
        AuditAction.EXPORT,
        ("campaign", f.campaign.id if f.campaign else 0),
        data={"kind": kind, "format": fmt, "rows": written, "job": run.id},
    )
    run.total = written
    return {"rows": written}


def _purge(run: JobRun) -> dict:
    days = current_app.config["RETENTION_DAYS"]
    if days <= 0:
        return {"deleted": 0}
    deleted = retention.purge_expired(now=utcnow(), retention_days=days)
    db.session.commit()
    retention.scrub_free_space(db.engine)
    return {"deleted": deleted}


RUNNERS = {"recluster": _recluster, "export": _export, "purge": _purge}


@jobs.job(retries=0)
def deliver_webhook(delivery_id: str) -> None:
    """One attempt at a webhook delivery; a failure waits its back-off and the sweep asks
    again (webhooks.BACKOFF), so huey's own retries are not used."""
    delivery = webhooks.claim(delivery_id, now=utcnow())
    if delivery is None:  # not due, taken by another worker, finished, or its endpoint is off
        return
    url, body, headers = webhooks.outgoing(delivery)
    db.session.commit()  # the desk sees it sending, and no transaction waits on the network
    outcome = outbound.post(
        url, body, headers, allow_local=current_app.config["WEBHOOK_ALLOW_LOCAL"]
    )
    webhooks.record(webhooks.find(delivery_id), outcome, now=utcnow())


@jobs.job(retries=0)
def send_digest(run_id: int) -> None:
    """One team's digest for one period, sent once; a failure is tried again by the sweep."""
    run = digests.claim(run_id, now=utcnow())
    if run is None:
        return
    mail, counts = digests.prepare(run, now=utcnow())
    db.session.commit()
    try:
        digests.send_mail(mail, current_app.config)
        error = None
    except Exception as failure:
        log.warning("digest %s not sent: %s", run_id, type(failure).__name__)
        error = digests.why(failure)
    digests.record(digests.find(run_id), counts=counts, error=error, now=utcnow())


def exports_folder() -> Path:
    return Path(current_app.instance_path) / "exports"


@jobs.every_minute
def sweep() -> None:
    """Queue again what a killed worker or an unreachable queue left waiting; once a local day
    ask for the retention purge; delete export files past their day; ask for webhook
    deliveries whose next attempt is due and for each team's digest once per period; announce
    each cluster whose public-answer clock has just run out, once per deadline."""
    queue, now = current_app.extensions["jobs"], utcnow()
    for campaign_id in arrival.waiting_campaigns():
        queue.enqueue("settle", campaign_id)
    desk_jobs.requeue_lost(now=now)
    if current_app.config["RETENTION_DAYS"] > 0 and not desk_jobs.ran_today("purge", now=now):
        desk_jobs.request("purge", campaign=None, by=None, now=now)
    desk_jobs.forget_old_exports(exports_folder(), now=now)
    # Asked for after this sweep commits, so each job finds the rows the sweep wrote.
    for delivery_id in webhooks.due(now=now):
        jobs_later(db.session, "deliver_webhook", delivery_id)
    webhooks.forget_old(now=now, days=current_app.config["WEBHOOK_LOG_DAYS"])
    for cluster, clock in clocks.newly_overdue(now):
        webhooks.announce("cluster_overdue", webhooks.cluster_overdue(cluster, clock), now=now)
    digests.ask_for(digests.due(now=now))


@jobs.on_worker_start
def sweep_at_start() -> None:
    sweep()
