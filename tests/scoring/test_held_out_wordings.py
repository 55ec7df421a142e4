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


# --- batch 5 ---------------------------------------------------------------------------------------

def test_a_line_the_caller_withdraws_is_not_expected_in_the_restatement(score):
    turns = [
        ("S", "GENERIK, Sami, bonjour."),
        ("C", "Bonjour, Madame Faure. Je voudrais vingt crèmes sans ammoniaque et deux shampooings à l'amande."),
        ("S", "Quelles nuances souhaitez-vous ?"),
        ("C", "Toutes en 6.4. Et finalement, pas de shampooing : mettez plutôt un spray brillance."),
    ]
    good = score(*turns, ("S", "Je récapitule : vingt crèmes sans ammoniaque en 6.4 et un spray brillance. C'est bien cela ?"))
    assert verdict(good, "conclusion.reformulation") == "respected"
    short = score(*turns, ("S", "Je récapitule : vingt crèmes sans ammoniaque en 6.4. C'est bien cela ?"))
    rule = short.rule("conclusion.reformulation")
    assert rule.verdict == "violated" and "spray" in rule.advice and "shampooing" not in rule.advice
    assert "1 spray brillance" in rule.advice


@pytest.mark.parametrize(("line", "expected"), [("Qui le demande ?", "violated"),
                                                 ("Puis-je savoir qui le demande, s'il vous plaît ?", "respected")])
def test_who_is_asking(score, line, expected):
    assert verdict(score(("C", "Je voudrais parler à Monsieur Mocher."), ("S", line)), "echange.formules_a_eviter") == expected


def test_goods_not_as_ordered_is_a_grievance_not_a_listening_reproach(score):
    report = score(("S", "GENERIK, Ludovic, bonjour !"),
                   ("C", "Bonjour. J'ai commandé de la 6.4 et j'ai reçu de la 6.3. Ce n'est pas ce que j'ai demandé."),
                   ("S", "Je suis désolé, merci de nous le signaler. Quel est votre numéro de commande ?"))
    assert verdict(report, "echange.ecoute_active") == "respected"
    assert verdict(report, "echange.reclamation_opportunite") == "respected"
    beside = score(("C", "Je voudrais le prix du spray."), ("S", "Nous livrons sous 24 heures partout en France."),
                   ("C", "Ce n'est pas ce que je vous ai demandé."))
    assert verdict(beside, "echange.ecoute_active") == "violated"


@pytest.mark.parametrize("line", ["Le plombier devait passer ce matin et il n'est jamais venu.",
                                  "Personne n'est venu, j'ai pris ma matinée pour rien !"])
def test_a_visit_that_never_happened_is_a_grievance(score, line):
    report = score(("S", "SERV'FAMILLES, Clara, bonjour."), ("C", line), ("S", "Je vous rappelle dans l'heure."))
    assert verdict(report, "echange.reclamation_opportunite") == "violated"


# --- wordings probed after batch 5 ----------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("Sûrement demain.", "violated"),
    ("Ça dépend du transporteur.", "violated"),
    ("Il faut compter environ trois jours.", "violated"),
    ("Ce sera autour de 80 euros.", "violated"),
    ("Vous allez sûrement pouvoir m'aider : à quel moment puis-je joindre la gérante ?", "respected"),
    ("Comptez trois jours ouvrés, livraison jeudi avant 13 h.", "respected"),
])
def test_approximations(score, line, expected):
    assert verdict(score(("C", "Et le délai ?"), ("S", line)), "echange.reponse_precise") == expected


@pytest.mark.parametrize(("line", "expected"), [("Bouge pas, je regarde.", "violated"), ("T'en fais pas, je m'en occupe.", "violated"),
                                                ("Ne quittez pas, je regarde.", "respected")])
def test_familiar_imperatives_are_tutoiement(score, line, expected):
    assert verdict(score(("C", "Bonjour."), ("S", line)), "accueil.vouvoiement") == expected


@pytest.mark.parametrize(("line", "expected"), [("Génial !", "violated"), ("C'est une idée géniale pour vos clientes.", "respected")])
def test_genial_as_an_interjection(score, line, expected):
    assert verdict(score(("C", "Je prends 48 tubes."), ("S", line)), "echange.langage_soigne") == expected
