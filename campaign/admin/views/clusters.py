"""The cluster workspace: groups largest or fastest-growing first, and people's decisions on them."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from campaign import audit, desk_jobs, fixes, loop, moderation
from campaign.admin.blueprint import act, bp, requires
from campaign.admin.forms import ActionForm, HideForm, NameForm, RouteForm, TagForm, team_choices
from campaign.admin.forms_clusters import ClusterStatusForm, ClusterTargetForm, PublicForm, SplitForm
from campaign.clustering import decisions, grouping, similarity
from campaign.intake import bounded_int, public_ids
from campaign.extensions import db
from campaign.labels import CLUSTER_STATUS_LABELS, FIX_STATE_LABELS, STATUS_LABELS
from campaign.models import Campaign, Cluster, ClusterStatus, HiddenReason, Moment, Role, Team, utcnow


def _cluster(cluster_id: int) -> Cluster:
    return db.session.get(Cluster, cluster_id) or abort(404)


def _regressions(campaign: Campaign | None, now) -> dict[int, loop.Regression]:
    """Clusters growing again after their fix was 개선 완료, by cluster id."""
    config = current_app.config
    found = loop.regressions(campaign, now=now, min_moments=config["REGRESSION_MIN_MOMENTS"],
                             days=config["REGRESSION_DAYS"])
    return {r.cluster.id: r for r in found}


def _campaign_choice() -> Campaign | None:
    chosen = bounded_int(request.args.get("campaign"))
    if chosen:
        return db.session.get(Campaign, chosen)
    return db.session.scalar(select(Campaign).order_by(Campaign.opens_on.desc()).limit(1))


@bp.get("/clusters")
def clusters():
    campaign = _campaign_choice()
    rows = list(db.session.scalars(select(Cluster).options(selectinload(Cluster.team)).where(
        Cluster.campaign_id == (campaign.id if campaign else -1), Cluster.merged_into_id.is_(None))))
    ids = [c.id for c in rows]
    now = utcnow()
    size, recent, trend = grouping.sizes(ids), grouping.growth(ids, now), grouping.trend(ids, now)
    order = request.args.get("sort", "size")
    key = (lambda c: (-recent.get(c.id, 0), -size.get(c.id, 0))) if order == "growth" else (lambda c: (-size.get(c.id, 0), c.id))
    rows = [c for c in sorted(rows, key=key) if size.get(c.id, 0)]
    waiting = db.session.scalar(select(db.func.count()).select_from(Moment).where(
        Moment.campaign_id == (campaign.id if campaign else -1), Moment.cluster_id.is_(None)))
    return render_template("admin/clusters.html", campaign=campaign, rows=rows, size=size, recent=recent, trend=trend,
                           order=order, regressing=_regressions(campaign, now),
                           waiting=waiting, campaigns=list(db.session.scalars(select(Campaign))),
                           action_form=ActionForm(), CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS)


@bp.post("/clusters/recluster/<int:campaign_id>")
@requires(Role.ADMIN)
def clusters_recluster(campaign_id):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    run = desk_jobs.request("recluster", campaign=campaign, by=current_user, now=utcnow())
    db.session.commit()
    return redirect(url_for("admin.job", run_id=run.id), 303)


@bp.get("/clusters/<int:cluster_id>")
def cluster_detail(cluster_id):
    cluster = _cluster(cluster_id)
    page_number = bounded_int(request.args.get("page")) or 1
    page = db.paginate(decisions.members_query(cluster), page=page_number, per_page=30, error_out=False)
    others = list(db.session.scalars(select(Cluster).where(Cluster.campaign_id == cluster.campaign_id,
                                                          Cluster.id != cluster.id, Cluster.merged_into_id.is_(None))))
    profile = similarity.profile(cluster)
    target = ClusterTargetForm()
    # Nothing chosen by default (it used to be whichever cluster came first, often a finished
    # one); the suggested clusters first, finished ones last.
    suggested = [c.id for c, _ in profile.neighbours]
    others.sort(key=lambda c: (c.id not in suggested, c.status is ClusterStatus.DONE, c.label))
    target.cluster.choices = [("", "합칠 묶음 고르기")] + [(str(c.id), c.label) for c in others]
    route = RouteForm(team=str(cluster.team_id or ""))
    route.team.choices = team_choices(db.session.scalars(select(Team).order_by(Team.name)))
    return render_template("admin/cluster.html", cluster=cluster, page=page, members=page.items,
                           merged_into=db.session.get(Cluster, cluster.merged_into_id) if cluster.merged_into_id else None,
                           profile=profile, trend=grouping.trend([cluster.id], utcnow())[cluster.id],
                           answering=fixes.for_cluster(cluster), FIX_STATE_LABELS=FIX_STATE_LABELS,
                           suggested_tags=grouping.suggest_tags(cluster, [c for c, _ in profile.neighbours]),
                           history=audit.history("cluster", str(cluster.id)), rename=NameForm(name=cluster.label),
                           status_form=ClusterStatusForm(status=cluster.status.value), target=target, route=route,
                           split=SplitForm(), action_form=ActionForm(), tag_form=TagForm(), hide_form=HideForm(),
                           STATUS_LABELS=STATUS_LABELS, CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS,
                           public=PublicForm(title=cluster.public_title, note=cluster.public_note, listed=cluster.listed),
                           listed=loop.is_listed(cluster), regression=_regressions(db.session.get(Campaign, cluster.campaign_id), utcnow()).get(cluster.id),
                           regression_days=current_app.config["REGRESSION_DAYS"])


def _decided(cluster_id: int, form, apply, success: str | None):
    cluster = _cluster(cluster_id)
    # Undoable actions flash their own message with the undo button, so `success` may be None.
    return act(form, lambda: apply(cluster), refusals=(decisions.ClusterError,),
               back=url_for("admin.cluster_detail", cluster_id=cluster_id), success=success)


@bp.post("/clusters/<int:cluster_id>/rename")
@requires(Role.MODERATOR)
def cluster_rename(cluster_id):
    form = NameForm()
    return _decided(cluster_id, form, lambda c: decisions.rename(c, form.name.data, by=current_user), "이름을 바꿨어요.")


@bp.post("/clusters/<int:cluster_id>/lock")
@requires(Role.MODERATOR)
def cluster_lock(cluster_id):
    cluster = _cluster(cluster_id)
    return _decided(cluster_id, ActionForm(), lambda c: decisions.set_locked(c, not c.locked, by=current_user),
                    "고정을 풀었어요." if cluster.locked else "고정했어요. 다시 묶어도 바뀌지 않아요.")


@bp.post("/clusters/<int:cluster_id>/status")
@requires(Role.MODERATOR)
def cluster_status(cluster_id):
    form = ClusterStatusForm()
    return _decided(cluster_id, form, lambda c: decisions.set_status(c, ClusterStatus(form.status.data), by=current_user),
                    "상태를 바꿨어요.")


@bp.post("/clusters/<int:cluster_id>/public")
@requires(Role.MODERATOR)
def cluster_public(cluster_id):
    form = PublicForm()

    def apply(cluster):
        decisions.set_public(cluster, title=form.title.data, note=form.note.data, listed=form.listed.data,
                             by=current_user)
        if cluster.listed and not loop.is_listed(cluster):
            flash("저장했어요. 다만 지금 상태로는 '듣고 있어요'에 보이지 않아요. 개선 예정, 개선 중, 보류 중 하나로 "
                  "바꾸면 보여요.", "info")
        else:
            flash("'듣고 있어요'에 보일 모습을 저장했어요." if cluster.listed else "'듣고 있어요'에서 내렸어요.", "info")

    return _decided(cluster_id, form, apply, None)


@bp.post("/clusters/<int:cluster_id>/route")
@requires(Role.MODERATOR)
def cluster_route(cluster_id):
    form = RouteForm()
    form.team.choices = team_choices(db.session.scalars(select(Team)))
    return _decided(cluster_id, form, lambda c: decisions.route(
        c, db.session.get(Team, int(form.team.data)) if form.team.data else None, by=current_user), "담당 팀을 정했어요.")


@bp.post("/clusters/<int:cluster_id>/merge")
@requires(Role.MODERATOR)
def cluster_merge(cluster_id):
    form = ClusterTargetForm()
    form.cluster.choices = [(str(c.id), "") for c in db.session.scalars(select(Cluster))]

    def apply(cluster):
        into = _cluster(int(form.cluster.data))
        decisions.merge(cluster, into, by=current_user)
        return url_for("admin.cluster_detail", cluster_id=into.id)

    return _decided(cluster_id, form, apply, "합쳤어요. 합친 쪽 묶음에서 '합치기 취소'로 되돌릴 수 있어요.")


@bp.post("/clusters/<int:cluster_id>/unmerge")
@requires(Role.MODERATOR)
def cluster_unmerge(cluster_id):
    return _decided(cluster_id, ActionForm(), lambda c: decisions.unmerge(c, by=current_user) and None,
                    "합치기를 취소했어요. 두 묶음이 다시 따로 있어요.")


def _undoable(done: moderation.Done, message: str) -> None:
    if done.batch:
        flash({"text": message, "batch": done.batch}, "undo")


@bp.post("/clusters/<int:cluster_id>/tag")
@requires(Role.MODERATOR)
def cluster_tag(cluster_id):
    form = TagForm()

    def apply(cluster):
        tag = moderation.find_or_create_tag(form.tag.data, by=current_user)
        _undoable(decisions.tag_all(cluster, tag, by=current_user), f"묶음의 이야기 모두에 '{tag.name}' 태그를 달았어요.")

    return _decided(cluster_id, form, apply, None)


@bp.post("/clusters/<int:cluster_id>/hide")
@requires(Role.MODERATOR)
def cluster_hide(cluster_id):
    form = HideForm()
    return _decided(cluster_id, form, lambda c: _undoable(
        decisions.hide_all(c, HiddenReason(form.reason.data), by=current_user), "묶음의 이야기를 모두 숨겼어요."),
        None)


@bp.post("/clusters/<int:cluster_id>/split")
@requires(Role.MODERATOR)
def cluster_split(cluster_id):
    form = SplitForm()

    def apply(cluster):
        new = decisions.split(cluster, public_ids(request.form.getlist("ids")), by=current_user, name=form.name.data)
        return url_for("admin.cluster_detail", cluster_id=new.id)

    return _decided(cluster_id, form, apply, "고른 이야기를 새 묶음으로 나눴어요.")
