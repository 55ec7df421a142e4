"""Observer grids, teacher reviews (decisions per criterion, adjusted total) and comments on turns

Revision ID: 0004_reviews
Revises: 0003
Create Date: 2026-11-23 12:56:09.309113
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op



revision = '0004_reviews'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('observer_grids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('observer_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.String(length=60), nullable=False),
    sa.Column('max_level', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['observer_id'], ['users.id'], name=op.f('fk_observer_grids_observer_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_observer_grids_session_id_call_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_grids')),
    sa.UniqueConstraint('session_id', 'observer_id', name=op.f('uq_observer_grids_session_id_observer_id'))
    )
    with op.batch_alter_table('observer_grids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observer_grids_session_id'), ['session_id'], unique=False)

    op.create_table('teacher_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('automatic_total', sa.Float(), nullable=True),
    sa.Column('adjusted_total', sa.Float(), nullable=True),
    sa.Column('total_override', sa.Float(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('adjusted_total IS NULL OR (adjusted_total >= 0 AND adjusted_total <= 100)', name=op.f('ck_teacher_reviews_adjusted_total_range')),
    sa.CheckConstraint('total_override IS NULL OR (total_override >= 0 AND total_override <= 100)', name=op.f('ck_teacher_reviews_total_override_range')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], name=op.f('fk_teacher_reviews_reviewer_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_teacher_reviews_session_id_call_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teacher_reviews')),
    sa.UniqueConstraint('session_id', name=op.f('uq_teacher_reviews_session_id'))
    )
    op.create_table('turn_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('turn_idx', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('turn_idx >= 0', name=op.f('ck_turn_comments_turn_idx_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_turn_comments_author_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_turn_comments_session_id_call_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turn_comments'))
    )
    with op.batch_alter_table('turn_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turn_comments_session_id'), ['session_id'], unique=False)

    op.create_table('observer_grid_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grid_row_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.String(length=60), nullable=False),
    sa.Column('level', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint('level IS NULL OR level >= 0', name=op.f('ck_observer_grid_items_level_positive')),
    sa.ForeignKeyConstraint(['grid_row_id'], ['observer_grids.id'], name=op.f('fk_observer_grid_items_grid_row_id_observer_grids'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observer_grid_items')),
    sa.UniqueConstraint('grid_row_id', 'item_id', name=op.f('uq_observer_grid_items_grid_row_id_item_id'))
    )
    op.create_table('review_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('criterion_id', sa.String(length=80), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('original_level', sa.Integer(), nullable=True),
    sa.Column('original_verdict', sa.String(length=20), nullable=True),
    sa.Column('adjusted_level', sa.Integer(), nullable=True),
    sa.Column('adjusted_verdict', sa.String(length=20), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("adjusted_verdict IS NULL OR adjusted_verdict IN ('respected', 'violated', 'not_applicable')", name=op.f('ck_review_decisions_adjusted_verdict')),
    sa.CheckConstraint("decision IN ('accept', 'adjust', 'reject')", name=op.f('ck_review_decisions_decision')),
    sa.CheckConstraint("kind IN ('rule', 'item')", name=op.f('ck_review_decisions_kind')),
    sa.CheckConstraint('adjusted_level IS NULL OR adjusted_level >= 0', name=op.f('ck_review_decisions_adjusted_level_positive')),
    sa.ForeignKeyConstraint(['review_id'], ['teacher_reviews.id'], name=op.f('fk_review_decisions_review_id_teacher_reviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_decisions')),
    sa.UniqueConstraint('review_id', 'kind', 'criterion_id', name=op.f('uq_review_decisions_review_id_kind_criterion_id'))
    )


def downgrade() -> None:
    op.drop_table('review_decisions')
    op.drop_table('observer_grid_items')
    with op.batch_alter_table('turn_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_turn_comments_session_id'))

    op.drop_table('turn_comments')
    op.drop_table('teacher_reviews')
    with op.batch_alter_table('observer_grids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observer_grids_session_id'))

    op.drop_table('observer_grids')
