"""Managing the desk: tags, teams, urgent rules, accounts, campaigns, the audit log, settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from markupsafe import Markup

from campaign import (
    accounts,
    analytics,
    audit,
    campaigns,
    clocks,
    desk_settings,
    imports,
    two_factor,
)
from campaign.admin.blueprint import act, bp, change, requires
from campaign.admin.forms import (
    AccountForm,
    ActionForm,
    CampaignForm,
    ClocksForm,
    CodeForm,
    ImportForm,
    MergeTagForm,
    NameForm,
    PasswordForm,
    RoleForm,
    RuleForm,
    SettingsForm,
)
from campaign.extensions import csrf, db
from campaign.i18n import _
from campaign.intake import bounded_day, bounded_int
from campaign.labels import ROLE_LABELS
from campaign.models import Campaign, Moderator, Role, Tag, Team, UrgentRule, utcnow


def _get(model, ident):
    return db.session.get(model, ident) or abort(404)


# --- tags ----------------------------------------------------------------------------------------


@bp.get("/tags")
def tags():
    every = desk_settings.tags()
    merge = MergeTagForm()
    merge.into.choices = [(t.id, t.name) for t in every]
    return render_template(
        "admin/tags.html",
        tags=every,
        counts=desk_settings.tag_counts(),
        rename=NameForm(),
        merge=merge,
    )


@bp.post("/tags/<int:tag_id>/rename")
@requires(Role.MODERATOR)
def tag_rename(tag_id):
    tag, form = _get(Tag, tag_id), NameForm()
    return act(
        form,
        lambda: desk_settings.rename_tag(tag, form.name.data, by=current_user),
        back=url_for("admin.tags"),
        success=_("태그 이름을 바꿨어요."),
    )


@bp.post("/tags/<int:tag_id>/merge")
@requires(Role.MODERATOR)
def tag_merge(tag_id):
    tag, form = _get(Tag, tag_id), MergeTagForm()
    form.into.choices = [(t.id, t.name) for t in desk_settings.tags()]
    name, into = tag.name, dict(form.into.choices)
    return act(
        form,
        lambda: desk_settings.merge_tags(tag, _get(Tag, form.into.data), by=current_user),
        back=url_for("admin.tags"),
        success=lambda moved: _(
            "'%(name)s' 태그를 '%(into)s'에 합쳤어요.", name=name, into=into[form.into.data]
        ),
    )


# --- teams ----------------------------------------------------------------------------------------


@bp.get("/teams")
def teams():
    every_campaign = analytics.Filter(None, ZoneInfo(current_app.config["TIMEZONE"]))
    counts = {row.team_id: row.moments for row in analytics.team_rows(every_campaign)}
    return render_template(
        "admin/teams.html",
        teams=desk_settings.teams(),
        counts=counts,
        form=NameForm(),
        rename=NameForm(),
    )


@bp.post("/teams")
@requires(Role.ADMIN)
def team_create():
    form = NameForm()
    return act(
        form,
        lambda: desk_settings.create_team(form.name.data, by=current_user),
        back=url_for("admin.teams"),
        success=_("팀을 만들었어요."),
    )


@bp.post("/teams/<int:team_id>/rename")
@requires(Role.ADMIN)
def team_rename(team_id):
    team, form = _get(Team, team_id), NameForm()
    return act(
        form,
        lambda: desk_settings.rename_team(team, form.name.data, by=current_user),
        back=url_for("admin.teams"),
        success=_("팀 이름을 바꿨어요."),
    )


# --- urgent rules ------------------------------------------------------------------------------


@bp.get("/rules")
def rules():
    return render_template(
        "admin/rules.html",
        rules=desk_settings.urgent_rules(),
        form=RuleForm(),
        action_form=ActionForm(),
        urgent=desk_settings.urgent_count(),
    )


@bp.post("/rules")
@requires(Role.ADMIN)
def rule_add():
    form = RuleForm()
    return act(
        form,
        lambda: desk_settings.add_urgent_rule(form.phrase.data, by=current_user),
        back=url_for("admin.rules"),
        success=_("단어를 더하고 긴급 표시를 다시 계산했어요."),
    )


@bp.post("/rules/<int:rule_id>/remove")
@requires(Role.ADMIN)
def rule_remove(rule_id):
    rule = _get(UrgentRule, rule_id)
    return act(
        ActionForm(),
        lambda: desk_settings.remove_urgent_rule(rule, by=current_user),
        back=url_for("admin.rules"),
        success=_("단어를 빼고 긴급 표시를 다시 계산했어요."),
    )


# --- accounts ------------------------------------------------------------------------------------


@bp.route("/accounts", methods=["GET", "POST"])
@requires(Role.ADMIN)
def accounts_page():
    form = AccountForm()
    if form.validate_on_submit():
        with change(form, beside=form.email) as done:
            accounts.create_moderator(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                role=Role(form.role.data),
                by=current_user,
            )
        if done.ok:
            flash(
                _(
                    "%(name)s 님의 계정을 만들었어요. 처음 비밀번호를 따로 안전하게 전해 주세요.",
                    name=form.name.data,
                ),
                "info",
            )
            return redirect(url_for("admin.accounts_page"), 303)
    return render_template(
        "admin/accounts.html",
        form=form,
        people=accounts.moderators(),
        role_form=RoleForm(),
        action_form=ActionForm(),
        ROLE_LABELS=ROLE_LABELS,
    )


@bp.post("/accounts/<int:moderator_id>/role")
@requires(Role.ADMIN)
def account_role(moderator_id):
    person, form = _get(Moderator, moderator_id), RoleForm()
    return act(
        form,
        lambda: accounts.set_role(person, Role(form.role.data), by=current_user),
        back=url_for("admin.accounts_page"),
        success=_("%(name)s 님의 권한을 바꿨어요.", name=person.name),
    )


@bp.post("/accounts/<int:moderator_id>/active")
@requires(Role.ADMIN)
def account_active(moderator_id):
    person = _get(Moderator, moderator_id)
    active = not person.active
    message = (
        _("%(name)s 님의 계정을 다시 켰어요.", name=person.name)
        if active
        else _("%(name)s 님의 계정을 껐어요. 모든 기기에서 로그아웃됐어요.", name=person.name)
    )
    return act(
        ActionForm(),
        lambda: accounts.set_active(person, active, by=current_user),
        back=url_for("admin.accounts_page"),
        success=message,
    )


@bp.post("/accounts/<int:moderator_id>/two-factor/reset")
@requires(Role.ADMIN)
def account_two_factor_reset(moderator_id):
    person = _get(Moderator, moderator_id)
    return act(
        ActionForm(),
        lambda: two_factor.reset(person, by=current_user, now=utcnow()),
        back=url_for("admin.accounts_page"),
        success=_(
            "%(name)s 님의 2단계 인증을 초기화했어요. 다음 로그인 때 다시 등록해요.",
            name=person.name,
        ),
    )


# --- campaigns -----------------------------------------------------------------------------------


@bp.get("/campaigns")
def campaigns_page():
    return render_template(
        "admin/campaigns.html", campaigns=campaigns.every_campaign(), today=campaigns.local_today()
    )


@bp.route("/campaigns/new", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def campaign_edit(campaign_id):
    campaign = _get(Campaign, campaign_id) if campaign_id else None
    form = CampaignForm(obj=campaign) if request.method == "GET" and campaign else CampaignForm()
    if request.method == "GET" and campaign:
        form.categories.data, form.channels.data = (
            ", ".join(campaign.categories),
            ", ".join(campaign.channels),
        )
    if form.validate_on_submit():
        with change(form, beside=form.slug) as done:
            campaigns.save_campaign(
                campaign,
                slug=form.slug.data.strip(),
                title=form.title.data,
                question=form.question.data,
                intro=form.intro.data or "",
                title_en=form.title_en.data or "",
                question_en=form.question_en.data or "",
                intro_en=form.intro_en.data or "",
                categories=form.split(form.categories.data),
                channels=form.split(form.channels.data),
                opens_on=form.opens_on.data,
                closes_on=form.closes_on.data,
                by=current_user,
            )
        if done.ok:
            flash(_("캠페인을 저장했어요."), "info")
            return redirect(url_for("admin.campaigns_page"), 303)
    return _campaign_page(form, campaign)


def _campaign_page(form, campaign: Campaign | None, clocks_form=None):
    """The campaign's form and, for a campaign that exists, its clock targets (`clocks_form`
    when they were posted with an error, as typed)."""
    if campaign is not None and clocks_form is None:
        clocks_form = ClocksForm(
            formdata=None,
            triage_days=campaign.triage_days,
            answer_days=campaign.answer_days,
            unowned_days=campaign.unowned_days,
        )
    return render_template(
        "admin/campaign_form.html", form=form, campaign=campaign, clocks_form=clocks_form
    )


@bp.post("/campaigns/<int:campaign_id>/clocks")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.ADMIN)
def campaign_clocks(campaign_id):
    campaign, form = _get(Campaign, campaign_id), ClocksForm()

    def again():
        shown = CampaignForm(formdata=None, obj=campaign)
        shown.categories.data = ", ".join(campaign.categories)
        shown.channels.data = ", ".join(campaign.channels)
        return _campaign_page(shown, campaign, clocks_form=form)

    return act(
        form,
        lambda: clocks.set_targets(campaign, form.targets(), by=current_user),
        back=url_for("admin.campaign_edit", campaign_id=campaign_id) + "#clocks",
        success=_("기한을 저장했어요. 배지와 대시보드가 새 기한으로 셈해요."),
        again=again,
        beside=form.triage_days,
    )


@bp.route("/campaigns/<int:campaign_id>/import", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, after the size check below
@requires(Role.ADMIN)
def campaign_import(campaign_id):
    """Import a call centre's or chatbot's log (imports.py): preview, then store."""
    campaign = _get(Campaign, campaign_id)
    limit = current_app.config["IMPORT_MAX_BYTES"]
    request.max_content_length = limit + 256 * 1024  # the file and the form around it
    size = request.content_length or 0
    too_large = request.method == "POST" and size > limit + 256 * 1024 and imports.too_large(size)
    # A file over the limit is never read: the page says so instead of a bare 413.
    form = ImportForm(formdata=None) if too_large else ImportForm()
    report = None
    if too_large:
        form.file.errors = [too_large]
    elif form.validate_on_submit():
        upload = form.file.data
        with change(form, beside=form.file) as done:
            report = imports.import_moments(
                campaign,
                upload.stream.read(limit + 1),
                filename=upload.filename or "",
                now=utcnow(),
                dry_run=form.dry_run,
                by=current_user,
            )
        if not done.ok:
            report = None
    status = 413 if too_large else 200
    return render_template(
        "admin/campaign_import.html",
        form=form,
        campaign=campaign,
        report=report,
        limit=limit,
        columns=imports.COLUMNS,
    ), status


# --- audit log -----------------------------------------------------------------------------------


@bp.get("/audit")
@requires(Role.ADMIN)
def audit_log():
    args = request.args
    since = bounded_day(args.get("since"))
    until = bounded_day(args.get("until"))
    page = audit.search(
        actor_id=bounded_int(args.get("actor")),
        action=args.get("action") or None,
        since=datetime.combine(since, time.min) if since else None,
        until=datetime.combine(until + timedelta(days=1), time.min) if until else None,
        page=bounded_int(args.get("page")) or 1,
    )
    return render_template(
        "admin/audit.html",
        page=page,
        actions=audit.actions_used(),
        people=audit.people(),
        args=args,
    )


# --- my settings ---------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = SettingsForm(shortcuts=current_user.shortcuts)
    password = PasswordForm()
    if (
        request.method == "POST"
        and request.form.get("which") == "shortcuts"
        and form.validate_on_submit()
    ):
        with change():
            accounts.set_shortcuts(current_user, form.shortcuts.data)
        flash(_("단축키 설정을 저장했어요."), "info")
        return redirect(url_for("admin.settings"), 303)
    if (
        request.method == "POST"
        and request.form.get("which") == "password"
        and password.validate_on_submit()
    ):
        with change(password, beside=password.new) as done:
            accounts.change_password(
                current_user, current=password.current.data, new=password.new.data
            )
        if done.ok:
            flash(
                _("비밀번호를 바꿨어요. 다른 기기에서는 로그아웃됐어요. 다시 로그인해 주세요."),
                "info",
            )
            return redirect(url_for("admin.login"), 303)
    return render_template(
        "admin/settings.html",
        form=form,
        password=password,
        two_factor_required=two_factor.required(current_user),
    )


@bp.route("/settings/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Enrol (or enrol again) a second factor: scan, type the first code, keep the recovery
    codes."""
    form = CodeForm()
    if form.validate_on_submit() and current_user.totp_pending:
        # A refused code is kept in the audit trail (the refusal says so); a new factor ends
        # every session of the account, and this browser goes on in a new one.
        with change(form, beside=form.code) as done:
            codes = two_factor.confirm_enrolment(
                current_user, form.code.data, current=request.form.get("current"), now=utcnow()
            )
            token = accounts.open_session(current_user, now=utcnow(), sign_in=False)
        if done.ok:
            login_user(current_user._get_current_object())
            session["desk"], session["second_factor"] = token, True
            return render_template("admin/two_factor.html", recovery_codes=codes)
    elif not current_user.totp_pending:
        with change():
            two_factor.start_enrolment(current_user)
    return render_template(
        "admin/two_factor.html",
        form=form,
        qr=Markup(two_factor.enrolment_qr(current_user)),
        secret=current_user.totp_pending,
        required=two_factor.required(current_user),
    )
