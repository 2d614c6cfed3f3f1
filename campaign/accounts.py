"""Moderator accounts: passwords, sign-in with throttling, roles, and their management."""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from campaign import audit
from campaign.audit import AuditAction
from campaign.extensions import db
from campaign.i18n import _, _l
from campaign.models import DeskSession, Moderator, Role, utcnow
from campaign.refusals import Refusal

PASSWORD_MIN, PASSWORD_MAX = 12, 128


class AccountError(Refusal):
    """Why an account change was refused, in Korean, for the person at the desk."""


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a password is refused, or None. Length and commonness only: no composition rules."""
    if len(password) < PASSWORD_MIN:
        return _(
            "비밀번호는 %(least)s자 이상이어야 해요. 외우기 쉬운 긴 문장도 좋아요.",
            least=PASSWORD_MIN,
        )
    if len(password) > PASSWORD_MAX:
        return _("비밀번호는 %(most)s자까지 쓸 수 있어요.", most=PASSWORD_MAX)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) <= 2:
        return _("너무 흔한 비밀번호예요. 다른 사람이 짐작하기 어려운 비밀번호를 써 주세요.")
    local = email.split("@", 1)[0].lower()
    if (len(local) >= 4 and local in lowered) or (
        name and len(name) >= 2 and name.lower() in lowered
    ):
        return _("이메일이나 이름이 들어간 비밀번호는 쓸 수 없어요.")
    return None


def hash_password(password: str) -> str:
    # Memory-hard scrypt, stronger than Werkzeug's default (N=2^17 by default; see config).
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@dataclass
class LoginThrottle:
    """Failed sign-ins per account and per client, in memory only (keys are hashes or ids).

    No hard lock: after `limit` failures within the window, each further attempt waits twice as
    long as the one before (1 s, 2 s, 4 s … up to the window), so guessing stays slow while the
    owner is never shut out for long, and not at all from a device they signed in on before."""

    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, key: str, limit: int, window: float) -> int:
        """Seconds still to wait before `key` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < window]
            self._failures[key] = recent
            if len(recent) < limit:
                return 0
            delay = min(2 ** (len(recent) - limit), window)
            return max(math.ceil(recent[-1] + delay - now), 0)

    def fail(self, key: str, window: float = 3600) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self._failures) > 10_000:  # many distinct keys: forget the ones long quiet
                self._failures = {
                    k: v for k, v in self._failures.items() if v and now - v[-1] < window
                }
            self._failures.setdefault(key, []).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


class SignInRefused(Refusal):
    """A refused sign-in; the failure (or the wait) is already in the audit trail, so it is kept."""

    def __init__(self, message: str):
        super().__init__(message, recorded=True)


WRONG = _l("이메일이나 비밀번호가 맞지 않아요. 다시 확인해 주세요.")


def waiting_message(seconds: int) -> str:
    if seconds < 60:
        return _(
            "로그인에 여러 번 실패했어요. 안전을 위해 %(seconds)s초 뒤에 다시 시도해 주세요.",
            seconds=seconds,
        )
    return _(
        "로그인에 여러 번 실패했어요. 안전을 위해 %(minutes)s분 뒤에 다시 시도해 주세요.",
        minutes=math.ceil(seconds / 60),
    )


@dataclass(frozen=True)
class Device:
    """What a browser's signed device cookie says: the account it signed in to, that account's
    session version then (a password change, deactivation or 2FA change voids it), and a
    random id of the device."""

    moderator_id: int
    version: int
    nonce: str


def authenticate(
    email: str, password: str, *, client: str, throttle: LoginThrottle, device: Device | None = None
) -> Moderator:
    """The moderator with these credentials, or SignInRefused. Throttled per account and per
    client with growing delays. On a device the account signed in on before, the account's
    delays are counted for that device alone, so someone guessing elsewhere cannot keep the
    owner out, and a copied device cookie is slowed like any other guesser."""
    config = current_app.config
    limit, window = config["LOGIN_FAILURE_LIMIT"], config["LOGIN_LOCK_SECONDS"]
    moderator = find_by_email(email)
    known = (
        moderator is not None
        and device is not None
        and device.moderator_id == moderator.id
        and device.version == moderator.session_version
    )
    # Keys are hashes: the throttle never holds what someone typed as an address.
    account_key = "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    if known:
        account_key += ":" + device.nonce
    client_key = "client:" + client
    # The trail names the account when it exists; a typed address that matches none is not kept
    # (it may be a password typed into the wrong box).
    target = moderator if moderator is not None else ("moderator", "unknown")
    waiting = max(
        throttle.wait(account_key, limit, window), throttle.wait(client_key, limit * 4, window)
    )
    if waiting:
        audit.record(None, AuditAction.SIGN_IN_THROTTLED, target, data={"wait": waiting})
        raise SignInRefused(waiting_message(waiting))
    # Hash even for unknown accounts, so timing does not reveal which e-mails exist.
    candidate = moderator.password_hash if moderator else _dummy_hash()
    if not check_password_hash(candidate, password) or moderator is None or not moderator.active:
        throttle.fail(client_key, window)
        throttle.fail(account_key, window)
        audit.record(None, AuditAction.SIGN_IN_FAILED, target)
        raise SignInRefused(WRONG)
    throttle.clear(account_key)
    if moderator.two_factor:
        audit.record(
            moderator, AuditAction.SIGN_IN_PASSWORD, moderator
        )  # "sign_in" waits for the code
    return moderator


# ---- server-side desk sessions ------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


SESSION_RECORDS_KEPT = timedelta(days=30)


