"""The understand() API: intents, slots, question type and flags of single student lines.

The broad accuracy measure is test_nlu_accuracy.py; these tests pin the behaviours other layers
rely on (the customer simulator, scoring, the call session) and the robustness of the API.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.dialogue.nlu import (
    MAX_CHARS,
    NluContext,
    Understanding,
    describe_intents,
    intent_model,
    understand,
)

PARIS = ZoneInfo("Europe/Paris")
# A Friday, to check that "lundi" is the next Monday and "demain" a Saturday.
FRIDAY = datetime(2026, 11, 20, 15, 40, tzinfo=PARIS)
CTX = {"now": FRIDAY}

INTERFACE_INTENTS = """greet introduce_company ask_identity ask_need ask_details reformulate announce_promotion
apologize empathize thank propose_solution give_deadline commit_callback take_notes take_message
filter_unavailable ask_callback_details ask_purpose ask_other_needs leave_taking confirm deny hold
inform_product state_price state_payment_terms refuse_politely ask_second_chance ask_expectation transfer
escalate state_reason_for_call ask_payment_date ask_satisfaction small_talk unknown""".split()


def test_every_intent_of_the_interface_exists_with_a_french_description() -> None:
    described = describe_intents()
    for name in INTERFACE_INTENTS:
        assert name in described, name
        assert described[name], name


def test_the_company_formula_needs_company_first_name_and_greeting() -> None:
    assert "company_formula" in understand("GENERIK, Julie, bonjour !").flags
    assert "company_formula" in understand("Bonjour, Julie à votre service, GENERIK.").flags
    assert "company_formula" not in understand("GENERIK, bonjour !").flags  # no first name
    assert "company_formula" not in understand("Julie, bonjour !").flags  # no company
    assert "company_formula" not in understand("GENERIK, Julie.").flags  # no greeting


def test_one_turn_can_carry_several_intents_best_first() -> None:
    u = understand("Je suis désolée, je note votre numéro de commande")
    assert {"apologize", "take_notes", "ask_details"} <= set(u.intent_names)
    assert [m.score for m in u.intents] == sorted((m.score for m in u.intents), reverse=True)
    assert all(0.0 <= m.score <= 1.0 for m in u.intents)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Quelle teinte souhaitez-vous ?", "open"),
        ("Pouvez-vous préciser l'objet de votre appel ?", "open"),
        ("Vous avez bien reçu le colis ?", "closed"),
        ("Est-ce que le colis était abîmé ?", "closed"),
        ("Avez-vous votre numéro de commande", "closed"),
        ("Cette semaine ou la semaine prochaine ?", "alternative"),
        ("Vous préférez être rappelée le matin ou l'après-midi ?", "alternative"),
        ("Où se trouve votre salon ?", "open"),
        ("Je note votre commande.", None),
    ],
)
def test_question_types(line: str, kind: str | None) -> None:
    assert understand(line).question_type == kind


@pytest.mark.parametrize(
    ("line", "intent"),
    [
        ("Je vous rappelle avant 16 h.", "commit_callback"),
        ("Je suis désolée pour ce retard.", "apologize"),
        ("Je note votre demande.", "take_notes"),
        ("Je comprends votre mécontentement.", "empathize"),
    ],
)
def test_negation_cancels_the_intent(line: str, intent: str) -> None:
    assert understand(line).has(intent)
    negated = {
        "commit_callback": "Je ne vous rappelle pas avant 16 h.",
        "apologize": "Je ne suis pas désolée pour ce retard.",
        "take_notes": "Je ne note pas votre demande.",
        "empathize": "Je ne comprends pas votre mécontentement.",
    }[intent]
    assert not understand(negated).has(intent)


def test_phrases_written_with_their_own_negation_still_count() -> None:
    assert understand("Ne quittez pas.").has("hold")
    assert understand("Il n'est pas disponible.").has("filter_unavailable")


@pytest.mark.parametrize(
    "line",
    ["Un tube de teinture", "Le statut de votre commande", "Votre attitude", "Une coloration ton sur ton",
     "Je vous tiens au courant", "Tiens, voilà votre commande", "Vous m'avez dit « tu es nulle »"],
)
def test_words_containing_tu_or_quoted_speech_are_not_tutoiement(line: str) -> None:
    assert not understand(line).tutoiement


@pytest.mark.parametrize("line", ["Tu peux patienter ?", "Je te rappelle", "T'as ton numéro ?", "Donne-moi ta commande", "stp"])
def test_tutoiement_is_a_flag(line: str) -> None:
    assert understand(line).tutoiement


def test_tutoiement_does_not_hide_what_was_asked() -> None:
    u = understand("Tu peux me donner ton numéro de téléphone ?")
    assert u.tutoiement and u.has("ask_callback_details")


def test_vague_and_familiar_flags() -> None:
    assert "vague" in understand("Je crois que c'est parti, peut-être demain.").flags
    assert "familiar" in understand("Ouais, ok ça marche.").flags
    assert "familiar" in understand("Bah je sais pas.").flags  # a filler of the familiar register
    assert not {"vague", "familiar"} & understand("Je vérifie et je vous rappelle avant 16 h.").flags


def test_quantities_products_and_shades() -> None:
    u = understand("Je voudrais quarante-huit crèmes sans ammoniaque en 6,4 et deux shampoings.")
    q48, q2 = u.slots.quantities
    assert (q48.value, q48.product, q48.shade) == (48, "GNK-CCS-100", "6.4")
    assert (q2.value, q2.product) == (2, "GNK-SHA-1000")
    assert [s.code for s in u.slots.shades] == ["6.4"]
    assert u.slots.shades[0].name  # the chart's name of the shade


def test_approximate_quantities_and_ambiguous_products() -> None:
    u = understand("Une cinquantaine de tubes, s'il vous plaît.")
    (q,) = u.slots.quantities
    assert q.value == 50 and q.approx and q.product is None
    assert set(q.candidates) == {"GNK-CCA-100", "GNK-CCS-100"}


def test_typos_in_product_names() -> None:
    u = understand("48 tubes sans amoniaque et un oxidant")
    assert [q.product for q in u.slots.quantities] == ["GNK-CCS-100", "GNK-OXC-1000"]


def test_shade_names_and_reflects() -> None:
    u = understand("Vingt tubes de blond foncé cuivré, et les rouges ne tiennent pas.")
    assert u.slots.shades[0].code == "6.4"
    assert any(s.code is None and s.reflect == "6" for s in u.slots.shades)


def test_numbers_that_are_not_quantities() -> None:
    u = understand("Le tube est à 3,80 € HT, vous avez 10 % dès 20 tubes, livraison sous 24 heures.")
    assert [q.value for q in u.slots.quantities] == [20]
    assert u.slots.money[0].amount == Decimal("3.80") and u.slots.money[0].tax == "HT"
    assert u.slots.percentages == [Decimal("10")]


@pytest.mark.parametrize(
    "said",
    ["06 12 34 56 78", "0612345678", "06.12.34.56.78", "06-12-34-56-78", "+33 6 12 34 56 78", "+33612345678",
     "0033 6 12 34 56 78", "zéro six, douze, trente-quatre, cinquante-six, soixante-dix-huit"],
)
def test_french_phone_numbers_in_any_spacing(said: str) -> None:
    assert understand(f"Mon numéro : {said}.").slots.phone == "06 12 34 56 78"


@pytest.mark.parametrize(
    ("said", "email"),
    [
        ("julie.martin@salon-martin.fr", "julie.martin@salon-martin.fr"),
        ("julie point martin arobase salon-martin point fr", "julie.martin@salon-martin.fr"),
        ("contact arobase generik point fr", "contact@generik.fr"),
    ],
)
def test_email_addresses_written_or_spoken(said: str, email: str) -> None:
    assert understand(f"C'est {said}").slots.email == email


def test_reference_numbers() -> None:
    u = understand("Client 42, commande CMD-2026-000123, facture FAC-2026-000017.")
    assert u.slots.client_number == "CLI-00042"
    assert u.slots.order_number == "CMD-2026-000123"
    assert u.slots.invoice_number == "FAC-2026-000017"
    assert understand("Votre numéro client est le CLI-00007 ?").slots.client_number == "CLI-00007"
    # "commande numéro 123" takes the year from ``now``; "commande 48 tubes" is not a number.
    assert understand("la commande numéro 123", CTX).slots.order_number == "CMD-2026-000123"
    assert understand("Je passe commande 48 tubes").slots.order_number is None


def test_person_names_and_first_names() -> None:
    u = understand("Merci Madame Delmotte, M. Mocher vous rappellera.")
    shown = [(p.civility, p.last_name, p.known) for p in u.slots.person_names]
    assert ("Madame", "Delmotte", "client") in shown
    assert ("Monsieur", "Mocher", "staff") in shown
    assert understand("GENERIK, Kévin, bonjour").slots.first_names == ["Kévin"]
    assert understand("Bonjour, je m'appelle Zoé").slots.first_names == ["Zoé"]


def test_dates_and_times_resolved_against_now() -> None:
    slots = understand("Je vous rappelle demain avant midi.", CTX).slots
    assert slots.dates[0].date == date(2026, 11, 21)
    assert slots.times[0].end == datetime(2026, 11, 21, 12, 0, tzinfo=PARIS)
    assert understand("Livraison lundi", CTX).slots.dates[0].date == date(2026, 11, 23)
    assert understand("le 30 novembre", CTX).slots.dates[0].date == date(2026, 11, 30)
    assert understand("le 5 janvier", CTX).slots.dates[0].date == date(2027, 1, 5)  # the nearest one
    assert understand("à seize heures trente", CTX).slots.times[0].time == time(16, 30)
    within = understand("sous 24 heures", CTX).slots.times[0]
    assert within.kind == "deadline" and within.end == datetime(2026, 11, 21, 15, 40, tzinfo=PARIS)
    today = understand("dans la journée", CTX).slots.times[0]
    assert today.end == datetime(2026, 11, 20, 18, 0, tzinfo=PARIS)


def test_without_now_only_what_the_line_fixes_is_resolved() -> None:
    slots = understand("demain à 16 h").slots
    assert slots.dates[0].date is None and slots.dates[0].text == "demain"
    assert slots.times[0].time == time(16, 0)


def test_give_deadline_needs_a_future_commitment_not_a_past_date() -> None:
    assert understand("Vous serez livrée demain avant midi.", CTX).has("give_deadline")
    assert not understand("Vous avez reçu le colis hier ?", CTX).has("give_deadline")
    assert not understand("Je note la commande du 12 novembre.", CTX).has("give_deadline")


def test_context_may_be_a_mapping_an_object_or_none() -> None:
    assert NluContext.coerce(None) == NluContext()
    assert NluContext.coerce({"now": FRIDAY}).now == FRIDAY

    class Session:
        now = FRIDAY
        company_id = "generik"

    assert NluContext.coerce(Session()).now == FRIDAY


def test_understanding_is_read_only_data() -> None:
    u = understand("Bonjour")
    assert isinstance(u, Understanding)
    assert u.best == "greet" and u.has("greet") and not u.has("thank")
    assert u.score("greet") > 0.5 and u.score("thank") == 0.0


def test_nothing_recognisable() -> None:
    u = understand("")
    assert u.intent_names == ["unknown"] and "empty" in u.flags and u.question_type is None
    u = understand("xqzt brmfl kwyv")
    assert u.intent_names == ["unknown"] and "unintelligible" in u.flags
    # French the NLU has no intent for is not gibberish: the customer should not say "Pardon ?".
    assert "unintelligible" not in understand("Nous serons douze personnes au dîner.").flags


def test_euphonic_t_and_imperatives_are_not_what_they_look_like() -> None:
    assert not understand("Votre commande vous a-t-elle été livrée à temps ?").tutoiement
    assert understand("Calmez-vous, je vous écoute.").question_type is None
    assert understand("Pouvez-vous patienter").question_type == "closed"
    assert understand("Avez-vous d'autres questions ou d'autres besoins ?").question_type == "closed"


def test_invoice_numbers_keep_their_shape() -> None:
    assert understand("la facture FAC-004502").slots.invoice_number == "FAC-004502"
    assert understand("facture numéro 2026-0153").slots.invoice_number == "FAC-2026-000153"


def test_the_intent_data_file_is_valid() -> None:
    model = intent_model()
    assert len(model.examples) > 300
    assert set(INTERFACE_INTENTS) <= set(model.names)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_unicode_text_is_understood_without_error(text: str) -> None:
    u = understand(text, CTX)
    assert u.intents and all(0.0 <= m.score <= 1.0 for m in u.intents)
    assert u.question_type in {None, "open", "closed", "alternative"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["bonjour", "😀", "你好", "مرحبا", "48", "tubes", "6.4", "?", "@", "€", "ـ", "\u0301", "\x00", " ", "\n"]), max_size=60))
def test_emoji_other_scripts_and_control_characters(parts: list[str]) -> None:
    understand("".join(parts), CTX)


# Pieces of French that reach the date, number, phone and money readers, in any order: random
# Unicode rarely builds "sous 9999999999 jours" or "le 31 février", these do.
_PIECES = (
    "le 31 30 29 0 00 février fevrier / 02 13 h heures 24 25 midi minuit et demie quart moins entre avant "
    "sous dans jours mois semaines une quinzaine douzaine demi € euros 50 , . 6.4 10.99 tubes de ml % pour "
    "cent zéro six +33 0033 06 arobase point fr cmd commande numéro facture 2026 - client cli madame monsieur "
    "m. lundi prochain dernier demain après hier matin soir jusqu'au ' « » ? ! tu t' ne pas 9999999999 "
    "1 248,60 vingt un cents mille milliards ~ 1er premier 999999999999999999999999999999 99/99/9999 15h99 6/4"
).split()
_NOWS = [FRIDAY, datetime(2026, 2, 28, 23, 59, tzinfo=PARIS), None, datetime(9999, 12, 30, tzinfo=ZoneInfo("UTC"))]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30), st.sampled_from(_NOWS))
def test_french_pieces_in_any_order_never_break_the_slot_readers(pieces: list[str], now: datetime | None) -> None:
    u = understand(" ".join(pieces), {"now": now})
    for ref in u.slots.dates + u.slots.times:
        assert ref.start is None or ref.start.tzinfo is not None


def test_very_long_lines_are_read_up_to_a_bound() -> None:
    line = ("Bonjour madame, je note 48 tubes de 6.4 et je vous rappelle demain. " * 200)[:10_000]
    u = understand(line, CTX)
    assert u.has("greet") and u.has("take_notes")
    assert sum(len(c) for c in u.clauses) <= MAX_CHARS
    understand("a" * 10_000)
    understand("😀" * 10_000)
    understand("4" * 10_000)


def test_spoken_lines_without_question_mark_are_questions() -> None:
    """Speech recognition and SMS drop the "?": the question is still heard as one."""
    assert understand("c'est quoi votre nom", CTX).has("ask_identity")
    assert understand("vous etes joignable jusqu'a quelle heure", CTX).has("ask_callback_details")
    u = understand("vous preferez un avoir ou un remplacement", CTX)
    assert u.question_type == "alternative" and u.has("ask_expectation")
    # A statement stays a statement: "alors je note" is no inversion, "quelle que soit" asks nothing.
    assert understand("alors je note quarante huit tubes", CTX).question_type is None
    assert understand("La remise est la même quelle que soit la nuance.", CTX).question_type is None


def test_spoken_amounts_shades_and_counts() -> None:
    money = understand("le tube est a 3 euros 80 hors taxe", CTX).slots.money
    assert [(m.amount, m.tax) for m in money] == [(Decimal("3.80"), "HT")]
    assert understand("Ça fera douze euros cinquante pour le shampooing.", CTX).slots.money[0].amount == Decimal("12.50")
    q = understand("trente tubes de six quatre et dix huit tubes de sept trois", CTX).slots.quantities
    assert [(x.value, x.shade) for x in q] == [(30, "6.4"), (18, "7.3")]
    # "pour 12 personnes" counts people; it is not the 12th of the month.
    u = understand("Est-il possible de réserver le dîner pour douze personnes ?", {"now": FRIDAY, "company": "servfamilles"})
    assert u.slots.dates == [] and [x.value for x in u.slots.quantities] == [12]
    assert [d.date for d in understand("Vous l'aurez pour le 12.", CTX).slots.dates] == [date(2026, 12, 12)]


def test_a_question_keeps_its_meaning_when_negative_and_a_statement_does_not() -> None:
    assert understand("Il ne vous faudrait pas de l'oxydant aussi ?", CTX).has("ask_other_needs")
    assert understand("Je vous rappelle quand j'ai la réponse.", CTX).has("commit_callback")
    assert not understand("Je ne vous rappellerai pas.", CTX).has("commit_callback")
    assert not understand("Je vous rappelle que la facture est échue.", CTX).has("commit_callback")


def test_spoken_requests_and_payment_commitments_without_question_mark() -> None:
    assert understand("c'est de la part de qui", CTX).question_type == "open"
    assert understand("vous pouvez me donner votre numero de commande", CTX).question_type == "open"
    assert understand("vous pouvez me rappeler demain", CTX).question_type is None
    # Returning the signed bill of exchange by a date is the payment commitment a reminder asks for;
    # returning goods by a date is not.
    assert understand("vous pouvez nous la renvoyer signee avant vendredi", CTX).intent_names == ["ask_payment_date"]
    assert not understand("vous pouvez nous renvoyer les tubes avant vendredi", CTX).has("ask_payment_date")


def test_a_contrasted_number_counts_the_same_thing() -> None:
    q = understand("Vous deviez recevoir 48 tubes et non 20.", CTX).slots.quantities
    assert [(x.value, x.unit) for x in q] == [(48, "tub"), (20, "tub")]
    assert understand("ah d'accord, deux twins à la place, ça me va", CTX).has("confirm")
    assert not understand("ah bon, vous ne l'avez pas reçue ?", CTX).has("confirm")


def test_more_spoken_forms_other_students_use() -> None:
    assert understand("t'as besoin de quoi", CTX).has("ask_need")
    assert understand("tu peux me donner ton numero", CTX).question_type == "open"
    assert understand("alors est ce que les nouveaux tubes sont bien arrives", CTX).has("ask_satisfaction")
    assert understand("c'est pour une commande ou une reclamation", CTX).question_type == "alternative"
    assert understand("bonjour c'est bien l'hotel nofitel", CTX).intent_names == ["ask_identity", "greet"]
    assert understand("c bon jai noter", CTX).has("take_notes")
    assert understand("on peut pas vous rembourser le transport", CTX).has("refuse_politely")
    assert understand("si vous avez le moindre souci n'hesitez pas a nous rappeler", CTX).has("leave_taking")
    assert "company_formula" in understand("generik bonjour vous etes en ligne avec lea", CTX).flags


def test_statements_that_ask_or_blame_nothing() -> None:
    assert not understand("c'est vous qui decidez madame", CTX).has("blame")
    assert understand("c'est vous qui avez mal commandé", CTX).has("blame")
    assert not understand("je vois sur votre fiche que vous etes cliente depuis 2019", CTX).has("ask_identity")
    assert understand("on se rappelle vendredi alors", CTX).has("commit_callback")
    assert understand("vous avez raison, c'est inadmissible", CTX).has("empathize")


def test_a_yes_no_question_said_without_question_mark() -> None:
    u = understand("vous avez des photos", CTX)
    assert u.has("ask_details") and u.question_type == "closed"
    # A statement that means something stays a statement.
    u = understand("vous avez droit a une remise", CTX)
    assert u.has("announce_promotion") and u.question_type is None
