"""Overdue alerts: each cluster whose public-answer clock ran out is announced once per deadline

Revision ID: 0014_overdue_alerts
Revises: 0013_signals
Create Date: 2026-12-02 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_overdue_alerts"
down_revision = "0013_signals"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "overdue_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cluster_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.DateTime(), nullable=False),
        sa.Column("announced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cluster_id"],
            ["cluster.id"],
            name="fk_overdue_alert_cluster_id_cluster",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_overdue_alert"),
        # One announcement per cluster and deadline, also when two workers' sweeps meet.
        sa.UniqueConstraint("cluster_id", "deadline", name="uq_overdue_alert_cluster_id_deadline"),
    )


def downgrade():
    op.drop_table("overdue_alert")
