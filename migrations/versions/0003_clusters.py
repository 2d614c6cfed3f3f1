"""Clusters of similar moments, and which moments a person placed by hand.

Revision ID: 0003_clusters
Revises: 0002_desk
Create Date: 2026-11-23 17:12:42.470995

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_clusters"
down_revision = "0002_desk"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cluster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "planned",
                "in_progress",
                "done",
                "on_hold",
                name="cluster_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("decided", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_cluster_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["cluster.id"],
            name=op.f("fk_cluster_merged_into_id_cluster"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_cluster_team_id_team"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cluster")),
    )
    with op.batch_alter_table("cluster", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cluster_campaign_id"), ["campaign_id"], unique=False)

    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cluster_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("placed_by_human", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_moment_cluster_id"), ["cluster_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_moment_cluster_id_cluster"),
            "cluster",
            ["cluster_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade():
    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_moment_cluster_id_cluster"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_moment_cluster_id"))
        batch_op.drop_column("placed_by_human")
        batch_op.drop_column("cluster_id")

    with op.batch_alter_table("cluster", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cluster_campaign_id"))

    op.drop_table("cluster")
