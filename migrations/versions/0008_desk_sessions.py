"""Server-side desk sessions, and two-factor sign-in for moderators

Revision ID: 0008_desk_sessions
Revises: 0007_cleaned
Create Date: 2026-11-30 00:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_desk_sessions"
down_revision = "0007_cleaned"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "desk_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderator.id"],
            name=op.f("fk_desk_session_moderator_id_moderator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_session")),
    )
    op.create_index(
        op.f("ix_desk_session_moderator_id"), "desk_session", ["moderator_id"], unique=False
    )
    # Plain ALTER TABLE: a batch copy of `moderator` on SQLite would fire its ON DELETE rules.
    op.add_column("moderator", sa.Column("totp_secret", sa.String(length=64), nullable=True))
    op.add_column("moderator", sa.Column("totp_pending", sa.String(length=64), nullable=True))
    op.add_column(
        "moderator", sa.Column("recovery_hashes", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column("moderator", sa.Column("totp_last_step", sa.Integer(), nullable=True))


def downgrade():
    for column in ("totp_last_step", "recovery_hashes", "totp_pending", "totp_secret"):
        op.drop_column("moderator", column)
    op.drop_index(op.f("ix_desk_session_moderator_id"), table_name="desk_session")
    op.drop_table("desk_session")
