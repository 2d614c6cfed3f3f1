"""A campaign's sources: named links and their printable QR posters (campaign/sources.py).

Everyone at the desk reads the list and prints posters; admins add, rename and retire."""

from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_login import current_user

from campaign import sources
from campaign.admin.blueprint import act, bp, requires
from campaign.admin.forms import ActionForm
from campaign.admin.forms_sources import SourceForm, SourceNameForm
from campaign.extensions import csrf, db
from campaign.i18n import _
from campaign.models import Campaign, Role, Source, utcnow
from campaign.templating import external_url


def _campaign(campaign_id: int) -> Campaign:
    return db.session.get(Campaign, campaign_id) or abort(404)


def _source(campaign_id: int, source_id: int) -> Source:
    source = db.session.get(Source, source_id)
    if source is None or source.campaign_id != campaign_id:
        abort(404)
    return source


def _link(campaign: Campaign, source: Source) -> str:
    return external_url("public.submit", slug=campaign.slug, code=source.code)


def _page(campaign: Campaign, form: SourceForm):
    every = sources.sources_of(campaign.id)
    return render_template(
        "admin/sources.html",
        campaign=campaign,
        sources=every,
        links={s.id: _link(campaign, s) for s in every},
        form=form,
    )


@bp.get("/campaigns/<int:campaign_id>/sources")
def campaign_sources(campaign_id):
    return _page(_campaign(campaign_id), SourceForm(formdata=None))


@bp.post("/campaigns/<int:campaign_id>/sources")
@csrf.exempt  # the form checks its own token: an expired one keeps what was typed
@requires(Role.ADMIN)
def source_add(campaign_id):
    campaign, form = _campaign(campaign_id), SourceForm()
    return act(
        form,
        lambda: sources.add_source(
            campaign,
            name=form.name.data,
            code=form.code.data,
            description=form.description.data,
            by=current_user,
            now=utcnow(),
        ),
        back=url_for("admin.campaign_sources", campaign_id=campaign.id),
        success=lambda source: _(
            "'%(name)s' 출처를 만들었어요. 링크와 QR 포스터를 바로 쓸 수 있어요.", name=source.name
        ),
        again=lambda: _page(campaign, form),
        beside=form.name,
    )


@bp.post("/campaigns/<int:campaign_id>/sources/<int:source_id>/rename")
@requires(Role.ADMIN)
def source_rename(campaign_id, source_id):
    source, form = _source(campaign_id, source_id), SourceNameForm()
    return act(
        form,
        lambda: sources.rename_source(source, form.name.data, by=current_user),
        back=url_for("admin.campaign_sources", campaign_id=campaign_id),
        success=_("출처 이름을 바꿨어요. 링크와 이미 붙인 포스터는 그대로 써요."),
    )


@bp.post("/campaigns/<int:campaign_id>/sources/<int:source_id>/retire")
@requires(Role.ADMIN)
def source_retire(campaign_id, source_id):
    source = _source(campaign_id, source_id)
    return act(
        ActionForm(),
        lambda: sources.retire_source(source, by=current_user, now=utcnow()),
        back=url_for("admin.campaign_sources", campaign_id=campaign_id),
        success=_(
            "'%(name)s' 출처를 그만 쓰기로 했어요. 이 링크로 들어와도 이야기는 받지만, "
            "출처 없이 저장해요.",
            name=source.name,
        ),
    )


def _poster(campaign_id: int, source_id: int) -> sources.Poster:
    campaign, source = _campaign(campaign_id), _source(campaign_id, source_id)
    return sources.poster(source, campaign, link=_link(campaign, source))


@bp.get("/campaigns/<int:campaign_id>/sources/<int:source_id>/poster")
def source_poster(campaign_id, source_id):
    """The A4 poster as a page to print (its print style leaves the desk's menus off)."""
    return render_template("admin/poster.html", poster=_poster(campaign_id, source_id))


@bp.get("/campaigns/<int:campaign_id>/sources/<int:source_id>/poster.svg")
def source_poster_svg(campaign_id, source_id):
    """The same poster as an SVG of 210 × 297 mm, to download and send to a printer."""
    poster = _poster(campaign_id, source_id)
    body = render_template("admin/poster.svg", poster=poster)
    response = current_app.response_class(body, mimetype="image/svg+xml")
    name = f"poster-{poster.campaign.slug}-{poster.source.code}.svg"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
