"""The ERP draft of a call: built into domain objects with French problems, then into public records."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from trainer.content.company import load_company
from trainer.domain.common import PARIS
from trainer.domain.complaints import ComplaintStatus
from trainer.domain.erp_draft import ErpDraft, build_from_draft, parse_date, parse_segment, to_records
from trainer.domain.errors import DomainError
from trainer.domain.records import CallRecords

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=PARIS)  # a Friday


@pytest.fixture(scope="module")
def company():
    return load_company("generik", today=NOW.date())


def build(company, data, **kw):
    return build_from_draft(ErpDraft.model_validate(data), company, NOW, **kw)


NEW_CLIENT = {
    "name": "Hélène Vasseur",
    "civility": "Madame",
    "company": "Salon Hélène",
    "segment": "salon indépendant",
    "region": "nouvelle aquitaine",
    "phone": "05 36 49 99 01",
    "email": "Salon.Helene@example.com",
    "street": "3 rue Thiers",
    "postcode": "33500",
    "city": "Libourne",
}


def test_new_client_order_with_promotion_and_callback(company):
    result = build(
        company,
        {
            "client": NEW_CLIENT,
            "lines": [
                {"reference": "GNK-CCS-100", "shade": "6,4", "quantity": "24"},
                {"reference": "GNK-CCS-100", "shade": "7.44", "quantity": 24},
                {"reference": "GNK-SHA-1000", "quantity": "1"},
            ],
            "message": {"for": "service technique", "subject": "Conseil sur les nuances", "callback_when": "lundi matin"},
        },
        taken_by="alice",
    )
    assert result.ok, result.errors
    assert result.client_is_new and result.client.status == "client"
    assert result.client.segment == "salon_independant" and result.client.civility == "Mme"
    assert result.client.contact.email == "salon.helene@example.com"
    order = result.order
    assert [line.discount_rate for line in order.lines] == [Decimal("0.20"), Decimal("0.20"), Decimal("0")]
    assert order.payment_terms.code == "comptant"
    assert result.message.for_ == "Service technique"
    assert result.message.caller_name == "Hélène Vasseur" and result.message.caller_company == "Salon Hélène"
    assert result.message.callback_number == "05 36 49 99 01"
    assert [e.purpose for e in result.contact_entries] == ["commande", "message"]
    assert result.contact_entries[0].client_number is None  # filled by the store on commit

    committed = [order.model_copy(update={"number": "CMD-2026-000042"}), result.message.model_copy(update={"id": "MSG-2026-000007"})]
    records = CallRecords(records=to_records(committed, company)).to_jsonable()
    assert records[0]["kind"] == "order" and records[0]["id"] == "CMD-2026-000042"
    assert records[0]["client"] == {"name": "Hélène Vasseur", "kind": "salon", "company": "Salon Hélène"}
    assert records[0]["lines"][0] == {
        "product": "Crème colorante sans ammoniaque 100 ml", "reference": "GNK-CCS-100", "quantity": 24,
        "unit_price_ht": "3.80", "discount_rate": "0.20", "total_ht": "72.96", "shade": "6.4",
    }
    assert records[0]["total_ht"] == "152.82" and records[0]["total_ttc"] == "183.38"
    assert records[0]["payment_terms"] == "comptant"
    assert records[1] == {"kind": "message", "id": "MSG-2026-000007", "for": "Service technique",
                          "caller": {"name": "Hélène Vasseur", "company": "Salon Hélène"},
                          "callback_number": "05 36 49 99 01", "subject": "Conseil sur les nuances", "callback_when": "lundi matin"}


def test_existing_prospect_ordering_becomes_client(company):
    result = build(company, {"client": {"number": "cli-00028"}, "lines": [{"reference": "GNK-MFX-200", "quantity": 2}]})
    assert result.ok and not result.client_is_new and result.client_became_client
    assert result.client.number == "CLI-00028" and result.client.status == "client"
    assert result.contact_entries[0].client_number == "CLI-00028"


def test_duplicate_client_creation_is_warned(company):
    result = build(company, {"client": {**NEW_CLIENT, "phone": "05 36 49 10 28"}, "lines": [{"reference": "GNK-MFX-200", "quantity": 1}]})
    assert result.ok
    assert any("CLI-00028" in w and "déjà exister" in w for w in result.warnings)


def test_promotion_next_tier_is_pointed_out(company):
    result = build(company, {"client": {"number": "CLI-00001"}, "lines": [{"reference": "GNK-CCS-100", "shade": "6", "quantity": 40}]})
    assert any("à partir de 48, la remise passe à 20 %" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ({"reference": "GNK-CCS-100", "shade": "6.4", "quantity": 0}, "Ligne 1 : la quantité doit être d'au moins 1"),
        ({"reference": "GNK-CCS-100", "shade": "6.4", "quantity": -3}, "Ligne 1 : la quantité doit être d'au moins 1"),
        ({"reference": "GNK-CCS-100", "shade": "6.4", "quantity": 10_000_000}, "dépasse le maximum de 9 999"),
        ({"reference": "GNK-CCS-100", "shade": "6.4", "quantity": "quarante-huit"}, "n'est pas une quantité"),
        ({"reference": "GNK-XXX-100", "quantity": 1}, "n'existe pas dans le catalogue"),
        ({"reference": "GNK-CCS-100", "shade": "6.9", "quantity": 1}, "la nuance 6.9 n'existe pas"),
        ({"reference": "GNK-CCS-100", "quantity": 1}, "précisez la nuance"),
    ],
)
def test_bad_lines_block_the_order(company, line, fragment):
    result = build(company, {"client": {"number": "CLI-00001"}, "lines": [line]})
    assert not result.ok and result.order is None
    assert any(fragment in e for e in result.errors), result.errors
    assert all(e.endswith(".") for e in result.errors)


def test_order_without_client_and_incomplete_new_client(company):
    result = build(company, {"lines": [{"reference": "GNK-MFX-200", "quantity": 1}]})
    assert result.errors == ["Commande : identifiez le client (numéro client) ou créez sa fiche."]
    result = build(company, {"client": {"name": "Jean"}, "lines": [{"reference": "GNK-MFX-200", "quantity": 1}]})
    assert "Nouveau client : indiquez le type de client (segment), la région, un téléphone ou une adresse électronique." in result.errors
    result = build(company, {"client": {**NEW_CLIENT, "phone": "12", "email": None}})
    assert any("Nouveau client, téléphone" in e for e in result.errors)
    result = build(company, {"client": {"number": "CLI-99999"}})
    assert result.errors == ["Client : aucun client ne porte le numéro « CLI-99999 »."]


def test_complaint_from_the_draft(company):
    result = build(
        company,
        {
            "client": {"number": "CLI-00042"},
            "complaint": {"category": "livraison_erreur_preparation", "facts": "Boîtes de tubes écrasées sous les flacons, deuxième fois.",
                          "solution": "Nouvel envoi des tubes", "admissible": True},
        },
    )
    assert result.ok, result.errors
    complaint = result.complaint
    assert complaint.status is ComplaintStatus.EN_TRAITEMENT
    assert complaint.customer_deadline == date(2026, 11, 23)  # Friday J+1 → Monday
    assert complaint.informed_services == ["logistique"]
    (record,) = to_records([complaint.model_copy(update={"number": "REC-2026-000003"})], company)
    data = record.model_dump(mode="json", exclude_none=True)
    assert data["category"] == "livraison_erreur_preparation" and data["responsible_service"] == "clientele"
    assert data["customer_deadline"] == "2026-11-23" and data["status"] == "en_traitement"
    assert data["client"]["name"] == "Dominique Delmotte" and data["solution"] == "Nouvel envoi des tubes"


def test_complaint_problems(company):
    result = build(company, {"complaint": {"category": "colis", "facts": "", "order_number": "123"}})
    errors = " ".join(result.errors)
    assert "catégorie « colis » inconnue" in errors and "décrivez les faits" in errors
    assert "n'est pas un numéro de commande" in errors and "identifiez le client" in errors
    result = build(company, {"client": {"number": "CLI-00042"}, "complaint": {"category": "livraison_avarie", "facts": "Colis écrasé"}})
    assert result.ok and result.warnings == ["Réclamation : aucune solution n'est notée pour le client."]


def test_message_for_mocher_and_unknown_recipient(company):
    result = build(company, {"message": {"for": "M. Mocher", "caller_name": "Paul Vidal", "caller_company": "Brosses & Co",
                                         "callback_number": "06 39 98 11 22", "subject": "Présentation de brosses",
                                         "callback_when": "jeudi après 14 h"}})
    assert result.ok and result.warnings == []
    assert result.message.for_ == "M. Mocher"
    assert result.contact_entries == []  # the caller is not a client
    result = build(company, {"message": {"for": "Mocher", "caller_name": "Paul Vidal"}})
    assert result.message.for_ == "M. Mocher"
    result = build(company, {"message": {"for": "M. Dupuis", "caller_name": "Paul Vidal"}})
    assert any("destinataire « M. Dupuis » inconnu" in e for e in result.errors)
    result = build(company, {"message": {"for": "M. Mocher", "caller_name": "Paul Vidal", "callback_number": "0612"}})
    assert any("numéro à rappeler" in e for e in result.errors)


def test_reminder_with_promise(company):
    result = build(company, {"client": {"number": "CLI-00020"},
                             "reminder": {"invoice_number": "fac-004502", "outcome": "promesse_de_paiement",
                                          "promised_date": "30/11/2026", "promised_method": "lcr", "contact_person": "Philippe Germain"}})
    assert result.ok, result.errors
    log = result.reminder
    assert log.stage == "telephone"  # the stage due for this invoice
    assert log.promised_payment_date == date(2026, 11, 30)
    invoice = company.invoice("FAC-004502")
    assert log.amount_due == invoice.amount_ttc
    (record,) = to_records([log.model_copy(update={"id": "REL-2026-000001"})], company)
    data = record.model_dump(mode="json", exclude_none=True)
    assert data["client"]["name"] == "Philippe Germain" and data["invoice"] == "FAC-004502"
    assert data["stage"] == "telephone" and data["outcome"] == "promesse_de_paiement"
    assert data["promised_payment_date"] == "2026-11-30" and data["amount_due"] == f"{invoice.amount_ttc:.2f}"


def test_reminder_problems(company):
    result = build(company, {"reminder": {"invoice_number": "FAC-000000", "outcome": "refus"}})
    assert result.errors == ["Relance : aucune facture ne porte le numéro « FAC-000000 »."]
    result = build(company, {"reminder": {"invoice_number": "FAC-004502", "outcome": "promesse_de_paiement"}})
    assert result.errors == ["Relance : une promesse de paiement demande la date de paiement promise."]
    result = build(company, {"reminder": {"invoice_number": "FAC-004502", "outcome": "promesse_de_paiement", "promised_date": "01/01/2020"}})
    assert "déjà passée" in result.errors[0]
    result = build(company, {"reminder": {"invoice_number": "FAC-004502", "outcome": "peut-être"}})
    assert "issue « peut-être » inconnue" in result.errors[0]
    result = build(company, {"client": {"number": "CLI-00021"}, "reminder": {"invoice_number": "FAC-004502", "outcome": "refus"}})
    assert "n'est pas celle du client CLI-00021" in result.errors[0]


def test_prospect_note(company):
    result = build(company, {"client": {"number": "CLI-00029"},
                             "note": {"summary": "Relance colis découverte", "reason_no_order": "pas eu le temps de tester",
                                      "next_action": "Rappeler", "next_action_on": "27/11"}},
                   direction="sortant")
    assert result.ok
    (entry,) = result.contact_entries
    assert entry.purpose == "prospection" and entry.direction == "sortant"
    assert entry.next_action_on == date(2026, 11, 27)


def test_records_need_committed_ids(company):
    result = build(company, {"client": {"number": "CLI-00001"}, "lines": [{"reference": "GNK-MFX-200", "quantity": 1}]})
    with pytest.raises(DomainError, match="enregistrez-la d'abord"):
        to_records([result.order])


def test_helpers():
    assert parse_segment("Coiffeuse à domicile") == "coiffeur_domicile"
    assert parse_segment("salon sous enseigne") == "salon_enseigne"
    assert parse_segment("grossiste") == "grossiste"
    with pytest.raises(DomainError, match="Segment « boulanger » inconnu"):
        parse_segment("boulanger")
    today = date(2026, 11, 20)
    assert parse_date("05/01", today, "x") == date(2027, 1, 5)
    assert parse_date("2026-12-01", today, "x") == date(2026, 12, 1)
    with pytest.raises(DomainError, match="n'est pas une date"):
        parse_date("31/02/2026", today, "x")


def test_empty_draft():
    draft = ErpDraft()
    assert draft.is_empty()
