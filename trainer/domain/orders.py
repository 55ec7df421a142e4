"""Orders: lines, the monthly promotion counted across shades, HT, TVA 20 %, TTC, delivery, status.

Rounding (docs/DECISIONS.md D3): a line's gross amount (unit price × quantity) is exact; its discount
is rounded half-up to the cent; the line's HT is gross − discount. The order's HT is the sum of the
lines' HT; the TVA is 20 % of that total, rounded half-up once; TTC = HT + TVA. So the printed lines
always add up to the printed total, and HT + TVA = TTC to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, computed_field, field_validator, model_validator

from trainer.domain.catalogue import Catalogue
from trainer.domain.clients import PaymentTerms, Segment, payment_terms_for
from trainer.domain.common import AwareDatetime, ClientNumber, DomainModel, OrderNumber, business_date
from trainer.domain.errors import DomainError
from trainer.domain.money import VAT_RATE, Money, Rate, round_cents, vat_of
from trainer.domain.promotions import Promotion, best_promotion
from trainer.domain.workdays import add_working_days

MIN_QUANTITY = 1
MAX_QUANTITY = 9_999
"""A line holds 1 to 9 999 units: more is a typing slip, not an order (D4)."""
MAX_LINES = 200

ZERO = Decimal("0")

CARRIER = "DPD"
DELIVERY_HOURS = 24


def parse_quantity(value: object) -> int:
    """Read a quantity typed in the ERP: an integer from 1 to 9 999, else one French sentence.

    Accepts ``48``, ``"48"``, ``" 48 "``, ``"1 000"``; refuses 0, negatives, decimals, 10 million and text.
    """
    if isinstance(value, bool):
        raise DomainError("La quantité doit être un nombre entier de 1 à 9 999.", field="quantity")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            shown = f"{value:g}".replace(".", ",")
            raise DomainError(f"La quantité doit être un nombre entier, pas {shown}.", field="quantity")
        number = int(value)
    elif isinstance(value, Decimal):
        if value != value.to_integral_value():
            shown = str(value).replace(".", ",")
            raise DomainError(f"La quantité doit être un nombre entier, pas {shown}.", field="quantity")
        number = int(value)
    else:
        text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
        if not text:
            raise DomainError("La quantité est vide : indiquez un nombre entier de 1 à 9 999.", field="quantity")
        sign = text[0] in "+-"
        digits = text[1:] if sign else text
        if not digits.isdigit():
            raise DomainError(
                f"« {str(value).strip()} » n'est pas une quantité : indiquez un nombre entier de 1 à 9 999.",
                field="quantity",
            )
        number = int(text)
    if number < MIN_QUANTITY:
        raise DomainError(
            f"La quantité doit être d'au moins 1 (reçu : {number}).", field="quantity"
        )
    if number > MAX_QUANTITY:
        raise DomainError(
            f"La quantité {number} dépasse le maximum de 9 999 par ligne : vérifiez la saisie.",
            field="quantity",
        )
    return number


class LineRequest(DomainModel):
    """What is asked for on one line: a reference, a shade for colour creams, a quantity."""

    reference: str = Field(min_length=1)
    quantity: int
    shade: str | None = None

    @field_validator("reference")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("shade", mode="before")
    @classmethod
    def _shade_text(cls, value: object) -> object:
        # A YAML file may write a shade unquoted (``shade: 6.4`` is read as a number).
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("quantity", mode="before")
    @classmethod
    def _quantity(cls, value: object) -> int:
        try:
            return parse_quantity(value)
        except DomainError as exc:
            raise ValueError(str(exc)) from None


class OrderLine(DomainModel):
    """A priced line of an order."""

    reference: str
    product: str = Field(description="French label with size: « Crème colorante sans ammoniaque 100 ml ».")
    shade: str | None = None
    shade_name: str | None = None
    quantity: int = Field(ge=MIN_QUANTITY, le=MAX_QUANTITY)
    unit_price_ht: Money
    discount_rate: Rate = ZERO
    promotion_id: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gross_ht(self) -> Decimal:
        """Unit price × quantity, before discount (exact)."""
        return self.unit_price_ht * self.quantity

    @computed_field  # type: ignore[prop-decorator]
    @property
    def discount_ht(self) -> Decimal:
        """The discount of the line, rounded half-up to the cent."""
        return round_cents(self.gross_ht * self.discount_rate)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_ht(self) -> Decimal:
        """Net HT of the line: gross − discount."""
        return self.gross_ht - self.discount_ht


class OrderStatus(StrEnum):
    """Life cycle of an order in the ERP."""

    ENREGISTREE = "enregistree"
    PREPAREE = "preparee"
    EXPEDIEE = "expediee"
    LIVREE = "livree"
    ANNULEE = "annulee"

    @property
    def label(self) -> str:
        return {
            "enregistree": "enregistrée",
            "preparee": "préparée",
            "expediee": "expédiée",
            "livree": "livrée",
            "annulee": "annulée",
        }[self.value]


ORDER_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.ENREGISTREE: frozenset({OrderStatus.PREPAREE, OrderStatus.ANNULEE}),
    OrderStatus.PREPAREE: frozenset({OrderStatus.EXPEDIEE, OrderStatus.ANNULEE}),
    OrderStatus.EXPEDIEE: frozenset({OrderStatus.LIVREE}),
    OrderStatus.LIVREE: frozenset(),
    OrderStatus.ANNULEE: frozenset(),
}


class DeliveryPromise(DomainModel):
    """The 24 h promise by the carrier (Doc 2, extended to every order: D5)."""

    carrier: str = CARRIER
    hours: int = DELIVERY_HOURS
    ordered_at: AwareDatetime
    expected_on: date = Field(description="Working day the parcel should reach the salon.")

    def wording(self) -> str:
        """« Livraison sous 24 h par DPD, prévue le 24/11/2026 »."""
        return f"Livraison sous {self.hours} h par {self.carrier}, prévue le {self.expected_on:%d/%m/%Y}"


def delivery_promise(now: datetime) -> DeliveryPromise:
    """Shipping within 24 h: delivery on the next working day after the order (D5)."""
    expected = add_working_days(business_date(now) + timedelta(days=1), 0)
    return DeliveryPromise(ordered_at=now, expected_on=expected)


class Order(DomainModel):
    """An order of the ERP. ``number`` (``CMD-2026-000123``) is assigned by the store on commit."""

    number: OrderNumber | None = None
    client_number: ClientNumber | None = None
    client_name: str = Field(min_length=1)
    client_company: str | None = None
    segment: Segment
    lines: list[OrderLine] = Field(min_length=1, max_length=MAX_LINES)
    payment_terms: PaymentTerms
    delivery: DeliveryPromise
    status: OrderStatus = OrderStatus.ENREGISTREE
    created_at: AwareDatetime
    channel: str = "telephone"
    notes: str | None = None
    seed_key: str | None = Field(default=None, description="Stable key of an order of the reference data.")

    @model_validator(mode="after")
    def _terms_follow_segment(self) -> Order:
        expected = payment_terms_for(self.segment)
        if self.payment_terms.code != expected.code:
            raise ValueError(
                f"les conditions de paiement d'un client « {self.segment.label} » sont « {expected.label} »"
            )
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_ht(self) -> Decimal:
        """Sum of the lines' net HT."""
        return sum((line.total_ht for line in self.lines), ZERO)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_discount(self) -> Decimal:
        return sum((line.discount_ht for line in self.lines), ZERO)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_tva(self) -> Decimal:
        """TVA 20 % on the total HT, rounded half-up once."""
        return vat_of(self.total_ht)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_ttc(self) -> Decimal:
        return self.total_ht + self.total_tva

    @property
    def vat_rate(self) -> Decimal:
        return VAT_RATE

    def with_status(self, new: OrderStatus | str) -> Order:
        """A copy in status ``new``; ``DomainError`` when the life cycle forbids it."""
        target = OrderStatus(new)
        if target not in ORDER_TRANSITIONS[self.status]:
            raise DomainError(
                f"Une commande « {self.status.label} » ne peut pas passer à « {target.label} ».", field="status"
            )
        return self.model_copy(update={"status": target})


