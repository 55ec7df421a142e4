"""Rows <-> domain objects. The domain models stay the single definition of the business rules; the
tables only store them. Converters are plain functions so that repositories stay short."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import datetime

from trainer.domain.catalogue import Catalogue, Product, Shade, ShadeChart
from trainer.domain.clients import Address, Client, Contact, payment_terms_for
from trainer.domain.common import business_date
from trainer.domain.complaints import ChecklistItem, Complaint, Revision
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.invoices import Invoice, Payment, ReminderLog
from trainer.domain.messages import Message
from trainer.domain.orders import DeliveryPromise, Order, OrderLine
from trainer.domain.promotions import Promotion, PromotionTier
from trainer.domain.reviews import Review
from trainer.store.tables import (
    ClientRow,
    ComplaintRow,
    ComplaintStatusRow,
    ComplaintStepRow,
    ContactLogRow,
    InvoicePaymentRow,
    InvoiceRow,
    MessageRow,
    OrderLineRow,
    OrderRow,
    ProductRow,
    PromotionProductRow,
    PromotionRow,
    PromotionTierRow,
    ReminderRow,
    ReviewRow,
    ShadeChartRow,
)


def fold(text: str) -> str:
    """Lower case without accents, apostrophes unified: the form client searches compare."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").split())


# -- clients ---------------------------------------------------------------------------------------


def client_search_text(client: Client) -> str:
    """Everything a receptionist may type to find a client: number, names, salon, town, phone digits."""
    parts = [client.number or "", client.name, client.company or "", client.region]
    contact = client.contact
    if contact.address is not None:
        parts += [contact.address.city, contact.address.postcode]
    for phone in (contact.phone, contact.mobile):
        if phone:
            parts.append(phone.replace(" ", ""))
    if contact.email:
        parts.append(contact.email)
    return fold(" | ".join(p for p in parts if p))


def client_values(client: Client) -> dict[str, object]:
    """The columns of a client row that come from the domain object."""
    contact = client.contact
    address = contact.address
    return {
        "name": client.name,
        "civility": client.civility,
        "company_name": client.company,
        "segment": client.segment.value,
        "region": client.region,
        "status": client.status.value,
        "phone": contact.phone,
        "mobile": contact.mobile,
        "email": contact.email,
        "street": address.street if address else None,
        "postcode": address.postcode if address else None,
        "city": address.city if address else None,
        "since": client.since,
        "notes": client.notes,
        "search_text": client_search_text(client),
    }


def client_from_row(row: ClientRow) -> Client:
    """The domain client of a row."""
    address = None
    if row.street and row.postcode and row.city:
        address = Address(street=row.street, postcode=row.postcode, city=row.city)
    return Client(
        number=row.number,
        name=row.name,
        civility=row.civility,  # type: ignore[arg-type]
        company=row.company_name,
        segment=row.segment,  # type: ignore[arg-type]
        region=row.region,
        status=row.status,  # type: ignore[arg-type]
        contact=Contact(phone=row.phone, mobile=row.mobile, email=row.email, address=address),
        since=row.since,
        notes=row.notes,
    )


# -- catalogue and promotions ------------------------------------------------------------------------


def product_values(product: Product, position: int) -> dict[str, object]:
    return {
        "position": position,
        "name": product.name,
        "size": product.size,
        "unit_price_ht": product.unit_price_ht,
        "family": product.family,
        "promo_eligible": product.promo_eligible,
        "shade_chart_id": product.shade_chart,
        "description": product.description,
        "price_invented": product.price_invented,
    }


def catalogue_from_rows(products: list[ProductRow], charts: list[ShadeChartRow]) -> Catalogue:
    """The domain catalogue stored in the database (discovery parcel left out: it is not sold)."""
    return Catalogue(
        products=[
            Product(
                reference=p.reference,
                name=p.name,
                size=p.size,
                unit_price_ht=p.unit_price_ht,
                family=p.family,  # type: ignore[arg-type]
                promo_eligible=p.promo_eligible,
                shade_chart=p.shade_chart_id,
                description=p.description,
                price_invented=p.price_invented,
            )
            for p in products
        ],
        shade_charts=[
            ShadeChart(
                id=c.id,
                label=c.label,
                shades=[
                    Shade(code=s.code, name=s.name, level=s.level, line=c.id, invented=s.invented) for s in c.shades
                ],
            )
            for c in charts
        ],
    )


