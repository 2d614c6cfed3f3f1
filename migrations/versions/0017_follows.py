"""Follow links ("소식 받기"): a keyed hash of a random token and the moment it follows, nothing
else (no time, no client)

Revision ID: 0017_follows
Revises: 0016_metoo
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_follows"
down_revision = "0016_metoo"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follow",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("moment_id", sa.String(length=26), nullable=False),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["moment.id"],
            name=op.f("fk_follow_moment_id_moment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_follow")),
    )
    op.create_index(op.f("ix_follow_moment_id"), "follow", ["moment_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_follow_moment_id"), table_name="follow")
    op.drop_table("follow")
