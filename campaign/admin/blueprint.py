"""The desk's blueprint: signed-in access, the idle timeout and role checks for every view."""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps
from typing import Self

from flask import Blueprint, abort, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from campaign import accounts, two_factor
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import Role, utcnow
from campaign.moderation import Done
from campaign.refusals import Refusal

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

        return wrapped

    return decorate


@bp.context_processor
def desk_user():
    return {"current_user": current_user}


def _end_session(message: str, next: str | None = None):
    """Sign this browser out, ending its server-side session too (a copy of the cookie dies
    with it)."""
    with change():
        accounts.close_session(session.get("desk"), now=utcnow())
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
    if not accounts.session_alive(
        session.get("desk"), current_user, now=utcnow(), lifetime=lifetime
    ):
        # Signed out elsewhere, password or role changed, or past the absolute lifetime: a copy
        # of this cookie is worth nothing now.
        return _end_session(_("보안을 위해 다시 로그인해 주세요."))
    if current_user.two_factor and not session.get("second_factor"):
        # This session began with a password alone; the account now has a second factor.
        return _end_session(
            _("보안을 위해 다시 로그인해 주세요. 이번에는 인증 앱의 숫자도 함께 넣어요.")
        )
    if (
        two_factor.required(current_user)
        and not current_user.two_factor
        and request.endpoint not in ENROLMENT_ENDPOINTS
    ):
        return redirect(url_for("admin.two_factor_setup"))
    now = time.time()
    idle_limit = current_app.config["IDLE_TIMEOUT_MINUTES"] * 60
    last_seen = session.get("seen", now)
    if now - last_seen > idle_limit:
        return _end_session(
            _(
                "%(minutes)s분 동안 사용하지 않아서 안전을 위해 로그아웃했어요. "
                "다시 로그인해 주세요.",
                minutes=current_app.config["IDLE_TIMEOUT_MINUTES"],
            ),
            next=request.full_path if request.method == "GET" else None,
        )
    session["seen"] = now
    return None


class change:
    """The desk's one transaction boundary: `with change(form, beside=form.title) as done:` around
    the domain call of a state-changing request.

    Leaving the block normally commits, once. A `Refusal` is caught: rolled back (or committed,
    when the refused attempt was itself `recorded` in the audit trail), kept in `done.refused`,
    and, given a form, put beside the field it names (else beside `beside`), so the page shows
    again with everything typed. Any other error rolls back and propagates."""

    def __init__(self, form=None, *, beside=None):
        self.form, self.beside, self.refused = form, beside, None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if kind is None:
            db.session.commit()
            return False
        if not isinstance(error, Refusal):
            db.session.rollback()
            return False
        if error.recorded:
            db.session.commit()
        else:
            db.session.rollback()
        self.refused = error
        if self.form is not None:
            field = self.form._fields.get(error.field) if error.field else None
            field = field if field is not None else self.beside
            if field is not None:
                field.errors = [*field.errors, error.message]
        return True

    @property
    def ok(self) -> bool:
        return self.refused is None


def _again(form, again, refused: Refusal | None = None):
    """Show the form's page again; a message no field shows (an expired CSRF token, a refusal
    about no field of this form) is said at the top."""
    stray = list(form.csrf_token.errors) if "csrf_token" in form._fields else []
    if refused is not None and not any(refused.message in field.errors for field in form):
        stray.append(refused.message)
    for message in stray:
        flash(message, "error")
    return again()


def act(form, apply, *, back: str, success=None, to=None, again=None, beside=None):
    """The shape of every desk action: validate the form, apply one domain change inside
    `change`, and go back (303) with a message. `success` is that message, or a function of
    what `apply` returned; when `apply` returns an undoable `moderation.Done`, the message
    carries its undo button. `to(result)`, when given, is where to go instead of `back`. A
    refusal is rolled back and said; nothing is lost.

    For a form where a person types words (a note, a reason), `again()` renders its page once
    more instead of going back: the form keeps everything typed, each message beside its field
    (a refusal without a field beside `beside`)."""
    if not form.validate_on_submit():
        if again is not None:
            return _again(form, again)
        flash(" ".join(str(m) for _, m in form.error_list) or _("다시 시도해 주세요."), "error")
        return redirect(back, 303)
    with change(form if again is not None else None, beside=beside) as done:
        result = apply()
    if not done.ok:
        if again is not None:
            return _again(form, again, done.refused)
        flash(done.refused.message, "error")
        return redirect(back, 303)
    message = success(result) if callable(success) else success
    if isinstance(result, Done) and result.batch:
        flash({"text": message, "batch": result.batch}, "undo")
    elif isinstance(result, Done) and not result.count:
        flash(_("바뀐 것이 없어요."), "info")
    elif message:
        flash(message, "info")
    return redirect(to(result) if to else back, 303)
