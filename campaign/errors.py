"""Error pages (Korean, friendly), the checks every request passes at the edge, and security
headers on every response."""

from __future__ import annotations

from flask import Flask, abort, current_app, render_template, request
from flask.globals import request_ctx
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.routing import IntegerConverter

from campaign import api
from campaign.extensions import db
from campaign.i18n import _l
from campaign.intake import MAX_ID, has_control
from campaign.templating import no_store


class BoundedInt(IntegerConverter):
    """`<int:…>` in every route: ids fit the database's 32-bit columns, so a longer number is a
    404 rather than an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# No inline script or style, nothing from a third party, no framing.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)

PAGES = {
    400: (
        _l("요청을 처리하지 못했어요"),
        _l("보내주신 요청이 올바르지 않아요. 이전 페이지로 돌아가서 다시 시도해 주세요."),
    ),
    403: (_l("이 페이지를 볼 수 없어요"), _l("이 페이지를 볼 수 있는 권한이 없어요.")),
    404: (
        _l("페이지를 찾을 수 없어요"),
        _l("주소가 바뀌었거나 없어진 페이지예요. 주소를 다시 확인해 주세요."),
    ),
    405: (_l("이 방법으로는 열 수 없어요"), _l("처음 화면에서 다시 시작해 주세요.")),
    410: (_l("더 이상 받지 않아요"), _l("이 캠페인은 이야기를 더 이상 받지 않아요.")),
    413: (
        _l("보내신 내용이 너무 커요"),
        _l(
            "한 번에 보낼 수 있는 양을 넘었어요. 뒤로 가면 쓰신 내용이 그대로 있으니, "
            "조금 줄여서 다시 보내 주세요."
        ),
    ),
    429: (
        _l("잠시 후 다시 시도해 주세요"),
        _l("짧은 시간에 요청이 너무 많았어요. 1분 정도 기다린 뒤 다시 시도해 주세요."),
    ),
    500: (
        _l("문제가 생겼어요"),
        _l("저희 쪽에 일시적인 문제가 생겼어요. 잠시 후 다시 시도해 주세요."),
    ),
    503: (
        _l("잠시 연결이 끊겼어요"),
        _l("저장소와 잠깐 연결이 끊겼어요. 몇 초 뒤 새로 고쳐 주세요."),
    ),
}


def register(app: Flask) -> None:
    for code in PAGES:
        app.register_error_handler(code, render_error)

    @app.errorhandler(OperationalError)
    def database_unreachable(error):
        """A restarting database or a long-held SQLite lock is a moment's wait, not a fault."""
        try:
            db.session.rollback()
        except OperationalError:
            db.session.close()  # the connection is gone; the pool replaces it
        return render_error(ServiceUnavailable())

    @app.before_request
    def refuse_control_characters():
        """NUL and other controls never belong in a path or a query string; PostgreSQL would
        refuse them mid-query. Form text is cleaned instead (forms.Form, intake.clean_text)."""
        if has_control(request.path):
            abort(404)
        if any(
            has_control(key) or has_control(value) for key, value in request.args.items(multi=True)
        ):
            abort(400)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = (
            "interest-cohort=(), camera=(), microphone=(), geolocation=()"
        )
        # A page that said it may be kept (public.cache) keeps its own Cache-Control.
        if request.method == "POST" or (
            response.mimetype == "text/html" and "Cache-Control" not in response.headers
        ):
            no_store(response)
        if app.config["ENV"] == "production":
            # Only https from now on, for a year; a first plain request can't be downgraded again.
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def render_error(error):
    code = getattr(error, "code", 500) or 500
    if api.is_api_request():
        return api.json_error(error)
    title, message = PAGES.get(code, PAGES[500])
    if request_ctx.url_adapter is None:
        # An untrusted Host: no URL can be built for it, so no page with links either.
        return current_app.response_class(
            f"{title}\n{message}\n", status=code, mimetype="text/plain"
        )
    return render_template("errors/error.html", code=code, title=title, message=message), code
