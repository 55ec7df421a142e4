"""Contact log entries on the client file ("fiche client"): every call, e-mail or letter.

Doc 9: "Les relances se font à partir de la fiche client. Ne pas oublier de compléter la fiche
« client » afin de suivre les actions menées." The same log holds prospect follow-up calls (reason
for not ordering, next action) and information calls.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from trainer.domain.common import AwareDatetime, ClientNumber, DomainModel, business_date

ContactChannel = Literal["telephone", "courriel", "courrier", "lettre_recommandee", "visite"]
ContactDirection = Literal["entrant", "sortant"]
ContactPurpose = Literal[
    "commande",
    "reclamation",
    "information",
    "relance",
    "prospection",
    "satisfaction",
    "message",
    "autre",
]


class ContactLogEntry(DomainModel):
    """One line of the client file's history."""

    client_number: ClientNumber | None = Field(
        default=None, description="None only for a client created in the same transaction (the store fills it)."
    )
    at: AwareDatetime
    channel: ContactChannel
    direction: ContactDirection
    purpose: ContactPurpose
    summary: str = Field(min_length=3)
    by: str | None = Field(default=None, description="Who handled it (student or employee).")
    reference: str | None = Field(default=None, description="Order, complaint, invoice or message number.")
    next_action: str | None = None
    next_action_on: date | None = None
    reason_no_order: str | None = Field(default=None, description="Prospect follow-up: why no order yet.")

    @model_validator(mode="after")
    def _next_action(self) -> ContactLogEntry:
        if self.next_action_on is not None:
            if not self.next_action:
                raise ValueError("une date de prochaine action demande la prochaine action")
            if self.next_action_on < business_date(self.at):
                raise ValueError("la prochaine action ne peut pas précéder le contact")
        return self
