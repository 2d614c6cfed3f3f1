"""Telling other tools: signed outgoing webhooks.

Admins keep endpoints at the desk (an address, the events it hears, a JSON or Slack-compatible
body, a secret the server makes and shows once). Something happens → `announce(event,
Announcement(...), now=...)` writes one delivery per enabled endpoint that hears the event, with
its body fixed then (masked text only; never a receipt hash), and asks for the
`deliver_webhook` job after the commit. The job claims the delivery, POSTs it (campaign/
outbound.py) signed `X-Campaign-Signature: sha256=<HMAC-SHA256 of the body>`, and logs the
attempt; a failed one waits `BACKOFF` (1 min, 5 min, 30 min, 2 h) and the worker's sweep asks
for it again when it is due; after the fifth failure it is failed. The delivery row is the
truth, the queue only a wake-up: a worker lost mid-send leaves it `sending`, and the sweep
gives it back after `LOST_AFTER`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import delete, or_, select, update

from campaign import audit, clocks, database, jobs, outbound, spikes
from campaign.audit import AuditAction
from campaign.campaigns import local_time
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.labels import CLUSTER_STATUS_LABELS
from campaign.models import (
    Campaign,
    Cluster,
    DeliveryState,
    Fix,
    Moderator,
    Moment,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookFormat,
)
from campaign.privacy import new_public_id
from campaign.refusals import Refusal

# Every event an endpoint may hear, with the words the desk shows for it (in its reader's
# language). What is sent (headlines, link names) stays Korean: the tools it goes to are a
# team's, and no reader's language is known when a worker sends it.
EVENTS = {
    "urgent_moment": _l("긴급 표시된 이야기가 들어왔을 때"),
    "spike": _l("묶음이 갑자기 늘었을 때 (급증)"),
    "cluster_overdue": _l("묶음이 기한을 넘겼을 때"),
    "fix_published": _l("개선 사례를 공개했을 때"),
    "brief": _l("모더레이터가 묶음 브리프를 보냈을 때"),
}
TEST = "test"  # the desk's 시험 보내기; sent to one endpoint whatever it hears
FORMATS = {WebhookFormat.JSON: "JSON", WebhookFormat.SLACK: _l("Slack 호환")}
# The wait after each failed attempt; one more failure after the last is final.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
ATTEMPTS = len(BACKOFF) + 1
LOST_AFTER = timedelta(minutes=10)  # a delivery `sending` this long lost its worker
URL_MAX = 500
DISABLED = outbound.N_("주소가 꺼져 있어서 보내지 않았어요.")  # kept in the log in Korean
LINK_LABELS = {"desk": "데스크에서 보기", "public": "공개 페이지", "brief": "한 장 요약"}


class WebhookError(Refusal):
    """A refused change to an endpoint; Korean, beside the field it names."""


@dataclass(frozen=True)
class Announcement:
    """What happened, as every endpoint is told: a one-line Korean headline, the event's facts
    (masked text only, never a receipt hash or anything about a sender), links by name to paths
    on this site ("/admin/clusters/3"; made absolute with CAMPAIGN_PUBLIC_URL), and a masked
    text to quote in a Slack message."""

    headline: str
    campaign: Campaign | None = None
    data: dict = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    quote: str | None = None


# --- endpoints -------------------------------------------------------------------------------


def check_url(raw: str | None, *, allow_local: bool) -> str:
    """The address as it will be used, or a refusal that says what to type instead. An address
    on this machine (localhost, 127.0.0.1, ::1; there also over http) only when `allow_local`
    (CAMPAIGN_WEBHOOK_ALLOW_LOCAL: tests and development)."""
    url = (raw or "").strip()
    if not url:
        raise WebhookError(_("보낼 주소를 입력해 주세요."), field="url")
    if len(url) > URL_MAX:
        raise WebhookError(_("주소는 %(most)s자까지 쓸 수 있어요.", most=URL_MAX), field="url")
    try:
        parts = urlsplit(url)
        host, _port = (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        host, parts = "", None
    if parts is None or parts.scheme not in ("http", "https") or not host:
        raise WebhookError(
            _("https://로 시작하는 전체 주소를 넣어 주세요. 예: https://hooks.example.com/moments"),
            field="url",
        )
    if parts.username is not None or parts.password is not None:
        raise WebhookError(
            _("주소에 아이디나 비밀번호를 넣을 수 없어요. 서명용 비밀값은 서버가 만들어 드려요."),
            field="url",
        )
    local = outbound.is_local(url)
    if local and not allow_local:
        raise WebhookError(
            _(
                "이 컴퓨터 주소(localhost, 127.0.0.1, ::1)는 시험할 때만 쓸 수 있어요. "
                "밖에서 닿는 https:// 주소를 넣어 주세요."
            ),
            field="url",
        )
    if parts.scheme == "http" and not allow_local:
        raise WebhookError(_("https://로 시작하는 주소를 넣어 주세요."), field="url")
    if parts.scheme == "http" and not local:
        raise WebhookError(
            _(
                "http 주소는 이 컴퓨터(localhost, 127.0.0.1)로 시험할 때만 쓸 수 있어요. "
                "https://로 시작하는 주소를 넣어 주세요."
            ),
            field="url",
        )
    address = outbound.literal_address(host)
    if address is not None and not outbound.allowed_address(address, local=local):
        raise WebhookError(
            _("내부망 주소(사설 IP 등)로는 보낼 수 없어요. 밖에서 닿는 https 주소를 넣어 주세요."),
            field="url",
        )
    return parts._replace(fragment="").geturl()


def _check_events(events: list[str]) -> list[str]:
    chosen = [name for name in EVENTS if name in set(events or [])]
    if not chosen:
        raise WebhookError(_("알릴 일을 하나 이상 골라 주세요."), field="events")
    return chosen


def _audited(endpoint: WebhookEndpoint) -> dict:
    """What the audit trail keeps of an endpoint: its id, scheme and host, never the path or
    query, which often carry a token (a Slack incoming-webhook path, ?token=…)."""
    parts = urlsplit(endpoint.url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return {
        "endpoint": endpoint.id,
        "scheme": parts.scheme,
        "host": f"{host}:{parts.port}" if parts.port else host,
    }


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def create_endpoint(
    *, url: str, events: list[str], format: str, by: Moderator, now: datetime
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its secret, which the desk shows this once."""
    url = check_url(url, allow_local=current_app.config["WEBHOOK_ALLOW_LOCAL"])
    chosen = _check_events(events)
    try:
        shape = WebhookFormat(format)
    except ValueError:
        raise WebhookError(_("보낼 형식을 골라 주세요."), field="format") from None
    secret = new_secret()
    endpoint = WebhookEndpoint(
        url=url, events=chosen, format=shape, secret=secret, created_at=now, created_by_id=by.id
    )
    db.session.add(endpoint)
    db.session.flush()
    audit.record(
        by,
        AuditAction.WEBHOOK_CREATE,
        endpoint,
        data={**_audited(endpoint), "events": chosen, "format": shape.value},
    )
    return endpoint, secret


