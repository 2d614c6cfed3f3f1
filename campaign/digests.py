"""E-mail digests per team: daily or weekly, in Korean, to the addresses an admin set.

The worker's sweep calls `due(now=...)` every minute: once a team's period has begun (a local
day, or an ISO week from Monday, at CAMPAIGN_DIGEST_HOUR) and no digest of that period exists,
one `DigestRun` row is made (unique per team and period, so two workers or two sweeps make one)
and the `send_digest` job is asked for. The job claims the run, composes the digest from the
database (open clusters with counts, moments new since the previous digest, the urgent ones
with their masked text, and what is past its clock: the team's clusters past their public-answer
target and moments past their first-triage target, as clocks.py defines them) and sends it by
SMTP. A failed send is tried again after 5 and 30
minutes, then the run is failed; the desk shows every run. Moment text leaves only masked, as
stored; the run keeps counts, never text.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from markupsafe import escape
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from campaign import audit, clocks, database, jobs, outbound
from campaign.audit import AuditAction
from campaign.campaigns import local_time
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import (
    Cluster,
    ClusterStatus,
    DeliveryState,
    DigestFrequency,
    DigestRun,
    Moderator,
    Moment,
    MomentStatus,
    Team,
    TeamDigest,
)
from campaign.outbound import N_
from campaign.refusals import Refusal

MAX_RECIPIENTS = 20
RETRY = (timedelta(minutes=5), timedelta(minutes=30))
LOST_AFTER = timedelta(minutes=10)
SHOWN_CLUSTERS = 15
SHOWN_URGENT = 10
SHOWN_OVERDUE = 10
QUOTE_CHARS = 200
_ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")
_STATUS_WORDS = {
    ClusterStatus.OPEN: "열림",
    ClusterStatus.PLANNED: "개선 예정",
    ClusterStatus.IN_PROGRESS: "개선 중",
    ClusterStatus.ON_HOLD: "보류",
}


class DigestError(Refusal):
    """A refused digest setting; Korean, beside the field it names."""


# --- settings ------------------------------------------------------------------------------------


def settings_for(team: Team) -> TeamDigest:
    """The team's digest settings (off, nobody, until an admin sets them)."""
    found = db.session.get(TeamDigest, team.id)
    return found or TeamDigest(team_id=team.id, frequency=DigestFrequency.OFF, recipients=[])


def parse_recipients(raw: str | None) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; each checked, once each."""
    out: list[str] = []
    for word in re.split(r"[\s,;]+", raw or ""):
        if not word:
            continue
        if len(word) > 254 or not _ADDRESS.fullmatch(word):
            raise DigestError(
                _("'%(word)s'은(는) 메일 주소 모양이 아니에요.", word=word[:60]), field="recipients"
            )
        if word.lower() not in {a.lower() for a in out}:
            out.append(word)
    if len(out) > MAX_RECIPIENTS:
        raise DigestError(
            _(
                "받는 사람은 %(most)s명까지 넣을 수 있어요. 팀 메일 주소를 써 보세요.",
                most=MAX_RECIPIENTS,
            ),
            field="recipients",
        )
    return out


def save_settings(
    team: Team, *, frequency: str, recipients: str, by: Moderator, now: datetime
) -> TeamDigest:
    try:
        chosen = DigestFrequency(frequency)
    except ValueError:
        raise DigestError(_("얼마나 자주 보낼지 골라 주세요."), field="frequency") from None
    addresses = parse_recipients(recipients)
    if chosen is not DigestFrequency.OFF and not addresses:
        raise DigestError(_("받을 메일 주소를 하나 이상 넣어 주세요."), field="recipients")
    digest = db.session.get(TeamDigest, team.id)
    if digest is None:
        digest = TeamDigest(team_id=team.id)
        db.session.add(digest)
    audit.record(
        by,
        AuditAction.DIGEST_SETTINGS,
        ("team_digest", team.id),
        data={"frequency": chosen.value, "recipients": len(addresses)},
    )
    digest.frequency, digest.recipients, digest.updated_at = chosen, addresses, now
    db.session.flush()
    return digest


def runs(team: Team, *, limit: int = 20) -> list[DigestRun]:
    query = (
        select(DigestRun)
        .where(DigestRun.team_id == team.id)
        .order_by(DigestRun.created_at.desc(), DigestRun.id.desc())
    )
    return list(db.session.scalars(query.limit(limit)))


def mail_configured() -> bool:
    config = current_app.config
    return bool(config["SMTP_HOST"] and config["SMTP_FROM"])


# --- when ----------------------------------------------------------------------------------------


def period_of(frequency: DigestFrequency, now: datetime) -> str | None:
    """The period whose digest is due at `now` (naive UTC), or None before the day's (or
    Monday's) hour: "2026-11-30" for a daily digest, "2026-W49" for a weekly one."""
    local = local_time(now)
    hour = current_app.config["DIGEST_HOUR"]
    if frequency is DigestFrequency.DAILY:
        return local.date().isoformat() if local.hour >= hour else None
    if frequency is DigestFrequency.WEEKLY:
        year, week, weekday = local.isocalendar()
        if weekday == 1 and local.hour < hour:
            return None
        return f"{year}-W{week:02d}"
    return None


