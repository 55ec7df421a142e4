"""The debrief's data, built from a transcript, a score and records (no screen needed)."""

from __future__ import annotations

from trainer.tui.export import build_debrief, to_markdown


def test_each_erp_refusal_is_reported_once() -> None:
    refusal = "Nouveau client : indiquez un téléphone ou une adresse électronique."
    transcript = {
        "scenario": "generik-commande-nouveau-client",
        "student": "julie",
        "turns": [{"speaker": "student", "text": "GENERIK, Julie, bonjour !"}],
        "outcome": {"records": [], "problems": [refusal, "Message incomplet : il manque le numéro où rappeler."]},
    }
    data = build_debrief(transcript=transcript, score=None, records=[], scenario=None, problems=[refusal])
    assert data.problems == [refusal, "Message incomplet : il manque le numéro où rappeler."]
    assert to_markdown(data).count(refusal) == 1
