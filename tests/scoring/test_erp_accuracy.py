"""What the student recorded in the ERP against what the customer really wanted."""

from __future__ import annotations

from datetime import date

from trainer.scoring.context import company_info
from trainer.scoring.erp_accuracy import compare_records, erp_checks, promotion_checks

GENERIK = company_info("generik")

ORDER_WANTED = {
    "kind": "order",
    "client": {"segment": "salon_independant", "new": True},
    "lines": [
        {"reference": "GNK-CCS-100", "quantity": 48, "discount_rate": "0.20", "shades": ["6.4", "5.6"]},
        {"reference": "GNK-SHA-1000", "quantity": 1, "discount_rate": "0.00"},
    ],
    "payment_terms": "comptant",
}


def order(lines, terms="comptant", kind="salon_independant"):
    return {"kind": "order", "id": "CMD-2026-000001", "client": {"name": "Sophie Laurent", "kind": kind},
            "lines": lines, "total_ht": "0.00", "payment_terms": terms}


def line(ref, qty, rate, shade=None):
    out = {"product": ref, "reference": ref, "quantity": qty, "unit_price_ht": "5.00", "discount_rate": rate, "total_ht": "0.00"}
    if shade:
        out["shade"] = shade
    return out


def failures(checks):
    return {c.category: c.message for c in checks if not c.ok}


def test_exact_order_passes_every_check():
    checks = compare_records([ORDER_WANTED], [order([line("GNK-CCS-100", 24, "0.20", "6.4"), line("GNK-CCS-100", 24, "0.20", "5.6"),
                                                      line("GNK-SHA-1000", 1, "0.00")])], company=GENERIK)
    assert checks and all(c.ok for c in checks), [c.message for c in checks if not c.ok]


def test_forgotten_promotion_wrong_quantity_and_terms():
    checks = compare_records([ORDER_WANTED], [order([line("GNK-CCS-100", 40, "0.00", "6.4"), line("GNK-SHA-1000", 1, "0.00")],
                                                    terms="30 jours fin de mois")], company=GENERIK)
    bad = failures(checks)
    assert "Promotion oubliée" in bad["remise"]
    assert "40" in bad["quantite"] and "48" in bad["quantite"]
    assert "comptant" in bad["paiement"]
    assert "5.6" in bad["nuances"]


def test_missing_and_extra_lines():
    checks = compare_records([ORDER_WANTED], [order([line("GNK-CCS-100", 48, "0.20"), line("GNK-MFX-200", 5, "0.00")])], company=GENERIK)
    messages = [c.message for c in checks if not c.ok and c.category == "ligne"]
    assert any("manquante" in m and "Shampooing" in m for m in messages)
    assert any("en trop" in m and "Mousse" in m for m in messages)


def test_list_means_any_of_these():
    wanted = {"kind": "complaint", "category": ["livraison_erreur_preparation", "livraison_avarie"], "responsible_service": "clientele",
              "deadline_days": [0, 1], "solution_any": ["nouvel envoi", "avoir"]}
    got = {"kind": "complaint", "id": "REC-1", "client": {"name": "D"}, "category": "livraison_avarie",
           "responsible_service": "Service clientèle", "status": "ouverte", "customer_deadline": "2026-11-25",
           "solution": "Nouvel envoi des 12 tubes"}
    checks = compare_records([wanted], [got], call_date=date(2026, 11, 24))
    assert checks and all(c.ok for c in checks), [c.message for c in checks if not c.ok]


def test_wrong_complaint_category_service_and_deadline():
    wanted = {"kind": "complaint", "category": "technique_qualite", "responsible_service": "technique", "deadline_days": [7]}
    got = {"kind": "complaint", "id": "REC-2", "client": {"name": "R"}, "category": "e_reputation",
           "responsible_service": "clientele", "status": "ouverte", "customer_deadline": "2026-11-25"}
    bad = failures(compare_records([wanted], [got], call_date=date(2026, 11, 24)))
    assert set(bad) >= {"categorie", "service", "delai"}
    assert "J+7" in bad["delai"]


def test_message_fields_and_reminder_date():
    message = {"kind": "message", "for": "M. Mocher", "required": ["caller.name", "caller.company", "callback_number"]}
    got = {"kind": "message", "id": "MSG-1", "for": "Monsieur Mocher", "caller": {"name": "Franck Morel"}}
    bad = [c.message for c in compare_records([message], [got]) if not c.ok]
    assert bad == ["Message incomplet : la société de l'appelant manque.", "Message incomplet : le numéro où rappeler manque."]
    reminder = {"kind": "reminder", "stage": "telephone", "outcome": "promesse_de_paiement", "promised_payment_date": "required"}
    none = {"kind": "reminder", "id": "R", "client": {"name": "X"}, "invoice": "FAC-1", "amount_due": "1.00",
            "stage": "telephone", "outcome": "promesse_de_paiement"}
    assert failures(compare_records([reminder], [none], call_date=date(2026, 11, 24)))["date"].startswith("Relance sans date")


def test_missing_record_is_reported():
    checks = compare_records([{"kind": "complaint", "category": "livraison_retard"}], [])
    assert len(checks) == 1 and not checks[0].ok and "réclamation" in checks[0].message


def test_without_scenario_the_promotion_tiers_are_still_checked():
    checks = promotion_checks([order([line("GNK-CCS-100", 48, "0.10")])], GENERIK)
    assert len(checks) == 1 and not checks[0].ok and "20 %" in checks[0].message
    assert all(c.ok for c in erp_checks([], [order([line("GNK-CCS-100", 19, "0.00")])], call_date=None, company=GENERIK))
