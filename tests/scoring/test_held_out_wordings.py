"""Wordings found in the held-out batch 4 (annotated before scoring), each both ways."""

from __future__ import annotations

import pytest


def verdict(report, rule_id):
    return report.rule(rule_id).verdict


@pytest.mark.parametrize(
    ("caller", "expected"),
    [
        ("Bonjour, j'ai une fuite sous l'évier, il me faudrait un plombier.", "not_applicable"),
        ("Bonjour, mon robinet fuit depuis ce matin.", "not_applicable"),
        ("Bonjour, le flacon d'oxydant fuit, tout le carton est imbibé.", "violated"),
        ("Bonjour, il y a une fuite dans le carton, les tubes sont tachés.", "violated"),
    ],
)
def test_a_leak_at_home_is_a_request_a_leaking_product_a_grievance(score, caller, expected):
    report = score(("S", "GENERIK, Julie, bonjour !"), ("C", caller), ("S", "Quel est votre nom, s'il vous plaît ?"))
    assert verdict(report, "echange.reclamation_opportunite") == expected


@pytest.mark.parametrize("line", ["C'est pas mon problème, moi je m'occupe des factures.", "Ça ne me regarde pas.",
                                  "Débrouillez-vous avec le transporteur."])
def test_rude_brush_off_is_not_careful_language(score, line):
    rule = score(("C", "Vos produits sont arrivés abîmés."), ("S", line)).rule("echange.langage_soigne")
    assert rule.verdict == "violated" and rule.turns == [1] and "préférez «" in rule.advice


def test_problem_as_a_noun_is_fine(score):
    report = score(("C", "J'ai un souci."), ("S", "Je comprends, ce problème est ennuyeux : quel est votre numéro de commande ?"))
    assert verdict(report, "echange.langage_soigne") == "respected"


def test_indirect_question_about_the_need(score):
    report = score(("C", "Allô ?"), ("S", "Bonjour Madame, Inès de GENERIK. Je vous appelle pour savoir si le nouvel envoi vous a donné satisfaction."),
                   direction="outgoing")
    assert verdict(report, "echange.ecoute_active") == "respected"
    flat = score(("C", "Allô ?"), ("S", "Bonjour Madame, Inès de GENERIK. Je vous appelle au sujet du nouvel envoi."),
                 direction="outgoing")
    assert verdict(flat, "echange.ecoute_active") == "violated"


def test_confirmation_by_mail_with_a_time_redeems_a_vague_price(score):
    vague = ("S", "Ça devrait être autour de 80 euros, je ne peux pas vous dire exactement.")
    redeemed = score(("C", "Combien ?"), vague, ("C", "Hum."), ("S", "Je vous confirme le tarif exact par courriel avant 18 h."))
    assert verdict(redeemed, "echange.reponse_precise") == "respected"
    left = score(("C", "Combien ?"), vague, ("C", "Hum."), ("S", "Je vous confirme le tarif exact par courriel."))
    assert verdict(left, "echange.reponse_precise") == "violated"
