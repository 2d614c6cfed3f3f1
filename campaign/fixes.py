"""Fixes ("실제 개선 사례"): what changed because of moments, and the loop back to the people
who told them. Every change is an audit event (by None: the system, as for the demo);
publishing and retracting are their own steps and are the only way a fix's state changes.
Nothing here commits."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, case, func, or_, select

from campaign import audit, privacy, webhooks
from campaign.audit import AuditAction
from campaign.campaigns import day_bounds, local_today
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    Campaign,
    Cluster,
    ClusterStatus,
    Fix,
    FixAnswer,
    FixCluster,
    FixNote,
    FixProgress,
    FixQuote,
    FixState,
    Moderator,
    Moment,
    MomentStatus,
    Team,
    fix_moment,
    utcnow,
)
from campaign.refusals import Refusal


class FixError(Refusal):
    """A refused change; the message is Korean, for the desk."""


_STATES = {  # draft → published → retracted → published
    FixState.DRAFT: {FixState.PUBLISHED},
    FixState.PUBLISHED: {FixState.RETRACTED},
    FixState.RETRACTED: {FixState.PUBLISHED},
}
_PROGRESS = {  # 개선 예정 → 개선 중 → 개선 완료, one step back allowed
    FixProgress.PLANNED: {FixProgress.IN_PROGRESS},
    FixProgress.IN_PROGRESS: {FixProgress.DONE, FixProgress.PLANNED},
    FixProgress.DONE: {FixProgress.IN_PROGRESS},
}


@dataclass
class FixFields:
    title: str
    summary: str = ""
    before: str = ""
    after: str = ""
    body: str = ""
    category: str | None = None
    team: Team | None = None
    shipped_on: date | None = None


def _tidy(text: str | None) -> str:
    return unicodedata.normalize("NFC", (text or "").strip())


def _slug(title: str, fix_id: int) -> str:
    words = re.sub(r"[^\w가-힣]+", "-", unicodedata.normalize("NFC", title).lower()).strip("-")
    return f"{fix_id}-{words[:60].strip('-')}" if words else str(fix_id)


def create_fix(
    campaign: Campaign, fields: FixFields, *, by: Moderator | None, answering: Cluster | None = None
) -> Fix:
    """A draft fix, linked to the cluster it was started from, if any."""
    fix = Fix(campaign_id=campaign.id, slug=f"draft-{utcnow().timestamp()}-{id(fields)}")
    _apply(fix, fields)
    db.session.add(fix)
    db.session.flush()
    fix.slug = _slug(fix.title, fix.id)
    audit.record(by, AuditAction.FIX_CREATE, fix)
    if answering is not None:
        link_cluster(fix, answering, by=by)
    return fix


def update_fix(fix: Fix, fields: FixFields, *, by: Moderator | None) -> None:
    """Edit a fix. Its URL stays the same once published, so a shared link keeps working."""
    before = fix.title
    _apply(fix, fields)
    if fix.state is FixState.DRAFT and before != fix.title:
        fix.slug = _slug(fix.title, fix.id)
    audit.record(by, AuditAction.FIX_UPDATE, fix)


def save_fix(
    fix: Fix | None,
    fields: FixFields,
    *,
    campaign: Campaign,
    answering: Cluster | None,
    by: Moderator | None,
) -> Fix:
    """The fix form's one call: change `fix`, or write a new one for `campaign` (answering the
    cluster it was started from, if any)."""
    if fix is None:
        return create_fix(campaign, fields, by=by, answering=answering)
    update_fix(fix, fields, by=by)
    return fix


def _apply(fix: Fix, fields: FixFields) -> None:
    title = " ".join(_tidy(fields.title).split())
    if not 2 <= len(title) <= 120:
        raise FixError(
            _("제목을 2~120자로 써 주세요. 사람들이 이제 무엇을 할 수 있는지로 쓰면 좋아요."),
            field="title",
        )
    if (
        fields.category
        and fields.category
        not in (fix.campaign or db.session.get(Campaign, fix.campaign_id)).categories
    ):
        raise FixError(_("캠페인의 분야 중에서 골라 주세요."), field="category")
    if (
        fix.progress is FixProgress.DONE
        and fields.shipped_on is not None
        and fields.shipped_on > local_today()
    ):
        raise FixError(_("다 고친 개선의 고친 날은 오늘이나 그 전이어야 해요."), field="shipped_on")
    if fix.progress is FixProgress.DONE and fields.shipped_on is None:
        raise FixError(
            _(
                "다 고친 개선에는 고친 날이 있어야 해요. "
                "어느 날까지의 이야기가 이 개선으로 이어졌는지 정해 주거든요."
            ),
            field="shipped_on",
        )
    fix.title, fix.summary = title, _tidy(fields.summary)[:300]
    fix.before, fix.after, fix.body = _tidy(fields.before), _tidy(fields.after), _tidy(fields.body)
    fix.category, fix.team_id, fix.shipped_on = (
        fields.category or None,
        fields.team.id if fields.team else None,
        fields.shipped_on,
    )


def set_progress(
    fix: Fix, progress: FixProgress, *, by: Moderator | None, today: date | None = None
) -> None:
    """Move a fix one step; the clusters it answers follow while it is public. A fix becomes
    개선 완료 on a ship day no later than `today` (today in the campaign's calendar by default);
    without one, it shipped today. The ship day decides which moments led to it."""
    if progress is fix.progress:
        return
    if progress not in _PROGRESS[fix.progress]:
        raise FixError(_("진행 상태는 개선 예정 → 개선 중 → 개선 완료 순서로 바꿔 주세요."))
    if progress is FixProgress.DONE:
        today = today or local_today()
        if fix.shipped_on is not None and fix.shipped_on > today:
            raise FixError(
                _(
                    "고친 날이 아직 오지 않았어요. 고친 날을 오늘이나 그 전으로 바꾼 뒤 개선 "
                    "완료로 바꿔 주세요."
                )
            )
        fix.shipped_on = fix.shipped_on or today
    audit.record(
        by, AuditAction.FIX_PROGRESS, fix, data={"from": fix.progress.value, "to": progress.value}
    )
    fix.progress = progress
    if fix.public:
        for link in fix.links:
            _follow_fixes(link.cluster)


def add_note(fix: Fix, on: date, text: str, *, by: Moderator | None) -> FixNote:
    text = " ".join(_tidy(text).split())
    if not 2 <= len(text) <= 500:
        raise FixError(_("진행 소식을 2~500자로 써 주세요."))
    note = FixNote(fix_id=fix.id, on=on, text=text)
    fix.notes.append(note)
    audit.record(by, AuditAction.FIX_NOTE, fix)
    return note


def remove_note(fix: Fix, note: FixNote, *, by: Moderator | None) -> None:
    fix.notes.remove(note)
    audit.record(by, AuditAction.FIX_NOTE_REMOVE, fix)


# ---- what a fix answers -----------------------------------------------------------------------


def link_cluster(fix: Fix, cluster: Cluster, *, by: Moderator | None) -> None:
    if cluster.campaign_id != fix.campaign_id:
        raise FixError(_("같은 캠페인의 묶음만 이을 수 있어요."))
    if any(link.cluster_id == cluster.id for link in fix.links):
        return
    link = FixCluster(cluster_id=cluster.id, cluster=cluster)
    fix.links.append(link)
    if fix.public:
        _follow_fixes(cluster)
    audit.record(by, AuditAction.FIX_LINK_CLUSTER, fix, data={"cluster": cluster.id})


def unlink_cluster(fix: Fix, cluster: Cluster, *, by: Moderator | None) -> None:
    for link in list(fix.links):
        if link.cluster_id == cluster.id:
            remembered = link.status_before
            fix.links.remove(link)
            db.session.flush()
            _follow_fixes(cluster, remembered=remembered)
            audit.record(by, AuditAction.FIX_UNLINK_CLUSTER, fix, data={"cluster": cluster.id})


def link_moment(fix: Fix, moment: Moment, *, by: Moderator | None) -> None:
    if moment.campaign_id != fix.campaign_id:
        raise FixError(_("같은 캠페인의 이야기만 이을 수 있어요."))
    if moment not in fix.moments:
        fix.moments.append(moment)
        audit.record(by, AuditAction.FIX_LINK_MOMENT, fix, data={"moment": moment.id})


def unlink_moment(fix: Fix, moment: Moment, *, by: Moderator | None) -> None:
    if moment in fix.moments:
        fix.moments.remove(moment)
        audit.record(by, AuditAction.FIX_UNLINK_MOMENT, fix, data={"moment": moment.id})


def add_quote(fix: Fix, moment: Moment, text: str | None, *, by: Moderator | None) -> FixQuote:
    """Quote a moment on the fix's page. The quote starts as the moment's masked text (it never
    holds more) and may be generalised further; the moment itself is not changed."""
    if moment.campaign_id != fix.campaign_id or moment.status is MomentStatus.HIDDEN:
        raise FixError(_("이 캠페인의 숨기지 않은 이야기만 인용할 수 있어요."))
    quote = FixQuote(moment_id=moment.id, text=_quote_text(text or moment.body))
    fix.quotes.append(quote)
    audit.record(by, AuditAction.FIX_QUOTE, fix, data={"moment": moment.id})
    return quote


def edit_quote(fix: Fix, quote: FixQuote, text: str, *, by: Moderator | None) -> None:
    quote.text = _quote_text(text)
    audit.record(by, AuditAction.FIX_QUOTE_EDIT, fix, data={"quote": quote.id})


def remove_quote(fix: Fix, quote: FixQuote, *, by: Moderator | None) -> None:
    fix.quotes.remove(quote)
    audit.record(by, AuditAction.FIX_QUOTE_REMOVE, fix, data={"quote": quote.id})


def _quote_text(text: str) -> str:
    # Whatever a moderator types is masked again: a quote can generalise, never reveal.
    text = " ".join(privacy.mask_pii(_tidy(text)).text.split())
    if not 2 <= len(text) <= 600:
        raise FixError(_("인용문을 2~600자로 써 주세요."))
    return text


# ---- publishing ---------------------------------------------------------------------------------


def publish(fix: Fix, *, by: Moderator | None, now: datetime) -> None:
    """Show the fix to everyone with its real progress: the clusters it answers take that
    progress as their status (their own status is kept for a retraction) and every receipt
    it answers shows it, as 고치고 있어요 until it is 개선 완료. The webhooks that hear
    `fix_published` are told once the publication commits."""
    if not (fix.links or fix.moments):
        raise FixError(_("공개하려면 이 개선이 답하는 묶음이나 이야기를 하나 이상 이어 주세요."))
    _move(fix, FixState.PUBLISHED, by)
    fix.published_at = fix.published_at or now
    for link in fix.links:
        _follow_fixes(link.cluster)
    webhooks.announce("fix_published", webhooks.fix_published(fix), now=now)


def retract(fix: Fix, *, by: Moderator | None) -> None:
    """Hide a published fix again; clusters and receipts go back to how they were."""
    _move(fix, FixState.RETRACTED, by)
    for link in fix.links:
        _follow_fixes(link.cluster)


def _move(fix: Fix, state: FixState, by: Moderator | None) -> None:
    if state not in _STATES[fix.state]:
        raise FixError(_("지금 상태에서는 할 수 없어요."))
    audit.record(
        by,
        AuditAction.FIX_PUBLISH if state is FixState.PUBLISHED else AuditAction.FIX_RETRACT,
        fix,
        data={"from": fix.state.value, "to": state.value},
    )
    fix.state = state


_PROGRESS_ORDER = [FixProgress.PLANNED, FixProgress.IN_PROGRESS, FixProgress.DONE]
_PROGRESS_STATUS = {
    FixProgress.PLANNED: ClusterStatus.PLANNED,
    FixProgress.IN_PROGRESS: ClusterStatus.IN_PROGRESS,
    FixProgress.DONE: ClusterStatus.DONE,
}


def _follow_fixes(cluster: Cluster, *, remembered: ClusterStatus | None = None) -> None:
    """A cluster's status follows the public fixes that answer it: the least advanced one's
    progress, so it reads 개선 완료 only when every public fix for it is. The status a person
    gave it before the first publication is remembered on one link (or passed in by an unlink
    that removed it) and comes back when no public fix is left. Publishing is the decision
    here, so the status is set directly rather than through the desk's step-by-step moves."""
    db.session.flush()
    links = list(db.session.scalars(select(FixCluster).where(FixCluster.cluster_id == cluster.id)))
    public = [link for link in links if link.fix.state is FixState.PUBLISHED]
    memory = next(
        (link.status_before for link in links if link.status_before is not None), remembered
    )
    for link in links:
        link.status_before = None
    if public:
        least = min((link.fix.progress for link in public), key=_PROGRESS_ORDER.index)
        public[0].status_before = memory if memory is not None else cluster.status
        cluster.status = _PROGRESS_STATUS[least]
        cluster.decided = True
    elif memory is not None:
        cluster.status = memory


# ---- counting and finding ------------------------------------------------------------------------


def answered_clusters(fix_ids) -> list[int]:
    """Cluster ids that hold a fix's moments now: the linked clusters and every cluster they
    were merged into, through any chain of merges (merging moves the moments along)."""
    found = set(
        db.session.scalars(select(FixCluster.cluster_id).where(FixCluster.fix_id.in_(fix_ids)))
    )
    return sorted(_merge_chain(found, Cluster.id, Cluster.merged_into_id))


def _merge_chain(start: set[int], from_column, to_column) -> set[int]:
    """`start` and every cluster reached from it by following merges one way or the other."""
    found, frontier = set(start), set(start)
    while frontier:
        frontier = (
            set(
                db.session.scalars(
                    select(to_column).where(from_column.in_(frontier), to_column.isnot(None))
                )
            )
            - found
        )
        found |= frontier
    return found


def cutoff(fix: Fix) -> datetime | None:
    """When arrivals stop counting as having led to a fix (naive UTC). For a fix that is
    개선 완료: the end of its ship day in the campaign's calendar, or the hour it was published
    if that came on the ship day itself. For an unfinished fix: when it was published. None for
    a fix never published, which answers everything so far. Later arrivals in its clusters were
    told after the fact ("already fixed" or "under way"), never counted as the reason for it."""
    if fix.progress is FixProgress.DONE and fix.shipped_on is not None:
        start, end = day_bounds(fix.shipped_on)
        if fix.published_at is not None and start <= fix.published_at < end:
            return fix.published_at
        return end
    return fix.published_at


def moments_query(fix: Fix) -> Select:
    """Distinct moments a fix answers: linked directly (a person's decision), or through its
    clusters (merges included) when they arrived before its cutoff; hidden ones left out."""
    direct = select(fix_moment.c.moment_id).where(fix_moment.c.fix_id == fix.id)
    via = select(Moment.id).where(Moment.cluster_id.in_(answered_clusters([fix.id])))
    end = cutoff(fix)
    if end is not None:
        via = via.where(Moment.received_hour < end)
    return select(Moment).where(
        or_(Moment.id.in_(direct), Moment.id.in_(via)), Moment.status != MomentStatus.HIDDEN
    )


def after_query(fix: Fix) -> Select:
    """Moments that joined a fix's clusters after its cutoff and were not linked to it by hand:
    told by people who still met the problem after it was addressed."""
    end = cutoff(fix)
    direct = select(fix_moment.c.moment_id).where(fix_moment.c.fix_id == fix.id)
    return select(Moment).where(
        Moment.cluster_id.in_(answered_clusters([fix.id])),
        Moment.received_hour >= end,
        Moment.id.not_in(direct),
        Moment.status != MomentStatus.HIDDEN,
    )


def _count(statement: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def counts(fixes: list[Fix]) -> dict[int, int]:
    """How many distinct moments each fix answers ("N명이 알려준 불편"): a query per fix
    (a campaign publishes tens of fixes, not thousands)."""
    return {fix.id: _count(moments_query(fix)) for fix in fixes}


def after_counts(fixes: list[Fix]) -> dict[int, int]:
    """ "고친 뒤에도 N명": arrivals after a public, finished fix, per fix (0 for any other)."""
    return {
        fix.id: _count(after_query(fix)) if fix.public and fix.progress is FixProgress.DONE else 0
        for fix in fixes
    }


def moment_dates(fix: Fix) -> tuple[datetime | None, datetime | None]:
    query = moments_query(fix).subquery()
    return tuple(
        db.session.execute(
            select(func.min(query.c.received_hour), func.max(query.c.received_hour))
        ).one()
    )


@dataclass
class MomentFixes:
    """The public fixes that concern one moment: those it led to, finished ones that had
    already shipped when it arrived, and unfinished ones already under way when it arrived."""

    led_to: list[Fix]
    already: list[Fix]
    underway: list[Fix]


def published_for(moment: Moment) -> MomentFixes:
    """Published fixes that answer a moment, newest first (shown on its receipt page)."""
    if moment.status is MomentStatus.HIDDEN:
        return MomentFixes([], [], [])
    # A fix linked to a cluster later merged (at any depth) into this moment's cluster answers
    # it too.
    clusters = (
        _merge_chain({moment.cluster_id}, Cluster.merged_into_id, Cluster.id)
        if moment.cluster_id
        else set()
    )
    direct = set(
        db.session.scalars(select(fix_moment.c.fix_id).where(fix_moment.c.moment_id == moment.id))
    )
    via = select(FixCluster.fix_id).where(FixCluster.cluster_id.in_(clusters))
    found = db.session.scalars(
        select(Fix)
        .where(Fix.state == FixState.PUBLISHED, or_(Fix.id.in_(direct), Fix.id.in_(via)))
        .order_by(Fix.published_at.desc(), Fix.id.desc())
    )
    out = MomentFixes([], [], [])
    for fix in found:
        end = cutoff(fix)
        if fix.id in direct or end is None or moment.received_hour < end:
            out.led_to.append(fix)
        else:
            (out.already if fix.progress is FixProgress.DONE else out.underway).append(fix)
    return out


def for_cluster(cluster: Cluster) -> list[Fix]:
    """Every fix, draft or public, that answers a cluster (for the desk)."""
    return list(
        db.session.scalars(
            select(Fix).join(FixCluster).where(FixCluster.cluster_id == cluster.id).order_by(Fix.id)
        )
    )


@dataclass(frozen=True)
class FixFigures:
    """What a fix's public page may say in numbers. Everything beside the headline count
    (the dates behind it, the answers, arrivals after it) waits for the public minimum group."""

    count: int
    first: datetime | None
    last: datetime | None
    after: int | None
    answered: int | None
    solved: int | None


def public_page(fix: Fix, *, min_group: int) -> FixFigures:
    count = counts([fix])[fix.id]
    first, last = moment_dates(fix) if privacy.public_count(count, min_group) else (None, None)
    answered, solved = answer_counts([fix.id]).get(fix.id, (0, 0))
    shown = privacy.public_count(solved, min_group) is not None
    return FixFigures(
        count,
        first,
        last,
        privacy.public_count(after_counts([fix])[fix.id], min_group),
        answered if shown else None,
        solved if shown else None,
    )


@dataclass
class PublicPage:
    fixes: list[Fix]
    counts: dict[int, int]
    total: int
    more: bool


def public_fixes(
    *,
    category: str | None = None,
    query: str | None = None,
    shown: int = 12,
    campaign: Campaign | None = None,
) -> PublicPage:
    """Published fixes, newest first: the first `shown` of those matching the filters."""
    statement = select(Fix).where(Fix.state == FixState.PUBLISHED)
    if campaign is not None:
        statement = statement.where(Fix.campaign_id == campaign.id)
    if category:
        statement = statement.where(Fix.category == category)
    if query:
        like = f"%{query.strip()[:60].replace('%', '').replace('_', '')}%"
        statement = statement.where(
            or_(Fix.title.ilike(like), Fix.summary.ilike(like), Fix.after.ilike(like))
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    fixes = list(
        db.session.scalars(
            statement.order_by(
                func.coalesce(Fix.shipped_on, Fix.published_at).desc(), Fix.id.desc()
            ).limit(shown)
        )
    )
    return PublicPage(fixes, counts(fixes), total, total > len(fixes))


def public_categories() -> list[str]:
    return sorted(
        c
        for c in db.session.scalars(
            select(Fix.category)
            .where(Fix.state == FixState.PUBLISHED, Fix.category.isnot(None))
            .distinct()
        )
        if c
    )


def answer_counts(fix_ids: list[int]) -> dict[int, tuple[int, int]]:
    """ "해결됐나요?" per fix: (how many answered, how many said it is solved)."""
    if not fix_ids:
        return {}
    rows = db.session.execute(
        select(FixAnswer.fix_id, func.count(), func.count(case((FixAnswer.resolved, 1))))
        .where(FixAnswer.fix_id.in_(fix_ids))
        .group_by(FixAnswer.fix_id)
    )
    return {fix_id: (n, solved) for fix_id, n, solved in rows}


def desk_list() -> list[Fix]:
    """Every fix, the latest changed first (the desk's list)."""
    return list(db.session.scalars(select(Fix).order_by(Fix.updated_at.desc())))


def latest_answered(fix: Fix, *, limit: int = 20) -> list[Moment]:
    """The newest moments a fix answers, for choosing quotes."""
    newest = moments_query(fix).order_by(Moment.received_hour.desc()).limit(limit)
    return list(db.session.scalars(newest))


def published(slug: str) -> Fix | None:
    return db.session.scalar(select(Fix).where(Fix.slug == slug, Fix.state == FixState.PUBLISHED))
