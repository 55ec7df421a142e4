"""Each charter rule on short calls built for the purpose, traps for keyword matching included."""

from __future__ import annotations

import pytest

from trainer.scoring.rules import RULE_IDS

RING = {"event": "ring"}
HANG_C = {"event": "hangup", "by": "customer"}
HANG_S = {"event": "hangup", "by": "student"}

OPENING = [
    ("X", "Sonnerie.", RING),
    ("S", "GENERIK, Julie, bonjour !"),
    ("C", "Bonjour, je voudrais commander des crèmes sans ammoniaque."),
    ("S", "Avec plaisir. Pourriez-vous me rappeler votre nom ?"),
    ("C", "Sophie Laurent, du salon Sophie L."),
]


def verdict(report, rule_id):
    return report.rule(rule_id).verdict


def test_report_has_every_rule_in_contract_order_with_evidence(score):
    report = score(*OPENING, ("S", "Merci Madame Laurent, au revoir."), ("X", "La cliente raccroche.", HANG_C))
    assert [r.id for r in report.rules] == list(RULE_IDS)
    for r in report.rules:
        assert r.advice and r.advice[0].isupper()
        if r.verdict == "not_applicable":
            assert r.turns == []
        else:
            assert r.turns, r.id
            assert all(0 <= t < 7 for t in r.turns)


# --- accueil.decrocher_3_sonneries ---------------------------------------------------------------

@pytest.mark.parametrize(("rings", "expected"), [(0, "respected"), (1, "respected"), (2, "respected"), (3, "violated"), (5, "violated")])
def test_rings_field(score, rings, expected):
    report = score(("S", "GENERIK, Julie, bonjour !"), rings_before_pickup=rings)
    assert verdict(report, "accueil.decrocher_3_sonneries") == expected


def test_rings_counted_from_stage_directions(score):
    report = score(("X", "Le téléphone sonne quatre fois."), ("S", "GENERIK, Julie, bonjour !"))
    rule = report.rule("accueil.decrocher_3_sonneries")
    assert rule.verdict == "violated" and rule.turns == [0] and "4 fois" in rule.advice
    two = score(("X", "Sonnerie.", RING), ("X", "Sonnerie.", RING), ("S", "GENERIK, Julie, bonjour !"))
    assert verdict(two, "accueil.decrocher_3_sonneries") == "respected"


def test_no_ring_data_and_outgoing_calls_are_not_applicable(score):
    assert verdict(score(("S", "GENERIK, Julie, bonjour !")), "accueil.decrocher_3_sonneries") == "not_applicable"
    out = score(("C", "Allô ?"), ("S", "Bonjour, Julie de GENERIK."), direction="outgoing", rings_before_pickup=5)
    for rid in ("accueil.decrocher_3_sonneries", "accueil.formule", "accueil.identifier_appelant"):
        assert verdict(out, rid) == "not_applicable", rid


# --- accueil.formule ----------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["GENERIK, Julie, bonjour !", "Bonjour, GENERIK, Julie à votre service.", "générique julie bonjour"])
def test_formula_in_any_order(score, line):
    assert verdict(score(("S", line)), "accueil.formule") == "respected"


@pytest.mark.parametrize(("line", "missing"), [("Allô ?", "entreprise"), ("GENERIK, bonjour.", "prénom"), ("GENERIK, Julie.", "salutation")])
def test_formula_missing_parts_are_named(score, line, missing):
    rule = score(("S", line), scenario="generik-commande-nouveau-client").rule("accueil.formule")
    assert rule.verdict == "violated" and missing in rule.advice and "GENERIK" in rule.advice


# --- accueil.vouvoiement ------------------------------------------------------------------------

def test_words_containing_tu_te_ton_are_not_tutoiement(score):
    report = score(
        ("S", "GENERIK, Julie, bonjour !"),
        ("S", "Ce tube de teinture, ton sur ton, convient à votre statut et à votre attitude ; le 9.3 est un ton plus clair. Y a-t-il autre chose ?"),
    )
    assert verdict(report, "accueil.vouvoiement") == "respected"


