"""Jinja filters and context processors."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from campaign import i18n, labels
from campaign.analytics import OTHER
from campaign.campaigns import local_time
from campaign.intake import show_controls
from campaign.models import HiddenReason, MomentStatus, Role
from campaign.privacy import describe_masked

WEEKDAYS = "월화수목금토일"
EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# The explicit choice of the language switch: a cookie holding "ko" or "en" and nothing else.
LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_DAYS = 365


def korean_date(value: date | datetime | None, weekday: bool = False) -> str:
    """A day as the reader names it: 2026년 11월 29일 (일), or in English Sun 29 Nov 2026.
    Stored times are UTC: a moment sent at 00:30 in Seoul is 15:30 the day before in UTC, so a
    datetime is moved to the campaign's zone first."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local_time(value)
    if i18n.english():
        text = f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
        return f"{EN_WEEKDAYS[value.weekday()]} {text}" if weekday else text
    text = f"{value.year}년 {value.month}월 {value.day}일"
    return f"{text} ({WEEKDAYS[value.weekday()]})" if weekday else text


def local_clock(value: datetime | None, seconds: bool = False) -> str:
    """A stored time as the desk reads it: local date and time, e.g. 2026-11-29 00:30 (the same
    in both languages: ISO dates read the same in Korean and English)."""
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


def choose_language() -> str:
    """Flask-Babel's locale selector: the switch's cookie, then Accept-Language, else Korean.
    Outside a request (jobs, the CLI) Korean."""
    if not has_request_context():
        return i18n.DEFAULT_LANGUAGE
    return i18n.choose(request.cookies.get(LANGUAGE_COOKIE), request.accept_languages)


def safe_return(target: str | None) -> str:
    """Where the language switch goes back to: a path on this site, never another host."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 32 for c in target)
    ):
        return url_for("public.landing")
    return target


# Where the switch goes back to from a page that answered a POST at an address with no GET
# page: (endpoint prefix, the GET page that shows the same thing, or as near as there is).
AFTER_POST = (
    ("public.status", "public.status"),  # the receipt's buttons: the code is never in a URL
    ("public.answer", "public.status"),
    ("public.thanks", "public.thanks"),
    ("public.metoo_fix", "public.improvements"),
    ("public.metoo_cluster", "public.listening"),
    ("admin.", "admin.dashboard"),
)


def _switch_back() -> str:
    """The page the switch returns to: this very page for a GET; after a POST, the page a view
    named (`g.language_back`), the same address when it also answers GET, else the GET page
    nearest to it (the switch's link is a GET: a POST-only address would answer 405)."""
    if not request.endpoint:
        return "/"
    if request.method in ("GET", "HEAD"):
        return request.full_path.removesuffix("?")
    if g.get("language_back"):
        return g.language_back
    if request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return request.path
    for prefix, endpoint in AFTER_POST:
        if request.endpoint.startswith(prefix):
            return url_for(endpoint)
    return url_for("public.landing")


def language_switch() -> dict:
    """The header's link to the other language, back to this very page (or, after a POST, the
    page that shows the same thing)."""
    here = _switch_back()
    other = "ko" if i18n.english() else "en"
    return {
        "code": other,
        "name": "한국어" if other == "ko" else "English",
        "url": url_for("public.language", code=other, next=here),
    }


def remember_language(response, code: str):
    """Sets the switch's cookie: the language only, so it identifies nobody (README, privacy)."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_DAYS * 86400,
        path="/",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response


class Written:
    """A text people wrote, in the language it is in: prints as escaped text; `attr` is
    ` lang="ko"` when that differs from the page's language (else nothing)."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text or "", lang

    def __str__(self) -> str:
        return self.text

    def __html__(self) -> str:
        return str(escape(self.text))

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def attr(self) -> Markup:
        return lang_attr(self.lang)


def lang_attr(code: str) -> Markup:
    """` lang="ko"` on an element whose words are in another language than the page's."""
    return Markup(f' lang="{escape(code)}"') if code != i18n.language() else Markup("")


def campaign_text(campaign, name: str) -> Written:
    """A campaign's title, question or intro in the reader's language when it was written in
    it, else the Korean (marked lang="ko" on an English page)."""
    text, lang = i18n.pick(getattr(campaign, name), getattr(campaign, f"{name}_en", ""))
    return Written(text, lang)


def _lazy_aware_json(app: Flask) -> DefaultJSONProvider:
    """The app's JSON (the API, the session cookie's flashes) writes a lazy string as its text
    in the request's language, instead of refusing it."""

    class Provider(DefaultJSONProvider):
        @staticmethod
        def default(o):
            if isinstance(o, LazyString):
                return str(o)
            return DefaultJSONProvider.default(o)

    provider = Provider(app)
    provider.ensure_ascii = app.json.ensure_ascii
    return provider


def register_languages(app: Flask) -> None:
    """Flask-Babel with Korean as the default; the .po compiled into the instance folder."""
    from campaign.extensions import babel

    compiled = Path(app.instance_path) / "translations"
    i18n.compile_catalogs(i18n.SOURCE, compiled)
    app.config["BABEL_DEFAULT_LOCALE"] = i18n.DEFAULT_LANGUAGE
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=choose_language)
    app.json = _lazy_aware_json(app)
    app.jinja_env.policies["ext.i18n.trimmed"] = True

    @app.after_request
    def vary_by_language(response):
        """Every page depends on Accept-Language and the switch's cookie: shared caches must
        keep one copy per language (and the page cache keys on the language too). The page
        says which language it is in (tests/pagecheck.py checks <html lang> against it)."""
        if response.mimetype in ("text/html", "application/atom+xml", "application/json"):
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        if response.mimetype == "text/html":
            response.headers["Content-Language"] = i18n.language()
        return response

    @app.context_processor
    def languages():
        return {"html_lang": i18n.language()}

    # Globals, not context: macros imported without context (forms.html, loop.html) use them.
    app.jinja_env.globals.update(
        language_switch=language_switch,
        lang_attr=lang_attr,
        campaign_text=campaign_text,
        OTHER_CATEGORY=OTHER,
        # analytics.DIRECT_LABEL as the reader reads it; lazy, so charts tell it from the
        # names people typed (charts.bars marks only plain strings as Korean).
        DIRECT_SOURCE=i18n._l("직접 방문"),
    )


def register(app: Flask) -> None:
    register_languages(app)
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
