"""What the student enters in the ERP during a call, and how it becomes domain objects and records.

During a call the student fills an ``ErpDraft`` piece by piece (find or create the client, add order
lines, fill the complaint form, take a message, log a reminder). Everything typed is kept as typed:
nothing is refused while the call goes on. At hang-up, ``build_from_draft`` checks the draft against
the company's data and rules and returns the domain objects to commit (``Order``, ``Complaint``,
``Message``, ``ReminderLog``, ``ContactLogEntry``...) plus, for anything wrong or missing, one French
sentence naming the field. ``to_records`` turns the committed objects into the public records of
CONTRACT §4.

Pure: stdlib + pydantic + the rest of ``trainer.domain``; the company data is passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.domain.clients import Address, Client, ClientStatus, Contact, Segment
from trainer.domain.common import (
    CLIENT_NUMBER_RE,
    ORDER_NUMBER_RE,
    business_date,
    normalize_email,
    normalize_phone,
)
from trainer.domain.company import CompanyData
from trainer.domain.complaints import CATEGORIES, CATEGORY_LABELS, Complaint, ComplaintStatus, open_complaint
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.errors import DomainError
from trainer.domain.invoices import Invoice, ReminderLog, dunning_state
from trainer.domain.messages import Message
from trainer.domain.orders import Order, price_lines, price_order
from trainer.domain.records import (
    CallerRef,
    ClientRef,
    ComplaintRecord,
    MessageRecord,
    OrderLineRecord,
    OrderRecord,
    Record,
    ReminderRecord,
)

# --- the draft: loose, as typed ------------------------------------------------------------------


class _Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True)


class ClientDraft(_Draft):
    """Either ``number`` of an existing client, or the fields of a new one."""

    number: str | None = None
    name: str | None = None
    civility: str | None = None
    company: str | None = Field(default=None, description="Salon or firm name.")
    segment: str | None = None
    region: str | None = None
    phone: str | None = None
    email: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None


class LineDraft(_Draft):
    reference: str | None = None
    shade: str | None = None
    quantity: Any = None


class ComplaintDraft(_Draft):
    category: str | None = None
    facts: str | None = None
    solution: str | None = None
    expectation: str | None = None
    channel: str = "telephone"
    order_number: str | None = None
    admissible: bool | None = None
    product_related: bool = False


class MessageDraft(_Draft):
    for_: str | None = Field(default=None, alias="for")
    caller_name: str | None = None
    caller_company: str | None = None
    callback_number: str | None = None
    subject: str | None = None
    callback_when: str | None = None
    urgent: bool = False


class ReminderDraft(_Draft):
    invoice_number: str | None = None
    stage: str | None = None
    outcome: str | None = None
    promised_date: date | str | None = None
    promised_method: str | None = None
    contact_person: str | None = None
    notes: str | None = None


class FollowUpDraft(_Draft):
    """A satisfaction call on a complaint already on file (Doc 8: « Le réclamant est-il satisfait ? »).

    ``complaint_number`` defaults to the client's complaint awaiting their satisfaction (else their
    latest closed one, which a dissatisfied customer reopens).
    """

    complaint_number: str | None = None
    satisfied: bool | None = None
    revised_action: str | None = None


class NoteDraft(_Draft):
    """A free note for the client file (information call, prospect follow-up)."""

    summary: str | None = None
    reason_no_order: str | None = None
    next_action: str | None = None
    next_action_on: date | str | None = None


class ErpDraft(_Draft):
    """Everything the student entered in the ERP during one call."""

    client: ClientDraft | None = None
    lines: list[LineDraft] = Field(default_factory=list)
    complaint: ComplaintDraft | None = None
    message: MessageDraft | None = None
    reminder: ReminderDraft | None = None
    follow_up: FollowUpDraft | None = None
    note: NoteDraft | None = None

    def is_empty(self) -> bool:
        """True when nothing at all was entered."""
        return not (
            self.client or self.lines or self.complaint or self.message or self.reminder or self.follow_up or self.note
        )


# --- the result ------------------------------------------------------------------------------------


class DraftProblem(BaseModel):
    """A field the ERP refuses (``blocking``) or warns about; ``message`` is one French sentence."""

    model_config = ConfigDict(frozen=True)

    field: str
    message: str
    blocking: bool = True


class DraftResult(BaseModel):
    """The domain objects a draft turns into, and what is wrong with it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    client: Client | None = None
    client_is_new: bool = False
    client_became_client: bool = Field(default=False, description="A prospect placed their first order.")
    order: Order | None = None
    complaint: Complaint | None = None
    message: Message | None = None
    reminder: ReminderLog | None = None
    complaint_update: Complaint | None = Field(
        default=None, description="A complaint on file after the customer said whether they are satisfied."
    )
    contact_entries: list[ContactLogEntry] = Field(default_factory=list)
    problems: list[DraftProblem] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no blocking problem was found."""
        return not any(p.blocking for p in self.problems)

    @property
    def errors(self) -> list[str]:
        """Blocking problems as French sentences."""
        return [p.message for p in self.problems if p.blocking]

    @property
    def warnings(self) -> list[str]:
        """Non-blocking remarks (possible duplicate, incomplete message...)."""
        return [p.message for p in self.problems if not p.blocking]


# --- helpers ----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", str(text).strip().lower())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").split())


_SEGMENT_WORDS: list[tuple[str, Segment]] = [
    ("grossiste", Segment.GROSSISTE),
    ("apprenti", Segment.APPRENTI),
    ("domicile", Segment.COIFFEUR_DOMICILE),
    ("enseigne", Segment.SALON_ENSEIGNE),
    ("franchise", Segment.SALON_ENSEIGNE),
    ("reseau", Segment.SALON_ENSEIGNE),
    ("particulier", Segment.PARTICULIER),
    ("independant", Segment.SALON_INDEPENDANT),
    ("salon", Segment.SALON_INDEPENDANT),
]


def parse_segment(text: str) -> Segment:
    """A segment from its id or a French label (« salon sous enseigne », « coiffeuse à domicile »)."""
    folded = _fold(text).replace(" ", "_")
    for segment in Segment:
        if folded == segment.value:
            return segment
    words = _fold(text)
    for word, segment in _SEGMENT_WORDS:
        if word in words:
            return segment
    labels = ", ".join(s.label for s in Segment if s is not Segment.PARTICULIER)
    raise DomainError(f"Segment « {text} » inconnu (segments : {labels}).", field="client.segment")


def parse_date(value: date | str, today: date, field: str) -> date:
    """A date typed as ``2026-11-30``, ``30/11/2026`` or ``30/11`` (the next such day)."""
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?", text)
        if match:
            day, month, year = match.groups()
            if year is None:
                candidate = date(today.year, int(month), int(day))
                return candidate if candidate >= today else date(today.year + 1, int(month), int(day))
            full_year = int(year) + 2000 if len(year) == 2 else int(year)
            return date(full_year, int(month), int(day))
    except ValueError:
        pass
    raise DomainError(f"« {text} » n'est pas une date (exemples : 30/11/2026 ou 2026-11-30).", field=field)


def _pydantic_message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    message = str(err.get("ctx", {}).get("error", err.get("msg", "")))
    return message.removeprefix("Value error, ")


def _sentence(prefix: str, message: str) -> str:
    message = message.strip().rstrip(".")
    return f"{prefix} : {message[0].lower()}{message[1:]}." if message else f"{prefix}."


class _Collector:
    def __init__(self) -> None:
        self.problems: list[DraftProblem] = []

    def add(self, field: str, message: str, *, blocking: bool = True) -> None:
        self.problems.append(DraftProblem(field=field, message=message, blocking=blocking))


# --- building ---------------------------------------------------------------------------------------


def _resolve_client(draft: ClientDraft | None, company: CompanyData, out: _Collector) -> tuple[Client | None, bool]:
    if draft is None:
        return None, False
    if draft.number:
        number = draft.number.strip().upper()
        if not CLIENT_NUMBER_RE.fullmatch(number):
            out.add("client.number", f"Client : « {draft.number} » n'est pas un numéro client (format CLI-00042).")
            return None, False
        try:
            return company.client(number), False
        except DomainError as exc:
            out.add("client.number", _sentence("Client", str(exc)))
            return None, False
    missing = []
    if not draft.name:
        missing.append("le nom")
    if not draft.segment:
        missing.append("le type de client (segment)")
    if not draft.region:
        missing.append("la région")
    if not (draft.phone or draft.email):
        missing.append("un téléphone ou une adresse électronique")
    if missing:
        out.add("client", f"Nouveau client : indiquez {', '.join(missing)}.")
        return None, False
    fields: dict[str, Any] = {}
    try:
        fields["segment"] = parse_segment(draft.segment or "")
    except DomainError as exc:
        out.add("client.segment", _sentence("Nouveau client", str(exc)))
        return None, False
    contact: dict[str, Any] = {}
    for key, check, label in (("phone", normalize_phone, "téléphone"), ("email", normalize_email, "adresse électronique")):
        raw = getattr(draft, key)
        if raw:
            try:
                contact[key] = check(raw)
            except ValueError as exc:
                out.add(f"client.{key}", _sentence(f"Nouveau client, {label}", str(exc)))
                return None, False
    if contact.get("phone", "").startswith(("06", "07")):
        contact["mobile"] = contact.pop("phone")
    if draft.street or draft.postcode or draft.city:
        try:
            contact["address"] = Address(street=draft.street or "", postcode=draft.postcode or "", city=draft.city or "")
        except ValidationError as exc:
            out.add("client.address", _sentence("Nouveau client, adresse", _pydantic_message(exc)))
            return None, False
    civility = None
    if draft.civility:
        folded = _fold(draft.civility)
        civility = "Mme" if folded.startswith(("mme", "madame")) else "M." if folded.startswith(("m", "monsieur")) else None
    try:
        client = Client(
            name=draft.name,
            civility=civility,
            company=draft.company,
            segment=fields["segment"],
            region=draft.region,
            status=ClientStatus.PROSPECT,
            contact=Contact(**contact),
        )
    except ValidationError as exc:
        out.add("client", _sentence("Nouveau client", _pydantic_message(exc)))
        return None, False
    for existing in company.clients:
        same_contact = any(
            value and value in (existing.contact.phone, existing.contact.mobile, existing.contact.email)
            for value in (client.contact.phone, client.contact.mobile, client.contact.email)
        )
        same_name = _fold(existing.name) == _fold(client.name) and _fold(existing.company or "") == _fold(client.company or "")
        if same_contact or same_name:
            out.add(
                "client",
                f"Ce client semble déjà exister : {existing.number}, {existing.display_name()}. "
                "Reprenez sa fiche plutôt que d'en créer une seconde.",
                blocking=False,
            )
            break
    return client, True


def _build_order(
    draft: ErpDraft, client: Client | None, company: CompanyData, now: datetime, out: _Collector
) -> Order | None:
    if not draft.lines:
        return None
    if company.catalogue is None:
        out.add("lines", "Cette entreprise n'a pas de catalogue : aucune commande possible.")
        return None
    requests: list[dict[str, Any]] = []
    line_errors = False
    for index, line in enumerate(draft.lines, start=1):
        request = {"reference": line.reference or "", "shade": line.shade, "quantity": line.quantity}
        try:
            price_lines([request], company.catalogue, [], on=business_date(now))
        except DomainError as exc:
            message = str(exc).removeprefix("Ligne 1 : ")
            out.add(f"lines[{index - 1}].{exc.field or 'reference'}", _sentence(f"Ligne {index}", message))
            line_errors = True
            continue
        requests.append(request)
    if client is None:
        out.add("client", "Commande : identifiez le client (numéro client) ou créez sa fiche.")
        return None
    if line_errors:
        return None
    try:
        order = price_order(
            requests,
            company.catalogue,
            company.promotions,
            client_name=client.name,
            client_company=client.company,
            client_number=client.number,
            segment=client.segment,
            now=now,
        )
    except DomainError as exc:
        out.add(f"lines.{exc.field or 'quantity'}", str(exc))
        return None
    for promo in company.promotions:
        if not promo.is_active(business_date(now)):
            continue
        counted = sum(line.quantity for line in order.lines if promo.applies_to(line.reference))
        tier = promo.next_tier(counted) if counted else None
        if tier is not None and counted >= tier.min_quantity - 12:
            out.add(
                "lines",
                f"Promotion : {counted} unité(s) commandée(s) ; à partir de {tier.min_quantity}, la remise passe à "
                f"{(tier.rate * 100).normalize():f} %. L'avez-vous proposé au client ?",
                blocking=False,
            )
    return order


def _build_complaint(
    draft: ComplaintDraft | None, client: Client | None, company: CompanyData, now: datetime, out: _Collector
) -> Complaint | None:
    if draft is None:
        return None
    ok = True
    category = (draft.category or "").strip()
    if not category:
        out.add("complaint.category", "Réclamation : choisissez une catégorie.")
        ok = False
    elif category not in CATEGORIES:
        listed = "; ".join(f"{c} ({CATEGORY_LABELS[c]})" for c in CATEGORIES)
        out.add("complaint.category", f"Réclamation : catégorie « {category} » inconnue (catégories : {listed}).")
        ok = False
    if not draft.facts or len(draft.facts.strip()) < 3:
        out.add("complaint.facts", "Réclamation : décrivez les faits (ce qui s'est passé, selon le client).")
        ok = False
    if client is None:
        out.add("client", "Réclamation : identifiez le client (numéro client) ou créez sa fiche.")
        ok = False
    order_number = draft.order_number.strip().upper() if draft.order_number else None
    if order_number and not ORDER_NUMBER_RE.fullmatch(order_number):
        out.add("complaint.order_number", f"Réclamation : « {draft.order_number} » n'est pas un numéro de commande (format CMD-2026-000123).")
        ok = False
    channel = draft.channel if draft.channel in ("telephone", "courriel", "avis_en_ligne", "courrier", "constat") else None
    if channel is None:
        out.add("complaint.channel", f"Réclamation : canal « {draft.channel} » inconnu (téléphone, courriel, avis en ligne, courrier, constat).")
        ok = False
    if not ok or client is None:
        return None
    if not draft.solution:
        out.add("complaint.solution", "Réclamation : aucune solution n'est notée pour le client.", blocking=False)
    complaint = open_complaint(
        category=category,
        received_at=now,
        channel=channel or "telephone",
        client_name=client.name,
        client_number=client.number,
        client_company=client.company,
        facts=draft.facts or "",
        expectation=draft.expectation,
        solution=draft.solution,
        order_number=order_number,
        product_related=draft.product_related,
        procedure=company.complaint_procedure,
    )
    if draft.admissible is not None:
        complaint = complaint.qualify(draft.admissible, procedure=company.complaint_procedure)
    return complaint


def _recipient(key: str, company: CompanyData) -> str | None:
    try:
        return company.person(key).display
    except DomainError:
        pass
    folded = _fold(key)
    for service in company.services:
        if folded in (_fold(service.label), _fold(service.id), _fold(f"service {service.id}")):
            return service.label
    for person in company.persons:
        if _fold(person.last_name) in folded.split():
            return person.display
    return None


def _build_message(
    draft: MessageDraft | None, client: Client | None, company: CompanyData, now: datetime, out: _Collector, taken_by: str | None
) -> Message | None:
    if draft is None:
        return None
    ok = True
    recipient = None
    if not draft.for_:
        out.add("message.for", "Message : indiquez pour qui est le message.")
        ok = False
    else:
        recipient = _recipient(draft.for_, company)
        if recipient is None:
            known = ", ".join([p.display for p in company.persons] + [s.label for s in company.services])
            out.add("message.for", f"Message : destinataire « {draft.for_} » inconnu dans l'entreprise ({known}).")
            ok = False
    caller = draft.caller_name or (client.name if client else None)
    if not caller:
        out.add("message.caller_name", "Message : indiquez le nom de l'appelant.")
        ok = False
    number = None
    if draft.callback_number:
        try:
            number = normalize_phone(draft.callback_number)
        except ValueError as exc:
            out.add("message.callback_number", _sentence("Message, numéro à rappeler", str(exc)))
            ok = False
    if not ok:
        return None
    message = Message(
        **{"for": recipient},
        caller_name=caller,
        caller_company=draft.caller_company or (client.company if client else None),
        callback_number=number or (client.contact.phone or client.contact.mobile if client else None),
        subject=draft.subject,
        callback_when=draft.callback_when,
        taken_at=now,
        taken_by=taken_by,
        urgent=draft.urgent,
        client_number=client.number if client else None,
    )
    missing = message.missing_fields()
    if missing:
        out.add("message", f"Message incomplet : il manque {', '.join(missing)}.", blocking=False)
    return message


_OUTCOMES = {"promesse_de_paiement", "litige", "deja_paye", "injoignable", "refus"}
_STAGES = {"email", "telephone", "mise_en_demeure", "injonction"}


def _build_reminder(
    draft: ReminderDraft | None,
    client: Client | None,
    company: CompanyData,
    invoices: list[Invoice],
    logs: list[ReminderLog],
    now: datetime,
    out: _Collector,
) -> ReminderLog | None:
    if draft is None:
        return None
    today = business_date(now)
    if not draft.invoice_number:
        out.add("reminder.invoice_number", "Relance : indiquez le numéro de la facture relancée.")
        return None
    number = draft.invoice_number.strip().upper()
    invoice = next((i for i in invoices if i.number == number), None)
    if invoice is None:
        out.add("reminder.invoice_number", f"Relance : aucune facture ne porte le numéro « {draft.invoice_number} ».")
        return None
    if client is not None and client.number and client.number != invoice.client_number:
        out.add("reminder.invoice_number", f"Relance : la facture {number} n'est pas celle du client {client.number}.")
        return None
    stage = draft.stage
    if not stage:
        _, action = dunning_state(invoice, today, logs)
        stage = action.stage if action else "telephone"
    if stage not in _STAGES:
        out.add("reminder.stage", f"Relance : étape « {stage} » inconnue (email, telephone, mise_en_demeure, injonction).")
        return None
    if draft.outcome not in _OUTCOMES:
        if draft.outcome:
            out.add("reminder.outcome", f"Relance : issue « {draft.outcome} » inconnue ({', '.join(sorted(_OUTCOMES))}).")
        else:
            out.add("reminder.outcome", "Relance : indiquez l'issue de l'appel (promesse de paiement, litige, déjà payé, injoignable, refus).")
        return None
    promised = None
    if draft.promised_date:
        try:
            promised = parse_date(draft.promised_date, today, "reminder.promised_date")
        except DomainError as exc:
            out.add("reminder.promised_date", _sentence("Relance", str(exc)))
            return None
    if draft.outcome == "promesse_de_paiement" and promised is None:
        out.add("reminder.promised_date", "Relance : une promesse de paiement demande la date de paiement promise.")
        return None
    if promised is not None and promised < today:
        out.add("reminder.promised_date", f"Relance : la date promise ({promised:%d/%m/%Y}) est déjà passée.")
        return None
    if draft.outcome != "promesse_de_paiement":
        promised = None
    method = draft.promised_method if draft.promised_method in ("virement", "cheque", "lcr") else None
    if draft.promised_method and method is None:
        out.add("reminder.promised_method", f"Relance : mode de paiement « {draft.promised_method} » inconnu (virement, chèque ou LCR).",
                blocking=False)
    return ReminderLog(
        invoice_number=invoice.number,
        client_number=invoice.client_number,
        stage=stage,  # type: ignore[arg-type]
        at=now,
        outcome=draft.outcome,  # type: ignore[arg-type]
        promised_payment_date=promised,
        promised_method=method,
        contact_person=draft.contact_person,
        notes=draft.notes,
        amount_due=invoice.balance(today),
    )


_AWAITING = (ComplaintStatus.EN_ATTENTE_SATISFACTION, ComplaintStatus.ACTION_REVISEE, ComplaintStatus.EN_TRAITEMENT)


def complaint_followed_up(
    number: str | None, client: Client | None, complaints: Iterable[Complaint]
) -> Complaint | None:
    """The complaint a satisfaction call is about: ``number`` when given, else the client's complaint
    awaiting their satisfaction (the latest one), else their latest closed one."""
    found = list(complaints)
    if number:
        wanted = number.strip().upper()
        return next((c for c in found if c.number == wanted), None)
    if client is None or client.number is None:
        return None
    mine = sorted((c for c in found if c.client_number == client.number), key=lambda c: (c.received_at, c.number or ""))
    waiting = [c for c in mine if c.status in _AWAITING]
    if waiting:
        return waiting[-1]
    closed = [c for c in mine if c.status is ComplaintStatus.CLOTUREE]
    return closed[-1] if closed else None


def _build_follow_up(
    draft: FollowUpDraft | None,
    client: Client | None,
    complaints: Iterable[Complaint],
    company: CompanyData,
    now: datetime,
    out: _Collector,
) -> Complaint | None:
    if draft is None:
        return None
    complaint = complaint_followed_up(draft.complaint_number, client, complaints)
    if complaint is None:
        if draft.complaint_number:
            out.add("follow_up.complaint_number",
                    f"Suivi : aucune réclamation ne porte le numéro « {draft.complaint_number} ».")
        elif client is None:
            out.add("client", "Suivi de réclamation : identifiez le client (numéro client).")
        else:
            out.add("follow_up.complaint_number", f"Suivi : le client {client.number} n'a aucune réclamation en cours.")
        return None
    if client is not None and client.number and complaint.client_number not in (None, client.number):
        out.add("follow_up.complaint_number",
                f"Suivi : la réclamation {complaint.number} n'est pas celle du client {client.number}.")
        return None
    if draft.satisfied is None:
        out.add("follow_up.satisfied", "Suivi : indiquez si le client est satisfait de la solution (oui ou non).")
        return None
    procedure = company.complaint_procedure
    try:
        if complaint.status in (ComplaintStatus.EN_TRAITEMENT, ComplaintStatus.ACTION_REVISEE):
            # The solution was delivered (the customer speaks of it): it counts as answered today.
            complaint = complaint.answer(now)
        if draft.satisfied:
            if complaint.status is ComplaintStatus.CLOTUREE:
                out.add("follow_up", f"Suivi : la réclamation {complaint.number} est déjà clôturée.", blocking=False)
                return None
            return complaint.record_satisfaction(True, now, procedure=procedure)
        if complaint.status is ComplaintStatus.CLOTUREE:
            return complaint.reopen(now, draft.revised_action or "", procedure=procedure)
        return complaint.record_satisfaction(False, now, revised_action=draft.revised_action, procedure=procedure)
    except DomainError as exc:
        out.add(f"follow_up.{exc.field or 'status'}", _sentence("Suivi", str(exc)))
        return None


def build_from_draft(
    draft: ErpDraft,
    company: CompanyData,
    now: datetime,
    *,
    direction: Literal["entrant", "sortant"] = "entrant",
    taken_by: str | None = None,
    invoices: Iterable[Invoice] | None = None,
    reminder_logs: Iterable[ReminderLog] | None = None,
    complaints: Iterable[Complaint] | None = None,
) -> DraftResult:
    """Turn a draft into domain objects, with every problem as one French sentence.

    ``now`` is the moment of the call (timezone-aware). ``invoices`` and ``reminder_logs`` default to
    the company's reference data; the call session passes the database's current ones, and so for
    ``complaints`` (those on file, for a satisfaction call).
    A result with blocking problems carries the objects that could be built, so the ERP panel can
    show them, but must not be committed.
    """
    out = _Collector()
    client, is_new = _resolve_client(draft.client, company, out)
    order = _build_order(draft, client, company, now, out)
    complaint = _build_complaint(draft.complaint, client, company, now, out)
    message = _build_message(draft.message, client, company, now, out, taken_by)
    invoice_list = list(invoices) if invoices is not None else list(company.invoices)
    log_list = list(reminder_logs) if reminder_logs is not None else list(company.reminder_logs)
    reminder = _build_reminder(draft.reminder, client, company, invoice_list, log_list, now, out)
    if reminder is not None and client is None:
        try:
            client = company.client(reminder.client_number)
        except DomainError:
            client = None
    on_file = list(complaints) if complaints is not None else list(company.complaints)
    complaint_update = _build_follow_up(draft.follow_up, client, on_file, company, now, out)

    became_client = False
    if client is not None and order is not None and client.status is ClientStatus.PROSPECT:
        client = client.model_copy(update={"status": ClientStatus.CLIENT})
        became_client = not is_new

    entries: list[ContactLogEntry] = []
    if client is not None:
        channel = "telephone"
        by = taken_by

        def entry(purpose: str, summary: str, reference: str | None = None, **extra: Any) -> None:
            try:
                entries.append(
                    ContactLogEntry(
                        client_number=client.number,
                        at=now,
                        channel=channel,
                        direction=direction,
                        purpose=purpose,  # type: ignore[arg-type]
                        summary=summary,
                        by=by,
                        reference=reference,
                        **extra,
                    )
                )
            except ValidationError as exc:
                out.add("note", _sentence("Fiche client", _pydantic_message(exc)))

        if order is not None:
            entry("commande", f"Commande de {sum(line.quantity for line in order.lines)} article(s), {order.total_ht} € HT.")
        if complaint is not None:
            entry("reclamation", f"Réclamation ({CATEGORY_LABELS[complaint.category]}) : {complaint.facts}")
        if message is not None:
            entry("message", f"Message pour {message.for_} : {message.subject or 'objet non précisé'}.")
        if complaint_update is not None:
            if complaint_update.status is ComplaintStatus.CLOTUREE:
                summary = f"Rappel de satisfaction : client satisfait, réclamation {complaint_update.number} clôturée."
            else:
                summary = (f"Rappel de satisfaction : client non satisfait, action corrective révisée "
                           f"({complaint_update.solution}).")
            entry("satisfaction", summary, reference=complaint_update.number)
        if reminder is not None:
            entry("relance", f"Relance ({reminder.stage}) de la facture {reminder.invoice_number} : {reminder.outcome}.",
                  reference=reminder.invoice_number)
        if draft.note is not None and (draft.note.summary or draft.note.reason_no_order):
            next_on = None
            if draft.note.next_action_on:
                try:
                    next_on = parse_date(draft.note.next_action_on, business_date(now), "note.next_action_on")
                except DomainError as exc:
                    out.add("note.next_action_on", _sentence("Fiche client", str(exc)))
            purpose = "prospection" if client.status is ClientStatus.PROSPECT else "information"
            entry(
                purpose,
                draft.note.summary or f"Raison de l'absence de commande : {draft.note.reason_no_order}",
                reason_no_order=draft.note.reason_no_order,
                next_action=draft.note.next_action,
                next_action_on=next_on,
            )
    elif draft.note is not None and draft.note.summary:
        out.add("client", "Fiche client : identifiez le client pour y noter l'appel.")

    return DraftResult(
        client=client,
        client_is_new=is_new,
        client_became_client=became_client,
        order=order,
        complaint=complaint,
        message=message,
        reminder=reminder,
        complaint_update=complaint_update,
        contact_entries=entries,
        problems=out.problems,
    )


# --- public records (CONTRACT §4) ---------------------------------------------------------------


def _client_ref(name: str, number: str | None, company_name: str | None, kind: str | None) -> ClientRef:
    return ClientRef(name=name, number=number, company=company_name, kind=kind)


def order_record(order: Order) -> OrderRecord:
    """The public record of a committed order (``order.number`` must be set)."""
    if not order.number:
        raise DomainError("La commande n'a pas encore de numéro : enregistrez-la d'abord.", field="number")
    from trainer.domain.clients import SEGMENT_KIND

    return OrderRecord(
        id=order.number,
        client=_client_ref(order.client_name, order.client_number, order.client_company, SEGMENT_KIND[order.segment]),
        lines=[
            OrderLineRecord(
                product=line.product,
                reference=line.reference,
                quantity=line.quantity,
                unit_price_ht=line.unit_price_ht,
                discount_rate=line.discount_rate,
                total_ht=line.total_ht,
                shade=line.shade,
            )
            for line in order.lines
        ],
        total_ht=order.total_ht,
        payment_terms=order.payment_terms.label,
        total_tva=order.total_tva,
        total_ttc=order.total_ttc,
        delivery_promise=order.delivery.wording(),
        status=order.status.value,
    )


def complaint_record(complaint: Complaint) -> ComplaintRecord:
    """The public record of a committed complaint (``complaint.number`` must be set)."""
    if not complaint.number:
        raise DomainError("La réclamation n'a pas encore de numéro : enregistrez-la d'abord.", field="number")
    return ComplaintRecord(
        id=complaint.number,
        client=_client_ref(complaint.client_name, complaint.client_number, complaint.client_company, None),
        category=complaint.category,
        responsible_service=complaint.responsible_service,
        status=complaint.status.value,
        customer_deadline=complaint.customer_deadline,
        solution=complaint.solution,
        channel=complaint.channel,
        admissible=complaint.admissible,
        summary=complaint.facts,
    )


def message_record(message: Message) -> MessageRecord:
    """The public record of a committed message (``message.id`` must be set)."""
    if not message.id:
        raise DomainError("Le message n'a pas encore d'identifiant : enregistrez-le d'abord.", field="id")
    return MessageRecord(
        **{"for": message.for_},
        id=message.id,
        caller=CallerRef(name=message.caller_name, company=message.caller_company),
        callback_number=message.callback_number,
        subject=message.subject,
        callback_when=message.callback_when,
    )


def reminder_record(log: ReminderLog, company: CompanyData | None = None) -> ReminderRecord:
    """The public record of a committed reminder log (``log.id`` must be set)."""
    if not log.id:
        raise DomainError("La relance n'a pas encore d'identifiant : enregistrez-la d'abord.", field="id")
    name, company_name = log.client_number, None
    if company is not None:
        try:
            client = company.client(log.client_number)
            name, company_name = client.name, client.company
        except DomainError:
            pass
    amount = log.amount_due
    if amount is None and company is not None:
        try:
            amount = company.invoice(log.invoice_number).balance(business_date(log.at))
        except DomainError:
            amount = None
    if amount is None:
        raise DomainError(f"Relance {log.id} : montant dû inconnu.", field="amount_due")
    return ReminderRecord(
        id=log.id,
        client=_client_ref(name, log.client_number, company_name, "grossiste"),
        invoice=log.invoice_number,
        amount_due=amount,
        stage=log.stage,
        outcome=log.outcome,
        promised_payment_date=log.promised_payment_date,
    )


def to_records(
    objects: Iterable[Order | Complaint | Message | ReminderLog], company: CompanyData | None = None
) -> list[Record]:
    """Public records (CONTRACT §4) of committed domain objects, in the order given.

    Objects of other kinds (clients, contact log entries) are not records and are skipped.
    """
    records: list[Record] = []
    for obj in objects:
        if isinstance(obj, Order):
            records.append(order_record(obj))
        elif isinstance(obj, Complaint):
            records.append(complaint_record(obj))
        elif isinstance(obj, Message):
            records.append(message_record(obj))
        elif isinstance(obj, ReminderLog):
            records.append(reminder_record(obj, company))
    return records