def test_quoted_and_reported_speech_and_asides_are_not_held_against_the_student(score):
    report = score(
        ("S", "Vous m'avez dit « tu ne comprends rien », je comprends votre colère."),
        ("S", "Le chauffeur m'a répondu : tu l'auras ce soir."),
        ("S", "(à sa collègue : tu me passes le tarif ?) Le spray est à 6,20 euros."),
    )
    assert verdict(report, "accueil.vouvoiement") == "respected"


def test_tutoiement_towards_the_caller_is_quoted_back(score):
    rule = score(("S", "GENERIK, Julie, bonjour !"), ("C", "Bonjour."), ("S", "Tu peux patienter un instant ?")).rule("accueil.vouvoiement")
    assert rule.verdict == "violated" and rule.turns == [2]
    assert "« Tu peux patienter un instant ? »" in rule.advice.replace("\u00a0", " ") and "tour 2" in rule.advice


def test_callers_words_never_count(score):
    report = score(
        ("S", "GENERIK, Julie, bonjour !"),
        ("C", "Ouais, salut, t'es qui toi ? C'est de la part de qui, ton truc ? Je crois que j'ai un souci, bah."),
        ("S", "Pourriez-vous me rappeler votre nom, s'il vous plaît ?"),
    )
    for rid in ("accueil.vouvoiement", "echange.langage_soigne", "echange.formules_a_eviter", "echange.reponse_precise"):
        assert verdict(report, rid) == "respected", rid


# --- accueil.identifier_appelant ----------------------------------------------------------------

def test_identity_asked_after_the_request_was_dealt_with(score):
    report = score(
        ("S", "GENERIK, Lucas, bonjour."),
        ("C", "Bonjour, je voudrais 20 crèmes sans ammoniaque."),
        ("S", "Très bien, je vous mets 20 crèmes sans ammoniaque avec 10 % de remise."),
        ("C", "Parfait."),
        ("S", "À quel nom dois-je enregistrer la commande ?"),
    )
    rule = report.rule("accueil.identifier_appelant")
    assert rule.verdict == "violated" and 4 in rule.turns


def test_asking_counts_whatever_the_wording(score):
    report = score(("S", "GENERIK, Lucas, bonjour."), ("C", "Je voudrais parler à M. Mocher."), ("S", "C'est de la part de qui ?"))
    assert verdict(report, "accueil.identifier_appelant") == "respected"
    assert verdict(report, "echange.formules_a_eviter") == "violated"


# --- echange.formules_a_eviter -------------------------------------------------------------------

def test_polite_equivalent_does_not_break_the_rule(score):
    report = score(("S", "GENERIK, Lucas, bonjour."), ("C", "Je voudrais parler à M. Mocher."),
                   ("S", "M. Mocher est en réunion. Quand peut-il vous rappeler ?"))
    assert verdict(report, "echange.formules_a_eviter") == "respected"


@pytest.mark.parametrize(("line", "instead"), [
    ("Il n'est pas là.", "M. X est occupé"),
    ("Il est pas là, rappelez demain.", "M. X est occupé"),
    ("Les techniciens ne sont pas là aujourd'hui.", "M. X est occupé"),
    ("C'est pourquoi ?", "préciser l'objet"),
    ("C'est pour quoi faire ?", "préciser l'objet"),
    ("De la part de qui ?", "rappeler votre nom"),
])
def test_blunt_variants_break_the_rule(score, line, instead):
    rule = score(("S", line)).rule("echange.formules_a_eviter")
    assert rule.verdict == "violated" and instead in rule.advice and "Dites plutôt" not in rule.advice.split(":")[0]


def test_c_est_pourquoi_as_a_connector_is_fine(score):
    report = score(("S", "Il est en réunion ; c'est pourquoi je vous propose de laisser un message."),
                   ("S", "Ce n'est pas la bonne nuance, je vous la change."))
    assert verdict(report, "echange.formules_a_eviter") == "respected"


# --- echange.langage_soigne ----------------------------------------------------------------------

def test_pas_de_souci_is_accepted_with_a_tip(score):
    rule = score(("S", "Pas de souci, je m'en occupe.")).rule("echange.langage_soigne")
    assert rule.verdict == "respected" and "Avec plaisir" in rule.advice


