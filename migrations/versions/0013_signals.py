"""Signals for the desk: how inconvenient a moment was (severity), and spike alerts that fire once

Revision ID: 0013_signals
Revises: 0012_hooks
Create Date: 2026-12-01 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_signals"
down_revision = "0012_hooks"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (never a batch copy of `moment`: see 0009), with its CHECK inline, which
    # SQLite accepts in ADD COLUMN. Optional on the form: NULL when the person skipped it.
    op.add_column(
        "moment",
        sa.Column(
            "severity",
            sa.SmallInteger(),
            sa.CheckConstraint("severity BETWEEN 1 AND 5", name=op.f("ck_moment_severity_range")),
            nullable=True,
        ),
    )
    # The desk's alert counts urgent moments still 접수 on every cluster list and dashboard: a
    # partial index holds just those (26 ms → 0.1 ms at 100,000 moments on SQLite).
    op.create_index(
        "ix_moment_urgent_waiting",
        "moment",
        ["campaign_id", "received_hour"],
        sqlite_where=sa.text("urgent = 1 AND status = 'received'"),
        postgresql_where=sa.text("urgent AND status = 'received'"),
    )
    op.create_table(
        "spike_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("moments", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name="fk_spike_alert_campaign_id_campaign",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name="fk_spike_alert_cluster_id_cluster",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_spike_alert"),
    )
    op.create_index("ix_spike_alert_campaign_id", "spike_alert", ["campaign_id"])
    # One open spike per cluster: a second worker's insert of the same spike fails.
    op.create_index(
        "ix_spike_alert_open",
        "spike_alert",
        ["cluster_id"],
        unique=True,
        sqlite_where=sa.text("ended_at IS NULL"),
        postgresql_where=sa.text("ended_at IS NULL"),
    )


def downgrade():
    op.drop_index("ix_spike_alert_open", table_name="spike_alert")
    op.drop_index("ix_spike_alert_campaign_id", table_name="spike_alert")
    op.drop_table("spike_alert")
    op.drop_index("ix_moment_urgent_waiting", table_name="moment")
    op.drop_column("moment", "severity")
