"""Sources: a campaign's named entry points (a branch's QR poster, an ATM screen, a text
message), each with its own short link, and on each moment the source it was told through

Revision ID: 0018_sources
Revises: 0017_follows
Create Date: 2026-12-05 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0018_sources"
down_revision = "0017_follows"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=200), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_source_campaign_id_campaign"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        # A link names its source by code within the campaign; the desk shows names, so two
        # sources of one campaign never share either.
        sa.UniqueConstraint("campaign_id", "code", name=op.f("uq_source_campaign_id_code")),
        sa.UniqueConstraint("campaign_id", "name", name=op.f("uq_source_campaign_id_name")),
    )
    # Plain ADD COLUMN (never a batch copy of `moment`: see 0009). On SQLite the reference is
    # part of the column (ADD COLUMN … REFERENCES, allowed for a NULL default); PostgreSQL adds
    # it as a named constraint. No ON DELETE rule: a source is retired, never deleted, and a
    # campaign's deletion takes its moments with its sources (SQLite cannot reflect a rule
    # written inside a column, so the models and this file could not agree on one).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE moment ADD COLUMN source_id INTEGER "
            "CONSTRAINT fk_moment_source_id_source REFERENCES source (id)"
        )
    else:
        op.add_column("moment", sa.Column("source_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_moment_source_id_source"),
            "moment",
            "source",
            ["source_id"],
            ["id"],
        )
    op.create_index(op.f("ix_moment_source_id"), "moment", ["source_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_moment_source_id"), table_name="moment")
    if op.get_bind().dialect.name != "sqlite":  # on SQLite the reference goes with its column
        op.drop_constraint(op.f("fk_moment_source_id_source"), "moment", type_="foreignkey")
    op.drop_column("moment", "source_id")
    op.drop_table("source")
