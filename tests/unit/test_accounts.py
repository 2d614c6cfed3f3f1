"""Moderator accounts: password rules, hashing, sign-in throttling, sessions."""

from __future__ import annotations

import pytest
from werkzeug.security import check_password_hash

from campaign import accounts
from campaign.config import Defaults
from campaign.models import Role
from tests.factories import PASSWORD, make_moderator


def test_the_production_hash_is_memory_hard_scrypt_stronger_than_werkzeugs_default():
    method, n, r, p = Defaults.PASSWORD_HASH_METHOD.split(":")
    assert method == "scrypt" and int(n) >= 2**17 and int(r) >= 8


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "12자 이상"),
        ("x" * 129, "128자까지"),
        ("qwertyuiop1234", "흔한 비밀번호"),
        ("Password1234", "흔한 비밀번호"),
        ("aaaaaaaaaaaaaaa", "흔한 비밀번호"),
        ("minsu.kim-secret-2026", "이메일이나 이름"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, problem):
    assert problem in accounts.password_problem(
        password, email="minsu.kim@example.com", name="김민수"
    )


def test_a_long_uncommon_password_needs_no_symbols_or_digits():
    assert accounts.password_problem("the quiet river at dawn") is None


def test_passwords_are_stored_only_as_scrypt_hashes(app):
    moderator = make_moderator()
    assert moderator.password_hash.startswith("scrypt:") and PASSWORD not in moderator.password_hash
    assert check_password_hash(moderator.password_hash, PASSWORD)


def test_sign_in_succeeds_with_the_right_password_in_any_email_case(app):
    moderator = make_moderator(email="Lee@Example.com")
    found = accounts.authenticate(
        "lee@EXAMPLE.com ", PASSWORD, client="c", throttle=accounts.LoginThrottle()
    )
    assert found.id == moderator.id


def test_wrong_password_unknown_email_and_inactive_accounts_get_the_same_answer(app):
    inactive = make_moderator()
    inactive.active = False
    throttle = accounts.LoginThrottle()
    for email, password in [
        (inactive.email, PASSWORD),
        ("nobody@example.com", PASSWORD),
        (make_moderator().email, "wrong"),
    ]:
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.authenticate(email, password, client=email, throttle=throttle)
        assert refused.value.message == accounts.WRONG


def test_after_repeated_failures_an_account_waits_longer_each_time_instead_of_locking(
    app, monkeypatch
):
    moderator = make_moderator()
    throttle = accounts.LoginThrottle()
    clock = [1000.0]
    monkeypatch.setattr(accounts.time, "monotonic", lambda: clock[0])
    for i in range(app.config["LOGIN_FAILURE_LIMIT"]):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(moderator.email, "wrong", client=f"client-{i}", throttle=throttle)
    waits = []
    for _ in range(4):
        with pytest.raises(accounts.SignInRefused, match="초 뒤에") as refused:
            accounts.authenticate(
                moderator.email, PASSWORD, client="fresh-client", throttle=throttle
            )
        waits.append(int(refused.value.message.split("안전을 위해 ")[1].split("초")[0]))
        clock[0] += waits[-1]  # wait it out, then guess wrong again
        with pytest.raises(accounts.SignInRefused, match="맞지 않아요"):
            accounts.authenticate(
                moderator.email, "wrong", client="fresh-client", throttle=throttle
            )
    assert waits == [1, 2, 4, 8]
    clock[0] += 16
    assert (
        accounts.authenticate(moderator.email, PASSWORD, client="fresh-client", throttle=throttle)
        == moderator
    )


def test_the_owner_signs_in_from_a_known_device_while_others_guess(app):
    moderator = make_moderator()
    throttle = accounts.LoginThrottle()
    for i in range(app.config["LOGIN_FAILURE_LIMIT"] * 2):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(
                moderator.email, "wrong", client=f"attacker-{i}", throttle=throttle
            )
    with pytest.raises(accounts.SignInRefused, match="뒤에 다시"):
        accounts.authenticate(moderator.email, PASSWORD, client="new-laptop", throttle=throttle)
    office = accounts.Device(moderator.id, moderator.session_version, "office-laptop")
    signed_in = accounts.authenticate(
        moderator.email, PASSWORD, client="office", throttle=throttle, device=office
    )
    assert signed_in == moderator
    # A copy of that device cookie in a guesser's hands is slowed like anyone else…
    for _ in range(app.config["LOGIN_FAILURE_LIMIT"]):
        with pytest.raises(accounts.SignInRefused, match="맞지 않아요"):
            accounts.authenticate(
                moderator.email, "wrong", client="elsewhere", throttle=throttle, device=office
            )
    with pytest.raises(accounts.SignInRefused, match="뒤에 다시"):
        accounts.authenticate(
            moderator.email, PASSWORD, client="elsewhere", throttle=throttle, device=office
        )
    # …and a password change voids every device cookie issued before it.
    stale = accounts.Device(moderator.id, moderator.session_version - 1, "old-phone")
    with pytest.raises(accounts.SignInRefused, match="뒤에 다시"):
        accounts.authenticate(
            moderator.email, PASSWORD, client="home", throttle=throttle, device=stale
        )


def test_one_client_guessing_many_accounts_is_slowed_too(app):
    throttle = accounts.LoginThrottle()
    for i in range(app.config["LOGIN_FAILURE_LIMIT"] * 4):
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(
                f"guess{i}@example.com", "wrong", client="one-client", throttle=throttle
            )
    moderator = make_moderator()
    with pytest.raises(accounts.SignInRefused, match="뒤에 다시"):
        accounts.authenticate(
            moderator.email,
            PASSWORD,
            client="one-client",
            throttle=throttle,
            device=accounts.Device(moderator.id, moderator.session_version, "d"),
        )  # nor a device


def test_changing_the_password_ends_other_sessions(app):
    moderator = make_moderator()
    old_session = moderator.get_id()
    accounts.change_password(moderator, current=PASSWORD, new="a different long passphrase")
    assert accounts.load_session_user(old_session) is None
    assert accounts.load_session_user(moderator.get_id()).id == moderator.id


def test_changing_the_password_needs_the_current_one(app):
    moderator = make_moderator()
    with pytest.raises(accounts.AccountError, match="지금 쓰는 비밀번호"):
        accounts.change_password(moderator, current="wrong", new="a different long passphrase")


def test_admins_cannot_demote_or_deactivate_themselves(app):
    admin = make_moderator("admin")
    with pytest.raises(accounts.AccountError):
        accounts.set_role(admin, Role.VIEWER, by=admin)
    with pytest.raises(accounts.AccountError):
        accounts.set_active(admin, False, by=admin)


def test_deactivating_an_account_ends_its_sessions(app):
    admin, other = make_moderator("admin"), make_moderator()
    session_id = other.get_id()
    accounts.set_active(other, False, by=admin)
    assert accounts.load_session_user(session_id) is None


def test_roles_include_the_ones_below(app):
    viewer, moderator, admin = (
        make_moderator("viewer"),
        make_moderator("moderator"),
        make_moderator("admin"),
    )
    assert viewer.can(Role.VIEWER) and not viewer.can(Role.MODERATOR)
    assert moderator.can(Role.MODERATOR) and not moderator.can(Role.ADMIN)
    assert admin.can(Role.ADMIN) and admin.can(Role.VIEWER)


def test_duplicate_email_is_refused(app):
    make_moderator(email="same@example.com")
    with pytest.raises(accounts.AccountError, match="이미 등록된"):
        accounts.create_moderator(
            email="SAME@example.com", name="다른 사람", password=PASSWORD, role=Role.VIEWER
        )
