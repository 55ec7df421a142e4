"""Money and rates: Decimal everywhere, rounded half-up to the cent (HT, then TVA 20 %, then TTC)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

CENT = Decimal("0.01")
VAT_RATE = Decimal("0.20")


def to_decimal(value: Any) -> Decimal:
    """Convert an int, a string or a Decimal to Decimal; floats are refused (binary rounding)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError("un montant doit être un nombre décimal exact (texte ou entier), pas un flottant")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip().replace(",", ".").replace("\u202f", "").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(f"« {value} » n'est pas un montant") from None
    raise ValueError(f"montant attendu, reçu {type(value).__name__}")


def round_cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent (0.005 -> 0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of(amount_ht: Decimal) -> Decimal:
    """TVA at 20 % of an HT amount, rounded to the cent."""
    return round_cents(amount_ht * VAT_RATE)


def format_eur(amount: Decimal) -> str:
    """French display: ``1 234,50 €`` (narrow no-break space for thousands)."""
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(round_cents(amount)):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    thousands = "\u202f".join(groups)
    return f"{sign}{thousands},{cents}\u00a0€"


def format_rate_percent(rate: Decimal) -> str:
    """``0.20`` -> ``20 %``."""
    pct = (rate * 100).normalize()
    return f"{pct:f}\u00a0%"


Money = Annotated[
    Decimal,
    BeforeValidator(to_decimal),
    PlainSerializer(lambda d: f"{round_cents(d):.2f}", return_type=str, when_used="json"),
]
"""An amount in euros: serialised in JSON as a string with two decimals (CONTRACT §4)."""

Rate = Annotated[
    Decimal,
    BeforeValidator(to_decimal),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
]
"""A rate such as a discount (0.20): serialised in JSON as a decimal string."""
