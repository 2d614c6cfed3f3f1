"""Signing in and out of the desk."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from campaign import accounts, two_factor
from campaign.admin.blueprint import OPEN_ENDPOINTS, bp, change
from campaign.admin.forms import ActionForm, CodeForm, LoginForm
from campaign.extensions import csrf, db, limiter, request_client_key
from campaign.i18n import _
from campaign.models import Moderator, utcnow

OPEN_ENDPOINTS.add("admin.login_code")


def _safe_next(target: str | None) -> str:
    """Only same-site paths under /admin; anything else goes to the inbox."""
    if (
        target
        and target.startswith("/admin")
        and not urlsplit(target).netloc
        and "//" not in target
    ):
        return target
    return url_for("admin.inbox")


DEVICE_COOKIE = "desk_device"
PENDING = "two_factor_pending"  # an account whose password was right, waiting for its code


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="desk-device")


def _device() -> accounts.Device | None:
    """What this browser's signed device cookie says (None if absent, forged or expired)."""
    raw = request.cookies.get(DEVICE_COOKIE)
    try:
        moderator_id, version, nonce = _devices().loads(
            raw, max_age=current_app.config["TRUSTED_DEVICE_DAYS"] * 86400
        )
        return accounts.Device(int(moderator_id), int(version), str(nonce))
    except (BadSignature, ValueError, TypeError):
        return None


def _signed_in(moderator, target: str | None, *, second_factor: bool):
    """Start the desk session: a fresh cookie session, a server-side session record (the
    sign-in in the audit trail), and this device remembered for the account."""
    with change():
        token = accounts.open_session(moderator, now=utcnow())
    session.clear()  # a fresh session on sign-in: nothing carried over from before
    login_user(moderator)
    session["desk"], session["seen"], session["second_factor"] = token, time.time(), second_factor
    device = _device()
    nonce = (
        device.nonce
        if device and device.moderator_id == moderator.id
        else secrets.token_urlsafe(12)
    )
    response = redirect(_safe_next(target), 303)
    response.set_cookie(
        DEVICE_COOKIE,
        _devices().dumps([moderator.id, moderator.session_version, nonce]),
        max_age=current_app.config["TRUSTED_DEVICE_DAYS"] * 86400,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/admin",
    )
    return response


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # LoginForm checks its own token, so an expired page says so beside the form.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.inbox"))
    form = LoginForm(next=request.args.get("next"))
    error = None
    if form.validate_on_submit():
        with change() as done:  # a refused sign-in is kept in the audit trail
            moderator = accounts.authenticate(
                form.email.data,
                form.password.data,
                client=request_client_key(),
                throttle=current_app.extensions["login_throttle"],
                device=_device(),
            )
        if not done.ok:
            error = done.refused.message
        else:
            if moderator.two_factor:
                session[PENDING] = {
                    "id": moderator.id,
                    "version": moderator.session_version,
                    "at": time.time(),
                    "next": form.next.data,
                }
                return redirect(url_for("admin.login_code"), 303)
            return _signed_in(moderator, form.next.data, second_factor=False)
    return render_template(
        "admin/login.html", form=form, error=error
    ), 200 if error is None else 401


@bp.route("/login/code", methods=["GET", "POST"])
@csrf.exempt  # CodeForm checks its own token.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def login_code():
    """The second step: a code from the authenticator app, or a recovery code."""
    pending = session.get(PENDING) or {}
    moderator = (
        db.session.get(Moderator, pending.get("id", 0))
        if time.time() - pending.get("at", 0) < 300
        else None
    )
    if (
        moderator is None
        or not moderator.active
        or moderator.session_version != pending.get("version")
    ):
        session.pop(PENDING, None)
        flash(_("로그인을 처음부터 다시 해 주세요."), "info")
        return redirect(url_for("admin.login"))
    form, error = CodeForm(), None
    if form.validate_on_submit():
        with change() as done:  # a refused code is kept in the audit trail
            two_factor.sign_in_code(
                moderator,
                form.code.data,
                throttle=current_app.extensions["login_throttle"],
                limit=current_app.config["LOGIN_FAILURE_LIMIT"],
                window=current_app.config["LOGIN_LOCK_SECONDS"],
            )
        if done.ok:
            session.pop(PENDING, None)
            return _signed_in(moderator, pending.get("next"), second_factor=True)
        error = done.refused.message
    return render_template(
        "admin/login_code.html", form=form, error=error
    ), 200 if error is None else 401


@bp.post("/logout")
def logout():
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            with change():
                accounts.sign_out(
                    current_user._get_current_object(), session.get("desk"), now=utcnow()
                )
        logout_user()
        session.clear()
        flash(_("로그아웃했어요."), "info")
    return redirect(url_for("admin.login"), 303)


@bp.post("/ping")
def ping():
    """Keeps an active session alive when the idle warning's 'continue' button is pressed."""
    if not ActionForm().validate_on_submit():
        return {"ok": False}, 400
    return {"ok": True, "idle_minutes": current_app.config["IDLE_TIMEOUT_MINUTES"]}
