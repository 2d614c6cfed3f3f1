"""Clocks, gray-zone escalation and internal notes: per-campaign targets, cluster hand-offs with
their reasons, and moderators' notes on moments and clusters

Revision ID: 0011_clocks
Revises: 0010_jobs
Create Date: 2026-12-01 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_clocks"
down_revision = "0010_jobs"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN with server defaults (never a batch copy: campaign and cluster are
    # referenced ON DELETE CASCADE); every existing campaign gets the default targets.
    op.add_column(
        "campaign",
        sa.Column("triage_days", sa.Integer(), nullable=False, server_default=sa.text("3")),
    )
    op.add_column(
        "campaign",
        sa.Column("answer_days", sa.Integer(), nullable=False, server_default=sa.text("30")),
    )
    op.add_column(
        "campaign",
        sa.Column("unowned_days", sa.Integer(), nullable=False, server_default=sa.text("7")),
    )
    op.add_column(
        "cluster",
        sa.Column("handoffs_cleared", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )
    op.create_table(
        "cluster_handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=True),
        sa.Column("to_team_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name="fk_cluster_handoff_cluster_id_cluster",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["from_team_id"],
            ["team.id"],
            name="fk_cluster_handoff_from_team_id_team",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["to_team_id"],
            ["team.id"],
            name="fk_cluster_handoff_to_team_id_team",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["moderator.id"],
            name="fk_cluster_handoff_by_id_moderator",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cluster_handoff"),
    )
    op.create_index("ix_cluster_handoff_cluster_id", "cluster_handoff", ["cluster_id"])
    op.create_index("ix_cluster_handoff_at", "cluster_handoff", ["at"])
    op.create_table(
        "desk_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("moment_id", sa.String(length=26), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(moment_id IS NULL) != (cluster_id IS NULL)", name=op.f("ck_desk_note_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["moment.id"],
            name="fk_desk_note_moment_id_moment",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name="fk_desk_note_cluster_id_cluster",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["moderator.id"],
            name="fk_desk_note_author_id_moderator",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_desk_note"),
    )
    op.create_index("ix_desk_note_moment_id", "desk_note", ["moment_id"])
    op.create_index("ix_desk_note_cluster_id", "desk_note", ["cluster_id"])


def downgrade():
    op.drop_index("ix_desk_note_cluster_id", table_name="desk_note")
    op.drop_index("ix_desk_note_moment_id", table_name="desk_note")
    op.drop_table("desk_note")
    op.drop_index("ix_cluster_handoff_at", table_name="cluster_handoff")
    op.drop_index("ix_cluster_handoff_cluster_id", table_name="cluster_handoff")
    op.drop_table("cluster_handoff")
    op.drop_column("cluster", "handoffs_cleared")
    op.drop_column("campaign", "unowned_days")
    op.drop_column("campaign", "answer_days")
    op.drop_column("campaign", "triage_days")
