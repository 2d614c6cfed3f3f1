"""The inbox: list and detail side by side, and every action on moments (single or bulk)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from campaign import audit, inbox, moderation
from campaign.admin.forms_clusters import ClusterTargetForm
from campaign.clustering import decisions, similar
from campaign.admin.blueprint import act, bp, requires
from campaign.admin.forms import (
    ActionForm,
    team_choices,
    BulkForm,
    HideForm,
    MaskForm,
    RouteForm,
    StatusForm,
    TagForm,
)
from campaign.intake import bounded_day, bounded_int, public_ids
from campaign.extensions import db
from campaign.labels import HIDDEN_LABELS, STATUS_LABELS
from campaign.models import Campaign, Cluster, HiddenReason, Moment, MomentStatus, Role, Tag, Team


def current_filter() -> inbox.InboxFilter:
    args = request.args
    return inbox.InboxFilter(
        campaign=bounded_int(args.get("campaign")),
        status=args.get("status") or None,
        category=args.get("category") or None,
        channel=args.get("channel") or None,
        tag=bounded_int(args.get("tag")),
        team=bounded_int(args.get("team")),
        flag=args.get("flag") if args.get("flag") in inbox.FLAGS else None,
        since=bounded_day(args.get("since")),
        until=bounded_day(args.get("until")),
        q=(args.get("q") or "").strip()[:100] or None,
        sort=args.get("sort") if args.get("sort") in inbox.SORTS else "newest",
    )


def _teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def _back_url(moment_id: str | None = None) -> str:
    """Back to where the action was taken, with the same filters and page."""
    args = {k: v for k, v in request.args.items() if k != "moment_id"}
    if moment_id:
        return url_for("admin.moment", moment_id=moment_id, **args)
    return url_for("admin.inbox", **args)


def _back(moment_id: str | None = None):
    return redirect(_back_url(moment_id), 303)


def _done(result: moderation.Done, message: str) -> None:
    if result.batch:
        flash({"text": message, "batch": result.batch}, "undo")
    else:
        flash("바뀐 것이 없어요.", "info")


@bp.get("/")
def home():
    return redirect(url_for("admin.inbox"))


def inbox_page(moment_id: str | None):
    f = current_filter()
    page = inbox.page(f, bounded_int(request.args.get("page")) or 1)
    opened = db.session.get(Moment, moment_id) if moment_id else None
    if moment_id and opened is None:
        abort(404)
    previous_id, next_id = inbox.neighbours(f, opened) if opened else (None, None)
    teams = _teams()
    route = RouteForm(team=str(opened.team_id or "") if opened else "")
    route.team.choices = team_choices(teams)
    bulk = BulkForm()
    bulk.team.choices = team_choices(teams)
    return render_template(
        "admin/inbox.html",
        filter=f, page=page, opened=opened, previous_id=previous_id, next_id=next_id,
        history=audit.history("moment", opened.id) if opened else [],
        similar=similar.to_moment(opened) if opened else None,
        campaigns=list(db.session.scalars(select(Campaign).order_by(Campaign.opens_on.desc()))),
        tags=list(db.session.scalars(select(Tag).order_by(Tag.name))),
        teams=teams,
        status_form=StatusForm(status=opened.status.value if opened else None), hide_form=HideForm(),
        tag_form=TagForm(), route_form=route, mask_form=MaskForm(), bulk=bulk, action_form=ActionForm(),
        STATUS_LABELS=STATUS_LABELS, HIDDEN_LABELS=HIDDEN_LABELS,
        cluster_choices=[(str(c.id), c.label) for c in db.session.scalars(
            select(Cluster).where(Cluster.campaign_id == opened.campaign_id, Cluster.merged_into_id.is_(None))
            .order_by(Cluster.id))] if opened else [],
    )


bp.add_url_rule("/moments", "inbox", inbox_page, defaults={"moment_id": None})
bp.add_url_rule("/moments/<moment_id>", "moment", inbox_page)


def _moment_or_404(moment_id: str) -> Moment:
    moment = db.session.get(Moment, moment_id)
    if moment is None:
        abort(404)
    return moment


def _act(moment_id: str, form, apply):
    """Validate a single-moment action form, apply it, commit, and go back to the moment."""
    moment = _moment_or_404(moment_id)

    def run():
        apply(moment)

    return act(form, run, refusals=(moderation.ModerationError, decisions.ClusterError), back=_back_url(moment_id))


@bp.post("/moments/<moment_id>/status")
@requires(Role.MODERATOR)
def moment_status(moment_id):
    form = StatusForm()

    def apply(moment):
        target = MomentStatus(form.status.data)
        _done(moderation.set_status([moment], target, by=current_user), f"'{STATUS_LABELS[target]}'(으)로 바꿨어요.")

    return _act(moment_id, form, apply)


@bp.post("/moments/<moment_id>/hide")
@requires(Role.MODERATOR)
def moment_hide(moment_id):
    form = HideForm()

    def apply(moment):
        reason = HiddenReason(form.reason.data)
        _done(moderation.hide([moment], reason, by=current_user), f"숨겼어요 ({HIDDEN_LABELS[reason]}).")

    return _act(moment_id, form, apply)


@bp.post("/moments/<moment_id>/restore")
@requires(Role.MODERATOR)
def moment_restore(moment_id):
    return _act(moment_id, ActionForm(),
                lambda moment: _done(moderation.restore([moment], by=current_user), "다시 보이게 했어요."))


@bp.post("/moments/<moment_id>/tags")
@requires(Role.MODERATOR)
def moment_tag_add(moment_id):
    form = TagForm()

    def apply(moment):
        tag = moderation.find_or_create_tag(form.tag.data, by=current_user)
        _done(moderation.add_tag([moment], tag, by=current_user), f"'{tag.name}' 태그를 달았어요.")

    return _act(moment_id, form, apply)


@bp.post("/moments/<moment_id>/tags/<int:tag_id>/remove")
@requires(Role.MODERATOR)
def moment_tag_remove(moment_id, tag_id):
    tag = db.session.get(Tag, tag_id) or abort(404)
    return _act(moment_id, ActionForm(), lambda moment: _done(
        moderation.remove_tag([moment], tag, by=current_user), f"'{tag.name}' 태그를 뗐어요."))


@bp.post("/moments/<moment_id>/route")
@requires(Role.MODERATOR)
def moment_route(moment_id):
    form = RouteForm()
    form.team.choices = team_choices(_teams())

    def apply(moment):
        team = db.session.get(Team, int(form.team.data)) if form.team.data else None
        message = f"'{team.name}'에 넘겼어요." if team else "담당 팀을 비웠어요."
        _done(moderation.route([moment], team, by=current_user), message)

    return _act(moment_id, form, apply)


@bp.post("/moments/<moment_id>/mask")
@requires(Role.MODERATOR)
def moment_mask(moment_id):
    form = MaskForm()

    def apply(moment):
        count = moderation.mask_more(moment, form.phrase.data, form.kind.data, by=current_user)
        flash(f"{count}곳을 가렸어요. 가린 내용은 되돌릴 수 없어요.", "info")

    return _act(moment_id, form, apply)


@bp.post("/moments/<moment_id>/cluster")
@requires(Role.MODERATOR)
def moment_move(moment_id):
    form = ClusterTargetForm()
    form.cluster.choices = [("", "")] + [(str(c.id), "") for c in db.session.scalars(select(Cluster))]

    def apply(moment):
        decisions.move(moment, db.session.get(Cluster, int(form.cluster.data)) if form.cluster.data else None, by=current_user)
        flash("묶음을 옮겼어요. 다시 묶어도 그대로 있어요.", "info")

    return _act(moment_id, form, apply)


@bp.post("/moments/bulk")
@requires(Role.MODERATOR)
def moments_bulk():
    form = BulkForm()
    form.team.choices = team_choices(_teams())
    ids = public_ids(request.form.getlist("ids"))
    if not ids:
        flash("먼저 이야기를 골라 주세요.", "error")
        return _back()
    if not form.validate_on_submit():
        flash(" ".join(m for _, m in form.error_list), "error")
        return _back()
    moments = list(db.session.scalars(select(Moment).where(Moment.id.in_(ids))))
    try:
        if form.action.data == "status":
            target = MomentStatus(form.status.data)
            result = moderation.set_status([m for m in moments if m.status is not MomentStatus.HIDDEN], target, by=current_user)
            message = f"{result.count}개를 '{STATUS_LABELS[target]}'(으)로 바꿨어요."
        elif form.action.data == "hide":
            reason = HiddenReason(form.reason.data)
            result = moderation.hide(moments, reason, by=current_user)
            message = f"{result.count}개를 숨겼어요 ({HIDDEN_LABELS[reason]})."
        elif form.action.data == "tag":
            tag = moderation.find_or_create_tag(form.tag.data, by=current_user)
            result = moderation.add_tag(moments, tag, by=current_user)
            message = f"{result.count}개에 '{tag.name}' 태그를 달았어요."
        else:
            team = db.session.get(Team, int(form.team.data)) if form.team.data else None
            result = moderation.route(moments, team, by=current_user)
            message = f"{result.count}개를 '{team.name}'에 넘겼어요." if team else f"{result.count}개의 담당 팀을 비웠어요."
    except moderation.ModerationError as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return _back()
    db.session.commit()
    _done(result, message)
    return _back()


@bp.post("/undo/<batch>")
@requires(Role.MODERATOR)
def undo(batch):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = moderation.undo(batch, by=current_user)
    except moderation.ModerationError as refused:
        db.session.rollback()
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(f"되돌렸어요 ({result.count}건).", "info")
    target = request.form.get("back") or ""
    return redirect(target if target.startswith("/admin/") else url_for("admin.inbox"), 303)
