"""A call's outcome committed in one transaction: numbers, links, records, and nothing on failure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import NOW, cached_company

from trainer.domain.erp_draft import (
    ClientDraft,
    ComplaintDraft,
    ErpDraft,
    LineDraft,
    MessageDraft,
    ReminderDraft,
    build_from_draft,
)
from trainer.domain.errors import DomainError
from trainer.domain.records import CallRecords
from trainer.store import repositories as repo
from trainer.store.outcome import record_call_outcome


def _result(draft: ErpDraft, store=None, **kwargs):
    company = cached_company("generik", NOW.date())
    if store is not None:
        with store.read() as session:
            kwargs.setdefault("invoices", repo.list_invoices(session))
            kwargs.setdefault("reminder_logs", repo.list_reminder_logs(session))
    return build_from_draft(draft, company, NOW, **kwargs)


def test_new_client_and_order(seeded) -> None:
    draft = ErpDraft(
        client=ClientDraft(name="Sophie Martin", civility="Madame", company="Salon Sophie", segment="salon_independant",
                           region="Nouvelle-Aquitaine", phone="05 36 49 99 02"),
        lines=[LineDraft(reference="GNK-CCS-100", shade="6.4", quantity=24),
               LineDraft(reference="GNK-CCS-100", shade="7.44", quantity=24),
               LineDraft(reference="GNK-SHA-1000", quantity=1)],
    )
    result = _result(draft)
    assert result.ok, result.errors
    with seeded.unit_of_work() as session:
        done = record_call_outcome(session, result=result, company_id="generik", now=NOW)
    assert done.client_created and done.client.number.startswith("CLI-")
    assert done.order.client_number == done.client.number
    records = done.records_json()
    assert [r["kind"] for r in records] == ["order"]
    order = records[0]
    assert order["id"] == done.order.number
    assert order["client"]["number"] == done.client.number
    assert [line["discount_rate"] for line in order["lines"]] == ["0.20", "0.20", "0.00"]
    assert order["payment_terms"] == "comptant"
    CallRecords.model_validate({"records": records})  # the CONTRACT §4 shape
    with seeded.read() as session:
        client = repo.find_client(session, number=done.client.number)
        history = repo.contact_history(session, client_number=done.client.number)
        stored = repo.find_order(session, number=done.order.number)
    assert client.name == "Sophie Martin" and client.status == "client"
    assert [h.reference for h in history] == [done.order.number]
    assert stored.total_ttc == result.order.total_ttc


def test_a_prospects_first_order_makes_them_a_client(seeded) -> None:
    with seeded.read() as session:
        prospect = repo.find_clients(session, status="prospect")[0]
    result = _result(ErpDraft(client=ClientDraft(number=prospect.number),
                              lines=[LineDraft(reference="GNK-MFX-200", quantity=6)]))
    assert result.ok, result.errors
    with seeded.unit_of_work() as session:
        record_call_outcome(session, result=result, company_id="generik", now=NOW)
    with seeded.read() as session:
        assert repo.find_client(session, number=prospect.number).status == "client"


def test_complaint_message_and_reminder_records(seeded) -> None:
    complaint = _result(ErpDraft(
        client=ClientDraft(number="CLI-00042"),
        complaint=ComplaintDraft(category="livraison_avarie", facts="Boîtes de tubes écrasées sous les flacons.",
                                 solution="Nouvel envoi à nos frais"),
        message=MessageDraft(**{"for": "M. Mocher"}, subject="Rappeler Mme Delmotte", callback_when="demain 10 h"),
    ))
    assert complaint.ok, complaint.errors
    with seeded.read() as session:
        due = [d for d in repo.reminders_due_on(session, today=NOW.date()) if d.stage == "telephone"][0]
    reminder = _result(
        ErpDraft(reminder=ReminderDraft(invoice_number=due.invoice_number, stage="telephone",
                                        outcome="promesse_de_paiement", promised_date=(NOW + timedelta(days=7)).date())),
        seeded,
    )
    assert reminder.ok, reminder.errors
    with seeded.unit_of_work() as session:
        first = record_call_outcome(session, result=complaint, company_id="generik", now=NOW)
        second = record_call_outcome(session, result=reminder, company_id="generik", now=NOW)
    kinds = [r["kind"] for r in first.records_json()]
    assert kinds == ["complaint", "message"]
    rec = first.records_json()[0]
    assert rec["id"].startswith(f"REC-{NOW.year}-") and rec["category"] == "livraison_avarie"
    assert rec["responsible_service"] == "clientele" and rec["customer_deadline"] == NOW.date().isoformat()
    msg = first.records_json()[1]
    assert msg["for"] == "M. Mocher" and msg["callback_number"] == "06 39 98 00 42"
    rel = second.records_json()[0]
    assert rel["kind"] == "reminder" and rel["invoice"] == due.invoice_number
    assert rel["amount_due"] == f"{due.amount_due:.2f}"
    assert rel["client"]["name"] != due.client_number  # named from the client file, not by number
    with seeded.read() as session:
        after = repo.reminders_due_on(session, today=NOW.date())
    assert due.invoice_number not in {d.invoice_number for d in after}


def test_a_failure_in_the_middle_writes_nothing(seeded) -> None:
    """The order is written, then the reminder's invoice is missing: everything is rolled back."""
    good = _result(ErpDraft(client=ClientDraft(name="Luc Petit", company="Salon Luc", segment="salon_independant",
                                               region="Bretagne", phone="02 61 91 99 03"),
                            lines=[LineDraft(reference="GNK-OXC-1000", quantity=2)]))
    assert good.ok
    from trainer.domain.invoices import ReminderLog

    broken = good.model_copy(update={"reminder": ReminderLog(invoice_number="FAC-999999", client_number="CLI-00020",
                                                             stage="telephone", at=NOW, outcome="injoignable")})
    with seeded.read() as session:
        before = repo.count_rows(session)
    with pytest.raises(DomainError, match="FAC-999999"), seeded.unit_of_work() as session:
        record_call_outcome(session, result=broken, company_id="generik", now=NOW)
    with seeded.read() as session:
        assert repo.count_rows(session) == before
    with seeded.unit_of_work() as session:
        done = record_call_outcome(session, result=good, company_id="generik", now=NOW)
    generik = cached_company("generik", NOW.date())
    assert done.order.number == f"CMD-{NOW.year}-{len(generik.past_orders) + 1:06d}"


def test_an_incomplete_draft_is_refused(seeded) -> None:
    result = _result(ErpDraft(lines=[LineDraft(reference="GNK-CCS-100", quantity=48)]))
    assert not result.ok
    with seeded.read() as session:
        before = repo.count_rows(session)
    with pytest.raises(DomainError, match="rien n'est enregistré"), seeded.unit_of_work() as session:
        record_call_outcome(session, result=result, company_id="generik", now=NOW)
    with seeded.read() as session:
        assert repo.count_rows(session) == before