@pytest.mark.parametrize("line", ["Ouais, je note.", "Bah je vous mets ça.", "Ok ça marche.", "Je vous envoie le truc.", "C'est chiant."])
def test_familiar_register(score, line):
    assert verdict(score(("S", line)), "echange.langage_soigne") == "violated"


def test_ca_marche_about_a_product_is_not_familiar(score):
    assert verdict(score(("S", "La mousse, ça marche très bien sur cheveux fins.")), "echange.langage_soigne") == "respected"


# --- echange.ecoute_active -----------------------------------------------------------------------

def test_cutting_the_caller_short_breaks_active_listening(score):
    report = score(
        ("S", "GENERIK, Lucas, bonjour."),
        ("C", "Bonjour, je vous appelle parce que ma commande —"),
        ("S", "Vous voulez profiter de notre promotion sur les crèmes ?"),
    )
    rule = report.rule("echange.ecoute_active")
    assert rule.verdict == "violated" and rule.turns == [1, 2]


def test_a_need_question_without_question_mark_counts(score):
    report = score(("S", "générique julie bonjour"), ("C", "Je voudrais des crèmes."),
                   ("S", "très bien combien de tubes souhaitez-vous"))
    assert verdict(report, "echange.ecoute_active") == "respected"


# --- echange.reclamation_opportunite -------------------------------------------------------------

def test_no_grievance_is_not_applicable(score):
    assert verdict(score(*OPENING), "echange.reclamation_opportunite") == "not_applicable"


def test_grievance_handled_with_thanks_and_apology(score):
    report = score(("C", "Mes tubes sont arrivés écrasés !"), ("S", "Je suis désolée. Merci de nous l'avoir signalé."))
    assert verdict(report, "echange.reclamation_opportunite") == "respected"


def test_one_defensive_remark_breaks_the_rule_even_if_an_apology_follows(score):
    rule = score(("C", "Mes tubes sont arrivés écrasés !"),
                 ("S", "C'est le préparateur qui fait toujours ça. Enfin, je suis désolée, merci de nous l'avoir signalé.")).rule(
        "echange.reclamation_opportunite")
    assert rule.verdict == "violated" and rule.turns == [1]


def test_grievance_during_an_outgoing_reminder_applies(score):
    report = score(("S", "Bonjour, Paul de GENERIK, au sujet de votre facture."),
                   ("C", "Je ne paierai pas, les produits sont arrivés cassés !"),
                   ("S", "Je comprends, je suis désolé."), direction="outgoing")
    assert verdict(report, "echange.reclamation_opportunite") == "respected"


def test_satisfied_callback_raises_nothing(score):
    report = score(("S", "Bonjour Madame, Anaïs de GENERIK. Avez-vous bien reçu le nouvel envoi ?"),
                   ("C", "Oui, tout est arrivé en parfait état, rien d'abîmé, aucun problème."), direction="outgoing")
    assert verdict(report, "echange.reclamation_opportunite") == "not_applicable"


# --- echange.problemes_internes ------------------------------------------------------------------

@pytest.mark.parametrize("line", ["On manque de personnel en ce moment.", "Le préparateur fait toujours ça.", "Notre logiciel a planté."])
def test_internal_problems(score, line):
    assert verdict(score(("S", line)), "echange.problemes_internes") == "violated"


def test_a_meeting_is_not_an_internal_problem(score):
    assert verdict(score(("S", "M. Mocher est en réunion jusqu'à 17 h.")), "echange.problemes_internes") == "respected"


# --- echange.reponse_precise ---------------------------------------------------------------------

def test_vague_answer_redeemed_in_the_same_turn(score):
    report = score(("S", "Je ne sais pas si la 7.44 est en stock : je vérifie et je vous rappelle avant 16 h."))
    assert verdict(report, "echange.reponse_precise") == "respected"


def test_vague_answer_redeemed_in_the_next_student_turn(score):
    report = score(("S", "Normalement il arrive demain."), ("C", "Normalement ?"),
                   ("S", "Je vérifie auprès du transporteur et je vous rappelle avant midi."))
    assert verdict(report, "echange.reponse_precise") == "respected"


