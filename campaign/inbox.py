"""The moderators' inbox: which moments a filter selects, in which order, a page at a time, and
everything the inbox page shows beside them (`desk_page`)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, case, literal, or_, select
from sqlalchemy.orm import selectinload

from campaign import audit, campaigns, clocks, desk_settings, notes, search
from campaign.clustering import decisions, similar
from campaign.extensions import db
from campaign.i18n import _l
from campaign.models import Campaign, DeskNote, Moment, MomentStatus, Tag, Team, moment_tag

# The inbox's orders and flags, each with its Korean label: the filter form offers these, in
# this order, and `_filtered` / `_order_keys` give each its meaning.
SORTS = {
    "newest": _l("최신순"),
    "oldest": _l("오래된순"),
    "urgent": _l("긴급 먼저"),
    "overdue": _l("기한 지난 것 먼저"),
}
# Where moments came from (moment.origin), as the 들어온 경로 filter offers them.
ORIGINS = {"form": _l("직접 보낸 이야기"), "import": _l("가져온 이야기")}
FLAGS = {
    "urgent": _l("긴급"),
    "overdue": _l("살펴보기 기한 지남"),
    "abusive": _l("욕설"),
    "masked": _l("개인정보 가림"),
    "untagged": _l("태그 없음"),
    "unrouted": _l("담당 팀 없음"),
}


@dataclass(frozen=True)
class InboxFilter:
    campaign: int | None = None
    status: str | None = None  # a MomentStatus value, or "open" (everything not hidden)
    category: str | None = None
    channel: str | None = None
    tag: int | None = None
    team: int | None = None
    flag: str | None = None
    origin: str | None = None  # a key of ORIGINS
    since: date | None = None
    until: date | None = None
    q: str | None = None
    sort: str = "newest"

    def as_args(self) -> dict[str, str]:
        """The fields set away from their defaults, for links that keep the filter."""
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != f.default
        }


def _utc_start_of(day: date) -> datetime:
    local = datetime.combine(day, time.min, ZoneInfo(current_app.config["TIMEZONE"]))
    return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def _order_keys(f: InboxFilter, now: datetime) -> list[tuple]:
    """(column or expression, descending) pairs that order the inbox; the id makes the order
    total. "overdue": moments past their triage target first, the longest waiting first."""
    if f.sort == "oldest":
        return [(Moment.received_hour, False), (Moment.id, False)]
    if f.sort == "overdue":
        overdue = case((clocks.overdue_moments_clause(now), 1), else_=0)
        return [(overdue, True), (Moment.received_hour, False), (Moment.id, False)]
    keys = [(Moment.received_hour, True), (Moment.id, False)]
    return [(Moment.urgent, True)] + keys if f.sort == "urgent" else keys


def query(f: InboxFilter, *, now: datetime):
    return _filtered(f, now).order_by(
        *[
            column.desc() if descending else column.asc()
            for column, descending in _order_keys(f, now)
        ]
    )


def _filtered(f: InboxFilter, now: datetime):
    q = select(Moment)
    if f.campaign:
        q = q.where(Moment.campaign_id == f.campaign)
    if f.status == "open":
        q = q.where(Moment.status != MomentStatus.HIDDEN)
    elif f.status in MomentStatus._value2member_map_:
        q = q.where(Moment.status == MomentStatus(f.status))
    if f.category:
        q = q.where(Moment.category == f.category)
    if f.channel:
        q = q.where(Moment.channel == f.channel)
    if f.tag:
        q = q.where(
            Moment.id.in_(select(moment_tag.c.moment_id).where(moment_tag.c.tag_id == f.tag))
        )
    if f.team:
        q = q.where(Moment.team_id == f.team)
    if f.origin in ORIGINS:
        q = q.where(Moment.origin == f.origin)
    flagged = _flag_clause(f.flag, now)
    if flagged is not None:
        q = q.where(flagged)
    if f.since:
        q = q.where(Moment.received_hour >= _utc_start_of(f.since))
    if f.until:
        q = q.where(Moment.received_hour < _utc_start_of(f.until + timedelta(days=1)))
    if f.q and f.q.strip():
        q = q.where(search.matches(f.q))
    return q


def _flag_clause(flag: str | None, now: datetime):
    """The WHERE clause of one of the inbox's flags, or None when there is no (known) flag."""
    if flag == "urgent":
        return Moment.urgent.is_(True)
    if flag == "overdue":
        return clocks.overdue_moments_clause(now)
    if flag == "abusive":
        return Moment.abusive.is_(True)
    if flag == "masked":
        return Moment.masked != {}
    if flag == "untagged":
        return ~Moment.id.in_(select(moment_tag.c.moment_id))
    if flag == "unrouted":
        return Moment.team_id.is_(None)
    return None


