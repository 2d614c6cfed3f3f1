"""Background jobs: moments settle after acceptance, and long desk jobs report their progress

Revision ID: 0010_jobs
Revises: 0009_meaning
Create Date: 2026-11-30 03:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_jobs"
down_revision = "0009_meaning"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (never a batch copy of `moment`: see 0009). Every moment stored before
    # this revision was indexed and placed inside its request, so it is settled already.
    op.add_column(
        "moment", sa.Column("settled", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.create_index(
        "ix_moment_unsettled",
        "moment",
        ["campaign_id"],
        sqlite_where=sa.text("NOT settled"),
        postgresql_where=sa.text("NOT settled"),
    )
    op.create_table(
        "job_run",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "queued",
                "running",
                "done",
                "failed",
                name="job_state",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name="fk_job_run_campaign_id_campaign",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["moderator.id"],
            name="fk_job_run_requested_by_id_moderator",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_job_run"),
    )
    op.create_index("ix_job_run_created_at", "job_run", ["created_at"])


def downgrade():
    op.drop_index("ix_job_run_created_at", table_name="job_run")
    op.drop_table("job_run")
    op.drop_index("ix_moment_unsettled", table_name="moment")
    op.drop_column("moment", "settled")
