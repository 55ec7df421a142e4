"""One call session, end to end, on both engines: what a student, an observer and a teacher see."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import NOW
from sqlalchemy import func, select

from trainer.call.erp import ErpError
from trainer.call.headless import check_script, play_script
from trainer.call.script import ScriptError, parse_script
from trainer.call.session import CallError, CallSession
from trainer.content.scenarios import list_scenarios, load_scenario
from trainer.domain.transcript import load_transcript
from trainer.store import repositories as repo
from trainer.store import sessions as sessions_repo
from trainer.store.journal import JOURNAL_NAME, read_journal, rebuild_transcript
from trainer.store.tables import CallSessionRow, OrderLineRow, OrderRow

ORDER = "generik-commande-nouveau-client"
SCRIPTS = Path(__file__).resolve().parent.parent / "golden" / "scripts"


def start(store, clock, scenario=ORDER, **kw) -> CallSession:
    return CallSession.start(scenario, store=store, student="alice", clock=clock, **kw)


def test_a_whole_order_call_is_recorded_once_and_everywhere(seeded_store, clock) -> None:
    script = parse_script((SCRIPTS / ORDER / "good.txt").read_text(encoding="utf-8"), "good.txt")
    session = start(seeded_store, clock, session_id=uuid.UUID(int=1))
    report = play_script(session, script)
    result = report.result

    # The records the call produced (CONTRACT §4): one order, priced by the domain.
    orders = [r for r in result.records if r["kind"] == "order"]
    assert len(orders) == 1
    order = orders[0]
    assert sum(line["quantity"] for line in order["lines"] if line["reference"] == "GNK-CCS-100") == 48
    assert {line["discount_rate"] for line in order["lines"] if line["reference"] == "GNK-CCS-100"} == {"0.20"}
    assert Decimal(order["total_ht"]) == sum(Decimal(line["total_ht"]) for line in order["lines"])
    assert order["payment_terms"] == "comptant"

    # The database has the same order, and the session row is finished with the transcript and score.
    with seeded_store.read() as db:
        row = db.scalars(select(OrderRow).where(OrderRow.number == order["id"])).one()
        assert row.total_ht == Decimal(order["total_ht"])
        lines = db.scalar(select(func.count()).select_from(OrderLineRow).where(OrderLineRow.order_id == row.id))
        assert lines == len(order["lines"])
        info = sessions_repo.get_call_session(db, session_id=uuid.UUID(int=1))
        assert info is not None and info.status == "finished" and info.ended_by == result.ended_by
        assert info.turns == result.turns
        stored, score = sessions_repo.session_documents(db, session_id=uuid.UUID(int=1))
    assert stored is not None and stored["outcome"]["records"] == result.records
    assert score == result.score

    # The transcript file (CONTRACT §2) is the one in the database, and the journal rebuilds it.
    written = load_transcript(result.transcript_path)
    assert written.to_json() == result.transcript.to_json()
    assert json.loads(result.transcript_path.read_text(encoding="utf-8")) == stored
    rebuilt = rebuild_transcript(result.transcript_path.parent / JOURNAL_NAME)
    assert rebuilt.to_json() == written.to_json()
    assert not list(result.transcript_path.parent.glob(".*.tmp"))

    # The call's shape: rings, pick-up by the student, ERP nothing typed, hang-up by the customer.
    turns = written.turns
    assert written.rings_before_pickup == 2 and written.direction == "incoming"
    assert [t.event for t in turns[:3]] == ["ring", "ring", "pickup"]
    assert turns[-1].speaker == "system" and turns[-1].event == "hangup" and turns[-1].by == "customer"
    assert result.ended_by == "customer"
    students = [t for t in turns if t.speaker == "student"]
    assert [t.text for t in students] == [s.text for s in script.speeches]
    assert all(t.t is not None for t in turns) and [t.t for t in turns] == sorted(t.t for t in turns)


def test_each_turn_is_in_the_database_as_it_happens(seeded_store, clock) -> None:
    session = start(seeded_store, clock)
    session.ring()
    session.pick_up()
    with seeded_store.read() as db:
        info = sessions_repo.get_call_session(db, session_id=session.id)
        assert info is not None and info.status == "live" and info.student == "alice"
    session.student_says("GENERIK, Julie, bonjour !")
    with seeded_store.read() as db:
        seen = sessions_repo.turns_after(db, session_id=session.id)
    assert [t.text for t in seen] == [t["text"] for t in session.turns]
    assert [t.speaker for t in seen] == ["system", "system", "student", "customer"]
    assert "greet" in (seen[2].extra or {}).get("intents", [])
    # The journal has them too, flushed before the customer answered.
    assert [t["text"] for t in read_journal(session.folder / JOURNAL_NAME).turns] == [t["text"] for t in session.turns]
    session.abandon()
    with seeded_store.read() as db:
        assert sessions_repo.get_call_session(db, session_id=session.id).status == "abandoned"


def test_erp_entries_are_turns_and_refusals_leave_no_trace(seeded_store, clock) -> None:
    session = start(seeded_store, clock)
    session.ring()
    session.pick_up()
    session.student_says("GENERIK, Julie, bonjour !")
    before = len(session.turns)
    summary = session.erp_action("ligne", {"reference": "gnk-ccs-100", "teinte": "6.4", "quantite": "24"})
    assert "24 × " in summary and "6.4" in summary
    action = session.turns[-1]
    assert action["speaker"] == "system" and action["event"] == "action"
    assert action["action"] == {"name": "ligne", "reference": "GNK-CCS-100", "teinte": "6.4", "quantite": 24}
    for bad, words in (
        ({"reference": "GNK-XXX-999", "quantite": 2}, "GNK-XXX-999"),
        ({"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": "0"}, "au moins 1"),
        ({"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": "beaucoup"}, "n'est pas un nombre entier"),
        ({"reference": "GNK-CCS-100", "teinte": "6.4", "quantite": 10_000_000}, "9 999"),
        ({"reference": "GNK-CCS-100", "teinte": "6.9", "quantite": 3}, "6.9"),
    ):
        with pytest.raises(ErpError) as err:
            session.erp_action("ligne", bad)
        assert words in str(err.value)
    with pytest.raises(ErpError, match="CLI-99999"):
        session.erp_action("client", {"numero": "CLI-99999"})
    with pytest.raises(ErpError, match="inconnue"):
        session.erp_action("reclamation", {"categorie": "colis_perdu"})
    with pytest.raises(ErpError, match="inconnu"):
        session.erp_action("message", {"pour": "M. Personne", "nom": "Paul Girard"})
    with pytest.raises(ErpError, match="Pas de ligne 3"):
        session.erp_action("supprimer-ligne", {"numero": 3})
    assert len(session.turns) == before + 1
    preview = session.erp_preview()
    assert preview["order"]["lines"][0]["quantity"] == 24
    assert preview["order"]["lines"][0]["discount_rate"] == "0.10"
    session.abandon()


def test_explicit_entries_win_over_what_the_customer_confirmed(seeded_store, clock) -> None:
    session = start(seeded_store, clock)
    session.ring()
    session.pick_up()
    session.student_says("GENERIK, Julie, bonjour !")
    session.erp_action("client", {"numero": "CLI-00001"})
    session.erp_action("ligne", {"reference": "GNK-SHA-1000", "quantite": 2})
    session.student_says("Je vous remercie Madame, au revoir.")
    result = session.hang_up()
    orders = [r for r in result.records if r["kind"] == "order"]
    assert len(orders) == 1 and orders[0]["client"]["number"] == "CLI-00001"
    assert [(line["reference"], line["quantity"]) for line in orders[0]["lines"]] == [("GNK-SHA-1000", 2)]
    hangups = [t for t in result.transcript.turns if t.event == "hangup"]
    assert len(hangups) == 1


def test_wrong_moves_are_refused_with_a_sentence(seeded_store, clock) -> None:
    session = start(seeded_store, clock)
    with pytest.raises(CallError, match="Décrochez d'abord"):
        session.student_says("Allô ?")
    with pytest.raises(CallError, match="appel sortant|c'est le client qui appelle"):
        session.dial()
    session.pick_up()  # one ring at least
    assert session.rings == 1
    with pytest.raises(CallError, match="décrocher"):
        session.pick_up()
    assert session.student_says("   ") is None  # a blank line says nothing
    result = session.hang_up()
    assert result.ended_by == "student"
    with pytest.raises(CallError, match="enregistré"):
        session.student_says("Encore là ?")
    assert session.finish() is result  # finishing twice gives the same result


def outgoing_scenario() -> str:
    """An outgoing scenario (the reminder to the wholesaler, else any)."""
    found = [s.id for s in list_scenarios() if s.direction == "outgoing"]
    if not found:
        pytest.skip("aucun scénario d'appel sortant n'est encore écrit")
    return "generik-relance-grossiste-telephone" if "generik-relance-grossiste-telephone" in found else found[0]


def test_an_outgoing_call_rings_at_the_customer(seeded_store, clock) -> None:
    session = start(seeded_store, clock, scenario=outgoing_scenario())
    with pytest.raises(CallError, match="c'est vous qui appelez"):
        session.pick_up()
    session.dial(rings=3)
    assert session.phase == "talking"
    rings = [t for t in session.turns if t.get("event") == "ring"]
    assert len(rings) == 3
    pickup = [t for t in session.turns if t.get("event") == "pickup"]
    assert pickup[0]["by"] == "customer"
    result = session.hang_up()
    assert result.transcript.rings_before_pickup is None  # the charter's pick-up rule is the student's
    assert result.transcript.direction == "outgoing"


def test_check_script_refuses_before_anything_is_written(seeded_store, clock) -> None:
    scenario = load_scenario(ORDER)
    with seeded_store.read() as db:
        before = repo.count_rows(db)
    for text, words in (
        ("Bonjour\n/ligne GNK-CCS-100 6.9 12\n", "ligne 2, /ligne"),
        ("Bonjour\n/client CLI-99999\n", "CLI-99999"),
        ('Bonjour\n/nouveau-client nom="X Y" segment=coiffeur_lunaire\n', "Segment « coiffeur_lunaire » inconnu"),
        ('Bonjour\n/nouveau-client nom="Sophie Martin" segment=salon_independant\n', "indiquez"),
    ):
        with pytest.raises(ScriptError) as err:
            check_script(parse_script(text, "s.txt"), scenario, seeded_store, now=NOW)
        assert str(err.value).startswith("s.txt, ligne 2") and words in str(err.value)
    with seeded_store.read() as db:
        assert repo.count_rows(db) == before


def test_a_refused_part_is_reported_and_the_rest_recorded(seeded_store, clock) -> None:
    session = start(seeded_store, clock)
    session.pick_up()
    session.student_says("GENERIK, Julie, bonjour !")
    # An order with no client: the ERP cannot record it; the message can be.
    session.erp_action("ligne", {"reference": "GNK-SHA-1000", "quantite": 1})
    session.erp_action("message", {"pour": "M. Mocher", "nom": "Sophie Laurent", "tel": "05 36 49 20 41",
                                    "objet": "rappel", "rappel": "demain 10 h"})
    session.student_says("Au revoir Madame.")
    result = session.hang_up()
    kinds = [r["kind"] for r in result.records]
    assert kinds == ["message"]
    assert any("la commande" in p for p in result.problems)
    assert result.transcript.outcome["problems"] == [p for p in result.problems if p in result.transcript.outcome["problems"]]
    with seeded_store.read() as db:
        assert db.scalar(select(CallSessionRow.status).where(CallSessionRow.id == session.id)) == "finished"
