"""Campaigns and anonymous moments.

A moment keeps no sender data: a random id, the hour it arrived, masked text and the keyed
hash of its receipt code.

Revision ID: 0001_moments
Revises:
Create Date: 2026-11-23 15:43:43.766355

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0001_moments"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("question", sa.String(length=200), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign")),
        sa.UniqueConstraint("slug", name=op.f("uq_campaign_slug")),
    )
    op.create_table(
        "moment",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "in_review",
                "grouped",
                "hidden",
                name="moment_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("received_hour", sa.DateTime(), nullable=False),
        sa.Column("masked", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_moment_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_moment")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_moment_receipt_hash")),
    )
    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_moment_campaign_received", ["campaign_id", "received_hour"], unique=False
        )


def downgrade():
    with op.batch_alter_table("moment", schema=None) as batch_op:
        batch_op.drop_index("ix_moment_campaign_received")

    op.drop_table("moment")
    op.drop_table("campaign")
