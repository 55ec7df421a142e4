"""Time to understand one student line (French NLU), and its accuracy on the understanding set.

- ``nlu_load_s``: first call in a fresh process (intent model, company lexicon, data files).
- ``nlu_understand_p50_ms`` / ``nlu_understand_p95_ms`` / ``nlu_understand_max_ms``: one line,
  wall clock, over 1 000 turns taken from the understanding test set (the lines written for it,
  cycled). Every result cache is cleared before each turn, so each one is really computed (the
  trainer caches repeated lines; a bench that hit the cache would measure nothing). Target: p95
  well under 10 ms on a 2-core machine.
- ``nlu_understand_cpu_p95_ms``: the same turns in CPU time of the process, which does not count
  the time spent waiting for a core when other programs keep the machine busy.
- ``nlu_lines_per_s``: throughput of the same loop.
- ``nlu_accuracy_pct``: lines of the understanding test set fully understood (target 95 %).

No database is used; ``db_url`` is accepted for the ``trainer bench`` interface.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import yaml

TURNS = 1000
DATA = Path(__file__).resolve().parent.parent / "tests" / "dialogue" / "data"


def _cases() -> list[tuple[str, datetime]]:
    """The lines of the understanding test set with their reference time."""
    out = []
    for path in sorted(DATA.glob("understanding*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        now = datetime.fromisoformat(data["now"])
        out += [(case["t"], now) for case in data["cases"]]
    return out


def _clear_caches() -> None:
    from trainer.dialogue import nlu, normalize, numbers

    nlu._understand_cached.cache_clear()
    nlu._words_cached.cache_clear()
    normalize._normalize_cached.cache_clear()
    normalize._spans_cached.cache_clear()
    normalize._tokens_cached.cache_clear()
    numbers.digitize.cache_clear()


def run(db_url: str) -> Iterator[dict]:  # noqa: ARG001 - no database needed
    """Yield the NLU figures (see the module docstring)."""
    started = time.perf_counter()
    from trainer.dialogue.nlu import preload, understand

    preload("generik")
    yield {"name": "nlu_load_s", "value": round(time.perf_counter() - started, 3), "unit": "s"}

    cases = _cases()
    if not cases:
        return
    durations: list[float] = []
    cpu: list[float] = []
    loop_start = time.perf_counter()
    for i in range(TURNS):
        text, now = cases[i % len(cases)]
        _clear_caches()
        t0, c0 = time.perf_counter(), time.process_time()
        understand(text, {"now": now})
        durations.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    loop = time.perf_counter() - loop_start
    durations.sort()
    cpu.sort()
    yield {"name": "nlu_understand_p50_ms", "value": round(statistics.median(durations), 3), "unit": "ms"}
    yield {"name": "nlu_understand_p95_ms", "value": round(durations[int(len(durations) * 0.95) - 1], 3), "unit": "ms"}
    yield {"name": "nlu_understand_max_ms", "value": round(durations[-1], 3), "unit": "ms"}
    # CPU time of the process for the same turns: what the NLU costs when the machine is busy
    # with other work (wall-clock percentiles then include the time spent waiting for a core).
    yield {"name": "nlu_understand_cpu_p95_ms", "value": round(cpu[int(len(cpu) * 0.95) - 1], 3), "unit": "ms"}
    yield {"name": "nlu_lines_per_s", "value": round(TURNS / loop, 1), "unit": "lines/s"}

    from trainer.dialogue.nlu_eval import evaluate_files

    report = evaluate_files(sorted(DATA.glob("understanding*.yaml")))
    yield {"name": "nlu_accuracy_pct", "value": round(report.accuracy * 100, 1), "unit": "%"}
