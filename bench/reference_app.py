"""The bare stack bench/submit_load.py measures the project against: Flask, a Flask-WTF form
with its CSRF token in the session cookie, one INSERT per accepted post, and a list page of the
20 newest notes joined with their topic. Nothing else: no masking, no flags, no queue, no
cache. SQLite gets the project's connection pragmas (WAL, busy timeout), so the comparison is
about the work, not the settings.

    REFERENCE_DATABASE_URL=sqlite:////tmp/ref.sqlite3 \\
        gunicorn --pythonpath bench -k gthread -w 2 --threads 4 reference_app:app

`create_schema(url)` makes the two tables and a few topics before the server starts.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from flask import Flask, redirect, render_template_string
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import FlaskForm
from sqlalchemy import ForeignKey, String, Text, create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    contains_eager,
    mapped_column,
    relationship,
)
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

TOPICS = ["송금·이체", "카드", "대출", "상담", "기타"]


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Topic(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class Note(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(index=True)
    topic: Mapped[Topic] = relationship()


class NoteForm(FlaskForm):
    body = TextAreaField(validators=[DataRequired(), Length(min=10, max=2000)])


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "foreign_keys=ON",
        "busy_timeout=5000",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8">
<title>{{ title }}</title></head><body><main>{% block main %}{% endblock %}</main></body></html>"""

FORM = PAGE.replace(
    "{% block main %}{% endblock %}",
    """<form method="post" action="/submit">
{{ form.csrf_token }}<label for="body">이야기</label>{{ form.body(rows=6) }}
{% for error in form.body.errors %}<p>{{ error }}</p>{% endfor %}<button>보내기</button></form>""",
)

LIST = PAGE.replace(
    "{% block main %}{% endblock %}",
    """<ol>{% for note in notes %}
<li><strong>{{ note.topic.name }}</strong> {{ note.body }} <time>{{ note.created_at }}</time></li>
{% endfor %}</ol>""",
)


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY="reference-bench-secret",
        SQLALCHEMY_DATABASE_URI=os.environ["REFERENCE_DATABASE_URL"],
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        WTF_CSRF_TIME_LIMIT=None,
    )
    db.init_app(app)

    @app.route("/submit", methods=["GET", "POST"])
    def submit():
        form = NoteForm()
        if form.validate_on_submit():
            topic = 1 + len(form.body.data) % len(TOPICS)
            db.session.add(
                Note(
                    topic_id=topic,
                    body=form.body.data,
                    created_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
            db.session.commit()
            return redirect("/list", 303)
        return render_template_string(FORM, title="이야기 보내기", form=form)

    @app.get("/list")
    def newest():
        notes = db.session.scalars(
            select(Note)
            .join(Note.topic)
            .options(contains_eager(Note.topic))
            .order_by(Note.created_at.desc(), Note.id.desc())
            .limit(20)
        )
        return render_template_string(LIST, title="최근 이야기", notes=list(notes))

    return app


def create_schema(url: str, notes: int = 20) -> None:
    """The tables, the topics and a first page of notes."""
    engine = create_engine(url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add_all(Topic(id=i, name=name) for i, name in enumerate(TOPICS, start=1))
        now = datetime.now(UTC).replace(tzinfo=None)
        session.add_all(
            Note(topic_id=1 + i % len(TOPICS), body=f"처음부터 있던 이야기예요 {i}", created_at=now)
            for i in range(notes)
        )
        session.commit()
    engine.dispose()


if os.environ.get("REFERENCE_DATABASE_URL"):
    app = create_app()
