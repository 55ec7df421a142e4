"""A company's reference data, as the ERP knows it: identity, services, people, catalogue, clients...

``trainer.content.company.load_company(company_id)`` builds a ``CompanyData`` from the YAML files of
``scenarios/<company>/reference/``; the store seeds its tables from it; the dialogue and the ERP draft
read it. Relative dates of the files ("issued_days_ago: 70") are already resolved here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from trainer.domain.catalogue import Catalogue
from trainer.domain.clients import Address, Client, ClientStatus, Segment
from trainer.domain.common import DomainModel, Email, Phone
from trainer.domain.complaints import Complaint, ComplaintProcedure
from trainer.domain.errors import DomainError
from trainer.domain.invoices import Invoice, ReminderLog
from trainer.domain.orders import Order
from trainer.domain.promotions import Promotion
from trainer.domain.reviews import Review

ServiceId = Literal["technique", "logistique", "clientele", "daf", "direction", "secretariat", "accueil"]


class CompanyFacts(DomainModel):
    """Identity of the company as the source documents give it (OCR doubts noted in ``notes``)."""

    name: str
    legal_name: str | None = None
    activity: str
    address: Address
    phone: Phone | None = None
    free_phone: Phone | None = Field(default=None, description="« numéro vert », free for the caller.")
    fax: Phone | None = None
    email: Email | None = None
    website: str | None = None
    reviews_site: str | None = None
    carrier: str | None = None
    notes: list[str] = Field(default_factory=list)


class Service(DomainModel):
    """A department and its mission, quoted from the source."""

    id: ServiceId
    label: str
    mission: str


class Person(DomainModel):
    """Someone of the company a caller may ask for (« M. Mocher »)."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    civility: Literal["M.", "Mme"]
    first_name: str | None = None
    last_name: str
    role: str
    service: ServiceId | None = None
    phone_extension: str | None = None
    email: Email | None = None
    invented: bool = False

    @property
    def display(self) -> str:
        """« M. Mocher », the form used on a message slip."""
        return f"{self.civility} {self.last_name}"

    @property
    def full_name(self) -> str:
        """« M. Bruno Mocher »."""
        first = f"{self.first_name} " if self.first_name else ""
        return f"{self.civility} {first}{self.last_name}"


class Partner(DomainModel):
    """An outside professional working with the company (SERV'FAMILLES' partner artisans)."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str
    company: str
    trade: str
    city: str
    phone: Phone
    email: Email | None = None
    invited_to_event: bool = False
    invented: bool = True


class ExternalContact(DomainModel):
    """A counterpart outside the company (the hotel NOFITEL, the carrier DPD...)."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    organisation: str
    role: str
    person: str | None = None
    address: Address | None = None
    phone: Phone | None = None
    fax: Phone | None = None
    email: Email | None = None
    notes: list[str] = Field(default_factory=list)


class CompanyData(DomainModel):
    """Everything the ERP of one company starts with."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    facts: CompanyFacts
    services: list[Service] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    catalogue: Catalogue | None = None
    promotions: list[Promotion] = Field(default_factory=list)
    clients: list[Client] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    external_contacts: list[ExternalContact] = Field(default_factory=list)
    facts_extra: dict[str, str] = Field(
        default_factory=dict, description="Further facts of the case (event dates, hours...)."
    )
    past_orders: list[Order] = Field(default_factory=list)
    invoices: list[Invoice] = Field(default_factory=list)
    reminder_logs: list[ReminderLog] = Field(default_factory=list)
    reviews: list[Review] = Field(default_factory=list)
    complaints: list[Complaint] = Field(default_factory=list, description="Complaints already on file.")
    complaint_procedure: ComplaintProcedure | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CompanyData:
        numbers: set[str] = set()
        for client in self.clients:
            if client.number is None:
                raise ValueError(f"le client « {client.name} » n'a pas de numéro")
            if client.number in numbers:
                raise ValueError(f"le numéro client {client.number} apparaît deux fois")
            numbers.add(client.number)
        ids: set[str] = set()
        for person in self.persons:
            if person.id in ids:
                raise ValueError(f"la personne « {person.id} » apparaît deux fois")
            ids.add(person.id)
        for order in self.past_orders:
            if order.client_number not in numbers:
                raise ValueError(f"commande {order.seed_key} : client {order.client_number} inconnu")
        invoice_numbers: set[str] = set()
        for invoice in self.invoices:
            if invoice.client_number not in numbers:
                raise ValueError(f"facture {invoice.number} : client {invoice.client_number} inconnu")
            if invoice.number in invoice_numbers:
                raise ValueError(f"la facture {invoice.number} apparaît deux fois")
            invoice_numbers.add(invoice.number)
        for log in self.reminder_logs:
            if log.invoice_number not in invoice_numbers:
                raise ValueError(f"relance : facture {log.invoice_number} inconnue")
        keys: set[str] = set()
        for complaint in self.complaints:
            if complaint.client_number is not None and complaint.client_number not in numbers:
                raise ValueError(f"réclamation {complaint.seed_key} : client {complaint.client_number} inconnu")
            if complaint.seed_key in keys:
                raise ValueError(f"la réclamation {complaint.seed_key} apparaît deux fois")
            keys.add(complaint.seed_key or "")
        if self.promotions:
            if self.catalogue is None:
                raise ValueError("une promotion demande un catalogue")
            for promo in self.promotions:
                for ref in promo.eligible_references:
                    if not self.catalogue.has_product(ref):
                        raise ValueError(f"promotion {promo.id} : référence {ref} inconnue du catalogue")
        return self

    # Lookups -------------------------------------------------------------------------------

    def client(self, number: str) -> Client:
        """The client with this number, or ``DomainError`` « Aucun client … »."""
        wanted = str(number).strip().upper()
        for client in self.clients:
            if client.number == wanted:
                return client
        raise DomainError(f"Aucun client ne porte le numéro « {number} ».", field="client_number")

    def clients_by(
        self, *, segment: Segment | str | None = None, region: str | None = None, status: ClientStatus | str | None = None
    ) -> list[Client]:
        """Clients filtered by segment, region and/or status (all when no filter)."""
        out = []
        for client in self.clients:
            if segment is not None and client.segment != Segment(segment):
                continue
            if region is not None and client.region != region:
                continue
            if status is not None and client.status != ClientStatus(status):
                continue
            out.append(client)
        return out

    def invoice(self, number: str) -> Invoice:
        """The invoice with this number, or ``DomainError``."""
        wanted = str(number).strip().upper()
        for invoice in self.invoices:
            if invoice.number == wanted:
                return invoice
        raise DomainError(f"Aucune facture ne porte le numéro « {number} ».", field="invoice")

    def invoices_of(self, client_number: str) -> list[Invoice]:
        """The invoices of one client, oldest first."""
        return sorted((i for i in self.invoices if i.client_number == client_number), key=lambda i: i.issued_on)

    def person(self, key: str) -> Person:
        """A person by id, last name or « M. Mocher » (case and accents as written)."""
        wanted = " ".join(str(key).split()).lower()
        for person in self.persons:
            candidates = {person.id, person.last_name.lower(), person.display.lower(), person.full_name.lower()}
            if wanted in candidates:
                return person
        raise DomainError(f"Personne inconnue dans l'entreprise : « {key} ».", field="for")

    def service(self, service_id: str) -> Service:
        """The service with this id."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise DomainError(f"Service inconnu : « {service_id} ».", field="service")
