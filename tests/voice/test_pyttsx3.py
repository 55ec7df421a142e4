"""pyttsx3: why espeak-ng's voice is not spoken through it, and how the portable engine is guarded.

Measured (see ``trainer/voice/tts.py``): pyttsx3 2.99's espeak driver often writes no file, an empty
one, or the line twice. So espeak-ng's own program speaks its voice (byte for byte what espeak-ng
says), and pyttsx3 is only the engine of machines without espeak-ng, its files checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.voice.errors import VoiceUnavailable
from trainer.voice.tts import (
    ESPEAK_SAMPLE_RATE,
    ESPEAK_WPM_PER_SETTING,
    Voice,
    VoiceEngine,
    VoiceHints,
    discover_voices,
    plausible_length,
)
from trainer.voice.wavio import read_wav, wav_info, write_wav

pytest.importorskip("pyttsx3", reason="pyttsx3 is not installed")
if shutil.which("espeak-ng") is None:
    pytest.skip("espeak-ng is not installed (Debian package espeak-ng)", allow_module_level=True)

LINES = [
    "Bonjour madame, je suis Dominique Delmotte, coiffeuse à domicile.",
    "Je vous appelle parce que mon colis est arrivé complètement écrasé.",
    "Pouvez-vous me rappeler demain matin avant midi, s'il vous plaît ?",
]
ROBOTIC = tuple(v for v in discover_voices() if v.engine == "espeak")


def _espeak_itself(tmp: Path, text: str, voice: str, rate_wpm: int, pitch: int) -> Path:
    out = tmp / "reference.wav"
    setting = round(rate_wpm / ESPEAK_WPM_PER_SETTING)
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(setting), "-p", str(pitch), "-w", str(out), text], check=True, timeout=60
    )
    return out


def test_espeak_voice_is_espeak_ng_itself(tmp_path: Path) -> None:
    engine = VoiceEngine(tmp_path, voices=ROBOTIC)
    for voice in ROBOTIC[:2]:
        for text in LINES:
            line = engine.speak_line(text, VoiceHints(rate=140, pitch=55), voice=voice)
            assert (line.engine, line.backend) == ("espeak", "cli")
            reference = _espeak_itself(tmp_path, text, voice.name, 140, 55)
            assert wav_info(line.path).sample_rate == wav_info(reference).sample_rate == ESPEAK_SAMPLE_RATE
            said, _ = read_wav(line.path)
            expected, _ = read_wav(reference)
            assert np.array_equal(said, expected), (voice.name, text)


def test_length_check_rejects_what_pyttsx3_gets_wrong(tmp_path: Path) -> None:
    text = LINES[0]
    good = _espeak_itself(tmp_path, text, "fr", 140, 50)
    samples, rate = read_wav(good)
    duration = samples.size / rate
    assert plausible_length(text, duration, 140)
    twice = write_wav(tmp_path / "twice.wav", np.concatenate([samples, samples]), rate)
    assert not plausible_length(text, wav_info(twice).duration_s, 140)  # the line twice
    assert not plausible_length(text, 0.3, 140)  # a few samples


def test_portable_engine_gives_a_checked_file_or_one_sentence(tmp_path: Path) -> None:
    """The engine of machines without espeak-ng, run here on espeak-ng's library through pyttsx3."""
    system = (Voice("pyttsx3:roa/fr", "pyttsx3", "roa/fr", "m", 200, "French (France) (système)"),)
    engine = VoiceEngine(tmp_path, voices=system)
    # pyttsx3's rate is espeak's own setting: 150 is what espeak-ng -s 150 says.
    reference = wav_info(_espeak_itself(tmp_path, LINES[1], "fr", round(150 * ESPEAK_WPM_PER_SETTING), 50))
    try:
        line = engine.speak_line(LINES[1], VoiceHints(rate=150))
    except VoiceUnavailable as exc:  # three failed tries: said in one sentence, no file left behind
        assert "pyttsx3" in str(exc) and str(exc).endswith(").")
        assert not list(tmp_path.glob("client-*.wav"))
        return
    assert (line.engine, line.backend) == ("pyttsx3", "pyttsx3")
    assert wav_info(line.path).sample_rate == line.sample_rate
    assert line.duration_s == pytest.approx(reference.duration_s, rel=0.5)


def test_worker_lists_the_french_voices() -> None:
    listing = subprocess.run(
        [sys.executable, "-m", "trainer.voice.pyttsx_worker", "--list"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    assert '"id": "roa/fr"' in listing
