"""The monthly promotion as data: quantity tiers on eligible references (Doc 4, D2 in DECISIONS).

"La promotion du mois concerne les crèmes colorantes sans ammoniaque 100 ml. Pour 20 achetées - 10 %,
pour 48 - 20% pour 72 - 30%." Tiers are read as "at least", quantities are counted across shades
(and across all eligible references of the promotion), one tier applies to the whole quantity, no
stacking, nothing on other products.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import Field, field_validator, model_validator

from trainer.domain.common import DomainModel
from trainer.domain.money import Rate

ZERO = Decimal("0")


class PromotionTier(DomainModel):
    """From ``min_quantity`` units on, every eligible unit gets ``rate`` off (0.20 = 20 %)."""

    min_quantity: int = Field(ge=1)
    rate: Rate

    @field_validator("rate")
    @classmethod
    def _rate(cls, value: Decimal) -> Decimal:
        if not (ZERO < value < 1):
            raise ValueError("un taux de remise est compris entre 0 et 1 (0.10 pour 10 %)")
        return value


class Promotion(DomainModel):
    """A quantity promotion on some references, valid between two dates (both optional, inclusive)."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1, description="French wording, as announced to a caller.")
    eligible_references: list[str] = Field(min_length=1)
    tiers: list[PromotionTier] = Field(min_length=1)
    valid_from: date | None = None
    valid_to: date | None = None
    source: str | None = Field(default=None, description="Quotation of the source text.")

    @model_validator(mode="after")
    def _ordered(self) -> Promotion:
        previous: PromotionTier | None = None
        for tier in self.tiers:
            if previous is not None and not (
                tier.min_quantity > previous.min_quantity and tier.rate > previous.rate
            ):
                raise ValueError("les paliers doivent aller croissant en quantité et en taux")
            previous = tier
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError("la date de fin de la promotion précède sa date de début")
        return self

    def applies_to(self, reference: str) -> bool:
        """True when the reference is eligible."""
        return reference.strip().upper() in {r.upper() for r in self.eligible_references}

    def is_active(self, on: date) -> bool:
        """True when ``on`` is inside the validity period (open ends mean "always")."""
        if self.valid_from and on < self.valid_from:
            return False
        return not (self.valid_to and on > self.valid_to)

    def discount_rate(self, quantity: int) -> Decimal:
        """The rate of the highest tier reached by ``quantity`` (0 below the first tier)."""
        rate = ZERO
        for tier in self.tiers:
            if quantity >= tier.min_quantity:
                rate = tier.rate
        return rate

    def next_tier(self, quantity: int) -> PromotionTier | None:
        """The next tier above ``quantity``, for a student who "anticipates" (40 tubes → 48 give 20 %)."""
        return next((t for t in self.tiers if t.min_quantity > quantity), None)

    def describe(self) -> str:
        """« 10 % dès 20, 20 % dès 48, 30 % dès 72 »."""
        parts = [f"{(t.rate * 100).normalize():f} % dès {t.min_quantity}" for t in self.tiers]
        return ", ".join(parts)


def best_promotion(promotions: list[Promotion], reference: str, on: date) -> Promotion | None:
    """The active promotion covering ``reference`` on ``on``; tiers never stack across promotions.

    When several active promotions cover the same reference (a data mistake the loader refuses),
    the first one in the list wins.
    """
    for promo in promotions:
        if promo.is_active(on) and promo.applies_to(reference):
            return promo
    return None
