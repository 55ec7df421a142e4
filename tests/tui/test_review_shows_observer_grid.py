"""The teacher correcting a call reads, on each grid item, what the observer handed in.

Found by hand on PostgreSQL: an observer graded a call live and wrote a remark on an item; once
handed in, neither the level nor the remark appeared anywhere on the teacher's correction screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until
from textual.widgets import DataTable, Static

from trainer.store import open_store
from trainer.store import reviews as rv
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_the_observers_level_and_remark_show_on_the_item(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    sid = add_finished_session(store, student="alice", display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(minutes=30), score=make_score())
    with store.unit_of_work() as db:
        rv.save_observer_grid(
            db, session_id=sid, observer="marc.dupont", grid_id="telephone-generik",
            items=[rv.ObserverItem(item_id="registre_langage", level=1, comment="« Ouais » au tour 3")],
            now=FIXED_NOW - timedelta(minutes=20), submit=True, observer_name="Marc Dupont",
        )
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        criteria = review.query_one("#criteria", DataTable)
        detail = review.query_one("#criterion-detail", Static)
        criteria.move_cursor(row=criteria.get_row_index("item:registre_langage"))
        await pilot.pause()
        shown = str(detail.render())
        assert "Observateur Marc Dupont : 1/3 — « Ouais » au tour 3" in shown
        criteria.move_cursor(row=criteria.get_row_index("item:anticiper"))  # not graded by the observer
        await pilot.pause()
        assert "Observateur" not in str(detail.render())
