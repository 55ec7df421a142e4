"""What a call produced, committed in ONE transaction: ``record_call_outcome``.

The call session builds domain objects from the student's ERP draft
(``trainer.domain.erp_draft.build_from_draft``) and hands the result here at hang-up. Everything is
written in the caller's unit of work: a new client first (it gets its ``CLI-…`` number, and the
objects that belong to it receive that number), then the order, complaint, message, reminder log
and the client file's history. Any error raises and the unit of work rolls back: nothing written,
no number used. A satisfaction call changes a complaint already on file (closure, or a revised
corrective action): its record is published like a new one, with its new status.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from trainer.domain.clients import Client, ClientStatus
from trainer.domain.common import business_date
from trainer.domain.company import CompanyData
from trainer.domain.complaints import Complaint
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.erp_draft import DraftResult, to_records
from trainer.domain.errors import DomainError
from trainer.domain.invoices import ReminderLog
from trainer.domain.messages import Message
from trainer.domain.orders import Order
from trainer.domain.records import Record, ReminderRecord
from trainer.store import repositories as repo


@dataclass
class RecordedOutcome:
    """The committed objects, with the numbers the store gave them, and their public records."""

    client: Client | None = None
    client_created: bool = False
    order: Order | None = None
    complaint: Complaint | None = None
    complaint_update: Complaint | None = None
    message: Message | None = None
    reminder: ReminderLog | None = None
    contact_entries: list[ContactLogEntry] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)

    def records_json(self) -> list[dict]:
        """The records as CONTRACT §4 JSON objects (``trainer play --json``, ``outcome.records``)."""
        return [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in self.records]


def record_call_outcome(
    session: Session,
    *,
    result: DraftResult,
    company_id: str,
    now: datetime,
    session_id: uuid.UUID | None = None,
    company: CompanyData | None = None,
) -> RecordedOutcome:
    """Write everything a call produced in the current transaction and return it numbered.

    ``result`` must be free of blocking problems (``result.ok``); otherwise ``DomainError`` lists
    them and nothing is written. ``company`` (the reference data) is only used to name clients in
    reminder records; the database is the authority for everything else.
    """
    if not result.ok:
        raise DomainError("Fiche incomplète, rien n'est enregistré : " + " ".join(result.errors))
    out = RecordedOutcome()
    client = result.client
    if client is not None:
        if result.client_is_new or client.number is None:
            client = repo.create_client(session, client=client, company_id=company_id, now=now)
            out.client_created = True
        else:
            row = repo.require_client_row(session, number=client.number)
            if result.client_became_client and row.status != ClientStatus.CLIENT.value:
                row.status = ClientStatus.CLIENT.value
        out.client = client
    number = client.number if client is not None else None

    def own(obj):  # noqa: ANN001, ANN202 - any domain object with a client_number
        if number is not None and getattr(obj, "client_number", "missing") is None:
            return obj.model_copy(update={"client_number": number})
        return obj

    references: dict[str, str] = {}
    if result.order is not None:
        out.order = repo.save_order(session, order=own(result.order), company_id=company_id, session_id=session_id)
        references["commande"] = out.order.number or ""
    if result.complaint is not None:
        out.complaint = repo.create_complaint(
            session, complaint=own(result.complaint), company_id=company_id, now=now, session_id=session_id
        )
        references["reclamation"] = out.complaint.number or ""
    if result.complaint_update is not None:
        update = result.complaint_update
        note = "Rappel de satisfaction : client satisfait" if update.status.value == "cloturee" else (
            "Rappel de satisfaction : client non satisfait"
        )
        out.complaint_update = repo.update_complaint(session, complaint=update, now=now, note=note)
        references["satisfaction"] = update.number or ""
    if result.message is not None:
        out.message = repo.create_message(
            session, message=own(result.message), company_id=company_id, session_id=session_id
        )
        references["message"] = out.message.id or ""
    if result.reminder is not None:
        log = result.reminder
        if log.amount_due is None:
            # The balance of the invoice on the day of the contact, from the database.
            invoice = next(
                (i for i in repo.list_invoices(session, client_number=log.client_number) if i.number == log.invoice_number),
                None,
            )
            if invoice is not None:
                log = log.model_copy(update={"amount_due": invoice.balance(business_date(log.at))})
        out.reminder = repo.log_reminder(session, log=log, session_id=session_id)
    for entry in result.contact_entries:
        entry = own(entry)
        if entry.reference is None and entry.purpose in references:
            entry = entry.model_copy(update={"reference": references[entry.purpose]})
        out.contact_entries.append(repo.log_contact(session, entry=entry, session_id=session_id))

    committed = [
        obj
        for obj in (out.order, out.complaint, out.complaint_update, out.message, out.reminder)
        if obj is not None
    ]
    records = to_records(committed, company)
    out.records = [_named_reminder(session, r) if isinstance(r, ReminderRecord) else r for r in records]
    return out


def _named_reminder(session: Session, record: ReminderRecord) -> ReminderRecord:
    # Without the reference data the domain names the client by number: use the client file instead.
    if record.client.number and record.client.name == record.client.number:
        client = repo.find_client(session, number=record.client.number)
        if client is not None:
            return record.model_copy(
                update={"client": record.client.model_copy(update={"name": client.name, "company": client.company})}
            )
    return record
