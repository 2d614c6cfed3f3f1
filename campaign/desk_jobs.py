"""Long jobs a moderator starts at the desk (re-clustering, a large export) or the worker runs on
a timetable (the retention purge): asked for, claimed once, reported, finished.

A JobRun moves queued -> running -> done | failed and only through these functions. `claim` is
atomic, so a job queued twice (a retry, the sweep) runs once; a run left `running` by a killed
worker goes back to `queued` after STALE_AFTER and runs again (every kind is idempotent:
re-clustering keeps people's decisions, an export rewrites its file, a purge deletes what is
still expired). Progress is written on a connection of its own so the desk sees it while the job's
own transaction is still open; on a busy SQLite a progress step may be skipped, never the job.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from campaign import database, jobs
from campaign.campaigns import day_bounds, local_today
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.models import Campaign, JobRun, JobState, Moderator, Moment, MomentStatus
from campaign.refusals import Refusal

log = logging.getLogger(__name__)

KINDS = {
    "recluster": _l("다시 묶기"),
    "export": _l("내보내기"),
    "purge": _l("보관 기간이 지난 이야기 지우기"),
}
# A run `running` for longer than this was lost with its worker.
STALE_AFTER = timedelta(hours=1)
# Finished export files are kept this long for their download, then deleted.
EXPORT_KEPT = timedelta(days=1)


class JobError(Refusal):
    """The job cannot be asked for or has no result to give."""


def request(
    kind: str,
    *,
    campaign: Campaign | None,
    by: Moderator | None,
    params: dict | None = None,
    now: datetime,
) -> JobRun:
    """Queue a job once its transaction commits. While a re-clustering or purge of the same
    campaign is queued or running, asking again returns that run instead of a second one."""
    if kind not in KINDS:
        raise JobError(f"알 수 없는 작업이에요: {kind}")
    if kind != "export":
        running = db.session.scalar(
            select(JobRun).where(
                JobRun.kind == kind,
                JobRun.campaign_id == (campaign.id if campaign else None),
                JobRun.state.in_([JobState.QUEUED, JobState.RUNNING]),
            )
        )
        if running is not None:
            return running
    run = JobRun(
        kind=kind,
        campaign_id=campaign.id if campaign else None,
        requested_by_id=by.id if by else None,
        params=params or {},
        created_at=now,
    )
    db.session.add(run)
    db.session.flush()
    jobs.later(db.session, "run_desk_job", run.id)
    return run


def claim(run_id: str, *, now: datetime) -> JobRun | None:
    """Move a queued run to running and return it; None when another worker has it, or it is
    done already (a job queued twice runs once)."""
    return database.claim(
        JobRun,
        run_id,
        JobRun.state == JobState.QUEUED,
        state=JobState.RUNNING,
        started_at=now,
        done=0,
    )


def report(run: JobRun, done: int, total: int) -> None:
    """How far a running job has got, visible at once to the desk (its own short transaction)."""
    try:
        with db.engine.begin() as connection:
            connection.execute(
                update(JobRun).where(JobRun.id == run.id).values(done=done, total=total)
            )
    except OperationalError:  # SQLite busy with the job's own writes: the next step reports
        log.info("progress of job %s not written this time", run.id)


def finish(run: JobRun, result: dict, *, now: datetime) -> None:
    _move(run, JobState.RUNNING, JobState.DONE, now)
    run.result = result
    if run.total:
        run.done = run.total


def fail(run: JobRun, reason: str, *, now: datetime) -> None:
    """A failed run says which kind of error stopped it (never a moment's text)."""
    _move(run, JobState.RUNNING, JobState.FAILED, now)
    run.result = {"error": reason}


def _move(run: JobRun, expected: JobState, to: JobState, now: datetime) -> None:
    if run.state is not expected:
        raise JobError(f"{run.state.value} 상태의 작업은 {to.value}(으)로 바꿀 수 없어요.")
    run.state, run.finished_at = to, now


def requeue_lost(*, now: datetime) -> list[str]:
    """Runs a killed worker left queued or running: queued again (after their transaction)."""
    lost = list(
        db.session.scalars(
            select(JobRun).where(
                (JobRun.state == JobState.QUEUED) & (JobRun.created_at < now - timedelta(minutes=1))
                | (JobRun.state == JobState.RUNNING) & (JobRun.started_at < now - STALE_AFTER)
            )
        )
    )
    for run in lost:
        run.state = JobState.QUEUED
        jobs.later(db.session, "run_desk_job", run.id)
    return [run.id for run in lost]


def ran_today(kind: str, *, now: datetime) -> bool:
    """Whether a run of `kind` was asked for since the start of the campaign's local day."""
    start, _ = day_bounds(local_today(now))
    return (
        db.session.scalar(
            select(JobRun.id).where(JobRun.kind == kind, JobRun.created_at >= start).limit(1)
        )
        is not None
    )


def recluster_size(campaign_id: int) -> int:
    """Moments a re-clustering of the campaign reads (all but hidden ones): its progress total."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Moment)
            .where(Moment.campaign_id == campaign_id, Moment.status != MomentStatus.HIDDEN)
        )
        or 0
    )


def recent(*, limit: int = 30) -> list[JobRun]:
    return list(
        db.session.scalars(
            select(JobRun).order_by(JobRun.created_at.desc(), JobRun.id).limit(limit)
        )
    )


def find(run_id: str) -> JobRun | None:
    return db.session.get(JobRun, run_id)


def export_path(folder: Path, run: JobRun) -> Path:
    return folder / f"{run.id}.{run.params.get('format', 'csv')}"


def download(run: JobRun, folder: Path, *, now: datetime) -> Path:
    """The finished export's file, while it is kept."""
    path = export_path(folder, run)
    if run.kind != "export" or run.state is not JobState.DONE or not path.exists():
        raise JobError(_("내려받을 파일이 없어요. 내보내기를 다시 해 주세요."))
    if run.finished_at and now - run.finished_at > EXPORT_KEPT:
        raise JobError(_("하루가 지나 파일을 지웠어요. 내보내기를 다시 해 주세요."))
    return path


def forget_old_exports(folder: Path, *, now: datetime) -> int:
    """Delete export files older than EXPORT_KEPT (they hold masked moments); returns how many."""
    old = db.session.scalars(
        select(JobRun).where(
            JobRun.kind == "export",
            JobRun.state == JobState.DONE,
            JobRun.finished_at < now - EXPORT_KEPT,
        )
    )
    removed = 0
    for run in old:
        path = export_path(folder, run)
        if path.exists():
            path.unlink()
            removed += 1
    return removed