def promotion_rows(promotion: Promotion, company_id: str, position: int) -> PromotionRow:
    row = PromotionRow(id=promotion.id, company_id=company_id, position=position)
    fill_promotion_row(row, promotion, position)
    return row


def fill_promotion_row(row: PromotionRow, promotion: Promotion, position: int) -> None:
    """Write a promotion's fields, tiers and references into ``row`` (replacing what was there)."""
    row.position = position
    row.label = promotion.label
    row.valid_from = promotion.valid_from
    row.valid_to = promotion.valid_to
    row.source = promotion.source
    row.tiers = [PromotionTierRow(min_quantity=t.min_quantity, rate=t.rate) for t in promotion.tiers]
    row.products = [PromotionProductRow(reference=ref) for ref in sorted(set(promotion.eligible_references))]


def promotion_from_row(row: PromotionRow) -> Promotion:
    return Promotion(
        id=row.id,
        label=row.label,
        eligible_references=[p.reference for p in row.products],
        tiers=[PromotionTier(min_quantity=t.min_quantity, rate=t.rate) for t in row.tiers],
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
    )


def promotion_differs(row: PromotionRow, promotion: Promotion) -> bool:
    """True when the stored promotion is not the one of the reference data."""
    return promotion_from_row(row).model_dump() != promotion.model_dump() | {
        "eligible_references": sorted(set(promotion.eligible_references))
    }


# -- orders ------------------------------------------------------------------------------------------


def order_row(order: Order, *, number: str, company_id: str, client_id: int | None,
              session_id: uuid.UUID | None = None) -> OrderRow:
    """A new order row (and its lines) for a priced domain order."""
    return OrderRow(
        number=number,
        company_id=company_id,
        client_id=client_id,
        client_name=order.client_name,
        client_company=order.client_company,
        segment=order.segment.value,
        payment_terms_code=order.payment_terms.code,
        payment_terms_label=order.payment_terms.label,
        status=order.status.value,
        channel=order.channel,
        created_at=order.created_at,
        order_date=business_date(order.created_at),
        delivery_carrier=order.delivery.carrier,
        delivery_hours=order.delivery.hours,
        delivery_expected_on=order.delivery.expected_on,
        total_ht=order.total_ht,
        total_discount=order.total_discount,
        total_tva=order.total_tva,
        total_ttc=order.total_ttc,
        notes=order.notes,
        seed_key=order.seed_key,
        session_id=session_id,
        lines=[
            OrderLineRow(
                position=i,
                reference=line.reference,
                product_label=line.product,
                shade=line.shade,
                shade_name=line.shade_name,
                quantity=line.quantity,
                unit_price_ht=line.unit_price_ht,
                discount_rate=line.discount_rate,
                promotion_id=line.promotion_id,
                discount_ht=line.discount_ht,
                total_ht=line.total_ht,
            )
            for i, line in enumerate(order.lines, start=1)
        ],
    )


def order_from_row(row: OrderRow, client_number: str | None) -> Order:
    """The domain order of a row (totals are recomputed by the domain and must match the row)."""
    return Order(
        number=row.number,
        client_number=client_number,
        client_name=row.client_name,
        client_company=row.client_company,
        segment=row.segment,  # type: ignore[arg-type]
        lines=[
            OrderLine(
                reference=line.reference,
                product=line.product_label,
                shade=line.shade,
                shade_name=line.shade_name,
                quantity=line.quantity,
                unit_price_ht=line.unit_price_ht,
                discount_rate=line.discount_rate,
                promotion_id=line.promotion_id,
            )
            for line in row.lines
        ],
        payment_terms=payment_terms_for(row.segment),
        delivery=DeliveryPromise(
            carrier=row.delivery_carrier,
            hours=row.delivery_hours,
            ordered_at=row.created_at,
            expected_on=row.delivery_expected_on,
        ),
        status=row.status,  # type: ignore[arg-type]
        created_at=row.created_at,
        channel=row.channel,
        notes=row.notes,
        seed_key=row.seed_key,
    )


# -- complaints --------------------------------------------------------------------------------------


