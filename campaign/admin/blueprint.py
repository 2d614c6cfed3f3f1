"""The desk's blueprint: signed-in access, the idle timeout and role checks for every view."""

from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from campaign.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")

# Endpoints of this blueprint reachable without signing in.
OPEN_ENDPOINTS = {"admin.login"}


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


@bp.before_request
def signed_in_and_not_idle():
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    now = time.time()
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = session.get("seen", now)
    if now - last_seen > idle_limit:
        logout_user()
        session.pop("seen", None)
        flash(f"{current_app.config['IDLE_TIMEOUT_MINUTES']}분 동안 사용하지 않아서 안전을 위해 로그아웃했어요. 다시 로그인해 주세요.", "info")
        return redirect(url_for("admin.login", next=request.full_path if request.method == "GET" else None))
    session["seen"] = now
    return None

