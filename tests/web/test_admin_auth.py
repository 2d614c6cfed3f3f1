"""Signing in and out, throttling, idle timeout, and the headers every desk page carries."""

from __future__ import annotations

import time

from campaign.extensions import db
from tests.factories import PASSWORD, make_moderator
from tests.web.helpers import csrf_token


def login(client, email, password, **extra):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client, "/admin/login"), **extra}
    return client.post("/admin/login", data=data)


def test_signing_in_lands_on_the_inbox_and_signing_out_needs_a_post(client, app):
    moderator = make_moderator()
    response = login(client, moderator.email, PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/moments")
    assert client.get("/admin/moments").status_code == 200
    assert client.get("/admin/logout").status_code == 405
    assert client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")}).status_code == 303
    assert client.get("/admin/moments").status_code == 302


def test_a_wrong_password_gets_a_kind_korean_message_and_keeps_the_email(client, app):
    moderator = make_moderator()
    response = login(client, moderator.email, "not it at all")
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "이메일이나 비밀번호가 맞지 않아요" in html and f'value="{moderator.email}"' in html
    assert "<title>오류: " in html


def test_sign_in_without_a_csrf_token_is_refused(client, app):
    moderator = make_moderator()
    response = client.post("/admin/login", data={"email": moderator.email, "password": PASSWORD})
    assert response.status_code == 200 and "보안 확인" in response.get_data(as_text=True)
    assert client.get("/admin/moments").status_code == 302


def test_repeated_failures_lock_the_account(client, app):
    moderator = make_moderator()
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        login(client, moderator.email, "wrong password here")
    response = login(client, moderator.email, PASSWORD)
    assert response.status_code == 401 and "15분 뒤에" in response.get_data(as_text=True)


def test_sign_ins_failures_and_throttles_are_in_the_audit_trail_without_the_typed_address(client, app):
    from campaign.models import AuditEvent

    moderator = make_moderator()
    login(client, "nobody-here@example.com", "wrong password here")
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        login(client, moderator.email, "wrong password here")
    login(client, moderator.email, PASSWORD)  # throttled now
    events = [(e.action, e.target_id) for e in db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action.like("sign_in%")).order_by(AuditEvent.id))]
    assert events[0] == ("sign_in_failed", "unknown")
    assert events[1:] == [("sign_in_failed", str(moderator.id))] * app.config["LOGIN_FAILURE_LIMIT"] + [
        ("sign_in_throttled", str(moderator.id))]
    rows = db.session.scalars(db.select(AuditEvent)).all()
    assert all("nobody-here" not in repr((e.target_id, e.data, e.reason)) for e in rows)


def test_a_sign_in_and_out_are_recorded_with_the_person(client, app):
    from campaign.models import AuditEvent

    moderator = make_moderator()
    login(client, moderator.email, PASSWORD)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})
    events = [(e.action, e.actor_id) for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
              if e.action.startswith("sign")]
    assert events == [("sign_in", moderator.id), ("sign_out", moderator.id)]


def test_sign_in_attempts_are_rate_limited_per_client(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client, "/admin/login")
        statuses = [client.post("/admin/login", data={"email": "a@b.c", "password": "x", "csrf_token": token}).status_code
                    for _ in range(4)]
        assert statuses[-1] == 429


def test_after_sign_in_only_a_path_on_this_desk_is_followed(client, app):
    moderator = make_moderator()
    response = login(client, moderator.email, PASSWORD, next="https://evil.example/admin")
    assert response.headers["Location"].endswith("/admin/moments")
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})
    response = login(client, moderator.email, PASSWORD, next="/admin/tags")
    assert response.headers["Location"].endswith("/admin/tags")


def test_an_idle_session_ends_after_thirty_minutes(client, app, sign_in):
    sign_in(client)
    with client.session_transaction() as session:
        session["seen"] = time.time() - 31 * 60
    response = client.get("/admin/tags")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    assert "30분 동안 사용하지 않아서" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/admin/tags").status_code == 302


def test_the_keep_alive_ping_needs_csrf(client, app, sign_in):
    sign_in(client)
    assert client.post("/admin/ping").status_code == 400
    response = client.post("/admin/ping", data={"csrf_token": csrf_token(client, "/admin/moments")})
    assert response.status_code == 200 and response.json["ok"] is True


def test_desk_pages_are_never_cached_and_carry_a_strict_csp(client, app, sign_in):
    sign_in(client)
    response = client.get("/admin/moments")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_a_password_change_signs_out_and_the_new_one_works(client, app, sign_in):
    moderator = sign_in(client)
    token = csrf_token(client, "/admin/settings")
    response = client.post("/admin/settings", data={"which": "password", "csrf_token": token,
                                                    "current": PASSWORD, "new": "qwertyuiop1234"})
    assert "너무 흔한 비밀번호" in response.get_data(as_text=True)
    response = client.post("/admin/settings", data={"which": "password", "csrf_token": token,
                                                    "current": PASSWORD, "new": "river stones in november"})
    assert response.status_code == 303
    assert client.get("/admin/moments").status_code == 302  # the old session ended
    assert login(client, moderator.email, "river stones in november").status_code == 303


def test_shortcuts_can_be_switched_off(client, app, sign_in):
    sign_in(client)
    assert 'data-shortcuts="on"' in client.get("/admin/moments").get_data(as_text=True)
    client.post("/admin/settings", data={"which": "shortcuts", "csrf_token": csrf_token(client, "/admin/settings")})
    assert 'data-shortcuts="off"' in client.get("/admin/moments").get_data(as_text=True)
