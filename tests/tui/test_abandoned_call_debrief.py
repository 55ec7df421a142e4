"""« Mes séances »: Ctrl+B on a call the student abandoned says it has no debrief (list and session).

Found by hand on PostgreSQL: the debrief opened with « Note : non calculé » over an empty table of
charter rules, and nothing saying why.
"""

from __future__ import annotations

from conftest import FIXED_NOW
from staff_helpers import until

from trainer.call.clock import SimulatedClock
from trainer.call.session import CallSession
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen, TeacherScreen
from trainer.tui.widgets.staff_sessions import SessionTable

ALICE = CurrentUser.student("Alice Martin")



async def test_an_abandoned_call_has_no_debrief(seeded_url, fixed_clock, wait_for_workers) -> None:
    call = CallSession.start("generik-commande-nouveau-client", db_url=seeded_url, student=ALICE.username,
                             clock=SimulatedClock(FIXED_NOW))
    call.ring()
    call.pick_up()
    call.student_says("GENERIK, Alice, bonjour !")
    call.abandon()
    app = make_app(seeded_url, clock=fixed_clock, user=ALICE)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.open_destination("seances")
        await wait_for_workers(app, pilot)
        screen = app.screen
        assert isinstance(screen, TeacherScreen)
        table = screen.query_one(SessionTable)
        await until(pilot, lambda: table.row_count == 1)
        assert table.current().status == "abandoned"
        await pilot.press("ctrl+b")
        await wait_for_workers(app, pilot)
        assert app.screen is screen
        assert any("abandonné" in n.message and "pas de bilan" in n.message for n in app._notifications)
        # Same from the session's own screen (Entrée, then Ctrl+B).
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        review = app.screen
        app.clear_notifications()
        await pilot.press("ctrl+b")
        await wait_for_workers(app, pilot)
        assert app.screen is review
        assert any("pas de bilan" in n.message for n in app._notifications)
