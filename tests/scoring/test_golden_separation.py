"""The scenario engineer's golden calls (good and poor student scripts, played by the trainer):
for every scenario, the good call scores higher than the poor one, on the charter and on the grid."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.domain.transcript import load_transcript
from trainer.scoring import score_transcript

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "transcripts"
PAIRS = sorted(p for p in GOLDEN.glob("*") if (p / "good.json").is_file() and (p / "poor.json").is_file()) if GOLDEN.is_dir() else []


@pytest.mark.skipif(not PAIRS, reason="no golden transcripts in tests/golden/transcripts")
@pytest.mark.parametrize("folder", PAIRS, ids=[p.name for p in PAIRS])
def test_good_call_beats_poor_call(folder: Path):
    good = score_transcript(load_transcript(folder / "good.json"))
    poor = score_transcript(load_transcript(folder / "poor.json"))
    assert good.total > poor.total
    respected = {r.id for r in good.rules if r.verdict == "respected"}
    violated_poor = {r.id for r in poor.rules if r.verdict == "violated"}
    assert len(violated_poor) > len({r.id for r in good.rules if r.verdict == "violated"})
    assert respected  # a good call respects most of the charter
