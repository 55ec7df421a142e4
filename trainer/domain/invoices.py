"""Invoices of the wholesalers and their dunning (Doc 9), with the aged balance ("balance âgée").

- Due date "30 jours fin de mois": invoice date + 30 days, then the last day of that month (D10).
- First reminder by e-mail when the due date is passed by 7 days (due + 7).
- Second reminder by phone one week after the first (due + 14 at the earliest).
- Formal notice ("mise en demeure de payer", registered letter with acknowledgement) three weeks
  after the due date (due + 21), then the injunction to pay once the notice's 8 days have run out
  (due + 29) (D11).
A promise of payment holds the next stage until the promised day has passed; a dispute stops the
automatic dunning until it is settled.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from trainer.domain.clients import PaymentMethod
from trainer.domain.common import AwareDatetime, ClientNumber, DomainModel, InvoiceNumber, business_date
from trainer.domain.errors import DomainError
from trainer.domain.money import Money
from trainer.domain.records import ReminderOutcome, ReminderStage

ZERO = Decimal("0")

STAGES: tuple[ReminderStage, ...] = ("email", "telephone", "mise_en_demeure", "injonction")
STAGE_LABELS: dict[str, str] = {
    "email": "1re relance par courriel",
    "telephone": "2e relance par téléphone",
    "mise_en_demeure": "mise en demeure de payer (lettre recommandée avec accusé de réception)",
    "injonction": "procédure d'injonction de payer",
}
OUTCOME_LABELS: dict[str, str] = {
    "promesse_de_paiement": "promesse de paiement",
    "litige": "litige",
    "deja_paye": "déjà payé selon le client",
    "injoignable": "injoignable",
    "refus": "refus de payer",
}


def end_of_month(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def due_date(issued_on: date, days: int = 30) -> date:
    """« 30 jours fin de mois »: ``issued_on`` + 30 days, then the end of that month (D10).

    31 January 2026 → 2 March → 31 March; 15 February → 17 March → 31 March; 1 December → 31 December.
    """
    return end_of_month(issued_on + timedelta(days=days))


class DunningPolicy(DomainModel):
    """Days after the due date at which each stage becomes due (Doc 9, D11)."""

    email_after_days: int = 7
    phone_after_previous_days: int = 7
    formal_notice_after_days: int = 21
    injunction_after_days: int = 29

    def earliest(self, stage: str, due: date, previous_done_on: date | None) -> date:
        """The first day ``stage`` may be carried out."""
        if stage == "email":
            return due + timedelta(days=self.email_after_days)
        if stage == "telephone":
            base = due + timedelta(days=self.email_after_days + self.phone_after_previous_days)
            if previous_done_on is not None:
                base = max(base, previous_done_on + timedelta(days=self.phone_after_previous_days))
            return base
        if stage == "mise_en_demeure":
            return due + timedelta(days=self.formal_notice_after_days)
        if stage == "injonction":
            return due + timedelta(days=self.injunction_after_days)
        raise DomainError(f"Étape de relance inconnue « {stage} ».", field="stage")


DOC9_POLICY = DunningPolicy()


class Payment(DomainModel):
    on: date
    amount: Money
    method: PaymentMethod

    @model_validator(mode="after")
    def _positive(self) -> Payment:
        if self.amount <= 0:
            raise ValueError("un règlement a un montant positif")
        return self


class Invoice(DomainModel):
    """An invoice to a wholesaler; ``amount_ttc`` is what is owed."""

    number: InvoiceNumber
    client_number: ClientNumber
    issued_on: date
    amount_ht: Money
    amount_ttc: Money
    method: PaymentMethod = "virement"
    order_key: str | None = None
    payments: list[Payment] = Field(default_factory=list)
    lcr_returned: bool | None = Field(default=None, description="For an LCR: was it returned signed?")
    notes: str | None = None

    @model_validator(mode="after")
    def _amounts(self) -> Invoice:
        if self.amount_ht <= 0 or self.amount_ttc < self.amount_ht:
            raise ValueError("montants incohérents : HT positif et TTC au moins égal au HT")
        if sum((p.amount for p in self.payments), ZERO) > self.amount_ttc:
            raise ValueError("les règlements dépassent le montant de la facture")
        return self

    @property
    def due_on(self) -> date:
        """The due date, « 30 jours fin de mois »."""
        return due_date(self.issued_on)

    def paid_amount(self, on: date | None = None) -> Decimal:
        """Sum of the payments received up to ``on`` (all when None)."""
        return sum((p.amount for p in self.payments if on is None or p.on <= on), ZERO)

    def balance(self, on: date | None = None) -> Decimal:
        """What is still owed on ``on``."""
        return self.amount_ttc - self.paid_amount(on)

    def days_overdue(self, today: date) -> int:
        """Days since the due date (0 when not yet due)."""
        return max(0, (today - self.due_on).days)


class ReminderLog(DomainModel):
    """One dunning contact written on the client file (« compléter la fiche client »)."""

    id: str | None = None
    invoice_number: InvoiceNumber
    client_number: ClientNumber
    stage: ReminderStage
    at: AwareDatetime
    outcome: ReminderOutcome
    promised_payment_date: date | None = None
    promised_method: PaymentMethod | None = None
    contact_person: str | None = None
    notes: str | None = None
    amount_due: Money | None = Field(default=None, description="Balance of the invoice at the time of the contact.")

    @model_validator(mode="after")
    def _promise(self) -> ReminderLog:
        if self.outcome == "promesse_de_paiement":
            if self.promised_payment_date is None:
                raise ValueError("une promesse de paiement demande une date de paiement promise")
            if self.promised_payment_date < business_date(self.at):
                raise ValueError("la date de paiement promise ne peut pas précéder la relance")
        elif self.promised_payment_date is not None:
            raise ValueError("une date de paiement promise ne va qu'avec une promesse de paiement")
        return self

    @property
    def on(self) -> date:
        return business_date(self.at)

    @property
    def counts_as_done(self) -> bool:
        """An unanswered phone call does not complete the stage: it has to be tried again."""
        return not (self.outcome == "injoignable" and self.stage == "telephone")


class ReminderDue(DomainModel):
    """A dunning action to carry out (what « relances à faire aujourd'hui » lists)."""

    invoice_number: str
    client_number: str
    stage: ReminderStage
    due_on: date = Field(description="Invoice due date.")
    stage_from: date = Field(description="First day this stage could be carried out.")
    days_overdue: int
    amount_due: Money

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


DunningState = Literal["a_jour", "non_echue", "en_relance", "suspendue_promesse", "litige", "terminee"]


def dunning_state(
    invoice: Invoice,
    today: date,
    logs: Iterable[ReminderLog] = (),
    policy: DunningPolicy = DOC9_POLICY,
) -> tuple[DunningState, ReminderDue | None]:
    """Where the dunning of ``invoice`` stands on ``today`` and the next action if one is due today.

    Returns the state and, when an action is due (``today`` ≥ its first day), that action.
    """
    balance = invoice.balance(today)
    if balance <= 0:
        return "a_jour", None
    if today <= invoice.due_on:
        return "non_echue", None
    own = sorted((log for log in logs if log.invoice_number == invoice.number), key=lambda log: log.at)
    if own and own[-1].outcome == "litige":
        return "litige", None
    promised = [log.promised_payment_date for log in own if log.outcome == "promesse_de_paiement"]
    if own and own[-1].outcome == "promesse_de_paiement" and promised[-1] is not None and today <= promised[-1]:
        return "suspendue_promesse", None
    done = {log.stage: log.on for log in own if log.counts_as_done}
    next_stage = next((s for s in STAGES if s not in done), None)
    if next_stage is None:
        return "terminee", None
    index = STAGES.index(next_stage)
    previous_on = done.get(STAGES[index - 1]) if index > 0 else None
    start = policy.earliest(next_stage, invoice.due_on, previous_on)
    if today < start:
        return "en_relance", None
    action = ReminderDue(
        invoice_number=invoice.number,
        client_number=invoice.client_number,
        stage=next_stage,
        due_on=invoice.due_on,
        stage_from=start,
        days_overdue=invoice.days_overdue(today),
        amount_due=balance,
    )
    return "en_relance", action


def reminders_due(
    invoices: Iterable[Invoice],
    today: date,
    logs: Iterable[ReminderLog] = (),
    policy: DunningPolicy = DOC9_POLICY,
) -> list[ReminderDue]:
    """The dunning actions to carry out on ``today``, most overdue first.

    Each unpaid invoice gives at most one action: the first stage not done yet, once its day has
    come. A stage never skips the one before it: a formal notice waits for the phone reminder.
    """
    log_list = list(logs)
    due = []
    for invoice in invoices:
        _, action = dunning_state(invoice, today, log_list, policy)
        if action is not None:
            due.append(action)
    return sorted(due, key=lambda a: (-a.days_overdue, a.invoice_number))


AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("non_echu", -10_000, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("plus_90", 91, None),
)
BUCKET_LABELS = {
    "non_echu": "non échu",
    "1_30": "1 à 30 jours",
    "31_60": "31 à 60 jours",
    "61_90": "61 à 90 jours",
    "plus_90": "plus de 90 jours",
}


class AgedBalanceRow(DomainModel):
    """One client's receivables split by age of the overdue amount."""

    client_number: str
    buckets: dict[str, Money]
    total: Money
    invoices: list[str]


class AgedBalance(DomainModel):
    """The "balance âgée des tiers" edited every Friday morning (Doc 9)."""

    on: date
    rows: list[AgedBalanceRow]
    totals: dict[str, Money]
    total: Money


def _bucket(days_overdue: int, days_since_due: int) -> str:
    if days_since_due <= 0:
        return "non_echu"
    for name, low, high in AGE_BUCKETS[1:]:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return name
    return "plus_90"  # pragma: no cover - buckets cover every positive number


def aged_balance(invoices: Iterable[Invoice], today: date) -> AgedBalance:
    """Open balances per client on ``today`` by days past due: non échu, 1–30, 31–60, 61–90, > 90.

    Paid invoices are left out; clients are sorted by total owed, largest first.
    """
    per_client: dict[str, dict[str, Decimal]] = {}
    numbers: dict[str, list[str]] = {}
    for invoice in invoices:
        if invoice.issued_on > today:
            continue
        owed = invoice.balance(today)
        if owed <= 0:
            continue
        since_due = (today - invoice.due_on).days
        bucket = _bucket(since_due, since_due)
        row = per_client.setdefault(invoice.client_number, {name: ZERO for name, *_ in AGE_BUCKETS})
        row[bucket] += owed
        numbers.setdefault(invoice.client_number, []).append(invoice.number)
    rows = [
        AgedBalanceRow(client_number=client, buckets=b, total=sum(b.values(), ZERO), invoices=sorted(numbers[client]))
        for client, b in per_client.items()
    ]
    rows.sort(key=lambda r: (-r.total, r.client_number))
    totals = {name: sum((r.buckets[name] for r in rows), ZERO) for name, *_ in AGE_BUCKETS}
    return AgedBalance(on=today, rows=rows, totals=totals, total=sum(totals.values(), ZERO))
