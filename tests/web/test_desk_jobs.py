"""Long desk jobs run in the worker: 다시 묶기, a large export and the daily retention purge are
queued, claimed once, show their progress and result on 처리 현황, survive a lost worker, and
say so when they fail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from campaign import desk_jobs, tasks
from campaign.extensions import db
from campaign.models import AuditEvent, JobRun, JobState, Moment, utcnow
from tests.factories import make_campaign, make_moment
from tests.queue import GROUPED, queued_settings, run_queued
from tests.web.helpers import csrf_token, page_text


@pytest.fixture
def queued_app(sign_in, make_app, tmp_path):
    """Listed after sign_in so its app context is the test's current one."""
    app = make_app(**queued_settings(tmp_path))
    with app.app_context():
        yield app


def grouped_campaign():
    campaign = make_campaign()
    for body in GROUPED:
        make_moment(campaign, body=body)
    db.session.commit()
    return campaign


def test_regrouping_is_queued_shown_while_it_waits_and_its_result_shown_when_done(
    sign_in, queued_app
):
    campaign = grouped_campaign()
    client = queued_app.test_client()
    admin = sign_in(client, "admin")
    response = client.post(
        f"/admin/clusters/recluster/{campaign.id}",
        data={"csrf_token": csrf_token(client, "/admin/clusters")},
    )
    job_url = response.headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert 'data-job-state="queued"' in waiting and 'http-equiv="refresh"' in waiting
    run_queued(queued_app)
    done = page_text(client, job_url)
    assert 'data-job-state="done"' in done and "다시 묶었어요: 묶음 2개" in done
    assert 'http-equiv="refresh"' not in done
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recluster"))
    assert event.actor_id == admin.id and event.data["groups"] == 2
    assert "다시 묶기" in page_text(client, "/admin/jobs")


def test_asking_to_regroup_twice_while_one_waits_queues_one_job_that_runs_once(sign_in, queued_app):
    campaign = grouped_campaign()
    client = queued_app.test_client()
    sign_in(client, "admin")
    first = client.post(
        f"/admin/clusters/recluster/{campaign.id}",
        data={"csrf_token": csrf_token(client, "/admin/clusters")},
    )
    second = client.post(
        f"/admin/clusters/recluster/{campaign.id}",
        data={"csrf_token": csrf_token(client, "/admin/clusters")},
    )
    assert first.headers["Location"] == second.headers["Location"]
    queued_app.extensions["jobs"].enqueue(
        "run_desk_job", first.headers["Location"].rsplit("/", 1)[1]
    )
    run_queued(queued_app)
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "recluster")
        )
        == 1
    )


def test_a_job_lost_with_its_worker_is_queued_again_by_the_sweep_and_finishes(queued_app):
    campaign = grouped_campaign()
    run = desk_jobs.request("recluster", campaign=campaign, by=None, now=utcnow())
    db.session.commit()
    assert desk_jobs.claim(run.id, now=utcnow() - timedelta(hours=2)) is not None
    db.session.commit()
    queued_app.extensions["jobs"].huey.flush()  # the worker died with it
    tasks.sweep()
    db.session.commit()
    run_queued(queued_app)
    db.session.expire_all()
    assert db.session.get(JobRun, run.id).state is JobState.DONE


def test_a_failing_job_says_it_failed_and_which_kind_of_error_stopped_it(
    sign_in, queued_app, monkeypatch
):
    campaign = grouped_campaign()
    client = queued_app.test_client()
    sign_in(client, "admin")

    def broken(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(tasks.recluster, "run", broken)
    job_url = client.post(
        f"/admin/clusters/recluster/{campaign.id}",
        data={"csrf_token": csrf_token(client, "/admin/clusters")},
    ).headers["Location"]
    run_queued(queued_app)
    page = client.get(job_url).get_data(as_text=True)
    assert 'data-job-state="failed"' in page and "처리하지 못했어요" in page
    db.session.expire_all()
    assert db.session.scalars(select(JobRun)).one().result == {"error": "MemoryError"}


def test_a_large_export_becomes_a_file_offered_for_a_day(sign_in, queued_app, monkeypatch):
    queued_app.config["EXPORT_DIRECT_MAX_ROWS"] = 3
    campaign = make_campaign()
    for body in GROUPED[:4] + ['=HYPERLINK("http://evil.example") 수식처럼 시작하는 이야기예요']:
        make_moment(campaign, body=body)
    db.session.commit()
    client = queued_app.test_client()
    sign_in(client, "viewer")
    response = client.get(f"/admin/export/moments.csv?campaign={campaign.id}")
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert "파일로 만들고 있어요" in page_text(client, job_url)
    run_queued(queued_app)
    assert "5줄을 파일로 만들었어요" in page_text(client, job_url)
    download = client.get(job_url + "/file")
    body = download.get_data(as_text=True)
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"
    assert body.startswith("\ufeff") and "'=HYPERLINK" in body and body.count("\n") == 6
    later = utcnow() + timedelta(days=1, hours=1)
    monkeypatch.setattr(tasks, "utcnow", lambda: later)
    monkeypatch.setattr("campaign.admin.views.jobs.utcnow", lambda: later)
    assert client.get(job_url + "/file").status_code == 404
    tasks.sweep()
    assert not list(tasks.exports_folder().glob("*.csv"))


def test_small_exports_still_stream_at_once(sign_in, queued_app):
    campaign = make_campaign()
    make_moment(campaign)
    db.session.commit()
    client = queued_app.test_client()
    sign_in(client, "viewer")
    response = client.get(f"/admin/export/moments.csv?campaign={campaign.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"


def test_the_sweep_asks_for_the_retention_purge_once_a_day(queued_app):
    queued_app.config["RETENTION_DAYS"] = 30
    campaign = make_campaign()
    make_moment(campaign, received=utcnow() - timedelta(days=40))
    make_moment(campaign)
    db.session.commit()
    tasks.sweep()
    db.session.commit()
    run_queued(queued_app)
    tasks.sweep()  # the same day: no second purge
    db.session.commit()
    run_queued(queued_app)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Moment)) == 1
    runs = db.session.scalars(select(JobRun).where(JobRun.kind == "purge")).all()
    assert len(runs) == 1 and runs[0].result == {"deleted": 1}
