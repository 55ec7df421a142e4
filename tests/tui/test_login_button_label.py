"""The login's main button shows its whole label once the screen knows no teacher exists yet.

Found by hand on PostgreSQL: the first time, the button read « Créer le » — it kept the width of
« Se connecter », its label while the accounts were being checked.
"""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Button

import trainer.tui.accounts as accounts
from trainer.tui.app import make_app


@pytest.fixture
def slow_account_check(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The check of the accounts answers only when the test sets the event (a slow database)."""
    release = threading.Event()
    real = accounts.has_teacher

    def has_teacher(store):  # noqa: ANN001, ANN202
        release.wait(10)
        return real(store)

    monkeypatch.setattr(accounts, "has_teacher", has_teacher)
    return release


async def test_create_account_label_is_whole(seeded_url, fixed_clock, wait_for_workers, slow_account_check) -> None:
    app = make_app(seeded_url, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_workers(app, pilot)
        await pilot.press("shift+tab", "down", "down", "enter")  # « Enseignant »
        await pilot.press("tab", "enter")  # « Continuer »
        await pilot.pause(0.2)
        button = app.screen.query_one("#submit", Button)
        assert str(button.label) == "Se connecter"
        slow_account_check.set()
        await wait_for_workers(app, pilot)
        await pilot.pause(0.1)
        assert str(button.label) == "Créer le compte"
        shown = " ".join(button.render_line(y).text.strip() for y in range(button.size.height))
        assert "Créer le compte" in shown, f"button shows {shown!r}"
