"""Telling a moment and following it with a receipt code."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from flask import current_app
from sqlalchemy import select

from campaign import flags, jobs, privacy, sources
from campaign.campaigns import Snapshot, local_today
from campaign.extensions import db
from campaign.intake import clean_text
from campaign.models import ORIGIN_FORM, Campaign, Moment, MomentStatus, UrgentRule
from campaign.privacy import new_public_id


def count_chars(text: str | None) -> int:
    """Length as it will be stored: NFC code points once intake has cleaned the text (the
    browser's counter counts NFC code points too; invisible characters it cannot see)."""
    return len(clean_text(text or "")[0].strip())


class CampaignClosed(Exception):
    """The campaign does not accept moments today."""


SEVERITIES = range(1, 6)  # "얼마나 불편했나요?": 1 살짝 불편했어요 … 5 돈이나 시간을 크게 잃었어요

# Passed as `acknowledged` where no person is there to ask (imports, the demo): store it masked.
SEND_MASKED = "send-masked"


@dataclass(frozen=True)
class Found:
    """One span that would be masked, as the preview shows it to the person who wrote it."""

    key: str  # "body:0", "suggestion:2": what the 그대로 두기 checkbox sends back
    text: str
    label: str


class NeedsConfirmation(Exception):
    """The text holds personal data: show the person what would be masked and let them edit it,
    send it as masked, or keep spans that were masked by mistake. `token` acknowledges exactly
    this text; edited text is checked again."""

    def __init__(
        self,
        body: str,
        suggestion: str | None,
        masked: dict[str, int],
        token: str,
        found: list[Found] | None = None,
    ):
        super().__init__("personal data found")
        self.body, self.suggestion, self.masked, self.token = body, suggestion, masked, token
        self.found = found or []


def _kept(keep, field: str) -> frozenset[int]:
    """Positions the person chose to keep in one field, from keys such as "body:0"."""
    out = set()
    for key in keep or ():
        name, _, index = str(key).partition(":")
        if name == field and index.isdigit() and len(index) <= 3:
            out.add(int(index))
    return frozenset(out)


@dataclass
class Attempt:
    """The id and receipt code one sending of the form will store under, made once so that
    trying the store again after a lost connection never stores the moment twice."""

    moment_id: str = field(default_factory=lambda: new_public_id())
    receipt_code: str = field(default_factory=lambda: privacy.new_receipt_code())
    tries: int = 0


@dataclass(frozen=True)
class Submitted:
    moment: Moment
    receipt_code: str
    masked: dict[str, int]
    duplicate: bool = False
    # Read before the commit expires the moment, so the page after needs no query.
    moment_id: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "moment_id", self.moment.id)

    @cached_property
    def sealed_code(self) -> str:
        """The receipt code as the thanks page keeps it in the session."""
        return privacy.seal_receipt_code(self.receipt_code)