def open_session(moderator: Moderator, *, now: datetime, sign_in: bool = True) -> str:
    """A new desk session (recorded as a sign-in unless it only replaces one); returns the token
    for the session cookie (only its hash is kept). Records older than a month go."""
    token = secrets.token_urlsafe(32)
    db.session.execute(
        delete(DeskSession).where(DeskSession.created_at < now - SESSION_RECORDS_KEPT)
    )
    db.session.add(DeskSession(id=_token_hash(token), moderator_id=moderator.id, created_at=now))
    if sign_in:
        audit.record(moderator, AuditAction.SIGN_IN, moderator)
    return token


def session_alive(
    token: str | None, moderator: Moderator, *, now: datetime, lifetime: timedelta
) -> bool:
    """The cookie's session still stands: not ended, this moderator's, and younger than
    `lifetime`."""
    if not token:
        return False
    found = db.session.get(DeskSession, _token_hash(token))
    return (
        found is not None
        and found.ended_at is None
        and found.moderator_id == moderator.id
        and now - found.created_at < lifetime
    )


def close_session(token: str | None, *, now: datetime) -> None:
    found = db.session.get(DeskSession, _token_hash(token)) if token else None
    if found is not None and found.ended_at is None:
        found.ended_at = now


def close_all_sessions(moderator: Moderator, *, now: datetime) -> None:
    """End every session of an account: on a password or role change, deactivation, 2FA reset."""
    for found in db.session.scalars(
        select(DeskSession).where(
            DeskSession.moderator_id == moderator.id, DeskSession.ended_at.is_(None)
        )
    ):
        found.ended_at = now


@lru_cache(maxsize=4)
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("not a real password, only for timing", method=method)


def _dummy_hash() -> str:
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


def find_by_email(email: str) -> Moderator | None:
    return db.session.scalar(
        select(Moderator).where(func.lower(Moderator.email) == email.strip().lower())
    )


def create_moderator(
    *, email: str, name: str, password: str, role: Role, by: Moderator | None = None
) -> Moderator:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError(_("올바른 이메일 주소를 입력해 주세요."), field="email")
    if find_by_email(email):
        raise AccountError(_("이미 등록된 이메일이에요."), field="email")
    if not name.strip():
        raise AccountError(_("이름을 입력해 주세요."), field="name")
    problem = password_problem(password, email=email, name=name)
    if problem:
        raise AccountError(problem, field="password")
    moderator = Moderator(
        email=email, name=name.strip(), role=role, password_hash=hash_password(password)
    )
    db.session.add(moderator)
    db.session.flush()
    audit.record(by, AuditAction.ACCOUNT_CREATE, moderator, data={"role": role.value})
    return moderator


def change_password(moderator: Moderator, *, current: str, new: str) -> None:
    if not check_password_hash(moderator.password_hash, current):
        raise AccountError(_("지금 쓰는 비밀번호가 맞지 않아요."), field="current")
    set_password(moderator, new, by=moderator)


def set_password(moderator: Moderator, new: str, *, by: Moderator | None) -> None:
    problem = password_problem(new, email=moderator.email, name=moderator.name)
    if problem:
        raise AccountError(problem, field="password")
    moderator.password_hash = hash_password(new)
    moderator.session_version += 1  # signs out every other session of this account
    close_all_sessions(moderator, now=utcnow())
    audit.record(by, AuditAction.ACCOUNT_PASSWORD, moderator)


def set_role(moderator: Moderator, role: Role, *, by: Moderator) -> None:
    if moderator.id == by.id and role is not Role.ADMIN:
        raise AccountError(
            _("자기 자신의 관리자 권한은 내려놓을 수 없어요. 다른 관리자에게 부탁해 주세요.")
        )
    before = moderator.role
    moderator.role = role
    if before is not role:
        # New rights start in a new session: sessions opened under the old role end.
        moderator.session_version += 1
        close_all_sessions(moderator, now=utcnow())
    audit.record(
        by, AuditAction.ACCOUNT_ROLE, moderator, data={"from": before.value, "to": role.value}
    )


def set_active(moderator: Moderator, active: bool, *, by: Moderator) -> None:
    if moderator.id == by.id and not active:
        raise AccountError(_("자기 자신의 계정은 비활성화할 수 없어요."))
    moderator.active = active
    moderator.session_version += 1
    close_all_sessions(moderator, now=utcnow())
    audit.record(
        by, AuditAction.ACCOUNT_ACTIVATE if active else AuditAction.ACCOUNT_DEACTIVATE, moderator
    )


def set_shortcuts(moderator: Moderator, enabled: bool) -> None:
    moderator.shortcuts = enabled


def load_session_user(user_id: str) -> Moderator | None:
    """Flask-Login's loader: the id carries the session version, so old sessions end."""
    try:
        raw_id, version = user_id.split(":", 1)
        moderator = db.session.get(Moderator, int(raw_id))
    except (ValueError, TypeError):
        return None
    if moderator is None or not moderator.active or str(moderator.session_version) != version:
        return None
    return moderator


def moderators() -> list[Moderator]:
    """Every account, active ones first, then by name (the accounts page)."""
    return list(
        db.session.scalars(select(Moderator).order_by(Moderator.active.desc(), Moderator.name))
    )


def sign_out(moderator: Moderator, token: str | None, *, now: datetime) -> None:
    """The person signs out: the trail says so and this browser's server-side session ends."""
    audit.record(moderator, AuditAction.SIGN_OUT, moderator)
    close_session(token, now=now)