def due(*, now: datetime) -> list[int]:
    """Make the digest runs whose period has begun, and return every run to ask for now (new
    ones, retries that are due, and those a lost worker left `sending`)."""
    if not mail_configured():
        return []
    for digest in db.session.scalars(
        select(TeamDigest).where(TeamDigest.frequency != DigestFrequency.OFF)
    ):
        period = period_of(digest.frequency, now)
        if period is None or not digest.recipients:
            continue
        exists = select(DigestRun.id).where(
            DigestRun.team_id == digest.team_id, DigestRun.period == period
        )
        if db.session.scalar(exists) is not None:
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    DigestRun(
                        team_id=digest.team_id,
                        period=period,
                        state=DeliveryState.PENDING,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
        except IntegrityError:  # another sweep made it first
            continue
    lost = select(DigestRun.id).where(
        DigestRun.state == DeliveryState.SENDING,
        DigestRun.next_attempt_at <= now - LOST_AFTER,
    )
    lost_ids = list(db.session.scalars(lost))
    if lost_ids:
        db.session.execute(
            update(DigestRun)
            .where(DigestRun.id.in_(lost_ids))
            .values(state=DeliveryState.PENDING)
            .execution_options(synchronize_session=False)
        )
    db.session.flush()
    query = select(DigestRun.id).where(
        DigestRun.state == DeliveryState.PENDING, DigestRun.next_attempt_at <= now
    )
    return list(db.session.scalars(query.order_by(DigestRun.id)))


def ask_for(run_ids: list[int]) -> None:
    for run_id in run_ids:
        jobs.later(db.session, "send_digest", run_id)


def find(run_id: int) -> DigestRun | None:
    return db.session.get(DigestRun, run_id)


def claim(run_id: int, *, now: datetime) -> DigestRun | None:
    run = database.claim(
        DigestRun,
        run_id,
        DigestRun.state == DeliveryState.PENDING,
        DigestRun.next_attempt_at <= now,
        state=DeliveryState.SENDING,
        next_attempt_at=now,
    )
    if run is None:
        return None
    settings = settings_for(db.session.get(Team, run.team_id))
    if settings.frequency is DigestFrequency.OFF or not settings.recipients:
        # turned off (or emptied) after this run was made: it goes nowhere, retries included
        run.state, run.next_attempt_at = DeliveryState.FAILED, None
        run.result = {"error": TURNED_OFF}
        db.session.flush()
        return None
    return run


# --- what it says --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClusterLine:
    id: int
    label: str
    status: ClusterStatus
    moments: int


@dataclass(frozen=True)
class UrgentLine:
    id: str
    text: str
    cluster: str | None


@dataclass(frozen=True)
class OverdueLine:
    """A cluster past its public-answer target, or a moment past its first-triage target."""

    id: int | str
    text: str  # a cluster's name, or a moment's masked text (cut)
    last_day: date  # the last local day the target allowed


@dataclass(frozen=True)
class Digest:
    team: str
    since: datetime  # naive UTC, whole hours: the moments counted arrived in [since, until)
    until: datetime
    clusters: list[ClusterLine]
    open_clusters: int
    new_moments: int
    urgent: list[UrgentLine]
    urgent_count: int
    overdue_clusters: list[OverdueLine] = field(default_factory=list)
    overdue_cluster_count: int = 0
    overdue_moments: list[OverdueLine] = field(default_factory=list)
    overdue_moment_count: int = 0


def _window(run: DigestRun, frequency: DigestFrequency, now: datetime):
    """[since, until) in whole hours: from where the team's previous digest stopped (else one
    period back) to the start of this hour, so no moment is counted twice or skipped."""
    until = now.replace(minute=0, second=0, microsecond=0)
    previous = db.session.scalars(
        select(DigestRun)
        .where(
            DigestRun.team_id == run.team_id,
            DigestRun.state == DeliveryState.DELIVERED,
            DigestRun.id != run.id,
        )
        .order_by(DigestRun.sent_at.desc())
        .limit(1)
    ).first()
    if previous is not None and previous.result.get("until"):
        since = datetime.fromisoformat(previous.result["until"])
    else:
        since = until - (timedelta(days=7) if frequency is DigestFrequency.WEEKLY else timedelta(1))
    return min(since, until), until


def compose(team: Team, run: DigestRun, frequency: DigestFrequency, now: datetime) -> Digest:
    since, until = _window(run, frequency, now)
    visible = Moment.status != MomentStatus.HIDDEN
    sizes = (
        select(Moment.cluster_id, func.count().label("n"))
        .where(visible, Moment.cluster_id.is_not(None))
        .group_by(Moment.cluster_id)
        .subquery()
    )
    open_query = (
        select(Cluster, func.coalesce(sizes.c.n, 0))
        .outerjoin(sizes, sizes.c.cluster_id == Cluster.id)
        .where(
            Cluster.team_id == team.id,
            Cluster.merged_into_id.is_(None),
            Cluster.status != ClusterStatus.DONE,
        )
        .order_by(func.coalesce(sizes.c.n, 0).desc(), Cluster.id)
    )
    found = db.session.execute(open_query).all()
    clusters = [ClusterLine(c.id, c.label, c.status, n) for c, n in found if n > 0]
    owned = (
        select(Moment)
        .outerjoin(Cluster, Moment.cluster_id == Cluster.id)
        .where(
            func.coalesce(Moment.team_id, Cluster.team_id) == team.id,
            visible,
            Moment.received_hour >= since,
            Moment.received_hour < until,
        )
    )
    new = db.session.scalar(select(func.count()).select_from(owned.subquery())) or 0
    urgent_query = owned.where(Moment.urgent.is_(True)).order_by(Moment.received_hour.desc())
    urgent_all = list(db.session.scalars(urgent_query))
    urgent = [
        UrgentLine(m.id, _quote(m.body), m.cluster.label if m.cluster else None)
        for m in urgent_all[:SHOWN_URGENT]
    ]
    late_clusters = clocks.overdue_clusters(now, team_id=team.id)
    late_moments, late_moment_count = clocks.overdue_moments(
        now, team_id=team.id, limit=SHOWN_OVERDUE
    )
    moment_clocks = clocks.moment_clocks(late_moments, now)
    return Digest(
        team.name,
        since,
        until,
        clusters[:SHOWN_CLUSTERS],
        len(clusters),
        new,
        urgent,
        len(urgent_all),
        overdue_clusters=[
            OverdueLine(c.id, c.label, k.last_day) for c, k in late_clusters[:SHOWN_OVERDUE]
        ],
        overdue_cluster_count=len(late_clusters),
        overdue_moments=[
            OverdueLine(m.id, _quote(m.body), moment_clocks[m.id].last_day) for m in late_moments
        ],
        overdue_moment_count=late_moment_count,
    )


def _quote(text: str) -> str:
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _link(path: str) -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}{path}" if base else path


