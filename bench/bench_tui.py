"""Time from ``trainer`` to a usable home screen (target: under one second).

Each measure starts a fresh Python process (as a student typing ``trainer`` would) and stops the
clock when the home screen is mounted with the cursor in the « Prénom et nom » field. The app runs
headless (Textual's test driver) so that no terminal is needed; everything else is the real start:
imports, theme, CSS, the first frame.

- ``tui_home_ready_s``: on an existing, seeded database (every launch after the first), median of
  ``RUNS`` launches.
- ``tui_home_ready_first_launch_s``: on a machine where the embedded database does not exist yet;
  the home screen is usable while the schema is created and the reference data seeded in the
  background.
- ``tui_first_launch_db_ready_s``: how long that background preparation takes on first launch.

Every database here is a temporary SQLite file, never the user's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

RUNS = 5
TIMEOUT_S = 120

CHILD = r"""
import asyncio, sys
from trainer.tui.app import make_app

async def main(url):
    app = make_app(url)
    async with app.run_test(size=(80, 24)) as pilot:
        while not (type(app.screen).__name__ == "HomeScreen" and app.focused is not None
                   and app.focused.id == "name"):
            await pilot.pause(0.002)
        print("HOME", flush=True)
        while app.db_status == "preparing":
            await pilot.pause(0.01)
        print("DB " + app.db_status, flush=True)

asyncio.run(main(sys.argv[1]))
"""


def _launch(url: str, data_dir: Path) -> tuple[float, float]:
    """Seconds to the usable home screen, and to the database ready, for one fresh process."""
    env = dict(os.environ, TRAINER_DATA_DIR=str(data_dir), TRAINER_SESSIONS_DIR=str(data_dir / "sessions"))
    env.pop("TRAINER_DB_URL", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    home = db = None
    assert child.stdout is not None
    for line in child.stdout:
        now = time.perf_counter() - start
        if line.startswith("HOME"):
            home = now
        elif line.startswith("DB"):
            db = now
            if not line.strip().endswith("ready"):
                child.kill()
                raise RuntimeError(f"database not ready in the benchmark: {line.strip()}")
            break
    try:
        child.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        child.kill()
        raise
    if home is None or db is None:
        error = child.stderr.read() if child.stderr else ""
        raise RuntimeError(f"the app did not start: {error.strip()[-500:]}")
    return home, db


def run(db_url: str) -> Iterator[dict]:
    """Yield the three measures (``db_url`` is not used: the TUI bench works on its own files)."""
    with tempfile.TemporaryDirectory(prefix="trainer-bench-tui-") as tmp:
        folder = Path(tmp)
        first_url = f"sqlite:///{folder / 'premier-lancement.db'}"
        home, db = _launch(first_url, folder)
        # The file the first launch prepared is the seeded database of the next launches.
        homes = [_launch(first_url, folder)[0] for _ in range(RUNS)]
        yield {"name": "tui_home_ready_s", "value": round(statistics.median(homes), 3), "unit": "s"}
        yield {"name": "tui_home_ready_first_launch_s", "value": round(home, 3), "unit": "s"}
        yield {"name": "tui_first_launch_db_ready_s", "value": round(db, 3), "unit": "s"}