def set_enabled(endpoint: WebhookEndpoint, enabled: bool, *, by: Moderator) -> bool:
    """Turn an endpoint on or off; returns whether anything changed. Deliveries already
    waiting for an endpoint turned off are not sent (see `claim`)."""
    if endpoint.enabled == enabled:
        return False
    audit.record(
        by,
        AuditAction.WEBHOOK_ENABLE if enabled else AuditAction.WEBHOOK_DISABLE,
        endpoint,
        data=_audited(endpoint),
    )
    endpoint.enabled = enabled
    return True


def delete_endpoint(endpoint: WebhookEndpoint, *, by: Moderator) -> None:
    """Forget an endpoint with its deliveries and their log; the audit trail keeps the fact."""
    audit.record(by, AuditAction.WEBHOOK_DELETE, endpoint, data=_audited(endpoint))
    db.session.delete(endpoint)
    db.session.flush()


def endpoints() -> list[WebhookEndpoint]:
    return list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def deliveries(endpoint: WebhookEndpoint, *, limit: int = 100) -> list[WebhookDelivery]:
    """An endpoint's latest deliveries with their attempts, newest first (the delivery log)."""
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id)
        .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


# --- what is sent ------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    base = current_app.config["PUBLIC_URL"].rstrip("/")
    return f"{base}{path}" if base and path.startswith("/") else path


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_body(event: str, event_id: str, said: Announcement, now: datetime) -> dict:
    campaign = said.campaign
    return {
        "id": event_id,
        "type": event,
        "occurred_at": _iso(now),
        "campaign": {"slug": campaign.slug, "title": campaign.title} if campaign else None,
        "summary": said.headline,
        "data": said.data,
        "links": {name: _absolute(path) for name, path in said.links.items()},
    }


