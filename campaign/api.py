"""Read-only JSON API under /api/v1: campaigns, published fixes and public figures. It never
returns moment text except the quotes moderators published; errors are JSON too."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import HTTPException

from campaign import analytics, campaigns, fixes
from campaign.campaigns import local_time
from campaign.extensions import csrf
from campaign.intake import bounded_int
from campaign.models import Campaign, Fix
from campaign.templating import external_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

MESSAGES = {
    404: "찾는 것이 없어요.",
    405: "읽기만 할 수 있어요.",
    429: "요청이 너무 많아요. 잠시 후 다시 시도해 주세요.",
}


def _campaign(c: Campaign) -> dict:
    today = campaigns.local_today()
    return {
        "slug": c.slug,
        "title": c.title,
        "question": c.question,
        "categories": c.categories,
        "channels": c.channels,
        "opens_on": c.opens_on.isoformat(),
        "closes_on": c.closes_on.isoformat() if c.closes_on else None,
        "open": c.is_open_on(today),
        "url": external_url("public.landing", slug=c.slug),
    }


def _fix(fix: Fix, count: int, *, full: bool = False) -> dict:
    data = {
        "slug": fix.slug,
        "title": fix.title,
        "summary": fix.summary,
        "category": fix.category,
        "campaign": fix.campaign.slug,
        "progress": fix.progress.value,
        "shipped_on": fix.shipped_on.isoformat() if fix.shipped_on else None,
        "published_at": fix.published_at.isoformat() + "Z" if fix.published_at else None,
        "moments": count,
        "url": external_url("public.improvement", slug=fix.slug),
    }
    if full:
        page = fixes.public_page(fix, min_group=current_app.config["PUBLIC_MIN_GROUP"])
        data.update(
            before=fix.before,
            after=fix.after,
            quotes=[q.text for q in fix.quotes],
            notes=[{"on": n.on.isoformat(), "text": n.text} for n in fix.notes],
            first_moment_on=local_time(page.first).date().isoformat() if page.first else None,
            last_moment_on=local_time(page.last).date().isoformat() if page.last else None,
            after_fix=page.after,
            answered=page.answered,
            solved=page.solved,
        )
    return data


@bp.after_request
def cache_policy(response):
    """Public figures may be cached a minute; errors never."""
    ok = request.method == "GET" and response.status_code == 200
    response.headers["Cache-Control"] = "public, max-age=60" if ok else "no-store"
    return response


@bp.get("/")
def index():
    """What this API offers, so a person or a client can start from its root."""
    return jsonify(
        name="불편한 순간 API",
        version=1,
        endpoints={
            "campaigns": external_url(".campaign_list"),
            "fixes": external_url(".fix_list") + "?category=&q=&limit=",
            "fix": external_url(".fix_one", slug="SLUG"),
            "stats": external_url(".stats"),
        },
    )


@bp.get("/campaigns")
def campaign_list():
    return jsonify(campaigns=[_campaign(c) for c in campaigns.every_campaign()])


@bp.get("/fixes")
def fix_list():
    page = fixes.public_fixes(
        category=request.args.get("category") or None,
        query=request.args.get("q") or None,
        shown=bounded_int(request.args.get("limit"), maximum=100) or 20,
    )
    return jsonify(fixes=[_fix(f, page.counts[f.id]) for f in page.fixes], total=page.total)


@bp.get("/fixes/<slug>")
def fix_one(slug: str):
    fix = fixes.published(slug)
    if fix is None:
        return _error(404)
    return jsonify(fix=_fix(fix, fixes.counts([fix])[fix.id], full=True))


@bp.get("/stats")
def stats():
    figures = analytics.public_stats(
        min_group=current_app.config["PUBLIC_MIN_GROUP"],
        min_sample=current_app.config["MEDIAN_MIN_SAMPLE"],
    )
    return jsonify(
        moments=figures.moments,
        fixes_shipped=figures.fixes_shipped,
        median_days_to_fix=figures.days_to_fix.value,
        median_sample=figures.days_to_fix.n,
        by_category=[
            {"category": label, "moments": n, "share": round(share, 4)}
            for label, n, share in figures.by_category
        ],
        # 어디서 알려줬나요: sources below PUBLIC_MIN_GROUP folded into 기타, like categories
        by_source=[
            {"source": label, "moments": n, "share": round(share, 4)}
            for label, n, share in figures.by_source
        ],
    )


def _error(code: int):
    response = jsonify(error={"code": code, "message": MESSAGES.get(code, "문제가 생겼어요.")})
    response.status_code = code
    return response


def is_api_request() -> bool:
    return request.path.startswith(bp.url_prefix + "/") or request.path == bp.url_prefix


def json_error(error: HTTPException | Exception):
    return _error(getattr(error, "code", 500) or 500)
