"""Load a company's reference data from ``scenarios/<company>/reference/*.yaml``.

Each file has ``version: 1`` and one section; the files known to the loader are listed in
``SECTIONS``. An unknown file in the folder is refused, so that a misspelt name is not silently
ignored. Relative dates (``issued_days_ago: 70``) are resolved against ``today``: seeding on any day
gives invoices at the same reminder stages.

    >>> company = load_company("generik")
    >>> company.catalogue.product("GNK-CCS-100").unit_price_ht
    Decimal('3.80')
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from trainer.content.yamlio import display_path, load_yaml, parse_yaml_text, read_text, validation_message
from trainer.domain.catalogue import Catalogue, DiscoveryParcel, Product, ShadeChart
from trainer.domain.clients import Client
from trainer.domain.common import PARIS
from trainer.domain.company import CompanyData, CompanyFacts, ExternalContact, Partner, Person, Service
from trainer.domain.complaints import Complaint, ComplaintProcedure, open_complaint
from trainer.domain.errors import DomainError
from trainer.domain.invoices import Invoice, Payment, ReminderLog
from trainer.domain.money import Money
from trainer.domain.orders import LineRequest, Order, OrderStatus, price_order
from trainer.domain.promotions import Promotion
from trainer.domain.records import ComplaintCategory, ReminderOutcome, ReminderStage
from trainer.domain.reviews import Review, Sentiment
from trainer.errors import UserError
from trainer.paths import scenarios_dir

COMPANY_IDS = ("generik", "servfamilles")


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = Field(description="Format version of the file; only 1 exists.")


class CompanyFile(_File):
    id: str
    facts: CompanyFacts
    services: list[Service] = Field(default_factory=list)
    persons: list[Person] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    external_contacts: list[ExternalContact] = Field(default_factory=list)
    facts_extra: dict[str, str] = Field(default_factory=dict)


class CatalogueFile(_File):
    prices_note: str | None = None
    products: list[Product] = Field(min_length=1)
    discovery_parcel: DiscoveryParcel | None = None


class ShadesFile(_File):
    chart: ShadeChart


class PromotionsFile(_File):
    promotions: list[Promotion]


class ClientsFile(_File):
    clients: list[Client]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeedOrderSpec(_Spec):
    """A past order, dated ``days_ago`` days before the loading day, at ``time`` (Paris)."""

    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    client: str
    days_ago: int = Field(ge=0, le=3650)
    time: str = Field(default="10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    status: OrderStatus = OrderStatus.LIVREE
    channel: str = "telephone"
    notes: str | None = None
    lines: list[LineRequest] = Field(min_length=1)


class OrdersFile(_File):
    orders: list[SeedOrderSpec]


class _Relative(_Spec):
    """A day given either relative to the invoice's due date or to the loading day."""

    after_due_days: int | None = None
    days_ago: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_anchor(self) -> _Relative:
        if (self.after_due_days is None) == (self.days_ago is None):
            raise ValueError("donnez soit after_due_days (jours après l'échéance), soit days_ago (jours avant aujourd'hui)")
        return self

    def resolve(self, due: date, today: date) -> date:
        if self.after_due_days is not None:
            return due + timedelta(days=self.after_due_days)
        return today - timedelta(days=self.days_ago or 0)


class PaymentSpec(_Relative):
    amount: Money | Literal["solde"] = "solde"
    method: Literal["virement", "cheque", "lcr"] = "virement"


class InvoiceSpec(_Spec):
    """An invoice of a past order: issued the day of the order, amount = the order's TTC."""

    number: str
    order_key: str
    method: Literal["virement", "cheque", "lcr"]
    lcr_returned: bool | None = None
    payments: list[PaymentSpec] = Field(default_factory=list)
    notes: str | None = None


