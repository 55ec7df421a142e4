"""What was finally agreed, and what commits: fixes found on the third held-out batch of transcripts.

- The restatement of an order is checked against the quantities agreed at the end of the call (40
  asked, 48 agreed after the promotion: restating 48 is right, 40 is wrong), and « tubes » is not a
  product line of its own.
- A vague answer is redeemed only by a commitment with a time that is not itself hedged.
"""

from __future__ import annotations

import pytest

from trainer.domain.transcript import Transcript
from trainer.scoring.context import CallView, resolve_scenario
from trainer.scoring.lexicon import get_lexicon
from trainer.scoring.rules import agreement

OPENING = [
    ("S", "GENERIK, Julie, bonjour !"),
    ("C", "Bonjour, Claire Fabre, salon L'Atelier. Il me faudrait quarante crèmes sans ammoniaque et deux oxydants."),
    ("S", "C'est noté. Ces crèmes sont en promotion : dès 48 tubes, vous avez 20 % de remise au lieu de 10 %."),
]


def _agreed(*turns):
    speakers = {"S": "student", "C": "customer"}
    transcript = Transcript.model_validate({"turns": [{"speaker": speakers[s], "text": t} for s, t in turns]})
    call = CallView(transcript, resolve_scenario(transcript, None), get_lexicon())
    return {family: total for family, _label, total, _q in agreement(call).groups}


@pytest.mark.parametrize("accept", ["Alors va pour 48.", "Mettez-en 48, alors.", "Bon, finalement 48, douze par nuance."])
def test_quantity_agreed_after_the_promotion_replaces_the_first_one(score, accept):
    turns = [*OPENING, ("C", accept)]
    assert _agreed(*turns) == {"creme_sans_ammoniaque": 48, "oxydant": 2}
    good = score(*turns, ("S", "Je récapitule : 48 tubes de crème sans ammoniaque et 2 oxydants. C'est bien cela ?"))
    assert good.rule("conclusion.reformulation").verdict == "respected"
    stale = score(*turns, ("S", "Je récapitule : 40 crèmes sans ammoniaque et 2 oxydants. C'est bien cela ?"))
    rule = stale.rule("conclusion.reformulation")
    assert rule.verdict == "violated" and "48" in rule.advice and rule.turns == [4]


def test_caller_who_keeps_the_first_quantity(score):
    turns = [*OPENING, ("C", "Non merci, je reste à 40.")]
    assert _agreed(*turns) == {"creme_sans_ammoniaque": 40, "oxydant": 2}


def test_tubes_are_the_same_line_as_the_cream(score):
    turns = [
        ("S", "GENERIK, Julie, bonjour !"),
        ("C", "Bonjour, Claire Fabre. Je voudrais vingt crèmes sans ammoniaque."),
        ("S", "Très bien, avec 10 % de remise."),
        ("C", "Et mettez-moi plutôt 30 tubes, en fait."),
    ]
    assert _agreed(*turns) == {"creme_sans_ammoniaque": 30}
    report = score(*turns, ("S", "Je récapitule : 30 crèmes sans ammoniaque, c'est bien cela ?"))
    assert report.rule("conclusion.reformulation").verdict == "respected"


@pytest.mark.parametrize("line", ["Mettez-en 12 de chaque.", "Au 06 45 12 78 90, le matin.", "Disons 20 % alors ?"])
def test_per_shade_counts_phone_numbers_and_rates_are_not_line_totals(line):
    assert _agreed(*OPENING, ("C", line)) == {"creme_sans_ammoniaque": 40, "oxydant": 2}


# --- echange.reponse_precise: hedged commitments --------------------------------------------------

@pytest.mark.parametrize(
    "line",
    [
        "Je ne sais pas, peut-être demain. Je lui dirai que vous avez appelé.",
        "Je vais voir ce que je peux faire, on pourra peut-être vous les envoyer la semaine prochaine. Je transmets.",
        "Normalement, vous les aurez demain.",
    ],
)
def test_a_hedged_time_is_not_a_commitment(score, line):
    rule = score(("C", "Quand ?"), ("S", line)).rule("echange.reponse_precise")
    assert rule.verdict == "violated" and rule.turns == [1]
    assert "Dites plutôt" in rule.advice


@pytest.mark.parametrize(
    "line",
    [
        "je ne sais pas je verifie et je vous rappelle avant 16 h",
        "Je crois que nous serons douze, je vous le confirme par courriel demain avant midi.",
        "Pour le train, je crois qu'il reste à votre charge, mais je vérifie et je vous rappelle avant 17 h.",
    ],
)
def test_a_commitment_after_the_hedge_redeems_it(score, line):
    assert score(("C", "Quand ?"), ("S", line)).rule("echange.reponse_precise").verdict == "respected"


def test_proposal_accepted_without_the_number(score):
    turns = [*OPENING, ("C", "D'accord, allons-y alors.")]
    assert _agreed(*turns) == {"creme_sans_ammoniaque": 40, "oxydant": 2}  # the caller's own last words
    for restated in ("48", "40"):
        report = score(*turns, ("S", f"Je récapitule : {restated} crèmes sans ammoniaque et 2 oxydants. C'est bien cela ?"))
        assert report.rule("conclusion.reformulation").verdict == "respected", restated
    wrong = score(*turns, ("S", "Je récapitule : 30 crèmes sans ammoniaque et 2 oxydants. C'est bien cela ?"))
    assert wrong.rule("conclusion.reformulation").verdict == "violated"
