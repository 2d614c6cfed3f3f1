"""The desk's blueprint: signed-in access, the idle timeout and role checks for every view."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from campaign import accounts, two_factor
from campaign.extensions import db
from campaign.models import Role, utcnow

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Endpoints of this blueprint reachable without signing in.
OPEN_ENDPOINTS = {"admin.login"}
# Reachable by an account that must still enrol a second factor.
ENROLMENT_ENDPOINTS = {"admin.two_factor_setup", "admin.logout", "admin.ping"}


def requires(role: Role):
    """Allow the view only to moderators holding `role` (or a higher one)."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorate


@bp.context_processor
def desk_user():
    return {"current_user": current_user}


def _end_session(message: str, next: str | None = None):
    """Sign this browser out, ending its server-side session too (a copy of the cookie dies with it)."""
    accounts.close_session(session.get("desk"), now=utcnow())
    db.session.commit()
    logout_user()
    session.clear()
    flash(message, "info")
    return redirect(url_for("admin.login", next=next))


@bp.before_request
def signed_in_and_not_idle():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    if not accounts.session_alive(session.get("desk"), current_user, now=utcnow(), lifetime=lifetime):
        # Signed out elsewhere, password or role changed, or past the absolute lifetime: a copy
        # of this cookie is worth nothing now.
        return _end_session("보안을 위해 다시 로그인해 주세요.")
    if current_user.two_factor and not session.get("second_factor"):
        # This session began with a password alone; the account now has a second factor.
        return _end_session("보안을 위해 다시 로그인해 주세요. 이번에는 인증 앱의 숫자도 함께 넣어요.")
    if (two_factor.required(current_user) and not current_user.two_factor
            and request.endpoint not in ENROLMENT_ENDPOINTS):
        return redirect(url_for("admin.two_factor_setup"))
    now = time.time()
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = session.get("seen", now)
    if now - last_seen > idle_limit:
        return _end_session(f"{current_app.config['IDLE_TIMEOUT_MINUTES']}분 동안 사용하지 않아서 안전을 위해 로그아웃했어요. "
                            "다시 로그인해 주세요.", next=request.full_path if request.method == "GET" else None)
    session["seen"] = now
    return None



def act(form, apply, *, refusals: tuple[type[Exception], ...], back: str, success: str | None = None):
    """The shape of every desk action: validate the form, apply one domain change, commit, and
    go back (303) with a message. `apply` may return where to go instead of `back`. A refusal
    (one of `refusals`, whose message is Korean) is rolled back and said; nothing is lost."""
    from campaign.extensions import db

    if not form.validate_on_submit():
        flash(" ".join(m for _, m in form.error_list) or "다시 시도해 주세요.", "error")
        return redirect(back, 303)
    try:
        destination = apply()
    except refusals as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(back, 303)
    db.session.commit()
    if success:
        flash(success, "info")
    return redirect(destination or back, 303)


def saved(apply, *, refusals: tuple[type[Exception], ...], field, success: str, to):
    """For pages with a form: apply the change; a refusal is rolled back and its Korean message
    put beside `field`, and None is returned so the page shows again with everything typed.
    Otherwise commit, say `success` and redirect (303) to `to(result)`."""
    from campaign.extensions import db

    try:
        result = apply()
    except refusals as refused:
        db.session.rollback()
        field.errors.append(str(refused))
        return None
    db.session.commit()
    flash(success, "info")
    return redirect(to(result), 303)
