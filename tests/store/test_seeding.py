"""Seeding: the companies' reference data in the database, idempotent, all or nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from store_helpers import NOW, cached_company, invoke

from trainer.domain.invoices import aged_balance, reminders_due
from trainer.errors import UserError
from trainer.store import ensure_ready, open_store
from trainer.store import repositories as repo
from trainer.store.numbering import next_number
from trainer.store.seeding import available_companies, seed_companies
from trainer.store.tables import ClientRow, InvoiceRow, OrderRow, ProductRow, ShadeRow


def _dump(store) -> dict:
    """Every row of every table, as plain tuples: what "changes nothing" compares."""
    from trainer.store.tables import Base

    out = {}
    with store.engine.connect() as conn:
        for name, table in sorted(Base.metadata.tables.items()):
            out[name] = sorted(tuple(str(v) for v in row) for row in conn.execute(select(table)))
    return out


def test_seed_loads_the_reference_data(seeded) -> None:
    generik = cached_company("generik", NOW.date())
    with seeded.read() as session:
        counts = repo.count_rows(session)
        catalogue = repo.load_catalogue(session, company_id="generik")
        delmotte = repo.find_client(session, number="CLI-00042")
        promotions = repo.load_promotions(session, company_id="generik")
    assert counts["products"] == 7
    assert counts["shades"] == 72
    assert counts["clients"] >= len(generik.clients) >= 30
    assert counts["orders"] == len(generik.past_orders)
    assert counts["invoices"] == len(generik.invoices)
    assert counts["reminders"] == len(generik.reminder_logs)
    assert catalogue == generik.catalogue.model_copy(update={"discovery_parcel": None, "prices_note": None})
    assert promotions == generik.promotions
    assert delmotte is not None and delmotte.company == "Dominique coiffure à domicile"
    assert delmotte == generik.client("CLI-00042")


def test_seeded_history_gives_what_the_domain_computes(seeded) -> None:
    """Reminders due and the aged balance read from the database equal the pure functions' results."""
    generik = cached_company("generik", NOW.date())
    today = NOW.date()
    with seeded.read() as session:
        due = repo.reminders_due_on(session, today=today, company_id="generik")
        aged = repo.aged_balance_on(session, today=today, company_id="generik")
        orders = repo.list_orders(session, company_id="generik")
    assert due == reminders_due(generik.invoices, today, generik.reminder_logs)
    assert due, "the reference data always has reminders due on the seeding day"
    assert aged == aged_balance(generik.invoices, today)
    by_key = {o.seed_key: o for o in orders}
    for past in generik.past_orders:
        stored = by_key[past.seed_key]
        assert stored.total_ttc == past.total_ttc
        assert stored.lines == past.lines
    # Numbers follow the order dates.
    ordered = sorted(orders, key=lambda o: o.number)
    assert [o.created_at for o in ordered] == sorted(o.created_at for o in orders)


def test_seeding_twice_changes_nothing(seeded) -> None:
    before = _dump(seeded)
    reports = seed_companies(seeded, now=NOW, loader=cached_company)
    assert all(not r.changed for r in reports)
    assert _dump(seeded) == before


def test_seeding_again_on_a_later_day_keeps_the_first_history(seeded) -> None:
    before = _dump(seeded)
    later = NOW + timedelta(days=40)
    reports = seed_companies(seeded, now=later, loader=cached_company)
    assert all(r.reference_day == NOW.date() for r in reports)
    assert all(not r.changed for r in reports)
    assert _dump(seeded) == before


def test_reference_changes_are_applied_and_history_kept(seeded) -> None:
    def cheaper(company_id, today):
        data = cached_company(company_id, today)
        if company_id != "generik":
            return data
        products = [
            p.model_copy(update={"unit_price_ht": Decimal("4.10")}) if p.reference == "GNK-CCS-100" else p
            for p in data.catalogue.products
        ]
        return data.model_copy(update={"catalogue": data.catalogue.model_copy(update={"products": products})})

    with seeded.read() as session:
        orders_before = repo.list_orders(session)
    reports = seed_companies(seeded, now=NOW, loader=cheaper)
    assert reports[0].updated == {"products": 1}
    with seeded.read() as session:
        price = session.execute(
            select(ProductRow.unit_price_ht).where(ProductRow.reference == "GNK-CCS-100")
        ).scalar_one()
        assert price == Decimal("4.10")
        assert repo.list_orders(session) == orders_before


def test_a_bad_company_file_writes_nothing(store) -> None:
    def broken(company_id, today):
        if company_id == "servfamilles":
            raise UserError("scenarios/servfamilles/reference/company.yaml, ligne 3, champ facts : requis")
        return cached_company(company_id, today)

    with pytest.raises(UserError, match="ligne 3"):
        seed_companies(store, companies=["generik", "servfamilles"], now=NOW, loader=broken)
    with store.read() as session:
        assert sum(repo.count_rows(session).values()) == 0


def test_client_numbers_continue_after_the_seeded_ones(seeded) -> None:
    with seeded.read() as session:
        highest = max(session.execute(select(ClientRow.number)).scalars())
    with seeded.unit_of_work() as session:
        new = next_number(session, prefix="CLI")
    assert int(new[4:]) == int(highest[4:]) + 1


def test_seed_command_is_idempotent_through_the_cli(db_url: str) -> None:
    first = invoke("db", "seed", "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert "GENERIK : ajouté" in first.stdout
    second = invoke("db", "seed", "--db", db_url)
    assert second.returncode == 0, second.stderr
    assert second.stdout.count("déjà à jour") == len(available_companies())


def test_ensure_ready_prepares_the_embedded_database_once() -> None:
    store = ensure_ready(None, now=NOW, loader=cached_company)
    try:
        assert store.url.endswith("trainer.db")
        with store.read() as session:
            counts = repo.count_rows(session)
        assert counts["products"] == 7 and counts["invoices"] > 0
    finally:
        store.dispose()
    again = ensure_ready(None, now=NOW + timedelta(days=1), loader=cached_company)
    try:
        with again.read() as session:
            assert repo.count_rows(session) == counts
    finally:
        again.dispose()


def test_invoices_keep_their_link_to_the_order(seeded) -> None:
    with seeded.read() as session:
        rows = session.execute(select(InvoiceRow.number, OrderRow.total_ttc, InvoiceRow.amount_ttc)
                               .join(OrderRow, InvoiceRow.order_id == OrderRow.id)).all()
        n_invoices = session.execute(select(InvoiceRow)).scalars().all()
        shades = session.execute(select(ShadeRow)).scalars().all()
    assert len(rows) == len(n_invoices)
    assert all(order_ttc == amount for _, order_ttc, amount in rows)
    assert len({s.code for s in shades}) == 72
    _ = open_store  # the public entry points are importable from trainer.store
