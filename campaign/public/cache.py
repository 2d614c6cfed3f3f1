"""The pages everyone opens first (/, /improvements, a fix, /stats), served from a cache.

A rendered page is kept for at most PAGE_CACHE_SECONDS. A change to a fix, a cluster or a
campaign clears every page at once; new or newly placed moments clear pages older than a
second (so a burst of thousands re-renders each page about once a second, not once a moment).
So no page shows a "고쳤어요" or a count older than PAGE_CACHE_SECONDS. With REDIS_URL set the pages
and the change stamps live in Redis and every instance (and the worker) shares them; without it
each process keeps its own, and another process's change shows within PAGE_CACHE_SECONDS.

Browsers and proxies get an ETag and `Cache-Control: public, no-cache`: they keep the page but
ask each time, and an unchanged page answers 304 without a body. A page is kept once per
language: the key holds the language the request gets (i18n.language(): the switch's cookie,
then Accept-Language), the ETag differs because the body does, and every page says
`Vary: Accept-Language, Cookie` (templating.register_languages) so no shared cache hands an
English page to a Korean reader. Only pages without anything
personal are cached: never a response to a request whose session carries a flash message.
A form on a cached page (나도 겪었어요 on a fix) writes `csrf_slot()` for its token: the cache keeps
a placeholder, and each visitor is served the page with their own session's token in it (then
`Cache-Control: private, no-cache` and an ETag of the page and that session's token).

`remembered` keeps, under the same rules, values that every POST to /submit would otherwise
query: which campaign is served and the urgent phrases. Neither depends on the language (a
campaign's snapshot carries its texts in both), so their keys don't name one.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from functools import wraps

from flask import current_app, g, has_app_context, make_response, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from campaign import i18n
from campaign.models import (
    Campaign,
    Cluster,
    Fix,
    FixCluster,
    FixNote,
    FixQuote,
    MeToo,
    Moment,
    UrgentRule,
)

log = logging.getLogger(__name__)

# Moments arriving clear pages at most this often (seconds).
MOMENT_GRACE = 1.0
PAGE_CHANGES = (Fix, FixCluster, FixNote, FixQuote, Cluster, Campaign, UrgentRule)
_CHANGED = "campaign.public.cache.changed"
# What a page rendered for the cache holds where a form's CSRF token goes (see csrf_slot).
CSRF_SLOT = "csrf-slot-for-this-visitor"


@dataclass(frozen=True)
class Page:
    body: bytes
    etag: str
    at: float
    generation: int


class MemoryPages:
    """This process's pages and change stamps."""

    def __init__(self) -> None:
        self._pages: dict[str, Page] = {}
        self._generation, self._moments_at = 0, 0.0
        self._lock = threading.Lock()

    def stamps(self) -> tuple[int, float]:
        return self._generation, self._moments_at

    def get(self, key: str) -> Page | None:
        return self._pages.get(key)

    def put(self, key: str, page: Page, ttl: int) -> None:
        with self._lock:
            if len(self._pages) > 2_000:  # filters and pages make many keys: keep the fresh ones
                now = time.time()
                self._pages = {k: p for k, p in self._pages.items() if now - p.at < ttl}
            self._pages[key] = page

    def fixes_changed(self) -> None:
        with self._lock:
            self._generation += 1

    def moments_changed(self) -> None:
        self._moments_at = time.time()


class RedisPages:
    """The same in Redis, shared by every instance; unreachable Redis means no cache."""

    def __init__(self, connection, prefix: str) -> None:
        self.redis, self.prefix = connection, f"{prefix}:pages:"

    def stamps(self) -> tuple[int, float]:
        generation, moments_at = self.redis.mget(
            self.prefix + "generation", self.prefix + "moments"
        )
        return int(generation or 0), float(moments_at or 0)

    def get(self, key: str) -> Page | None:
        found = self.redis.hgetall(self.prefix + key)
        if not found:
            return None
        return Page(
            found[b"body"], found[b"etag"].decode(), float(found[b"at"]), int(found[b"generation"])
        )

    def put(self, key: str, page: Page, ttl: int) -> None:
        name = self.prefix + key
        pipe = self.redis.pipeline()
        pipe.hset(
            name,
            mapping={
                "body": page.body,
                "etag": page.etag,
                "at": page.at,
                "generation": page.generation,
            },
        )
        pipe.expire(name, ttl)
        pipe.execute()

    def fixes_changed(self) -> None:
        self.redis.incr(self.prefix + "generation")

    def moments_changed(self) -> None:
        self.redis.set(self.prefix + "moments", time.time())


