"""Pages for anonymous visitors. Each view validates, calls one domain function, commits."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy.exc import IntegrityError

from campaign import campaigns, fixes, follows, i18n, loop, metoo, privacy, sources, submissions
from campaign.database import Unavailable, committed_with_retries
from campaign.errors import render_error
from campaign.extensions import csrf, db, limiter, request_client_key
from campaign.i18n import _l
from campaign.models import Moment, utcnow
from campaign.public import suggested
from campaign.public.cache import cached_page, remembered
from campaign.public.forms import AnswerForm, MomentForm, ReceiptForm
from campaign.templating import no_store, remember_language, safe_return

bp = Blueprint("public", __name__)

NOT_FOUND = _l("이 접수번호로 찾은 이야기가 없어요. 받으신 번호를 다시 확인해 주세요.")
RATE_LIMITED = _l(
    "짧은 시간에 여러 번 보내셨어요. 1분쯤 기다린 뒤 다시 보내 주세요. 쓰신 내용은 그대로 있어요."
)
NOT_SAVED = _l("지금 잠깐 저장하지 못했어요. 쓰신 내용은 그대로 있으니 잠시 뒤 다시 보내 주세요.")
LOOKED_UP_TOO_OFTEN = _l("조회를 여러 번 하셨어요. 1분쯤 기다린 뒤 다시 확인해 주세요.")
PRESSED_TOO_OFTEN = _l(
    "짧은 시간에 여러 번 누르셨어요. 1분쯤 기다린 뒤 다시 눌러 주세요. 접수번호는 그대로 있어요."
)
FOLLOWED_TOO_OFTEN = _l("짧은 시간에 여러 번 누르셨어요. 1분쯤 기다린 뒤 다시 눌러 주세요.")
# Over the limit on a receipt page's form or button: the same page, the code kept, and why.
RECEIPT_LIMITED = {
    "public.status": LOOKED_UP_TOO_OFTEN,
    "public.answer": LOOKED_UP_TOO_OFTEN,
    "public.status_follow": PRESSED_TOO_OFTEN,
    "public.status_unfollow": PRESSED_TOO_OFTEN,
    "public.status_receipt": PRESSED_TOO_OFTEN,
}


def _state(slug: str | None) -> campaigns.CampaignState:
    today = campaigns.local_today(utcnow())

    def load() -> campaigns.Snapshot | None:
        campaign = campaigns.find_campaign(slug) if slug else campaigns.default_campaign(today)
        return campaigns.snapshot(campaign) if campaign else None

    campaign = remembered(("campaign", slug, today), load)
    if campaign is None:
        abort(404)
    return campaigns.campaign_state(campaign, today)


@bp.get("/", defaults={"slug": None})
@bp.get("/c/<slug>/")
@cached_page
def landing(slug: str | None):
    state = _state(slug)
    return render_template(
        "public/landing.html",
        state=state,
        submit_url=url_for(".submit", slug=slug),
        latest=fixes.public_fixes(shown=3, campaign=state.campaign),
    )


@bp.route("/submit", methods=["GET", "POST"], defaults={"slug": None})
@bp.route("/c/<slug>/submit", methods=["GET", "POST"])
@bp.route("/c/<slug>/s/<code>", methods=["GET", "POST"])  # a source's link (sources.py)
@csrf.exempt  # MomentForm checks its own token: an expired one is a message beside the text.
@limiter.limit(lambda: current_app.config["SUBMIT_POST_LIMIT"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["SUBMIT_LIMIT"],
    methods=["POST"],
    deduct_when=lambda r: r.status_code == 303,
)
def submit(slug: str | None, code: str | None = None):
    state = _state(slug)
    form = MomentForm(state.campaign)
    if code is not None and not form.is_submitted():
        # The source rides along in a hidden field; an unknown or retired one is dropped when
        # the moment is stored, never refused.
        form.source.data = sources.link_code(code) or ""
    if not state.is_open:
        status = 410 if request.method == "POST" else 200
        return render_template("public/closed.html", state=state, form=form), status
    if form.is_submitted() and form.is_bot:
        session["thanks"] = {"campaign": state.campaign.slug}
        return redirect(url_for(".thanks"), 303)
    if form.validate_on_submit():
        attempt = submissions.Attempt()

        def store() -> submissions.Submitted:
            return submissions.submit_moment(
                state.campaign,
                body=form.body.data,
                suggestion=form.suggestion.data,
                category=form.category.data or None,
                channel=form.channel.data or None,
                severity=form.chosen_severity,
                source=form.source.data or None,
                now=utcnow(),
                client=request_client_key(),
                recent=current_app.extensions["recent_submissions"],
                urgent=remembered(("urgent",), submissions.urgent_matcher),
                acknowledged=form.pii_ack.data or None,
                keep=request.form.getlist("keep"),
                attempt=attempt,
            )

        try:
            result = committed_with_retries(store)
        except submissions.NeedsConfirmation as check:
            form.pii_ack.data = check.token
            return render_template(
                "public/submit.html",
                state=state,
                form=form,
                check=check,
                suggested=suggested.for_text(state.campaign.id, check.body),
            )
        except Unavailable:
            form.body.errors = [NOT_SAVED]
            return render_template("public/submit.html", state=state, form=form), 503
        session["thanks"] = {
            "campaign": state.campaign.slug,
            "moment": result.moment_id,
            "code": result.sealed_code,
            "duplicate": result.duplicate,
        }
        return redirect(url_for(".thanks"), 303)
    return render_template("public/submit.html", state=state, form=form)


@bp.get("/thanks")
def thanks():
    """Shows the receipt code for as long as this browser session lasts (a reload shows it
    again; nothing is submitted twice). The code itself is never stored on the server."""
    data = session.get("thanks")
    if not data:
        return render_template("public/thanks_missing.html"), 404
    return _thanks_page(data, _thanked_moment(data))


@bp.get("/thanks/together")
def thanks_together():
    """The thanks page again once the moment is settled (204 while it is still compared), for
    the page's script to take "N명 더 있어요" from. Without the script, a reload of the thanks
    page or the receipt shows the same."""
    data = session.get("thanks")
    moment = _thanked_moment(data) if data else None
    if moment is None:
        return render_template("public/thanks_missing.html"), 404
    if not moment.settled:
        return current_app.response_class(status=204, mimetype="text/plain")
    return _thanks_page(data, moment)


def _thanked_moment(data: dict) -> Moment | None:
    """The moment this browser session just told (none for a bot's silent thanks)."""
    return db.session.get(Moment, data["moment"]) if data.get("moment") else None


def _thanks_page(data: dict, moment: Moment | None, **extra):
    code = privacy.open_receipt_code(data.get("code"))
    receipt = loop.receipt(moment) if moment else None
    found = []
    if receipt is not None and moment.settled and receipt.hidden_words is None:
        shown = {f.id for f in (*receipt.led_to, *receipt.already, *receipt.underway)}
        found = suggested.for_moment(moment, leave_out=shown)
    return render_template(
        "public/thanks.html",
        data=data,
        code=code,
        moment=moment,
        receipt=receipt,
        answer_form=AnswerForm(code=code),
        **extra,
        suggested=found,
    )


def _receipt_page(
    form: ReceiptForm,
    moment: Moment | None,
    answer_form: AnswerForm | None = None,
    answered: bool = False,
    refused: str | None = None,
    status: int = 200,
    **extra,
):
    receipt = loop.receipt(moment) if moment else None
    if receipt is not None and answer_form is None:
        answer_form = AnswerForm(code=form.code.data, formdata=None)
    return render_template(
        "public/status.html",
        form=form,
        receipt=receipt,
        answer_form=answer_form,
        answered=answered,
        refused=refused,
        following=follows.count(moment) if moment else 0,
        **extra,
    ), status


# Looking up a receipt and answering with one share a budget, so the answer form is no second
# way to guess codes.
receipt_limit = limiter.shared_limit(
    lambda: current_app.config["STATUS_LIMIT"], scope="receipt", methods=["POST"]
)


@bp.route("/status", methods=["GET", "POST"])
@csrf.exempt  # ReceiptForm checks its own token.
@receipt_limit
def status():
    form = ReceiptForm()
    moment = None
    if form.validate_on_submit():
        moment = submissions.look_up_receipt(form.code.data)
        if moment is None:
            form.code.errors.append(NOT_FOUND)
    return _receipt_page(form, moment)


@bp.post("/status/answer")
@csrf.exempt  # AnswerForm checks its own token.
@receipt_limit
def answer():
    """ "해결됐나요?" from the receipt or thanks page: once per receipt, anonymous."""
    form = AnswerForm()
    valid = form.validate_on_submit()
    moment = submissions.look_up_receipt(form.code.data) if not form.code.errors else None
    if moment is None:
        lookup = ReceiptForm(code=form.code.data, formdata=None)
        lookup.code.errors = list(form.code.errors or [NOT_FOUND])
        return _receipt_page(lookup, None, status=400)
    if not valid:
        return _receipt_page(form, moment, answer_form=form, status=400)
    try:
        loop.answer(
            moment,
            resolved=form.resolved.data == "yes",
            note=form.note.data,
            today=campaigns.local_today(utcnow()),
        )
        db.session.commit()
    except loop.LoopError as refused:
        db.session.rollback()
        return _receipt_page(form, moment, refused=str(refused), status=409)
    except IntegrityError:  # the same receipt answered twice at once: the first one counts
        db.session.rollback()
        return _receipt_page(form, moment, refused=loop.ALREADY_ANSWERED, status=409)
    return _receipt_page(form, moment, answered=True)


@bp.get("/listening", defaults={"slug": None})
@bp.get("/c/<slug>/listening")
def listening(slug: str | None):
    """듣고 있어요: open problems moderators chose to show, with what is being done."""
    state = _state(slug)
    min_group = current_app.config["PUBLIC_MIN_GROUP"]
    entries = loop.listening(state.campaign, min_group=min_group)
    return render_template(
        "public/listening.html",
        state=state,
        entries=entries,
        min_group=min_group,
        metoo_counts=metoo.public(
            metoo.cluster_counts(e.cluster.id for e in entries), min_group=min_group
        ),
    )


@bp.get("/privacy")
def privacy_promise():
    return render_template("public/privacy.html")


@bp.get("/language/<code>")
def language(code: str):
    """The header's "English" / "한국어" link: remember the choice and go back to the same
    page. A language we don't have changes nothing; `next` only ever leads within this site."""
    response = no_store(redirect(safe_return(request.args.get("next")), 303))
    if code in i18n.LANGUAGES:
        remember_language(response, code)
    return response


@bp.errorhandler(429)
def too_many(error):
    """Over the limit: show the same form again with everything typed still in it."""
    if request.endpoint == "public.submit":
        state = _state((request.view_args or {}).get("slug"))
        form = MomentForm(state.campaign)
        form.validate()
        form.body.errors = [RATE_LIMITED]
        return render_template("public/submit.html", state=state, form=form), 429
    if request.endpoint == "public.suggest":  # the page's script shows nothing; typing goes on
        answer = render_template("public/suggestions_answer.html", suggested=[])
        return answer, 429, {"Cache-Control": "no-store"}
    if request.endpoint in RECEIPT_LIMITED:
        form = ReceiptForm()
        form.code.errors = [RECEIPT_LIMITED[request.endpoint]]
        return _receipt_page(form, None, status=429)
    if request.endpoint == "public.thanks_follow":  # the thanks page, its code still shown
        data = session.get("thanks")
        moment = _thanked_moment(data) if data else None
        if moment is not None:
            return _thanks_page(data, moment, follow_error=str(FOLLOWED_TOO_OFTEN)), 429
    return render_error(error)
