"""Exports for analysts: moments, clusters and fixes in a filter, as CSV or JSON. Small ones
stream from the request; a large range is written to a file by a job (desk_jobs, tasks).

Every cell of a CSV is guarded against spreadsheet formulas (the text comes from anonymous
people), and the CSV starts with a BOM so spreadsheet programs read the Korean as UTF-8.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date
from zoneinfo import ZoneInfo

from campaign import analytics, i18n
from campaign.extensions import db
from campaign.models import Campaign

FORMATS = ("csv", "json")
# A cell a spreadsheet would run as a formula (OWASP CSV injection): = + - @, tab, CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def kinds(now) -> dict:
    """Each export: its fields and the rows of a filter."""
    return {
        "moments": (analytics.MOMENT_FIELDS, analytics.export_moments),
        "clusters": (analytics.CLUSTER_FIELDS, lambda f: analytics.export_clusters(f, now=now)),
        "fixes": (analytics.FIX_FIELDS, analytics.export_fixes),
    }


def size(kind: str, f: analytics.Filter) -> int:
    """How many rows a moments export would have (the others are small: one row per cluster
    or fix)."""
    return analytics.count_moments(f) if kind == "moments" else 0


def params(kind: str, fmt: str, f: analytics.Filter) -> dict:
    """What a job needs to build the same export later."""
    found = {"kind": kind, "format": fmt, "campaign": f.campaign.id if f.campaign else None}
    found.update({k: getattr(f, k).isoformat() for k in ("since", "until") if getattr(f, k)})
    return found


def filter_from(params: dict, zone: ZoneInfo) -> analytics.Filter:
    campaign = db.session.get(Campaign, params["campaign"]) if params.get("campaign") else None
    day = {k: date.fromisoformat(params[k]) if params.get(k) else None for k in ("since", "until")}
    return analytics.Filter(campaign, zone, day["since"], day["until"])


def cell(value) -> str | int | bool:
    """One CSV cell: lists joined, None empty, and text that starts like a formula prefixed
    with ' so it stays text. Anonymous moments are the input, so every cell is treated."""
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def as_csv(fields, rows: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"  # so spreadsheet programs read the Korean as UTF-8
    writer.writerow(fields)
    for n, row in enumerate(rows, 1):
        writer.writerow([cell(row[k]) for k in fields])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def as_json(rows: Iterable[dict]) -> Iterator[str]:
    yield "[\n"
    for n, row in enumerate(rows):
        yield ("" if n == 0 else ",\n") + json.dumps(
            row, ensure_ascii=False, default=i18n.json_default
        )
    yield "\n]\n"


def write(fields, rows: Iterable[dict], fmt: str) -> Iterator[str]:
    return as_csv(fields, rows) if fmt == "csv" else as_json(rows)
