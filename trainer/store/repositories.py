"""Repositories of the ERP: keyword-only functions taking a SQLAlchemy session.

They read and write domain objects (``trainer.domain``); business rules (pricing, deadlines,
dunning stages, aged balance) are the domain's pure functions, applied here to what the database
holds. Numbers are taken inside the caller's transaction (``trainer.store.numbering``), so a failed
unit of work writes nothing and uses no number.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from trainer.domain.catalogue import Catalogue
from trainer.domain.clients import Client, ClientStatus, Segment
from trainer.domain.common import business_date
from trainer.domain.complaints import Complaint
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.errors import DomainError
from trainer.domain.invoices import (
    AgedBalance,
    Invoice,
    ReminderDue,
    ReminderLog,
    aged_balance,
    reminders_due,
)
from trainer.domain.messages import Message
from trainer.domain.orders import LineRequest, Order, price_lines, price_order
from trainer.domain.promotions import Promotion
from trainer.store import mapping
from trainer.store.numbering import next_number
from trainer.store.tables import (
    Base,
    ClientRow,
    CompanyRow,
    ComplaintRow,
    ComplaintStatusRow,
    ContactLogRow,
    InvoiceRow,
    MessageRow,
    OrderRow,
    ProductRow,
    PromotionRow,
    ReminderRow,
    ShadeChartRow,
)

DEFAULT_COMPANY = "generik"


# -- clients -----------------------------------------------------------------------------------------


def client_row(session: Session, *, number: str) -> ClientRow | None:
    """The row of client ``number`` (case and spaces ignored), or None."""
    wanted = number.strip().upper()
    return session.execute(select(ClientRow).where(ClientRow.number == wanted)).scalar_one_or_none()


def require_client_row(session: Session, *, number: str) -> ClientRow:
    """The row of client ``number``, or ``DomainError`` « Aucun client … »."""
    row = client_row(session, number=number)
    if row is None:
        raise DomainError(f"Aucun client ne porte le numéro « {number.strip()} ».", field="client_number")
    return row


def find_client(session: Session, *, number: str) -> Client | None:
    """Client ``number`` as a domain object, or None."""
    row = client_row(session, number=number)
    return mapping.client_from_row(row) if row else None


def find_clients(
    session: Session,
    *,
    company_id: str | None = None,
    text: str | None = None,
    segment: Segment | str | None = None,
    status: ClientStatus | str | None = None,
    region: str | None = None,
    limit: int | None = None,
) -> list[Client]:
    """Clients matching every filter, by number.

    ``text`` is a fragment of the number, name, salon, town, postcode, phone or e-mail; accents,
    case and spacing are ignored; every word must match (« delmotte domicile »).
    """
    stmt = select(ClientRow).order_by(ClientRow.number)
    if company_id:
        stmt = stmt.where(ClientRow.company_id == company_id)
    if segment:
        stmt = stmt.where(ClientRow.segment == Segment(segment).value)
    if status:
        stmt = stmt.where(ClientRow.status == ClientStatus(status).value)
    if region:
        stmt = stmt.where(func.lower(ClientRow.region) == region.strip().lower())
    if text:
        for word in mapping.fold(text).split():
            # A phone typed with spaces or dots is compared on its digits.
            digits = "".join(c for c in word if c.isdigit())
            conditions = [ClientRow.search_text.contains(word, autoescape=True)]
            if digits and len(digits) >= 4 and digits != word:
                conditions.append(ClientRow.search_text.contains(digits, autoescape=True))
            stmt = stmt.where(or_(*conditions))
    if limit:
        stmt = stmt.limit(limit)
    return [mapping.client_from_row(row) for row in session.execute(stmt).scalars()]


def create_client(session: Session, *, client: Client, company_id: str, now: datetime) -> Client:
    """Create a client file and give it the next number (``CLI-00043``); returns the numbered client.

    A client already carrying a number keeps it (reference data) unless it is taken.
    """
    if client.number is not None:
        if client_row(session, number=client.number) is not None:
            raise DomainError(f"Le numéro client {client.number} est déjà attribué.", field="client_number")
        number = client.number
    else:
        number = next_number(session, prefix="CLI")
    numbered = client.model_copy(update={"number": number})
    row = ClientRow(number=number, company_id=company_id, created_at=now, **mapping.client_values(numbered))
    session.add(row)
    session.flush()
    return numbered


# -- catalogue -----------------------------------------------------------------------------------------


_PRICING_CACHE: dict[tuple[str, str], tuple[int, Catalogue, list[Promotion]]] = {}
_PRICING_LOCK = threading.Lock()


def pricing_data(session: Session, *, company_id: str = DEFAULT_COMPANY) -> tuple[Catalogue, list[Promotion]]:
    """The company's catalogue and promotions as stored, cached per database and reference version.

    Building the catalogue (7 products, 144 shades) for every order would cost more than writing
    it; seeding bumps ``companies.reference_version`` whenever prices, shades or promotions change,
    and one small query here tells whether the cached copy is still the stored one.
    """
    version = session.execute(
        select(CompanyRow.reference_version).where(CompanyRow.id == company_id)
    ).scalar_one_or_none()
    if version is None:
        raise DomainError(f"L'entreprise « {company_id} » n'est pas chargée : lancez « trainer db seed ».")
    key = (session.get_bind().url.render_as_string(hide_password=True), company_id)
    with _PRICING_LOCK:
        cached = _PRICING_CACHE.get(key)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    catalogue = load_catalogue(session, company_id=company_id)
    promotions = load_promotions(session, company_id=company_id)
    with _PRICING_LOCK:
        _PRICING_CACHE[key] = (version, catalogue, promotions)
    return catalogue, promotions


def load_catalogue(session: Session, *, company_id: str = DEFAULT_COMPANY) -> Catalogue:
    """The company's catalogue as stored (prices and shades of the database)."""
    products = list(
        session.execute(
            select(ProductRow).where(ProductRow.company_id == company_id).order_by(ProductRow.position)
        ).scalars()
    )
    if not products:
        raise DomainError(
            f"Le catalogue de « {company_id} » est vide : lancez « trainer db seed ».", field="catalogue"
        )
    charts = list(
        session.execute(
            select(ShadeChartRow)
            .where(ShadeChartRow.company_id == company_id)
            .options(selectinload(ShadeChartRow.shades))
            .order_by(ShadeChartRow.id)
        ).scalars()
    )
    return mapping.catalogue_from_rows(products, charts)


