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


# --------------------------------------------------------------------------------------------------
# Company ERP ("PGI") tables
# --------------------------------------------------------------------------------------------------

_SESSION_FK = "call_sessions.id"


class ClientRow(Base):
    """A client file. ``search_text`` is the lower-case, accent-free text searched by fragments."""

    __tablename__ = "clients"
    __table_args__ = (Index("ix_clients_company_segment", "company_id", "segment"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    number: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    civility: Mapped[str | None] = mapped_column(String(4), nullable=True)
    company_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    segment: Mapped[str] = mapped_column(String(30))
    region: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12))
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    mobile: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    street: Mapped[str | None] = mapped_column(String(200), nullable=True)
    postcode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    city: Mapped[str | None] = mapped_column(String(100), nullable=True)
    since: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ShadeChartRow(Base):
    """A shade chart ("nuancier"); both colour-cream lines share one."""

    __tablename__ = "shade_charts"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    label: Mapped[str] = mapped_column(String(200))

    shades: Mapped[list[ShadeRow]] = relationship(order_by="ShadeRow.position", cascade="all, delete-orphan")


class ShadeRow(Base):
    __tablename__ = "shades"
    __table_args__ = (UniqueConstraint("chart_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chart_id: Mapped[str] = mapped_column(ForeignKey("shade_charts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[int] = mapped_column(Integer)
    invented: Mapped[bool] = mapped_column(Boolean)


class ProductRow(Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("unit_price_ht > 0", name="price_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    position: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[str] = mapped_column(String(40))
    unit_price_ht: Mapped[Decimal] = mapped_column(MoneyType())
    family: Mapped[str] = mapped_column(String(20))
    promo_eligible: Mapped[bool] = mapped_column(Boolean)
    shade_chart_id: Mapped[str | None] = mapped_column(ForeignKey("shade_charts.id"), nullable=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    price_invented: Mapped[bool] = mapped_column(Boolean)


class PromotionRow(Base):
    """A quantity promotion; its tiers and eligible references are rows, not code."""

    __tablename__ = "promotions"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)

    tiers: Mapped[list[PromotionTierRow]] = relationship(
        order_by="PromotionTierRow.min_quantity", cascade="all, delete-orphan"
    )
    products: Mapped[list[PromotionProductRow]] = relationship(
        order_by="PromotionProductRow.reference", cascade="all, delete-orphan"
    )


class PromotionTierRow(Base):
    __tablename__ = "promotion_tiers"
    __table_args__ = (
        CheckConstraint("min_quantity >= 1", name="min_quantity"),
        CheckConstraint("rate > 0 AND rate < 1", name="rate"),
    )

    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)
    min_quantity: Mapped[int] = mapped_column(Integer, primary_key=True)
    rate: Mapped[Decimal] = mapped_column(RateType())


class PromotionProductRow(Base):
    __tablename__ = "promotion_products"

    promotion_id: Mapped[str] = mapped_column(ForeignKey("promotions.id", ondelete="CASCADE"), primary_key=True)
    reference: Mapped[str] = mapped_column(ForeignKey("products.reference"), primary_key=True)


class OrderRow(Base):
    """An order; client name, segment and terms are kept as they were on the day of the order."""

    __tablename__ = "orders"
    __table_args__ = (
        Index("ix_orders_client_created", "client_id", "created_at"),
        CheckConstraint("total_ht >= 0", name="total_ht_positive"),
        CheckConstraint("ABS(total_ttc - total_ht - total_tva) < 0.005", name="ttc_is_ht_plus_tva"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), nullable=True)
    client_name: Mapped[str] = mapped_column(String(200))
    client_company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    segment: Mapped[str] = mapped_column(String(30))
    payment_terms_code: Mapped[str] = mapped_column(String(40))
    payment_terms_label: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    order_date: Mapped[date] = mapped_column(Date, index=True)
    delivery_carrier: Mapped[str] = mapped_column(String(40))
    delivery_hours: Mapped[int] = mapped_column(Integer)
    delivery_expected_on: Mapped[date] = mapped_column(Date)
    total_ht: Mapped[Decimal] = mapped_column(MoneyType())
    total_discount: Mapped[Decimal] = mapped_column(MoneyType())
    total_tva: Mapped[Decimal] = mapped_column(MoneyType())
    total_ttc: Mapped[Decimal] = mapped_column(MoneyType())
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    seed_key: Mapped[str | None] = mapped_column(String(60), unique=True, nullable=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_SESSION_FK, ondelete="SET NULL"), nullable=True)

    client: Mapped[ClientRow | None] = relationship()
    lines: Mapped[list[OrderLineRow]] = relationship(order_by="OrderLineRow.position", cascade="all, delete-orphan")


class OrderLineRow(Base):
    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "position"),
        CheckConstraint("quantity >= 1 AND quantity <= 9999", name="quantity_range"),
        CheckConstraint("discount_rate >= 0 AND discount_rate < 1", name="discount_rate_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(ForeignKey("products.reference"))
    product_label: Mapped[str] = mapped_column(String(200))
    shade: Mapped[str | None] = mapped_column(String(8), nullable=True)
    shade_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_ht: Mapped[Decimal] = mapped_column(MoneyType())
    discount_rate: Mapped[Decimal] = mapped_column(RateType())
    promotion_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    discount_ht: Mapped[Decimal] = mapped_column(MoneyType())
    total_ht: Mapped[Decimal] = mapped_column(MoneyType())


class ComplaintRow(Base):
    """A "fiche réclamation"."""

    __tablename__ = "complaints"
    __table_args__ = (Index("ix_complaints_status_deadline", "status", "customer_deadline"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), nullable=True)
    client_name: Mapped[str] = mapped_column(String(200))
    client_company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    channel: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(AwareDateTime())
    facts: Mapped[str] = mapped_column(Text)
    expectation: Mapped[str | None] = mapped_column(Text, nullable=True)
    solution: Mapped[str | None] = mapped_column(Text, nullable=True)
    order_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    admissible: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    responsible_service: Mapped[str] = mapped_column(String(20))
    informed_services: Mapped[str] = mapped_column(String(200), default="")
    customer_deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(30))
    answered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    closure_reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
    product_related: Mapped[bool] = mapped_column(Boolean, default=False)
    seed_key: Mapped[str | None] = mapped_column(String(60), unique=True, nullable=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_SESSION_FK, ondelete="SET NULL"), nullable=True)

    steps: Mapped[list[ComplaintStepRow]] = relationship(
        order_by="ComplaintStepRow.position", cascade="all, delete-orphan"
    )
    history: Mapped[list[ComplaintStatusRow]] = relationship(
        order_by="ComplaintStatusRow.id", cascade="all, delete-orphan"
    )