def complaint_row(complaint: Complaint, *, number: str, company_id: str, client_id: int | None,
                  now: datetime, session_id: uuid.UUID | None = None) -> ComplaintRow:
    """A new complaint row with its checklist and the first entry of its status history."""
    row = ComplaintRow(number=number, company_id=company_id, client_id=client_id, session_id=session_id,
                       seed_key=complaint.seed_key)
    fill_complaint_row(row, complaint)
    row.steps = [
        ComplaintStepRow(position=i, text=item.text, due_on=item.due_on, service=item.service, done_on=item.done_on)
        for i, item in enumerate(complaint.checklist, start=1)
    ]
    row.history = [ComplaintStatusRow(at=now, from_status=None, to_status=complaint.status.value, note="Fiche créée")]
    for revision in complaint.revisions:
        row.history.append(
            ComplaintStatusRow(at=revision.at, from_status=None, to_status="action_revisee",
                               action=revision.action, deadline=revision.new_deadline)
        )
    return row


def fill_complaint_row(row: ComplaintRow, complaint: Complaint) -> None:
    """Copy the scalar fields of a domain complaint onto ``row``."""
    row.client_name = complaint.client_name
    row.client_company = complaint.client_company
    row.channel = complaint.channel
    row.category = complaint.category
    row.received_at = complaint.received_at
    row.facts = complaint.facts
    row.expectation = complaint.expectation
    row.solution = complaint.solution
    row.order_number = complaint.order_number
    row.admissible = complaint.admissible
    row.responsible_service = complaint.responsible_service
    row.informed_services = ",".join(complaint.informed_services)
    row.customer_deadline = complaint.customer_deadline
    row.status = complaint.status.value
    row.answered_on = complaint.answered_on
    row.closed_on = complaint.closed_on
    row.closure_reason = complaint.closure_reason
    row.product_related = complaint.product_related


def complaint_from_row(row: ComplaintRow, client_number: str | None) -> Complaint:
    return Complaint(
        number=row.number,
        client_number=client_number,
        client_name=row.client_name,
        client_company=row.client_company,
        channel=row.channel,  # type: ignore[arg-type]
        category=row.category,  # type: ignore[arg-type]
        received_at=row.received_at,
        facts=row.facts,
        expectation=row.expectation,
        solution=row.solution,
        order_number=row.order_number,
        admissible=row.admissible,
        responsible_service=row.responsible_service,  # type: ignore[arg-type]
        informed_services=[s for s in row.informed_services.split(",") if s],  # type: ignore[misc]
        customer_deadline=row.customer_deadline,
        status=row.status,  # type: ignore[arg-type]
        checklist=[
            ChecklistItem(text=s.text, due_on=s.due_on, service=s.service, done_on=s.done_on)  # type: ignore[arg-type]
            for s in row.steps
        ],
        answered_on=row.answered_on,
        closed_on=row.closed_on,
        closure_reason=row.closure_reason,  # type: ignore[arg-type]
        revisions=[
            Revision(at=h.at, action=h.action, new_deadline=h.deadline)
            for h in row.history
            if h.to_status == "action_revisee" and h.action and h.deadline
        ],
        product_related=row.product_related,
        seed_key=row.seed_key,
    )


# -- messages, contacts, reviews --------------------------------------------------------------------


def message_row(message: Message, *, number: str, company_id: str, client_id: int | None,
                session_id: uuid.UUID | None = None) -> MessageRow:
    return MessageRow(
        number=number,
        company_id=company_id,
        for_person=message.for_,
        caller_name=message.caller_name,
        caller_company=message.caller_company,
        callback_number=message.callback_number,
        subject=message.subject,
        callback_when=message.callback_when,
        taken_at=message.taken_at,
        taken_by=message.taken_by,
        urgent=message.urgent,
        client_id=client_id,
        status=message.status.value,
        session_id=session_id,
    )


def message_from_row(row: MessageRow, client_number: str | None) -> Message:
    return Message(
        id=row.number,
        **{"for": row.for_person},
        caller_name=row.caller_name,
        caller_company=row.caller_company,
        callback_number=row.callback_number,
        subject=row.subject,
        callback_when=row.callback_when,
        taken_at=row.taken_at,
        taken_by=row.taken_by,
        urgent=row.urgent,
        client_number=client_number,
        status=row.status,  # type: ignore[arg-type]
    )


