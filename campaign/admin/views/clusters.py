"""The cluster workspace: groups largest or fastest-growing first, and people's decisions on
them."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from campaign import (
    briefs,
    clocks,
    desk_jobs,
    desk_pages,
    desk_settings,
    loop,
    moderation,
    notes,
    ranking,
    webhooks,
)
from campaign.admin.blueprint import act, bp, change, requires
from campaign.admin.forms import ActionForm, HideForm, NameForm, NoteForm, TagForm, team_choices
from campaign.admin.forms_clusters import (
    ClusterRouteForm,
    ClusterStatusForm,
    ClusterTargetForm,
    PublicForm,
    SplitForm,
)
from campaign.clustering import decisions
from campaign.extensions import csrf, db
from campaign.i18n import _
from campaign.intake import bounded_int, public_ids
from campaign.labels import CLUSTER_STATUS_LABELS, FIX_STATE_LABELS, STATUS_LABELS
from campaign.models import Campaign, Cluster, ClusterStatus, HiddenReason, Role, Team, utcnow


def _cluster(cluster_id: int) -> Cluster:
    return db.session.get(Cluster, cluster_id) or abort(404)


def _regression() -> tuple[int, int]:
    return current_app.config["REGRESSION_MIN_MOMENTS"], current_app.config["REGRESSION_DAYS"]


@bp.get("/clusters")
def clusters():
    shown = desk_pages.clusters_page(
        bounded_int(request.args.get("campaign")),
        order=request.args.get("sort", "size"),
        now=utcnow(),
        regression=_regression(),
    )
    return render_template(
        "admin/clusters.html",
        **vars(shown),
        sorts=desk_pages.CLUSTER_SORTS,
        rank_rule=ranking,
        action_form=ActionForm(),
        CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS,
    )


@bp.post("/clusters/recluster/<int:campaign_id>")
@requires(Role.ADMIN)
def clusters_recluster(campaign_id):
    campaign = db.session.get(Campaign, campaign_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    with change():  # the worker regroups; the job's page shows its progress and result
        run = desk_jobs.request("recluster", campaign=campaign, by=current_user, now=utcnow())
    return redirect(url_for("admin.job", run_id=run.id), 303)


@bp.get("/clusters/<int:cluster_id>")
def cluster_detail(cluster_id):
    return _cluster_page(_cluster(cluster_id))


def _route_form(cluster: Cluster | None = None) -> ClusterRouteForm:
    """The routing form: its team set to the cluster's on a fresh page, else as posted."""
    form = (
        ClusterRouteForm(formdata=None, team=str(cluster.team_id or ""))
        if cluster
        else ClusterRouteForm()
    )
    form.team.choices = team_choices(desk_settings.teams())
    return form


def _cluster_page(cluster: Cluster, *, route=None, note=None):
    """A cluster's page; `route` and `note` are forms posted with an error, shown as typed."""
    shown = desk_pages.cluster_page(
        cluster,
        number=bounded_int(request.args.get("page")) or 1,
        now=utcnow(),
        regression=_regression(),
    )
    target = ClusterTargetForm(formdata=None)
    target.cluster.choices = [("", _("합칠 묶음 고르기")), *shown.merge_choices]
    fresh = {"formdata": None}  # a page shown again after a POST must not read that POST
    return render_template(
        "admin/cluster.html",
        **vars(shown),
        members=shown.page.items,
        FIX_STATE_LABELS=FIX_STATE_LABELS,
        rename=NameForm(**fresh, name=cluster.label),
        status_form=ClusterStatusForm(**fresh, status=cluster.status.value),
        target=target,
        route=route or _route_form(cluster),
        note_form=note or NoteForm(formdata=None),
        split=SplitForm(**fresh),
        action_form=ActionForm(**fresh),
        tag_form=TagForm(**fresh),
        hide_form=HideForm(**fresh),
        STATUS_LABELS=STATUS_LABELS,
        CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS,
        public=PublicForm(
            **fresh, title=cluster.public_title, note=cluster.public_note, listed=cluster.listed
        ),
        regression_days=current_app.config["REGRESSION_DAYS"],
    )


@bp.get("/clusters/<int:cluster_id>/brief")
def cluster_brief(cluster_id):
    """The cluster on one printable page (masked quotes only), for a planning meeting."""
    return render_template(
        "admin/brief.html",
        brief=briefs.brief(_cluster(cluster_id), now=utcnow()),
        listening=len(webhooks.listening("brief")),
    )