class ComplaintStepRow(Base):
    """One step of the procedure's checklist on a complaint."""

    __tablename__ = "complaint_steps"
    __table_args__ = (UniqueConstraint("complaint_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    service: Mapped[str | None] = mapped_column(String(20), nullable=True)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class ComplaintStatusRow(Base):
    """Status history of a complaint; a revision of the corrective action keeps its action and deadline."""

    __tablename__ = "complaint_status_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    from_status: Mapped[str | None] = mapped_column(String(30), nullable=True)
    to_status: Mapped[str] = mapped_column(String(30))
    action: Mapped[str | None] = mapped_column(Text, nullable=True)
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class MessageRow(Base):
    """A message slip / callback request taken while filtering a call."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    for_person: Mapped[str] = mapped_column(String(200))
    caller_name: Mapped[str] = mapped_column(String(200))
    caller_company: Mapped[str | None] = mapped_column(String(200), nullable=True)
    callback_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    callback_when: Mapped[str | None] = mapped_column(String(200), nullable=True)
    taken_at: Mapped[datetime] = mapped_column(AwareDateTime())
    taken_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_SESSION_FK, ondelete="SET NULL"), nullable=True)


class ReviewRow(Base):
    """An online review (e-reputation); a dissatisfied one is linked to its complaint."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    site: Mapped[str] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(60), nullable=True)
    region_as_written: Mapped[str | None] = mapped_column(String(100), nullable=True)
    posted_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    sentiment: Mapped[str] = mapped_column(String(20))
    product_related: Mapped[bool] = mapped_column(Boolean, default=False)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), nullable=True)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply_published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), nullable=True)


class ContactLogRow(Base):
    """One line of a client file's history (every call, e-mail, letter)."""

    __tablename__ = "contact_log"
    __table_args__ = (Index("ix_contact_log_client_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    channel: Mapped[str] = mapped_column(String(30))
    direction: Mapped[str] = mapped_column(String(10))
    purpose: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text)
    by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reference: Mapped[str | None] = mapped_column(String(40), nullable=True)
    next_action: Mapped[str | None] = mapped_column(Text, nullable=True)
    next_action_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason_no_order: Mapped[str | None] = mapped_column(Text, nullable=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_SESSION_FK, ondelete="SET NULL"), nullable=True)


class InvoiceRow(Base):
    """An invoice to a wholesaler (« 30 jours fin de mois »)."""

    __tablename__ = "invoices"
    __table_args__ = (CheckConstraint("amount_ht > 0 AND amount_ttc >= amount_ht", name="amounts"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("companies.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    amount_ht: Mapped[Decimal] = mapped_column(MoneyType())
    amount_ttc: Mapped[Decimal] = mapped_column(MoneyType())
    method: Mapped[str] = mapped_column(String(20))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), nullable=True)
    order_key: Mapped[str | None] = mapped_column(String(60), nullable=True)
    lcr_returned: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    client: Mapped[ClientRow] = relationship()
    payments: Mapped[list[InvoicePaymentRow]] = relationship(
        order_by="InvoicePaymentRow.id", cascade="all, delete-orphan"
    )


class InvoicePaymentRow(Base):
    __tablename__ = "invoice_payments"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MoneyType())
    method: Mapped[str] = mapped_column(String(20))


class ReminderRow(Base):
    """The log of one dunning contact (Doc 9), written on the client file."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    outcome: Mapped[str] = mapped_column(String(30))
    promised_payment_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    promised_method: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_person: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    amount_due: Mapped[Decimal | None] = mapped_column(MoneyType(), nullable=True)
    seed_key: Mapped[str | None] = mapped_column(String(60), unique=True, nullable=True)
    session_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_SESSION_FK, ondelete="SET NULL"), nullable=True)

    invoice: Mapped[InvoiceRow] = relationship()


# The review tables (observer grids, teacher reviews, turn comments; issue 5) live in their own module
# but share this metadata, so that migrations, ``count_rows`` and the schema checks always see them.
from trainer.store import reviews as _reviews  # noqa: E402, F401
