"""Reminders keep the amount due at the time of the contact

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:49:14.810575
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_due', sa.Numeric(precision=12, scale=2), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('amount_due')

