"""Seeding the ERP with each company's reference data (idempotent).

Decisions:

- Reference data (catalogue, shades, promotions, client files) follows the YAML files: a second run
  updates what changed there and leaves everything else alone; with unchanged files it changes
  nothing.
- History (past orders, invoices, reminders already made, reviews) is inserted once, identified by a
  stable key (order ``key``, invoice number, review id, reminder = invoice/stage/occurrence), and
  never rewritten: the classes' work on it stays.
- Relative dates of the files ("issued 70 days ago") count from the day the company was first
  seeded in this database, stored in ``companies.seeded_at``: seeding again on a later day finds the
  same history instead of a shifted copy.
- Several processes may seed at once (a class starting together): the work is serialised by the
  writing transaction (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from trainer.domain.common import PARIS
from trainer.domain.company import CompanyData
from trainer.store import mapping
from trainer.store.core import Store
from trainer.store.numbering import bump_to_at_least, next_number
from trainer.store.repositories import log_reminder, save_order
from trainer.store.schema import lock_for_schema_work
from trainer.store.tables import (
    ClientRow,
    CompanyRow,
    ComplaintRow,
    ComplaintStatusRow,
    InvoiceRow,
    OrderRow,
    ProductRow,
    PromotionRow,
    ReminderRow,
    ReviewRow,
    ShadeChartRow,
    ShadeRow,
)

KNOWN_COMPANIES = ("generik", "servfamilles")
"""The companies of the project; ``available_companies()`` finds any other one a teacher adds."""

CompanyLoader = Callable[[str, date], CompanyData]


def default_loader(company_id: str, today: date) -> CompanyData:
    """``trainer.content.company.load_company`` (imported here to keep ``trainer.store`` light)."""
    from trainer.content.company import load_company

    return load_company(company_id, today=today)


@dataclass
class SeedReport:
    """What one seeding run did for one company: counts of rows added and updated per kind."""

    company: str
    name: str
    reference_day: date
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int = 1) -> None:
        self.added[kind] = self.added.get(kind, 0) + n

    def update(self, kind: str, n: int = 1) -> None:
        self.updated[kind] = self.updated.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "company": self.company,
            "name": self.name,
            "reference_day": self.reference_day.isoformat(),
            "added": dict(sorted(self.added.items())),
            "updated": dict(sorted(self.updated.items())),
        }

    def sentence(self) -> str:
        """One French line for ``trainer db seed``."""
        if not self.changed:
            return f"{self.name} : données de référence déjà à jour (rien à changer)."
        parts = [f"{n} {KIND_LABELS.get(k, k)}" for k, n in sorted(self.added.items())]
        text = f"{self.name} : ajouté {', '.join(parts)}" if parts else f"{self.name} :"
        if self.updated:
            upd = ", ".join(f"{n} {KIND_LABELS.get(k, k)}" for k, n in sorted(self.updated.items()))
            text += ("; " if parts else " ") + f"mis à jour {upd}"
        return text + "."


PRICING_KINDS = ("products", "shade_charts", "shades", "promotions")
"""What ``companies.reference_version`` versions: everything an order is priced with."""

KIND_LABELS = {
    "clients": "client(s)",
    "products": "produit(s)",
    "shade_charts": "nuancier(s)",
    "shades": "nuance(s)",
    "promotions": "promotion(s)",
    "orders": "commande(s) passée(s)",
    "invoices": "facture(s)",
    "reminders": "relance(s) déjà faite(s)",
    "reviews": "avis",
    "complaints": "réclamation(s) en cours ou passée(s)",
    "company": "fiche entreprise",
}


def available_companies() -> list[str]:
    """Companies that have reference data: ``scenarios/<id>/reference/company.yaml`` exists."""
    from trainer.paths import scenarios_dir

    root = scenarios_dir()
    found = sorted(p.parent.parent.name for p in root.glob("*/reference/company.yaml"))
    # The project's own companies first, in their usual order.
    return [c for c in KNOWN_COMPANIES if c in found] + [c for c in found if c not in KNOWN_COMPANIES]


def seeded_companies(session: Session) -> dict[str, CompanyRow]:
    """Companies already seeded in this database."""
    return {row.id: row for row in session.execute(select(CompanyRow)).scalars()}


def seed_companies(
    store: Store,
    *,
    companies: Iterable[str] | None = None,
    now: datetime | None = None,
    loader: CompanyLoader = default_loader,
) -> list[SeedReport]:
    """Seed the companies (default: every company with reference data) in ONE transaction.

    Every company's files are loaded and validated before anything is written: one bad file and
    the database is left as it was.
    """
    moment = now or datetime.now(PARIS)
    wanted = list(dict.fromkeys(companies)) if companies else available_companies()
    with store.read() as session:
        present = seeded_companies(session)
    loaded = []
    for company_id in wanted:
        existing = present.get(company_id)
        day = existing.seeded_at.astimezone(PARIS).date() if existing else moment.astimezone(PARIS).date()
        loaded.append((loader(company_id, day), day))

    def work(session: Session) -> list[SeedReport]:
        lock_for_schema_work(session.connection())
        return [seed_company(session, data=data, reference_day=day, now=moment) for data, day in loaded]

    return store.run(work)


def seed_company(session: Session, *, data: CompanyData, reference_day: date, now: datetime) -> SeedReport:
    """Upsert one company's reference data in the current transaction (see the module's decisions)."""
    report = SeedReport(company=data.id, name=data.facts.name, reference_day=reference_day)
    company = session.get(CompanyRow, data.id)
    if company is None:
        anchor = datetime.combine(reference_day, now.astimezone(PARIS).timetz())
        session.add(CompanyRow(id=data.id, name=data.facts.name, seeded_at=anchor, reference_version=1))
        session.flush()
        report.add("company")
    elif company.name != data.facts.name:
        company.name = data.facts.name
        report.update("company")
    if data.catalogue is not None:
        _seed_catalogue(session, data, report)
    _seed_promotions(session, data, report)
    if company is not None and any(k in report.added or k in report.updated for k in PRICING_KINDS):
        # Processes that cached the catalogue and promotions see the new version and reload them.
        company.reference_version += 1
    client_ids = _seed_clients(session, data, report, now)
    order_ids = _seed_orders(session, data, report, client_ids)
    _seed_invoices(session, data, report, client_ids, order_ids)
    _seed_reviews(session, data, report, client_ids)
    _seed_complaints(session, data, report, client_ids)
    session.flush()
    return report


def _changed(row: Any, values: dict[str, Any]) -> bool:
    dirty = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            dirty = True
    return dirty


def _seed_catalogue(session: Session, data: CompanyData, report: SeedReport) -> None:
    catalogue = data.catalogue
    assert catalogue is not None
    charts = {
        row.id: row
        for row in session.execute(select(ShadeChartRow).options(selectinload(ShadeChartRow.shades))).scalars()
    }
    for chart in catalogue.shade_charts:
        row = charts.get(chart.id)
        if row is None:
            row = ShadeChartRow(id=chart.id, company_id=data.id, label=chart.label)
            session.add(row)
            report.add("shade_charts")
        elif _changed(row, {"label": chart.label}):
            report.update("shade_charts")
        by_code = {s.code: s for s in row.shades}
        for position, shade in enumerate(chart.shades, start=1):
            values = {"position": position, "name": shade.name, "level": shade.level, "invented": shade.invented}
            existing = by_code.get(shade.code)
            if existing is None:
                row.shades.append(ShadeRow(code=shade.code, **values))
                report.add("shades")
            elif _changed(existing, values):
                report.update("shades")
        session.flush()
    products = {
        row.reference: row
        for row in session.execute(select(ProductRow).where(ProductRow.company_id == data.id)).scalars()
    }
    for position, product in enumerate(catalogue.products, start=1):
        values = mapping.product_values(product, position)
        row = products.get(product.reference)
        if row is None:
            session.add(ProductRow(reference=product.reference, company_id=data.id, **values))
            report.add("products")
        elif _changed(row, values):
            report.update("products")
    session.flush()


def _seed_promotions(session: Session, data: CompanyData, report: SeedReport) -> None:
    rows = {
        row.id: row
        for row in session.execute(
            select(PromotionRow)
            .where(PromotionRow.company_id == data.id)
            .options(selectinload(PromotionRow.tiers), selectinload(PromotionRow.products))
        ).scalars()
    }
    for position, promo in enumerate(data.promotions, start=1):
        row = rows.get(promo.id)
        if row is None:
            session.add(mapping.promotion_rows(promo, data.id, position))
            report.add("promotions")
        elif row.position != position or mapping.promotion_differs(row, promo):
            # Tiers and references are replaced as a whole: flush the deletions first.
            row.tiers = []
            row.products = []
            session.flush()
            mapping.fill_promotion_row(row, promo, position)
            report.update("promotions")
    session.flush()


def _seed_clients(session: Session, data: CompanyData, report: SeedReport, now: datetime) -> dict[str, int]:
    rows = {row.number: row for row in session.execute(select(ClientRow)).scalars()}
    for client in data.clients:
        assert client.number is not None
        values = mapping.client_values(client)
        row = rows.get(client.number)
        if row is None:
            row = ClientRow(number=client.number, company_id=data.id, created_at=now, **values)
            session.add(row)
            rows[client.number] = row
            report.add("clients")
        elif row.company_id != data.id:
            from trainer.domain.errors import DomainError

            raise DomainError(
                f"Le numéro client {client.number} de « {data.id} » est déjà celui d'un client de « {row.company_id} »."
            )
        elif _changed(row, values):
            report.update("clients")
        bump_to_at_least(session, number=client.number)
    session.flush()
    return {number: row.id for number, row in rows.items()}


def _seed_orders(session: Session, data: CompanyData, report: SeedReport, client_ids: dict[str, int]) -> dict[str, int]:
    existing = {
        key: oid
        for key, oid in session.execute(select(OrderRow.seed_key, OrderRow.id).where(OrderRow.seed_key.is_not(None)))
    }
    # Oldest first, so that numbers follow the dates.
    for order in sorted(data.past_orders, key=lambda o: (o.created_at, o.seed_key or "")):
        if order.seed_key in existing:
            continue
        saved = save_order(session, order=order, company_id=data.id)
        row_id = session.execute(select(OrderRow.id).where(OrderRow.number == saved.number)).scalar_one()
        existing[order.seed_key or ""] = row_id
        report.add("orders")
    return existing


def _seed_invoices(
    session: Session,
    data: CompanyData,
    report: SeedReport,
    client_ids: dict[str, int],
    order_ids: dict[str, int],
) -> None:
    invoices = {row.number: row for row in session.execute(select(InvoiceRow)).scalars()}
    for invoice in data.invoices:
        if invoice.number not in invoices:
            row = mapping.invoice_row(
                invoice,
                company_id=data.id,
                client_id=client_ids[invoice.client_number],
                order_id=order_ids.get(invoice.order_key) if invoice.order_key else None,
            )
            session.add(row)
            invoices[invoice.number] = row
            report.add("invoices")
        bump_to_at_least(session, number=invoice.number)
    session.flush()
    seen_keys = set(session.execute(select(ReminderRow.seed_key).where(ReminderRow.seed_key.is_not(None))).scalars())
    occurrences: dict[tuple[str, str], int] = {}
    for log in sorted(data.reminder_logs, key=lambda r: r.at):
        occurrence = occurrences.get((log.invoice_number, log.stage), 0) + 1
        occurrences[(log.invoice_number, log.stage)] = occurrence
        key = f"{log.invoice_number}/{log.stage}/{occurrence}"
        if key in seen_keys:
            continue
        log_reminder(session, log=log, seed_key=key)
        report.add("reminders")


def _seed_reviews(session: Session, data: CompanyData, report: SeedReport, client_ids: dict[str, int]) -> None:
    keys = set(session.execute(select(ReviewRow.key)).scalars())
    for review in data.reviews:
        if review.id in keys:
            continue
        client_id = client_ids.get(review.client_number) if review.client_number else None
        session.add(mapping.review_row(review, company_id=data.id, client_id=client_id))
        report.add("reviews")
    session.flush()


def _seed_complaints(session: Session, data: CompanyData, report: SeedReport, client_ids: dict[str, int]) -> None:
    keys = set(session.execute(select(ComplaintRow.seed_key).where(ComplaintRow.seed_key.is_not(None))).scalars())
    # Oldest first, so that numbers follow the dates.
    for complaint in sorted(data.complaints, key=lambda c: (c.received_at, c.seed_key or "")):
        if complaint.seed_key in keys:
            continue
        number = next_number(session, prefix="REC", on=complaint.received_on)
        client_id = client_ids.get(complaint.client_number) if complaint.client_number else None
        row = mapping.complaint_row(
            complaint, number=number, company_id=data.id, client_id=client_id, now=complaint.received_at
        )
        # Its history as it happened: created open, then answered, then closed.
        history = [ComplaintStatusRow(at=complaint.received_at, from_status=None, to_status="ouverte",
                                      note="Fiche créée")]
        steps = [("en_traitement", complaint.received_at, "Réclamation recevable")]
        if complaint.answered_on is not None:
            steps.append(("en_attente_satisfaction", _on(complaint.answered_on, complaint), "Solution apportée"))
        if complaint.closed_on is not None:
            steps.append(("cloturee", _on(complaint.closed_on, complaint), "Client satisfait"))
        for status, at, note in steps if complaint.status.value != "ouverte" else []:
            history.append(ComplaintStatusRow(at=at, from_status=history[-1].to_status, to_status=status, note=note))
            if status == complaint.status.value:
                break
        row.history = history
        session.add(row)
        report.add("complaints")
    session.flush()


def _on(day: date, complaint: Any) -> datetime:
    return datetime.combine(day, complaint.received_at.astimezone(PARIS).timetz())


def ensure_ready(url: str | None = None, *, now: datetime | None = None, loader: CompanyLoader = default_loader) -> Store:
    """Open the database and make it usable: schema up to date, every company seeded.

    What the TUI (and ``trainer play``) call first: the embedded SQLite file is created, migrated
    and seeded the first time ``trainer`` opens on it; later calls only check the revision and find
    the companies there. A database written by a newer trainer is refused (``SetupError``).
    """
    from trainer.store.core import open_store

    store = open_store(url)
    try:
        if store.needs_upgrade():
            store.init_schema()
        with store.read() as session:
            present = set(seeded_companies(session))
        missing = [c for c in available_companies() if c not in present]
        if missing:
            seed_companies(store, companies=missing, now=now, loader=loader)
    except BaseException:
        store.dispose()
        raise
    return store