def build(app):
    if app.config["REDIS_URL"]:
        return RedisPages(app.extensions["redis"], app.config["REDIS_PREFIX"])
    return MemoryPages()


def _fresh(page: Page, stamps: tuple[int, float], ttl: int, now: float) -> bool:
    generation, moments_at = stamps
    return (
        page.generation == generation
        and now - page.at < ttl
        and (page.at > moments_at or now - page.at < MOMENT_GRACE)
    )


def cached_page(view):
    """Serve the view's page from the cache while fresh; answer 304 to a matching ETag."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        ttl = current_app.config["PAGE_CACHE_SECONDS"]
        if ttl <= 0 or session.get("_flashes"):
            return view(*args, **kwargs)
        pages, key = (
            current_app.extensions["pages"],
            hashlib.sha256(f"{i18n.language()} {request.full_path}".encode()).hexdigest()[:32],
        )
        now = time.time()
        try:
            stamps, page = pages.stamps(), pages.get(key)
        except Exception:  # Redis away: render as if there were no cache
            log.warning("page cache unreachable")
            return view(*args, **kwargs)
        if page is None or not _fresh(page, stamps, ttl, now):
            g.rendering_for_cache = True
            try:
                response = make_response(view(*args, **kwargs))
            finally:
                g.rendering_for_cache = False
            if response.status_code != 200 or response.mimetype != "text/html":
                return response
            if g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")) is not None:
                # Flask-WTF made this visitor's token while rendering (a form that did not use
                # csrf_slot): kept, the page would hand that token to everyone.
                log.warning("page cache: %s renders a CSRF token; not kept", request.path)
                return response
            body = response.get_data()
            page = Page(body, hashlib.sha256(body).hexdigest()[:20], now, stamps[0])
            try:
                pages.put(key, page, ttl)
            except Exception:
                log.warning("page cache unreachable")
        if CSRF_SLOT.encode() in page.body:
            return _with_token(page)
        response = current_app.response_class(page.body, mimetype="text/html")
        response.set_etag(page.etag)
        response.headers["Cache-Control"] = "public, no-cache"
        return response.make_conditional(request)

    return wrapper


def csrf_slot() -> str:
    """A form's CSRF token on a page: the placeholder while the page is rendered for the cache,
    else this session's token."""
    return CSRF_SLOT if g.get("rendering_for_cache") else generate_csrf()


def _with_token(page: Page):
    """A cached page with this visitor's own CSRF token in its forms: private to the browser."""
    body = page.body.replace(CSRF_SLOT.encode(), generate_csrf().encode())
    response = current_app.response_class(body, mimetype="text/html")
    mine = hashlib.sha256(str(session.get("csrf_token", "")).encode()).hexdigest()[:12]
    response.set_etag(f"{page.etag}-{mine}")
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def remembered(key: tuple, load):
    """`load()`, kept in this process while no fix, cluster, campaign or urgent phrase has
    changed (the pages' generation) and for PAGE_CACHE_SECONDS at most. Values must not be tied
    to a database session."""
    ttl = current_app.config["PAGE_CACHE_SECONDS"]
    if ttl <= 0:
        return load()
    try:
        generation = current_app.extensions["pages"].stamps()[0]
    except Exception:  # Redis away: load as if there were nothing kept
        return load()
    kept: dict = current_app.extensions.setdefault("remembered", {})
    now = time.time()
    hit = kept.get(key)
    if hit is not None and hit[1] == generation and now - hit[2] < ttl:
        return hit[0]
    value = load()
    if len(kept) > 1_000:  # one key a campaign and a day: drop the lot rather than grow
        kept.clear()
    kept[key] = (value, generation, now)
    return value


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    changed = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, (Moment, MeToo)):  # a tap is a moment without text
            changed.add("moments")
        elif isinstance(obj, PAGE_CHANGES):
            changed.add("fixes")


@event.listens_for(Session, "after_commit")
def _clear_after_commit(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    if not changed:
        return
    pages = current_app.extensions.get("pages") if has_app_context() else None
    if pages is None:
        return
    try:
        if "fixes" in changed:
            pages.fixes_changed()
        if "moments" in changed:
            pages.moments_changed()
    except Exception:
        log.warning("page cache unreachable; pages refresh within PAGE_CACHE_SECONDS")


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_CHANGED, None)
