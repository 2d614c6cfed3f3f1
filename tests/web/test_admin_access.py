"""Who may reach what: a walk over the whole URL map."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import csrf_token

# Everything an anonymous visitor may open. Anything else must turn them away.
PUBLIC = {
    "public.landing",
    "public.submit",
    "public.thanks",
    "public.thanks_together",
    "public.status",
    "public.privacy_promise",
    "public.improvements",
    "public.improvement",
    "public.improvements_feed",
    "public.stats",
    "public.answer",
    "public.listening",
    "public.language",
    "public.suggest",
    "public.metoo_fix",
    "public.metoo_cluster",
    "public.thanks_follow",
    "public.thanks_receipt",
    "public.status_follow",
    "public.status_unfollow",
    "public.status_receipt",
    "public.follow_page",
    "public.follow_feed",
    "api.index",
    "admin.login_code",
    "api.campaign_list",
    "api.fix_list",
    "api.fix_one",
    "api.stats",
    "admin.login",
    "static",
}


def _url(rule) -> str:
    return re.sub(r"<(\w+:)?\w+>", lambda m: "1" if m.group(1) == "int:" else "x", rule.rule)


def endpoints(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_the_public_list_is_what_it_says(app):
    public = {
        rule.endpoint for rule in app.url_map.iter_rules() if not rule.endpoint.startswith("admin.")
    }
    assert public <= PUBLIC, f"new public endpoints need a decision: {public - PUBLIC}"


def test_every_non_public_endpoint_turns_away_an_anonymous_request(app, client):
    # A valid CSRF token, so that it is the sign-in check (not CSRF) that refuses.
    token = csrf_token(client, "/admin/login")
    checked = 0
    for rule, method in endpoints(app):
        if rule.endpoint in PUBLIC:
            continue
        response = client.open(
            _url(rule), method=method, data={"csrf_token": token} if method == "POST" else None
        )
        # Every one sends the visitor to sign in: never a 403 that would need a signed-in
        # person, never an error page that could hide a crash.
        assert response.status_code == 302, (rule.rule, method, response.status_code)
        assert "/admin/login" in response.headers["Location"], rule.rule
        checked += 1
    assert checked >= 25


def test_every_mutating_endpoint_turns_away_a_viewer(app, client, sign_in, campaign):
    from tests.factories import make_moment

    moment, _ = make_moment(campaign)
    sign_in(client, "viewer")
    token = csrf_token(client, "/admin/moments")
    checked = 0
    for rule, method in endpoints(app):
        if (
            method != "POST"
            or rule.endpoint in PUBLIC
            or rule.endpoint
            in ("admin.logout", "admin.ping", "admin.settings", "admin.two_factor_setup")
        ):
            continue
        url = _url(rule).replace("/moments/x", f"/moments/{moment.id}")
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code == 403, (rule.rule, response.status_code)
        checked += 1
    assert checked >= 15


@pytest.mark.parametrize("role, status", [("viewer", 403), ("moderator", 403), ("admin", 200)])
def test_only_admins_manage_accounts_and_read_the_audit_log(client, sign_in, role, status):
    sign_in(client, role)
    for url in ("/admin/accounts", "/admin/audit"):
        assert client.get(url).status_code == status, (role, url)
