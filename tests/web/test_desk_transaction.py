"""The desk's one transaction boundary and the one refusal type: a change commits once, a
refusal rolls back (or keeps the audit event it recorded) and is shown beside the field it
names, and the inbox's filter is a form that never refuses a query string."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from campaign import accounts, campaigns, desk_settings, fixes, inbox, loop, moderation, two_factor
from campaign.admin.blueprint import change
from campaign.admin.forms import AccountForm
from campaign.audit import AuditAction
from campaign.clustering import decisions
from campaign.extensions import db
from campaign.models import AuditEvent, Team
from campaign.refusals import Refusal
from tests.factories import make_moderator, make_moment
from tests.web.helpers import csrf_token


def test_every_domain_refusal_is_a_refusal_and_refusals_know_no_flask():
    for error in (
        moderation.ModerationError,
        decisions.ClusterError,
        fixes.FixError,
        accounts.AccountError,
        accounts.SignInRefused,
        campaigns.CampaignError,
        loop.LoopError,
        two_factor.TwoFactorError,
        desk_settings.SettingsError,
    ):
        assert issubclass(error, Refusal), error
    source = (Path(__file__).resolve().parents[2] / "campaign" / "refusals.py").read_text(
        encoding="utf-8"
    )
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            [ast.alias(node.module or "")] if isinstance(node, ast.ImportFrom) else node.names
        )
    }
    assert "flask" not in imported


def _team_names() -> set[str]:
    return set(db.session.scalars(select(Team.name)))


def test_a_change_commits_once_when_the_domain_call_succeeds(app):
    moderator = make_moderator()
    with app.test_request_context(), change() as done:
        desk_settings.create_team("카드팀", by=moderator)
    db.session.rollback()  # nothing left to lose: it was committed
    assert done.ok and "카드팀" in _team_names()


def test_a_refusal_rolls_back_everything_the_request_changed(app):
    moderator = make_moderator()
    with app.test_request_context(), change() as done:
        desk_settings.create_team("카드팀", by=moderator)
        desk_settings.create_team("카드팀", by=moderator)  # refused: the same name
    assert not done.ok and isinstance(done.refused, desk_settings.SettingsError)
    assert "카드팀" not in _team_names()


def test_a_recorded_refusal_keeps_its_audit_event(app):
    moderator = make_moderator()
    two_factor.start_enrolment(moderator)
    db.session.commit()
    with app.test_request_context(), change() as done:
        two_factor.confirm_enrolment(moderator, "000000", current=None, now=None)
    db.session.rollback()
    assert done.refused.recorded
    actions = list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target_id == str(moderator.id))
        )
    )
    assert AuditAction.TWO_FACTOR_FAILED in actions


def test_a_refusal_goes_beside_the_field_it_names_else_beside_the_default(app):
    with app.test_request_context(
        method="POST", data={"email": "a@example.com", "name": "가", "password": "짧음"}
    ):
        form = AccountForm(meta={"csrf": False})
        form.validate()
        with change(form, beside=form.email):
            raise accounts.AccountError("비밀번호가 너무 짧아요.", field="password")
        with change(form, beside=form.email):
            raise accounts.AccountError("이미 등록된 이메일이에요.")
        with change(form, beside=form.email):
            raise accounts.AccountError("다른 곳의 문제예요.", field="no_such_field")
    assert form.password.errors == ["비밀번호가 너무 짧아요."]
    assert form.email.errors == ["이미 등록된 이메일이에요.", "다른 곳의 문제예요."]


def test_other_errors_roll_back_and_propagate(app):
    moderator = make_moderator()
    with pytest.raises(RuntimeError), app.test_request_context(), change():
        desk_settings.create_team("카드팀", by=moderator)
        raise RuntimeError("boom")
    assert "카드팀" not in _team_names()


def test_a_weak_first_password_is_said_beside_the_password_not_the_email(client, sign_in):
    sign_in(client, "admin")
    response = client.post(
        "/admin/accounts",
        data={
            "email": "new@example.com",
            "name": "새 사람",
            "role": "moderator",
            "password": "password",
            "csrf_token": csrf_token(client, "/admin/accounts"),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'id="password-error"', html) and not re.search(r'id="email-error"', html)


def _options(html: str, select_id: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the <select id=select_id>."""
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.DOTALL).group(
        1
    )
    return [
        (value, label.strip(), "selected" in attrs)
        for attrs, value, label in re.findall(
            r'<option([^>]*value="([^"]*)"[^>]*)>([^<]*)</option>', block
        )
    ]


def test_the_inbox_filter_offers_the_domains_flags_and_sorts_and_keeps_the_choice(
    client, sign_in, campaign
):
    sign_in(client)
    make_moment(campaign, body="보이스피싱으로 돈이 빠져나갔어요", urgent=True)
    html = client.get("/admin/moments?flag=urgent&sort=oldest").get_data(as_text=True)
    assert [(v, label) for v, label, _ in _options(html, "filter-flag")][1:] == list(
        inbox.FLAGS.items()
    )
    assert [(v, label) for v, label, _ in _options(html, "filter-sort")] == list(
        inbox.SORTS.items()
    )
    assert [v for v, _, chosen in _options(html, "filter-flag") if chosen] == ["urgent"]
    assert [v for v, _, chosen in _options(html, "filter-sort") if chosen] == ["oldest"]
    assert [label for _, label, _ in _options(html, "filter-campaign")] == ["전체", campaign.title]


@pytest.mark.parametrize(
    "query",
    [
        "flag=nope&sort=sideways&status=gone",
        "campaign=abc&tag=-1&team=99999999999&page=x",
        "since=99999-01-01&until=2026-02-30&q=%20%20",
        "campaign=0&since=1999-12-31&category=&channel=",
    ],
)
def test_an_unreadable_filter_is_left_out_never_refused(client, sign_in, campaign, query):
    sign_in(client)
    make_moment(campaign, body="점검 시간에 송금이 안 돼서 불편했어요")
    response = client.get(f"/admin/moments?{query}")
    assert response.status_code == 200
    assert "1개" in response.get_data(as_text=True)