def _merge(requests: Iterable[LineRequest]) -> list[LineRequest]:
    # The same product and shade typed twice is one line (quantities add up, order of first entry).
    merged: dict[tuple[str, str | None], LineRequest] = {}
    for req in requests:
        key = (req.reference, req.shade)
        if key in merged:
            total = merged[key].quantity + req.quantity
            merged[key] = LineRequest(reference=req.reference, shade=req.shade, quantity=parse_quantity(total))
        else:
            merged[key] = req
    return list(merged.values())


def price_lines(
    requests: Iterable[LineRequest | dict],
    catalogue: Catalogue,
    promotions: Iterable[Promotion] = (),
    *,
    on: date,
) -> list[OrderLine]:
    """Check and price order lines; apply the promotion counted across shades (D2).

    Every unit of the eligible references counts towards the tier (all shades, all lines); the
    tier reached gives the same rate to every eligible line; other lines get 0. Raises
    ``DomainError`` (one French sentence) on an unknown product, a missing or unknown shade, a shade
    on a product sold without shade, or a bad quantity.
    """
    parsed: list[LineRequest] = []
    for index, raw in enumerate(requests, start=1):
        req = raw if isinstance(raw, LineRequest) else _line_request(raw, index)
        product = catalogue.product(req.reference)
        if product.shade_chart is not None:
            if not req.shade:
                raise DomainError(
                    f"Ligne {index} : précisez la nuance de « {product.label} » (par exemple 6.4).", field="shade"
                )
            shade = catalogue.shade(req.reference, req.shade)
            req = req.model_copy(update={"shade": shade.code})
        elif req.shade:
            raise DomainError(f"Ligne {index} : « {product.label} » ne se vend pas par nuance.", field="shade")
        parsed.append(req)
    if not parsed:
        raise DomainError("La commande ne contient aucune ligne.", field="lines")
    merged = _merge(parsed)
    if len(merged) > MAX_LINES:
        raise DomainError(f"Une commande compte au plus {MAX_LINES} lignes.", field="lines")

    promos = list(promotions)
    # Units per promotion, across every eligible line and shade.
    counted: dict[str, int] = {}
    chosen: dict[str, Promotion | None] = {}
    for req in merged:
        promo = best_promotion(promos, req.reference, on)
        chosen[req.reference] = promo
        if promo is not None:
            counted[promo.id] = counted.get(promo.id, 0) + req.quantity

    lines: list[OrderLine] = []
    for req in merged:
        product = catalogue.product(req.reference)
        promo = chosen[req.reference]
        rate = promo.discount_rate(counted[promo.id]) if promo else ZERO
        shade_name = catalogue.shade(req.reference, req.shade).name if req.shade else None
        lines.append(
            OrderLine(
                reference=product.reference,
                product=product.label,
                shade=req.shade,
                shade_name=shade_name,
                quantity=req.quantity,
                unit_price_ht=product.unit_price_ht,
                discount_rate=rate,
                promotion_id=promo.id if promo and rate > 0 else None,
            )
        )
    return lines


