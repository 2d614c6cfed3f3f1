"""The dashboard (viewers included) and exports for analysts."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user

from campaign import analytics, campaigns, desk_jobs, exports
from campaign.admin.blueprint import bp, change
from campaign.campaigns import local_today
from campaign.i18n import _
from campaign.intake import bounded_day
from campaign.models import utcnow
from campaign.templating import no_store


def current_filter() -> tuple[analytics.Filter, list[str]]:
    """The filter from the query string, and a Korean message for each part that was ignored."""
    args, problems = request.args, []
    every = campaigns.every_campaign()
    chosen = next(
        (c for c in every if str(c.id) == args.get("campaign")), every[0] if every else None
    )
    since, until = bounded_day(args.get("since")), bounded_day(args.get("until"))
    if args.get("since") and since is None or args.get("until") and until is None:
        problems.append(
            _("날짜는 2026-11-23처럼 골라 주세요. 알아볼 수 없는 날짜는 빼고 보여드려요.")
        )
    if since and until and since > until:
        problems.append(_("시작일이 종료일보다 늦어서 둘을 바꿔서 보여드려요."))
        since, until = until, since
    return analytics.Filter(
        chosen, ZoneInfo(current_app.config["TIMEZONE"]), since, until
    ), problems


def _filter_args(f: analytics.Filter) -> dict[str, str]:
    args = {"campaign": str(f.campaign.id)} if f.campaign else {}
    if f.since:
        args["since"] = f.since.isoformat()
    if f.until:
        args["until"] = f.until.isoformat()
    return args


@bp.get("/dashboard")
def dashboard():
    f, problems = current_filter()
    return render_template(
        "admin/dashboard.html",
        f=f,
        problems=problems,
        board=analytics.dashboard(
            f,
            now=utcnow(),
            min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
            regression=(
                current_app.config["REGRESSION_MIN_MOMENTS"],
                current_app.config["REGRESSION_DAYS"],
            ),
        ),
        campaigns=campaigns.every_campaign(),
        filter_args=_filter_args(f),
        min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
        regression_days=current_app.config["REGRESSION_DAYS"],
    )


@bp.get("/export/<kind>.<fmt>")
def export(kind: str, fmt: str):
    """Small exports stream at once; a moments export over EXPORT_DIRECT_MAX_ROWS becomes a job
    whose file the jobs page offers when it is written."""
    now = utcnow()
    if kind not in exports.kinds(now) or fmt not in exports.FORMATS:
        abort(404)
    f, _problems = current_filter()
    if exports.size(kind, f) > current_app.config["EXPORT_DIRECT_MAX_ROWS"]:
        with change():
            run = desk_jobs.request(
                "export",
                campaign=f.campaign,
                by=current_user,
                params=exports.params(kind, fmt, f),
                now=now,
            )
        flash(
            _("이야기가 많아서 파일로 만들고 있어요. 다 되면 이 화면에서 내려받을 수 있어요."),
            "info",
        )
        return redirect(url_for("admin.job", run_id=run.id), 303)
    fields, rows = exports.kinds(now)[kind]
    with change():  # the export is in the audit trail before a row leaves
        analytics.record_export(f, kind=kind, fmt=fmt, by=current_user, args=_filter_args(f))
    name = f"{kind}-{f.campaign.slug if f.campaign else 'none'}-{local_today(now):%Y%m%d}.{fmt}"
    response = Response(
        stream_with_context(exports.write(fields, rows(f), fmt)),
        mimetype="text/csv" if fmt == "csv" else "application/json",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return no_store(response)  # masked moments still must not sit in a browser or proxy cache
