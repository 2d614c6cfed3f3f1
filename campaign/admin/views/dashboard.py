"""The dashboard (viewers included) and exports for analysts."""

from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, render_template, request, stream_with_context
from flask_login import current_user

from campaign import analytics, campaigns
from campaign.admin.blueprint import bp, change
from campaign.campaigns import local_today
from campaign.intake import bounded_day
from campaign.models import utcnow
from campaign.templating import no_store


def current_filter() -> tuple[analytics.Filter, list[str]]:
    """The filter from the query string, and a Korean message for each part that was ignored."""
    args, problems = request.args, []
    every = campaigns.every_campaign()
    chosen = next((c for c in every if str(c.id) == args.get("campaign")),
                  every[0] if every else None)
    since, until = bounded_day(args.get("since")), bounded_day(args.get("until"))
    if args.get("since") and since is None or args.get("until") and until is None:
        problems.append("날짜는 2026-11-23처럼 골라 주세요. 알아볼 수 없는 날짜는 빼고 보여드려요.")
    if since and until and since > until:
        problems.append("시작일이 종료일보다 늦어서 둘을 바꿔서 보여드려요.")
        since, until = until, since
    return analytics.Filter(chosen, ZoneInfo(current_app.config["TIMEZONE"]), since, until), problems


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
    return render_template("admin/dashboard.html", f=f, problems=problems, board=analytics.dashboard(
                               f, now=utcnow(), min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
                               regression=(current_app.config["REGRESSION_MIN_MOMENTS"], current_app.config["REGRESSION_DAYS"])),
                           campaigns=campaigns.every_campaign(),
                           filter_args=_filter_args(f), min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
                           regression_days=current_app.config["REGRESSION_DAYS"])


EXPORTS = {
    "moments": (analytics.MOMENT_FIELDS, lambda f: analytics.export_moments(f)),
    "clusters": (analytics.CLUSTER_FIELDS, lambda f: analytics.export_clusters(f, now=utcnow())),
    "fixes": (analytics.FIX_FIELDS, lambda f: analytics.export_fixes(f)),
}


@bp.get("/export/<kind>.<fmt>")
def export(kind: str, fmt: str):
    if kind not in EXPORTS or fmt not in ("csv", "json"):
        abort(404)
    f, _ = current_filter()
    fields, rows = EXPORTS[kind]
    with change():  # the export is in the audit trail before a row leaves
        analytics.record_export(f, kind=kind, fmt=fmt, by=current_user, args=_filter_args(f))
    body = _csv(fields, rows(f)) if fmt == "csv" else _json(rows(f))
    name = f"{kind}-{f.campaign.slug if f.campaign else 'none'}-{local_today(utcnow()):%Y%m%d}.{fmt}"
    response = Response(stream_with_context(body), mimetype="text/csv" if fmt == "csv" else "application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return no_store(response)  # masked moments still must not sit in a browser or proxy cache


# A cell a spreadsheet would run as a formula (OWASP CSV injection): = + - @, tab, CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str | int | bool:
    """One CSV cell: lists joined, None empty, and text that starts like a formula prefixed
    with ' so it stays text. Anonymous moments are the input, so every cell is treated."""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(fields, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # so spreadsheet programs read the Korean as UTF-8
    writer.writerow(fields)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(row[k]) for k in fields])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json(rows):
    yield "[\n"
    for n, row in enumerate(rows):
        yield ("" if n == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