def contact_row(entry: ContactLogEntry, *, client_id: int, session_id: uuid.UUID | None = None) -> ContactLogRow:
    return ContactLogRow(
        client_id=client_id,
        at=entry.at,
        channel=entry.channel,
        direction=entry.direction,
        purpose=entry.purpose,
        summary=entry.summary,
        by=entry.by,
        reference=entry.reference,
        next_action=entry.next_action,
        next_action_on=entry.next_action_on,
        reason_no_order=entry.reason_no_order,
        session_id=session_id,
    )


def contact_from_row(row: ContactLogRow, client_number: str) -> ContactLogEntry:
    return ContactLogEntry(
        client_number=client_number,
        at=row.at,
        channel=row.channel,  # type: ignore[arg-type]
        direction=row.direction,  # type: ignore[arg-type]
        purpose=row.purpose,  # type: ignore[arg-type]
        summary=row.summary,
        by=row.by,
        reference=row.reference,
        next_action=row.next_action,
        next_action_on=row.next_action_on,
        reason_no_order=row.reason_no_order,
    )


def review_row(review: Review, *, company_id: str, client_id: int | None) -> ReviewRow:
    return ReviewRow(
        key=review.id,
        company_id=company_id,
        site=review.site,
        region=review.region,
        region_as_written=review.region_as_written,
        posted_on=review.posted_on,
        text=review.text,
        sentiment=review.sentiment,
        product_related=review.product_related,
        client_id=client_id,
        reply=review.reply,
        reply_published_on=review.reply_published_on,
        source=review.source,
    )


# -- invoices and reminders ---------------------------------------------------------------------------


def invoice_row(invoice: Invoice, *, company_id: str, client_id: int, order_id: int | None) -> InvoiceRow:
    return InvoiceRow(
        number=invoice.number,
        company_id=company_id,
        client_id=client_id,
        issued_on=invoice.issued_on,
        due_on=invoice.due_on,
        amount_ht=invoice.amount_ht,
        amount_ttc=invoice.amount_ttc,
        method=invoice.method,
        order_id=order_id,
        order_key=invoice.order_key,
        lcr_returned=invoice.lcr_returned,
        notes=invoice.notes,
        payments=[InvoicePaymentRow(paid_on=p.on, amount=p.amount, method=p.method) for p in invoice.payments],
    )


def invoice_from_row(row: InvoiceRow, client_number: str) -> Invoice:
    return Invoice(
        number=row.number,
        client_number=client_number,
        issued_on=row.issued_on,
        amount_ht=row.amount_ht,
        amount_ttc=row.amount_ttc,
        method=row.method,  # type: ignore[arg-type]
        order_key=row.order_key,
        payments=[Payment(on=p.paid_on, amount=p.amount, method=p.method) for p in row.payments],  # type: ignore[arg-type]
        lcr_returned=row.lcr_returned,
        notes=row.notes,
    )


def reminder_row(log: ReminderLog, *, number: str, invoice_id: int, client_id: int,
                 seed_key: str | None = None, session_id: uuid.UUID | None = None) -> ReminderRow:
    return ReminderRow(
        number=number,
        invoice_id=invoice_id,
        client_id=client_id,
        stage=log.stage,
        at=log.at,
        outcome=log.outcome,
        promised_payment_date=log.promised_payment_date,
        promised_method=log.promised_method,
        contact_person=log.contact_person,
        notes=log.notes,
        amount_due=log.amount_due,
        seed_key=seed_key,
        session_id=session_id,
    )


def reminder_from_row(row: ReminderRow, invoice_number: str, client_number: str) -> ReminderLog:
    return ReminderLog(
        id=row.number,
        invoice_number=invoice_number,
        client_number=client_number,
        stage=row.stage,  # type: ignore[arg-type]
        at=row.at,
        outcome=row.outcome,  # type: ignore[arg-type]
        promised_payment_date=row.promised_payment_date,
        promised_method=row.promised_method,  # type: ignore[arg-type]
        contact_person=row.contact_person,
        notes=row.notes,
        amount_due=row.amount_due,
    )
