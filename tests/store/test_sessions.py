"""Users and live call sessions: an observer on another connection follows the turns as they come."""

from __future__ import annotations

from datetime import timedelta

import pytest
from store_helpers import NOW

from trainer.domain.errors import DomainError
from trainer.store import open_store
from trainer.store import sessions as calls


def test_a_live_call_followed_from_another_connection(store) -> None:
    with store.unit_of_work() as s:
        sid = calls.start_call_session(s, student="Alice", scenario_id="generik-commande-nouveau-client",
                                       company_id="generik", now=NOW, seed=7)
    observer = open_store(store.url)
    try:
        with store.unit_of_work() as s:
            calls.append_turn(s, session_id=sid, idx=0, speaker="system", text="Le téléphone sonne.", now=NOW, t=0.0,
                              extra={"event": "ring", "count": 1})
            calls.append_turn(s, session_id=sid, idx=1, speaker="student", text="GENERIK, Julie, bonjour !",
                              now=NOW + timedelta(seconds=3), t=3.0)
        with observer.read() as s:
            live = calls.list_call_sessions(s, status="live")
            seen = calls.turns_after(s, session_id=sid)
        assert [(c.student, c.turns, c.status) for c in live] == [("alice", 2, "live")]
        assert [t.text for t in seen] == ["Le téléphone sonne.", "GENERIK, Julie, bonjour !"]
        assert seen[0].extra == {"event": "ring", "count": 1}
        with store.unit_of_work() as s:
            calls.append_turn(s, session_id=sid, idx=2, speaker="customer", text="Bonjour madame…", now=NOW, t=5.1)
        with observer.read() as s:
            assert [t.idx for t in calls.turns_after(s, session_id=sid, after_idx=1)] == [2]
        with store.unit_of_work() as s:
            calls.finish_call_session(s, session_id=sid, now=NOW + timedelta(minutes=4), ended_by="customer",
                                      transcript={"schema": "trainer.transcript/1", "turns": []},
                                      score={"grid": "telephone-generik", "total": 72.5})
        with observer.read() as s:
            info = calls.get_call_session(s, session_id=sid)
            transcript, score = calls.session_documents(s, session_id=sid)
        assert info.status == "finished" and info.score_total == 72.5 and info.ended_by == "customer"
        assert transcript["schema"] == "trainer.transcript/1" and score["total"] == 72.5
    finally:
        observer.dispose()


def test_turns_are_unique_per_index_and_closed_sessions_refuse_turns(store) -> None:
    with store.unit_of_work() as s:
        sid = calls.start_call_session(s, student="bob", scenario_id="x", company_id="generik", now=NOW)
        calls.append_turn(s, session_id=sid, idx=0, speaker="student", text="Allô", now=NOW)
    with pytest.raises(Exception), store.unit_of_work() as s:  # noqa: B017 - the engine's IntegrityError
        calls.append_turn(s, session_id=sid, idx=0, speaker="student", text="Encore", now=NOW)
    with store.unit_of_work() as s:
        calls.finish_call_session(s, session_id=sid, now=NOW, ended_by="student")
    with pytest.raises(DomainError, match="terminée"), store.unit_of_work() as s:
        calls.append_turn(s, session_id=sid, idx=1, speaker="student", text="Allô ?", now=NOW)


def test_silent_live_sessions_become_abandoned(store) -> None:
    with store.unit_of_work() as s:
        old = calls.start_call_session(s, student="carla", scenario_id="x", company_id="generik",
                                       now=NOW - timedelta(hours=2))
        fresh = calls.start_call_session(s, student="carla", scenario_id="x", company_id="generik", now=NOW)
    with store.unit_of_work() as s:
        assert calls.mark_abandoned(s, idle_since=NOW - timedelta(minutes=30), now=NOW) == 1
    with store.read() as s:
        statuses = {c.id: c.status for c in calls.list_call_sessions(s, student="Carla")}
    assert statuses == {old: "abandoned", fresh: "live"}


def test_users_and_roles(store) -> None:
    with store.unit_of_work() as s:
        teacher = calls.get_or_create_user(s, username="  M.Dupont ", role="teacher", display_name="M. Dupont", now=NOW)
        calls.set_password_hash(s, username="m.dupont", password_hash="$argon2id$v=19$...")
        again = calls.get_or_create_user(s, username="M.DUPONT", now=NOW)
    assert again.id == teacher.id and again.role == "teacher" and again.has_password
    with store.read() as s:
        assert calls.password_hash_of(s, username="m.dupont").startswith("$argon2id$")
        assert [u.username for u in calls.list_users(s, role="teacher")] == ["m.dupont"]
    with pytest.raises(DomainError, match="vide"), store.unit_of_work() as s:
        calls.get_or_create_user(s, username="   ", now=NOW)
