"""처리 현황: long jobs (re-clustering, large exports, the retention purge), their progress and
their result; a finished export's file for a day."""

from __future__ import annotations

from flask import abort, render_template, send_file

from campaign import desk_jobs
from campaign.admin.blueprint import bp
from campaign.models import JobState, utcnow
from campaign.tasks import exports_folder


@bp.get("/jobs")
def jobs():
    runs = desk_jobs.recent()
    return render_template(
        "admin/jobs.html",
        runs=runs,
        kinds=desk_jobs.KINDS,
        busy=any(r.state in (JobState.QUEUED, JobState.RUNNING) for r in runs),
    )


@bp.get("/jobs/<run_id>")
def job(run_id: str):
    run = desk_jobs.find(run_id) or abort(404)
    return render_template(
        "admin/job.html",
        run=run,
        kinds=desk_jobs.KINDS,
        busy=run.state in (JobState.QUEUED, JobState.RUNNING),
        file_days=desk_jobs.EXPORT_KEPT.days,
    )


@bp.get("/jobs/<run_id>/file")
def job_file(run_id: str):
    run = desk_jobs.find(run_id) or abort(404)
    try:
        path = desk_jobs.download(run, exports_folder(), now=utcnow())
    except desk_jobs.JobError:
        abort(404)
    kind, fmt = run.params["kind"], run.params["format"]
    name = f"{kind}-{run.created_at:%Y%m%d}-{run.id[:8]}.{fmt}"
    response = send_file(
        path,
        mimetype="text/csv" if fmt == "csv" else "application/json",
        as_attachment=True,
        download_name=name,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
