"""Managing the desk: tags, teams, urgent rules, accounts, campaigns, the audit log, settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user
from markupsafe import Markup
from sqlalchemy import func, select

from campaign import accounts, analytics, audit, campaigns, moderation, two_factor
from campaign.admin.blueprint import bp, requires, saved
from campaign.admin.forms import (
    AccountForm,
    ActionForm,
    CampaignForm,
    MergeTagForm,
    NameForm,
    PasswordForm,
    RoleForm,
    RuleForm,
    SettingsForm,
    CodeForm,
)
from campaign.intake import bounded_day, bounded_int
from campaign.extensions import db
from campaign.labels import ROLE_LABELS
from campaign.models import AuditEvent, Campaign, Moderator, Moment, Role, Tag, Team, UrgentRule, moment_tag, utcnow


def _get(model, ident):
    return db.session.get(model, ident) or abort(404)


def _commit_or_flash(action, success: str, endpoint: str, **values):
    """Run a domain action; commit and flash success, or roll back and flash why not."""
    try:
        action()
    except (moderation.ModerationError, accounts.AccountError, campaigns.CampaignError) as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(success, "info")
    return redirect(url_for(endpoint, **values), 303)


# --- tags ----------------------------------------------------------------------------------------

@bp.get("/tags")
def tags():
    counts = dict(db.session.execute(select(moment_tag.c.tag_id, func.count()).group_by(moment_tag.c.tag_id)).all())
    all_tags = list(db.session.scalars(select(Tag).order_by(Tag.name)))
    merge = MergeTagForm()
    merge.into.choices = [(t.id, t.name) for t in all_tags]
    return render_template("admin/tags.html", tags=all_tags, counts=counts, rename=NameForm(), merge=merge)


def _rename(row, rename, success: str, endpoint: str):
    form = NameForm()
    if not form.validate_on_submit():
        flash("새 이름을 입력해 주세요.", "error")
        return redirect(url_for(endpoint), 303)
    return _commit_or_flash(lambda: rename(row, form.name.data, by=current_user), success, endpoint)


@bp.post("/tags/<int:tag_id>/rename")
@requires(Role.MODERATOR)
def tag_rename(tag_id):
    return _rename(_get(Tag, tag_id), moderation.rename_tag, "태그 이름을 바꿨어요.", "admin.tags")


@bp.post("/tags/<int:tag_id>/merge")
@requires(Role.MODERATOR)
def tag_merge(tag_id):
    tag, form = _get(Tag, tag_id), MergeTagForm()
    form.into.choices = [(t.id, t.name) for t in db.session.scalars(select(Tag))]
    if not form.validate_on_submit():
        flash("합칠 태그를 골라 주세요.", "error")
        return redirect(url_for("admin.tags"), 303)
    into = _get(Tag, form.into.data)
    name = tag.name
    return _commit_or_flash(lambda: moderation.merge_tags(tag, into, by=current_user),
                            f"'{name}' 태그를 '{into.name}'에 합쳤어요.", "admin.tags")


# --- teams -----------------------------------------------------------------------------------------

@bp.get("/teams")
def teams():
    every_campaign = analytics.Filter(None, ZoneInfo(current_app.config["TIMEZONE"]))
    counts = {row.team_id: row.moments for row in analytics.team_rows(every_campaign)}
    return render_template("admin/teams.html", teams=list(db.session.scalars(select(Team).order_by(Team.name))),
                           counts=counts, form=NameForm(), rename=NameForm())


@bp.post("/teams")
@requires(Role.ADMIN)
def team_create():
    form = NameForm()
    if not form.validate_on_submit():
        flash("팀 이름을 입력해 주세요.", "error")
        return redirect(url_for("admin.teams"), 303)
    return _commit_or_flash(lambda: moderation.create_team(form.name.data, by=current_user), "팀을 만들었어요.", "admin.teams")


@bp.post("/teams/<int:team_id>/rename")
@requires(Role.ADMIN)
def team_rename(team_id):
    return _rename(_get(Team, team_id), moderation.rename_team, "팀 이름을 바꿨어요.", "admin.teams")


# --- urgent rules ------------------------------------------------------------------------------

@bp.get("/rules")
def rules():
    urgent = db.session.scalar(select(func.count()).select_from(Moment).where(Moment.urgent.is_(True)))
    return render_template("admin/rules.html", rules=list(db.session.scalars(select(UrgentRule).order_by(UrgentRule.phrase))),
                           form=RuleForm(), action_form=ActionForm(), urgent=urgent)


@bp.post("/rules")
@requires(Role.ADMIN)
def rule_add():
    form = RuleForm()
    if not form.validate_on_submit():
        flash("단어를 입력해 주세요.", "error")
        return redirect(url_for("admin.rules"), 303)
    return _commit_or_flash(lambda: moderation.add_urgent_rule(form.phrase.data, by=current_user),
                            "단어를 더하고 긴급 표시를 다시 계산했어요.", "admin.rules")


@bp.post("/rules/<int:rule_id>/remove")
@requires(Role.ADMIN)
def rule_remove(rule_id):
    rule = _get(UrgentRule, rule_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _commit_or_flash(lambda: moderation.remove_urgent_rule(rule, by=current_user),
                            "단어를 빼고 긴급 표시를 다시 계산했어요.", "admin.rules")


# --- accounts ------------------------------------------------------------------------------------

@bp.route("/accounts", methods=["GET", "POST"])
@requires(Role.ADMIN)
def accounts_page():
    form = AccountForm()
    if form.validate_on_submit():
        try:
            accounts.create_moderator(email=form.email.data, name=form.name.data, password=form.password.data,
                                      role=Role(form.role.data), by=current_user)
        except accounts.AccountError as refused:
            db.session.rollback()
            field = form.password if "비밀번호" in str(refused) else form.email
            field.errors.append(str(refused))
        else:
            db.session.commit()
            flash(f"{form.name.data} 님의 계정을 만들었어요. 처음 비밀번호를 따로 안전하게 전해 주세요.", "info")
            return redirect(url_for("admin.accounts_page"), 303)
    people = list(db.session.scalars(select(Moderator).order_by(Moderator.active.desc(), Moderator.name)))
    return render_template("admin/accounts.html", form=form, people=people, role_form=RoleForm(),
                           action_form=ActionForm(), ROLE_LABELS=ROLE_LABELS)


@bp.post("/accounts/<int:moderator_id>/role")
@requires(Role.ADMIN)
def account_role(moderator_id):
    person, form = _get(Moderator, moderator_id), RoleForm()
    if not form.validate_on_submit():
        abort(400)
    return _commit_or_flash(lambda: accounts.set_role(person, Role(form.role.data), by=current_user),
                            f"{person.name} 님의 권한을 바꿨어요.", "admin.accounts_page")


@bp.post("/accounts/<int:moderator_id>/active")
@requires(Role.ADMIN)
def account_active(moderator_id):
    person = _get(Moderator, moderator_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    active = not person.active
    message = f"{person.name} 님의 계정을 {'다시 켰어요' if active else '껐어요. 모든 기기에서 로그아웃됐어요'}."
    return _commit_or_flash(lambda: accounts.set_active(person, active, by=current_user), message, "admin.accounts_page")


@bp.post("/accounts/<int:moderator_id>/two-factor/reset")
@requires(Role.ADMIN)
def account_two_factor_reset(moderator_id):
    person = _get(Moderator, moderator_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _commit_or_flash(lambda: two_factor.reset(person, by=current_user, now=utcnow()),
                            f"{person.name} 님의 2단계 인증을 초기화했어요. 다음 로그인 때 다시 등록해요.", "admin.accounts_page")


# --- campaigns -----------------------------------------------------------------------------------

@bp.get("/campaigns")
def campaigns_page():
    return render_template("admin/campaigns.html",
                           campaigns=list(db.session.scalars(select(Campaign).order_by(Campaign.opens_on.desc()))),
                           today=campaigns.local_today())


@bp.route("/campaigns/new", methods=["GET", "POST"], defaults={"campaign_id": None})
@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@requires(Role.ADMIN)
def campaign_edit(campaign_id):
    campaign = _get(Campaign, campaign_id) if campaign_id else None
    form = CampaignForm(obj=campaign) if request.method == "GET" and campaign else CampaignForm()
    if request.method == "GET" and campaign:
        form.categories.data, form.channels.data = ", ".join(campaign.categories), ", ".join(campaign.channels)
    if form.validate_on_submit():
        fields = dict(slug=form.slug.data.strip(), title=form.title.data, question=form.question.data,
                      intro=form.intro.data or "", categories=form.split(form.categories.data),
                      channels=form.split(form.channels.data), opens_on=form.opens_on.data, closes_on=form.closes_on.data)
        def apply():
            if campaign:
                return campaigns.update_campaign(campaign, **fields, by=current_user)
            return campaigns.create_campaign(**fields, by=current_user)

        done = saved(apply, refusals=(campaigns.CampaignError,), field=form.slug, success="캠페인을 저장했어요.",
                     to=lambda _: url_for("admin.campaigns_page"))
        if done:
            return done
    return render_template("admin/campaign_form.html", form=form, campaign=campaign)


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
    actions = list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    people = list(db.session.scalars(select(Moderator).order_by(Moderator.name)))
    return render_template("admin/audit.html", page=page, actions=actions, people=people, args=args)


# --- my settings ---------------------------------------------------------------------------------

@bp.route("/settings", methods=["GET", "POST"])
def settings():
    form = SettingsForm(shortcuts=current_user.shortcuts)
    password = PasswordForm()
    if request.method == "POST" and request.form.get("which") == "shortcuts" and form.validate_on_submit():
        accounts.set_shortcuts(current_user, form.shortcuts.data)
        db.session.commit()
        flash("단축키 설정을 저장했어요.", "info")
        return redirect(url_for("admin.settings"), 303)
    if request.method == "POST" and request.form.get("which") == "password" and password.validate_on_submit():
        done = saved(lambda: accounts.change_password(current_user, current=password.current.data, new=password.new.data),
                     refusals=(accounts.AccountError,), field=password.new,
                     success="비밀번호를 바꿨어요. 다른 기기에서는 로그아웃됐어요. 다시 로그인해 주세요.",
                     to=lambda _: url_for("admin.login"))
        if done:
            return done
    return render_template("admin/settings.html", form=form, password=password,
                           two_factor_required=two_factor.required(current_user))


@bp.route("/settings/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Enrol (or enrol again) a second factor: scan, type the first code, keep the recovery codes."""
    form = CodeForm()
    if form.validate_on_submit() and current_user.totp_pending:
        try:
            codes = two_factor.confirm_enrolment(current_user, form.code.data, current=request.form.get("current"),
                                                 now=utcnow())
        except two_factor.TwoFactorError as refused:
            db.session.commit()  # the failed attempt is in the audit trail
            form.code.errors.append(str(refused))
        else:
            # A new factor ends every session of the account; this browser goes on in a new one.
            login_user(current_user._get_current_object())
            token = accounts.open_session(current_user, now=utcnow(), sign_in=False)
            session["desk"], session["second_factor"] = token, True
            db.session.commit()
            return render_template("admin/two_factor.html", recovery_codes=codes)
    elif not current_user.totp_pending:
        two_factor.start_enrolment(current_user)
        db.session.commit()
    return render_template("admin/two_factor.html", form=form, qr=Markup(two_factor.enrolment_qr(current_user)),
                           secret=current_user.totp_pending, required=two_factor.required(current_user))
