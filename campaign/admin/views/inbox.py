"""The inbox: list and detail side by side, and every action on moments (single or bulk)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign import desk_settings, inbox, moderation, notes
from campaign.admin.blueprint import act, bp, requires
from campaign.admin.forms import (
    ActionForm,
    BulkForm,
    HideForm,
    InboxFilterForm,
    MaskForm,
    NoteForm,
    RouteForm,
    StatusForm,
    TagForm,
    inbox_forms,
    team_choices,
)
from campaign.admin.forms_clusters import ClusterTargetForm
from campaign.clustering import decisions
from campaign.extensions import csrf, db
from campaign.i18n import _
from campaign.intake import bounded_int, public_ids
from campaign.labels import HIDDEN_LABELS, STATUS_LABELS
from campaign.models import Cluster, HiddenReason, Moment, MomentStatus, Role, Tag, Team, utcnow


def _back_url(moment_id: str | None = None) -> str:
    """Back to where the action was taken, with the same filters and page."""
    args = {k: v for k, v in request.args.items() if k != "moment_id"}
    if moment_id:
        return url_for("admin.moment", moment_id=moment_id, **args)
    return url_for("admin.inbox", **args)


@bp.get("/")
def home():
    return redirect(url_for("admin.inbox"))


def inbox_page(moment_id: str | None, *, note=None):
    """The inbox, with `moment_id` opened; `note` is a note form posted with an error, shown
    again as typed."""
    filter_form = InboxFilterForm(formdata=request.args)
    shown = inbox.desk_page(
        filter_form.to_filter(), number=filter_form.page.data, moment_id=moment_id, now=utcnow()
    )
    if shown is None:
        abort(404)
    return render_template(
        "admin/inbox.html",
        **vars(shown),
        **inbox_forms(shown, filter_form),
        note_form=note or NoteForm(formdata=None),
        STATUS_LABELS=STATUS_LABELS,
        HIDDEN_LABELS=HIDDEN_LABELS,
    )


bp.add_url_rule("/moments", "inbox", inbox_page, defaults={"moment_id": None})
bp.add_url_rule("/moments/<moment_id>", "moment", inbox_page)


def _moment_or_404(moment_id: str) -> Moment:
    return db.session.get(Moment, moment_id) or abort(404)


def _act(moment_id: str, form, apply, success):
    """Validate a single-moment action form, apply it to the moment, and go back to it."""
    moment = _moment_or_404(moment_id)
    return act(form, lambda: apply(moment), back=_back_url(moment_id), success=success)


@bp.post("/moments/<moment_id>/status")
@requires(Role.MODERATOR)
def moment_status(moment_id):
    form = StatusForm()
    return _act(
        moment_id,
        form,
        lambda m: moderation.set_status([m], MomentStatus(form.status.data), by=current_user),
        lambda done: _(
            "'%(status)s'(으)로 바꿨어요.", status=STATUS_LABELS[MomentStatus(form.status.data)]
        ),
    )


@bp.post("/moments/<moment_id>/hide")
@requires(Role.MODERATOR)
def moment_hide(moment_id):
    form = HideForm()
    return _act(
        moment_id,
        form,
        lambda m: moderation.hide([m], HiddenReason(form.reason.data), by=current_user),
        lambda done: _(
            "숨겼어요 (%(reason)s).", reason=HIDDEN_LABELS[HiddenReason(form.reason.data)]
        ),
    )


@bp.post("/moments/<moment_id>/restore")
@requires(Role.MODERATOR)
def moment_restore(moment_id):
    return _act(
        moment_id,
        ActionForm(),
        lambda m: moderation.restore([m], by=current_user),
        _("다시 보이게 했어요."),
    )


@bp.post("/moments/<moment_id>/tags")
@requires(Role.MODERATOR)
def moment_tag_add(moment_id):
    form = TagForm()
    return _act(
        moment_id,
        form,
        lambda m: moderation.tag_by_name([m], form.tag.data, by=current_user),
        lambda done: _("'%(tag)s' 태그를 달았어요.", tag=done.tag.name),
    )


@bp.post("/moments/<moment_id>/tags/<int:tag_id>/remove")
@requires(Role.MODERATOR)
def moment_tag_remove(moment_id, tag_id):
    tag = db.session.get(Tag, tag_id) or abort(404)
    return _act(
        moment_id,
        ActionForm(),
        lambda m: moderation.remove_tag([m], tag, by=current_user),
        _("'%(tag)s' 태그를 뗐어요.", tag=tag.name),
    )


def _team(form) -> Team | None:
    """The team a validated RouteForm or BulkForm chose (None: no team)."""
    return db.session.get(Team, int(form.team.data)) if form.team.data else None


@bp.post("/moments/<moment_id>/route")
@requires(Role.MODERATOR)
def moment_route(moment_id):
    form = RouteForm()
    form.team.choices = team_choices(desk_settings.teams())
    return _act(
        moment_id,
        form,
        lambda m: moderation.route([m], _team(form), by=current_user),
        lambda done: (
            _("'%(team)s'에 넘겼어요.", team=_team(form).name)
            if form.team.data
            else _("담당 팀을 비웠어요.")
        ),
    )


@bp.post("/moments/<moment_id>/mask")
@requires(Role.MODERATOR)
def moment_mask(moment_id):
    form = MaskForm()
    return _act(
        moment_id,
        form,
        lambda m: moderation.mask_more(m, form.phrase.data, form.kind.data, by=current_user),
        lambda count: _("%(count)s곳을 가렸어요. 가린 내용은 되돌릴 수 없어요.", count=count),
    )


@bp.post("/moments/<moment_id>/notes")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.MODERATOR)
def moment_note_add(moment_id):
    moment, form = _moment_or_404(moment_id), NoteForm()
    return act(
        form,
        lambda: notes.add(moment, form.text.data, by=current_user, now=utcnow()),
        back=_back_url(moment_id) + "#notes",
        success=_("메모를 남겼어요. 운영 화면에만 보여요."),
        again=lambda: inbox_page(moment_id, note=form),
        beside=form.text,
    )


@bp.post("/moments/<moment_id>/notes/<int:note_id>/delete")
@requires(Role.MODERATOR)
def moment_note_delete(moment_id, note_id):
    moment = _moment_or_404(moment_id)
    note = notes.find(note_id, moment) or abort(404)
    return act(
        ActionForm(),
        lambda: notes.remove(note, by=current_user),
        back=_back_url(moment_id) + "#notes",
        success=_("메모를 지웠어요."),
    )


@bp.post("/moments/<moment_id>/cluster")
@requires(Role.MODERATOR)
def moment_move(moment_id):
    form = ClusterTargetForm()

    def apply(moment):
        chosen = bounded_int(form.cluster.data)
        target = db.session.get(Cluster, chosen) if chosen else None
        if form.cluster.data and target is None:
            raise decisions.ClusterError(_("그런 묶음을 찾지 못했어요."))
        decisions.move(moment, target, by=current_user)

    return _act(moment_id, form, apply, _("묶음을 옮겼어요. 다시 묶어도 그대로 있어요."))


BULK_SAID = {
    "status": lambda form, done: _(
        "%(count)s개를 '%(status)s'(으)로 바꿨어요.",
        count=done.count,
        status=STATUS_LABELS[MomentStatus(form.status.data)],
    ),
    "hide": lambda form, done: _(
        "%(count)s개를 숨겼어요 (%(reason)s).",
        count=done.count,
        reason=HIDDEN_LABELS[HiddenReason(form.reason.data)],
    ),
    "tag": lambda form, done: _(
        "%(count)s개에 '%(tag)s' 태그를 달았어요.", count=done.count, tag=done.tag.name
    ),
    "route": lambda form, done: (
        _("%(count)s개를 '%(team)s'에 넘겼어요.", count=done.count, team=_team(form).name)
        if form.team.data
        else _("%(count)s개의 담당 팀을 비웠어요.", count=done.count)
    ),
}


@bp.post("/moments/bulk")
@requires(Role.MODERATOR)
def moments_bulk():
    form = BulkForm()
    form.team.choices = team_choices(desk_settings.teams())
    ids = public_ids(request.form.getlist("ids"))
    if not ids:
        flash(_("먼저 이야기를 골라 주세요."), "error")
        return redirect(_back_url(), 303)

    def apply():
        return moderation.bulk(
            inbox.moments_by_id(ids),
            form.action.data,
            by=current_user,
            status=MomentStatus(form.status.data),
            reason=HiddenReason(form.reason.data),
            tag=form.tag.data,
            team=_team(form) if form.action.data == "route" else None,
        )

    return act(
        form, apply, back=_back_url(), success=lambda done: BULK_SAID[form.action.data](form, done)
    )


@bp.post("/undo/<batch>")
@requires(Role.MODERATOR)
def undo(batch):
    target = request.form.get("back") or ""
    back = target if target.startswith("/admin/") else url_for("admin.inbox")
    return act(
        ActionForm(),
        lambda: moderation.undo(batch, by=current_user),
        back=back,
        success=lambda done: _("되돌렸어요 (%(count)s건).", count=done.count),
    )
