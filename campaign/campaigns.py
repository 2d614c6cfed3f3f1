"""Campaigns: which one is served, whether it is open, creating one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from campaign import audit
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import Campaign, Moment, utcnow
from campaign.refusals import Refusal

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")


class CampaignError(Refusal):
    """A campaign could not be saved as asked; the message (Korean) says why."""


def local_today(now: datetime | None = None) -> date:
    """Today in the campaign's time zone (Korea by default), from an aware or naive-UTC time."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    if now is None:
        now = utcnow()
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    return now.astimezone(tz).date()


def local_time(value: datetime) -> datetime:
    """A stored time (naive UTC, or aware) as the campaign's wall-clock time, aware."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))


def day_start(day: date) -> datetime:
    """The first instant of a calendar day in the campaign's zone (aware): an Atom date for a
    day when no finer time is known."""
    return datetime.combine(day, time(), ZoneInfo(current_app.config["TIMEZONE"]))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """A calendar day in the campaign's zone as naive-UTC [start, end)."""
    utc = ZoneInfo("UTC")
    start, end = day_start(day), day_start(day + timedelta(days=1))
    return start.astimezone(utc).replace(tzinfo=None), end.astimezone(utc).replace(tzinfo=None)


def find_campaign(slug: str) -> Campaign | None:
    return db.session.scalar(select(Campaign).where(Campaign.slug == slug))


def every_campaign() -> list[Campaign]:
    """Every campaign, the latest to open first (pickers, the desk's list, the API)."""
    return list(db.session.scalars(select(Campaign).order_by(Campaign.opens_on.desc())))


def chosen_or_latest(campaign_id: int | None) -> Campaign | None:
    """The campaign asked for by id, or else the latest to open (None when there is none)."""
    if campaign_id:
        return db.session.get(Campaign, campaign_id)
    return db.session.scalar(select(Campaign).order_by(Campaign.opens_on.desc()).limit(1))


def default_campaign(today: date) -> Campaign | None:
    """The campaign served at `/`: the configured one, else the latest that has opened."""
    slug = current_app.config["DEFAULT_CAMPAIGN"]
    if slug:
        return find_campaign(slug)
    opened = (
        select(Campaign)
        .where(Campaign.opens_on <= today)
        .order_by(Campaign.opens_on.desc(), Campaign.id.desc())
    )
    return db.session.scalar(opened.limit(1)) or db.session.scalar(
        select(Campaign).order_by(Campaign.opens_on).limit(1)
    )


@dataclass(frozen=True)
class Snapshot:
    """What the tell-a-moment path reads of a campaign, detached from any session, so that a
    process may keep it between requests (the view layer does, for PAGE_CACHE_SECONDS at most,
    and drops it the moment a campaign changes)."""

    id: int
    slug: str
    title: str
    question: str
    intro: str
    title_en: str
    question_en: str
    intro_en: str
    categories: tuple[str, ...]
    channels: tuple[str, ...]
    opens_on: date
    closes_on: date | None

    is_open_on = Campaign.is_open_on


def snapshot(campaign: Campaign) -> Snapshot:
    return Snapshot(
        id=campaign.id,
        slug=campaign.slug,
        title=campaign.title,
        question=campaign.question,
        intro=campaign.intro or "",
        title_en=campaign.title_en or "",
        question_en=campaign.question_en or "",
        intro_en=campaign.intro_en or "",
        categories=tuple(campaign.categories or ()),
        channels=tuple(campaign.channels or ()),
        opens_on=campaign.opens_on,
        closes_on=campaign.closes_on,
    )


@dataclass(frozen=True)
class CampaignState:
    """Where a campaign stands on a given day, for pages that greet or turn a person away."""

    campaign: Campaign | Snapshot
    today: date

    @cached_property
    def moments(self) -> int:
        """How many moments it has received; counted only by the pages that show it."""
        query = (
            select(func.count()).select_from(Moment).where(Moment.campaign_id == self.campaign.id)
        )
        return db.session.scalar(query) or 0

    @property
    def is_open(self) -> bool:
        return self.campaign.is_open_on(self.today)

    @property
    def upcoming(self) -> bool:
        return self.today < self.campaign.opens_on

    @property
    def closed(self) -> bool:
        return self.campaign.closes_on is not None and self.today > self.campaign.closes_on


