"""``trainer bench --json`` prints the voice measures: ASR and TTS real-time factors, time to first audio.

Only their presence and form are checked here (values depend on the machine's load; the targets,
ASR under 0.3 and TTS under 0.1 × real time, are read from the bench's output, not asserted).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

TRAINER = Path(sys.executable).with_name("trainer")


@pytest.mark.voice
@pytest.mark.slow
def test_bench_json_prints_the_voice_measures(recognizer, natural_voices, voice_cache: Path) -> None:
    env = dict(os.environ, TRAINER_CACHE_DIR=str(voice_cache))
    env.pop("TRAINER_ASR_MODEL", None)
    proc = subprocess.run(
        [str(TRAINER), "bench", "--json", "--only", "voice"],
        capture_output=True, text=True, env=env, timeout=900, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    measures = {m["name"]: m for m in map(json.loads, proc.stdout.splitlines())}
    for name, unit in (
        ("asr_real_time_factor", "x"),
        ("tts_real_time_factor", "x"),
        ("tts_time_to_first_audio_s", "s"),
        ("asr_model_load_s", "s"),
        ("asr_wer_voxforge", "ratio"),
    ):
        assert name in measures, (name, proc.stdout, proc.stderr)
        measure = measures[name]
        assert set(measure) == {"name", "value", "unit"} and measure["unit"] == unit
        assert isinstance(measure["value"], float) and math.isfinite(measure["value"]) and measure["value"] > 0
    assert measures["asr_wer_voxforge"]["value"] < 0.25
