"""The transcript of a reviewed session keeps every word of every turn after the teacher decides.

Found by hand on PostgreSQL: after a decision the transcript was redrawn and the last line of several
turns vanished (« … une question sur les » without « nuances. »), because the turns were measured
before the scrollbar appeared and narrowed them.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import FIXED_NOW
from staff_helpers import add_finished_session, make_score

from trainer.store import open_store
from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.teacher import ReviewScreen
from trainer.tui.widgets.staff_sessions import TurnList

TEACHER = CurrentUser(username="mme.durand", display_name="Mme Durand", role="teacher")
WORDS = (
    "bonjour madame je vous appelle au sujet de votre commande de crèmes colorantes "
    "sans ammoniaque livrée hier"
).split()


pytestmark = pytest.mark.usefixtures("staff_test_grid")


def _turns() -> list[dict]:
    """Thirty turns of many lengths (more than the panel shows), each ending with « finN. »."""
    return [
        {
            "speaker": "student" if i % 2 else "customer",
            "text": " ".join(WORDS[: 4 + (i * 3) % 14]) + f" fin{i}.",
            "t": float(i),
        }
        for i in range(30)
    ]


def _visible(turns: TurnList) -> str:
    lines = (turns.render_line(y).text.strip() for y in range(turns.scrollable_content_region.height))
    return " ".join(lines)


async def test_every_turn_keeps_its_last_words_after_a_decision(seeded_url, fixed_clock, wait_for_workers) -> None:
    store = open_store(seeded_url)
    sid = add_finished_session(
        store, student="alice.martin", display_name="Alice Martin",
        started_at=FIXED_NOW - timedelta(hours=1), score=make_score(), turns=_turns(),
    )
    app = make_app(seeded_url, clock=fixed_clock, user=TEACHER)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        app.push_screen(ReviewScreen(session_id=str(sid)))
        await wait_for_workers(app, pilot)
        await pilot.pause(0.2)
        turns = app.screen.query_one(TurnList)
        assert turns.max_scroll_y > 0, "the transcript is longer than its panel"
        shown_first = [i for i in range(12) if f"fin{i}." in _visible(turns)]
        assert shown_first == list(range(12))

        await pilot.press("a")  # accept the first criterion: the transcript is drawn again
        await wait_for_workers(app, pilot)
        await pilot.pause(0.2)
        assert app.screen.view.review is not None
        missing = [i for i in range(12) if f"fin{i}." not in _visible(turns)]
        assert missing == [], f"turns cut at their last line: {missing}"