def campaign_state(campaign: Campaign | Snapshot, today: date) -> CampaignState:
    return CampaignState(campaign, today)


LIST_ITEM_MAX = 40  # the length of moment.category and moment.channel


def _clean_list(items: list[str] | None) -> list[str]:
    cleaned = list(dict.fromkeys(" ".join(i.split()) for i in items or [] if i.strip()))
    if any(len(i) > LIST_ITEM_MAX for i in cleaned):
        raise CampaignError(
            _("분야와 경로는 하나에 %(most)s자까지 쓸 수 있어요.", most=LIST_ITEM_MAX),
            field="categories",
        )
    return cleaned


def _check(
    slug: str,
    title: str,
    question: str,
    opens_on: date,
    closes_on: date | None,
    *,
    existing: Campaign | None,
) -> None:
    if not SLUG.fullmatch(slug):
        raise CampaignError(
            _("주소 이름은 영문 소문자, 숫자, 하이픈(-)만 쓸 수 있어요. 예: finance-2026"),
            field="slug",
        )
    clash = find_campaign(slug)
    if clash is not None and clash is not existing:
        raise CampaignError(
            _("'%(slug)s' 주소를 쓰는 캠페인이 이미 있어요.", slug=slug), field="slug"
        )
    if not title.strip() or not question.strip():
        raise CampaignError(_("캠페인 이름과 질문을 입력해 주세요."), field="title")
    if closes_on is not None and closes_on < opens_on:
        raise CampaignError(_("마감일은 시작일보다 빠를 수 없어요."), field="closes_on")


def save_campaign(campaign: Campaign | None, *, by=None, **fields) -> Campaign:
    """The campaign form's one call: change `campaign`, or make a new one from `fields`."""
    if campaign is None:
        return create_campaign(**fields, by=by)
    update_campaign(campaign, **fields, by=by)
    return campaign


def update_campaign(
    campaign: Campaign,
    *,
    slug: str,
    title: str,
    question: str,
    opens_on: date,
    closes_on: date | None = None,
    intro: str = "",
    categories: list[str] | None = None,
    channels: list[str] | None = None,
    title_en: str = "",
    question_en: str = "",
    intro_en: str = "",
    by=None,
) -> None:
    _check(slug, title, question, opens_on, closes_on, existing=campaign)
    audit.record(by, AuditAction.CAMPAIGN_UPDATE, campaign)
    campaign.slug, campaign.title, campaign.question, campaign.intro = (
        slug,
        title.strip(),
        question.strip(),
        intro.strip(),
    )
    campaign.title_en, campaign.question_en, campaign.intro_en = (
        (title_en or "").strip(),
        (question_en or "").strip(),
        (intro_en or "").strip(),
    )
    campaign.categories, campaign.channels = _clean_list(categories), _clean_list(channels)
    campaign.opens_on, campaign.closes_on = opens_on, closes_on


def create_campaign(
    *,
    slug: str,
    title: str,
    question: str,
    opens_on: date,
    closes_on: date | None = None,
    intro: str = "",
    categories: list[str] | None = None,
    channels: list[str] | None = None,
    title_en: str = "",
    question_en: str = "",
    intro_en: str = "",
    by=None,
) -> Campaign:
    """Create a campaign; `by` is the moderator (None from the terminal), for the audit trail."""
    _check(slug, title, question, opens_on, closes_on, existing=None)
    campaign = Campaign(
        slug=slug,
        title=title.strip(),
        question=question.strip(),
        intro=intro.strip(),
        title_en=(title_en or "").strip(),
        question_en=(question_en or "").strip(),
        intro_en=(intro_en or "").strip(),
        categories=_clean_list(categories),
        channels=_clean_list(channels),
        opens_on=opens_on,
        closes_on=closes_on,
    )
    db.session.add(campaign)
    db.session.flush()
    audit.record(by, AuditAction.CAMPAIGN_CREATE, campaign)
    return campaign
