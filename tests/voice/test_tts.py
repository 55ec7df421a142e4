"""Speech synthesis: the right sample rate in every file, a duration that fits the text, a voice per persona."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.voice.prosody import count_words, measure_prosody
from trainer.voice.tts import (
    ESPEAK_SAMPLE_RATE,
    PICO_SAMPLE_RATE,
    VoiceEngine,
    VoiceHints,
    choose_voice,
    discover_voices,
    mbrola_native_rate,
)
from trainer.voice.wavio import read_wav, wav_info

if not discover_voices() and os.environ.get("TRAINER_REQUIRE_VOICE") != "1":
    pytest.skip("espeak-ng with its French voice is not installed (Debian package espeak-ng)", allow_module_level=True)

LINE = "Bonjour, je voudrais commander quarante-huit tubes de crème colorante sans ammoniaque, s'il vous plaît."
VOICES = discover_voices()


def _expected_rate(voice) -> int:
    """What the engine itself produces, asked independently of the file written by the trainer."""
    if voice.engine == "pico":
        return PICO_SAMPLE_RATE
    if voice.engine == "mbrola":
        return mbrola_native_rate(voice.name[3:])
    return ESPEAK_SAMPLE_RATE


def test_espeak_is_there() -> None:
    # espeak-ng is the project's base requirement (README); without it nothing speaks.
    assert any(v.engine == "espeak" for v in VOICES), "espeak-ng with its French voice is not installed"


@pytest.mark.parametrize("voice", VOICES, ids=[v.id for v in VOICES])
@pytest.mark.parametrize("rate", [130, 180])
def test_each_voice_writes_the_rate_it_produced_and_a_fitting_duration(tmp_path: Path, voice, rate: int) -> None:
    engine = VoiceEngine(tmp_path)
    line = engine.speak_line(LINE, VoiceHints(rate=rate), voice=voice)
    info = wav_info(line.path)
    assert info.sample_rate == line.sample_rate == line.engine_sample_rate == _expected_rate(voice)
    assert (info.channels, info.bits_per_sample) == (1, 16)
    # Duration consistent with the text: the speech in the file is said at the asked rate (±25 %).
    samples, sr = read_wav(line.path)
    measured = measure_prosody(samples, sr, LINE)
    assert measured.words_per_minute == pytest.approx(rate, rel=0.25)
    assert line.duration_s >= count_words(LINE) / rate * 60 * 0.75
    assert line.path.parent == tmp_path and line.path.name == "client-001.wav"


def test_persona_choice_is_deterministic_and_follows_gender() -> None:
    for gender in ("f", "m"):
        first = choose_voice(VoiceHints(gender=gender), "mme-delmotte")
        assert first == choose_voice(VoiceHints(gender=gender), "mme-delmotte")
        assert first.gender == gender
    # Without a persona: the best voice installed.
    assert choose_voice() == min(VOICES, key=lambda v: v.rank)


def test_personas_get_different_voices_when_there_are_enough() -> None:
    women = [v for v in VOICES if v.gender == "f" and v.natural]
    if len(women) < 2:
        pytest.skip("fewer than two natural female voices installed")
    chosen = {choose_voice(VoiceHints(gender="f"), f"persona-{i}").id for i in range(20)}
    assert len(chosen) >= 2


def test_fallback_to_espeak_says_so_in_one_sentence(tmp_path: Path) -> None:
    robotic = tuple(v for v in VOICES if v.engine == "espeak")
    engine = VoiceEngine(tmp_path, voices=robotic)
    assert len(engine.notices) == 1 and "espeak-ng" in engine.notices[0]
    line = engine.speak_line("Bonjour madame.", VoiceHints(gender="f"))
    assert line.engine == "espeak" and line.voice in {v.name for v in robotic if v.gender == "f"}
    assert wav_info(line.path).sample_rate == ESPEAK_SAMPLE_RATE


def test_session_engine_writes_into_the_session_folder() -> None:
    from trainer.paths import sessions_dir

    engine = VoiceEngine.for_session("sess-42")
    first = engine.speak_line("Allô, bonjour.")
    second = engine.speak_line("Je vous appelle pour une commande.")
    assert first.path == sessions_dir() / "sess-42" / "audio" / "client-001.wav"
    assert second.path.name == "client-002.wav" and second.path.exists()


def _trainer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_speak_command_json_contract(tmp_path: Path) -> None:
    out = tmp_path / "ligne.wav"
    result = _trainer("speak", "Bonjour, c'est Madame Delmotte.", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"path", "engine", "voice", "sample_rate", "duration_s", "synthesis_s"}
    assert Path(data["path"]) == out
    assert data["sample_rate"] == wav_info(out).sample_rate
    assert data["duration_s"] == pytest.approx(wav_info(out).duration_s, abs=0.01)
    best = min(VOICES, key=lambda v: v.rank)
    assert (data["engine"], data["voice"]) == (best.engine, best.name)


def test_speak_with_a_scenario_persona(tmp_path: Path) -> None:
    from trainer.content.scenarios import list_scenarios

    scenarios = list_scenarios()
    if not scenarios:
        pytest.skip("no scenario written yet")
    persona = scenarios[0].persona
    out = tmp_path / "p.wav"
    result = _trainer("speak", "Bonjour, je vous appelle pour une commande.", "--out", str(out), "--persona", persona.id, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = choose_voice(VoiceHints.from_persona(persona), persona.id)
    assert (data["engine"], data["voice"]) == (expected.engine, expected.name)
    assert expected.gender == persona.voice.gender


def test_speak_errors_are_one_french_line(tmp_path: Path) -> None:
    empty = _trainer("speak", "   ", "--out", str(tmp_path / "e.wav"))
    assert empty.returncode == 1 and empty.stderr.count("\n") == 1 and "vide" in empty.stderr
    assert not (tmp_path / "e.wav").exists()
    unknown = _trainer("speak", "Bonjour", "--out", str(tmp_path / "u.wav"), "--persona", "personne-inconnue")
    assert unknown.returncode == 1 and "Traceback" not in unknown.stderr and "personne-inconnue" in unknown.stderr
