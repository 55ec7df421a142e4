"""A satisfaction call on a complaint already on file (S14): closed when the customer is satisfied,
revised (or reopened) when not, from an ERP entry or from what the customer said."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import NOW
from sqlalchemy import select

from trainer.call.erp import ErpError
from trainer.call.session import CallSession
from trainer.store import open_store
from trainer.store import repositories as repo
from trainer.store.tables import ComplaintRow, ComplaintStatusRow, ContactLogRow

CALLBACK = "generik-rappel-satisfaction"


def _delmotte(store) -> list:
    with store.read() as db:
        return repo.find_complaints(db, client_number="CLI-00042")


def _call(store, clock, lines: list[str], actions: list[tuple[str, dict]] = ()) -> dict:
    session = CallSession.start(CALLBACK, store=store, student="alice", clock=clock)
    session.dial(2)
    for name, args in actions:
        session.erp_action(name, args)
    for line in lines:
        session.student_says(line)
    return session.hang_up()


GOOD = [
    "Bonjour Madame Delmotte, Léa, du service clientèle de GENERIK. Je vous appelle au sujet de votre colis.",
    "Le nouvel envoi vous convient-il ? Les tubes sont arrivés en bon état ?",
    "Merci beaucoup, vous êtes une cliente précieuse pour nous. Au revoir, Madame.",
]


def test_the_reference_data_has_her_complaint_awaiting_satisfaction(seeded_store) -> None:
    complaints = _delmotte(seeded_store)
    assert [c.status.value for c in complaints] == ["cloturee", "en_attente_satisfaction"]
    waiting = complaints[-1]
    assert waiting.channel == "courriel" and "deuxième commande" in waiting.facts
    assert waiting.answered_on is not None and waiting.answered_on <= NOW.date()


def test_what_she_said_closes_her_complaint_without_any_erp_entry(seeded_store, clock) -> None:
    waiting = _delmotte(seeded_store)[-1]
    result = _call(seeded_store, clock, GOOD)
    complaints = [r for r in result.records if r["kind"] == "complaint"]
    assert len(complaints) == 1, result.records
    assert complaints[0]["id"] == waiting.number and complaints[0]["status"] == "cloturee"
    after = _delmotte(seeded_store)
    assert len(after) == 2, "a callback opens no new complaint"
    closed = after[-1]
    assert closed.status.value == "cloturee" and closed.closure_reason == "satisfait"
    assert closed.closed_on == NOW.date()
    with seeded_store.read() as db:
        row = db.scalars(select(ComplaintRow).where(ComplaintRow.number == waiting.number)).one()
        history = db.scalars(select(ComplaintStatusRow).where(ComplaintStatusRow.complaint_id == row.id)
                             .order_by(ComplaintStatusRow.id)).all()
        assert (history[-1].from_status, history[-1].to_status) == ("en_attente_satisfaction", "cloturee")
        logged = db.scalars(select(ContactLogRow).where(ContactLogRow.reference == waiting.number)).all()
        assert [entry.purpose for entry in logged] == ["satisfaction"]


def test_a_call_that_never_asks_closes_nothing(seeded_store, clock) -> None:
    result = _call(seeded_store, clock, [GOOD[0], "Bon, je vous souhaite une bonne journée, au revoir."])
    assert not [r for r in result.records if r["kind"] == "complaint"]
    assert _delmotte(seeded_store)[-1].status.value == "en_attente_satisfaction"


def test_not_satisfied_revises_the_corrective_action_with_a_new_deadline(seeded_store, clock) -> None:
    action = ("satisfaction", {"reponse": "non", "action": "Nouvel envoi en colis renforcé, sous 24 heures"})
    result = _call(seeded_store, clock, GOOD[:2], [action])
    record = next(r for r in result.records if r["kind"] == "complaint")
    assert record["status"] == "action_revisee"
    assert record["solution"] == "Nouvel envoi en colis renforcé, sous 24 heures"
    # J à J+1 for a packing error, counted from the day of the callback (Monday → Tuesday).
    assert date.fromisoformat(record["customer_deadline"]) == date(2026, 11, 24)
    revised = _delmotte(seeded_store)[-1]
    assert revised.revisions and revised.revisions[-1].action.startswith("Nouvel envoi en colis")


def test_the_erp_refuses_a_follow_up_it_cannot_make(seeded_store, clock) -> None:
    session = CallSession.start(CALLBACK, store=seeded_store, student="alice", clock=clock)
    session.dial(2)
    with pytest.raises(ErpError, match="oui ou non"):
        session.erp_action("satisfaction", {"reponse": "bof"})
    with pytest.raises(ErpError, match="action corrective"):
        session.erp_action("satisfaction", {"reponse": "non"})
    with pytest.raises(ErpError, match="REC-2026-999999"):
        session.erp_action("satisfaction", {"reponse": "oui", "reclamation": "REC-2026-999999"})
    assert "clôturée" in session.erp_action("satisfaction", {"reponse": "oui"})
    # The ERP panel shows the complaint as it will be recorded.
    preview = session.erp_preview()["follow_up"]
    assert preview["status"] == "cloturee" and preview["complaint"].startswith("REC-")
    session.abandon()


def test_a_closed_complaint_is_reopened_when_the_customer_is_not_satisfied_after_all(seeded_url, clock) -> None:
    store = open_store(seeded_url)
    try:
        _call(store, clock, GOOD)
        assert _delmotte(store)[-1].status.value == "cloturee"
        action = ("satisfaction", {"reponse": "non", "action": "Avoir sur les tubes abîmés"})
        result = _call(store, clock, GOOD[:1], [action])
        record = next(r for r in result.records if r["kind"] == "complaint")
        assert record["status"] == "action_revisee" and record["solution"] == "Avoir sur les tubes abîmés"
    finally:
        store.dispose()
