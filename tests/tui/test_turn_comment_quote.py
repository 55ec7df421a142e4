"""The prompt for a remark on a long turn quotes it shortened at a word, with « … ».

Found by hand on PostgreSQL: « … je n'ai pas encore de numéro  » — the quote was cut at 120
characters, inside the sentence, with nothing to say that it went on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import TURNS, add_finished_session, make_score, until

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_dialogs import TextPrompt
from trainer.tui.widgets.staff_sessions import TurnList

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
LONG = (
    "Oui : Sophie Laurent, du Salon Sophie L. à Arcachon. C'est ma première commande chez vous, "
    "je n'ai pas encore de numéro client. Alors, il me faudrait quarante tubes de crème."
)


pytestmark = pytest.mark.usefixtures("staff_test_grid")



async def test_a_long_turn_is_quoted_shortened_at_a_word(seeded_url, fixed_clock, wait_for_workers) -> None:
    turns = [dict(t) for t in TURNS]
    turns[2] = {**turns[2], "text": LONG}
    sid = add_finished_session(open_store(seeded_url), student="alice", display_name="Alice Martin",
                               started_at=FIXED_NOW - timedelta(minutes=30), score=make_score(), turns=turns)
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(sid)))
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.view is not None)
        transcript = app.screen.query_one(TurnList)
        transcript.focus()
        transcript.highlighted = 2
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, TextPrompt))
        quote = app.screen.help_text
        assert quote.startswith("« Oui : Sophie Laurent") and quote.endswith(" … »"), quote
        body = quote[2:-4]
        assert LONG.startswith(body) and LONG[len(body)] == " ", "shortened at a word"
        assert len(body) <= 120
