"""Snapshots of the student's screens at 120×40 and 80×24 (looked at before being accepted).

Deterministic: fixed clock (calls run on simulated time), fixed seeds and session id, a scenario
folder holding a fixed set of scenarios, no cursor blink. Update with ``pytest --snapshot-update``
after looking at the new SVG files under ``__snapshots__/``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = (
    "generik/generik-commande-nouveau-client.yaml",
    "generik/generik-reclamation-colis-ecrases.yaml",
    "generik/generik-relance-grossiste-telephone.yaml",
)
SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]
SESSION_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


@pytest.fixture
def fixed_scenarios(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scenario folder with three known scenarios and the companies' reference data."""
    root = tmp_path / "scenarios"
    for company in ("generik", "servfamilles"):
        (root / company).mkdir(parents=True)
        (root / company / "reference").symlink_to(REPO / "scenarios" / company / "reference")
    for name in SCENARIOS:
        (root / name).symlink_to(REPO / "scenarios" / name)
    monkeypatch.setenv("TRAINER_SCENARIOS_DIR", str(root))
    return root


def _app(url, clock, user=None):
    app = make_app(url, clock=clock, user=user)
    app.ctx.ring_seconds = 3600  # no second ring while the screenshot is taken
    return app


async def _settle(pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_home_identification(snap_compare, seeded_url, fixed_clock, size):
    assert snap_compare(_app(seeded_url, fixed_clock), terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_home_menu_of_a_student(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=_settle)


@pytest.mark.parametrize("size", SIZES)
def test_first_teacher_account(snap_compare, seeded_url, fixed_clock, size):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("shift+tab", "down", "down", "enter", "tab", "enter")
        await _settle(pilot)

    assert snap_compare(_app(seeded_url, fixed_clock), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_scenario_picker_with_role_card(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    async def run_before(pilot) -> None:
        await _settle(pilot)
        pilot.app.open_destination("nouvel_appel")
        await _settle(pilot)
        await pilot.press("down")  # the complaint scenario's role card
        await _settle(pilot)

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def _desk(pilot, scenario_id: str = "generik-commande-nouveau-client"):
    from trainer.tui.screens.call_desk import CallDeskScreen

    await _settle(pilot)
    pilot.app.push_screen(CallDeskScreen(scenario_id))
    await _settle(pilot)
    return pilot.app.screen


@pytest.mark.parametrize("size", SIZES)
def test_call_desk_ringing(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    async def run_before(pilot) -> None:
        await _desk(pilot)

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_call_desk_during_an_order(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    async def run_before(pilot) -> None:
        desk = await _desk(pilot)
        for line in ("GENERIK, Julie, bonjour !", "Avec plaisir. Pourriez-vous me rappeler votre nom et celui de votre salon ?"):
            desk.query_one("#say").value = line
            await pilot.press("enter")
            await _settle(pilot)
        desk.query_one("#erp-tabs").active = "erp-order"
        desk.query_one("#line-ref").value = "GNK-CCS-100"
        desk.query_one("#line-shade").value = "6.4"
        desk.query_one("#line-qty").value = "24"
        desk.query_one("#line-add").press()
        await _settle(pilot)
        desk.query_one("#say").focus()
        pilot.app.clear_notifications()  # the « ligne ajoutée » toast goes after 4 s: the desk as it stays
        await _settle(pilot)

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_call_desk_drawer_with_the_catalogue(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    async def run_before(pilot) -> None:
        await _desk(pilot)
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("right")  # the catalogue tab
        await _settle(pilot)

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_call_desk_hang_up_question(snap_compare, seeded_url, fixed_clock, fixed_scenarios, size):
    async def run_before(pilot) -> None:
        await _desk(pilot)
        await pilot.press("f2")
        await _settle(pilot)
        await pilot.press("f10")
        await _settle(pilot)

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.fixture
def recorded_session(seeded_url, fixed_clock, fixed_scenarios, tmp_path) -> str:
    """A good student's order call, played headless on the same database (fixed id and clock)."""
    from trainer.call.clock import SimulatedClock
    from trainer.call.headless import play_script
    from trainer.call.script import load_script
    from trainer.call.session import CallSession

    session = CallSession.start(
        "generik-commande-nouveau-client",
        db_url=seeded_url,
        student="julie.martin",
        clock=SimulatedClock(fixed_clock()),
        session_id=SESSION_ID,
        sessions_root=tmp_path / "sessions",
    )
    play_script(session, load_script(REPO / "tests/golden/scripts/generik-commande-nouveau-client/good.txt"))
    return str(SESSION_ID)


DEBRIEF_TABS = ["tab-rules", "tab-items", "tab-erp", "tab-transcript"]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", DEBRIEF_TABS)
def test_debrief(snap_compare, seeded_url, fixed_clock, recorded_session, size, tab):
    async def run_before(pilot) -> None:
        from trainer.tui.screens.debrief import DebriefScreen

        await _settle(pilot)
        pilot.app.push_screen(DebriefScreen(session_id=recorded_session))
        await _settle(pilot)
        # As a user does: from the rules table back to the tabs, then right to the wanted tab.
        await pilot.press("shift+tab", *["right"] * DEBRIEF_TABS.index(tab))
        await _settle(pilot)
        assert pilot.app.screen.query_one("#debrief-tabs").active == tab

    app = _app(seeded_url, fixed_clock, CurrentUser.student("Julie Martin"))
    assert snap_compare(app, terminal_size=size, run_before=run_before)
