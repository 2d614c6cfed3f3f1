"""Signing in and out of the desk."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from campaign import accounts, audit
from campaign.admin.blueprint import bp
from campaign.admin.forms import ActionForm, LoginForm
from campaign.extensions import csrf, db, limiter
from campaign.privacy import request_client_key


def _safe_next(target: str | None) -> str:
    """Only same-site paths under /admin; anything else goes to the inbox."""
    if target and target.startswith("/admin") and not urlsplit(target).netloc and "//" not in target:
        return target
    return url_for("admin.inbox")


@bp.route("/login", methods=["GET", "POST"])
@csrf.exempt  # LoginForm checks its own token, so an expired page says so beside the form.
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT"], methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("admin.inbox"))
    form = LoginForm(next=request.args.get("next"))
    error = None
    if form.validate_on_submit():
        try:
            moderator = accounts.authenticate(
                form.email.data, form.password.data, client=request_client_key(),
                throttle=current_app.extensions["login_throttle"],
            )
        except accounts.SignInRefused as refused:
            db.session.commit()  # the failure is in the audit trail
            error = refused.message
        else:
            db.session.commit()
            session.clear()  # a fresh session on sign-in: nothing carried over from before
            login_user(moderator)
            session["seen"] = time.time()
            return redirect(_safe_next(form.next.data), 303)
    return render_template("admin/login.html", form=form, error=error), 200 if error is None else 401


@bp.post("/logout")
def logout():
    if ActionForm().validate_on_submit():
        if current_user.is_authenticated:
            audit.record(current_user, "sign_out", current_user._get_current_object())
            db.session.commit()
        logout_user()
        session.clear()
        flash("로그아웃했어요.", "info")
    return redirect(url_for("admin.login"), 303)


@bp.post("/ping")
def ping():
    """Keeps an active session alive when the idle warning's 'continue' button is pressed."""
    if not ActionForm().validate_on_submit():
        return {"ok": False}, 400
    return {"ok": True, "idle_minutes": current_app.config["IDLE_TIMEOUT_MINUTES"]}

