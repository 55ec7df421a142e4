"""Snapshots of the staff screens (observer, teacher, dashboard) and of the ERP screens at 120×40
and 80×24 (looked at before being accepted).

Deterministic: fixed clock, seeded database, sessions with fixed ids, start times and score
documents (``staff_helpers``), the test grid, no cursor blink. Update with ``pytest
--snapshot-update`` after looking at the new SVG files under ``__snapshots__/``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from staff_helpers import GRIDS_DIR, add_finished_session, add_live_session, finish_live, make_score, until
from test_erp_screens import add_erp_history

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
OBSERVER = CurrentUser(username="leo.observateur", display_name="Léo Garnier", role="observer")


@pytest.fixture(autouse=True)
def _fixed_world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The test grid; session ids in creation order; exports written under a relative folder."""
    monkeypatch.setenv("TRAINER_GRIDS_DIR", str(GRIDS_DIR))
    counter = iter(range(1, 10_000))
    monkeypatch.setattr("trainer.store.sessions.uuid.uuid4", lambda: uuid.UUID(int=next(counter)))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRAINER_DATA_DIR", "donnees")


@pytest.fixture
def school(seeded_url: str) -> dict[str, uuid.UUID]:
    """A class: Alice (two calls), Bruno (one call, two complaints on the ERP), Chloé on the phone now."""
    store = open_store(seeded_url)
    alice, bruno, _, _ = add_erp_history(store)
    older = add_finished_session(
        store, student="alice", display_name="Alice Martin", started_at=FIXED_NOW - timedelta(days=3),
        score=make_score({"respecter_charte": 1}, {"accueil.vouvoiement", "echange.langage_soigne"}),
    )
    with store.unit_of_work() as db:
        from trainer.store import sessions as ss

        ss.get_or_create_user(db, username="chloe", now=FIXED_NOW, display_name="Chloé Dubois")
    live = add_live_session(store, student="chloe", started_at=FIXED_NOW - timedelta(minutes=1), turns=4)
    store.dispose()
    return {"alice": alice, "bruno": bruno, "older": older, "live": live}


def _app(url, clock, user):
    return make_app(url, clock=clock, user=user)


async def _settle(pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()



async def _open(pilot, destination: str) -> None:
    await _settle(pilot)
    pilot.app.open_destination(destination)
    await _settle(pilot)


# -- observer -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_observer_session_list(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from trainer.tui.widgets.staff_sessions import SessionTable

        await _open(pilot, "observateur")
        table = pilot.app.screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 4)

    assert snap_compare(_app(seeded_url, fixed_clock, OBSERVER), terminal_size=size, run_before=run_before)


async def _observe_live(pilot) -> None:
    from trainer.tui.screens.observer import ObservationScreen
    from trainer.tui.widgets.staff_sessions import SessionTable, TurnList

    await _open(pilot, "observateur")
    table = pilot.app.screen.query_one(SessionTable)
    await until(pilot, lambda: table.row_count == 4)
    await pilot.press("enter")  # the live call is first
    await until(pilot, lambda: isinstance(pilot.app.screen, ObservationScreen) and pilot.app.screen.view is not None)
    turns = pilot.app.screen.query_one(TurnList)
    await until(pilot, lambda: turns.option_count == 4)
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_observer_live_call_and_grid(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        await _observe_live(pilot)
        # Item 1 → 3, item 2 → 2, item 3 not observed, then a remark on item 4.
        await pilot.press("3", "2", "n", "down")
        await pilot.press("c", *"Trop familier : évitez ouais.", "enter")
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, OBSERVER), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_observer_comparison_after_the_call(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from textual.widgets import ContentSwitcher

        await _observe_live(pilot)
        await pilot.press("3", "2", "n", "0")
        await _settle(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # « Remettre la grille ? » → oui
        await _settle(pilot)
        store = open_store(seeded_url)
        finish_live(store, school["live"], FIXED_NOW + timedelta(minutes=1), score=make_score())
        store.dispose()
        screen = pilot.app.screen
        await until(pilot, lambda: screen.query_one("#obs-right", ContentSwitcher).current == "obs-compare")
        pilot.app.clear_notifications()  # « L'appel est terminé. » goes after a few seconds
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, OBSERVER), terminal_size=size, run_before=run_before)


# -- teacher ------------------------------------------------------------------------------------------


