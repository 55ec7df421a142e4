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


@pytest.mark.parametrize(("line", "expected"), [
    ("Mes collègues sont tous en vacances.", "violated"),
    ("On a eu un gros bug informatique.", "violated"),
    ("Nous avons beaucoup de retard dans les expéditions en ce moment.", "violated"),
    ("Monsieur Mocher est en vacances jusqu'au 5 janvier.", "respected"),
    ("Votre colis a du retard : je vous rappelle avant 17 h avec sa position.", "respected"),
])
def test_internal_problems_more_wordings(score, line, expected):
    assert verdict(score(("C", "Où en est ma commande ?"), ("S", line)), "echange.problemes_internes") == expected


@pytest.mark.parametrize(("text", "expected"), [("Julie raccroche.", "violated"), ("La communication est coupée par l'élève.", "violated"),
                                                ("La communication est coupée par la cliente.", "respected")])
def test_who_hung_up_from_free_stage_directions(score, text, expected):
    report = score(("S", "GENERIK, Julie, bonjour"), ("C", "Au revoir."), ("X", text), student="julie")
    rule = report.rule("conclusion.raccrocher_en_dernier")
    assert rule.verdict == expected and rule.turns == [2]


@pytest.mark.parametrize(("text", "expected"), [("Sonnerie (x2)", "respected"), ("Le téléphone sonne longtemps (5 sonneries).", "violated"),
                                                ("Drrring !", "respected")])
def test_rings_from_free_stage_directions(score, text, expected):
    assert verdict(score(("X", text), ("S", "GENERIK, Julie, bonjour")), "accueil.decrocher_3_sonneries") == expected


def test_asking_the_name_by_letting_the_caller_complete_it(score):
    report = score(("S", "GENERIK, Julie, bonjour"), ("C", "Bonjour, je voudrais le prix du spray."), ("S", "Vous êtes Madame… ?"),
                   ("C", "Dupuis."), ("S", "Il est à 8,50 € HT, Madame Dupuis."))
    assert verdict(report, "accueil.identifier_appelant") == "respected"


def test_the_student_named_in_a_direction_is_not_always_the_one_who_hangs_up(score):
    report = score(("S", "GENERIK, Julie, bonjour"), ("C", "Au revoir."), ("X", "La cliente dit au revoir à Julie, puis elle raccroche."),
                   student="julie")
    assert verdict(report, "conclusion.raccrocher_en_dernier") == "respected"


@pytest.mark.parametrize(("line", "expected"), [("Avez-vous des questions sur cette facture ?", "respected"),
                                                ("Auriez-vous besoin de précisions ?", "respected"),
                                                ("Quelles questions vous pose-t-on en salon ?", "violated")])
def test_closing_invitation_to_ask(score, line, expected):
    report = score(("S", "GENERIK, Inès, bonjour"), ("C", "Je vous envoie un chèque demain."), ("S", line))
    assert verdict(report, "conclusion.autres_questions") == expected
