"""Small value types shared by the domain models: identifiers, phone numbers, e-mails, time.

Everything here is pure (stdlib + pydantic). Messages are French sentences: they end up in the ERP
panel or in a loader's error naming file, line and field.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, ConfigDict

PARIS = ZoneInfo("Europe/Paris")
"""Business dates (deadlines, due dates, reminders) are read in Paris time."""

CLIENT_NUMBER_RE = re.compile(r"^CLI-\d{5}$")
ORDER_NUMBER_RE = re.compile(r"^CMD-\d{4}-\d{6}$")
COMPLAINT_NUMBER_RE = re.compile(r"^REC-\d{4}-\d{6}$")
INVOICE_NUMBER_RE = re.compile(r"^FAC-\d{6}$")

_EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


class DomainModel(BaseModel):
    """Base of the domain models: unknown fields are refused, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=True)


def normalize_phone(value: str) -> str:
    """Return a French phone number written the usual way, ``06 12 34 56 78``.

    Accepts spaces, dots, dashes and the international forms ``+33 6…`` / ``0033 6…``.
    Raises ``ValueError`` with a French sentence for anything else.
    """
    raw = str(value).strip()
    digits = re.sub(r"[\s.\-/()\u00a0\u202f]", "", raw)
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if digits.startswith("00"):
        digits = digits[1:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValueError(
            f"« {raw} » n'est pas un numéro de téléphone français (10 chiffres, par exemple 06 12 34 56 78)"
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def normalize_email(value: str) -> str:
    """Return the e-mail address in lower case, or raise ``ValueError`` with a French sentence."""
    raw = str(value).strip()
    if not _EMAIL_RE.fullmatch(raw):
        raise ValueError(f"« {raw} » n'est pas une adresse électronique valide (exemple : nom@domaine.fr)")
    return raw.lower()


def _check_postcode(value: str) -> str:
    value = str(value).strip()
    if not re.fullmatch(r"\d{5}", value):
        raise ValueError(f"« {value} » n'est pas un code postal (5 chiffres)")
    return value


Phone = Annotated[str, AfterValidator(normalize_phone)]
"""A French phone number, stored as ``06 12 34 56 78``."""
Email = Annotated[str, AfterValidator(normalize_email)]
"""An e-mail address, stored in lower case."""
Postcode = Annotated[str, AfterValidator(_check_postcode)]


def _pattern(regex: re.Pattern[str], example: str, what: str):
    def check(value: str) -> str:
        value = str(value).strip().upper()
        if not regex.fullmatch(value):
            raise ValueError(f"« {value} » n'est pas un numéro de {what} (format attendu : {example})")
        return value

    return AfterValidator(check)


ClientNumber = Annotated[str, _pattern(CLIENT_NUMBER_RE, "CLI-00042", "client")]
OrderNumber = Annotated[str, _pattern(ORDER_NUMBER_RE, "CMD-2026-000123", "commande")]
ComplaintNumber = Annotated[str, _pattern(COMPLAINT_NUMBER_RE, "REC-2026-000123", "réclamation")]
InvoiceNumber = Annotated[str, _pattern(INVOICE_NUMBER_RE, "FAC-004512", "facture")]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("la date et l'heure doivent porter un fuseau horaire (par exemple +01:00)")
    return value


AwareDatetime = Annotated[datetime, AfterValidator(_aware)]
"""A timezone-aware datetime; naive datetimes are refused."""


def business_date(moment: datetime) -> date:
    """The calendar date of ``moment`` in Paris (a call at 23:30 UTC on the 31st is the 1st in Paris)."""
    _aware(moment)
    return moment.astimezone(PARIS).date()