def _line_request(raw: object, index: int) -> LineRequest:
    if not isinstance(raw, dict):
        raise DomainError(f"Ligne {index} : référence, nuance et quantité attendues.", field="lines")
    quantity = raw.get("quantity", raw.get("quantite"))
    try:
        qty = parse_quantity(quantity)
    except DomainError as exc:
        raise DomainError(f"Ligne {index} : {exc}", field="quantity") from None
    reference = str(raw.get("reference", "")).strip()
    if not reference:
        raise DomainError(f"Ligne {index} : la référence du produit manque.", field="reference")
    shade = raw.get("shade", raw.get("nuance"))
    return LineRequest(reference=reference, quantity=qty, shade=str(shade) if shade not in (None, "") else None)


def price_order(
    requests: Iterable[LineRequest | dict],
    catalogue: Catalogue,
    promotions: Iterable[Promotion],
    *,
    client_name: str,
    segment: Segment | str,
    now: datetime,
    client_number: str | None = None,
    client_company: str | None = None,
    number: str | None = None,
    channel: str = "telephone",
) -> Order:
    """Build a priced order for a client: lines, promotion, terms of the segment, 24 h promise."""
    seg = Segment(segment)
    lines = price_lines(requests, catalogue, promotions, on=business_date(now))
    return Order(
        number=number,
        client_number=client_number,
        client_name=client_name,
        client_company=client_company,
        segment=seg,
        lines=lines,
        payment_terms=payment_terms_for(seg),
        delivery=delivery_promise(now),
        created_at=now,
        channel=channel,
    )
