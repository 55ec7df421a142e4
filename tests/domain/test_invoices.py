"""Invoices: « 30 jours fin de mois », reminder stages on their exact days, aged balance."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from trainer.content.company import load_company
from trainer.domain.common import PARIS
from trainer.domain.invoices import (
    Invoice,
    Payment,
    ReminderLog,
    aged_balance,
    due_date,
    dunning_state,
    reminders_due,
)


@pytest.mark.parametrize(
    ("issued", "due"),
    [
        (date(2026, 1, 31), date(2026, 3, 31)),  # the 31st: +30 → 2 March → end of March
        (date(2026, 3, 31), date(2026, 4, 30)),  # +30 → 30 April
        (date(2026, 5, 31), date(2026, 6, 30)),
        (date(2026, 10, 31), date(2026, 11, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),  # across the year
        (date(2026, 2, 1), date(2026, 3, 31)),  # February: +30 → 3 March
        (date(2026, 2, 28), date(2026, 3, 31)),
        (date(2028, 2, 29), date(2028, 3, 31)),  # leap day
        (date(2026, 1, 1), date(2026, 1, 31)),  # +30 → 31 January, already end of month
        (date(2026, 1, 2), date(2026, 2, 28)),  # +30 → 1 February → end of February
        (date(2028, 1, 2), date(2028, 2, 29)),  # leap year February
    ],
)
def test_due_date_30_days_end_of_month(issued, due):
    assert due_date(issued) == due


def _invoice(issued=date(2026, 1, 31), amount="1200.00", **kw) -> Invoice:
    ht = (Decimal(amount) / Decimal("1.2")).quantize(Decimal("0.01"))
    return Invoice(number="FAC-000001", client_number="CLI-00020", issued_on=issued, amount_ht=ht, amount_ttc=amount, **kw)


def _log(stage, day, outcome="injoignable", promised=None):
    return ReminderLog(invoice_number="FAC-000001", client_number="CLI-00020", stage=stage,
                       at=datetime(day.year, day.month, day.day, 10, tzinfo=PARIS), outcome=outcome,
                       promised_payment_date=promised)


DUE = date(2026, 3, 31)  # of an invoice issued 31 January 2026


def _stage(today, logs=()):
    due = reminders_due([_invoice()], today, logs)
    return due[0].stage if due else None


def test_first_reminder_by_email_at_due_plus_7():
    assert _stage(DUE) is None
    assert _stage(DUE + timedelta(days=6)) is None
    assert _stage(DUE + timedelta(days=7)) == "email"
    assert dunning_state(_invoice(), DUE, [])[0] == "non_echue"


def test_second_reminder_by_phone_a_week_after_the_first():
    email = [_log("email", DUE + timedelta(days=7))]
    assert _stage(DUE + timedelta(days=13), email) is None
    assert _stage(DUE + timedelta(days=14), email) == "telephone"
    # A late first reminder pushes the phone call a week after it.
    late_email = [_log("email", DUE + timedelta(days=10))]
    assert _stage(DUE + timedelta(days=16), late_email) is None
    assert _stage(DUE + timedelta(days=17), late_email) == "telephone"


def test_unanswered_phone_call_must_be_tried_again():
    logs = [_log("email", DUE + timedelta(days=7)), _log("telephone", DUE + timedelta(days=14), "injoignable")]
    assert _stage(DUE + timedelta(days=15), logs) == "telephone"


def test_formal_notice_at_due_plus_21_then_injunction():
    logs = [_log("email", DUE + timedelta(days=7)), _log("telephone", DUE + timedelta(days=14), "refus")]
    assert _stage(DUE + timedelta(days=20), logs) is None
    assert _stage(DUE + timedelta(days=21), logs) == "mise_en_demeure"
    logs.append(_log("mise_en_demeure", DUE + timedelta(days=21)))
    assert _stage(DUE + timedelta(days=28), logs) is None
    assert _stage(DUE + timedelta(days=29), logs) == "injonction"
    logs.append(_log("injonction", DUE + timedelta(days=29)))
    assert _stage(DUE + timedelta(days=60), logs) is None
    assert dunning_state(_invoice(), DUE + timedelta(days=60), logs)[0] == "terminee"


def test_a_stage_never_skips_the_previous_one():
    # Nobody sent anything: 40 days late, the first thing to do is still the e-mail.
    assert _stage(DUE + timedelta(days=40)) == "email"


def test_promise_of_payment_suspends_until_the_promised_day():
    promised = DUE + timedelta(days=18)
    logs = [_log("email", DUE + timedelta(days=7)),
            _log("telephone", DUE + timedelta(days=14), "promesse_de_paiement", promised)]
    assert dunning_state(_invoice(), promised, logs)[0] == "suspendue_promesse"
    assert _stage(promised, logs) is None
    assert _stage(DUE + timedelta(days=21), logs) == "mise_en_demeure"


def test_dispute_stops_the_dunning():
    logs = [_log("email", DUE + timedelta(days=7)), _log("telephone", DUE + timedelta(days=14), "litige")]
    assert dunning_state(_invoice(), DUE + timedelta(days=30), logs)[0] == "litige"
    assert _stage(DUE + timedelta(days=30), logs) is None


def test_paid_invoice_is_never_reminded_and_partial_payment_leaves_the_balance():
    paid = _invoice(payments=[Payment(on=DUE, amount="1200.00", method="virement")])
    assert reminders_due([paid], DUE + timedelta(days=30)) == []
    partial = _invoice(payments=[Payment(on=DUE, amount="200.00", method="cheque")])
    (action,) = reminders_due([partial], DUE + timedelta(days=7))
    assert action.amount_due == Decimal("1000.00")
    # A payment received after "today" does not count yet.
    later = _invoice(payments=[Payment(on=DUE + timedelta(days=10), amount="1200.00", method="virement")])
    assert _stage_of(later, DUE + timedelta(days=7)) == "email"


def _stage_of(invoice, today):
    due = reminders_due([invoice], today)
    return due[0].stage if due else None


def test_promise_needs_a_date_not_before_the_call():
    with pytest.raises(ValueError, match="date de paiement promise"):
        _log("telephone", DUE, "promesse_de_paiement", None)
    with pytest.raises(ValueError, match="précéder"):
        _log("telephone", DUE, "promesse_de_paiement", DUE - timedelta(days=1))


def test_aged_balance_buckets():
    today = date(2026, 6, 30)
    invoices = [
        Invoice(number="FAC-000001", client_number="CLI-00020", issued_on=date(2026, 5, 20), amount_ht="100.00", amount_ttc="120.00"),  # due 30/06: non échu
        Invoice(number="FAC-000002", client_number="CLI-00020", issued_on=date(2026, 4, 15), amount_ht="100.00", amount_ttc="120.00"),  # due 31/05: 30 days
        Invoice(number="FAC-000003", client_number="CLI-00021", issued_on=date(2026, 3, 20), amount_ht="200.00", amount_ttc="240.00"),  # due 30/04: 61 days
        Invoice(number="FAC-000004", client_number="CLI-00021", issued_on=date(2026, 1, 2), amount_ht="500.00", amount_ttc="600.00",
                payments=[Payment(on=date(2026, 3, 1), amount="100.00", method="cheque")]),  # due 28/02: 122 days, 500 left
        Invoice(number="FAC-000005", client_number="CLI-00022", issued_on=date(2026, 1, 2), amount_ht="500.00", amount_ttc="600.00",
                payments=[Payment(on=date(2026, 3, 1), amount="600.00", method="virement")]),  # paid: left out
    ]
    balance = aged_balance(invoices, today)
    assert [row.client_number for row in balance.rows] == ["CLI-00021", "CLI-00020"]
    nord, so = balance.rows
    assert so.buckets["non_echu"] == Decimal("120.00") and so.buckets["1_30"] == Decimal("120.00")
    assert nord.buckets["61_90"] == Decimal("240.00") and nord.buckets["plus_90"] == Decimal("500.00")
    assert balance.total == Decimal("980.00") == sum(balance.totals.values())


def test_seeded_invoices_show_every_stage_whatever_the_day():
    for today in (date(2026, 1, 1), date(2026, 2, 28), date(2026, 6, 15), date(2026, 11, 22), date(2027, 3, 31)):
        company = load_company("generik", today=today)
        stages = {r.stage for r in reminders_due(company.invoices, today, company.reminder_logs)}
        assert stages == {"email", "telephone", "mise_en_demeure", "injonction"}, today
        states = {dunning_state(i, today, company.reminder_logs)[0] for i in company.invoices}
        assert {"a_jour", "non_echue", "suspendue_promesse", "litige", "en_relance"} <= states
        # Only wholesalers are invoiced at 30 days end of month.
        assert all(company.client(i.client_number).segment == "grossiste" for i in company.invoices)