@pytest.mark.parametrize("second", ["Je lui dirai.", "Je transmets.", "Quelqu'un vous rappellera."])
def test_promises_without_a_time_do_not_redeem(score, second):
    rule = score(("S", "Je crois qu'il revient bientôt."), ("C", "Ah ?"), ("S", second)).rule("echange.reponse_precise")
    assert rule.verdict == "violated" and rule.turns == [0]


def test_peut_etre_in_a_proposal_is_not_vague(score):
    assert verdict(score(("S", "Peut-être souhaitez-vous profiter de la promotion ?")), "echange.reponse_precise") == "respected"


# --- conclusion.* -------------------------------------------------------------------------------

ORDER = [
    ("S", "GENERIK, Julie, bonjour !"),
    ("C", "Bonjour, Claire Fabre, salon L'Atelier. Il me faudrait 36 crèmes sans ammoniaque et 2 poudres décolorantes."),
    ("S", "Très bien, avec 10 % de remise sur les crèmes."),
]


def test_restatement_with_every_line_and_quantity(score):
    report = score(*ORDER, ("S", "Je récapitule : 36 crèmes sans ammoniaque et 2 poudres décolorantes."))
    assert verdict(report, "conclusion.reformulation") == "respected"


def test_partial_restatement_names_the_missing_line(score):
    rule = score(*ORDER, ("S", "Je récapitule : 36 crèmes sans ammoniaque.")).rule("conclusion.reformulation")
    assert rule.verdict == "violated" and "poudre" in rule.advice.lower() and rule.turns == [3]


def test_restatement_without_quantities(score):
    rule = score(*ORDER, ("S", "Je récapitule : des crèmes et de la poudre.")).rule("conclusion.reformulation")
    assert rule.verdict == "violated" and "quantit" in rule.advice


def test_wrong_number(score):
    report = score(("S", "GENERIK, Lola, bonjour !"), ("C", "Ce n'est pas la pizzeria ? Pardon, je me suis trompée de numéro."),
                   ("S", "Je vous en prie, bonne soirée."))
    for rid in ("conclusion.reformulation", "conclusion.autres_questions", "accueil.identifier_appelant"):
        assert verdict(report, rid) == "not_applicable", rid


def test_leave_taking_needs_thanks_and_name_at_the_end(score):
    early = score(("C", "Sophie Laurent."), ("S", "Merci, Madame Laurent. Que souhaitez-vous ?"),
                  ("C", "Rien."), ("S", "Au revoir Madame, bonne journée."))
    rule = early.rule("conclusion.prise_de_conge")
    assert rule.verdict == "violated" and rule.turns == [3]
    good = score(("C", "Sophie Laurent."), ("S", "Très bien."), ("C", "Au revoir."),
                 ("S", "Merci de votre appel, Madame Laurent, bonne fin de journée."))
    assert verdict(good, "conclusion.prise_de_conge") == "respected"


def test_other_questions(score):
    assert verdict(score(("S", "Bonjour."), ("S", "Avez-vous d'autres questions ?")), "conclusion.autres_questions") == "respected"
    assert verdict(score(("S", "Bonjour."), ("S", "Quels autres produits ont été abîmés ?")), "conclusion.autres_questions") == "violated"


@pytest.mark.parametrize(("direction", "turn", "expected"), [
    ("incoming", ("X", "x", HANG_C), "respected"),
    ("incoming", ("X", "x", HANG_S), "violated"),
    ("incoming", ("X", "L'élève raccroche."), "violated"),
    ("incoming", ("X", "Le client raccroche."), "respected"),
    ("outgoing", ("X", "L'élève raccroche."), "respected"),
    ("outgoing", ("X", "La cliente raccroche."), "violated"),
])
def test_who_hangs_up(score, direction, turn, expected):
    report = score(("S", "Bonjour."), turn, direction=direction)
    assert verdict(report, "conclusion.raccrocher_en_dernier") == expected


def test_nobody_hangs_up(score):
    assert verdict(score(("S", "Bonjour.")), "conclusion.raccrocher_en_dernier") == "not_applicable"


def test_student_without_words(score):
    report = score(("C", "Allô ?"), ("X", "La cliente raccroche.", HANG_C))
    assert verdict(report, "accueil.formule") == "not_applicable"
    assert verdict(report, "conclusion.raccrocher_en_dernier") == "respected"
