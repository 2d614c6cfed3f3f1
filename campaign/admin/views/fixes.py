"""Writing fixes, linking them to what they answer, quoting moments, and publishing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from campaign import campaigns, desk_pages, desk_settings, fixes
from campaign.admin.blueprint import act, bp, change, requires
from campaign.admin.forms import ActionForm, team_choices
from campaign.admin.forms_fixes import (
    FixForm,
    FixLinkForm,
    FixNoteForm,
    FixProgressForm,
    QuoteEditForm,
    QuoteForm,
)
from campaign.campaigns import local_today
from campaign.extensions import csrf, db
from campaign.i18n import _
from campaign.intake import bounded_int
from campaign.labels import CLUSTER_STATUS_LABELS, FIX_PROGRESS_LABELS, FIX_STATE_LABELS
from campaign.models import (
    Campaign,
    Cluster,
    Fix,
    FixNote,
    FixProgress,
    FixQuote,
    Moment,
    Role,
    Team,
    utcnow,
)


def _fix(fix_id: int) -> Fix:
    return db.session.get(Fix, fix_id) or abort(404)


@bp.get("/fixes")
def fixes_page():
    rows = fixes.desk_list()
    return render_template(
        "admin/fixes.html",
        rows=rows,
        counts=fixes.counts(rows),
        FIX_STATE_LABELS=FIX_STATE_LABELS,
        FIX_PROGRESS_LABELS=FIX_PROGRESS_LABELS,
    )


@bp.route("/fixes/new", methods=["GET", "POST"], defaults={"fix_id": None})
@bp.route("/fixes/<int:fix_id>/edit", methods=["GET", "POST"])
@csrf.exempt  # FixForm checks its own token: an expired one is a message beside the text typed.
@requires(Role.MODERATOR)
def fix_edit(fix_id):
    fix = _fix(fix_id) if fix_id else None
    cluster_id = bounded_int(request.args.get("cluster"))
    cluster = db.session.get(Cluster, cluster_id) if cluster_id else None
    form = FixForm(obj=fix) if request.method == "GET" and fix else FixForm()
    every = campaigns.every_campaign()
    form.campaign.choices = [(str(c.id), c.title) for c in every]
    if request.method == "GET":
        first = every[0].id if every else ""
        form.campaign.data = str(
            fix.campaign_id if fix else cluster.campaign_id if cluster else first
        )
        form.team.data = str((fix.team_id if fix else cluster.team_id if cluster else None) or "")
    campaign_id = bounded_int(form.campaign.data)
    chosen = fix.campaign if fix else db.session.get(Campaign, campaign_id) if campaign_id else None
    form.category.choices = [("", _("없음"))] + [
        (c, c) for c in (chosen.categories if chosen else [])
    ]
    form.team.choices = team_choices(desk_settings.teams())
    if form.validate_on_submit() and chosen is not None:
        fields = fixes.FixFields(
            title=form.title.data,
            summary=form.summary.data,
            before=form.before.data,
            after=form.after.data,
            body=form.body.data,
            category=form.category.data or None,
            team=db.session.get(Team, int(form.team.data)) if form.team.data else None,
            shipped_on=form.shipped_on.data,
        )
        with change(form, beside=form.title) as done:
            fix = fixes.save_fix(fix, fields, campaign=chosen, answering=cluster, by=current_user)
        if done.ok:
            flash(_("개선 사례를 저장했어요."), "info")
            return redirect(url_for("admin.fix_detail", fix_id=fix.id), 303)
    return render_template("admin/fix_form.html", form=form, fix=fix, cluster=cluster)


@bp.get("/fixes/<int:fix_id>")
def fix_detail(fix_id):
    shown = desk_pages.fix_page(_fix(fix_id))
    link = FixLinkForm()
    link.cluster.choices = [("", _("고르기")), *shown.link_choices]
    return render_template(
        "admin/fix.html",
        **vars(shown),
        link=link,
        progress=FixProgressForm(progress=shown.fix.progress.value),
        note=FixNoteForm(on=local_today()),
        quote_edit=QuoteEditForm(),
        action_form=ActionForm(),
        FIX_STATE_LABELS=FIX_STATE_LABELS,
        FIX_PROGRESS_LABELS=FIX_PROGRESS_LABELS,
        CLUSTER_STATUS_LABELS=CLUSTER_STATUS_LABELS,
    )


def _act(fix_id: int, form, apply, success: str):
    """Validate a fix action form, apply it to the fix, and go back to the part of its page
    where it was taken."""
    fix = _fix(fix_id)
    anchor = request.form.get("anchor", "")
    back = url_for("admin.fix_detail", fix_id=fix_id) + (
        anchor if anchor in ("#links", "#quotes", "#notes") else ""
    )
    return act(form, lambda: apply(fix), back=back, success=success)


def _moment(fix: Fix, moment_id: str) -> Moment:
    moment = db.session.get(Moment, (moment_id or "").strip())
    if moment is None:
        raise fixes.FixError(
            _("그런 이야기를 찾지 못했어요. 이야기 주소 끝의 번호를 확인해 주세요.")
        )
    return moment


@bp.post("/fixes/<int:fix_id>/progress")
@requires(Role.MODERATOR)
def fix_progress(fix_id):
    form = FixProgressForm()
    return _act(
        fix_id,
        form,
        lambda f: fixes.set_progress(f, FixProgress(form.progress.data), by=current_user),
        _("진행 상태를 바꿨어요."),
    )


@bp.post("/fixes/<int:fix_id>/notes")
@requires(Role.MODERATOR)
def fix_note(fix_id):
    form = FixNoteForm()
    return _act(
        fix_id,
        form,
        lambda f: fixes.add_note(f, form.on.data, form.text.data, by=current_user),
        _("진행 소식을 더했어요."),
    )


@bp.post("/fixes/<int:fix_id>/notes/<int:note_id>/delete")
@requires(Role.MODERATOR)
def fix_note_delete(fix_id, note_id):
    note = db.session.get(FixNote, note_id)
    if note is None or note.fix_id != fix_id:
        abort(404)
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.remove_note(f, note, by=current_user),
        _("진행 소식을 지웠어요."),
    )


@bp.post("/fixes/<int:fix_id>/links")
@requires(Role.MODERATOR)
def fix_link(fix_id):
    form = FixLinkForm()

    def apply(fix):
        if form.cluster.data:
            cluster_id = bounded_int(form.cluster.data)
            cluster = db.session.get(Cluster, cluster_id) if cluster_id else None
            if cluster is None:
                raise fixes.FixError(_("그런 묶음을 찾지 못했어요."))
            fixes.link_cluster(fix, cluster, by=current_user)
        elif form.moment.data:
            fixes.link_moment(fix, _moment(fix, form.moment.data), by=current_user)
        else:
            raise fixes.FixError(_("이을 묶음을 고르거나 이야기 번호를 입력해 주세요."))

    return _act(fix_id, form, apply, _("이었어요."))


@bp.post("/fixes/<int:fix_id>/clusters/<int:cluster_id>/unlink")
@requires(Role.MODERATOR)
def fix_unlink_cluster(fix_id, cluster_id):
    cluster = db.session.get(Cluster, cluster_id) or abort(404)
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.unlink_cluster(f, cluster, by=current_user),
        _("잇기를 풀었어요."),
    )


@bp.post("/fixes/<int:fix_id>/moments/<moment_id>/unlink")
@requires(Role.MODERATOR)
def fix_unlink_moment(fix_id, moment_id):
    moment = db.session.get(Moment, moment_id) or abort(404)
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.unlink_moment(f, moment, by=current_user),
        _("잇기를 풀었어요."),
    )


@bp.post("/fixes/<int:fix_id>/quotes")
@requires(Role.MODERATOR)
def fix_quote(fix_id):
    form = QuoteForm()
    return _act(
        fix_id,
        form,
        lambda f: fixes.add_quote(f, _moment(f, form.moment.data), form.text.data, by=current_user),
        (
            _(
                "인용으로 골랐어요. 공개 전에 금액·시간·지점 이름처럼 구체적인 내용을 더 "
                "일반적으로 다듬어 주세요."
            )
        ),
    )


def _quote(fix_id: int, quote_id: int) -> FixQuote:
    quote = db.session.get(FixQuote, quote_id)
    if quote is None or quote.fix_id != fix_id:
        abort(404)
    return quote


@bp.post("/fixes/<int:fix_id>/quotes/<int:quote_id>")
@requires(Role.MODERATOR)
def fix_quote_edit(fix_id, quote_id):
    quote, form = _quote(fix_id, quote_id), QuoteEditForm()
    return _act(
        fix_id,
        form,
        lambda f: fixes.edit_quote(f, quote, form.text.data, by=current_user),
        _("인용문을 다듬었어요. 원래 이야기는 바뀌지 않아요."),
    )


@bp.post("/fixes/<int:fix_id>/quotes/<int:quote_id>/delete")
@requires(Role.MODERATOR)
def fix_quote_delete(fix_id, quote_id):
    quote = _quote(fix_id, quote_id)
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.remove_quote(f, quote, by=current_user),
        _("인용을 뺐어요."),
    )


@bp.post("/fixes/<int:fix_id>/publish")
@requires(Role.MODERATOR)
def fix_publish(fix_id):
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.publish(f, by=current_user, now=utcnow()),
        _("공개했어요. 이어진 이야기를 보낸 분들의 접수 확인 화면에 '고쳤어요'가 보여요."),
    )


@bp.post("/fixes/<int:fix_id>/retract")
@requires(Role.MODERATOR)
def fix_retract(fix_id):
    return _act(
        fix_id,
        ActionForm(),
        lambda f: fixes.retract(f, by=current_user),
        _("공개를 취소했어요. 묶음 상태와 접수 확인 화면이 전으로 돌아갔어요."),
    )
