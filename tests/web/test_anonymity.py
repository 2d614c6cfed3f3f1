"""The anonymity promise, proven: nothing that could identify a sender is stored or logged."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from campaign import privacy
from campaign.extensions import db
from tests.dom import page
from tests.web.helpers import csrf_token, every_word

CANARY_ADDRESS = "203.0.113.77"
CANARY_AGENT = "CanaryAgent/9.9 (canary-ua-7f3a1c)"
CANARY_REFERRER = "https://canary-referrer.example/from-here"
CANARY_COOKIE = "canary-cookie-value-5e2b"


def every_stored_value() -> str:
    """Every value in every table, as one string."""
    dump = []
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for row in conn.execute(sa.select(table)):
                dump.extend(str(v) for v in row)
    return "\n".join(dump)


@pytest.fixture
def all_logs(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("", "werkzeug", "flask_limiter", "campaign", "alembic"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    # INFO logs every SQL statement: with hide_parameters its bound values must not appear.
    # (DEBUG would echo result rows, a switch the app never sets.)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    yield caplog
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)


def test_no_address_agent_referrer_cookie_or_precise_time_is_stored_or_logged(
    client, campaign, all_logs
):
    env = {"REMOTE_ADDR": CANARY_ADDRESS}
    headers = {
        "User-Agent": CANARY_AGENT,
        "Referer": CANARY_REFERRER,
        "X-Forwarded-For": CANARY_ADDRESS,
    }
    client.set_cookie("tracking", CANARY_COOKIE)
    token = csrf_token(client)
    response = client.post(
        "/submit",
        data={
            "csrf_token": token,
            "body": "카드 분실 신고 메뉴를 찾기 어려웠어요.",
            "category": "카드",
            "channel": "",
            "suggestion": "",
            "website": "",
        },
        environ_base=env,
        headers=headers,
    )
    assert response.status_code == 303
    client.get("/thanks", environ_base=env, headers=headers)

    logged = "\n".join(r.getMessage() + str(r.args) for r in all_logs.records)
    all_logs.set_level(logging.WARNING)  # the dump below is the test's own reading, not the app's
    stored = every_stored_value()
    session_cookie = client.get_cookie("session").value
    for canary in (
        CANARY_ADDRESS,
        CANARY_AGENT,
        "canary-ua-7f3a1c",
        CANARY_REFERRER,
        CANARY_COOKIE,
        session_cookie,
        privacy.client_key(CANARY_ADDRESS),
    ):
        assert canary not in stored, f"{canary!r} was stored"
        assert canary not in logged, f"{canary!r} was logged"
    assert "카드 분실 신고 메뉴" not in logged
    # Only the hour survives.
    [hour] = db.session.execute(sa.text("SELECT received_hour FROM moment")).scalars()
    assert str(hour).endswith(":00:00") or str(hour).endswith(":00:00.000000")


def test_a_database_failure_logs_no_submitted_text(make_app, monkeypatch, caplog):
    """A unique-constraint clash (two moments given the same receipt) must not echo the text."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        from tests.factories import make_campaign

        make_campaign()
        monkeypatch.setattr(privacy, "new_receipt_code", lambda: "AAAA-BBBB-CCCC-DDDD")
        client = app.test_client()
        caplog.set_level(logging.DEBUG)
        for body in ("첫 번째 비밀스러운 이야기예요 하나", "두 번째 비밀스러운 이야기예요 둘"):
            response = client.post(
                "/submit",
                data={
                    "csrf_token": csrf_token(client),
                    "body": body,
                    "category": "",
                    "channel": "",
                    "suggestion": "",
                    "website": "",
                },
            )
        # The person gets their own form back with what they typed (503, never a 500 page);
        # the text appears only there, inside their textarea.
        form = page(response)
        assert response.status_code == 503
        assert form.one("textarea#body").raw_text() == "두 번째 비밀스러운 이야기예요 둘"
        assert every_word(form).count("비밀스러운") == 1
        logged = "\n".join(
            r.getMessage() + str(r.exc_text or "") + str(r.exc_info or "") for r in caplog.records
        )
        assert (
            "IntegrityError" in logged or "UniqueViolation" in logged
        )  # the failure itself is logged
        assert "비밀스러운" not in logged and "AAAA-BBBB" not in logged
        db.session.rollback()


def test_public_ids_are_random_not_sequential():
    ids = [privacy.new_public_id() for _ in range(200)]
    assert len(set(ids)) == 200
    assert sorted(ids) != ids
    assert all(len(i) == 26 for i in ids)