def load_promotions(session: Session, *, company_id: str = DEFAULT_COMPANY) -> list[Promotion]:
    """The company's promotions as stored (tiers and eligible references are rows)."""
    rows = session.execute(
        select(PromotionRow)
        .where(PromotionRow.company_id == company_id)
        .options(selectinload(PromotionRow.tiers), selectinload(PromotionRow.products))
        .order_by(PromotionRow.position)
    ).scalars()
    return [mapping.promotion_from_row(row) for row in rows]


# -- orders ----------------------------------------------------------------------------------------------


def create_order(
    session: Session,
    *,
    client_number: str,
    lines: Iterable[LineRequest | dict],
    now: datetime,
    channel: str = "telephone",
    notes: str | None = None,
    session_id: uuid.UUID | None = None,
) -> Order:
    """Price an order for a known client with the stored catalogue and promotions, and record it.

    Raises ``DomainError`` (one French sentence) for an unknown client, product or shade, or a bad
    quantity; nothing is written then.
    """
    row = require_client_row(session, number=client_number)
    catalogue, promotions = pricing_data(session, company_id=row.company_id)
    requests = list(lines)
    check_lines(requests, catalogue, on=business_date(now))
    order = price_order(
        requests,
        catalogue,
        promotions,
        client_name=row.name,
        segment=row.segment,
        now=now,
        client_number=row.number,
        client_company=row.company_name,
        channel=channel,
    )
    if notes:
        order = order.model_copy(update={"notes": notes})
    # Priced with the stored catalogue: its references need no second check.
    return save_order(
        session, order=order, company_id=row.company_id, session_id=session_id, client=row, checked=True
    )


