"""The companies' reference data loads, is complete, and bad files are refused with file, line, field."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from trainer.content.company import load_company, reference_dir
from trainer.domain.clients import Segment
from trainer.errors import UserError

INTERFACE_REFERENCES = {
    "GNK-SPB-300",
    "GNK-MFX-200",
    "GNK-SHA-1000",
    "GNK-PDB-500",
    "GNK-OXC-1000",
    "GNK-CCA-100",
    "GNK-CCS-100",
}


@pytest.fixture(scope="module")
def generik():
    return load_company("generik")


def test_catalogue_has_the_seven_references_of_the_interfaces(generik):
    assert {p.reference for p in generik.catalogue.products} == INTERFACE_REFERENCES
    assert generik.catalogue.product("GNK-CCS-100").promo_eligible
    assert [p.reference for p in generik.catalogue.products if p.promo_eligible] == ["GNK-CCS-100"]


def test_both_colour_lines_share_the_same_72_shades(generik):
    with_ammonia = generik.catalogue.shades_for("GNK-CCA-100")
    without = generik.catalogue.shades_for("GNK-CCS-100")
    assert len(with_ammonia) == len(without) == 72
    assert [s.code for s in with_ammonia] == [s.code for s in without]
    assert {s.level for s in without} == set(range(1, 11))
    assert generik.catalogue.shade("GNK-CCS-100", "1").name == "Noir"
    assert generik.catalogue.shade("GNK-CCS-100", "10").name == "Blond très clair éclaircissant"
    # Only the two end labels come from the source: everything else is marked invented.
    assert [s.code for s in without if not s.invented] == ["1", "10"]
    assert generik.catalogue.shade("GNK-CCA-100", "6.4").name == "Blond foncé cuivré"
    # copper (.4) and red (.6) reflects exist (Doc 7 review 1)
    assert any(s.code.endswith(".4") for s in without) and any(s.code.endswith(".6") for s in without)


def test_discovery_parcel_is_worth_53_euros_ht(generik):
    parcel = generik.catalogue.discovery_parcel
    total = sum(generik.catalogue.product(i.reference).unit_price_ht * i.quantity for i in parcel.items)
    assert total == Decimal("53.00") == parcel.value_ht
    assert len(parcel.items) == 7 and sum(i.quantity for i in parcel.items) == 11
    assert all(p.price_invented for p in generik.catalogue.products)


def test_monthly_promotion_is_data(generik):
    (promo,) = generik.promotions
    assert promo.eligible_references == ["GNK-CCS-100"]
    assert [(t.min_quantity, t.rate) for t in promo.tiers] == [
        (20, Decimal("0.10")),
        (48, Decimal("0.20")),
        (72, Decimal("0.30")),
    ]


def test_clients_cover_every_segment_and_delmotte(generik):
    assert 28 <= len(generik.clients) <= 40
    assert {c.segment for c in generik.clients} >= {
        Segment.SALON_INDEPENDANT,
        Segment.SALON_ENSEIGNE,
        Segment.COIFFEUR_DOMICILE,
        Segment.GROSSISTE,
        Segment.APPRENTI,
    }
    delmotte = next(c for c in generik.clients if c.name == "Dominique Delmotte")
    assert delmotte.company == "Dominique coiffure à domicile"
    assert delmotte.segment is Segment.COIFFEUR_DOMICILE
    assert delmotte.payment_terms.code == "comptant"
    assert len(generik.clients_by(segment="grossiste")) >= 3
    salons_na = [
        c for c in generik.clients if c.region == "Nouvelle-Aquitaine" and c.kind == "salon"
    ]
    assert len(salons_na) >= 3


def test_persons_include_mocher(generik):
    assert generik.person("M. Mocher").full_name == "M. Bruno Mocher"
    assert {s.id for s in generik.services} == {"technique", "logistique", "daf", "clientele"}


def test_every_reference_file_has_version_1():
    for company in ("generik", "servfamilles"):
        for path in reference_dir(company).glob("*.yaml"):
            assert path.read_text(encoding="utf-8").startswith("version: 1"), path


def _copy_reference(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(reference_dir("generik"), target)
    return target


def test_bad_phone_is_refused_with_file_line_and_field(tmp_path):
    folder = _copy_reference(tmp_path)
    path = folder / "clients.yaml"
    text = path.read_text(encoding="utf-8").replace('phone: "05 36 49 10 02"', 'phone: "0536"', 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"0536"' in row)
    with pytest.raises(UserError) as err:
        load_company("generik", directory=folder)
    message = str(err.value)
    assert "clients.yaml" in message
    assert f"ligne {line}" in message
    assert "clients[1].contact.phone" in message
    assert "numéro de téléphone" in message


def test_prices_inconsistent_with_the_parcel_are_refused(tmp_path):
    folder = _copy_reference(tmp_path)
    path = folder / "catalogue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"6.20"', '"6.30"'), encoding="utf-8")
    with pytest.raises(UserError, match="53"):
        load_company("generik", directory=folder)


def test_unknown_file_missing_version_and_duplicate_key_are_refused(tmp_path):
    folder = _copy_reference(tmp_path)
    (folder / "clientz.yaml").write_text("version: 1\n", encoding="utf-8")
    with pytest.raises(UserError, match="clientz.yaml"):
        load_company("generik", directory=folder)
    (folder / "clientz.yaml").unlink()
    promo = folder / "promotions.yaml"
    promo.write_text(promo.read_text(encoding="utf-8").replace("version: 1\n", "", 1), encoding="utf-8")
    with pytest.raises(UserError, match=r"promotions.yaml.*champ version : champ obligatoire"):
        load_company("generik", directory=folder)
    promo.write_text("version: 1\nversion: 1\npromotions: []\n", encoding="utf-8")
    with pytest.raises(UserError, match="ligne 2.*clé en double"):
        load_company("generik", directory=folder)


def test_promotion_on_unknown_reference_is_refused(tmp_path):
    folder = _copy_reference(tmp_path)
    promo = folder / "promotions.yaml"
    promo.write_text(promo.read_text(encoding="utf-8").replace("[GNK-CCS-100]", "[GNK-XXX-100]"), encoding="utf-8")
    with pytest.raises(UserError, match="GNK-XXX-100"):
        load_company("generik", directory=folder)


def test_unknown_company_is_one_sentence():
    with pytest.raises(UserError, match="inconnue"):
        load_company("acme")


def test_servfamilles_reference_data():
    company = load_company("servfamilles")
    assert company.facts.legal_name == "S.A.R.L. SERV'FAMILLES"
    assert company.facts.address.city == "Poitiers"
    assert company.person("M. Durand").full_name == "M. Grégoire Durand"
    assert company.person("Mme Lebrun").service == "secretariat"
    hotel = next(c for c in company.external_contacts if c.id == "nofitel")
    assert hotel.organisation == "NOFITEL LILLE MÉTROPOLE" and hotel.phone == "03 28 33 12 12"
    assert len(company.partners) >= 6 and all(p.invented for p in company.partners)
    assert company.clients and all(c.segment is Segment.PARTICULIER for c in company.clients)
    assert company.catalogue is None and company.promotions == []


def test_relative_dates_follow_the_loading_day():
    from datetime import date, timedelta

    day = date(2026, 11, 22)
    company = load_company("generik", today=day)
    delmotte_2 = next(o for o in company.past_orders if o.seed_key == "delmotte-2")
    assert delmotte_2.created_at.date() == day - timedelta(days=6)
    assert delmotte_2.client_number == "CLI-00042"
    later = load_company("generik", today=day + timedelta(days=10))
    assert next(o for o in later.past_orders if o.seed_key == "delmotte-2").created_at.date() == day + timedelta(days=4)
    assert {r.id for r in company.reviews} >= {"avis-1-cuivre-rouge", "avis-2-cadeau"}
    assert company.complaint_procedure is not None


def test_reminder_in_the_future_is_refused(tmp_path):
    folder = _copy_reference(tmp_path)
    path = folder / "invoices.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "{invoice: FAC-004502, stage: email, after_due_days: 7,", "{invoice: FAC-004502, stage: email, after_due_days: 700,"
    )
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "after_due_days: 700" in row)
    with pytest.raises(UserError, match=rf"invoices.yaml, ligne {line}, champ reminders\[0\] : .*après aujourd'hui"):
        load_company("generik", directory=folder)


def test_bad_quantity_in_past_orders_names_the_line(tmp_path):
    folder = _copy_reference(tmp_path)
    path = folder / "orders.yaml"
    text = path.read_text(encoding="utf-8").replace("quantity: 6}", "quantity: 10000000}", 1)
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if "10000000" in row)
    with pytest.raises(UserError, match=rf"orders.yaml, ligne {line}, champ orders\[0\].lines\[0\].quantity : .*9 999"):
        load_company("generik", directory=folder)
