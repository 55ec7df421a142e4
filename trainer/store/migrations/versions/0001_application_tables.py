"""Application tables: users, call sessions, turns, counters, companies

Revision ID: 0001
Revises:
Create Date: 2026-11-23 12:32:30.903196
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('companies',
    sa.Column('id', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('seeded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reference_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    op.create_table('number_counters',
    sa.Column('series', sa.String(length=40), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', name=op.f('pk_number_counters'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('student', 'observer', 'teacher')", name=op.f('ck_users_role')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('call_sessions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=120), nullable=False),
    sa.Column('company_id', sa.String(length=40), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('direction', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_by', sa.String(length=20), nullable=True),
    sa.Column('seed', sa.Integer(), nullable=True),
    sa.Column('transcript_json', sa.Text(), nullable=True),
    sa.Column('transcript_path', sa.Text(), nullable=True),
    sa.Column('score_json', sa.Text(), nullable=True),
    sa.Column('score_total', sa.Float(), nullable=True),
    sa.CheckConstraint("direction IN ('incoming', 'outgoing')", name=op.f('ck_call_sessions_direction')),
    sa.CheckConstraint("mode IN ('text', 'voice')", name=op.f('ck_call_sessions_mode')),
    sa.CheckConstraint("status IN ('live', 'finished', 'abandoned')", name=op.f('ck_call_sessions_status')),
    sa.ForeignKeyConstraint(['student_id'], ['users.id'], name=op.f('fk_call_sessions_student_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_sessions'))
    )
    op.create_index('ix_call_sessions_status_started', 'call_sessions', ['status', 'started_at'], unique=False)
    op.create_index(op.f('ix_call_sessions_student_id'), 'call_sessions', ['student_id'], unique=False)

    op.create_table('session_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('speaker', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('t', sa.Float(), nullable=True),
    sa.Column('extra_json', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("speaker IN ('student', 'customer', 'system')", name=op.f('ck_session_turns_speaker')),
    sa.CheckConstraint('idx >= 0', name=op.f('ck_session_turns_idx_positive')),
    sa.ForeignKeyConstraint(['session_id'], ['call_sessions.id'], name=op.f('fk_session_turns_session_id_call_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_turns')),
    sa.UniqueConstraint('session_id', 'idx', name=op.f('uq_session_turns_session_id_idx'))
    )


def downgrade() -> None:
    op.drop_table('session_turns')
    op.drop_index(op.f('ix_call_sessions_student_id'), table_name='call_sessions')
    op.drop_index('ix_call_sessions_status_started', table_name='call_sessions')

    op.drop_table('call_sessions')
    op.drop_table('users')
    op.drop_table('number_counters')
    op.drop_table('companies')
