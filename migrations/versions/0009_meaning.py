"""Stored sentence vectors for moments, the "loosely grouped" flag, and machine names for clusters

Revision ID: 0009_meaning
Revises: 0008_desk_sessions
Create Date: 2026-11-30 00:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_meaning"
down_revision = "0008_desk_sessions"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ADD COLUMN, never a batch copy: on SQLite, copying `moment` drops the old
    # table, and the ON DELETE rules of moment_tag, fix_moment and fix_answer would empty them.
    # A moment's meaning as the sentence encoder read it on arrival (encoder.pack: model id and
    # 384 float16 values); re-clustering reads it instead of encoding the text again.
    op.add_column("moment", sa.Column("embedding", sa.LargeBinary(), nullable=True))
    # Put in its nearest group though less alike than the group's own members: shown as
    # "느슨하게 묶임" so a person checks it.
    op.add_column(
        "moment",
        sa.Column("loosely_grouped", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # The machine's name for a cluster: its most representative moment, shortened. A person's
    # name (cluster.name) always wins. Plain ADD COLUMN on `cluster` too (fix_cluster, moment and
    # cluster itself refer to it with ON DELETE rules).
    op.add_column("cluster", sa.Column("summary", sa.String(length=120), nullable=True))


def downgrade():
    op.drop_column("cluster", "summary")
    op.drop_column("moment", "loosely_grouped")
    op.drop_column("moment", "embedding")
