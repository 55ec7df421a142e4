"""Messages and callback requests taken while filtering calls (Doc 4, Doc 5).

"Vous ne pouvez pas déranger vos collègues qui sont en réunion": the assistant takes a message
instead of transferring. A complete message says for whom, who called (and for which company), how
to call back, what it is about and when to call back; ``missing_fields`` lists what is missing as
French phrases for the ERP panel and the debrief.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from trainer.domain.common import AwareDatetime, DomainModel, Phone


class MessageStatus(StrEnum):
    A_TRANSMETTRE = "a_transmettre"
    TRANSMIS = "transmis"
    TRAITE = "traite"


class Message(DomainModel):
    """A message slip for a colleague; ``id`` is assigned by the store (e.g. ``MSG-2026-000012``)."""

    id: str | None = None
    for_: str = Field(min_length=2, alias="for", description="« M. Mocher », « service technique »…")
    caller_name: str = Field(min_length=2)
    caller_company: str | None = None
    callback_number: Phone | None = None
    subject: str | None = None
    callback_when: str | None = Field(default=None, description="« demain avant 10 h », « mardi après-midi »…")
    taken_at: AwareDatetime
    taken_by: str | None = None
    urgent: bool = False
    client_number: str | None = None
    status: MessageStatus = MessageStatus.A_TRANSMETTRE

    model_config = {**DomainModel.model_config, "populate_by_name": True}

    def missing_fields(self) -> list[str]:
        """What a complete message still lacks, as French phrases (empty when complete)."""
        missing = []
        if not self.callback_number:
            missing.append("le numéro où rappeler")
        if not self.subject:
            missing.append("l'objet de l'appel")
        if not self.callback_when:
            missing.append("le moment où rappeler")
        if not self.caller_company:
            missing.append("la société ou le salon de l'appelant")
        return missing

    def is_complete(self) -> bool:
        return not self.missing_fields()
