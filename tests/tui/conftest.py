"""Fixtures of the Textual app tests: a seeded database, a fixed clock, workers awaited, no blink.

The seeded SQLite file is prepared once per test session and copied for each test (seeding takes
longer than a whole Pilot test). Snapshots must be deterministic: fixed clock, fixed seeds, fixed
data, and a cursor that does not blink.
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input

PARIS = ZoneInfo("Europe/Paris")
FIXED_NOW = datetime(2026, 11, 23, 14, 3, 0, tzinfo=PARIS)
"""A Monday afternoon: every business date of the tests follows from it."""


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector: pytest.Collector, name: str, obj: object) -> None:
    """Every ``async def`` test of this folder runs on asyncio (anyio's pytest plugin).

    Marked while it is collected: a marker added later makes anyio replace the items with new
    ``[asyncio]`` ones at the end of collection, which the snapshot plugin never saw (its report
    then fails with a KeyError after every test passed).
    """
    if collector.istestfunction(obj, name) and inspect.iscoroutinefunction(obj) and "tests/tui" in str(collector.path):
        pytest.mark.anyio(obj)
        pytest.mark.usefixtures("anyio_backend")(obj)


@pytest.fixture
def anyio_backend() -> str:
    """Textual runs on asyncio."""
    return "asyncio"


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainer.store import ensure_ready

    folder = tmp_path_factory.mktemp("tui-template")
    path = folder / "trainer.db"
    store = ensure_ready(f"sqlite:///{path}", now=FIXED_NOW)
    store.dispose()
    return path


@pytest.fixture
def seeded_url(_seeded_template: Path, tmp_path: Path) -> str:
    """A fresh copy of a seeded SQLite database (schema + both companies' reference data)."""
    target = tmp_path / "trainer.db"
    shutil.copyfile(_seeded_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def fixed_clock() -> Callable[[], datetime]:
    """The app's clock, frozen at FIXED_NOW (calls then run on simulated time)."""
    return lambda: FIXED_NOW


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The input cursor stays visible: screenshots do not depend on when they are taken."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


async def _wait_for_workers(app, pilot, rounds: int = 3, *, allow_errors: bool = False) -> None:
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(rounds):
        for _attempt in range(20):
            try:
                await app.workers.wait_for_complete()
                break
            except WorkerCancelled:
                continue  # a worker of a screen that was closed meanwhile
            except WorkerFailed:
                if not allow_errors:
                    raise
        await pilot.pause()


@pytest.fixture
def wait_for_workers():
    """``await wait_for_workers(app, pilot)``: no worker running and their results on screen.

    A failed worker fails the test unless ``allow_errors=True`` (tests of error reporting).
    """
    return _wait_for_workers


@pytest.fixture
def staff_test_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Doc 6 grid of the staff tests (fixed labels and weights): ``pytestmark`` asks for it."""
    from staff_helpers import GRIDS_DIR

    monkeypatch.setenv("TRAINER_GRIDS_DIR", str(GRIDS_DIR))
