"""The application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from campaign.config import configured_instance_path, load_config

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# Where the wheel carries templates/, static/ and migrations/ (setup.py copies them there).
BUNDLED = PACKAGE / "_site"


def site_dir(name: str) -> Path:
    """templates/, static/ or migrations/: inside the installed package, else the source tree's."""
    bundled = BUNDLED / name
    return bundled if bundled.is_dir() else ROOT / name


def instance_dir(overrides: dict | None) -> str | None:
    """CAMPAIGN_INSTANCE_PATH when set; else the source tree's instance/; installed from the
    wheel, None lets Flask choose <venv>/var/campaign-instance."""
    configured = configured_instance_path(overrides)
    if configured:
        return configured
    return None if BUNDLED.is_dir() else str(ROOT / "instance")


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(site_dir("templates")),
        static_folder=str(site_dir("static")),
        instance_path=instance_dir(overrides),
    )
    load_config(app, overrides)
    app.json.ensure_ascii = False  # the API answers in readable Korean
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"])
    register_extensions(app)
    register_converters(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_templating(app)
    return app


def register_extensions(app: Flask) -> None:
    from campaign import database
    from campaign.accounts import LoginThrottle, load_session_user
    from campaign.extensions import csrf, db, limiter, login_manager, migrate
    from campaign.submissions import RecentSubmissions

    db.init_app(app)
    database.init_app(app)  # after db: its teardown must run first
    migrate.init_app(app, db, directory=str(site_dir("migrations")), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # No app-wide context processor: it would load a user (and touch the session) on public
    # pages, which must set no cookie but the CSRF session. The desk adds its own.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.user_loader(load_session_user)
    from campaign import tasks  # noqa: F401  (declares the jobs before the queue is built)
    from campaign.jobs import jobs

    jobs.init_app(app)
    if app.config["REDIS_URL"]:
        from campaign import shared

        connection = shared.client(app.config["REDIS_URL"])
        app.extensions["redis"] = connection
        prefix = app.config["REDIS_PREFIX"]
        app.extensions["recent_submissions"] = shared.RedisRecentSubmissions(connection, prefix)
        app.extensions["login_throttle"] = shared.RedisLoginThrottle(connection, prefix)
    else:
        app.extensions["recent_submissions"] = RecentSubmissions()
        app.extensions["login_throttle"] = LoginThrottle()
    from campaign.public import cache

    app.extensions["pages"] = cache.build(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers go on while a moment is written; foreign keys are off by default in
    SQLite; secure_delete overwrites purged moments instead of leaving them in free pages."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def register_converters(app: Flask) -> None:
    """Before any route exists, so every `<int:…>` is bounded."""
    from campaign.errors import BoundedInt

    app.url_map.converters["int"] = BoundedInt


def register_blueprints(app: Flask) -> None:
    from campaign.admin import bp as admin_bp
    from campaign.api import bp as api_bp
    from campaign.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)


def register_error_handlers(app: Flask) -> None:
    from campaign.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    from campaign.cli import register

    register(app)


def register_templating(app: Flask) -> None:
    from campaign.templating import register

    register(app)
