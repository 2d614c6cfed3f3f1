"""Every setting, with a safe default. Each can be overridden from the environment as
`CAMPAIGN_<NAME>` (the database URL as `DATABASE_URL`) or by `create_app(overrides)`.

Settings are read through `current_app.config` at call time, never at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

DEV_SECRET = "development-only-secret-do-not-use-in-production"
DEV_PEPPER = "development-only-receipt-pepper"


class Defaults:
    # development, testing or production; production refuses the development secrets.
    ENV = "production"
    # Signs the session cookie (which carries only the CSRF token and the thanks-page receipt).
    SECRET_KEY = DEV_SECRET
    # Keys the receipt and client hashes; kept outside the database so a dump alone can't
    # confirm a receipt code or an address.
    RECEIPT_PEPPER = DEV_PEPPER
    # Where the public reaches this site (e.g. https://moments.example.org). Links that leave the
    # page (the Atom feed, the API, og:url) are built from it, and requests for any other host
    # are refused, so a forged Host header cannot plant another site's address. Set it in
    # production; empty trusts the Host header (local development).
    PUBLIC_URL = ""
    # Slug of the campaign served at `/`; empty means the most recently opened one.
    DEFAULT_CAMPAIGN = ""
    # Dates, the campaign window and "today" are read in this time zone.
    TIMEZONE = "Asia/Seoul"
    # Tests and walk-throughs only: an ISO time with its offset that the app takes as now
    # (e.g. "2026-11-29T00:30:00+09:00"). Production refuses it.
    FROZEN_CLOCK = ""
    # Folder for the app's own files (the SQLite database when DATABASE_URL is unset). Empty:
    # instance/ beside the source tree, or <virtualenv>/var/campaign-instance for an app
    # installed from the wheel. Production sets it (e.g. /var/lib/campaign). Read before the
    # app exists, since Flask fixes its instance folder when it is built.
    INSTANCE_PATH = ""

    # The largest request body read at all (bytes): a moment is at most a few KB.
    MAX_CONTENT_LENGTH = 256 * 1024
    # Length of a moment, in NFC code points (the browser counts the same way).
    BODY_MIN_CHARS = 10
    BODY_MAX_CHARS = 2000
    SUGGESTION_MAX_CHARS = 1000
    # Importing what other channels heard (imports.py): the largest file the desk's upload and
    # `flask import-moments` read (bytes; the upload alone may exceed MAX_CONTENT_LENGTH), and
    # how many rows go into the database per commit from the command line.
    IMPORT_MAX_BYTES = 20 * 1024 * 1024
    IMPORT_BATCH_ROWS = 500

    # Redis (e.g. redis://127.0.0.1:6379/0). Set it when a campaign runs more than one web
    # process or machine: jobs, rate limits, the duplicate guard, the sign-in throttle and the
    # page cache then live there and are shared. Empty: jobs queue in a SQLite file in the
    # instance folder and the rest stays in each process's memory.
    REDIS_URL = ""
    # Start of every key this app writes to Redis, so campaigns (or tests) can share a server.
    REDIS_PREFIX = "campaign"
    # The job queue's file when REDIS_URL is empty (default: jobs.sqlite3 in the instance folder).
    JOBS_QUEUE_FILE = ""
    # Run background jobs inside the request that asks for them, right after its commit
    # (tests and one-off scripts only; a campaign runs `flask worker`).
    JOBS_IMMEDIATE = False
    # Moments settled per job run: encoded together, then placed one by one.
    JOBS_SETTLE_BATCH = 64
    # Public pages (/, /improvements, a fix, /stats) are served from a cache for at most this
    # many seconds; storing a moment or changing a fix clears it at once in this process, and
    # in every process when REDIS_URL is set.
    PAGE_CACHE_SECONDS = 10
    # A moments export larger than this is written to a file by the worker (the desk shows its
    # progress and offers the file for a day) instead of streaming from the request.
    EXPORT_DIRECT_MAX_ROWS = 20_000

    # Flask-Limiter rate limits per client (keyed hash of the address). Kept in process memory,
    # or in Redis when REDIS_URL is set (then shared by every instance).
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    # Stored moments per client; raw POSTs to the form (errors, the personal-data check) have
    # their own, higher cap so fixing a typo or confirming never counts as another moment.
    SUBMIT_LIMIT = "5 per minute;30 per hour"
    SUBMIT_POST_LIMIT = "30 per minute;200 per hour"
    STATUS_LIMIT = "10 per minute;60 per hour"
    # Follow links made ("소식 받기", from the thanks page or a receipt), and reads of a follow
    # page or feed: feed readers poll, and several people's readers may share one address.
    FOLLOW_LIMIT = "5 per minute;20 per hour"
    FOLLOW_READ_LIMIT = "60 per minute;600 per hour"
    # 이미 고쳤어요 while typing on /submit: the page asks after each pause in typing (about one
    # request every few seconds while someone writes), so the cap is a typist's, not a script's.
    SUGGEST_LIMIT = "30 per minute;300 per hour"
    # 나도 겪었어요 taps (one per item per browser session is counted; this caps the POSTs).
    METOO_LIMIT = "10 per minute;60 per hour"
    # The same text from the same client within this many seconds is stored once.
    DUPLICATE_WINDOW_SECONDS = 600
    # Number of trusted proxies setting X-Forwarded-For in front of the app (0: none).
    PROXY_FIX_X_FOR = 0

    # Moments older than this are deleted by `flask purge` (0: keep for ever).
    RETENTION_DAYS = 0
    # Public aggregates fold groups smaller than this into 기타 so no one is singled out.
    PUBLIC_MIN_GROUP = 10
    # A median (days to a fix, hours to first triage) is shown only over at least this many.
    MEDIAN_MIN_SAMPLE = 3
    # A cluster whose fix is 개선 완료 but that received this many moments within the last
    # REGRESSION_DAYS after the fix is flagged on the desk as a regression.
    REGRESSION_MIN_MOMENTS = 5
    REGRESSION_DAYS = 14
    # 급증 (campaign/spikes.py): a cluster whose last 24 hours hold at least SPIKE_MIN_MOMENTS
    # moments, when so many would arrive by chance with probability under SPIKE_P at its usual
    # rate (Poisson), its daily mean over the SPIKE_BASELINE_DAYS local days before yesterday,
    # and never less than SPIKE_FLOOR_PER_DAY (a new cluster has no usual rate yet).
    SPIKE_P = 0.001
    SPIKE_MIN_MOMENTS = 5
    SPIKE_BASELINE_DAYS = 14
    SPIKE_FLOOR_PER_DAY = 0.5

    # Webhook deliveries (and their attempts) are kept in the desk's delivery log this many
    # days after they were made; their bodies hold masked text, so they do not stay longer.
    WEBHOOK_LOG_DAYS = 30
    # Webhook endpoints on this machine (localhost, 127.0.0.1, ::1; there also over http) are
    # for trying webhooks out: refused when an address is saved and again when it is sent,
    # unless this is on. Off in production; on by default when CAMPAIGN_ENV=development.
    WEBHOOK_ALLOW_LOCAL = False

    # Outgoing mail for the teams' digests (campaign/digests.py). Empty SMTP_HOST: no digest is
    # sent (the desk says so). SMTP_STARTTLS upgrades the connection before signing in (port
    # 587); SMTP_USER and SMTP_PASSWORD are optional. SMTP_FROM is the sender address.
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_FROM = ""
    SMTP_STARTTLS = True
    # Seconds to wait for the mail server before the attempt counts as failed.
    SMTP_TIMEOUT = 10
    # Local hour (CAMPAIGN_TIMEZONE) from which a day's (or Monday's, for weekly) digest goes out.
    DIGEST_HOUR = 8

    # Moderator passwords: memory-hard scrypt, N=2^17 (128 MiB), above Werkzeug's default N=2^15.
    PASSWORD_HASH_METHOD = "scrypt:131072:8:1"
    # Failed sign-ins before an account is locked for LOGIN_LOCK_SECONDS (memory only).
    LOGIN_FAILURE_LIMIT = 5
    LOGIN_LOCK_SECONDS = 900
    # Sign-in attempts per client (keyed hash of the address).
    LOGIN_LIMIT = "10 per minute;50 per hour"
    # However active, a desk session ends this many hours after sign-in.
    SESSION_LIFETIME_HOURS = 12
    # A device that signed in to an account is trusted for it this many days (sign-in delays
    # for the account do not apply there).
    TRUSTED_DEVICE_DAYS = 180
    # Roles that must sign in with a second factor (TOTP), comma-separated: admin, moderator,
    # viewer.
    TWO_FACTOR_ROLES = "admin"
    # A moderator session ends after this many idle minutes; a warning comes 5 minutes before.
    IDLE_TIMEOUT_MINUTES = 30
    # How long before that the page warns (and offers to keep the session alive).
    IDLE_WARNING_SECONDS = 300
    # Cosine distance at which clustering stops merging, per language, without the sentence
    # encoder (chosen on ParaKQC and BANKING77 development data; see
    # campaign/clustering/engine.py and bench/cluster_bench.py). The only defaults: the
    # clustering code takes them as arguments (CLUSTER_THRESHOLDS, cluster_thresholds()).
    CLUSTER_THRESHOLD_KO = "0.5"
    CLUSTER_THRESHOLD_EN = "0.42"
    # The same with the sentence encoder, in its one space for every language (meaning beside
    # spelling, read in context): ParaKQC and BANKING77 both scored within a point or two of
    # their best from 0.4 to 0.5 (see engine.py and bench/cluster_bench.py).
    CLUSTER_THRESHOLD_MEANING = "0.5"
    # Secure cookies outside development (a plain-http localhost demo can't use them).
    SESSION_COOKIE_SECURE = True


def cluster_thresholds(settings) -> dict[str, float]:
    """The three CLUSTER_THRESHOLD_* settings as the clustering functions take them: by the
    space texts are compared in ("ko", "en", and "xx", engine.MEANING, the encoder's one space
    for every language)."""
    return {
        "ko": float(settings["CLUSTER_THRESHOLD_KO"]),
        "en": float(settings["CLUSTER_THRESHOLD_EN"]),
        "xx": float(settings["CLUSTER_THRESHOLD_MEANING"]),
    }


# The defaults above in that shape, for code that runs the clustering without an app (the
# bench, unit tests of the pure engine); an app reads its own from config["CLUSTER_THRESHOLDS"].
DEFAULT_CLUSTER_THRESHOLDS = cluster_thresholds(vars(Defaults))


def _coerce(raw: str, default: object) -> object:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def configured_instance_path(overrides: dict | None = None) -> str:
    """INSTANCE_PATH from `overrides` or CAMPAIGN_INSTANCE_PATH, as an absolute path ("" unset)."""
    raw = (overrides or {}).get("INSTANCE_PATH") or os.environ.get("CAMPAIGN_INSTANCE_PATH", "")
    raw = str(raw).strip()
    return str(Path(raw).expanduser().resolve()) if raw else ""


def load_config(app, overrides: dict | None = None) -> None:
    """Fill `app.config` from the defaults, then the environment, then `overrides`."""
    settings = {k: v for k, v in vars(Defaults).items() if k.isupper()}
    explicit = set(overrides or {})
    for name, default in settings.items():
        raw = os.environ.get(f"CAMPAIGN_{name}")
        app.config[name] = default if raw is None else _coerce(raw, default)
        if raw is not None:
            explicit.add(name)

    instance = Path(app.instance_path)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance / 'campaign.sqlite3'}"
    )
    app.config.update(overrides or {})
    app.config["INSTANCE_PATH"] = app.instance_path  # the folder in use, also when Flask chose it
    _derive(app.config, explicit)
    _refuse_unsafe_production(app.config)


def _derive(config, explicit: set[str]) -> None:
    """Settings that follow from others, set once so extensions read their own names."""
    url = config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we install; the bare scheme would ask for psycopg2.
        url = config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + url[13:]
    # Never echo bound parameters (submitted text) into exception messages or logs.
    engine = {"hide_parameters": True, "pool_pre_ping": True}
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {**engine, **config.get("SQLALCHEMY_ENGINE_OPTIONS", {})}
    config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
    development = config["ENV"] != "production"
    config["SESSION_COOKIE_HTTPONLY"] = True
    config["SESSION_COOKIE_SAMESITE"] = "Lax"
    if development and "SESSION_COOKIE_SECURE" not in explicit:
        config["SESSION_COOKIE_SECURE"] = False
    if config["ENV"] == "development" and "WEBHOOK_ALLOW_LOCAL" not in explicit:
        config["WEBHOOK_ALLOW_LOCAL"] = True
    # A form left open for a long while must still submit: the token lives as long as the session.
    config["WTF_CSRF_TIME_LIMIT"] = None
    if config["REDIS_URL"] and "RATELIMIT_STORAGE_URI" not in explicit:
        config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
        # Redis unreachable: count in this process's memory rather than refuse or fail people.
        config["RATELIMIT_SWALLOW_ERRORS"] = True
        config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
        config["RATELIMIT_KEY_PREFIX"] = config["REDIS_PREFIX"]
    config["RATELIMIT_HEADERS_ENABLED"] = False
    config["RATELIMIT_STRATEGY"] = "moving-window"
    config["TESTING"] = config["ENV"] == "testing" or config.get("TESTING", False)
    if config["PUBLIC_URL"]:
        host = urlsplit(config["PUBLIC_URL"]).hostname
        if config.get("TRUSTED_HOSTS") is None:
            config["TRUSTED_HOSTS"] = [host, "127.0.0.1", "localhost"]
    if not development and config["SESSION_COOKIE_SECURE"]:
        # The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only,
        # Path=/.
        if config.get("SESSION_COOKIE_NAME", "session") == "session":
            config["SESSION_COOKIE_NAME"] = "__Host-session"
    config["CLUSTER_THRESHOLDS"] = cluster_thresholds(config)


class UnsafeConfiguration(RuntimeError):
    pass


def _refuse_unsafe_production(config) -> None:
    if config["ENV"] != "production":
        return
    if config.get("FROZEN_CLOCK"):
        raise UnsafeConfiguration(
            "CAMPAIGN_FROZEN_CLOCK stops the clock; it is for tests and demos only."
        )
    if config["SECRET_KEY"] in ("", DEV_SECRET):
        raise UnsafeConfiguration(
            "CAMPAIGN_SECRET_KEY is the development default; set a long random value in production."
        )
    if config["RECEIPT_PEPPER"] in ("", DEV_PEPPER):
        raise UnsafeConfiguration(
            "CAMPAIGN_RECEIPT_PEPPER is the development default; set a long random value in "
            "production and keep it outside the database."
        )
    if not config["PUBLIC_URL"] and not config.get("TRUSTED_HOSTS"):
        raise UnsafeConfiguration(
            "Set CAMPAIGN_PUBLIC_URL (or TRUSTED_HOSTS) in production, so no forged Host header "
            "reaches a link or a page."
        )
    if "admin" not in {r.strip() for r in config["TWO_FACTOR_ROLES"].split(",")}:
        raise UnsafeConfiguration("CAMPAIGN_TWO_FACTOR_ROLES must include admin in production.")
