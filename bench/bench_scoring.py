"""Scoring throughput on the hand-annotated reference transcripts (``transcripts/*.json``).

A teacher re-scores a year of a class: 10 000 transcripts, target under 20 s (500 per second).

- ``scoring_cold_transcripts_per_s``: each reference transcript scored once after every text cache
  has been cleared (normalisation, sentence analysis, phrase matches): the cost of lines never seen
  before (grid, phrase tables, scenarios and company data are loaded beforehand, once per process).
- ``scoring_transcripts_per_s``: 10 000 scorings cycling over the reference set, wall clock. Lines
  repeat in a class year ("GENERIK, Julie, bonjour", "Au revoir"), and so they do here: the
  per-line caches are part of what is measured.
- ``scoring_10000_s``: the wall-clock time of those 10 000 scorings (target < 20 s).
- ``scoring_cpu_transcripts_per_s``: the same loop in CPU time of the process, which does not count
  the time spent waiting for a core when other programs keep the machine busy.

No database is used; ``db_url`` is accepted for the ``trainer bench`` interface. ``TRAINER_BENCH_SCORING_N``
changes the number of scorings (default 10 000).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "transcripts"


def run(db_url: str) -> Iterator[dict]:
    """Yield the scoring measures (see the module docstring)."""
    from trainer.domain.transcript import load_transcript
    from trainer.scoring import score_transcript
    from trainer.scoring.context import _civility_names, _self_names, is_interrupted
    from trainer.scoring.text import analyse

    total = int(os.environ.get("TRAINER_BENCH_SCORING_N", "10000"))
    transcripts = [load_transcript(p) for p in sorted(REFERENCE.glob("*.json"))]
    if not transcripts:
        return
    for transcript in transcripts:  # loads the grid, phrase tables, scenarios and company data once
        score_transcript(transcript)

    from trainer.dialogue import normalize

    for cache in (analyse, _self_names, _civility_names, is_interrupted,
                  normalize._tokens_cached, normalize._normalize_cached):
        cache.cache_clear()
    start = time.perf_counter()
    for transcript in transcripts:
        score_transcript(transcript)
    cold = time.perf_counter() - start
    yield {"name": "scoring_cold_transcripts_per_s", "value": round(len(transcripts) / cold, 1), "unit": "transcripts/s"}

    wall = time.perf_counter()
    cpu = time.process_time()
    for i in range(total):
        score_transcript(transcripts[i % len(transcripts)])
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    yield {"name": "scoring_transcripts_per_s", "value": round(total / wall, 1), "unit": "transcripts/s"}
    yield {"name": f"scoring_{total}_s", "value": round(wall, 2), "unit": "s"}
    yield {"name": "scoring_cpu_transcripts_per_s", "value": round(total / cpu, 1), "unit": "transcripts/s"}
