"""Following a moment without an account: "소식 받기" (a private link, its page and Atom feed,
its QR code), "소식 그만 받기", and "접수번호 저장하기" (the code as a text file or an image).

The receipt code is never stored: the downloads read it from the thanks page's session, or from
the code the person typed on the receipt page (a POST, never a URL holding it).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, redirect, render_template, session, url_for

from campaign import follows, privacy, qr, submissions
from campaign.campaigns import day_start, local_today
from campaign.extensions import csrf, db, limiter
from campaign.i18n import _, _l
from campaign.models import Moment, utcnow
from campaign.public.forms import FollowForm, ReceiptForm, SaveReceiptForm
from campaign.public.views import NOT_FOUND, _receipt_page, _thanked_moment, _thanks_page, bp
from campaign.templating import external_url, no_store

ROBOTS = "noindex, nofollow, noarchive"
STOPPED = _l("소식 받기를 그만했어요. 만들어 두었던 링크는 이제 열리지 않아요.")
NOTHING_TO_STOP = _l("이 이야기에는 소식 받기 링크가 없어요.")

# One budget for making links (thanks page and receipt), one for reading (page and feed).
follow_limit = limiter.shared_limit(
    lambda: current_app.config["FOLLOW_LIMIT"], scope="follow", methods=["POST"]
)
read_limit = limiter.shared_limit(
    lambda: current_app.config["FOLLOW_READ_LIMIT"], scope="follow_read"
)
receipt_limit = limiter.shared_limit(
    lambda: current_app.config["STATUS_LIMIT"], scope="receipt", methods=["POST"]
)


@dataclass(frozen=True)
class FollowLink:
    """A follow link's page and feed: absolute (to copy, for the QR code and the feed) and as
    paths (for links on our own pages)."""

    page: str
    feed: str
    page_path: str
    feed_path: str

    @property
    def qr(self) -> str:
        return qr.svg(self.page, title=_("소식 받기 링크 QR 코드"), scale=4)


def follow_link(token: str | None) -> FollowLink | None:
    if not token:
        return None
    page = external_url("public.follow_page", token=token)
    return FollowLink(
        page,
        external_url("public.follow_feed", token=token),
        url_for("public.follow_page", token=token),
        url_for("public.follow_feed", token=token),
    )


@bp.app_context_processor
def _follow_helpers():
    return {"follow_link_of": lambda sealed: follow_link(privacy.open_follow_token(sealed))}


# ---- the thanks page --------------------------------------------------------------------------


@bp.post("/thanks/follow")
@csrf.exempt  # FollowForm checks its own token: an expired one is a message beside the button.
@follow_limit
def thanks_follow():
    data = session.get("thanks")
    moment = _thanked_moment(data) if data else None
    if moment is None:
        return render_template("public/thanks_missing.html"), 404
    form = FollowForm()
    if not form.validate_on_submit():
        return _thanks_page(data, moment, follow_error=form.csrf_token.errors[0]), 400
    try:
        token = follows.start(moment)
        db.session.commit()
    except follows.FollowError as refused:
        db.session.rollback()
        return _thanks_page(data, moment, follow_error=str(refused)), 409
    session["thanks"] = {**data, "follow": privacy.seal_follow_token(token)}
    return redirect(url_for(".thanks", _anchor="follow"), 303)


@bp.get("/thanks/receipt.<any(txt, svg):kind>")
def thanks_receipt(kind: str):
    """The receipt code of this browser session's moment as a file to keep."""
    data = session.get("thanks")
    moment = _thanked_moment(data) if data else None
    code = privacy.open_receipt_code(data.get("code")) if data else None
    if moment is None or code is None:
        return render_template("public/thanks_missing.html"), 404
    return _receipt_file(moment, code, kind)


# ---- the receipt page -------------------------------------------------------------------------


def _looked_up(form: ReceiptForm) -> tuple[Moment | None, object | None]:
    """The moment for the code a receipt page's form sent, or the page that says why not."""
    valid = form.validate_on_submit()
    moment = submissions.look_up_receipt(form.code.data) if not form.code.errors else None
    if moment is None:
        lookup = ReceiptForm(code=form.code.data, formdata=None)
        lookup.code.errors = list(form.code.errors or [NOT_FOUND])
        return None, _receipt_page(lookup, None, status=400)
    if not valid:
        refused = (form.csrf_token.errors or [_("다시 한 번 눌러 주세요.")])[0]
        return None, _receipt_page(_lookup(form), moment, refused=refused, status=400)
    return moment, None


def _lookup(form: ReceiptForm) -> ReceiptForm:
    return ReceiptForm(code=form.code.data, formdata=None)


@bp.post("/status/follow")
@csrf.exempt  # ReceiptForm checks its own token.
@receipt_limit
@follow_limit
def status_follow():
    form = ReceiptForm()
    moment, refused_page = _looked_up(form)
    if moment is None:
        return refused_page
    try:
        token = follows.start(moment)
        db.session.commit()
    except follows.FollowError as refused:
        db.session.rollback()
        return _receipt_page(_lookup(form), moment, refused=str(refused), status=409)
    return _receipt_page(_lookup(form), moment, new_follow=follow_link(token))


@bp.post("/status/unfollow")
@csrf.exempt  # ReceiptForm checks its own token.
@receipt_limit
def status_unfollow():
    form = ReceiptForm()
    moment, refused_page = _looked_up(form)
    if moment is None:
        return refused_page
    stopped = follows.stop(moment)
    db.session.commit()
    return _receipt_page(
        _lookup(form), moment, follow_notice=STOPPED if stopped else NOTHING_TO_STOP
    )


@bp.post("/status/receipt")
@csrf.exempt  # SaveReceiptForm checks its own token.
@receipt_limit
def status_receipt():
    form = SaveReceiptForm()
    moment, refused_page = _looked_up(form)
    if moment is None:
        return refused_page
    return _receipt_file(moment, privacy.normalise_receipt_code(form.code.data), form.kind.data)


def _receipt_file(moment: Moment, code: str, kind: str):
    body = render_template(
        f"public/receipt.{kind}",
        campaign=moment.campaign,
        code=privacy.shown_receipt_code(code),
        moment=moment,
        status_url=external_url("public.status"),
    )
    mimetype = "text/plain" if kind == "txt" else "image/svg+xml"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="receipt-{local_today(moment.received_hour).isoformat()}.{kind}"'
    )
    return no_store(response)


# ---- the link itself --------------------------------------------------------------------------


def _private(response):
    response.headers["X-Robots-Tag"] = ROBOTS
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _gone():
    return _private(current_app.make_response((render_template("public/follow_gone.html"), 404)))


def _timeline(token: str, template: str, mimetype: str, **extra):
    """The followed moment's timeline in `template`, or the kind 404 of a stopped link."""
    moment = follows.find(token)
    if moment is None:
        return _gone()
    body = render_template(
        template, timeline=follows.timeline(moment), link=follow_link(token), **extra
    )
    return _private(current_app.response_class(body, mimetype=mimetype))


@bp.get("/follow/<token>")
@read_limit
def follow_page(token: str):
    return _timeline(token, "public/follow.html", "text/html", today=local_today(utcnow()))


@bp.get("/follow/<token>.xml")
@read_limit
def follow_feed(token: str):
    return _timeline(token, "public/follow.xml", "application/atom+xml", day_start=day_start)