@bp.post("/clusters/<int:cluster_id>/brief/send")
@requires(Role.MODERATOR)
def cluster_brief_send(cluster_id):
    """브리프 보내기: the brief to the webhooks that hear it."""
    cluster = _cluster(cluster_id)
    return act(
        ActionForm(),
        lambda: briefs.send(cluster, by=current_user, now=utcnow()),
        back=url_for("admin.cluster_brief", cluster_id=cluster.id),
        success=lambda sent: _(
            "브리프를 웹훅 %(count)s곳에 보냈어요. 전송 기록은 웹훅 설정에 있어요.", count=len(sent)
        ),
    )


def _decided(cluster_id: int, form, apply, success, to=None):
    """Validate a cluster action form, apply it to the cluster, and go back to the cluster (or
    to `to(result)`)."""
    cluster = _cluster(cluster_id)
    return act(
        form,
        lambda: apply(cluster),
        back=url_for("admin.cluster_detail", cluster_id=cluster_id),
        success=success,
        to=to,
    )


def _chosen_cluster(form) -> Cluster:
    """The other cluster a ClusterTargetForm chose; a refusal when there is none."""
    chosen = bounded_int(form.cluster.data)
    target = db.session.get(Cluster, chosen) if chosen else None
    if target is None:
        raise decisions.ClusterError(_("합칠 묶음을 골라 주세요."))
    return target


@bp.post("/clusters/<int:cluster_id>/rename")
@requires(Role.MODERATOR)
def cluster_rename(cluster_id):
    form = NameForm()
    return _decided(
        cluster_id,
        form,
        lambda c: decisions.rename(c, form.name.data, by=current_user),
        _("이름을 바꿨어요."),
    )


@bp.post("/clusters/<int:cluster_id>/lock")
@requires(Role.MODERATOR)
def cluster_lock(cluster_id):
    cluster = _cluster(cluster_id)
    return _decided(
        cluster_id,
        ActionForm(),
        lambda c: decisions.set_locked(c, not c.locked, by=current_user),
        _("고정을 풀었어요.") if cluster.locked else _("고정했어요. 다시 묶어도 바뀌지 않아요."),
    )


@bp.post("/clusters/<int:cluster_id>/status")
@requires(Role.MODERATOR)
def cluster_status(cluster_id):
    form = ClusterStatusForm()
    return _decided(
        cluster_id,
        form,
        lambda c: decisions.set_status(c, ClusterStatus(form.status.data), by=current_user),
        _("상태를 바꿨어요."),
    )


def _public_said(cluster: Cluster) -> str:
    if cluster.listed and not loop.is_listed(cluster):
        return _(
            "저장했어요. 다만 지금 상태로는 '듣고 있어요'에 보이지 않아요. 개선 예정, 개선 중, "
            "보류 중 하나로 바꾸면 보여요."
        )
    return (
        _("'듣고 있어요'에 보일 모습을 저장했어요.")
        if cluster.listed
        else _("'듣고 있어요'에서 내렸어요.")
    )


@bp.post("/clusters/<int:cluster_id>/public")
@requires(Role.MODERATOR)
def cluster_public(cluster_id):
    form, cluster = PublicForm(), _cluster(cluster_id)
    return _decided(
        cluster_id,
        form,
        lambda c: decisions.set_public(
            c, title=form.title.data, note=form.note.data, listed=form.listed.data, by=current_user
        ),
        lambda done: _public_said(cluster),
    )


def _routed(form) -> str:
    return (
        _("담당 팀을 '%(team)s'(으)로 정했어요.", team=_team(form).name)
        if form.team.data
        else _("담당 팀을 비웠어요.")
    )


def _team(form) -> Team | None:
    """The team a validated routing form chose (None: no team)."""
    return db.session.get(Team, int(form.team.data)) if form.team.data else None


@bp.post("/clusters/<int:cluster_id>/route")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.MODERATOR)
def cluster_route(cluster_id):
    cluster, form = _cluster(cluster_id), _route_form()
    return act(
        form,
        lambda: decisions.route(
            cluster, _team(form), by=current_user, reason=form.reason.data, now=utcnow()
        ),
        back=url_for("admin.cluster_detail", cluster_id=cluster_id),
        success=lambda _: _routed(form),
        again=lambda: _cluster_page(cluster, route=form),
        beside=form.team,
    )


@bp.post("/clusters/<int:cluster_id>/notes")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.MODERATOR)
def cluster_note_add(cluster_id):
    cluster, form = _cluster(cluster_id), NoteForm()
    return act(
        form,
        lambda: notes.add(cluster, form.text.data, by=current_user, now=utcnow()),
        back=url_for("admin.cluster_detail", cluster_id=cluster_id) + "#notes",
        success=_("메모를 남겼어요. 운영 화면에만 보여요."),
        again=lambda: _cluster_page(cluster, note=form),
        beside=form.text,
    )


