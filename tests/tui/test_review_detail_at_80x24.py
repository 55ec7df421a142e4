"""On a 80×24 terminal the criterion's panel shows the teacher's decision before the long advice.

Found by hand on PostgreSQL: the panel under the criteria is four lines high at 80×24; a rule with
a long advice pushed « Décision : rejeté — <motif> » (and the observers' levels) out of sight.
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
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_dialogs import DecisionDialog

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
LONG_ADVICE = (
    "Vous avez laissé sonner 3 fois : décrochez avant la 3e sonnerie, au-delà l'appelant s'impatiente "
    "et peut raccrocher. Décrochez dès la 1re ou la 2e sonnerie et dites aussitôt « GENERIK, prénom, "
    "bonjour ! » ; préparez votre poste (casque, PGI ouvert) avant que le téléphone ne sonne."
)


pytestmark = pytest.mark.usefixtures("staff_test_grid")



def _visible(panel: Static) -> str:
    return "\n".join(panel.render_line(y).text.rstrip() for y in range(panel.size.height))


async def test_the_decision_stays_in_sight_at_80x24(seeded_url, fixed_clock, wait_for_workers) -> None:
    score = make_score(violated={"accueil.decrocher_3_sonneries"})
    for rule in score["rules"]:
        if rule["id"] == "accueil.decrocher_3_sonneries":
            rule["advice"] = LONG_ADVICE
    sid = add_finished_session(open_store(seeded_url), student="alice", display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(minutes=30), score=score)
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        criteria = review.query_one("#criteria", DataTable)
        criteria.move_cursor(row=criteria.get_row_index("rule:accueil.decrocher_3_sonneries"))
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, DecisionDialog))
        await pilot.press(*"Sonnerie mal comptée", "enter")
        await wait_for_workers(app, pilot)
        await until(pilot, lambda: review.view.review is not None)
        await pilot.pause(0.2)
        shown = _visible(review.query_one("#criterion-detail", Static))
        assert "Décrocher avant la 3e sonnerie" in shown
        assert "Décision : rejeté — Sonnerie mal comptée" in shown, shown
        assert "Vous avez laissé sonner 3 fois" in shown  # the advice follows, as much as fits
