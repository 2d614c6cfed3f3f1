"""나도 겪었어요: anonymous taps on a public fix or a 듣고 있어요 entry, kept as what was tapped and
the local day only

Revision ID: 0016_metoo
Revises: 0015_imports
Create Date: 2026-12-04 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0016_metoo"
down_revision = "0015_imports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "me_too",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fix_id", sa.Integer(), nullable=True),
        sa.Column("cluster_id", sa.Integer(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        # A tap is on a fix or on a cluster, never both or neither.
        sa.CheckConstraint(
            "(fix_id IS NULL) != (cluster_id IS NULL)", name=op.f("ck_me_too_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["fix_id"], ["fix.id"], name="fk_me_too_fix_id_fix", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["cluster_id"], ["cluster.id"], name="fk_me_too_cluster_id_cluster", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_me_too"),
    )
    op.create_index("ix_me_too_fix_id", "me_too", ["fix_id"])
    op.create_index("ix_me_too_cluster_id", "me_too", ["cluster_id"])


def downgrade():
    op.drop_index("ix_me_too_cluster_id", table_name="me_too")
    op.drop_index("ix_me_too_fix_id", table_name="me_too")
    op.drop_table("me_too")
