"""What a call produces in the ERP, as published in ``records`` (CONTRACT §4).

These are the *public* shapes: the call session builds them from the domain objects it committed,
``trainer play --json`` prints them, the transcript keeps them in ``outcome.records``, and scoring
compares them with what the customer wanted. Amounts are ``Money`` (two-decimal strings in JSON).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from trainer.domain.money import Money, Rate

ComplaintCategory = Literal[
    "technique_qualite",
    "technique_utilisation",
    "livraison_retard",
    "livraison_avarie",
    "livraison_erreur_preparation",
    "procedure_erreur_saisie",
    "e_reputation",
]
ReminderStage = Literal["email", "telephone", "mise_en_demeure", "injonction"]
ReminderOutcome = Literal["promesse_de_paiement", "litige", "deja_paye", "injoignable", "refus"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ClientRef(_Record):
    """The client as named in a record; ``number`` is the ERP client number when known."""

    name: str
    kind: str | None = Field(default=None, description="salon, coiffeur_domicile, grossiste, apprenti...")
    number: str | None = None
    company: str | None = None


class OrderLineRecord(_Record):
    product: str
    reference: str
    quantity: int
    unit_price_ht: Money
    discount_rate: Rate
    total_ht: Money
    shade: str | None = None


class OrderRecord(_Record):
    kind: Literal["order"] = "order"
    id: str
    client: ClientRef
    lines: list[OrderLineRecord]
    total_ht: Money
    payment_terms: str
    total_tva: Money | None = None
    total_ttc: Money | None = None
    delivery_promise: str | None = None
    status: str | None = None


class ComplaintRecord(_Record):
    kind: Literal["complaint"] = "complaint"
    id: str
    client: ClientRef
    category: ComplaintCategory
    responsible_service: str
    status: str
    customer_deadline: date
    solution: str | None = None
    channel: str | None = None
    admissible: bool | None = None
    summary: str | None = None


class CallerRef(_Record):
    name: str
    company: str | None = None


class MessageRecord(_Record):
    kind: Literal["message"] = "message"
    id: str
    for_: str = Field(alias="for")
    caller: CallerRef
    callback_number: str | None = None
    subject: str | None = None
    callback_when: str | None = None


class ReminderRecord(_Record):
    kind: Literal["reminder"] = "reminder"
    id: str
    client: ClientRef
    invoice: str
    amount_due: Money
    stage: ReminderStage
    outcome: ReminderOutcome
    promised_payment_date: date | None = None


Record = Annotated[
    OrderRecord | ComplaintRecord | MessageRecord | ReminderRecord, Field(discriminator="kind")
]


class CallRecords(BaseModel):
    """Helper to validate or dump a list of records."""

    records: list[Record] = Field(default_factory=list)

    def to_jsonable(self) -> list[dict]:
        return [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in self.records]