@dataclass
class RecentSubmissions:
    """Which client sent which text in the last few minutes, in process memory only.

    Lets a double-tapped or re-sent form return the first receipt instead of storing the moment
    twice. Keys are keyed hashes (client and text); values the moment id and the receipt code
    sealed as the thanks page keeps it; entries expire after the window. With REDIS_URL set,
    shared.RedisRecentSubmissions takes its place for every instance.
    """

    _entries: dict[tuple[str, str], tuple[float, str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, key: tuple[str, str], window: float) -> tuple[str, str] | None:
        now = time.monotonic()
        with self._lock:
            if len(self._entries) > 10_000:
                self._entries = {k: v for k, v in self._entries.items() if now - v[0] < window}
            hit = self._entries.get(key)
            if hit and now - hit[0] < window:
                return hit[1], hit[2]
            return None

    def put(self, key: tuple[str, str], moment_id: str, sealed: str, window: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic(), moment_id, sealed)


def cleaned_fields(body: str, suggestion: str | None) -> tuple[str, str | None, int]:
    """The body and suggestion as intake keeps them (clean_text, trimmed; an empty suggestion is
    None) and how many characters cleaning dropped or replaced in both."""
    body, cleaned = clean_text(body)
    suggestion, cleaned_too = clean_text(suggestion or "")
    return body.strip(), suggestion.strip() or None, cleaned + cleaned_too


def length_ok(body: str) -> bool:
    """Whether a cleaned body is within BODY_MIN_CHARS..BODY_MAX_CHARS."""
    config = current_app.config
    return config["BODY_MIN_CHARS"] <= count_chars(body) <= config["BODY_MAX_CHARS"]


def new_moment(
    campaign: Campaign | Snapshot,
    *,
    body: str,
    suggestion: str | None,
    masked: dict[str, int],
    cleaned: int,
    category: str | None,
    channel: str | None,
    now: datetime,
    receipt_code: str,
    urgent: Callable[[str], bool],
    moment_id: str | None = None,
    severity: int | None = None,
    origin: str = ORIGIN_FORM,
    import_batch: str | None = None,
    import_digest: str | None = None,
    source_id: int | None = None,
) -> Moment:
    """The row of a moment whose text is already cleaned and masked (not added to a session):
    a category or channel kept only when it is one of the campaign's own, the arrival kept to
    the hour, the receipt code only as its keyed hash, the urgent phrases flagged."""
    moment = Moment(
        id=moment_id or new_public_id(),
        campaign_id=campaign.id,
        body=body,
        suggestion=suggestion,
        category=category if category in campaign.categories else None,
        channel=channel if channel in campaign.channels else None,
        status=MomentStatus.RECEIVED,
        receipt_hash=privacy.receipt_hash(receipt_code),
        received_hour=privacy.coarse_hour(now),
        masked=masked,
        cleaned=cleaned,
        severity=severity,
        origin=origin,
        import_batch=import_batch,
        import_digest=import_digest,
        source_id=source_id,
    )
    moment.urgent = urgent(f"{body}\n{suggestion or ''}")
    return moment


def urgent_matcher():
    """Whether a text mentions one of the urgent phrases the desk keeps (as they are now)."""
    return flags.urgent_matcher(list(db.session.scalars(select(UrgentRule.phrase))))


def submit_moment(
    campaign: Campaign | Snapshot,
    *,
    body: str,
    suggestion: str | None,
    category: str | None,
    channel: str | None,
    now: datetime,
    client: str,
    recent: RecentSubmissions,
    acknowledged: str | None = None,
    keep: list[str] | None = None,
    attempt: Attempt | None = None,
    urgent: Callable[[str], bool] | None = None,
    severity: int | None = None,
    source: str | None = None,
) -> Submitted:
    """Mask and store a moment; return it with its receipt code (shown once, never stored).

    `now` is naive UTC and is kept only to the hour. `client` is the anonymous client key, used
    only to recognise the same text sent twice within the duplicate window. Text holding
    personal data raises NeedsConfirmation unless `acknowledged` is that text's token; with it,
    `keep` ("body:0", …) names spans the person saw on the preview and said are not personal.
    The same `attempt` given again returns the moment it stored, if that was committed.
    `urgent` is urgent_matcher() when not given (a caller may keep one between calls).
    `severity` is the optional answer to "얼마나 불편했나요?" (1 to 5, None when skipped).
    `source` is the code of the source link the form was opened from (its hidden field); kept
    only when it names one of the campaign's sources in use (sources.active_source).

    Only what must be in the same transaction happens here; the moment is settled (made
    searchable, encoded, placed in a cluster) by a job once this transaction commits.
    """
    attempt = attempt or Attempt()
    attempt.tries += 1
    if attempt.tries > 1:  # the last try may have been stored before its connection was lost
        stored = db.session.get(Moment, attempt.moment_id)
        if stored is not None:
            return Submitted(stored, attempt.receipt_code, stored.masked)
    if not campaign.is_open_on(local_today(now)):
        raise CampaignClosed(campaign.slug)
    body, suggestion, cleaned = cleaned_fields(body, suggestion)
    config = current_app.config
    if not length_ok(body):
        raise ValueError("body length out of bounds")
    if severity is not None and severity not in SEVERITIES:
        raise ValueError("severity out of bounds")

    key = (client, privacy.content_digest(campaign.slug, body, suggestion, category, channel))
    seen = recent.get(key, config["DUPLICATE_WINDOW_SECONDS"])
    if seen is not None:
        moment = db.session.get(Moment, seen[0])
        code = privacy.open_receipt_code(seen[1])
        if moment is not None and code is not None:
            return Submitted(moment, code, moment.masked, duplicate=True)

    today = local_today(now)
    token = privacy.content_digest("ack", body, suggestion)[:24]
    # Only a person who saw this very text on the preview may keep a span unmasked.
    seen_preview = acknowledged == token
    masked_body = privacy.mask_pii(
        body, today, _kept(keep, "body") if seen_preview else frozenset()
    )
    masked_suggestion = (
        privacy.mask_pii(
            suggestion, today, _kept(keep, "suggestion") if seen_preview else frozenset()
        )
        if suggestion
        else None
    )
    counts = dict(masked_body.counts)
    for kind, n in (masked_suggestion.counts if masked_suggestion else {}).items():
        counts[kind] = counts.get(kind, 0) + n
    if counts and acknowledged not in (token, SEND_MASKED):
        found = [
            Found(f"{field}:{i}", text[s.start : s.end], str(privacy.PLACEHOLDER_NAMES[s.type]))
            for field, text in (("body", body), ("suggestion", suggestion or ""))
            for i, s in enumerate(privacy.find_pii(text, today))
        ]
        raise NeedsConfirmation(
            masked_body.text,
            masked_suggestion.text if masked_suggestion else None,
            counts,
            token,
            found,
        )
    code = attempt.receipt_code
    moment = new_moment(
        campaign,
        body=masked_body.text,
        suggestion=masked_suggestion.text if masked_suggestion else None,
        masked=counts,
        cleaned=cleaned,
        category=category,
        channel=channel,
        now=now,
        receipt_code=code,
        urgent=urgent or urgent_matcher(),
        moment_id=attempt.moment_id,
        severity=severity,
        source_id=_source_id(campaign, source),
    )
    db.session.add(moment)
    db.session.flush()
    jobs.later(db.session, "settle", campaign.id)  # the abuse classifier, search, meaning, cluster
    submitted = Submitted(moment, code, counts)
    recent.put(key, moment.id, submitted.sealed_code, config["DUPLICATE_WINDOW_SECONDS"])
    return submitted


def _source_id(campaign: Campaign | Snapshot, code: str | None) -> int | None:
    found = sources.active_source(campaign.id, code) if code else None
    return found.id if found is not None else None


def look_up_receipt(code: str) -> Moment | None:
    """The moment a receipt code belongs to, or None (also for text that can't be a code)."""
    digest = privacy.receipt_hash(code)
    if digest is None:
        return None
    return db.session.scalar(select(Moment).where(Moment.receipt_hash == digest))
