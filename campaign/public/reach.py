"""Reaching people who never write: 이미 고쳤어요 while typing (suggestions.py) and the
나도 겪었어요 tap (metoo.py). Each view parses, calls one domain function, and answers."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from wtforms import TextAreaField

from campaign import campaigns, metoo, suggestions
from campaign.extensions import csrf, db, limiter
from campaign.forms import Form
from campaign.i18n import _, _l
from campaign.models import utcnow
from campaign.public import suggested
from campaign.public.cache import csrf_slot
from campaign.public.views import _state, bp

SUGGEST_REFUSED = _l("화면을 새로 고친 뒤 다시 써 주세요. 쓰신 내용은 그대로 있어요.")
COUNTED = _l("고마워요. 나도 겪었다는 마음을 함께 셌어요.")
ALREADY_COUNTED = _l("이미 함께 셌어요. 한 번만 눌러 주셔도 충분해요. 고마워요.")
REMEMBERED_TAPS = 200  # what one browser session remembers it tapped (the newest)

bp.add_app_template_global(csrf_slot, "csrf_slot")
bp.add_app_template_global(suggestions.MIN_CHARS, "suggest_min")


class SuggestForm(Form):
    """The text typed so far; only compared, never stored or logged."""

    body = TextAreaField()


def fragment(found, status: int = 200, message: str | None = None):
    """The suggestions as a small HTML document (never cached, never kept)."""
    body = render_template("public/suggestions_answer.html", suggested=found, message=message)
    response = current_app.response_class(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/submit/suggestions", defaults={"slug": None})
@bp.post("/c/<slug>/submit/suggestions")
@csrf.exempt  # SuggestForm checks its own token: a missing one is a short message, not a page.
@limiter.limit(lambda: current_app.config["SUGGEST_LIMIT"])
def suggest(slug: str | None):
    """이미 고쳤어요 while typing: an HTML fragment (empty when nothing matches). The text comes
    only in the POST body, is compared with the fixes and forgotten."""
    state = _state(slug)
    form = SuggestForm()
    if not form.validate_on_submit():
        return fragment([], status=400, message=SUGGEST_REFUSED)
    if not state.is_open:
        return fragment([], status=410)
    return fragment(suggested.for_text(state.campaign.id, form.body.data or ""))


# ---- 나도 겪었어요 ---------------------------------------------------------------------------


@bp.post("/improvements/<int:fix_id>/metoo")
@limiter.limit(lambda: current_app.config["METOO_LIMIT"])
def metoo_fix(fix_id: int):
    return _tap(fix_id=fix_id)


@bp.post("/listening/<int:cluster_id>/metoo")
@limiter.limit(lambda: current_app.config["METOO_LIMIT"])
def metoo_cluster(cluster_id: int):
    return _tap(cluster_id=cluster_id)


def _tap(**named):
    """One tap per item per browser session; the session remembers what it tapped, nothing
    else does. Answers 303 back to the item with a confirmation beside its button. Anything the
    public does not see answers 404 like an unknown id, on every path (metoo.target)."""
    item = metoo.target(**named, campaign_slug=request.form.get("from") or None)
    if item is None:
        abort(404)
    where = metoo.describe(item)
    g.language_back = _back(where)  # the language switch of a refusal goes to the item's page
    key = where.key
    tapped = list(session.get("metoo", []))
    if key in tapped:
        flash({"key": key, "text": str(ALREADY_COUNTED)}, "metoo")
        return redirect(_back(where), 303)
    try:
        metoo.tap(item, today=campaigns.local_today(utcnow()))
        db.session.commit()
    except metoo.NotShown:
        db.session.rollback()
        abort(404)
    except metoo.MeTooError as refused:
        db.session.rollback()
        return render_template(
            "errors/error.html", code=409, title=_("함께 셀 수 없어요"), message=str(refused)
        ), 409
    session["metoo"] = [*tapped, key][-REMEMBERED_TAPS:]
    flash({"key": key, "text": str(COUNTED)}, "metoo")
    return redirect(_back(where), 303)


def _back(where: metoo.Tapped) -> str:
    """The page the button was on: the fix, or 듣고 있어요 (at /c/<slug>/ when tapped there)."""
    if where.fix_slug:
        return url_for(".improvement", slug=where.fix_slug, _anchor=f"metoo-{where.key}")
    slug = where.campaign_slug if request.form.get("from") == where.campaign_slug else None
    return url_for(".listening", slug=slug, _anchor=f"metoo-{where.key}")