async def _teacher_sessions(pilot) -> None:
    from trainer.tui.widgets.staff_sessions import SessionTable

    await _open(pilot, "seances")
    table = pilot.app.screen.query_one(SessionTable)
    await until(pilot, lambda: table.row_count == 4)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_session_list(snap_compare, seeded_url, fixed_clock, school, size):
    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=_teacher_sessions)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_export_done(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        await _teacher_sessions(pilot)
        await pilot.press("ctrl+x")
        await _settle(pilot)
        assert any("exportées" in n.message for n in pilot.app._notifications)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


async def _review(pilot) -> None:
    from trainer.tui.screens.teacher import ReviewScreen

    await _teacher_sessions(pilot)
    await pilot.press("down")  # Bruno's call (the live one first)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ReviewScreen) and pilot.app.screen.view is not None)
    await _settle(pilot)


async def _adjust(pilot, item: str = "item:anticiper") -> None:
    from textual.widgets import DataTable

    from trainer.tui.widgets.staff_dialogs import DecisionDialog

    criteria = pilot.app.screen.query_one("#criteria", DataTable)
    criteria.focus()
    criteria.move_cursor(row=criteria.get_row_index(item))
    await pilot.press("j")
    await until(pilot, lambda: isinstance(pilot.app.screen, DecisionDialog))
    await _settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_review_with_decisions_and_a_remark(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from trainer.tui.widgets.staff_dialogs import TextPrompt
        from trainer.tui.widgets.staff_sessions import TurnList

        await _review(pilot)
        review = pilot.app.screen
        await _adjust(pilot)
        await pilot.press("2", "tab", *"Propose un rappel", "enter")
        await _settle(pilot)
        turns = review.query_one("#rv-turns", TurnList)
        turns.focus()
        turns.highlighted = 3
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
        await pilot.press(*"Familier", "enter")
        await _settle(pilot)
        await until(pilot, lambda: review.view.review is not None)
        review.query_one("#criteria").focus()
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_adjust_dialog(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        await _review(pilot)
        await _adjust(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_teacher_turn_comment_prompt(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from trainer.tui.widgets.staff_dialogs import TextPrompt
        from trainer.tui.widgets.staff_sessions import TurnList

        await _review(pilot)
        turns = pilot.app.screen.query_one("#rv-turns", TurnList)
        turns.focus()
        turns.highlighted = 3
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
        await pilot.press(*"Évitez « ouais »")
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_class_dashboard(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from textual.widgets import Static

        await _open(pilot, "tableau_de_bord")
        summary = pilot.app.screen.query_one("#dash-summary", Static)
        await until(pilot, lambda: "séances terminées" in str(summary.render()))
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_student_own_sessions(snap_compare, seeded_url, fixed_clock, school, size):
    async def run_before(pilot) -> None:
        from trainer.tui.widgets.staff_sessions import SessionTable

        await _open(pilot, "seances")
        table = pilot.app.screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 2)

    app = _app(seeded_url, fixed_clock, CurrentUser(username="alice", display_name="Alice Martin", role="student"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


# -- ERP ----------------------------------------------------------------------------------------------

ERP_TABS = ["tab-clients", "tab-orders", "tab-complaints", "tab-reminders", "tab-balance"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ERP_TABS)
def test_erp_lists(snap_compare, seeded_url, fixed_clock, school, size, tab):
    async def run_before(pilot) -> None:
        from textual.widgets import DataTable, TabbedContent

        await _open(pilot, "pgi")
        clients = pilot.app.screen.query_one("#clients", DataTable)
        await until(pilot, lambda: clients.row_count > 20)
        if tab != "tab-clients":
            await pilot.click(f"#--content-tab-{tab}")
            tabs = pilot.app.screen.query_one("#erp-tabs", TabbedContent)
            await until(pilot, lambda: tabs.active == tab)
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)


CLIENT_TABS = ["tab-history", "tab-calls", "tab-client-complaints", "tab-invoices"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", CLIENT_TABS)
def test_client_file(snap_compare, seeded_url, fixed_clock, school, size, tab):
    async def run_before(pilot) -> None:
        from textual.widgets import DataTable, TabbedContent

        from trainer.tui.screens.erp import ClientFileScreen

        await _open(pilot, "pgi")
        clients = pilot.app.screen.query_one("#clients", DataTable)
        await until(pilot, lambda: clients.row_count > 20)
        clients.focus()
        await pilot.press("enter")  # CLI-00001, the first row
        await until(pilot, lambda: isinstance(pilot.app.screen, ClientFileScreen))
        await _settle(pilot)
        history = pilot.app.screen.query_one("#history", DataTable)
        await until(pilot, lambda: history.row_count >= 1)
        if tab != "tab-history":
            await pilot.click(f"#--content-tab-{tab}")
            tabs = pilot.app.screen.query_one("#client-tabs", TabbedContent)
            await until(pilot, lambda: tabs.active == tab)
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock, TEACHER), terminal_size=size, run_before=run_before)