_LINE_PREFIX = re.compile(r"^Ligne \d+ : ")


def check_lines(requests: Sequence[LineRequest | dict], catalogue: Catalogue, *, on: date) -> None:
    """Check each line on its own so that an error names the line it comes from (« Ligne 2 : … »)."""
    for index, request in enumerate(requests, start=1):
        try:
            price_lines([request], catalogue, (), on=on)
        except DomainError as exc:
            message = _LINE_PREFIX.sub("", str(exc))
            raise DomainError(f"Ligne {index} : {message}", field=exc.field) from None


def save_order(
    session: Session,
    *,
    order: Order,
    company_id: str,
    session_id: uuid.UUID | None = None,
    client: ClientRow | None = None,
    checked: bool = False,
) -> Order:
    """Record an already priced domain order and give it its number (``CMD-2026-000123``).

    The number is taken last, so the counter row stays locked for as short a time as possible.
    """
    if client is None and order.client_number:
        client = require_client_row(session, number=order.client_number)
    if not checked:
        _check_references(session, company_id, [line.reference for line in order.lines])
    number = next_number(session, prefix="CMD", on=business_date(order.created_at))
    row = mapping.order_row(
        order, number=number, company_id=company_id, client_id=client.id if client else None, session_id=session_id
    )
    session.add(row)
    session.flush()
    return order.model_copy(update={"number": number, "client_number": client.number if client else None})


def _check_references(session: Session, company_id: str, references: Sequence[str]) -> None:
    wanted = set(references)
    found = set(
        session.execute(
            select(ProductRow.reference).where(ProductRow.company_id == company_id, ProductRow.reference.in_(wanted))
        ).scalars()
    )
    missing = sorted(wanted - found)
    if missing:
        raise DomainError(f"Référence inconnue du catalogue enregistré : {', '.join(missing)}.", field="reference")


