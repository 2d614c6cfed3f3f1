"""Jinja filters and context processors."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, url_for

from campaign import labels
from campaign.campaigns import local_time
from campaign.intake import show_controls
from campaign.models import HiddenReason, MomentStatus, Role
from campaign.privacy import describe_masked

WEEKDAYS = "월화수목금토일"


def korean_date(value: date | datetime | None, weekday: bool = False) -> str:
    """A day as people in Korea name it. Stored times are UTC: a moment sent at 00:30 in Seoul
    is 15:30 the day before in UTC, so a datetime is moved to the campaign's zone first."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    text = f"{value.year}년 {value.month}월 {value.day}일"
    return f"{text} ({WEEKDAYS[value.weekday()]})" if weekday else text


def local_clock(value: datetime | None, seconds: bool = False) -> str:
    """A stored time as the desk reads it: local date and time, e.g. 2026-11-29 00:30."""
    if value is None:
        return ""
    return local_time(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def figure(value: float | None) -> str:
    """A measured figure as every page prints it: one decimal, none when it is whole (17, 17.5)."""
    if value is None:
        return ""
    return f"{value:,.1f}".removesuffix(".0")


def external_url(endpoint: str, **values) -> str:
    """An absolute link for pages that leave the site (feed, API, og:url): built on PUBLIC_URL
    when it is set, never on a Host header someone else chose."""
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return (
        base + url_for(endpoint, **values) if base else url_for(endpoint, _external=True, **values)
    )


def number(value: int | None) -> str:
    return f"{value or 0:,}"


def no_store(response):
    """Pages with forms, receipts or moderator data must not be kept by browsers or proxies."""
    response.headers["Cache-Control"] = "no-store"
    return response


@lru_cache(maxsize=64)
def _fingerprint(path: str, mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def asset_url(filename: str) -> str:
    """A static URL with a content fingerprint, so a new deploy never serves a stale script."""
    path = Path(current_app.static_folder) / filename
    version = _fingerprint(str(path), path.stat().st_mtime) if path.exists() else "0"
    return url_for("static", filename=filename, v=version)


def register(app: Flask) -> None:
    app.jinja_env.filters["korean_date"] = korean_date
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["local_clock"] = local_clock
    app.jinja_env.filters["figure"] = figure
    app.jinja_env.filters["show_controls"] = show_controls
    app.jinja_env.filters["masked_phrases"] = describe_masked
    app.jinja_env.globals["asset_url"] = asset_url
    app.jinja_env.globals["external_url"] = external_url
    app.jinja_env.globals["Role"] = Role
    app.jinja_env.globals["labels"] = labels
    app.jinja_env.filters["moment_status"] = MomentStatus
    app.jinja_env.filters["hidden_reason"] = lambda value: (
        HiddenReason(value) if value in HiddenReason._value2member_map_ else value
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
