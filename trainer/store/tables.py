"""SQLAlchemy 2.0 tables of the shared database.

Two families: the application's own tables (users, call sessions and their turns, number counters,
companies) and the company ERP ("PGI") tables (clients, catalogue, promotions, orders, complaints,
messages, reviews, contact log, invoices, reminders). Every schema change goes through an Alembic
migration in ``trainer/store/migrations/versions``; ``tests/store/test_migrations.py`` checks that
the migrations and these classes agree.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from trainer.store.types import AwareDateTime, MoneyType, RateType

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention (needed by migrations)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# --------------------------------------------------------------------------------------------------
# Application tables
# --------------------------------------------------------------------------------------------------


class CompanyRow(Base):
    """A company whose reference data has been seeded (``generik``, ``servfamilles``)."""

    __tablename__ = "companies"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    seeded_at: Mapped[datetime] = mapped_column(AwareDateTime())
    reference_version: Mapped[int] = mapped_column(Integer, default=1)


class NumberCounter(Base):
    """The last number handed out for one series (``CMD-2026``, ``CLI``...)."""

    __tablename__ = "number_counters"

    series: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)


class UserRow(Base):
    """A person using the trainer: student, observer or teacher."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('student', 'observer', 'teacher')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16), default="student")
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class CallSessionRow(Base):
    """One call, live or finished; its turns are in ``session_turns`` as they happen."""

    __tablename__ = "call_sessions"
    __table_args__ = (
        CheckConstraint("status IN ('live', 'finished', 'abandoned')", name="status"),
        CheckConstraint("direction IN ('incoming', 'outgoing')", name="direction"),
        CheckConstraint("mode IN ('text', 'voice')", name="mode"),
        Index("ix_call_sessions_status_started", "status", "started_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    scenario_id: Mapped[str] = mapped_column(String(120))
    company_id: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(8), default="text")
    direction: Mapped[str] = mapped_column(String(10), default="incoming")
    status: Mapped[str] = mapped_column(String(10), default="live")
    started_at: Mapped[datetime] = mapped_column(AwareDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    last_activity_at: Mapped[datetime | None] = mapped_column(AwareDateTime(), nullable=True)
    ended_by: Mapped[str | None] = mapped_column(String(20), nullable=True)
    seed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    transcript_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    transcript_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    score_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    score_total: Mapped[float | None] = mapped_column(Float, nullable=True)

    student: Mapped[UserRow] = relationship(lazy="joined")
    turns: Mapped[list[SessionTurnRow]] = relationship(
        back_populates="session", order_by="SessionTurnRow.idx", cascade="all, delete-orphan"
    )


class SessionTurnRow(Base):
    """One turn of a call, written as it happens so that an observer can follow it live."""

    __tablename__ = "session_turns"
    __table_args__ = (
        UniqueConstraint("session_id", "idx"),
        CheckConstraint("speaker IN ('student', 'customer', 'system')", name="speaker"),
        CheckConstraint("idx >= 0", name="idx_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("call_sessions.id", ondelete="CASCADE"))
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    t: Mapped[float | None] = mapped_column(Float, nullable=True)
    extra_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())

    session: Mapped[CallSessionRow] = relationship(back_populates="turns")


__all__ = [
    "AwareDateTime",
    "Base",
    "CallSessionRow",
    "CompanyRow",
    "Date",
    "Decimal",
    "MoneyType",
    "NumberCounter",
    "RateType",
    "SessionTurnRow",
    "UserRow",
    "Boolean",
    "date",
]
