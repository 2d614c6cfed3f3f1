"""The honest loop: 듣고 있어요 fields on clusters, and receipts' "해결됐나요?" answers

Revision ID: 0006_loop
Revises: 0005_fixes
Create Date: 2026-11-29 23:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_loop'
down_revision = '0005_fixes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cluster') as batch:
        batch.add_column(sa.Column('public_title', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('public_note', sa.String(length=300), nullable=True))
        batch.add_column(sa.Column('listed', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        'fix_answer',
        sa.Column('moment_id', sa.String(length=26), nullable=False),
        sa.Column('fix_id', sa.Integer(), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('answered_on', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['fix_id'], ['fix.id'], name=op.f('fk_fix_answer_fix_id_fix'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['moment_id'], ['moment.id'], name=op.f('fk_fix_answer_moment_id_moment'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('moment_id', name=op.f('pk_fix_answer')),
    )
    op.create_index(op.f('ix_fix_answer_fix_id'), 'fix_answer', ['fix_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_fix_answer_fix_id'), table_name='fix_answer')
    op.drop_table('fix_answer')
    with op.batch_alter_table('cluster') as batch:
        batch.drop_column('listed')
        batch.drop_column('public_note')
        batch.drop_column('public_title')