def _day(value: date) -> str:
    return f"{value.month}월 {value.day}일"


def _when(value: datetime) -> str:
    local = local_time(value)
    return f"{local.month}월 {local.day}일 {local.hour:02d}시"


def subject(digest: Digest, frequency: DigestFrequency) -> str:
    kind = "주간" if frequency is DigestFrequency.WEEKLY else "오늘의"
    return f"[불편한 순간] {digest.team} {kind} 요약: 새 이야기 {digest.new_moments}개"


def plain_text(digest: Digest, team_id: int) -> str:
    lines = [
        f"{digest.team}에 온 이야기 요약이에요.",
        f"({_when(digest.since)}부터 {_when(digest.until)} 전까지)",
        "",
        f"새로 들어온 이야기: {digest.new_moments}개 (긴급 {digest.urgent_count}개)",
        "",
    ]
    if digest.urgent:
        lines.append("긴급 표시된 이야기 (개인정보는 가려진 채로 보여요)")
        for line in digest.urgent:
            where = f" · 묶음: {line.cluster}" if line.cluster else ""
            lines.append(f'- "{line.text}"{where}')
            lines.append(f"  {_link(f'/admin/moments/{line.id}')}")
        if digest.urgent_count > len(digest.urgent):
            lines.append(f"  그리고 {digest.urgent_count - len(digest.urgent)}개 더 있어요.")
        lines.append("")
    if digest.overdue_cluster_count or digest.overdue_moment_count:
        lines.append(
            f"기한이 지났어요: 공개 답을 못 한 묶음 {digest.overdue_cluster_count}개, "
            f"아직 살펴보지 않은 이야기 {digest.overdue_moment_count}개"
        )
        for c in digest.overdue_clusters:
            lines.append(f"- 묶음 {c.text}: {_day(c.last_day)}까지 공개 답을 해야 했어요")
            lines.append(f"  {_link(f'/admin/clusters/{c.id}')}")
        _more(lines, digest.overdue_cluster_count, len(digest.overdue_clusters))
        for m in digest.overdue_moments:
            lines.append(f'- "{m.text}": {_day(m.last_day)}까지 살펴봐야 했어요')
            lines.append(f"  {_link(f'/admin/moments/{m.id}')}")
        _more(lines, digest.overdue_moment_count, len(digest.overdue_moments))
        lines.append("")
    lines.append(f"열려 있는 묶음: {digest.open_clusters}개")
    for c in digest.clusters:
        lines.append(f"- {c.label}: 이야기 {c.moments}개 ({_STATUS_WORDS.get(c.status, '')})")
        lines.append(f"  {_link(f'/admin/clusters/{c.id}')}")
    if not digest.clusters:
        lines.append("- 열려 있는 묶음이 없어요.")
    lines += [
        "",
        "받는 주소와 주기는 데스크의 팀 요약 메일 설정에서 바꿀 수 있어요:",
        _link(f"/admin/teams/{team_id}/digest"),
    ]
    return "\n".join(lines) + "\n"


