"""The GENERIK catalogue: products, the shade chart of the colour creams, the discovery parcel.

Prices and shade names are invented (the sources give only the 53 € HT value of the discovery
parcel and the two end labels of the shade range); the data files say so with ``invented: true``.
Fuzzy search on product names belongs to the dialogue layer, not here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

from pydantic import Field, field_validator, model_validator

from trainer.domain.common import DomainModel
from trainer.domain.errors import DomainError
from trainer.domain.money import Money, round_cents

ProductFamily = Literal["coiffage", "soin", "technique", "coloration"]

SHADE_CODE_RE = re.compile(r"^(10|[1-9])(\.\d{1,2})?$")
"""Hairdressers' notation ``level[.reflects]``: ``1``, ``6.4``, ``7.44``, ``10.1``."""


def shade_level(code: str) -> int:
    """The level (1..10) of a shade code such as ``6.4``."""
    return int(code.split(".", 1)[0])


def normalize_shade_code(value: str) -> str:
    """Normalise a typed shade code: ``6,4`` / `` 6.4 `` → ``6.4``; ``6.0`` → ``6``.

    Raises ``ValueError`` with a French sentence when the text is not a shade code.
    """
    raw = str(value).strip()
    code = raw.replace(",", ".").replace("/", ".")
    if code.endswith(".0"):
        code = code[:-2]
    if not SHADE_CODE_RE.fullmatch(code):
        raise ValueError(
            f"« {raw} » n'est pas un code de nuance (niveau 1 à 10, puis reflets : 6, 6.4, 7.44, 10.1)"
        )
    return code


class Shade(DomainModel):
    """One shade of a shade chart. ``line`` is the id of the chart (both colour lines share one)."""

    code: str
    name: str = Field(min_length=1)
    level: int = Field(ge=1, le=10)
    line: str = Field(min_length=1, description="Id of the shade chart this shade belongs to.")
    invented: bool = Field(description="True when the name and code are the project's invention.")

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: object) -> str:
        return normalize_shade_code(str(value))

    @model_validator(mode="after")
    def _level_matches_code(self) -> Shade:
        if shade_level(self.code) != self.level:
            raise ValueError(f"la nuance {self.code} doit avoir le niveau {shade_level(self.code)}, pas {self.level}")
        return self


class ShadeChart(DomainModel):
    """A shade chart ("nuancier"): the shades a colour line comes in."""

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    shades: list[Shade] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _shades_belong_here(cls, data: object) -> object:
        # In a data file the chart id is written once; each shade inherits it as its ``line``.
        if isinstance(data, dict) and isinstance(data.get("shades"), list):
            chart_id = data.get("id")
            data = dict(data)
            data["shades"] = [
                {**s, "line": s.get("line", chart_id)} if isinstance(s, dict) else s for s in data["shades"]
            ]
        return data

    @model_validator(mode="after")
    def _unique(self) -> ShadeChart:
        seen: set[str] = set()
        for shade in self.shades:
            if shade.code in seen:
                raise ValueError(f"la nuance {shade.code} apparaît deux fois dans le nuancier {self.id}")
            if shade.line != self.id:
                raise ValueError(f"la nuance {shade.code} appartient au nuancier {shade.line}, pas {self.id}")
            seen.add(shade.code)
        return self

    def get(self, code: str) -> Shade | None:
        """The shade with this code, or None (the code is normalised first)."""
        try:
            wanted = normalize_shade_code(code)
        except ValueError:
            return None
        return next((s for s in self.shades if s.code == wanted), None)


