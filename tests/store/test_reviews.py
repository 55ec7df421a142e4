"""Observer grids, teacher reviews, turn comments and who sees which session, on both engines."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect

from trainer.domain.errors import DomainError
from trainer.store import open_store, staff
from trainer.store import repositories as repo
from trainer.store import reviews as rv
from trainer.store import sessions as ss
from trainer.store.staff import SessionFilters, Viewer
from trainer.store.tables import CompanyRow

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 14, 3, tzinfo=PARIS)
TEACHER = Viewer("mme.durand", "teacher")
ALICE = Viewer("alice", "student")
BRUNO = Viewer("bruno", "student")

SCORE = {
    "grid": "telephone-generik",
    "total": 50.0,
    "rules": [{"id": "accueil.formule", "verdict": "respected", "turns": [1], "advice": "Bien."}],
    "items": [
        {"id": "respecter_charte", "level": 2, "max_level": 3, "comment": "…"},
        {"id": "prise_de_conge", "level": 1, "max_level": 3, "comment": "…"},
    ],
}


@pytest.fixture
def store(db_url: str):
    """Both engines: the tests on writing rules and on who sees what."""
    store = open_store(db_url)
    store.init_schema()
    yield store
    store.dispose()


@pytest.fixture
def lite(sqlite_url: str):
    """SQLite only: validation paths that do not depend on the engine (keeps the run short)."""
    store = open_store(sqlite_url)
    store.init_schema()
    yield store
    store.dispose()


def _session(store, student: str, *, started: datetime = NOW, finished: bool = True, scenario: str = "generik-a") -> uuid.UUID:
    with store.unit_of_work() as db:
        sid = ss.start_call_session(db, student=student, scenario_id=scenario, company_id="generik", now=started)
        ss.append_turn(db, session_id=sid, idx=0, speaker="student", text="GENERIK, Julie, bonjour !", now=started, t=1.0)
        if finished:
            ss.finish_call_session(db, session_id=sid, now=started + timedelta(minutes=3), ended_by="customer",
                                   transcript={"turns": []}, score=SCORE)
    return sid


def test_review_tables_are_created_by_the_migrations(store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"observer_grids", "observer_grid_items", "teacher_reviews", "review_decisions", "turn_comments"} <= tables


def test_observer_grid_draft_then_submitted_and_final(store) -> None:
    sid = _session(store, "alice", finished=False)
    with store.unit_of_work() as db:
        rv.save_observer_grid(db, session_id=sid, observer="marc", grid_id="telephone-generik", now=NOW,
                              items=[rv.ObserverItem("respecter_charte", 2, "  Bonne   formule ")])
    with store.unit_of_work() as db:
        grid = rv.save_observer_grid(db, session_id=sid, observer="marc", grid_id="telephone-generik", now=NOW,
                                     items=[rv.ObserverItem("prise_de_conge", 3)], submit=True)
    assert grid.submitted
    assert grid.levels() == {"respecter_charte": 2, "prise_de_conge": 3}
    assert grid.item("respecter_charte").comment == "Bonne formule"
    with store.read() as db:
        assert rv.observer_grid(db, session_id=sid, observer="MARC").submitted_at is not None
        assert [g.observer for g in rv.observer_grids(db, session_id=sid, submitted_only=True)] == ["marc"]
    with pytest.raises(DomainError, match="déjà été remise"), store.unit_of_work() as db:
        rv.save_observer_grid(db, session_id=sid, observer="marc", grid_id="telephone-generik", now=NOW,
                              items=[rv.ObserverItem("prise_de_conge", 0)])


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([rv.ObserverItem("anticiper", 4)], "hors de l'échelle 0 à 3"),
        ([rv.ObserverItem("anticiper", -1)], "hors de l'échelle"),
        ([rv.ObserverItem("", 1)], "identifiant"),
    ],
)
def test_observer_levels_are_checked_and_nothing_is_written(lite, items, message) -> None:
    sid = _session(lite, "alice", finished=False)
    with lite.read() as db:
        before = repo.count_rows(db)
    with pytest.raises(DomainError, match=message), lite.unit_of_work() as db:
        rv.save_observer_grid(db, session_id=sid, observer="marc", grid_id="g", now=NOW, items=items)
    with lite.read() as db:
        assert repo.count_rows(db) == before


def test_an_empty_grid_cannot_be_handed_in(lite) -> None:
    sid = _session(lite, "alice")
    with pytest.raises(DomainError, match="grille est vide"), lite.unit_of_work() as db:
        rv.save_observer_grid(db, session_id=sid, observer="marc", grid_id="g", now=NOW,
                              items=[rv.ObserverItem("anticiper", None)], submit=True)


def test_teacher_decisions_and_adjusted_total(store) -> None:
    sid = _session(store, "alice")
    adjust = rv.Decision("item", "prise_de_conge", "adjust", reason="Prise de congé personnalisée", adjusted_level=3,
                         original_level=1)
    with store.unit_of_work() as db:
        review = rv.record_decision(db, session_id=sid, reviewer="mme.durand", decision=adjust, now=NOW,
                                    adjusted_total=61.1)
    assert review.adjusted_total == 61.1
    assert review.automatic_total == 50.0
    assert review.decision("item", "prise_de_conge").adjusted_level == 3
    reject = rv.Decision("rule", "accueil.formule", "reject", reason="Le prénom était dit", original_verdict="respected")
    with store.unit_of_work() as db:
        rv.record_decision(db, session_id=sid, reviewer="mme.durand", decision=reject, now=NOW, adjusted_total=61.1)
    with store.unit_of_work() as db:
        review = rv.clear_decision(db, session_id=sid, kind="item", criterion_id="prise_de_conge", now=NOW,
                                   adjusted_total=50.0)
    assert set(review.decisions) == {("rule", "accueil.formule")}
    assert review.adjusted_total == 50.0
    with store.unit_of_work() as db:
        review = rv.set_review_total(db, session_id=sid, reviewer="mme.durand", now=NOW, total_override=80,
                                     adjusted_total=80, reason="Appel difficile bien mené")
    assert (review.total_override, review.adjusted_total) == (80.0, 80.0)
    with store.read() as db:
        listed = staff.list_sessions(db, viewer=ALICE)
    assert listed[0].reviewed and listed[0].final_total == 80.0 and listed[0].automatic_total == 50.0


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (rv.Decision("item", "prise_de_conge", "reject", reason=" "), "motif"),
        (rv.Decision("item", "prise_de_conge", "adjust", reason="x"), "nouveau niveau"),
        (rv.Decision("item", "prise_de_conge", "adjust", reason="x", adjusted_level=7), "hors de l'échelle"),
        (rv.Decision("item", "prise_de_conge", "adjust", reason="x", adjusted_level=1, original_level=1), "valider"),
        (rv.Decision("rule", "accueil.formule", "adjust", reason="x", adjusted_verdict="peut-être"), "verdict"),
        (rv.Decision("rule", "accueil.formule", "maybe", reason="x"), "Décision inconnue"),  # type: ignore[arg-type]
    ],
)
def test_incomplete_decisions_are_refused_and_nothing_is_written(lite, decision, message) -> None:
    sid = _session(lite, "alice")
    with lite.read() as db:
        before = repo.count_rows(db)
    with pytest.raises(DomainError, match=message), lite.unit_of_work() as db:
        rv.record_decision(db, session_id=sid, reviewer="mme.durand", decision=decision, now=NOW, adjusted_total=50)
    with lite.read() as db:
        assert repo.count_rows(db) == before


def test_a_live_call_is_not_reviewed_and_totals_stay_in_range(lite) -> None:
    live = _session(lite, "alice", finished=False)
    accept = rv.Decision("item", "prise_de_conge", "accept")
    with pytest.raises(DomainError, match="encore en cours"), lite.unit_of_work() as db:
        rv.record_decision(db, session_id=live, reviewer="t", decision=accept, now=NOW, adjusted_total=50)
    done = _session(lite, "alice")
    with pytest.raises(DomainError, match="hors de l'échelle 0 à 100"), lite.unit_of_work() as db:
        rv.set_review_total(db, session_id=done, reviewer="t", now=NOW, total_override=120, adjusted_total=120,
                            reason="x")
    with pytest.raises(DomainError, match="motif"), lite.unit_of_work() as db:
        rv.set_review_total(db, session_id=done, reviewer="t", now=NOW, total_override=70, adjusted_total=70)


def test_turn_comments_in_order_and_only_the_author_deletes(lite) -> None:
    sid = _session(lite, "alice")
    with lite.unit_of_work() as db:
        second = rv.add_turn_comment(db, session_id=sid, turn_idx=3, author="mme.durand", text="Tutoiement.", now=NOW)
        rv.add_turn_comment(db, session_id=sid, turn_idx=1, author="mme.durand", text="Bonne formule.",
                            now=NOW + timedelta(minutes=1), author_name="Mme Durand")
    with lite.read() as db:
        comments = rv.turn_comments(db, session_id=sid)
    assert [(c.turn_idx, c.text) for c in comments] == [(1, "Bonne formule."), (3, "Tutoiement.")]
    with lite.unit_of_work() as db:
        assert not rv.delete_turn_comment(db, comment_id=second.id, author="alice")
        assert rv.delete_turn_comment(db, comment_id=second.id, author="mme.durand")
    with pytest.raises(DomainError, match="obligatoire"), lite.unit_of_work() as db:
        rv.add_turn_comment(db, session_id=sid, turn_idx=0, author="mme.durand", text="   ", now=NOW)


def test_a_student_sees_only_their_own_sessions(store) -> None:
    mine = _session(store, "alice", started=NOW - timedelta(days=1))
    theirs = _session(store, "bruno")
    with store.read() as db:
        assert [s.id for s in staff.list_sessions(db, viewer=ALICE)] == [mine]
        assert {s.id for s in staff.list_sessions(db, viewer=TEACHER)} == {mine, theirs}
        # Even asking for Bruno by name or by id gives Alice nothing of his.
        assert staff.list_sessions(db, viewer=ALICE, filters=SessionFilters(student="bruno")) == []
        with pytest.raises(DomainError, match="introuvable"):
            staff.session_for(db, viewer=ALICE, session_id=theirs)
        with pytest.raises(DomainError, match="introuvable"):
            staff.session_documents_for(db, viewer=ALICE, session_id=theirs)
        assert staff.session_for(db, viewer=BRUNO, session_id=theirs).student == "bruno"
        assert staff.scenario_ids(db, viewer=ALICE) == ["generik-a"]


def test_session_filters_by_student_scenario_and_date(lite) -> None:
    a = _session(lite, "alice", started=NOW - timedelta(days=3), scenario="generik-a")
    b = _session(lite, "bruno", started=NOW, scenario="generik-b")
    with lite.read() as db:
        def ids(**kw):
            return {s.id for s in staff.list_sessions(db, viewer=TEACHER, filters=SessionFilters(**kw))}

        assert ids(student="BRU") == {b}
        assert ids(scenario_id="generik-a") == {a}
        assert ids(since=NOW - timedelta(hours=1)) == {b}
        assert ids(until=NOW - timedelta(days=1)) == {a}
        assert ids(status="live") == set()


def test_client_file_lists_the_calls_that_wrote_to_it(lite) -> None:
    from trainer.domain.clients import Client, Contact, Segment
    from trainer.domain.contacts import ContactLogEntry

    sid = _session(lite, "alice")
    other = _session(lite, "bruno")
    with lite.unit_of_work() as db:
        db.add(CompanyRow(id="generik", name="GENERIK", seeded_at=NOW, reference_version=1))
        db.flush()
        client = repo.create_client(
            db, client=Client(name="Sophie Laurent", segment=Segment.SALON_INDEPENDANT, region="Nouvelle-Aquitaine",
                              contact=Contact(phone="05 56 00 00 00")),
            company_id="generik", now=NOW,
        )
        for session_id in (sid, other):
            repo.log_contact(db, entry=ContactLogEntry(client_number=client.number, at=NOW, channel="telephone",
                                                       direction="entrant", purpose="commande", summary="Commande"),
                             session_id=session_id)
    with lite.read() as db:
        assert {s.id for s in staff.client_sessions(db, viewer=TEACHER, client_number=client.number)} == {sid, other}
        assert [s.id for s in staff.client_sessions(db, viewer=ALICE, client_number=client.number)] == [sid]
        assert staff.contact_sessions(db, client_number=client.number) == {(NOW, "Commande"): {sid, other}}