def _more(lines: list[str], total: int, shown: int) -> None:
    if total > shown:
        lines.append(f"  그리고 {total - shown}개 더 있어요.")


def _overdue_html(digest: Digest) -> list[str]:
    e = escape
    if not (digest.overdue_cluster_count or digest.overdue_moment_count):
        return []
    parts = [
        "<h2>기한이 지났어요</h2>",
        f"<p>공개 답을 못 한 묶음 {digest.overdue_cluster_count}개, "
        f"아직 살펴보지 않은 이야기 {digest.overdue_moment_count}개예요.</p>",
    ]
    if digest.overdue_clusters:
        parts.append("<h3>공개 답 기한이 지난 묶음</h3><ul>")
        for c in digest.overdue_clusters:
            href = e(_link(f"/admin/clusters/{c.id}"))
            parts.append(
                f'<li><a href="{href}">{e(c.text)}</a>: '
                f"{e(_day(c.last_day))}까지 공개 답을 해야 했어요</li>"
            )
        parts.append("</ul>")
        if digest.overdue_cluster_count > len(digest.overdue_clusters):
            more = digest.overdue_cluster_count - len(digest.overdue_clusters)
            parts.append(f"<p>그리고 {more}개 더 있어요.</p>")
    if digest.overdue_moments:
        parts.append("<h3>처음 살펴보기 기한이 지난 이야기</h3><ul>")
        for m in digest.overdue_moments:
            href = e(_link(f"/admin/moments/{m.id}"))
            parts.append(
                f"<li><q>{e(m.text)}</q> {e(_day(m.last_day))}까지 살펴봐야 했어요 "
                f'<a href="{href}">데스크에서 보기</a></li>'
            )
        parts.append("</ul>")
        if digest.overdue_moment_count > len(digest.overdue_moments):
            more = digest.overdue_moment_count - len(digest.overdue_moments)
            parts.append(f"<p>그리고 {more}개 더 있어요.</p>")
    return parts


