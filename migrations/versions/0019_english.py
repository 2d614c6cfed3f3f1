"""Campaign texts in English beside the Korean: title, question and introduction (empty when
the campaign has no English yet; English pages then show the Korean, marked lang="ko")

Revision ID: 0019_english
Revises: 0018_sources
Create Date: 2026-12-04 09:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0019_english"
down_revision = "0018_sources"
branch_labels = None
depends_on = None

COLUMNS = (
    ("title_en", sa.String(length=120)),
    ("question_en", sa.String(length=200)),
    ("intro_en", sa.Text()),
)


def upgrade():
    # Plain ADD COLUMN with a server default: no table copy, existing campaigns get "".
    for name, kind in COLUMNS:
        op.add_column(
            "campaign", sa.Column(name, kind, nullable=False, server_default=sa.text("''"))
        )


def downgrade():
    # Plain DROP COLUMN too (SQLite 3.35+): a batch rebuild of `campaign` would copy the table.
    for name, _kind in reversed(COLUMNS):
        op.drop_column("campaign", name)
