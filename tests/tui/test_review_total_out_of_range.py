"""A total out of 0–100 is refused as soon as it is typed, before the teacher writes a reason.

Found by hand on PostgreSQL: « 150 » was taken, the screen asked « Pourquoi ce total… ? », and only
after the reason came « hors de l'échelle 0 à 100 »: the reason typed for nothing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_dialogs import TextPrompt

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_an_impossible_total_is_refused_before_the_reason(seeded_url, fixed_clock, wait_for_workers) -> None:
    sid = add_finished_session(open_store(seeded_url), student="alice", display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(minutes=30), score=make_score())
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        for typed in ("150", "-5", "beaucoup"):
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, TextPrompt))
            await pilot.press(*typed, "enter")
            await pilot.pause(0.2)
            assert app.screen is review, f"« Motif du total choisi » asked for {typed!r}"
            assert any(f"« {typed} » n'est pas un nombre de 0 à 100." in n.message for n in app._notifications)
        await wait_for_workers(app, pilot)
        assert review.view.review is None
