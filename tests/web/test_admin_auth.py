"""Signing in and out, throttling, idle timeout, and the headers every desk page carries."""

from __future__ import annotations

import re
import time

import pyotp

from campaign import accounts
from campaign.extensions import db
from tests.dom import page as parsed
from tests.factories import PASSWORD, make_moderator
from tests.web.helpers import csrf_token


def login(client, email, password, **extra):
    data = {
        "email": email,
        "password": password,
        "csrf_token": csrf_token(client, "/admin/login"),
        **extra,
    }
    return client.post("/admin/login", data=data)


def test_signing_in_lands_on_the_inbox_and_signing_out_needs_a_post(client, app):
    moderator = make_moderator()
    response = login(client, moderator.email, PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/admin/moments")
    assert client.get("/admin/moments").status_code == 200
    assert client.get("/admin/logout").status_code == 405
    assert (
        client.post(
            "/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")}
        ).status_code
        == 303
    )
    assert client.get("/admin/moments").status_code == 302


def test_a_wrong_password_gets_a_kind_korean_message_and_keeps_the_email(client, app):
    moderator = make_moderator()
    response = login(client, moderator.email, "not it at all")
    form = parsed(response)
    assert response.status_code == 401
    refusal = form.one("main form [role=alert][data-error-summary]").text
    assert "이메일이나 비밀번호가 맞지 않아요" in refusal
    assert form.by_label("이메일", exact=True)["value"] == moderator.email
    assert form.one("title").text.startswith("오류: ")


def test_sign_in_without_a_csrf_token_is_refused(client, app):
    moderator = make_moderator()
    response = client.post("/admin/login", data={"email": moderator.email, "password": PASSWORD})
    errors = parsed(response).one("main form").texts(".field-error")
    assert response.status_code == 200 and any("보안 확인" in e for e in errors)
    assert client.get("/admin/moments").status_code == 302


def test_repeated_failures_slow_the_account_but_never_keep_its_owner_out(app):
    moderator = make_moderator()
    owner = app.test_client()
    assert login(owner, moderator.email, PASSWORD).status_code == 303  # this browser is now known
    owner.post("/admin/logout", data={"csrf_token": csrf_token(owner, "/admin/moments")})
    stranger = app.test_client()
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"] + 1):
        login(stranger, moderator.email, "wrong password here")
    response = login(stranger, moderator.email, PASSWORD)
    refusal = parsed(response).one("main form [role=alert][data-error-summary]").text
    assert response.status_code == 401 and "뒤에 다시 시도해 주세요" in refusal
    assert login(owner, moderator.email, PASSWORD).status_code == 303


def test_sign_ins_failures_and_throttles_are_in_the_audit_trail_without_the_typed_address(
    client, app
):
    from campaign.models import AuditEvent

    moderator = make_moderator()
    login(client, "nobody-here@example.com", "wrong password here")
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        login(client, moderator.email, "wrong password here")
    login(client, moderator.email, PASSWORD)  # throttled now
    events = [
        (e.action, e.target_id)
        for e in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action.like("sign_in%")).order_by(AuditEvent.id)
        )
    ]
    assert events[0] == ("sign_in_failed", "unknown")
    assert events[1:] == [("sign_in_failed", str(moderator.id))] * app.config[
        "LOGIN_FAILURE_LIMIT"
    ] + [("sign_in_throttled", str(moderator.id))]
    rows = db.session.scalars(db.select(AuditEvent)).all()
    assert all("nobody-here" not in repr((e.target_id, e.data, e.reason)) for e in rows)


def test_a_sign_in_and_out_are_recorded_with_the_person(client, app):
    from campaign.models import AuditEvent

    moderator = make_moderator()
    login(client, moderator.email, PASSWORD)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})
    events = [
        (e.action, e.actor_id)
        for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
        if e.action.startswith("sign")
    ]
    assert events == [("sign_in", moderator.id), ("sign_out", moderator.id)]