def page(f: InboxFilter, number: int = 1, per_page: int = 25, *, now: datetime):
    # Each row shows its tags: load them with the page rather than one query per row.
    return db.paginate(
        query(f, now=now).options(selectinload(Moment.tags)),
        page=number,
        per_page=per_page,
        error_out=False,
    )


def _key_values(keys: list[tuple], moment: Moment) -> list:
    """The moment's value of each ordering key: read off the row for plain columns, asked of the
    database (one row) when a key is an expression such as "overdue"."""
    if all(getattr(c, "class_", None) is Moment for c, _ in keys):
        return [getattr(moment, c.key) for c, _ in keys]
    return list(
        db.session.execute(select(*[c for c, _ in keys]).where(Moment.id == moment.id)).one()
    )


def neighbours(f: InboxFilter, moment: Moment, *, now: datetime) -> tuple[str | None, str | None]:
    """The ids just before and after a moment in the filtered order (for j/k and the detail
    pane): two keyset queries of one row each, however long the inbox."""
    keys = _order_keys(f, now)
    known = _key_values(keys, moment)

    def beyond(forward: bool):
        # Lexicographic "comes after" (or before) on the ordering keys.
        # Typed, so booleans compare.
        values = [literal(value, c.type) for value, (c, _) in zip(known, keys, strict=True)]
        clauses = []
        for i, (column, descending) in enumerate(keys):
            later = column < values[i] if descending == forward else column > values[i]
            clauses.append(
                and_(*[c == v for (c, _), v in zip(keys[:i], values, strict=False)], later)
            )
        order = [(c.desc() if d == forward else c.asc()) for c, d in keys]
        return db.session.scalar(
            _filtered(f, now)
            .where(or_(*clauses))
            .with_only_columns(Moment.id)
            .order_by(*order)
            .limit(1)
        )

    return beyond(False), beyond(True)


def moments_by_id(ids: list[str]) -> list[Moment]:
    """The moments chosen for a bulk action (ids already well-formed)."""
    return list(db.session.scalars(select(Moment).where(Moment.id.in_(ids))))


@dataclass(frozen=True)
class InboxPage:
    """Everything the inbox shows: a page of the list, and the opened moment with its
    neighbours, history, similar moments and the clusters it could move to."""

    filter: InboxFilter
    page: object  # a Flask-SQLAlchemy Pagination of moments
    campaigns: list[Campaign]
    tags: list[Tag]
    teams: list[Team]
    opened: Moment | None = None
    previous_id: str | None = None
    next_id: str | None = None
    history: list = field(default_factory=list)
    similar: object | None = None
    cluster_choices: list[tuple[str, str]] = field(default_factory=list)
    overdue: set[str] = field(default_factory=set)  # the listed moments past their triage target
    clock: clocks.Clock | None = None  # the opened moment's triage clock
    notes: list[DeskNote] = field(default_factory=list)  # the opened moment's, newest first


def desk_page(
    f: InboxFilter, *, number: int = 1, moment_id: str | None = None, now: datetime
) -> InboxPage | None:
    """The inbox page for a filter and page number, with `moment_id` opened; None when that
    moment does not exist."""
    opened = db.session.get(Moment, moment_id) if moment_id else None
    if moment_id and opened is None:
        return None
    listed = page(f, number, now=now)
    shown_moments = [*listed.items, *([opened] if opened else [])]
    triage = clocks.moment_clocks(shown_moments, now)  # one query for the list and the detail
    overdue = clocks.overdue_moment_ids(shown_moments, now, triage)
    shown = (
        f,
        listed,
        campaigns.every_campaign(),
        desk_settings.tags(),
        desk_settings.teams(),
    )
    if opened is None:
        return InboxPage(*shown, overdue=overdue)
    previous_id, next_id = neighbours(f, opened, now=now)
    return InboxPage(
        *shown,
        opened=opened,
        previous_id=previous_id,
        next_id=next_id,
        history=audit.history("moment", opened.id),
        similar=similar.to_moment(opened),
        cluster_choices=[(str(c.id), c.label) for c in decisions.open_clusters(opened.campaign_id)],
        overdue=overdue,
        clock=triage.get(opened.id),
        notes=notes.listed(opened),
    )