def slack_body(event: str, event_id: str, said: Announcement, now: datetime) -> dict:
    """A Slack incoming-webhook message: `text` for notifications, `blocks` for the channel."""
    where = f"[{said.campaign.title}] " if said.campaign else ""
    text = f"{where}{said.headline}"
    section = f"*{_slack_escape(text)}*"
    if said.quote:
        quote = said.quote if len(said.quote) <= 500 else said.quote[:499] + "…"
        section += "\n" + "\n".join(f">{_slack_escape(line)}" for line in quote.splitlines())
    context = [
        f"<{_absolute(path)}|{LINK_LABELS.get(name, name)}>" for name, path in said.links.items()
    ]
    context.append(f"{event} · {_iso(now)} · {event_id}")
    return {
        "text": text,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": section}},
            {"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(context)}]},
        ],
    }


def body_for(
    endpoint: WebhookEndpoint, event: str, event_id: str, said: Announcement, now: datetime
) -> str:
    shape = slack_body if endpoint.format is WebhookFormat.SLACK else json_body
    return json.dumps(shape(event, event_id, said, now), ensure_ascii=False, sort_keys=True)


def signature(secret: str, body: bytes) -> str:
    """The X-Campaign-Signature header's value for a body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def urgent_moment(moment: Moment) -> Announcement:
    """`urgent_moment`: its masked text as stored (left out when it reads as abusive), where it
    was grouped, and its desk page. Never its receipt hash."""
    cluster = moment.cluster
    text = None if moment.abusive else moment.body
    return Announcement(
        headline="긴급 표시된 이야기가 들어왔어요.",
        campaign=moment.campaign,
        data={
            "moment": {
                "id": moment.id,
                "text": text,
                "suggestion": None if moment.abusive else moment.suggestion,
                "abusive": bool(moment.abusive),
                "category": moment.category,
                "channel": moment.channel,
                "received_hour": _iso(moment.received_hour),
            },
            "cluster": {"id": cluster.id, "label": cluster.label} if cluster else None,
        },
        links={"desk": f"/admin/moments/{moment.id}"},
        quote=text if text is not None else "욕설로 보이는 글이라 데스크에서만 보여요.",
    )


def fix_published(fix: Fix) -> Announcement:
    """`fix_published`: what people can now do, its progress, and its public and desk pages."""
    return Announcement(
        headline=f"개선 사례를 공개했어요: {fix.title}",
        campaign=fix.campaign,
        data={
            "fix": {
                "id": fix.id,
                "slug": fix.slug,
                "title": fix.title,
                "summary": fix.summary,
                "category": fix.category,
                "progress": fix.progress.value,
                "shipped_on": fix.shipped_on.isoformat() if fix.shipped_on else None,
            }
        },
        links={"public": f"/improvements/{fix.slug}", "desk": f"/admin/fixes/{fix.id}"},
        quote=fix.summary or None,
    )


def _cluster_facts(cluster: Cluster) -> dict:
    return {
        "id": cluster.id,
        "label": cluster.label,
        "team": cluster.team.name if cluster.team else None,
        "status": str(CLUSTER_STATUS_LABELS[cluster.status]),
    }


def _cluster_links(cluster: Cluster) -> dict[str, str]:
    return {
        "desk": f"/admin/clusters/{cluster.id}",
        "brief": f"/admin/clusters/{cluster.id}/brief",
    }


def _rate(value: float) -> str:
    return f"{round(value, 1):g}"


def spike(found: spikes.Spike) -> Announcement:
    """`spike`: the cluster (its name, made of masked text or given by a person), its moments
    in the last 24 hours against its usual day, and its desk page and brief."""
    cluster = found.cluster
    return Announcement(
        headline=(
            f"'{cluster.label}' 묶음이 갑자기 늘었어요(급증): 최근 24시간 {found.moments}개, "
            f"평소에는 하루 {_rate(found.expected)}개예요."
        ),
        campaign=db.session.get(Campaign, cluster.campaign_id),
        data={
            "cluster": _cluster_facts(cluster),
            "moments_24h": found.moments,
            "usual_per_day": round(found.expected, 2),
            "times": round(found.times, 1),
            "p": found.p,
        },
        links=_cluster_links(cluster),
    )


def cluster_overdue(cluster: Cluster, clock: clocks.Clock) -> Announcement:
    """`cluster_overdue`: a cluster's public-answer clock ran out unanswered; when it started,
    the last day it had, and its desk page and brief."""
    last = clock.last_day
    return Announcement(
        headline=(
            f"'{cluster.label}' 묶음의 공개 답 기한({last.month}월 {last.day}일까지)이 "
            "지났어요. 답을 정해 주세요."
        ),
        campaign=db.session.get(Campaign, cluster.campaign_id),
        data={
            "cluster": _cluster_facts(cluster),
            "started_on": local_time(clock.start).date().isoformat(),
            "last_day": last.isoformat(),
            "deadline": _iso(clock.deadline),
        },
        links=_cluster_links(cluster),
    )


def brief(cluster: Cluster, data: dict) -> Announcement:
    """`brief`: a cluster's one-page brief as plain data (briefs.as_dict: masked quotes only),
    the first quote shown in a Slack message."""
    return Announcement(
        headline=f"묶음 브리프: {data['problem']} (이야기 {data['moments']}개)",
        campaign=db.session.get(Campaign, cluster.campaign_id),
        data=data,
        links=_cluster_links(cluster),
        quote=data["quotes"][0] if data.get("quotes") else None,
    )


# --- announcing ---------------------------------------------------------------------------------


def _queue(endpoint: WebhookEndpoint, event: str, event_id: str, body: str, now: datetime):
    delivery = WebhookDelivery(
        endpoint_id=endpoint.id,
        event=event,
        event_id=event_id,
        body=body,
        state=DeliveryState.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(delivery)
    db.session.flush()
    jobs.later(db.session, "deliver_webhook", delivery.id)
    return delivery


def announce(event: str, said: Announcement, *, now: datetime) -> list[WebhookDelivery]:
    """Tell every enabled endpoint that hears `event`: one delivery each, sent by the worker
    once the caller's transaction commits (never for a rolled-back one)."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    event_id = new_public_id()
    return [
        _queue(endpoint, event, event_id, body_for(endpoint, event, event_id, said, now), now)
        for endpoint in listening(event)
    ]


