"""Two-factor sign-in for the desk: time-based one-time codes (RFC 6238, through pyotp), a QR code
to enrol (qr.py, drawn on the server as SVG), and recovery codes shown once and kept as keyed
hashes. Every enrolment, use, failure and reset is an audit event. Nothing here commits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from flask import current_app

from campaign import audit, qr
from campaign.accounts import close_all_sessions, waiting_message
from campaign.audit import AuditAction
from campaign.i18n import _, _l
from campaign.models import Moderator
from campaign.refusals import Refusal

ISSUER = "불편한 순간"  # the authenticator app's account label: a name, not translated
RECOVERY_CODES = 10
# Codes from the step before and after count too: a phone's clock drifts.
WINDOW = 1


class TwoFactorError(Refusal):
    """A refused code or step; the message is Korean, for the person signing in."""


def required(moderator: Moderator) -> bool:
    """Whether this account's role must use a second factor (config TWO_FACTOR_ROLES)."""
    roles = {r.strip() for r in current_app.config["TWO_FACTOR_ROLES"].split(",") if r.strip()}
    return moderator.role.value in roles


def start_enrolment(moderator: Moderator) -> str:
    """A new secret waiting for its first code; the current one, if any, keeps working until
    then."""
    moderator.totp_pending = pyotp.random_base32()
    return moderator.totp_pending


def enrolment_qr(moderator: Moderator) -> str:
    """The pending secret as an otpauth:// QR code, SVG markup made here (no third party sees
    it)."""
    uri = pyotp.TOTP(moderator.totp_pending).provisioning_uri(
        name=moderator.email, issuer_name=ISSUER
    )
    return qr.svg(uri, title=_("인증 앱에 등록할 QR 코드"), scale=5)


def confirm_enrolment(
    moderator: Moderator, code: str, *, current: str | None, now: datetime
) -> list[str]:
    """Turn the pending secret on with its first code; returns recovery codes to show once.
    Replacing a factor also needs a code from the one in use, so a stolen session cannot swap
    in its own authenticator; every other session of the account ends."""
    if moderator.totp_secret and not _accept(moderator, moderator.totp_secret, current or ""):
        audit.record(moderator, AuditAction.TWO_FACTOR_FAILED, moderator, data={"step": "replace"})
        raise TwoFactorError(
            (
                _(
                    "지금 쓰는 인증 앱의 숫자가 맞지 않아요. "
                    "바꾸기 전에 지금 쓰는 앱의 숫자를 넣어 주세요."
                )
            ),
            field="code",
            recorded=True,
        )
    if not moderator.totp_pending or not pyotp.TOTP(moderator.totp_pending).verify(
        _digits(code), valid_window=WINDOW
    ):
        audit.record(moderator, AuditAction.TWO_FACTOR_FAILED, moderator, data={"step": "enrol"})
        raise TwoFactorError(
            _("인증 앱에 보이는 6자리 숫자가 맞지 않아요. 새로 바뀐 숫자로 다시 넣어 주세요."),
            field="code",
            recorded=True,
        )
    moderator.totp_secret, moderator.totp_pending = moderator.totp_pending, None
    moderator.totp_last_step = None
    moderator.session_version += 1
    close_all_sessions(moderator, now=now)
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    moderator.recovery_hashes = [_recovery_hash(c) for c in codes]
    audit.record(moderator, AuditAction.TWO_FACTOR_ENROL, moderator)
    return codes


WRONG_CODE = _l("숫자가 맞지 않아요. 인증 앱에 지금 보이는 6자리 숫자나 복구 코드를 넣어 주세요.")


def sign_in_code(moderator: Moderator, code: str, *, throttle, limit: int, window: float) -> None:
    """The second step of signing in: a code from the app or a recovery code, slowed like the
    password after `limit` failures. A refusal is already in the audit trail (`recorded`)."""
    key = f"second-factor:{moderator.id}"
    waiting = throttle.wait(key, limit, window)
    if waiting:
        audit.record(
            None,
            AuditAction.SIGN_IN_THROTTLED,
            moderator,
            data={"wait": waiting, "step": "second_factor"},
        )
        raise TwoFactorError(waiting_message(waiting), field="code", recorded=True)
    if not verify(moderator, code):
        throttle.fail(key)
        raise TwoFactorError(WRONG_CODE, field="code", recorded=True)
    throttle.clear(key)


def verify(moderator: Moderator, code: str) -> bool:
    """A sign-in's second step: a current code, or one unused recovery code (then spent)."""
    typed = (code or "").strip()
    if moderator.totp_secret and _accept(moderator, moderator.totp_secret, typed):
        audit.record(moderator, AuditAction.TWO_FACTOR_OK, moderator)
        return True
    hashed = _recovery_hash(typed)
    if hashed in (moderator.recovery_hashes or []):
        moderator.recovery_hashes = [h for h in moderator.recovery_hashes if h != hashed]
        audit.record(
            moderator,
            AuditAction.TWO_FACTOR_RECOVERY,
            moderator,
            data={"left": len(moderator.recovery_hashes)},
        )
        return True
    audit.record(None, AuditAction.TWO_FACTOR_FAILED, moderator, data={"step": "sign_in"})
    return False


def reset(moderator: Moderator, *, by: Moderator, now: datetime) -> None:
    """An admin clears someone's second factor (a lost phone); they enrol again at next sign-in."""
    moderator.totp_secret = moderator.totp_pending = None
    moderator.recovery_hashes = []
    close_all_sessions(moderator, now=now)
    audit.record(by, AuditAction.TWO_FACTOR_RESET, moderator)


def _accept(moderator: Moderator, secret: str, code: str) -> bool:
    """A current code for `secret` from a step later than the last one accepted (no replay)."""
    totp, digits = pyotp.TOTP(secret), _digits(code)
    now = totp.timecode(datetime.now())
    for step in range(now - WINDOW, now + WINDOW + 1):
        if step > (moderator.totp_last_step or -1) and hmac.compare_digest(
            totp.generate_otp(step), digits
        ):
            moderator.totp_last_step = step
            return True
    return False


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())[:6]


def _recovery_code() -> str:
    raw = secrets.token_hex(5).upper()
    return f"{raw[:5]}-{raw[5:]}"


def _recovery_hash(code: str) -> str:
    normal = code.strip().upper().replace(" ", "")
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"recovery:" + normal.encode(), hashlib.sha256).hexdigest()
