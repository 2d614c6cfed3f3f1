"""Extensions, created unbound and bound to an app in `create_app`."""

from flask import has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

from campaign.privacy import client_key

# Named constraints make migrations reviewable and portable between SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def request_client_key() -> str:
    """The keyed hash of this request's client address (`privacy.client_key` decides what is
    kept); lives here, at the HTTP edge, because the domain never reads the request."""
    return client_key(request.remote_addr if has_request_context() else None)


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "admin.login"
login_manager.login_message = "먼저 로그인해 주세요."
babel = Babel()
login_manager.session_protection = "strong"
# Every limit is keyed by a keyed hash of the client address, held in the limiter's storage
# (process memory by default) and nowhere else.
limiter = Limiter(key_func=request_client_key)