def listening(event: str) -> list[WebhookEndpoint]:
    """The enabled endpoints that hear `event`."""
    return [e for e in endpoints() if e.enabled and event in e.events]


def send_test(endpoint: WebhookEndpoint, *, by: Moderator, now: datetime) -> WebhookDelivery:
    """시험 보내기: a `test` event to this endpoint alone, signed and logged like any other."""
    said = Announcement(
        headline="시험 메시지예요. 이 메시지가 보이면 연결이 잘 됐어요.",
        data={"by": "desk"},
        links={"desk": f"/admin/webhooks/{endpoint.id}"},
        quote="받은 이야기는 가려진 글로만 보내요.",
    )
    event_id = new_public_id()
    delivery = _queue(endpoint, TEST, event_id, body_for(endpoint, TEST, event_id, said, now), now)
    audit.record(by, AuditAction.WEBHOOK_TEST, endpoint, data={"delivery": delivery.id})
    return delivery


# --- delivering ----------------------------------------------------------------------------------


def claim(delivery_id: str, *, now: datetime) -> WebhookDelivery | None:
    """Take a delivery that is due, once: another worker, an early wake-up or a finished one
    gets None. A delivery whose endpoint was turned off since is closed as failed."""
    delivery = database.claim(
        WebhookDelivery,
        delivery_id,
        WebhookDelivery.state == DeliveryState.PENDING,
        WebhookDelivery.next_attempt_at <= now,
        state=DeliveryState.SENDING,
        next_attempt_at=now,
    )
    if delivery is None:
        return None
    if not delivery.endpoint.enabled and delivery.event != TEST:
        _log(delivery, outbound.Outcome(None, DISABLED, 0), now)
        delivery.state, delivery.finished_at = DeliveryState.FAILED, now
        return None
    return delivery


