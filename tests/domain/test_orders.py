"""Order pricing: promotion tiers at their edges, across shades, rounding, bad quantities, totals."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.content.company import load_company
from trainer.domain.catalogue import Catalogue, Product, Shade, ShadeChart
from trainer.domain.common import PARIS
from trainer.domain.errors import DomainError
from trainer.domain.orders import OrderStatus, parse_quantity, price_lines, price_order
from trainer.domain.promotions import Promotion, PromotionTier

NOW = datetime(2026, 11, 18, 10, 30, tzinfo=PARIS)  # a Wednesday
CCS = "GNK-CCS-100"
CCA = "GNK-CCA-100"


@pytest.fixture(scope="module")
def company():
    return load_company("generik", today=date(2026, 11, 18))


def _lines(company, requests):
    return price_lines(requests, company.catalogue, company.promotions, on=NOW.date())


@pytest.mark.parametrize(
    ("quantity", "rate"),
    [(1, "0"), (19, "0"), (20, "0.10"), (21, "0.10"), (47, "0.10"), (48, "0.20"), (71, "0.20"), (72, "0.30"), (500, "0.30")],
)
def test_tier_edges_on_one_line(company, quantity, rate):
    (line,) = _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": quantity}])
    assert line.discount_rate == Decimal(rate)
    gross = Decimal("3.80") * quantity
    assert line.total_ht == gross - (gross * Decimal(rate)).quantize(Decimal("0.01"))


def test_shades_add_up_across_a_tier(company):
    # 10 + 10 = 20 in two shades → 10 % on both lines.
    lines = _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": 10}, {"reference": CCS, "shade": "7.44", "quantity": 10}])
    assert [line.discount_rate for line in lines] == [Decimal("0.10")] * 2
    # 19 across three shades: no discount.
    lines = _lines(
        company,
        [
            {"reference": CCS, "shade": "5", "quantity": 9},
            {"reference": CCS, "shade": "6", "quantity": 5},
            {"reference": CCS, "shade": "7", "quantity": 5},
        ],
    )
    assert all(line.discount_rate == 0 for line in lines)
    # 24 + 24 = 48 → 20 %; 47 across shades stays at 10 %.
    lines = _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": 24}, {"reference": CCS, "shade": "6.66", "quantity": 24}])
    assert {line.discount_rate for line in lines} == {Decimal("0.20")}
    lines = _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": 24}, {"reference": CCS, "shade": "6.66", "quantity": 23}])
    assert {line.discount_rate for line in lines} == {Decimal("0.10")}
    # one tube of each of the 72 shades → 30 %
    shades = [s.code for s in company.catalogue.shades_for(CCS)]
    lines = _lines(company, [{"reference": CCS, "shade": code, "quantity": 1} for code in shades])
    assert len(lines) == 72 and {line.discount_rate for line in lines} == {Decimal("0.30")}
    lines = _lines(company, [{"reference": CCS, "shade": code, "quantity": 1} for code in shades[:71]])
    assert {line.discount_rate for line in lines} == {Decimal("0.20")}


def test_no_discount_on_other_products_and_no_stacking(company):
    lines = _lines(
        company,
        [
            {"reference": CCS, "shade": "6.4", "quantity": 48},
            {"reference": CCA, "shade": "6.4", "quantity": 48},
            {"reference": "GNK-MFX-200", "quantity": 30},
        ],
    )
    by_ref = {line.reference: line for line in lines}
    assert by_ref[CCS].discount_rate == Decimal("0.20")
    assert by_ref[CCA].discount_rate == 0
    assert by_ref["GNK-MFX-200"].discount_rate == 0
    # Ammonia creams never count towards the tier of the ammonia-free ones.
    lines = _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": 19}, {"reference": CCA, "shade": "6.4", "quantity": 30}])
    assert all(line.discount_rate == 0 for line in lines)


def test_same_product_and_shade_twice_is_one_line(company):
    lines = _lines(company, [{"reference": CCS, "shade": "6,4", "quantity": 10}, {"reference": "gnk-ccs-100", "shade": "6.4", "quantity": 10}])
    assert len(lines) == 1 and lines[0].quantity == 20 and lines[0].discount_rate == Decimal("0.10")


def test_order_of_48_tubes_and_a_shampoo(company):
    order = price_order(
        [{"reference": CCS, "shade": "6.4", "quantity": 30}, {"reference": CCS, "shade": "7.44", "quantity": 18}, {"reference": "GNK-SHA-1000", "quantity": 1}],
        company.catalogue,
        company.promotions,
        client_name="Patricia Lagarde",
        segment="salon_independant",
        now=NOW,
    )
    # 48 × 3.80 = 182.40, −20 % = 145.92 ; + 6.90 = 152.82 HT ; TVA 30.564 → 30.56 ; TTC 183.38
    assert order.total_ht == Decimal("152.82")
    assert order.total_tva == Decimal("30.56")
    assert order.total_ttc == Decimal("183.38")
    assert order.total_discount == Decimal("36.48")
    assert order.payment_terms.code == "comptant"
    assert order.delivery.carrier == "DPD" and order.delivery.expected_on == date(2026, 11, 19)
    assert order.status is OrderStatus.ENREGISTREE


def test_wholesaler_order_is_on_30_days_end_of_month(company):
    order = price_order([{"reference": "GNK-OXC-1000", "quantity": 100}], company.catalogue, company.promotions,
                        client_name="Philippe Germain", segment="grossiste", now=NOW)
    assert order.payment_terms.code == "30_jours_fin_de_mois"
    assert "LCR" in order.payment_terms.label


def test_friday_evening_order_is_delivered_monday(company):
    friday = datetime(2026, 11, 20, 18, 0, tzinfo=PARIS)
    order = price_order([{"reference": "GNK-OXC-1000", "quantity": 1}], company.catalogue, company.promotions,
                        client_name="X Y", segment="apprenti", now=friday)
    assert order.delivery.expected_on == date(2026, 11, 23)
    assert "DPD" in order.delivery.wording()


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (0, "au moins 1"),
        ("0", "au moins 1"),
        (-5, "au moins 1"),
        ("-5", "au moins 1"),
        (10_000_000, "maximum de 9 999"),
        ("10000", "maximum de 9 999"),
        ("quarante", "n'est pas une quantité"),
        ("12.5", "n'est pas une quantité"),
        (2.5, "entier"),
        ("", "vide"),
        (None, "n'est pas une quantité"),
        (True, "entier"),
    ],
)
def test_bad_quantities_get_one_french_sentence(value, fragment):
    with pytest.raises(DomainError) as err:
        parse_quantity(value)
    assert fragment in str(err.value)
    assert str(err.value).endswith(".")


@pytest.mark.parametrize(("value", "expected"), [(1, 1), ("48", 48), (" 72 ", 72), ("1 000", 1000), (9999, 9999), (48.0, 48)])
def test_good_quantities(value, expected):
    assert parse_quantity(value) == expected


def test_quantities_adding_up_beyond_the_maximum_are_refused(company):
    with pytest.raises(DomainError, match="9 999"):
        _lines(company, [{"reference": CCS, "shade": "6.4", "quantity": 9000}, {"reference": CCS, "shade": "6.4", "quantity": 1000}])


@pytest.mark.parametrize(
    ("request_", "fragment"),
    [
        ({"reference": "GNK-XYZ-100", "quantity": 1}, "n'existe pas dans le catalogue"),
        ({"reference": CCS, "quantity": 5}, "précisez la nuance"),
        ({"reference": CCS, "shade": "11.4", "quantity": 5}, "n'est pas un code de nuance"),
        ({"reference": CCS, "shade": "6.9", "quantity": 5}, "La nuance 6.9 n'existe pas"),
        ({"reference": "GNK-MFX-200", "shade": "6.4", "quantity": 5}, "ne se vend pas par nuance"),
        ({"reference": CCS, "shade": "6.4", "quantity": "beaucoup"}, "n'est pas une quantité"),
        ({"reference": "", "quantity": 1}, "référence"),
    ],
)
def test_bad_lines_name_what_is_wrong(company, request_, fragment):
    with pytest.raises(DomainError) as err:
        _lines(company, [request_])
    assert fragment in str(err.value)


def test_empty_order_is_refused(company):
    with pytest.raises(DomainError, match="aucune ligne"):
        _lines(company, [])


def test_status_life_cycle(company):
    order = price_order([{"reference": "GNK-OXC-1000", "quantity": 1}], company.catalogue, company.promotions,
                        client_name="X Y", segment="apprenti", now=NOW)
    shipped = order.with_status("preparee").with_status("expediee")
    assert shipped.with_status("livree").status is OrderStatus.LIVREE
    with pytest.raises(DomainError, match="ne peut pas passer"):
        shipped.with_status("annulee")
    with pytest.raises(DomainError):
        order.with_status("livree")


def test_order_number_format_is_checked(company):
    order = price_order([{"reference": "GNK-OXC-1000", "quantity": 1}], company.catalogue, company.promotions,
                        client_name="X Y", segment="apprenti", now=NOW, number="CMD-2026-000123")
    assert order.number == "CMD-2026-000123"
    with pytest.raises(ValueError, match="CMD-2026-000123"):
        order.number = "CMD-26-12"


# --- rounding half-up, on a catalogue built for it ---------------------------------------------


def _tiny_catalogue(price: str) -> Catalogue:
    chart = ShadeChart(id="n", label="n", shades=[Shade(code="6", name="Blond foncé", level=6, line="n", invented=True)])
    return Catalogue(
        products=[
            Product(reference="TST-PRO-100", name="Produit", size="1", unit_price_ht=price, family="soin", promo_eligible=True),
            Product(reference="TST-AUT-100", name="Autre", size="1", unit_price_ht="0.01", family="soin"),
        ],
        shade_charts=[chart],
    )


PROMO = Promotion(id="p", label="p", eligible_references=["TST-PRO-100"],
                  tiers=[PromotionTier(min_quantity=1, rate="0.10"), PromotionTier(min_quantity=100, rate="0.25")])


@pytest.mark.parametrize(
    ("price", "qty", "discount", "total"),
    [
        ("0.05", 1, "0.01", "0.04"),  # 0.005 → 0.01 (half-up, not half-even 0.00)
        ("0.15", 1, "0.02", "0.13"),  # 0.015 → 0.02
        ("0.25", 1, "0.03", "0.22"),  # 0.025 → 0.03 (half-even would give 0.02)
        ("0.04", 1, "0.00", "0.04"),  # 0.004 → 0.00
        ("0.02", 100, "0.50", "1.50"),  # 25 % of 2.00
        ("0.03", 101, "0.76", "2.27"),  # 25 % of 3.03 = 0.7575 → 0.76
    ],
)
def test_discount_rounds_half_up_per_line(price, qty, discount, total):
    (line,) = price_lines([{"reference": "TST-PRO-100", "quantity": qty}], _tiny_catalogue(price), [PROMO], on=NOW.date())
    assert line.discount_ht == Decimal(discount)
    assert line.total_ht == Decimal(total)


def test_vat_rounds_half_up_once_on_the_total():
    catalogue = _tiny_catalogue("0.05")
    order = price_order([{"reference": "TST-AUT-100", "quantity": 3}], catalogue, [], client_name="X Y",
                        segment="apprenti", now=NOW)
    # 0.03 HT → TVA 0.006 → 0.01
    assert (order.total_ht, order.total_tva, order.total_ttc) == (Decimal("0.03"), Decimal("0.01"), Decimal("0.04"))


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)
quantities = st.integers(min_value=1, max_value=9_999)


@settings(max_examples=150, deadline=None)
@given(price_a=prices, price_b=prices, qa=quantities, qb=quantities, qc=quantities)
def test_totals_are_consistent(price_a, price_b, qa, qb, qc):
    chart = ShadeChart(
        id="n",
        label="n",
        shades=[
            Shade(code="6", name="a", level=6, line="n", invented=True),
            Shade(code="7", name="b", level=7, line="n", invented=True),
        ],
    )
    catalogue = Catalogue(
        products=[
            Product(reference="TST-PRO-100", name="P", size="1", unit_price_ht=price_a, family="coloration", promo_eligible=True, shade_chart="n"),
            Product(reference="TST-AUT-100", name="A", size="1", unit_price_ht=price_b, family="soin"),
        ],
        shade_charts=[chart],
    )
    promo = Promotion(id="p", label="p", eligible_references=["TST-PRO-100"],
                      tiers=[PromotionTier(min_quantity=20, rate="0.10"), PromotionTier(min_quantity=48, rate="0.20"),
                             PromotionTier(min_quantity=72, rate="0.30")])
    order = price_order(
        [{"reference": "TST-PRO-100", "shade": "6", "quantity": qa}, {"reference": "TST-PRO-100", "shade": "7", "quantity": qb},
         {"reference": "TST-AUT-100", "quantity": qc}],
        catalogue, [promo], client_name="X Y", segment="salon_independant", now=NOW,
    )
    cents = Decimal("0.01")
    assert order.total_ht + order.total_tva == order.total_ttc
    assert order.total_ht == sum(line.total_ht for line in order.lines)
    for amount in (order.total_ht, order.total_tva, order.total_ttc):
        assert amount >= 0 and amount == amount.quantize(cents)
    expected_rate = promo.discount_rate(qa + qb)
    for line in order.lines:
        assert 0 <= line.total_ht <= line.gross_ht
        if line.reference == "TST-AUT-100":
            assert line.discount_rate == 0 and line.total_ht == line.gross_ht
        else:
            assert line.discount_rate == expected_rate
