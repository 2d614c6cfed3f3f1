"""Telling other tools: an admin keeps webhook endpoints at the desk; urgent moments and
published fixes reach a local receiver signed with the endpoint's secret, masked text only; a
failing endpoint is tried again on its back-off with a frozen clock, then failed, every attempt
in the delivery log; addresses are checked in Korean with everything typed kept; nobody but an
admin manages them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from campaign import fixes, outbound, tasks, webhooks
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.models import (
    AuditEvent,
    Cluster,
    DeliveryState,
    Moderator,
    Moment,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    utcnow,
)
from tests.dom import parse
from tests.factories import make_campaign, make_moderator, make_moment
from tests.receivers import Receiver, free_port, verified
from tests.web.helpers import csrf_token, post_moment

T0 = datetime(2026, 12, 1, 1, 0, 0)  # naive UTC: 10:00 in Korea


def at(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat()


def add_endpoint(url, events, fmt="json"):
    admin = make_moderator("admin")
    endpoint, secret = webhooks.create_endpoint(
        url=url, events=events, format=fmt, by=admin, now=utcnow()
    )
    db.session.commit()
    return endpoint, secret


def form_for(client, **fields):
    data = {"csrf_token": csrf_token(client, "/admin/webhooks"), **fields}
    return client.post("/admin/webhooks", data=data)


def test_an_admin_adds_an_endpoint_sees_its_secret_once_and_a_test_event_arrives_signed(
    client, sign_in, receiver
):
    sign_in(client, "admin")
    page = parse(
        form_for(
            client, url=receiver.url(), events=["urgent_moment", "fix_published"], format="json"
        ).get_data(as_text=True)
    )
    secret = page.one("#new-secret").attrs["value"]
    assert secret.startswith("whsec_") and len(secret) > 40
    assert secret not in client.get("/admin/webhooks").get_data(as_text=True)
    [endpoint] = db.session.scalars(select(WebhookEndpoint)).all()
    assert endpoint.events == ["urgent_moment", "fix_published"]

    response = client.post(
        f"/admin/webhooks/{endpoint.id}/test",
        data={"csrf_token": csrf_token(client, "/admin/webhooks")},
    )
    assert response.status_code == 303
    [got] = receiver.requests
    body = verified(got, secret)
    [delivery] = db.session.scalars(select(WebhookDelivery)).all()
    assert got.headers["X-Campaign-Event"] == "test" == body["type"]
    assert got.headers["X-Campaign-Delivery"] == delivery.id
    assert got.headers["Content-Type"].startswith("application/json")
    assert body["id"] == delivery.event_id and body["occurred_at"].endswith("Z")

    log = parse(client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True))
    section = log.one("[data-delivery]")
    assert section.attrs["data-delivery"] == "delivered" and "전달됨" in section.text
    [row] = section.all("[data-attempt]")
    assert "HTTP 200" in row.text and "ms" in row.text
    actions = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert {AuditAction.WEBHOOK_CREATE, AuditAction.WEBHOOK_TEST} <= actions


def test_an_urgent_moment_reaches_the_endpoint_masked_and_without_its_receipt(
    app, client, receiver
):
    campaign = make_campaign()
    _, secret = add_endpoint(receiver.url(), ["urgent_moment", "fix_published"])
    body = "보이스피싱 문자를 받고 010-2345-6789 번호로 전화했다가 돈을 보냈어요."
    assert post_moment(client, f"/c/{campaign.slug}/submit", body=body).status_code == 303
    db.session.expire_all()
    moment = db.session.scalars(select(Moment)).one()
    assert moment.urgent and moment.settled
    [got] = receiver.requests
    sent = verified(got, secret)
    assert sent["type"] == "urgent_moment" and got.headers["X-Campaign-Event"] == "urgent_moment"
    assert sent["campaign"] == {"slug": campaign.slug, "title": campaign.title}
    assert sent["data"]["moment"]["text"] == moment.body
    assert "010-2345-6789" not in got.body.decode() and "2345" not in got.body.decode()
    assert moment.receipt_hash not in got.body.decode()
    assert sent["links"]["desk"].endswith(f"/admin/moments/{moment.id}")


def test_a_moment_that_is_not_urgent_is_not_announced(client, receiver):
    campaign = make_campaign()
    add_endpoint(receiver.url(), ["urgent_moment"])
    post_moment(client, f"/c/{campaign.slug}/submit", body="이체 버튼이 잘 안 눌려서 불편했어요.")
    assert receiver.requests == []


def test_publishing_a_fix_tells_a_slack_endpoint_with_absolute_links(make_app, receiver):
    app = make_app(PUBLIC_URL="https://moments.example.org")
    with app.app_context():
        campaign = make_campaign()
        _, secret = add_endpoint(receiver.url(), ["fix_published"], fmt="slack")
        add_endpoint(receiver.url("/not-listening"), ["urgent_moment"])
        admin = make_moderator("admin")
        cluster = Cluster(campaign_id=campaign.id, name="점검 시간 이체")
        db.session.add(cluster)
        db.session.flush()
        make_moment(campaign, cluster_id=cluster.id)
        fix = fixes.create_fix(
            campaign,
            fixes.FixFields(
                title="점검 시간에도 이체를 예약할 수 있어요",
                summary="밤에도 예약해 두면 점검이 끝나자마자 <보내요> & 알려요",
            ),
            by=admin,
        )
        fixes.link_cluster(fix, cluster, by=admin)
        db.session.commit()
        assert receiver.requests == []  # nothing before the publication commits
        fixes.publish(fix, by=admin, now=utcnow())
        assert receiver.requests == []
        db.session.commit()
        [got] = receiver.requests
        assert got.path == "/hook" and got.headers["X-Campaign-Event"] == "fix_published"
        message = verified(got, secret)
        assert set(message) == {"text", "blocks"}
        assert message["text"] == f"[{campaign.title}] 개선 사례를 공개했어요: {fix.title}"
        section, context = message["blocks"]
        assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
        assert "&lt;보내요&gt; &amp; 알려요" in section["text"]["text"]
        links = context["elements"][0]["text"]
        assert f"<https://moments.example.org/improvements/{fix.slug}|공개 페이지>" in links
        assert f"<https://moments.example.org/admin/fixes/{fix.id}|데스크에서 보기>" in links


def walk_clock(app, moment: datetime) -> None:
    app.config["FROZEN_CLOCK"] = at(moment)


def sweep() -> None:
    tasks.sweep()
    db.session.commit()


def attempts_of(delivery_id):
    db.session.expire_all()
    return db.session.get(WebhookDelivery, delivery_id)


def test_a_failing_endpoint_is_retried_on_its_schedule_then_failed_and_logged(app, client, sign_in):
    walk_clock(app, T0)
    failing = Receiver(statuses=(500,))
    endpoint, _ = add_endpoint(failing.url(), ["spike"])
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    db.session.commit()
    [delivery] = db.session.scalars(select(WebhookDelivery)).all()
    failing.stop()  # from now on the port refuses connections
    assert [a.status_code for a in attempts_of(delivery.id).log] == [500]

    tried_at = [T0]
    for wait in webhooks.BACKOFF:
        due = tried_at[-1] + wait
        walk_clock(app, due - timedelta(seconds=1))
        sweep()
        assert len(attempts_of(delivery.id).log) == len(tried_at)  # not yet
        walk_clock(app, due)
        sweep()
        tried_at.append(due)
        assert len(attempts_of(delivery.id).log) == len(tried_at)

    done = attempts_of(delivery.id)
    assert [a.at for a in done.log] == tried_at
    assert [t - T0 for t in tried_at] == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=6),
        timedelta(minutes=36),
        timedelta(hours=2, minutes=36),
    ]
    assert done.state is DeliveryState.FAILED and done.next_attempt_at is None
    assert [a.error is None for a in done.log] == [True, False, False, False, False]
    assert all("거절" in a.error for a in done.log[1:])
    walk_clock(app, tried_at[-1] + timedelta(days=1))
    sweep()
    assert len(attempts_of(delivery.id).log) == 5

    sign_in(client, "admin")
    log = parse(client.get(f"/admin/webhooks/{endpoint.id}").get_data(as_text=True))
    section = log.one("[data-delivery]")
    assert section.attrs["data-delivery"] == "failed"
    rows = section.all("[data-attempt]")
    assert len(rows) == 5 and "HTTP 500" in rows[0].text and "연결을 거절했어요" in rows[1].text


def test_a_delivery_for_an_endpoint_turned_off_is_not_sent(app, receiver):
    walk_clock(app, T0)
    endpoint, _ = add_endpoint(Receiver(statuses=(500,)).url(), ["spike"])
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    db.session.commit()
    webhooks.set_enabled(endpoint, False, by=make_moderator("admin"))
    db.session.commit()
    walk_clock(app, T0 + timedelta(minutes=1))
    sweep()
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert delivery.state is DeliveryState.FAILED
    assert delivery.log[-1].error == "주소가 꺼져 있어서 보내지 않았어요."
    assert webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow()) == []


def test_a_redirect_is_not_followed_and_a_name_for_a_private_address_is_not_reached(app, receiver):
    bouncing = Receiver(statuses=(302,), redirect_to=receiver.url("/elsewhere"))
    try:
        add_endpoint(bouncing.url(), ["spike"])
        # "vm" is this machine's loopback in /etc/hosts, but not a name saved as local.
        db.session.add(
            WebhookEndpoint(
                url=f"https://vm:{receiver.port}/hook", events=["spike"], secret="s", enabled=True
            )
        )
        db.session.commit()
        webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
        db.session.commit()
    finally:
        bouncing.stop()
    assert len(bouncing.requests) == 1 and receiver.requests == []
    errors = {d.endpoint.url: d.log[0] for d in db.session.scalars(select(WebhookDelivery))}
    assert errors[bouncing.url()].status_code == 302
    assert "따라가지 않아요" in errors[bouncing.url()].error
    assert errors[f"https://vm:{receiver.port}/hook"].error == "내부망 주소라서 보내지 않았어요."


@pytest.mark.parametrize(
    "url, says",
    [
        ("", "보낼 주소를 입력해 주세요."),
        ("http://hooks.example.com/x", "http 주소는 이 컴퓨터(localhost, 127.0.0.1)로 시험할 때만"),
        ("ftp://hooks.example.com/x", "https://로 시작하는 전체 주소를 넣어 주세요."),
        ("hooks.example.com/x", "https://로 시작하는 전체 주소를 넣어 주세요."),
        ("https://10.1.2.3/x", "내부망 주소(사설 IP 등)로는 보낼 수 없어요."),
        ("https://[fe80::1]/x", "내부망 주소(사설 IP 등)로는 보낼 수 없어요."),
        ("https://[64:ff9b::a9fe:a9fe]/x", "내부망 주소(사설 IP 등)로는 보낼 수 없어요."),
        ("https://[2002:a00:1::1]/x", "내부망 주소(사설 IP 등)로는 보낼 수 없어요."),
        ("https://user:pw@hooks.example.com/x", "아이디나 비밀번호를 넣을 수 없어요."),
    ],
)
def test_an_address_that_cannot_be_used_is_refused_in_korean_keeping_what_was_typed(
    client, sign_in, url, says
):
    sign_in(client, "admin")
    response = form_for(client, url=url, events=["spike", "brief"], format="slack")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert says in page.one("#url-error").text
    assert says in page.one(".error-summary").text
    assert page.one("#url").attrs["value"] == url
    checked = [box.attrs["value"] for box in page.all("input[type=checkbox][checked]")]
    assert checked == ["spike", "brief"]
    assert page.one("input[type=radio][checked]").attrs["value"] == "slack"
    assert page.all("#new-secret") == []
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_an_endpoint_needs_at_least_one_event(client, sign_in):
    sign_in(client, "admin")
    page = parse(
        form_for(client, url="https://hooks.example.com/x", format="json").get_data(as_text=True)
    )
    assert "알릴 일을 하나 이상 골라 주세요." in page.one("#events-error").text
    assert page.one("#url").attrs["value"] == "https://hooks.example.com/x"


def test_localhost_and_public_https_addresses_are_accepted():
    assert webhooks.check_url(" https://hooks.example.com/a?b=1#c ", allow_local=False) == (
        "https://hooks.example.com/a?b=1"
    )
    assert webhooks.check_url("http://localhost:8123/x", allow_local=True) == (
        "http://localhost:8123/x"
    )
    assert webhooks.check_url("http://127.0.0.1/x", allow_local=True) == "http://127.0.0.1/x"


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8123/x", "http://127.0.0.1/x", "https://127.0.0.1:9/x", "http://[::1]/x"],
)
def test_where_local_addresses_are_not_allowed_saving_one_is_refused_beside_the_field(
    app, client, sign_in, url
):
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    sign_in(client, "admin")
    page = parse(form_for(client, url=url, events=["spike"], format="json").get_data(as_text=True))
    assert "시험할 때만 쓸 수 있어요" in page.one("#url-error").text
    assert page.one("#url").attrs["value"] == url
    assert db.session.scalars(select(WebhookEndpoint)).all() == []


def test_where_local_addresses_are_not_allowed_http_elsewhere_asks_for_https(app):
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    with pytest.raises(webhooks.WebhookError, match="https://로 시작하는 주소를 넣어 주세요."):
        webhooks.check_url("http://hooks.example.com/x", allow_local=False)


def test_where_local_addresses_are_not_allowed_one_saved_earlier_is_not_sent_to(app, receiver):
    endpoint, _ = add_endpoint(receiver.url(), ["spike"])
    app.config["WEBHOOK_ALLOW_LOCAL"] = False
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    db.session.commit()
    assert receiver.requests == []
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert "시험할 때만 쓸 수 있어서 보내지 않았어요" in delivery.log[0].error


@pytest.mark.parametrize("role", ["moderator", "viewer"])
def test_only_admins_manage_webhooks(client, sign_in, role, receiver):
    endpoint, _ = add_endpoint(receiver.url(), ["spike"])
    sign_in(client, role)
    assert client.get("/admin/webhooks").status_code == 403
    assert client.get(f"/admin/webhooks/{endpoint.id}").status_code == 403
    token = csrf_token(client, "/admin/settings")
    assert (
        client.post(
            "/admin/webhooks", data={"csrf_token": token, "url": "https://x.example/h"}
        ).status_code
        == 403
    )
    for action in ("test", "enabled", "delete"):
        url = f"/admin/webhooks/{endpoint.id}/{action}"
        assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert receiver.requests == []
    assert db.session.get(WebhookEndpoint, endpoint.id).enabled
    nav = parse(client.get("/admin/settings").get_data(as_text=True)).one("nav")
    assert "웹훅" not in nav.text


def test_an_admin_turns_an_endpoint_off_and_deletes_it_each_step_audited(client, sign_in, receiver):
    endpoint, _ = add_endpoint(receiver.url(), ["spike"])
    sign_in(client, "admin")
    token = csrf_token(client, "/admin/webhooks")
    client.post(
        f"/admin/webhooks/{endpoint.id}/enabled", data={"csrf_token": token, "enabled": "off"}
    )
    db.session.expire_all()
    assert not db.session.get(WebhookEndpoint, endpoint.id).enabled
    client.post(f"/admin/webhooks/{endpoint.id}/delete", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id) is None
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.target_type == "webhook_endpoint")
        )
    ]
    assert actions == [
        AuditAction.WEBHOOK_CREATE,
        AuditAction.WEBHOOK_DISABLE,
        AuditAction.WEBHOOK_DELETE,
    ]


def test_turning_an_endpoint_off_from_a_page_left_open_keeps_it_off(client, sign_in, receiver):
    endpoint, _ = add_endpoint(receiver.url(), ["spike"])
    sign_in(client, "admin")
    page = parse(client.get("/admin/webhooks").get_data(as_text=True))
    form = page.one(f'form[action="/admin/webhooks/{endpoint.id}/enabled"]')
    assert form.one("input[name=enabled]").attrs["value"] == "off"
    token = csrf_token(client, "/admin/webhooks")
    url = f"/admin/webhooks/{endpoint.id}/enabled"
    for _ in range(2):  # the second from another tab still showing 끄기
        client.post(url, data={"csrf_token": token, "enabled": "off"})
        db.session.expire_all()
        assert not db.session.get(WebhookEndpoint, endpoint.id).enabled
    page = parse(client.get("/admin/webhooks").get_data(as_text=True))
    form = page.one(f'form[action="/admin/webhooks/{endpoint.id}/enabled"]')
    assert form.one("input[name=enabled]").attrs["value"] == "on"
    client.post(url, data={"csrf_token": token, "enabled": "on"})
    db.session.expire_all()
    assert db.session.get(WebhookEndpoint, endpoint.id).enabled
    assert client.post(url, data={"csrf_token": token}).status_code == 400
    actions = [
        e.action
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.target_type == "webhook_endpoint")
        )
    ]
    assert actions == [
        AuditAction.WEBHOOK_CREATE,
        AuditAction.WEBHOOK_DISABLE,
        AuditAction.WEBHOOK_ENABLE,
    ]


def test_the_audit_trail_keeps_an_endpoints_scheme_and_host_never_its_path_or_query(app):
    url = "https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX?token=tok-12345"
    endpoint, _ = add_endpoint(url, ["spike"])
    admin = make_moderator("admin")
    webhooks.set_enabled(endpoint, False, by=admin)
    webhooks.set_enabled(endpoint, True, by=admin)
    endpoint_id = endpoint.id
    webhooks.delete_endpoint(endpoint, by=admin)
    db.session.commit()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.target_type == "webhook_endpoint")
    ).all()
    assert len(events) == 4
    for event in events:
        kept = json.dumps(event.data, ensure_ascii=False)
        assert "XXXXsecretXXXX" not in kept and "tok-12345" not in kept and "/services" not in kept
        assert event.data["scheme"] == "https" and event.data["host"] == "hooks.slack.com"
        assert event.data["endpoint"] == endpoint_id


def test_an_endpoint_deleted_while_its_delivery_is_being_sent_leaves_nothing_to_record(app):
    walk_clock(app, T0)
    admin_id = make_moderator("admin").id
    receiver = Receiver(statuses=(500, 200))
    deleted = []

    def delete_the_endpoint():  # another admin, while the worker waits for the answer
        with app.app_context():
            endpoint = db.session.scalars(select(WebhookEndpoint)).one()
            webhooks.delete_endpoint(endpoint, by=db.session.get(Moderator, admin_id))
            db.session.commit()
            deleted.append(endpoint.id)

    try:
        add_endpoint(receiver.url(), ["spike"])
        webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
        db.session.commit()  # the first attempt: HTTP 500, due again in a minute
        delivery_id = db.session.scalars(select(WebhookDelivery.id)).one()
        receiver.while_answering = delete_the_endpoint
        walk_clock(app, T0 + timedelta(minutes=1))
        tasks.deliver_webhook(delivery_id)  # the worker's job itself: it must not raise
        db.session.commit()
    finally:
        receiver.stop()
    assert len(receiver.requests) == 2 and deleted
    assert db.session.scalars(select(WebhookDelivery)).all() == []
    assert db.session.scalars(select(WebhookAttempt)).all() == []


def test_an_attempt_is_recorded_only_for_a_delivery_still_being_sent(app, receiver):
    walk_clock(app, T0)
    add_endpoint(receiver.url(), ["spike"])
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    db.session.commit()
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    assert delivery.state is DeliveryState.DELIVERED and delivery.attempts == 1
    late = outbound.Outcome(None, "늦은 답", 10)
    webhooks.record(delivery, late, now=utcnow())
    webhooks.record(None, late, now=utcnow())
    db.session.commit()
    delivery = attempts_of(delivery.id)
    assert delivery.state is DeliveryState.DELIVERED and delivery.attempts == 1
    assert [a.error for a in delivery.log] == [None]


def test_the_delivery_log_forgets_finished_deliveries_after_its_days(app):
    walk_clock(app, T0)
    port = free_port()  # nothing listens: refused
    add_endpoint(f"http://127.0.0.1:{port}/x", ["spike"])
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    db.session.commit()
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    delivery.state = DeliveryState.FAILED
    db.session.commit()
    walk_clock(app, T0 + timedelta(days=app.config["WEBHOOK_LOG_DAYS"], minutes=1))
    sweep()
    assert db.session.scalars(select(WebhookDelivery)).all() == []


def test_a_delivery_whose_worker_was_lost_mid_send_is_sent_again_by_the_sweep(app, receiver):
    walk_clock(app, T0)
    _, secret = add_endpoint(receiver.url(), ["spike"])
    webhooks.announce("spike", webhooks.Announcement(headline="급증"), now=utcnow())
    delivery = db.session.scalars(select(WebhookDelivery)).one()
    delivery.state = DeliveryState.SENDING  # claimed, then the worker died before its answer
    db.session.commit()
    assert receiver.requests == []
    walk_clock(app, T0 + webhooks.LOST_AFTER - timedelta(seconds=1))
    sweep()
    assert receiver.requests == []
    walk_clock(app, T0 + webhooks.LOST_AFTER)
    sweep()
    [got] = receiver.requests
    assert verified(got, secret)["type"] == "spike"
    assert attempts_of(delivery.id).state is DeliveryState.DELIVERED
