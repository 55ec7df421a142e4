"""Keys of the staff screens, as found by hand on PostgreSQL.

- On the teacher's sessions screen, Ctrl+T opened the dashboard: the README gives Ctrl+T as the
  light/dark switch everywhere. The dashboard key is F6 there (and the home menu, the palette).
- Once the observer handed the grid in, the footer still offered « Remettre la grille ».
"""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, add_live_session, until
from textual.widgets import Footer

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.dashboard import DashboardScreen
from trainer.tui.screens.observer import ObservationScreen
from trainer.tui.screens.teacher import TeacherScreen
from trainer.tui.widgets.staff_dialogs import StaffConfirm

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
OBSERVER = CurrentUser.observer("Marc Dupont")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



def _footer_text(app) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.query("FooterKey"))


async def test_ctrl_t_switches_the_theme_on_the_sessions_screen(seeded_url, fixed_clock, wait_for_workers) -> None:
    add_finished_session(open_store(seeded_url), student="alice", started_at=FIXED_NOW)
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, TeacherScreen)
        theme = app.theme
        await pilot.press("ctrl+t")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, TeacherScreen), "Ctrl+T left the sessions screen"
        assert app.theme != theme
        await pilot.press("f6")
        await wait_for_workers(app, pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_the_footer_no_longer_offers_to_hand_in_a_handed_in_grid(seeded_url, fixed_clock, wait_for_workers) -> None:
    sid = add_live_session(open_store(seeded_url), student="alice", started_at=FIXED_NOW, turns=3)
    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ObservationScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ObservationScreen) and app.screen.view is not None)
        screen = app.screen
        await pilot.pause()
        assert "Remettre la grille" in _footer_text(app)
        await pilot.press("2", "3")
        await wait_for_workers(app, pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, StaffConfirm))
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: screen.view.mine is not None and screen.view.mine.submitted)
        await pilot.pause()
        assert "Remettre la grille" not in _footer_text(app)
