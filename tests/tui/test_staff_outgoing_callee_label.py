"""On an outgoing call the staff screens name the person called « Correspondant », as the call desk does.

Found by hand on PostgreSQL: the student's desk showed « Correspondant : Salon Martine, bonjour ! »
while the observer following the same call, and the teacher's transcript, read « Client : … ».
"""

from __future__ import annotations

from conftest import FIXED_NOW
from staff_helpers import until

from trainer.call.clock import SimulatedClock
from trainer.call.session import CallSession
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.observer import ObservationScreen
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_sessions import TurnList

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
OBSERVER = CurrentUser.observer("Marc Dupont")



def _prompts(turns: TurnList) -> list[str]:
    return [str(turns.get_option_at_index(i).prompt) for i in range(turns.option_count)]


async def test_the_person_called_is_the_correspondant(seeded_url, fixed_clock, wait_for_workers) -> None:
    call = CallSession.start("generik-avis-cadeau", db_url=seeded_url, student="alice", clock=SimulatedClock(FIXED_NOW))
    call.dial(rings=2)
    call.student_says("Bonjour, Alice de la société GENERIK, je souhaiterais parler à Madame Weber.")

    app = make_app(seeded_url, clock=fixed_clock, user=OBSERVER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ObservationScreen(session_id=str(call.id)))
        await until(pilot, lambda: isinstance(app.screen, ObservationScreen) and app.screen.view is not None)
        turns = app.screen.query_one(TurnList)
        await until(pilot, lambda: any("Bonjour, Alice" in p for p in _prompts(turns)))
        spoken = [p for p in _prompts(turns) if " : " in p]
        assert any(p.split(" : ")[0].endswith("Correspondant") for p in spoken), spoken
        assert not any(p.split(" : ")[0].endswith("Client") for p in spoken), spoken

    call.hang_up(by="student")
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(call.id)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        turns = app.screen.query_one(TurnList)
        spoken = [p for p in _prompts(turns) if " : " in p]
        assert any(p.split(" : ")[0].endswith("Correspondant") for p in spoken), spoken
        assert any(p.split(" : ")[0].endswith("Élève") for p in spoken), spoken
