"""Complaints of the reference data keep a stable key (seeded once, never duplicated)

Revision ID: 0005_complaints_seed_key
Revises: 0004_reviews
Create Date: 2026-11-23 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005_complaints_seed_key'
down_revision = '0004_reviews'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seed_key', sa.String(length=60), nullable=True))
        batch_op.create_unique_constraint('uq_complaints_seed_key', ['seed_key'])


def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_constraint('uq_complaints_seed_key', type_='unique')
        batch_op.drop_column('seed_key')
