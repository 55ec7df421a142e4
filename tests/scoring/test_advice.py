"""What the student reads: evidence for every verdict, what to say instead, the actual caller's name."""

from __future__ import annotations

import json

import pytest

from trainer.domain.transcript import parse_transcript
from trainer.paths import reference_transcripts_dir
from trainer.scoring import score_transcript

HANG_C = {"event": "hangup", "by": "customer"}


def _reference_reports():
    for path in sorted(reference_transcripts_dir().glob("*.json")):
        yield path.name, score_transcript(parse_transcript(path.read_text(encoding="utf-8"), str(path)))


def test_every_verdict_points_at_turns_or_says_why_not():
    for name, report in _reference_reports():
        for r in report.rules:
            assert r.advice.strip(), (name, r.id)
            if r.verdict == "not_applicable":
                assert r.turns == [], (name, r.id)
            else:
                assert r.turns, (name, r.id)
        for item in report.items:
            assert item.comment.strip(), (name, item.id)


def test_every_violation_says_what_to_say_instead_in_french():
    violations = 0
    for name, report in _reference_reports():
        for r in report.rules:
            if r.verdict == "violated":
                violations += 1
                # A French model sentence between guillemets, and the turn(s) it is about.
                assert "«" in r.advice and "»" in r.advice, (name, r.id, r.advice)
    assert violations > 100


def _unnamed_caller(score, *, scenario=None):
    fields = {"scenario": scenario} if scenario else {}
    return score(
        ("S", "GENERIK, Julie, bonjour !"),
        ("C", "Bonjour, ici Madame Bernard, du salon Capucine. Je voudrais vingt crèmes sans ammoniaque."),
        ("S", "Très bien. Pour quelles nuances ?"),
        ("C", "Cinq en 6.4, cinq en 5.3 et dix en 7.3."),
        ("S", "Je récapitule : 20 crèmes sans ammoniaque. Avez-vous d'autres besoins ?"),
        ("C", "Non."),
        ("S", "Au revoir, bonne journée."),
        ("X", "La cliente raccroche.", HANG_C),
        **fields,
    )


def test_advice_names_the_actual_caller_not_a_stock_persona(score):
    report = _unnamed_caller(score)
    comment = report.item("adaptation_interlocuteur").comment
    assert "Madame Bernard" in comment and "Delmotte" not in comment
    leave = report.rule("conclusion.prise_de_conge")
    assert leave.verdict == "violated" and "Madame Bernard" in leave.advice
    dumped = json.dumps(report.model_dump(mode="json"), ensure_ascii=False)
    assert "Delmotte" not in dumped and "Laurent" not in dumped


def test_unknown_caller_gets_a_placeholder_not_an_invented_name(score):
    report = score(
        ("S", "GENERIK, Julie, bonjour !"),
        ("C", "Bonjour, je voudrais savoir si la crème sans ammoniaque contient de la résorcine."),
        ("S", "Elle n'en contient pas. Souhaitez-vous autre chose ?"),
        ("C", "Non merci."),
        ("S", "Au revoir."),
        ("X", "La cliente raccroche.", HANG_C),
    )
    dumped = json.dumps(report.model_dump(mode="json"), ensure_ascii=False)
    assert "Delmotte" not in dumped and "Madame X" not in dumped
    assert "[nom]" in report.rule("conclusion.prise_de_conge").advice


@pytest.mark.parametrize(("direction", "by", "needle"), [("incoming", "student", "attendez"), ("outgoing", "customer", "raccrochez")])
def test_hang_up_advice_says_what_to_do(score, direction, by, needle):
    rule = score(
        ("C", "Allô ?"),
        ("S", "Bonjour Madame, Julie de GENERIK. Au revoir."),
        ("X", "Fin de l'appel.", {"event": "hangup", "by": by}),
        direction=direction,
    ).rule("conclusion.raccrocher_en_dernier")
    assert rule.verdict == "violated" and rule.turns == [2] and needle in rule.advice and "«" in rule.advice


def test_order_restatement_advice_uses_this_calls_agreement(score):
    rule = _unnamed_caller(score).rule("conclusion.reformulation")
    assert rule.verdict == "respected"
    bad = score(
        ("S", "GENERIK, Julie, bonjour !"),
        ("C", "Bonjour, Madame Bernard. Il me faudrait 36 crèmes sans ammoniaque et 2 poudres décolorantes."),
        ("S", "Très bien. Je récapitule : 36 crèmes sans ammoniaque."),
    ).rule("conclusion.reformulation")
    assert bad.verdict == "violated"
    assert "36 crèmes colorantes sans ammoniaque et 2 poudres décolorantes" in bad.advice
