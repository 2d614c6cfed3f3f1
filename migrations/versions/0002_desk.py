"""The moderators' desk: accounts, teams, tags, urgent rules, audit trail, search.

Moments gain flags (urgent, abusive), a hidden reason and an owning team. Search structures
are made here by hand for each database: an FTS5 trigram table on SQLite, pg_trgm GIN
indexes on PostgreSQL (see campaign/search.py).

Revision ID: 0002_desk
Revises: 0001_moments
Create Date: 2026-11-23 16:05:20.529480

"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_desk"
down_revision = "0001_moments"
branch_labels = None
depends_on = None

URGENT_PHRASES = [
    "보이스피싱",
    "피싱",
    "스미싱",
    "사기",
    "도용",
    "명의도용",
    "해킹",
    "부정결제",
    "무단결제",
    "모르는 결제",
    "모르는 출금",
    "돈이 사라",
    "잔액이 사라",
    "착오송금",
    "잘못 송금",
    "잘못 보낸",
    "출금되지",
    "입금되지 않",
    "유출",
]


def upgrade():
    op.create_table(
        "tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team")),
        sa.UniqueConstraint("name", name=op.f("uq_team_name")),
    )
    op.create_table(
        "urgent_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_urgent_rule")),
        sa.UniqueConstraint("phrase", name=op.f("uq_urgent_rule_phrase")),
    )
    op.create_table(
        "moderator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "viewer",
                "moderator",
                "admin",
                name="moderator_role",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("shortcuts", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_moderator_team_id_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moderator")),
        sa.UniqueConstraint("email", name=op.f("uq_moderator_email")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target_type", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=40), nullable=False),
        sa.Column("batch", sa.String(length=26), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["moderator.id"],
            name=op.f("fk_audit_event_actor_id_moderator"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_batch"), ["batch"], unique=False)
        batch_op.create_index("ix_audit_event_target", ["target_type", "target_id"], unique=False)

    op.create_table(
        "moment_tag",
        sa.Column("moment_id", sa.String(length=26), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["moment.id"],
            name=op.f("fk_moment_tag_moment_id_moment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tag.id"], name=op.f("fk_moment_tag_tag_id_tag"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("moment_id", "tag_id", name=op.f("pk_moment_tag")),
    )
    with op.batch_alter_table("moment_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_moment_tag_tag_id"), ["tag_id"], unique=False)

    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "hidden_reason",
                sa.Enum(
                    "spam",
                    "abuse",
                    "irrelevant",
                    "personal_data",
                    name="hidden_reason",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "status_before_hidden",
                sa.Enum(
                    "received",
                    "in_review",
                    "grouped",
                    "hidden",
                    name="moment_status_before",
                    native_enum=False,
                    create_constraint=True,
                    length=20,
                ),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("urgent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("abusive", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_moment_status", ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_moment_team_id"), ["team_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_moment_team_id_team"), "team", ["team_id"], ["id"], ondelete="SET NULL"
        )

    # Phrases that mark a moment as urgent (fraud, lost money); admins edit them in the panel.
    rules = sa.table(
        "urgent_rule", sa.column("phrase", sa.String), sa.column("created_at", sa.DateTime)
    )
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(rules, [{"phrase": p, "created_at": now} for p in URGENT_PHRASES])
    # Moments that arrived before the flags existed: mark the urgent ones now.
    moment = sa.table("moment", sa.column("body", sa.Text), sa.column("urgent", sa.Boolean))
    op.execute(
        moment.update()
        .where(sa.or_(*[moment.c.body.contains(p) for p in URGENT_PHRASES]))
        .values(urgent=True)
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE moment_fts USING fts5(moment_id UNINDEXED, body, suggestion, "
            "tokenize='trigram')"
        )
        op.execute(
            "INSERT INTO moment_fts (moment_id, body, suggestion) SELECT id, body, "
            "coalesce(suggestion, '') FROM moment"
        )
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_moment_trgm_body ON moment USING gin (body gin_trgm_ops)")
        op.execute(
            "CREATE INDEX ix_moment_trgm_suggestion ON moment USING gin (suggestion gin_trgm_ops)"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS moment_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_moment_trgm_body")
        op.execute("DROP INDEX IF EXISTS ix_moment_trgm_suggestion")
    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_moment_team_id_team"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_moment_team_id"))
        batch_op.drop_index("ix_moment_status")
        # The enum CHECKs name the columns; SQLite's table rebuild would keep them otherwise.
        batch_op.drop_constraint(op.f("ck_moment_hidden_reason"), type_="check")
        batch_op.drop_constraint(op.f("ck_moment_moment_status_before"), type_="check")
        batch_op.drop_column("team_id")
        batch_op.drop_column("abusive")
        batch_op.drop_column("urgent")
        batch_op.drop_column("status_before_hidden")
        batch_op.drop_column("hidden_reason")

    with op.batch_alter_table("moment_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moment_tag_tag_id"))

    op.drop_table("moment_tag")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_target")
        batch_op.drop_index(batch_op.f("ix_audit_event_batch"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    op.drop_table("moderator")
    op.drop_table("urgent_rule")
    op.drop_table("team")
    op.drop_table("tag")
