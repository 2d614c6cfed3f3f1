"""Telling other tools: webhook endpoints and their delivery log, and each team's e-mail digest.
Admins only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign import digests, webhooks
from campaign.admin.blueprint import act, bp, change, requires
from campaign.admin.forms import ActionForm, DigestForm, WebhookForm
from campaign.extensions import db
from campaign.i18n import _
from campaign.models import Role, Team, WebhookEndpoint, utcnow


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    return db.session.get(WebhookEndpoint, endpoint_id) or abort(404)


def _webhooks_page(form: WebhookForm, *, created=None, secret=None):
    return render_template(
        "admin/webhooks.html",
        form=form,
        endpoints=webhooks.endpoints(),
        events=webhooks.EVENTS,
        formats=webhooks.FORMATS,
        created=created,
        secret=secret,
        action_form=ActionForm(),
    )


@bp.route("/webhooks", methods=["GET", "POST"])
@requires(Role.ADMIN)
def webhooks_page():
    form = WebhookForm()
    if not form.validate_on_submit():
        return _webhooks_page(form)
    with change(form, beside=form.url) as done:
        endpoint, secret = webhooks.create_endpoint(
            url=form.url.data,
            events=form.events.data,
            format=form.format.data,
            by=current_user,
            now=utcnow(),
        )
    if not done.ok:
        return _webhooks_page(form)
    # The secret is shown on this one answer and never again (not in a flash: the session
    # cookie is signed, not sealed).
    return _webhooks_page(WebhookForm(formdata=None), created=endpoint, secret=secret)


@bp.get("/webhooks/<int:endpoint_id>")
@requires(Role.ADMIN)
def webhook_log(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    return render_template(
        "admin/webhook.html",
        endpoint=endpoint,
        deliveries=webhooks.deliveries(endpoint),
        events=webhooks.EVENTS,
        formats=webhooks.FORMATS,
        attempts=webhooks.ATTEMPTS,
        said=webhooks.shown,
        action_form=ActionForm(),
    )


@bp.post("/webhooks/<int:endpoint_id>/test")
@requires(Role.ADMIN)
def webhook_test(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    return act(
        ActionForm(),
        lambda: webhooks.send_test(endpoint, by=current_user, now=utcnow()),
        back=url_for("admin.webhook_log", endpoint_id=endpoint_id),
        success=_("시험 메시지를 보냈어요. 결과는 아래 전송 기록에 보여요."),
    )


@bp.post("/webhooks/<int:endpoint_id>/enabled")
@requires(Role.ADMIN)
def webhook_enabled(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    # The state the button asked for, not the opposite of the current one: a page left open
    # while someone else turned the endpoint off must not turn it back on.
    enabled = {"on": True, "off": False}.get(request.form.get("enabled", ""))
    if enabled is None:
        abort(400)

    def said(changed: bool) -> str:
        if not changed:
            return _("이미 켜져 있어요.") if enabled else _("이미 꺼져 있어요.")
        if enabled:
            return _("주소를 다시 켰어요.")
        return _("주소를 껐어요. 이제 아무것도 보내지 않아요.")

    return act(
        ActionForm(),
        lambda: webhooks.set_enabled(endpoint, enabled, by=current_user),
        back=url_for("admin.webhooks_page"),
        success=said,
    )


@bp.post("/webhooks/<int:endpoint_id>/delete")
@requires(Role.ADMIN)
def webhook_delete(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    return act(
        ActionForm(),
        lambda: webhooks.delete_endpoint(endpoint, by=current_user),
        back=url_for("admin.webhooks_page"),
        success=_("주소와 그 전송 기록을 지웠어요. 작업 기록에는 남아 있어요."),
    )


@bp.route("/teams/<int:team_id>/digest", methods=["GET", "POST"])
@requires(Role.ADMIN)
def team_digest(team_id):
    team = db.session.get(Team, team_id) or abort(404)
    settings = digests.settings_for(team)
    form = DigestForm(frequency=settings.frequency.value, recipients="\n".join(settings.recipients))
    if form.validate_on_submit():
        with change(form, beside=form.recipients) as done:
            digests.save_settings(
                team,
                frequency=form.frequency.data,
                recipients=form.recipients.data,
                by=current_user,
                now=utcnow(),
            )
        if done.ok:
            flash(_("%(name)s의 요약 메일 설정을 저장했어요.", name=team.name), "info")
            return redirect(url_for("admin.team_digest", team_id=team_id), 303)
    return render_template(
        "admin/team_digest.html",
        team=team,
        form=form,
        runs=digests.runs(team),
        mail_configured=digests.mail_configured(),
        said=digests.shown,
    )