class Product(DomainModel):
    """One catalogue reference. ``shade_chart`` is set for products sold by shade (colour creams)."""

    reference: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}-\d{2,5}$")
    name: str = Field(min_length=1, description="French label, as said on the phone.")
    size: str = Field(min_length=1, description="Content, e.g. « 100 ml », « 500 g ».")
    unit_price_ht: Money
    family: ProductFamily
    promo_eligible: bool = False
    shade_chart: str | None = None
    description: str | None = None
    price_invented: bool = True

    @field_validator("unit_price_ht")
    @classmethod
    def _positive_cents(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("le prix unitaire HT doit être positif")
        if round_cents(value) != value:
            raise ValueError("le prix unitaire HT se donne au centime près (deux décimales)")
        return value

    @property
    def label(self) -> str:
        """Name and size, as on an order line: « Mousse fixante 200 ml »."""
        return f"{self.name} {self.size}"


class ParcelItem(DomainModel):
    reference: str
    quantity: int = Field(ge=1)


class DiscoveryParcel(DomainModel):
    """The "colis découverte" of Doc 1: 7 references, 11 units, worth ``value_ht``."""

    value_ht: Money
    items: list[ParcelItem] = Field(min_length=1)


class Catalogue(DomainModel):
    """Products and shade charts of one company, with lookups that raise French sentences."""

    products: list[Product] = Field(min_length=1)
    shade_charts: list[ShadeChart] = Field(default_factory=list)
    discovery_parcel: DiscoveryParcel | None = None
    prices_note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        refs: set[str] = set()
        charts = {c.id for c in self.shade_charts}
        for product in self.products:
            if product.reference in refs:
                raise ValueError(f"la référence {product.reference} apparaît deux fois")
            refs.add(product.reference)
            if product.shade_chart is not None and product.shade_chart not in charts:
                raise ValueError(f"{product.reference} : nuancier « {product.shade_chart} » inconnu")
        if self.discovery_parcel is not None:
            total = Decimal("0")
            for item in self.discovery_parcel.items:
                if item.reference not in refs:
                    raise ValueError(f"colis découverte : référence {item.reference} inconnue")
                total += self._by_ref()[item.reference].unit_price_ht * item.quantity
            if total != self.discovery_parcel.value_ht:
                raise ValueError(
                    f"colis découverte : les prix donnent {total} € HT, pas {self.discovery_parcel.value_ht} € HT"
                )
        return self

    def _by_ref(self) -> dict[str, Product]:
        return {p.reference: p for p in self.products}

    def has_product(self, reference: str) -> bool:
        """True when the reference exists (case and spaces ignored)."""
        return str(reference).strip().upper() in self._by_ref()

    def product(self, reference: str) -> Product:
        """The product with this reference, or ``DomainError`` « Référence inconnue … »."""
        ref = str(reference).strip().upper()
        found = self._by_ref().get(ref)
        if found is None:
            raise DomainError(
                f"La référence « {reference} » n'existe pas dans le catalogue "
                f"(références : {', '.join(sorted(self._by_ref()))}).",
                field="reference",
            )
        return found

    def chart(self, chart_id: str) -> ShadeChart:
        """The shade chart with this id."""
        for chart in self.shade_charts:
            if chart.id == chart_id:
                return chart
        raise DomainError(f"Nuancier « {chart_id} » inconnu.", field="shade")

    def shades_for(self, reference: str) -> list[Shade]:
        """The shades a product comes in (empty for products sold without shade)."""
        product = self.product(reference)
        if product.shade_chart is None:
            return []
        return list(self.chart(product.shade_chart).shades)

    def shade(self, reference: str, code: str) -> Shade:
        """The shade ``code`` of product ``reference``, or ``DomainError`` naming what is wrong."""
        product = self.product(reference)
        if product.shade_chart is None:
            raise DomainError(f"Le produit « {product.label} » ne se vend pas par nuance.", field="shade")
        try:
            normalized = normalize_shade_code(code)
        except ValueError as exc:
            raise DomainError(f"{str(exc)[0].upper()}{str(exc)[1:]}.", field="shade") from None
        found = self.chart(product.shade_chart).get(normalized)
        if found is None:
            raise DomainError(
                f"La nuance {normalized} n'existe pas pour « {product.label} » "
                f"({len(self.shades_for(reference))} nuances, du 1 au 10).",
                field="shade",
            )
        return found

    def promo_eligible_references(self) -> list[str]:
        """References flagged as eligible to the monthly promotion."""
        return [p.reference for p in self.products if p.promo_eligible]
