"""실제 개선 사례: published fixes, their feed, and public figures."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from campaign import analytics, fixes, metoo, privacy
from campaign.extensions import db
from campaign.intake import bounded_int
from campaign.labels import FIX_PROGRESS_LABELS
from campaign.models import Fix, utcnow
from campaign.public.cache import cached_page
from campaign.public.views import bp

PAGE_SIZE = 12


def _shown() -> int:
    return PAGE_SIZE * (bounded_int(request.args.get("page"), maximum=50) or 1)


@bp.get("/improvements")
@cached_page
def improvements():
    category = request.args.get("category") or None
    query = (request.args.get("q") or "").strip()[:60] or None
    shown = _shown()
    page = fixes.public_fixes(category=category, query=query, shown=shown)
    return render_template(
        "public/improvements.html",
        page=page,
        category=category,
        query=query,
        categories=fixes.public_categories(),
        next_page=shown // PAGE_SIZE + 1,
    )


@bp.get("/improvements/<slug>")
@cached_page
def improvement(slug: str):
    fix = fixes.published(slug)
    if fix is None:
        # A slug starts with the fix's number, so /improvements/12 (typed or cut short) finds it.
        number = bounded_int(slug.split("-", 1)[0])
        found = db.session.get(Fix, number) if number else None
        if found is None or not found.public:
            abort(404)
        return redirect(url_for(".improvement", slug=found.slug), 301)
    min_group = current_app.config["PUBLIC_MIN_GROUP"]
    return render_template(
        "public/improvement.html",
        fix=fix,
        page=fixes.public_page(fix, min_group=min_group),
        metoo_count=metoo.public(metoo.fix_counts([fix.id]), min_group=min_group).get(fix.id),
        body=Markup(privacy.clean_html(fix.body)),
        FIX_PROGRESS_LABELS=FIX_PROGRESS_LABELS,
    )


@bp.get("/improvements/feed.xml")
def improvements_feed():
    page = fixes.public_fixes(shown=30)
    updated = max((f.updated_at for f in page.fixes), default=utcnow())
    body = render_template(
        "public/feed.xml",
        page=page,
        updated=updated,
        bodies={f.id: privacy.clean_html(f.body) for f in page.fixes},
    )
    response = current_app.response_class(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"  # public news; readers poll it
    return response


@bp.get("/stats")
@cached_page
def stats():
    figures = analytics.public_stats(
        min_group=current_app.config["PUBLIC_MIN_GROUP"],
        min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
    )
    return render_template(
        "public/stats.html",
        stats=figures,
        min_group=current_app.config["PUBLIC_MIN_GROUP"],
        improvements_url=url_for(".improvements"),
    )
