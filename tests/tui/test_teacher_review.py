"""A teacher adjusts a score; the student sees the adjusted total (and only their own sessions)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until
from textual.widgets import DataTable, Input, Static

from trainer.store import open_store
from trainer.store import reviews as rv
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen, TeacherScreen
from trainer.tui.widgets.staff_dialogs import DecisionDialog, TextPrompt
from trainer.tui.widgets.staff_sessions import SessionTable, TurnList

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
ALICE = CurrentUser.student("Alice Martin")
BRUNO = CurrentUser.student("Bruno Petit")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



def _class(store):
    """Two of Alice's sessions and one of Bruno's (automatic totals 63,5 / 71,4 / 68,3)."""
    old = add_finished_session(store, student=ALICE.username, display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(days=2),
                               score=make_score({"respecter_charte": 1}, {"echange.langage_soigne"}))
    new = add_finished_session(store, student=ALICE.username, display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(hours=2),
                               score=make_score({"respecter_charte": 3, "prise_de_conge": 3}))
    bruno = add_finished_session(store, student=BRUNO.username, display_name="Bruno Petit",
                                 started_at=FIXED_NOW - timedelta(days=1),
                                 score=make_score({"traiter_demande": 3, "anticiper": 1}))
    return old, new, bruno


def _rows(table: DataTable) -> list[list[str]]:
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_teacher_adjusts_and_the_student_sees_the_adjusted_total(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    old, new, bruno = _class(store)

    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        table = app.screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 3)
        assert [r[1] for r in _rows(table)] == ["Alice Martin", "Bruno Petit", "Alice Martin"]
        assert table.current().id == new

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        criteria = review.query_one("#criteria", DataTable)
        # 14 charter rules then the 20 grid items; go to « Respecter la prise de congé » (3/3) and lower it.
        criteria.move_cursor(row=criteria.get_row_index("item:prise_de_conge"))
        await pilot.press("j")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await pilot.press("2")  # « Niveau 2 »
        await pilot.press("tab", *"Pas de remerciement", "enter")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: review.view.review is not None)
        assert review.view.review.adjusted_total == 69.8  # 71,4 − (1/3 ÷ 21) × 100
        row = criteria.get_row("item:prise_de_conge")
        assert [str(c) for c in row[1:4]] == ["3/3", "ajusté", "2/3"]
        head = str(review.query_one("#rv-head", Static).render())
        assert "Total automatique 71,4/100" in head and "69,8/100" in head and "Mme Durand" in head

        # Reject a rule verdict with its reason; accept another one (no reason needed).
        criteria.move_cursor(row=criteria.get_row_index("rule:accueil.vouvoiement"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await pilot.press("enter")  # no reason: refused, the dialog stays
        await pilot.pause()
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press(*"Citation du client", "enter")
        await wait_for_workers(app, pilot)
        criteria.move_cursor(row=criteria.get_row_index("rule:accueil.formule"))
        await pilot.press("a")
        await wait_for_workers(app, pilot)
        assert [str(c) for c in criteria.get_row("rule:accueil.vouvoiement")[1:4]] == ["respectée", "rejeté", "sans objet"]
        assert str(criteria.get_row("rule:accueil.formule")[2]) == "validé"

        # A remark on turn 3 of the transcript.
        turns = review.query_one("#rv-turns", TurnList)
        turns.focus()
        turns.highlighted = 3
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        await pilot.press(*"Familier", "enter")
        await wait_for_workers(app, pilot)
        assert "✎ Mme Durand : Familier" in str(turns.get_option_at_index(3).prompt)
        await pilot.press("escape")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, TeacherScreen)
        await until(pilot, lambda: table.current() is not None and table.current().reviewed)
        assert _rows(table)[0][5:7] == ["69,8", "oui"]

    with store.read() as db:
        saved = rv.teacher_review(db, session_id=new)
    assert saved.adjusted_total == 69.8
    assert saved.decision("item", "prise_de_conge").reason == "Pas de remerciement"
    assert saved.decision("rule", "accueil.vouvoiement").decision == "reject"

    # Alice, on her own terminal: her two sessions only, the adjusted total on the reviewed one.
    student_app = make_app(seeded_url, clock=fixed_clock, user=ALICE)
    async with student_app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(student_app, pilot)
        student_app.open_destination("seances")
        await wait_for_workers(student_app, pilot)
        screen = student_app.screen
        table = screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 2)
        assert {s.id for s in table._order} == {old, new}
        rows = _rows(table)
        assert rows[0][3:6] == ["71,4", "69,8", "oui"]  # no « Élève » column for a student
        assert rows[1][3:6] == ["63,5", "", ""]
        assert not screen.query_one("#f-student", Input).display
        # The teacher's keys do nothing for her; she reads the decisions and the remark.
        await pilot.press("ctrl+e")
        await wait_for_workers(student_app, pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(student_app.screen, ReviewScreen) and student_app.screen.view is not None)
        review = student_app.screen
        assert "69,8/100" in str(review.query_one("#rv-head", Static).render())
        criteria = review.query_one("#criteria", DataTable)
        criteria.move_cursor(row=criteria.get_row_index("item:prise_de_conge"))
        await pilot.press("j")
        await wait_for_workers(student_app, pilot)
        assert isinstance(student_app.screen, ReviewScreen)  # no dialog for a student
        assert "Pas de remerciement" in str(review.query_one("#criterion-detail", Static).render())
        assert "✎ Mme Durand : Familier" in str(review.query_one("#rv-turns", TurnList).get_option_at_index(3).prompt)


async def test_a_student_cannot_open_someone_elses_session(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    _, _, bruno = _class(store)
    app = make_app(seeded_url, clock=fixed_clock, user=ALICE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(bruno)))
        await wait_for_workers(app, pilot)
        assert app.screen.view is None
        assert any("introuvable" in n.message for n in app._notifications)


async def test_filters_by_student_scenario_and_day(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    _class(store)
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        table = app.screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 3)
        app.screen.query_one("#f-student", Input).focus()
        await pilot.press(*"bruno", "enter")
        await wait_for_workers(app, pilot)
        assert [r[1] for r in _rows(table)] == ["Bruno Petit"]
        app.screen.query_one("#f-student", Input).value = ""
        app.screen.query_one("#f-day", Input).focus()
        await pilot.press(*"21/11/2026", "enter")
        await wait_for_workers(app, pilot)
        assert [r[0] for r in _rows(table)] == ["21/11 14:03"]
        app.screen.query_one("#f-day", Input).value = "31/02/2026"
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert any("n'est pas une date" in n.message for n in app._notifications)
