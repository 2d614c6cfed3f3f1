"""The honest loop: 듣고 있어요 fields on clusters, and receipts' "해결됐나요?" answers

Revision ID: 0006_loop
Revises: 0005_fixes
Create Date: 2026-11-29 23:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006_loop"
down_revision = "0005_fixes"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE, never a batch copy: on SQLite, copying `cluster` drops the old table,
    # and its ON DELETE rules would empty fix_cluster and every moment's cluster_id.
    op.add_column("cluster", sa.Column("public_title", sa.String(length=120), nullable=True))
    op.add_column("cluster", sa.Column("public_note", sa.String(length=300), nullable=True))
    op.add_column(
        "cluster", sa.Column("listed", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "fix_answer",
        sa.Column("moment_id", sa.String(length=26), nullable=False),
        sa.Column("fix_id", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["fix_id"], ["fix.id"], name=op.f("fk_fix_answer_fix_id_fix"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["moment_id"],
            ["moment.id"],
            name=op.f("fk_fix_answer_moment_id_moment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("moment_id", name=op.f("pk_fix_answer")),
    )
    op.create_index(op.f("ix_fix_answer_fix_id"), "fix_answer", ["fix_id"], unique=False)
    _clusters_follow_their_public_fixes()


def _clusters_follow_their_public_fixes():
    """Publishing used to mark every answered cluster 개선 완료, even for a fix still 개선 중;
    a cluster now takes the progress of the least advanced public fix that answers it."""
    order = ["planned", "in_progress", "done"]
    rows = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT fix_cluster.cluster_id, fix.progress FROM fix_cluster "
                "JOIN fix ON fix.id = fix_cluster.fix_id "
                "WHERE fix.state = 'published'"
            )
        )
        .all()
    )
    least = {}
    for cluster_id, progress in rows:
        least[cluster_id] = min(least.get(cluster_id, progress), progress, key=order.index)
    for cluster_id, progress in least.items():
        op.get_bind().execute(
            sa.text("UPDATE cluster SET status = :status WHERE id = :id"),
            {"status": progress, "id": cluster_id},
        )


def downgrade():
    op.drop_index(op.f("ix_fix_answer_fix_id"), table_name="fix_answer")
    op.drop_table("fix_answer")
    for column in ("listed", "public_note", "public_title"):
        op.drop_column("cluster", column)