def html(digest: Digest, team_id: int) -> str:
    e = escape
    parts = [
        '<!doctype html><html lang="ko"><head><meta charset="utf-8">',
        f"<title>{e(digest.team)} 요약</title></head><body>",
        f"<h1>{e(digest.team)}에 온 이야기 요약이에요</h1>",
        f"<p>{e(_when(digest.since))}부터 {e(_when(digest.until))} 전까지</p>",
        f"<p>새로 들어온 이야기: <strong>{digest.new_moments}개</strong>"
        f" (긴급 {digest.urgent_count}개)</p>",
    ]
    if digest.urgent:
        parts.append("<h2>긴급 표시된 이야기</h2><p>개인정보는 가려진 채로 보여요.</p><ul>")
        for line in digest.urgent:
            where = f" · 묶음: {e(line.cluster)}" if line.cluster else ""
            href = e(_link(f"/admin/moments/{line.id}"))
            link = f'<a href="{href}">데스크에서 보기</a>'
            parts.append(f"<li><q>{e(line.text)}</q>{where} {link}</li>")
        parts.append("</ul>")
    parts += _overdue_html(digest)
    parts.append(f"<h2>열려 있는 묶음 {digest.open_clusters}개</h2>")
    if digest.clusters:
        parts.append('<table><thead><tr><th scope="col">묶음</th><th scope="col">이야기</th>')
        parts.append('<th scope="col">상태</th></tr></thead><tbody>')
        for c in digest.clusters:
            href = e(_link(f"/admin/clusters/{c.id}"))
            parts.append(
                f'<tr><th scope="row"><a href="{href}">{e(c.label)}</a></th>'
                f"<td>{c.moments}개</td><td>{e(_STATUS_WORDS.get(c.status, ''))}</td></tr>"
            )
        parts.append("</tbody></table>")
    else:
        parts.append("<p>열려 있는 묶음이 없어요.</p>")
    settings = e(_link(f"/admin/teams/{team_id}/digest"))
    parts.append(f'<p><a href="{settings}">받는 주소와 주기 바꾸기</a></p></body></html>')
    return "".join(parts)


def message(digest: Digest, team_id: int, frequency, recipients: list[str]) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = subject(digest, frequency)
    mail["From"] = current_app.config["SMTP_FROM"]
    mail["To"] = ", ".join(recipients)
    mail.set_content(plain_text(digest, team_id))
    mail.add_alternative(html(digest, team_id), subtype="html")
    return mail


# --- sending -------------------------------------------------------------------------------------


def prepare(run: DigestRun, *, now: datetime) -> tuple[EmailMessage, dict]:
    """The message for a claimed run and what it counts (kept on the run once sent)."""
    team = db.session.get(Team, run.team_id)
    settings = settings_for(team)
    digest = compose(team, run, settings.frequency, now)
    counts = {
        "moments": digest.new_moments,
        "urgent": digest.urgent_count,
        "overdue_clusters": digest.overdue_cluster_count,
        "overdue_moments": digest.overdue_moment_count,
        "clusters": digest.open_clusters,
        "to": len(settings.recipients),
        "since": digest.since.isoformat(),
        "until": digest.until.isoformat(),
    }
    return message(digest, team.id, settings.frequency, settings.recipients), counts


def send_mail(mail: EmailMessage, config) -> None:
    """Hand one message to the SMTP server of the settings (no database work)."""
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    context = ssl.create_default_context()
    if port == 465:
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if port != 465 and config["SMTP_STARTTLS"]:
            smtp.starttls(context=context)
        if config["SMTP_USER"]:
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(mail)


def record(run: DigestRun, *, counts: dict, error: str | None, now: datetime) -> None:
    """Sent; or failed, tried again after RETRY, then failed for good."""
    run.attempts += 1
    if error is None:
        run.state, run.sent_at, run.next_attempt_at = DeliveryState.DELIVERED, now, None
        run.result = counts
    elif run.attempts > len(RETRY):
        run.state, run.next_attempt_at = DeliveryState.FAILED, None
        run.result = {**counts, "error": error[:200]}
    else:
        run.state, run.next_attempt_at = DeliveryState.PENDING, now + RETRY[run.attempts - 1]
        run.result = {**counts, "error": error[:200]}
    db.session.flush()


# Why a run was not sent, as the run keeps it (Korean, written by a worker); `shown` gives it in
# the reader's language on the desk.
TURNED_OFF = N_("보내지 않기로 바뀌었어요")
LOGIN_REFUSED = N_("메일 서버가 로그인을 거절했어요. SMTP 아이디와 비밀번호를 확인해 주세요.")
RECIPIENTS_REFUSED = N_("메일 서버가 받는 주소를 거절했어요.")
NO_CONNECTION = N_("메일 서버에 연결하지 못했어요.")
REASONS = (TURNED_OFF, LOGIN_REFUSED, RECIPIENTS_REFUSED, NO_CONNECTION, outbound.NOT_SENT)


def why(error: BaseException) -> str:
    """A short Korean reason for the desk; never the message's text."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return LOGIN_REFUSED
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return RECIPIENTS_REFUSED
    if isinstance(error, ConnectionError | TimeoutError | OSError):
        return NO_CONNECTION
    return outbound.NOT_SENT % {"kind": type(error).__name__}


def shown(reason: str | None) -> str:
    """A run's reason in the reader's language."""
    return outbound.reworded(reason, REASONS)