@bp.post("/clusters/<int:cluster_id>/notes/<int:note_id>/delete")
@requires(Role.MODERATOR)
def cluster_note_delete(cluster_id, note_id):
    cluster = _cluster(cluster_id)
    note = notes.find(note_id, cluster) or abort(404)
    return act(
        ActionForm(),
        lambda: notes.remove(note, by=current_user),
        back=url_for("admin.cluster_detail", cluster_id=cluster_id) + "#notes",
        success=_("메모를 지웠어요."),
    )


# --- the escalation queue -------------------------------------------------------------------------


def _escalations_page(*, campaign_id=None, posted=None, posted_for=None):
    """The queue; `posted` is a routing form that came back with an error, for `posted_for`."""
    shown = desk_pages.escalations_page(campaign_id, now=utcnow())
    forms = {}
    for row in shown.rows:
        fresh = _route_form(row.cluster)
        forms[row.cluster.id] = posted if posted_for == row.cluster.id else fresh
    return render_template(
        "admin/escalations.html",
        **vars(shown),
        forms=forms,
        max_handoffs=clocks.MAX_HANDOFFS,
        CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS,
    )


@bp.get("/escalations")
def escalations():
    return _escalations_page(campaign_id=bounded_int(request.args.get("campaign")))


@bp.post("/escalations/<int:cluster_id>/route")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.ADMIN)
def escalation_route(cluster_id):
    cluster, form = _cluster(cluster_id), _route_form()
    back = url_for("admin.escalations", campaign=cluster.campaign_id)

    def apply():
        if not form.team.data:
            raise decisions.ClusterError(
                _("맡을 팀을 골라 주세요. 팀을 정해야 확인이 필요한 묶음에서 빠져요."), field="team"
            )
        decisions.route(
            cluster, _team(form), by=current_user, reason=form.reason.data, now=utcnow()
        )

    return act(
        form,
        apply,
        back=back,
        success=lambda done: _(
            "'%(cluster)s' 묶음을 '%(team)s'에 맡겼어요.",
            cluster=cluster.label,
            team=_team(form).name,
        ),
        again=lambda: _escalations_page(
            campaign_id=cluster.campaign_id, posted=form, posted_for=cluster.id
        ),
        beside=form.team,
    )


@bp.post("/clusters/<int:cluster_id>/merge")
@requires(Role.MODERATOR)
def cluster_merge(cluster_id):
    form = ClusterTargetForm()

    def apply(cluster):
        into = _chosen_cluster(form)
        decisions.merge(cluster, into, by=current_user)
        return into

    return _decided(
        cluster_id,
        form,
        apply,
        _("합쳤어요. 합친 쪽 묶음에서 '합치기 취소'로 되돌릴 수 있어요."),
        to=lambda into: url_for("admin.cluster_detail", cluster_id=into.id),
    )


@bp.post("/clusters/<int:cluster_id>/unmerge")
@requires(Role.MODERATOR)
def cluster_unmerge(cluster_id):
    return _decided(
        cluster_id,
        ActionForm(),
        lambda c: decisions.unmerge(c, by=current_user),
        _("합치기를 취소했어요. 두 묶음이 다시 따로 있어요."),
    )


@bp.post("/clusters/<int:cluster_id>/tag")
@requires(Role.MODERATOR)
def cluster_tag(cluster_id):
    form = TagForm()

    def apply(cluster):
        tag = desk_settings.find_or_create_tag(form.tag.data, by=current_user)
        done = decisions.tag_all(cluster, tag, by=current_user)
        return moderation.Tagged(done.count, done.batch, tag)

    return _decided(
        cluster_id,
        form,
        apply,
        lambda done: _("묶음의 이야기 모두에 '%(tag)s' 태그를 달았어요.", tag=done.tag.name),
    )


@bp.post("/clusters/<int:cluster_id>/hide")
@requires(Role.MODERATOR)
def cluster_hide(cluster_id):
    form = HideForm()
    return _decided(
        cluster_id,
        form,
        lambda c: decisions.hide_all(c, HiddenReason(form.reason.data), by=current_user),
        _("묶음의 이야기를 모두 숨겼어요."),
    )


@bp.post("/clusters/<int:cluster_id>/split")
@requires(Role.MODERATOR)
def cluster_split(cluster_id):
    form = SplitForm()
    return _decided(
        cluster_id,
        form,
        lambda c: decisions.split(
            c, public_ids(request.form.getlist("ids")), by=current_user, name=form.name.data
        ),
        _("고른 이야기를 새 묶음으로 나눴어요."),
        to=lambda new: url_for("admin.cluster_detail", cluster_id=new.id),
    )