def find(delivery_id: str) -> WebhookDelivery | None:
    """A delivery as the database has it now (None once its endpoint was deleted)."""
    return db.session.get(WebhookDelivery, delivery_id, populate_existing=True)


def outgoing(delivery: WebhookDelivery) -> tuple[str, bytes, dict[str, str]]:
    """What to POST for a delivery, signed: (url, body, headers); `outbound.post` sends it."""
    endpoint, body = delivery.endpoint, delivery.body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "campaign-webhooks/1",
        "X-Campaign-Event": delivery.event,
        "X-Campaign-Delivery": delivery.id,
        "X-Campaign-Signature": signature(endpoint.secret, body),
    }
    return endpoint.url, body, headers


def shown(reason: str | None) -> str:
    """Why an attempt failed, as the log keeps it (Korean), in the reader's language."""
    return outbound.reworded(reason, (*outbound.REASONS, DISABLED))


def _log(delivery: WebhookDelivery, outcome: outbound.Outcome, now: datetime) -> None:
    delivery.attempts += 1
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            at=now,
            status_code=outcome.status,
            error=(outcome.error or None) and outcome.error[:200],
            duration_ms=outcome.duration_ms,
        )
    )


def record(delivery: WebhookDelivery | None, outcome: outbound.Outcome, *, now: datetime) -> None:
    """Log an attempt; then delivered, due again after its back-off, or failed for good. A
    delivery that vanished while it was sent (its endpoint deleted) or is no longer `sending`
    (given back by the sweep) is left as it is: there is nothing, or no longer this attempt,
    to record."""
    if delivery is None or delivery.state is not DeliveryState.SENDING:
        return
    _log(delivery, outcome, now)
    if outcome.ok:
        delivery.state, delivery.finished_at, delivery.next_attempt_at = (
            DeliveryState.DELIVERED,
            now,
            None,
        )
    elif delivery.attempts >= ATTEMPTS:
        delivery.state, delivery.finished_at, delivery.next_attempt_at = (
            DeliveryState.FAILED,
            now,
            None,
        )
    else:
        delivery.state = DeliveryState.PENDING
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    db.session.flush()


def due(*, now: datetime) -> list[str]:
    """Deliveries to ask for now: pending ones whose time has come, and those a lost worker
    left `sending` (given back first)."""
    lost = select(WebhookDelivery.id).where(
        WebhookDelivery.state == DeliveryState.SENDING,
        WebhookDelivery.next_attempt_at <= now - LOST_AFTER,
    )
    lost_ids = list(db.session.scalars(lost))
    if lost_ids:  # written only then: the sweep runs every minute and should not take SQLite's lock
        db.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id.in_(lost_ids))
            .values(state=DeliveryState.PENDING)
            .execution_options(synchronize_session=False)
        )
    query = select(WebhookDelivery.id).where(
        WebhookDelivery.state == DeliveryState.PENDING, WebhookDelivery.next_attempt_at <= now
    )
    return list(db.session.scalars(query.order_by(WebhookDelivery.next_attempt_at).limit(500)))


def forget_old(*, now: datetime, days: int) -> int:
    """Delete finished deliveries (and their log) older than `days`: their bodies hold masked
    text, which need not outlive the log's purpose."""
    finished = or_(
        WebhookDelivery.state == DeliveryState.DELIVERED,
        WebhookDelivery.state == DeliveryState.FAILED,
    )
    old = select(WebhookDelivery.id).where(
        finished, WebhookDelivery.created_at < now - timedelta(days=days)
    )
    ids = list(db.session.scalars(old))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        db.session.execute(delete(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(chunk)))
        db.session.execute(delete(WebhookDelivery).where(WebhookDelivery.id.in_(chunk)))
    return len(ids)