class ReminderSpec(_Relative):
    invoice: str
    stage: ReminderStage
    time: str = Field(default="10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    outcome: ReminderOutcome
    promised_in_days: int | None = Field(default=None, ge=0, description="Promised day, counted from today.")
    promised_after_due_days: int | None = None
    promised_method: Literal["virement", "cheque", "lcr"] | None = None
    contact_person: str | None = None
    notes: str | None = None


class InvoicesFile(_File):
    invoices: list[InvoiceSpec]
    reminders: list[ReminderSpec] = Field(default_factory=list)


class ReviewSpec(_Spec):
    id: str
    region: str | None = None
    posted_days_ago: int = Field(ge=0)
    text: str
    sentiment: Sentiment
    product_related: bool = False
    client: str | None = None
    source: str | None = None
    rating_image: str | None = Field(default=None, description="Image file named in the source (meaning unknown).")


class ReviewsFile(_File):
    reviews: list[ReviewSpec]


class SeedComplaintSpec(_Spec):
    """A complaint already on file: received ``days_ago`` days before the loading day, then taken
    through its life cycle up to ``status`` (answered ``answered_days_ago`` days ago...)."""

    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    client: str
    days_ago: int = Field(ge=0, le=3650, description="Reception day (J), counted back from the loading day.")
    time: str = Field(default="10:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    channel: Literal["telephone", "courriel", "avis_en_ligne", "courrier", "constat"] = "telephone"
    category: ComplaintCategory
    facts: str = Field(min_length=3)
    expectation: str | None = None
    solution: str | None = None
    status: Literal["ouverte", "en_traitement", "en_attente_satisfaction", "cloturee"] = "ouverte"
    answered_days_ago: int | None = Field(default=None, ge=0, description="When the solution reached the client.")
    closed_days_ago: int | None = Field(default=None, ge=0)
    notes: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> SeedComplaintSpec:
        answered = self.status in ("en_attente_satisfaction", "cloturee")
        if answered and (self.answered_days_ago is None or not self.solution):
            raise ValueError(f"une réclamation « {self.status} » demande solution et answered_days_ago")
        if self.answered_days_ago is not None and self.answered_days_ago > self.days_ago:
            raise ValueError("answered_days_ago : la réponse ne peut pas précéder la réception")
        if self.status == "cloturee" and self.closed_days_ago is None:
            raise ValueError("une réclamation clôturée demande closed_days_ago")
        return self


class ComplaintsFile(_File):
    complaints: list[SeedComplaintSpec]


class ProcedureFile(_File):
    procedure: ComplaintProcedure


SECTIONS: dict[str, type[_File]] = {
    "company.yaml": CompanyFile,
    "catalogue.yaml": CatalogueFile,
    "shades.yaml": ShadesFile,
    "promotions.yaml": PromotionsFile,
    "clients.yaml": ClientsFile,
    "orders.yaml": OrdersFile,
    "invoices.yaml": InvoicesFile,
    "reviews.yaml": ReviewsFile,
    "complaint_procedure.yaml": ProcedureFile,
    "complaints.yaml": ComplaintsFile,
}
"""File name → model. ``company.yaml`` is required; the others are optional."""


def reference_dir(company_id: str) -> Path:
    """The folder of a company's reference data."""
    return scenarios_dir() / company_id / "reference"


def paris_today() -> date:
    """Today's date in Paris: the default day relative dates are counted from."""
    return datetime.now(PARIS).date()


def load_company(company_id: str, *, today: date | None = None, directory: Path | None = None) -> CompanyData:
    """Load and validate a company's reference data; ``UserError`` names file, line and field.

    ``today`` is the day relative dates of the files are counted from (default: today in Paris).
    ``directory`` overrides ``scenarios/<company_id>/reference`` (tests, teachers' own data).
    """
    folder = directory if directory is not None else reference_dir(company_id)
    if not folder.is_dir():
        known = ", ".join(COMPANY_IDS)
        raise UserError(f"Entreprise « {company_id} » inconnue : dossier {folder} introuvable (connues : {known}).")
    day = today or paris_today()
    files: dict[str, Any] = {}
    paths: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        model = SECTIONS.get(path.name)
        if model is None:
            raise UserError(
                f"{path} : fichier inattendu dans les données de référence (fichiers reconnus : {', '.join(SECTIONS)})."
            )
        files[path.name] = load_yaml(path, model, context={"today": day})
        paths[path.name] = path
    if "company.yaml" not in files:
        raise UserError(f"{folder} : le fichier company.yaml (identité de l'entreprise) est obligatoire.")
    company: CompanyFile = files["company.yaml"]
    if company.id != company_id and directory is None:
        raise UserError(f"{folder / 'company.yaml'}, champ id : « {company.id} » au lieu de « {company_id} ».")
    data: dict[str, Any] = company.model_dump(exclude={"version"})
    catalogue_file: CatalogueFile | None = files.get("catalogue.yaml")
    shades_file: ShadesFile | None = files.get("shades.yaml")
    catalogue: Catalogue | None = None
    if catalogue_file is not None:
        try:
            catalogue = Catalogue(
                products=catalogue_file.products,
                shade_charts=[shades_file.chart] if shades_file else [],
                discovery_parcel=catalogue_file.discovery_parcel,
                prices_note=catalogue_file.prices_note,
            )
        except ValidationError as exc:
            # Cross-checks between products, shade charts and the discovery parcel.
            raise UserError(validation_message(display_path(paths["catalogue.yaml"]), exc)) from None
        data["catalogue"] = catalogue.model_dump()
    if "promotions.yaml" in files:
        data["promotions"] = [p.model_dump() for p in files["promotions.yaml"].promotions]
    if "clients.yaml" in files:
        data["clients"] = [c.model_dump() for c in files["clients.yaml"].clients]
    if "complaint_procedure.yaml" in files:
        data["complaint_procedure"] = files["complaint_procedure.yaml"].procedure.model_dump()
    if "orders.yaml" in files:
        if catalogue_file is None:
            raise UserError(f"{paths['orders.yaml']} : des commandes demandent un catalogue (catalogue.yaml).")
        promotions = [Promotion.model_validate(p) for p in data.get("promotions", [])]
        clients = {c.number: c for c in files["clients.yaml"].clients} if "clients.yaml" in files else {}
        data["past_orders"] = _orders(files["orders.yaml"], paths["orders.yaml"], catalogue, promotions, clients, day)
    orders_by_key = {o.seed_key: o for o in data.get("past_orders", [])}
    if "invoices.yaml" in files:
        invoices, logs = _invoices(files["invoices.yaml"], paths["invoices.yaml"], orders_by_key, day)
        data["invoices"], data["reminder_logs"] = invoices, logs
    if "complaints.yaml" in files:
        procedure = files["complaint_procedure.yaml"].procedure if "complaint_procedure.yaml" in files else None
        clients = {c.number: c for c in files["clients.yaml"].clients} if "clients.yaml" in files else {}
        data["complaints"] = _complaints(files["complaints.yaml"], paths["complaints.yaml"], clients, procedure, day)
    if "reviews.yaml" in files:
        data["reviews"] = _reviews(files["reviews.yaml"], paths["reviews.yaml"], day)
    try:
        return CompanyData.model_validate(data)
    except ValidationError as exc:
        # Cross-file checks (a promotion on an unknown reference, a duplicate client number...).
        raise UserError(validation_message(f"{folder} (vérification d'ensemble)", exc)) from None


def _at(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


class _Located:
    """Turns an error about item ``index`` of a list into « fichier, ligne N, champ liste[i] : … »."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lines: dict | None = None

    def error(self, loc: tuple, message: str) -> UserError:
        if self._lines is None:
            _, self._lines = parse_yaml_text(read_text(self.path), str(self.path))
        line = self._lines.get(loc)
        shown = display_path(self.path)
        where = f"{shown}, ligne {line}" if line else shown
        field = "".join(f"[{x}]" if isinstance(x, int) else (("." if i else "") + x) for i, x in enumerate(loc))
        message = message.rstrip(".")
        return UserError(f"{where}, champ {field} : {message[0].lower()}{message[1:]}.")


def _orders(file: OrdersFile, path: Path, catalogue, promotions, clients, today: date) -> list[Order]:
    where = _Located(path)
    orders: list[Order] = []
    keys: set[str] = set()
    for index, spec in enumerate(file.orders):
        if spec.key in keys:
            raise where.error(("orders", index, "key"), f"clé « {spec.key} » déjà utilisée")
        keys.add(spec.key)
        client = clients.get(spec.client.strip().upper())
        if client is None:
            raise where.error(("orders", index, "client"), f"client « {spec.client} » inconnu de clients.yaml")
        try:
            order = price_order(
                spec.lines,
                catalogue,
                promotions,
                client_name=client.name,
                client_company=client.company,
                client_number=client.number,
                segment=client.segment,
                now=_at(today - timedelta(days=spec.days_ago), spec.time),
                channel=spec.channel,
            )
        except DomainError as exc:
            raise where.error(("orders", index, "lines"), str(exc)) from None
        orders.append(order.model_copy(update={"status": spec.status, "seed_key": spec.key, "notes": spec.notes}))
    return orders


def _invoices(
    file: InvoicesFile, path: Path, orders: dict[str | None, Order], today: date
) -> tuple[list[Invoice], list[ReminderLog]]:
    where = _Located(path)
    invoices: list[Invoice] = []
    by_number: dict[str, Invoice] = {}
    for index, spec in enumerate(file.invoices):
        order = orders.get(spec.order_key)
        if order is None:
            raise where.error(("invoices", index, "order_key"), f"commande « {spec.order_key} » inconnue de orders.yaml")
        if not order.payment_terms.on_credit:
            raise where.error(
                ("invoices", index, "order_key"),
                f"la commande « {spec.order_key} » est payée comptant : pas de facture à échéance",
            )
        issued = order.created_at.astimezone(PARIS).date()
        try:
            draft = Invoice(
                number=spec.number,
                client_number=order.client_number,
                issued_on=issued,
                amount_ht=order.total_ht,
                amount_ttc=order.total_ttc,
                method=spec.method,
                order_key=spec.order_key,
                lcr_returned=spec.lcr_returned,
                notes=spec.notes,
            )
            payments = []
            for p_index, pay in enumerate(spec.payments):
                on = pay.resolve(draft.due_on, today)
                if on > today or on < issued:
                    raise where.error(
                        ("invoices", index, "payments", p_index),
                        f"le règlement tombe le {on:%d/%m/%Y}, hors de la période facture–aujourd'hui",
                    )
                already = sum((p.amount for p in payments), Decimal("0"))
                amount = draft.amount_ttc - already if pay.amount == "solde" else pay.amount
                payments.append(Payment(on=on, amount=amount, method=pay.method))
            invoice = draft.model_copy(update={"payments": payments})
            Invoice.model_validate(invoice.model_dump())
        except ValidationError as exc:
            raise where.error(("invoices", index), validation_message("", exc).split(" : ", 1)[-1]) from None
        invoices.append(invoice)
        by_number[invoice.number] = invoice
    logs: list[ReminderLog] = []
    for index, spec in enumerate(file.reminders):
        invoice = by_number.get(spec.invoice.strip().upper())
        if invoice is None:
            raise where.error(("reminders", index, "invoice"), f"facture « {spec.invoice} » inconnue")
        on = spec.resolve(invoice.due_on, today)
        if on > today:
            raise where.error(
                ("reminders", index),
                f"cette relance tomberait le {on:%d/%m/%Y}, après aujourd'hui : augmentez l'ancienneté de la facture",
            )
        promised = None
        if spec.promised_in_days is not None:
            promised = today + timedelta(days=spec.promised_in_days)
        elif spec.promised_after_due_days is not None:
            promised = invoice.due_on + timedelta(days=spec.promised_after_due_days)
        try:
            logs.append(
                ReminderLog(
                    invoice_number=invoice.number,
                    client_number=invoice.client_number,
                    stage=spec.stage,
                    at=_at(on, spec.time),
                    outcome=spec.outcome,
                    promised_payment_date=promised,
                    promised_method=spec.promised_method,
                    contact_person=spec.contact_person,
                    notes=spec.notes,
                )
            )
        except ValidationError as exc:
            raise where.error(("reminders", index), validation_message("", exc).split(" : ", 1)[-1]) from None
    return invoices, logs


def _reviews(file: ReviewsFile, path: Path, today: date) -> list[Review]:
    where = _Located(path)
    reviews = []
    for index, spec in enumerate(file.reviews):
        try:
            reviews.append(
                Review(
                    id=spec.id,
                    region=spec.region,
                    posted_on=today - timedelta(days=spec.posted_days_ago),
                    text=spec.text,
                    sentiment=spec.sentiment,
                    product_related=spec.product_related,
                    client_number=spec.client,
                    source=spec.source,
                )
            )
        except ValidationError as exc:
            raise where.error(("reviews", index), validation_message("", exc).split(" : ", 1)[-1]) from None
    return reviews


def _complaints(file: ComplaintsFile, path: Path, clients: dict, procedure, today: date) -> list[Complaint]:
    """Complaints on file, built through the domain's life cycle (so that their states are reachable)."""
    where = _Located(path)
    complaints: list[Complaint] = []
    keys: set[str] = set()
    for index, spec in enumerate(file.complaints):
        if spec.key in keys:
            raise where.error(("complaints", index, "key"), f"clé « {spec.key} » déjà utilisée")
        keys.add(spec.key)
        client = clients.get(spec.client.strip().upper())
        if client is None:
            raise where.error(("complaints", index, "client"), f"client « {spec.client} » inconnu de clients.yaml")
        received = _at(today - timedelta(days=spec.days_ago), spec.time)
        try:
            complaint = open_complaint(
                category=spec.category,
                received_at=received,
                channel=spec.channel,
                client_name=client.name,
                client_number=client.number,
                client_company=client.company,
                facts=spec.facts,
                expectation=spec.expectation,
                solution=spec.solution,
                procedure=procedure,
            )
            if spec.status != "ouverte":
                complaint = complaint.qualify(True, procedure=procedure)
            if spec.answered_days_ago is not None and spec.status != "en_traitement":
                complaint = complaint.answer(_at(today - timedelta(days=spec.answered_days_ago), spec.time))
            if spec.status == "cloturee":
                closed = _at(today - timedelta(days=spec.closed_days_ago or 0), spec.time)
                complaint = complaint.record_satisfaction(True, closed, procedure=procedure)
        except (DomainError, ValidationError) as exc:
            raise where.error(("complaints", index), str(exc)) from None
        complaints.append(complaint.model_copy(update={"seed_key": spec.key}))
    return complaints
