"""An observer who opens again a call they graded sees its conversation beside the comparison.

Found by hand on PostgreSQL: after handing the grid in and the call ending, the observer went back
to the list and opened the call again: the comparison was there but the conversation panel stayed
empty (the screen stopped polling before it had read a single turn).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import TURNS, add_finished_session, make_score, until
from textual.widgets import ContentSwitcher

from trainer.store import open_store
from trainer.store import reviews as rv
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.observer import ObservationScreen
from trainer.tui.widgets.staff_sessions import TurnList

OBSERVER = CurrentUser.observer("Marc Dupont")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_a_graded_finished_call_shows_its_turns(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    sid = add_finished_session(store, student="alice", display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(minutes=30), score=make_score())
    with store.unit_of_work() as db:
        rv.save_observer_grid(
            db, session_id=sid, observer=OBSERVER.username, grid_id="telephone-generik",
            items=[rv.ObserverItem(item_id="image_valorisante", level=2)],
            now=FIXED_NOW - timedelta(minutes=20), submit=True, observer_name="Marc Dupont",
        )
    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ObservationScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ObservationScreen) and app.screen.view is not None)
        screen = app.screen
        await until(pilot, lambda: screen.query_one("#obs-right", ContentSwitcher).current == "obs-compare")
        turns = screen.query_one(TurnList)
        await until(pilot, lambda: turns.option_count == len(TURNS))
        assert "Ouais, c'est pour quoi faire ?" in str(turns.get_option_at_index(3).prompt)
