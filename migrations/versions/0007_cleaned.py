"""Moments record how many invisible or control characters intake removed

Revision ID: 0007_cleaned
Revises: 0006_loop
Create Date: 2026-11-30 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_cleaned"
down_revision = "0006_loop"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE: a batch copy of `moment` on SQLite would fire its ON DELETE rules.
    op.add_column(
        "moment", sa.Column("cleaned", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )


def downgrade():
    op.drop_column("moment", "cleaned")
