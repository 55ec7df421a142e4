"""Time of one call turn: the student's line journaled (fsync), understood, answered by the simulated
customer, and the answer journaled (fsync) — ``CallSession.student_says``, the real code path.

- ``turn_p50_ms`` / ``turn_p95_ms`` / ``turn_max_ms``: wall clock per turn over 1 000 turns.
  Target: p95 under 20 ms on a 2-core machine (a tenth of the 200 ms gap between turns in a human
  conversation).
- ``turn_cpu_p95_ms``: the same turns in CPU time of the process (without the time spent waiting
  for a core or for the disk while other programs keep the machine busy).
- ``turn_journal_fsync_p95_ms``: the disk wait of a turn's journal (the student's line fsynced while
  the customer works out the answer; the customer's line reaches the disk with the next one).

The student lines are those of the golden scripts (``tests/golden/scripts/*/{good,poor}.txt``),
played scenario after scenario with their seeds; a new call starts when the customer hangs up or
the script is over. The sessions write their journals in a temporary folder and are not written to
the database (``db_url`` is accepted for the ``trainer bench`` interface): the live copy for an
observer is a separate write, not part of the turn.
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

TURNS = 1000
SCRIPTS = Path(__file__).resolve().parent.parent / "tests" / "golden" / "scripts"


def _scripts() -> list[tuple[str, list[str]]]:
    from trainer.call.script import parse_script

    out = []
    for path in sorted(SCRIPTS.glob("*/*.txt")):
        try:
            script = parse_script(path.read_text(encoding="utf-8"), str(path))
        except Exception:  # noqa: BLE001 - a script being written by someone else: skip it
            continue
        lines = [s.text for s in script.speeches]
        if lines:
            out.append((path.parent.name, lines))
    return out


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def run(db_url: str | None = None) -> Iterator[dict]:
    """Yield the turn figures (see the module docstring)."""
    from trainer.call.clock import SimulatedClock
    from trainer.call.session import CallSession, company_for
    from trainer.content.scenarios import load_scenario
    from trainer.domain.common import PARIS
    from trainer.store import journal as journal_mod

    scripts = [(load_scenario(sid), lines) for sid, lines in _scripts()]
    if not scripts:
        return
    wall: list[float] = []
    cpu: list[float] = []
    fsync: list[float] = []
    original_sync = journal_mod._sync

    def timed_sync(fd):  # noqa: ANN001, ANN202 - measures the disk part of each turn
        started = time.perf_counter()
        original_sync(fd)
        fsync_acc.append(time.perf_counter() - started)

    fsync_acc: list[float] = []
    journal_mod._sync = timed_sync
    try:
        with tempfile.TemporaryDirectory(prefix="trainer-bench-turns-") as tmp:
            start = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
            for scenario, _ in scripts:  # load company data once, outside the measure
                company_for(None, scenario.company)
            n = 0
            while len(wall) < TURNS:
                scenario, lines = scripts[n % len(scripts)]
                n += 1
                sid = uuid.uuid4()
                session = CallSession(
                    scenario=scenario,
                    store=None,
                    clock=SimulatedClock(start),
                    session_id=sid,
                    student="bench",
                    seed=scenario.seed,
                    mode="text",
                    folder=Path(tmp) / str(sid),
                    live_updates=False,
                )
                if scenario.direction == "incoming":
                    session.pick_up()
                else:
                    session.dial()
                for text in lines:
                    if session.phase != "talking" or len(wall) >= TURNS:
                        break
                    fsync_acc.clear()
                    c0, w0 = time.process_time(), time.perf_counter()
                    session.student_says(text)
                    w1, c1 = time.perf_counter(), time.process_time()
                    wall.append((w1 - w0) * 1000)
                    cpu.append((c1 - c0) * 1000)
                    fsync.append(sum(fsync_acc) * 1000)
                session.journal.close()
    finally:
        journal_mod._sync = original_sync
    yield {"name": "turn_p50_ms", "value": round(statistics.median(wall), 2), "unit": "ms"}
    yield {"name": "turn_p95_ms", "value": round(_percentile(wall, 95), 2), "unit": "ms"}
    yield {"name": "turn_max_ms", "value": round(max(wall), 2), "unit": "ms"}
    yield {"name": "turn_cpu_p95_ms", "value": round(_percentile(cpu, 95), 2), "unit": "ms"}
    yield {"name": "turn_journal_fsync_p95_ms", "value": round(_percentile(fsync, 95), 2), "unit": "ms"}
