"""The class dashboard counts the verdicts that stand after the teacher's review.

Found by hand on PostgreSQL: a teacher rejected « Décrocher avant la 3e sonnerie » on a session (the
review then shows « sans objet » and the adjusted total), yet the dashboard still listed the rule
as broken in that session (1/2) beside a class mean that did use the adjusted totals.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score, until
from textual.widgets import DataTable, Static

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.dashboard import DashboardScreen
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_dialogs import DecisionDialog

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def _dashboard_bars(app, pilot, wait_for_workers) -> list[tuple[str, str]]:
    app.open_destination("tableau_de_bord")
    await wait_for_workers(app, pilot)
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    await until(pilot, lambda: "séances terminées" in str(screen.query_one("#dash-summary", Static).render()))
    bars = [(b.label, b.text) for b in screen.query_one("#rules-chart").bars]
    await pilot.press("escape")
    await wait_for_workers(app, pilot)
    return bars


async def test_a_rejected_verdict_is_no_longer_a_broken_rule(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    late = {"accueil.decrocher_3_sonneries"}
    first = add_finished_session(store, student="alice.martin", display_name="Alice Martin",
                                 started_at=FIXED_NOW - timedelta(hours=3), score=make_score(violated=late))
    add_finished_session(store, student="bruno.petit", display_name="Bruno Petit",
                         started_at=FIXED_NOW - timedelta(hours=2), score=make_score(violated=late))
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        assert await _dashboard_bars(app, pilot, wait_for_workers) == [("Décrocher avant la 3e sonnerie", "2/2 (100\u00a0%)")]

        app.push_screen(ReviewScreen(session_id=str(first)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        criteria = review.query_one("#criteria", DataTable)
        criteria.move_cursor(row=criteria.get_row_index("rule:accueil.decrocher_3_sonneries"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await pilot.press(*"Sonnerie mal comptée", "enter")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: review.view.review is not None)
        assert [str(c) for c in criteria.get_row("rule:accueil.decrocher_3_sonneries")[1:4]] == [
            "enfreinte", "rejeté", "sans objet",
        ]
        await pilot.press("escape")
        await wait_for_workers(app, pilot)

        # Bruno's session still breaks the rule; Alice's verdict was rejected (not applicable).
        assert await _dashboard_bars(app, pilot, wait_for_workers) == [("Décrocher avant la 3e sonnerie", "1/1 (100\u00a0%)")]
