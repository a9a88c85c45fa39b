"""reporting: Sachstandsberichte, newsletter editions, "nicht veröffentlichen", HTML mails

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sachstand_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stichtag', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('committee', sa.String(length=300), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_sachstand_reports_document_id_documents')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_sachstand_reports_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sachstand_reports')),
    sa.UniqueConstraint('stichtag', 'version', name=op.f('uq_sachstand_reports_stichtag_version'))
    )
    op.create_index(op.f('ix_sachstand_reports_stichtag'), 'sachstand_reports', ['stichtag'], unique=False)
    op.create_table('newsletter_editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('edition_date', sa.Date(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('draft_outbox_id', sa.Integer(), nullable=True),
    sa.Column('released_on', sa.Date(), nullable=True),
    sa.Column('released_by', sa.String(length=200), nullable=True),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('entered_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['draft_outbox_id'], ['outbox.id'], name=op.f('fk_newsletter_editions_draft_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_newsletter_editions')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_newsletter_editions_fingerprint')),
    sa.UniqueConstraint('number', name=op.f('uq_newsletter_editions_number'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish', sa.Boolean(), server_default='true', nullable=False))
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('publish', sa.Boolean(), server_default='true', nullable=False))
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('body_html')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('publish')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('publish')
    op.drop_table('newsletter_editions')
    op.drop_index(op.f('ix_sachstand_reports_stichtag'), table_name='sachstand_reports')
    op.drop_table('sachstand_reports')