def test_sign_in_attempts_are_rate_limited_per_client(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        token = csrf_token(client, "/admin/login")
        statuses = [
            client.post(
                "/admin/login", data={"email": "a@b.c", "password": "x", "csrf_token": token}
            ).status_code
            for _ in range(4)
        ]
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
    signed_out = parsed(client.get(response.headers["Location"]))
    assert "30분 동안 사용하지 않아서" in signed_out.one(".flashes").text
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
    token = csrf_token(client, "/admin/settings/two-factor")
    response = client.post(
        "/admin/settings",
        data={
            "which": "password",
            "csrf_token": token,
            "current": PASSWORD,
            "new": "qwertyuiop1234",
        },
    )
    assert "너무 흔한 비밀번호" in parsed(response).one("#pw-new-error").text
    response = client.post(
        "/admin/settings",
        data={
            "which": "password",
            "csrf_token": token,
            "current": PASSWORD,
            "new": "river stones in november",
        },
    )
    assert response.status_code == 303
    assert client.get("/admin/moments").status_code == 302  # the old session ended
    assert login(client, moderator.email, "river stones in november").status_code == 303


def test_shortcuts_can_be_switched_off(client, app, sign_in):
    sign_in(client)
    assert parsed(client.get("/admin/moments")).one("body")["data-shortcuts"] == "on"
    client.post(
        "/admin/settings",
        data={"which": "shortcuts", "csrf_token": csrf_token(client, "/admin/settings/two-factor")},
    )
    assert parsed(client.get("/admin/moments")).one("body")["data-shortcuts"] == "off"


def copied_cookie(client, app):
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def is_dead(app, cookie: str) -> bool:
    """A copy of a desk cookie, sent from another browser, no longer opens the desk."""
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    response = thief.get("/admin/moments")
    return response.status_code == 302 and "/admin/login" in response.headers["Location"]


def test_a_session_cookie_copied_before_logout_is_worthless_after_it(app):
    moderator = make_moderator()
    client = app.test_client()
    login(client, moderator.email, PASSWORD)
    stolen = copied_cookie(client, app)
    client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})
    assert is_dead(app, stolen)


def test_a_session_ends_after_its_absolute_lifetime_however_active(make_app):
    from datetime import timedelta

    from campaign.models import DeskSession

    app = make_app(SESSION_LIFETIME_HOURS=12)
    with app.app_context():
        moderator = make_moderator()
        client = app.test_client()
        login(client, moderator.email, PASSWORD)
        assert client.get("/admin/moments").status_code == 200
        record = db.session.scalar(db.select(DeskSession))
        record.created_at -= timedelta(hours=12, minutes=1)
        db.session.commit()
        assert client.get("/admin/moments").status_code == 302


def test_a_role_change_ends_the_sessions_opened_under_the_old_role(app, sign_in):
    from campaign.models import Role

    moderator = make_moderator()
    client = app.test_client()
    login(client, moderator.email, PASSWORD)
    admin = make_moderator("admin")
    accounts.set_role(moderator, Role.ADMIN, by=admin)
    db.session.commit()
    assert client.get("/admin/moments").status_code == 302


def new_secret(page) -> str:
    """The key the enrolment page offers to type in by hand."""
    code = page.one("code[data-secret]")
    assert code["translate"] == "no"
    return re.fullmatch(r"[A-Z2-7]+", code.text).group(0)


def enrol(client, app, moderator):
    """Walk the enrolment page as a person with an authenticator app would."""
    page = parsed(client.get("/admin/settings/two-factor"))
    assert page.one("figure[data-qr]").has("svg")
    secret = new_secret(page)
    wrong = client.post(
        "/admin/settings/two-factor",
        data={"code": "000000", "csrf_token": csrf_token(client, "/admin/settings/two-factor")},
    )
    assert "맞지 않아요" in parsed(wrong).one("#code-error").text
    done = client.post(
        "/admin/settings/two-factor",
        data={
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": csrf_token(client, "/admin/settings/two-factor"),
        },
    )
    codes = parsed(done).texts("ol[data-recovery-codes] > li > code")
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-F]{5}-[0-9A-F]{5}", c) for c in codes)
    return secret, codes


def enrolled(role="admin"):
    """An account whose second factor is already set up."""
    person = make_moderator(role)
    person.totp_secret = pyotp.random_base32()
    db.session.commit()
    return person


def enter_code(client, code: str):
    return client.post(
        "/admin/login/code",
        data={"code": code, "csrf_token": csrf_token(client, "/admin/login/code")},
    )


def test_an_admin_must_enrol_a_second_factor_and_then_signs_in_with_it(make_app):
    from campaign.models import AuditEvent

    app = make_app(TWO_FACTOR_ROLES="admin")
    with app.app_context():
        admin = make_moderator("admin")
        client = app.test_client()
        login(client, admin.email, PASSWORD)
        response = client.get("/admin/moments")
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/admin/settings/two-factor"
        )
        secret, codes = enrol(client, app, admin)
        assert client.get("/admin/moments").status_code == 200
        client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})

        response = login(client, admin.email, PASSWORD)
        assert response.headers["Location"].endswith("/admin/login/code")
        assert client.get("/admin/moments").status_code == 302  # not signed in until the code
        assert enter_code(client, "123456").status_code == 401
        assert enter_code(client, pyotp.TOTP(secret).now()).status_code == 303
        assert client.get("/admin/moments").status_code == 200
        client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})

        login(client, admin.email, PASSWORD)
        assert enter_code(client, codes[0]).status_code == 303
        client.post("/admin/logout", data={"csrf_token": csrf_token(client, "/admin/moments")})
        login(client, admin.email, PASSWORD)
        assert enter_code(client, codes[0]).status_code == 401  # a recovery code works once
        actions = [
            a
            for a in db.session.scalars(db.select(AuditEvent.action))
            if a.startswith("two_factor")
        ]
        assert actions.count("two_factor_enrol") == 1 and actions.count("two_factor_ok") == 1
        assert actions.count("two_factor_recovery") == 1 and actions.count("two_factor_failed") >= 3


