"""Rules added for unpunctuated spoken turns and other companies (held-out set 4).

Each test states what a teacher reading the student's line would check, and the reading that the
rule must not produce.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from trainer.dialogue.nlu import understand

NOW = datetime(2026, 11, 25, 14, 10, tzinfo=ZoneInfo("Europe/Paris"))


def _names(text: str, company: str = "generik") -> set[str]:
    return {i.name for i in understand(text, {"now": NOW, "company": company}).intents}


def test_a_negation_does_not_reach_over_a_new_subject() -> None:
    # Without punctuation, the « pas » of « c'est pas possible » must not cancel the apology.
    assert {"apologize", "refuse_politely"} <= _names("non c'est pas possible je suis désolé")
    # A negation of the apology itself still cancels it.
    assert "apologize" not in _names("je ne suis pas désolé")


def test_the_company_name_as_speech_recognition_writes_it() -> None:
    u = understand("générique bonjour Lucas à l'appareil", {"company": "generik"})
    assert u.has("introduce_company") and "company_formula" in u.flags
    u = understand("servfamille bonjour euh nathan", {"company": "servfamilles"})
    assert u.has("introduce_company") and u.slots.first_names == ["Nathan"]
    # « générique » elsewhere in a sentence names no company.
    assert not understand("un produit générique moins cher", {"company": "generik"}).has("introduce_company")


def test_tax_said_before_the_amount() -> None:
    money = understand("hors taxe ça fait 4,20 € le tube").slots.money
    assert [(m.amount, m.tax) for m in money] == [(Decimal("4.20"), "HT")]
    money = understand("ça fait 10 euros HT soit 12 euros TTC").slots.money
    assert [(m.amount, m.tax) for m in money] == [(Decimal("10.00"), "HT"), (Decimal("12.00"), "TTC")]


def test_a_weekly_duration_is_no_deadline() -> None:
    u = understand("on peut vous envoyer une aide ménagère deux heures par semaine", {"now": NOW, "company": "servfamilles"})
    assert u.slots.times == [] and not u.has("give_deadline")
    assert understand("je vous rappelle à 16 heures", {"now": NOW}).has("give_deadline")


def test_a_phone_number_read_back_digit_by_digit() -> None:
    u = understand("je répète zéro cinq trente six quarante neuf vingt zéro un")
    assert u.slots.phone == "05 36 49 20 01" and u.has("reformulate")


def test_a_shade_in_apposition_belongs_to_the_quantity() -> None:
    quantities = understand("Je note : trois tubes écrasés, nuance 6.4.").slots.quantities
    assert [(q.value, q.shade) for q in quantities] == [(3, "6.4")]
    # A shade in the next question is not the shade of the counted tubes.
    quantities = understand("3 tubes abîmés. Vous préférez la nuance 6.4 ?").slots.quantities
    assert [(q.value, q.shade) for q in quantities] == [(3, None)]


def test_a_partner_sent_is_a_solution_but_not_a_colleague_passed_on() -> None:
    assert {"propose_solution", "give_deadline"} <= _names("notre plombier partenaire peut passer demain matin", "servfamilles")
    names = _names("je vais vous passer ma responsable")
    assert "transfer" in names and "propose_solution" not in names
    assert "propose_solution" not in _names("Le livreur passera mercredi entre 9 h et midi.")


def test_familiar_goodbye_and_not_il_n_y_a_plus() -> None:
    u = understand("bon ben à plus")
    assert u.has("leave_taking") and "familiar" in u.flags
    u = understand("il n'y a plus de 6.66")
    assert not u.has("leave_taking") and "familiar" not in u.flags
