"""Imported moments: where a moment came from (the form or an import), the import that brought
it, and a keyed digest of its day and masked text so that the same line is never imported twice

Revision ID: 0015_imports
Revises: 0014_overdue_alerts
Create Date: 2026-12-03 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_imports"
down_revision = "0014_overdue_alerts"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (never a batch copy of `moment`: see 0009); every moment so far was told
    # on the form, which the server default says.
    op.add_column(
        "moment",
        sa.Column(
            "origin",
            sa.String(length=10),
            sa.CheckConstraint("origin IN ('form', 'import')", name=op.f("ck_moment_origin_known")),
            server_default="form",
            nullable=False,
        ),
    )
    op.add_column("moment", sa.Column("import_batch", sa.String(length=26), nullable=True))
    op.add_column("moment", sa.Column("import_digest", sa.String(length=64), nullable=True))
    # Only imported moments carry a digest: a partial index holds just those.
    op.create_index(
        "ix_moment_import_digest",
        "moment",
        ["campaign_id", "import_digest"],
        sqlite_where=sa.text("import_digest IS NOT NULL"),
        postgresql_where=sa.text("import_digest IS NOT NULL"),
    )


def downgrade():
    op.drop_index("ix_moment_import_digest", table_name="moment")
    op.drop_column("moment", "import_digest")
    op.drop_column("moment", "import_batch")
    op.drop_column("moment", "origin")
