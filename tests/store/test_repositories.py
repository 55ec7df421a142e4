"""Repositories: what the ERP reads and writes, checked against the domain's pure rules."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from store_helpers import NOW, cached_company

from trainer.domain.clients import Client, Contact
from trainer.domain.complaints import open_complaint
from trainer.domain.contacts import ContactLogEntry
from trainer.domain.errors import DomainError
from trainer.domain.invoices import ReminderLog
from trainer.domain.messages import Message
from trainer.domain.orders import price_order
from trainer.store import repositories as repo


def test_find_clients_by_fragment_ignoring_accents_case_and_spaces(seeded) -> None:
    with seeded.read() as session:
        assert [c.number for c in repo.find_clients(session, text="delmotte")] == ["CLI-00042"]
        assert [c.number for c in repo.find_clients(session, text="DOMINIQUE coiffure")] == ["CLI-00042"]
        assert [c.number for c in repo.find_clients(session, text="06 39 98 00 42")] == ["CLI-00042"]
        assert [c.number for c in repo.find_clients(session, text="cli-00042")] == ["CLI-00042"]
        eric = repo.find_clients(session, text="eric lefebvre")
        assert [c.name for c in eric] == ["Éric Lefebvre"]
        wholesalers = repo.find_clients(session, segment="grossiste")
        assert wholesalers and all(c.segment == "grossiste" for c in wholesalers)
        assert repo.find_clients(session, text="zzz-nobody") == []
        assert repo.find_clients(session, text="100%_") == []  # LIKE wildcards are taken literally


def test_create_client_takes_the_next_number(seeded) -> None:
    new = Client(
        name="Sophie Martin",
        civility="Mme",
        company="Salon Sophie",
        segment="salon_independant",
        region="Nouvelle-Aquitaine",
        status="prospect",
        contact=Contact(phone="05 36 49 99 01"),
    )
    with seeded.unit_of_work() as session:
        created = repo.create_client(session, client=new, company_id="generik", now=NOW)
    with seeded.read() as session:
        numbers = sorted(c.number for c in repo.find_clients(session))
        assert created.number == numbers[-1]
        assert repo.find_client(session, number=created.number) == created
        assert [c.number for c in repo.find_clients(session, text="salon sophie")] == [created.number]


@pytest.mark.parametrize(
    ("quantities", "rate"),
    [((10, 9), "0"), ((10, 10), "0.10"), ((24, 23), "0.10"), ((24, 24), "0.20"), ((40, 31), "0.20"), ((36, 36), "0.30")],
)
def test_orders_are_priced_by_the_promotion_across_shades(seeded, quantities, rate) -> None:
    lines = [
        {"reference": "GNK-CCS-100", "shade": "6.4", "quantity": quantities[0]},
        {"reference": "GNK-CCS-100", "shade": "7.44", "quantity": quantities[1]},
        {"reference": "GNK-CCA-100", "shade": "6.4", "quantity": 30},
    ]
    with seeded.unit_of_work() as session:
        order = repo.create_order(session, client_number="CLI-00001", lines=lines, now=NOW)
    generik = cached_company("generik", NOW.date())
    client = generik.client("CLI-00001")
    expected = price_order(
        lines, generik.catalogue, generik.promotions, client_name=client.name, segment=client.segment, now=NOW
    )
    assert order.number == f"CMD-{NOW.year}-{len(generik.past_orders) + 1:06d}"
    assert [line.discount_rate for line in order.lines] == [Decimal(rate), Decimal(rate), Decimal("0")]
    assert (order.total_ht, order.total_tva, order.total_ttc) == (expected.total_ht, expected.total_tva, expected.total_ttc)
    with seeded.read() as session:
        stored = repo.find_order(session, number=order.number)
    assert stored == order


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"reference": "GNK-SHA-1000", "quantity": 0}, "au moins 1"),
        ({"reference": "GNK-SHA-1000", "quantity": -4}, "au moins 1"),
        ({"reference": "GNK-SHA-1000", "quantity": 10_000_000}, "9 999"),
        ({"reference": "GNK-SHA-1000", "quantity": "douze"}, "n'est pas une quantité"),
        ({"reference": "GNK-ZZZ-100", "quantity": 2}, "n'existe pas dans le catalogue"),
        ({"reference": "GNK-CCS-100", "shade": "6.9", "quantity": 2}, "nuance 6.9 n'existe pas"),
        ({"reference": "GNK-CCS-100", "quantity": 2}, "précisez la nuance"),
    ],
)
def test_bad_order_lines_write_nothing(seeded, line, words) -> None:
    with seeded.read() as session:
        before = repo.count_rows(session)
    good = {"reference": "GNK-OXC-1000", "quantity": 2}
    with pytest.raises(DomainError, match=words) as info, seeded.unit_of_work() as session:
        repo.create_order(session, client_number="CLI-00001", lines=[good, line], now=NOW)
    assert str(info.value).startswith("Ligne 2 : ")
    with seeded.read() as session:
        assert repo.count_rows(session) == before
    # And the number was not used.
    with seeded.unit_of_work() as session:
        order = repo.create_order(session, client_number="CLI-00001", lines=[good], now=NOW)
    generik = cached_company("generik", NOW.date())
    assert order.number == f"CMD-{NOW.year}-{len(generik.past_orders) + 1:06d}"


def test_unknown_client_is_refused(seeded) -> None:
    with pytest.raises(DomainError, match="Aucun client"), seeded.unit_of_work() as session:
        repo.create_order(session, client_number="CLI-99999", lines=[{"reference": "GNK-SHA-1000", "quantity": 1}], now=NOW)


def _complaint(category: str, received, client: str = "CLI-00042"):
    generik = cached_company("generik", NOW.date())
    c = generik.client(client)
    return open_complaint(
        category=category,
        received_at=received,
        channel="telephone",
        client_name=c.name,
        client_number=c.number,
        client_company=c.company,
        facts="Boîtes de tubes écrasées à la livraison.",
        procedure=generik.complaint_procedure,
    )


def test_complaints_are_numbered_and_listed_late_first(seeded) -> None:
    friday = NOW - timedelta(days=10)  # received ten days ago: its J+1 deadline is long past
    with seeded.read() as session:
        on_file = len(repo.list_complaints(session, today=NOW.date()))  # open reference complaints
    with seeded.unit_of_work() as session:
        recent = repo.create_complaint(
            session, complaint=_complaint("technique_qualite", NOW), company_id="generik", now=NOW
        )
        late = repo.create_complaint(
            session, complaint=_complaint("livraison_erreur_preparation", friday), company_id="generik", now=NOW
        )
    # Numbers follow the complaints already on file (closed ones included), in the order written.
    first = int(recent.number.rsplit("-", 1)[1])
    assert first > on_file and recent.number == f"REC-{NOW.year}-{first:06d}"
    assert late.number == f"REC-{friday.year}-{first + 1:06d}"
    with seeded.read() as session:
        listed = repo.list_complaints(session, today=NOW.date())
    numbers = [c.complaint.number for c in listed]
    assert len(numbers) == on_file + 2
    # Overdue first: the late one comes before the recent one, and every overdue one before any other.
    assert numbers.index(late.number) < numbers.index(recent.number)
    overdue = [c.overdue for c in listed]
    assert overdue == sorted(overdue, reverse=True)
    late_row = listed[numbers.index(late.number)]
    recent_row = listed[numbers.index(recent.number)]
    assert late_row.overdue and late_row.days_late > 0
    assert not recent_row.overdue
    assert late_row.complaint.checklist == late.checklist and late.checklist
    assert late_row.complaint.customer_deadline == late.customer_deadline


def test_messages_reminders_and_contact_log(seeded) -> None:
    generik = cached_company("generik", NOW.date())
    today = NOW.date()
    with seeded.read() as session:
        due = repo.reminders_due_on(session, today=today)
    first = next(d for d in due if d.stage == "email")
    with seeded.unit_of_work() as session:
        msg = repo.create_message(
            session,
            message=Message(**{"for": "M. Mocher"}, caller_name="Paul Durand", caller_company="Coiff'Avenir",
                            callback_number="0612345678", subject="Rendez-vous", callback_when="demain 10 h",
                            taken_at=NOW),
            company_id="generik",
        )
        log = repo.log_reminder(
            session,
            log=ReminderLog(invoice_number=first.invoice_number, client_number=first.client_number, stage="email",
                            at=NOW, outcome="injoignable"),
        )
        repo.log_contact(
            session,
            entry=ContactLogEntry(client_number=first.client_number, at=NOW, channel="courriel", direction="sortant",
                                  purpose="relance", summary="Courriel de première relance.", reference=log.id),
        )
    assert msg.id == f"MSG-{NOW.year}-000001"
    assert log.id == f"REL-{NOW.year}-{len(generik.reminder_logs) + 1:06d}"
    with seeded.read() as session:
        after = repo.reminders_due_on(session, today=today)
        history = repo.contact_history(session, client_number=first.client_number)
        messages = repo.list_messages(session)
    assert first.invoice_number not in {d.invoice_number for d in after if d.stage == "email"}
    assert history[0].reference == log.id
    assert messages[0].callback_number == "06 12 34 56 78"


def test_reminder_on_someone_elses_invoice_is_refused(seeded) -> None:
    generik = cached_company("generik", NOW.date())
    invoice = generik.invoices[0]
    other = next(c.number for c in generik.clients if c.number != invoice.client_number)
    with pytest.raises(DomainError, match="est celle du client"), seeded.unit_of_work() as session:
        repo.log_reminder(
            session,
            log=ReminderLog(invoice_number=invoice.number, client_number=other, stage="email", at=NOW,
                            outcome="injoignable"),
        )
