"""The observer follows a call live from another app instance and grades it with the keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import (
    add_finished_session,
    add_live_session,
    append_live_turns,
    finish_live,
    make_score,
    until,
)
from textual.widgets import ContentSwitcher, DataTable, Static

from trainer.store import open_store
from trainer.store import reviews as rv
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.observer import ObservationScreen, ObserverScreen
from trainer.tui.widgets.staff_grid_form import GridForm
from trainer.tui.widgets.staff_sessions import SessionTable, TurnList

OBSERVER = CurrentUser.observer("Marc Dupont")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_observer_follows_turns_grades_and_compares(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    sid = add_live_session(store, student="alice", started_at=FIXED_NOW, turns=3)
    # An older finished call is listed too, after the live one.
    add_finished_session(store, student="bruno", started_at=FIXED_NOW - timedelta(hours=1))
    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("observateur")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ObserverScreen)
        table = app.screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 2)
        assert table.current().id == sid and table.current().status == "live"
        assert "1 appel en direct" in str(app.screen.query_one("#observer-status", Static).render())

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ObservationScreen) and app.screen.view is not None)
        screen = app.screen
        turns = screen.query_one(TurnList)
        await until(pilot, lambda: turns.option_count == 3)

        # The call goes on in the student's app: the observer sees the new turns within a poll or two.
        append_live_turns(store, sid, 3, 6, FIXED_NOW + timedelta(seconds=20))
        await until(pilot, lambda: turns.option_count == 6)
        assert "Ouais, c'est pour quoi faire ?" in str(turns.get_option_at_index(3).prompt)

        # Grade with the keyboard: item 1 → 3, item 2 → 2, item 3 not observed, item 4 → 0, then a comment.
        await pilot.press("3", "2", "n", "down", "0", "up")
        await pilot.press("c", *"Trop familier : évitez ouais.", "enter")
        await wait_for_workers(app, pilot)
        form = screen.query_one(GridForm)
        assert form.levels["image_valorisante"] == 3
        assert form.levels["adaptation_interlocuteur"] == 2
        assert form.levels["poser_sa_voix"] is None
        assert form.levels["registre_langage"] == 0
        assert form.comments["registre_langage"] == "Trop familier : évitez ouais."
        # The draft is in the shared database already.
        with store.read() as db:
            draft = rv.observer_grid(db, session_id=sid, observer=OBSERVER.username)
        assert draft is not None and not draft.submitted and draft.levels()["image_valorisante"] == 3

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # « Remettre la grille ? » → oui
        await wait_for_workers(app, pilot)
        with store.read() as db:
            handed_in = rv.observer_grid(db, session_id=sid, observer=OBSERVER.username)
        assert handed_in.submitted
        assert handed_in.item("registre_langage").comment == "Trop familier : évitez ouais."
        # No score yet: the comparison waits for the end of the call.
        assert screen.query_one("#obs-right", ContentSwitcher).current == "obs-form"

        finish_live(store, sid, FIXED_NOW + timedelta(minutes=2), score=make_score())
        await until(pilot, lambda: screen.query_one("#obs-right", ContentSwitcher).current == "obs-compare")
        compare = screen.query_one("#obs-compare-table", DataTable)
        row = compare.get_row("registre_langage")
        assert (str(row[1]), str(row[2]), str(row[3])) == ("0", "2", "≠")
        assert str(compare.get_row("image_valorisante")[3]) == "≈"
        assert str(compare.get_row("adaptation_interlocuteur")[3]) == "="
        summary = str(screen.query_one("#obs-agreement", Static).render())
        assert "Accord exact 1/3 (33\u00a0%), à un niveau près 2/3 (67\u00a0%)" in summary
        assert "terminée" in str(screen.query_one("#obs-head", Static).render())


async def test_an_observer_can_only_hand_in_a_graded_grid(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    sid = add_live_session(store, student="alice", started_at=FIXED_NOW)
    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ObservationScreen(session_id=str(sid)))
        await until(pilot, lambda: app.screen.view is not None)
        await pilot.press("ctrl+s")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, ObservationScreen)  # no confirmation dialog: nothing to hand in
        with store.read() as db:
            assert rv.observer_grid(db, session_id=sid, observer=OBSERVER.username) is None


async def test_observer_follows_a_real_call_session(seeded_url, fixed_clock, wait_for_workers, monkeypatch) -> None:
    """The turns come from ``CallSession``, the object the call desk and ``trainer play`` drive."""
    monkeypatch.delenv("TRAINER_GRIDS_DIR")  # the project's own grid and scoring
    from trainer.call.clock import SimulatedClock
    from trainer.call.session import CallSession

    call = CallSession.start(
        "generik-commande-nouveau-client", db_url=seeded_url, student="alice", clock=SimulatedClock(FIXED_NOW)
    )
    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ObservationScreen(session_id=str(call.id)))
        await until(pilot, lambda: app.screen.view is not None)
        turns = app.screen.query_one(TurnList)
        call.ring()
        call.pick_up()
        call.student_says("GENERIK, Julie, bonjour !")
        await until(pilot, lambda: turns.option_count >= 3)
        texts = [str(turns.get_option_at_index(i).prompt) for i in range(turns.option_count)]
        assert any("GENERIK, Julie, bonjour !" in t for t in texts)
        # The observer grades and hands in while the call goes on; the call then ends.
        await pilot.press("2", "2", "2")
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")
        await wait_for_workers(app, pilot)
        result = call.hang_up(by="student")
        assert result.session_id == str(call.id)
        await until(pilot, lambda: "terminée" in str(app.screen.query_one("#obs-head", Static).render()))
        assert result.score is not None
        await until(pilot, lambda: app.screen.query_one("#obs-right", ContentSwitcher).current == "obs-compare")
        assert "Accord exact" in str(app.screen.query_one("#obs-agreement", Static).render())