def test_an_admin_resets_a_lost_second_factor(make_app):
    app = make_app(TWO_FACTOR_ROLES="admin")
    with app.app_context():
        person = make_moderator()
        person_client = app.test_client()
        login(person_client, person.email, PASSWORD)
        enrol(person_client, app, person)
        admin = enrolled()
        admin_client = app.test_client()
        login(admin_client, admin.email, PASSWORD)
        enter_code(admin_client, pyotp.TOTP(admin.totp_secret).now())
        admin_client.post(
            f"/admin/accounts/{person.id}/two-factor/reset",
            data={"csrf_token": csrf_token(admin_client, "/admin/accounts")},
        )
        db.session.refresh(person)
        assert not person.two_factor and person.recovery_hashes == []
        assert person_client.get("/admin/moments").status_code == 302  # their sessions ended too


def test_a_session_that_began_with_a_password_alone_ends_when_the_account_gets_a_second_factor(
    make_app,
):
    app = make_app(TWO_FACTOR_ROLES="admin")
    with app.app_context():
        admin = make_moderator("admin")
        attacker, owner = app.test_client(), app.test_client()
        login(attacker, admin.email, PASSWORD)  # held at enrolment, with a password alone
        login(owner, admin.email, PASSWORD)
        enrol(owner, app, admin)
        response = attacker.get("/admin/moments")
        assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
        assert owner.get("/admin/moments").status_code == 200


def test_a_one_time_code_works_once(make_app):
    app = make_app(TWO_FACTOR_ROLES="admin")
    with app.app_context():
        admin = enrolled()
        code = pyotp.TOTP(admin.totp_secret).now()
        first, second = app.test_client(), app.test_client()
        for client in (first, second):
            login(client, admin.email, PASSWORD)
        assert enter_code(first, code).status_code == 303
        assert enter_code(second, code).status_code == 401


def test_replacing_a_second_factor_needs_a_code_from_the_current_one(make_app):
    app = make_app(TWO_FACTOR_ROLES="")
    with app.app_context():
        person = make_moderator()
        client = app.test_client()
        login(client, person.email, PASSWORD)
        old_secret, _ = enrol(client, app, person)
        offered = new_secret(parsed(client.get("/admin/settings/two-factor")))
        token = csrf_token(client, "/admin/settings/two-factor")
        refused = client.post(
            "/admin/settings/two-factor",
            data={"code": pyotp.TOTP(offered).now(), "current": "000000", "csrf_token": token},
        )
        errors = parsed(refused).one("main form").texts(".field-error")
        assert any("지금 쓰는 인증 앱의 숫자가 맞지 않아요" in e for e in errors)
        db.session.refresh(person)
        assert person.totp_secret == old_secret


def test_an_idle_sign_out_ends_the_server_side_session_too(make_app):
    app = make_app(IDLE_TIMEOUT_MINUTES=30)
    with app.app_context():
        moderator = make_moderator()
        client = app.test_client()
        login(client, moderator.email, PASSWORD)
        stolen = copied_cookie(client, app)
        with client.session_transaction() as s:
            s["seen"] -= 31 * 60
        assert client.get("/admin/moments").status_code == 302  # idle: signed out
        assert is_dead(app, stolen)


def test_a_password_change_voids_a_sign_in_waiting_for_its_code(make_app):
    app = make_app(TWO_FACTOR_ROLES="admin")
    with app.app_context():
        admin = enrolled()
        client = app.test_client()
        login(client, admin.email, PASSWORD)
        accounts.set_password(admin, "another long passphrase here", by=admin)
        db.session.commit()
        response = client.post(
            "/admin/login/code",
            data={
                "code": pyotp.TOTP(admin.totp_secret).now(),
                "csrf_token": csrf_token(client, "/admin/login"),
            },
        )
        assert response.status_code == 302 and response.headers["Location"].endswith("/admin/login")