def list_orders(
    session: Session,
    *,
    company_id: str | None = None,
    client_number: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[Order]:
    """Orders, most recent first."""
    stmt = (
        select(OrderRow, ClientRow.number)
        .outerjoin(ClientRow, OrderRow.client_id == ClientRow.id)
        .options(selectinload(OrderRow.lines))
        .order_by(OrderRow.created_at.desc(), OrderRow.number.desc())
    )
    if company_id:
        stmt = stmt.where(OrderRow.company_id == company_id)
    if client_number:
        stmt = stmt.where(ClientRow.number == client_number.strip().upper())
    if since:
        stmt = stmt.where(OrderRow.order_date >= since)
    if limit:
        stmt = stmt.limit(limit)
    return [mapping.order_from_row(row, number) for row, number in session.execute(stmt)]


def find_order(session: Session, *, number: str) -> Order | None:
    """Order ``number``, or None."""
    stmt = (
        select(OrderRow, ClientRow.number)
        .outerjoin(ClientRow, OrderRow.client_id == ClientRow.id)
        .options(selectinload(OrderRow.lines))
        .where(OrderRow.number == number.strip().upper())
    )
    found = session.execute(stmt).first()
    return mapping.order_from_row(found[0], found[1]) if found else None


# -- complaints ------------------------------------------------------------------------------------------


def create_complaint(
    session: Session,
    *,
    complaint: Complaint,
    company_id: str,
    now: datetime,
    session_id: uuid.UUID | None = None,
) -> Complaint:
    """Record a complaint file (checklist and first status included); returns it with its number."""
    client = require_client_row(session, number=complaint.client_number) if complaint.client_number else None
    number = next_number(session, prefix="REC", on=business_date(complaint.received_at))
    row = mapping.complaint_row(
        complaint, number=number, company_id=company_id, client_id=client.id if client else None,
        now=now, session_id=session_id,
    )
    session.add(row)
    session.flush()
    return complaint.model_copy(update={"number": number})


def update_complaint(
    session: Session,
    *,
    complaint: Complaint,
    now: datetime,
    note: str | None = None,
) -> Complaint:
    """Write a complaint on file after a change of its life cycle (closure, revised action...).

    The row is found by ``complaint.number`` and locked; its fields follow the domain object and
    the status history gets one line (with the revised action and its deadline, if any).
    """
    from trainer.domain.errors import DomainError

    row = session.execute(
        select(ComplaintRow).where(ComplaintRow.number == (complaint.number or "")).with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise DomainError(f"Aucune réclamation ne porte le numéro « {complaint.number} ».", field="number")
    before = row.status
    mapping.fill_complaint_row(row, complaint)
    revision = complaint.revisions[-1] if complaint.status.value == "action_revisee" and complaint.revisions else None
    if before != complaint.status.value:
        session.add(
            ComplaintStatusRow(
                complaint_id=row.id,
                at=now,
                from_status=before,
                to_status=complaint.status.value,
                action=revision.action if revision else None,
                deadline=revision.new_deadline if revision else None,
                note=note,
            )
        )
    session.flush()
    return complaint


def find_complaints(session: Session, *, client_number: str) -> list[Complaint]:
    """The complaints of one client, oldest first."""
    stmt = (
        select(ComplaintRow, ClientRow.number)
        .join(ClientRow, ComplaintRow.client_id == ClientRow.id)
        .where(ClientRow.number == client_number.strip().upper())
        .options(selectinload(ComplaintRow.steps), selectinload(ComplaintRow.history))
        .order_by(ComplaintRow.received_at, ComplaintRow.id)
    )
    return [mapping.complaint_from_row(row, number) for row, number in session.execute(stmt)]


@dataclass(frozen=True)
class ComplaintListing:
    """A complaint as listed for follow-up: late or not, days late, client number."""

    complaint: Complaint
    overdue: bool
    days_late: int


def list_complaints(
    session: Session,
    *,
    today: date,
    include_closed: bool = False,
    company_id: str | None = None,
) -> list[ComplaintListing]:
    """Complaints with their customer deadlines: overdue ones first (most late first), then by deadline."""
    stmt = (
        select(ComplaintRow, ClientRow.number)
        .outerjoin(ClientRow, ComplaintRow.client_id == ClientRow.id)
        .options(selectinload(ComplaintRow.steps), selectinload(ComplaintRow.history))
    )
    if not include_closed:
        stmt = stmt.where(ComplaintRow.status != "cloturee")
    if company_id:
        stmt = stmt.where(ComplaintRow.company_id == company_id)
    listings = []
    for row, client_number in session.execute(stmt):
        complaint = mapping.complaint_from_row(row, client_number)
        overdue = complaint.is_overdue(today)
        late = (today - complaint.customer_deadline).days if overdue else 0
        listings.append(ComplaintListing(complaint=complaint, overdue=overdue, days_late=late))
    listings.sort(key=lambda c: (not c.overdue, -c.days_late, c.complaint.customer_deadline, c.complaint.number or ""))
    return listings


# -- messages, contact log ----------------------------------------------------------------------------


def create_message(
    session: Session, *, message: Message, company_id: str, session_id: uuid.UUID | None = None
) -> Message:
    """Record a message slip; returns it with its number (``MSG-2026-000012``)."""
    client = require_client_row(session, number=message.client_number) if message.client_number else None
    number = next_number(session, prefix="MSG", on=business_date(message.taken_at))
    session.add(
        mapping.message_row(
            message, number=number, company_id=company_id, client_id=client.id if client else None,
            session_id=session_id,
        )
    )
    session.flush()
    return message.model_copy(update={"id": number})


def list_messages(session: Session, *, company_id: str | None = None, limit: int | None = None) -> list[Message]:
    """Message slips, most recent first."""
    stmt = (
        select(MessageRow, ClientRow.number)
        .outerjoin(ClientRow, MessageRow.client_id == ClientRow.id)
        .order_by(MessageRow.taken_at.desc())
    )
    if company_id:
        stmt = stmt.where(MessageRow.company_id == company_id)
    if limit:
        stmt = stmt.limit(limit)
    return [mapping.message_from_row(row, number) for row, number in session.execute(stmt)]


def log_contact(session: Session, *, entry: ContactLogEntry, session_id: uuid.UUID | None = None) -> ContactLogEntry:
    """Add a line to the client file's history."""
    client = require_client_row(session, number=entry.client_number)
    session.add(mapping.contact_row(entry, client_id=client.id, session_id=session_id))
    session.flush()
    return entry


def contact_history(session: Session, *, client_number: str) -> list[ContactLogEntry]:
    """The history of a client file, most recent first."""
    client = require_client_row(session, number=client_number)
    rows = session.execute(
        select(ContactLogRow).where(ContactLogRow.client_id == client.id).order_by(ContactLogRow.at.desc())
    ).scalars()
    return [mapping.contact_from_row(row, client.number) for row in rows]


# -- invoices and reminders ------------------------------------------------------------------------------


def list_invoices(
    session: Session, *, company_id: str | None = None, client_number: str | None = None
) -> list[Invoice]:
    """Invoices (with their payments), oldest first."""
    stmt = (
        select(InvoiceRow, ClientRow.number)
        .join(ClientRow, InvoiceRow.client_id == ClientRow.id)
        .options(selectinload(InvoiceRow.payments))
        .order_by(InvoiceRow.issued_on, InvoiceRow.number)
    )
    if company_id:
        stmt = stmt.where(InvoiceRow.company_id == company_id)
    if client_number:
        stmt = stmt.where(ClientRow.number == client_number.strip().upper())
    return [mapping.invoice_from_row(row, number) for row, number in session.execute(stmt)]


def list_reminder_logs(session: Session, *, invoice_number: str | None = None) -> list[ReminderLog]:
    """The dunning contacts logged, oldest first."""
    stmt = (
        select(ReminderRow, InvoiceRow.number, ClientRow.number)
        .join(InvoiceRow, ReminderRow.invoice_id == InvoiceRow.id)
        .join(ClientRow, ReminderRow.client_id == ClientRow.id)
        .order_by(ReminderRow.at, ReminderRow.number)
    )
    if invoice_number:
        stmt = stmt.where(InvoiceRow.number == invoice_number.strip().upper())
    return [mapping.reminder_from_row(row, inv, cli) for row, inv, cli in session.execute(stmt)]


def log_reminder(
    session: Session,
    *,
    log: ReminderLog,
    session_id: uuid.UUID | None = None,
    seed_key: str | None = None,
) -> ReminderLog:
    """Record one dunning contact on the client file; returns it with its number (``REL-2026-…``)."""
    found = session.execute(
        select(InvoiceRow, ClientRow.number)
        .join(ClientRow, InvoiceRow.client_id == ClientRow.id)
        .where(InvoiceRow.number == log.invoice_number)
    ).first()
    if found is None:
        raise DomainError(f"Aucune facture ne porte le numéro « {log.invoice_number} ».", field="invoice")
    invoice, client_number = found
    if client_number != log.client_number:
        raise DomainError(
            f"La facture {log.invoice_number} est celle du client {client_number}, pas de {log.client_number}.",
            field="client_number",
        )
    number = next_number(session, prefix="REL", on=business_date(log.at))
    session.add(
        mapping.reminder_row(
            log, number=number, invoice_id=invoice.id, client_id=invoice.client_id, seed_key=seed_key,
            session_id=session_id,
        )
    )
    session.flush()
    return log.model_copy(update={"id": number})


def reminders_due_on(session: Session, *, today: date, company_id: str | None = None) -> list[ReminderDue]:
    """The dunning actions to carry out on ``today`` (Doc 9 stages), most overdue first."""
    invoices = list_invoices(session, company_id=company_id)
    return reminders_due(invoices, today, list_reminder_logs(session))


def aged_balance_on(session: Session, *, today: date, company_id: str | None = None) -> AgedBalance:
    """The "balance âgée des tiers" on ``today``."""
    return aged_balance(list_invoices(session, company_id=company_id), today)


# -- housekeeping -----------------------------------------------------------------------------------------


def count_rows(session: Session) -> dict[str, int]:
    """Rows per table: what tests compare to prove that a refused input wrote nothing."""
    return {
        name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in sorted(Base.metadata.tables.items())
    }
