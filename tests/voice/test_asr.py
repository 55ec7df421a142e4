"""Speech recognition on real French recordings, and the round trip through the natural voices."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.voice.wavio import write_wav
from trainer.voice.wer import corpus_wer, normalize_words

pytestmark = pytest.mark.voice


def _prompts(folder: Path) -> dict[str, str]:
    """VoxForge's PROMPTS file: "<speaker>/mfc/<id> TEXT IN CAPITALS" per line."""
    prompts = {}
    for line in (folder / "PROMPTS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            key, text = line.split(" ", 1)
            prompts[key.rsplit("/", 1)[-1]] = text
    return prompts


def test_voxforge_wer_under_25_percent(recognizer, voxforge) -> None:
    results = [(ref, recognizer.transcribe(wav).text) for wav, ref in voxforge]
    wer = corpus_wer(results)
    assert wer < 0.25, f"WER {wer:.1%} on VoxForge: " + " | ".join(h for _, h in results)
    # The PROMPTS file says the same thing as the transcripts beside the recordings.
    folder = voxforge[0][0].parent
    prompts = _prompts(folder)
    for wav, ref in voxforge:
        assert normalize_words(prompts[wav.stem]) == normalize_words(ref)
    assert corpus_wer([(prompts[wav.stem], hyp) for (wav, _), (_, hyp) in zip(voxforge, results, strict=True)]) == wer


def test_words_have_timings_and_confidence(recognizer, voxforge) -> None:
    wav, _ = voxforge[0]
    result = recognizer.transcribe(wav)
    assert result.words, result.text
    starts = [w.start for w in result.words]
    assert starts == sorted(starts)
    assert all(0 <= w.start < w.end <= result.duration_s + 0.5 for w in result.words)
    assert 0.5 < result.confidence <= 1.0
    p = result.prosody()
    assert 90 < p.words_per_minute < 260 and p.loudness_dbfs < 0


def test_silence_and_noise_give_no_invented_words(recognizer, tmp_path: Path) -> None:
    silence = write_wav(tmp_path / "silence.wav", np.zeros(16000 * 4), 16000)
    noise = write_wav(tmp_path / "noise.wav", np.random.default_rng(3).normal(0, 0.01, 16000 * 4), 16000)
    assert recognizer.transcribe(silence).text == ""
    assert recognizer.transcribe(noise).text == ""


def test_model_is_loaded_once(recognizer) -> None:
    from trainer.voice.asr import Recognizer

    assert Recognizer.shared("base", progress=False) is recognizer
    assert recognizer.model_name == "base"


def test_packaged_model_is_assembled_in_the_cache(recognizer, voice_cache: Path) -> None:
    folder = recognizer.location.path
    assert folder.is_relative_to(voice_cache)
    assert {"model.bin", "config.json", "tokenizer.json"} <= {p.name for p in folder.iterdir()}
    from trainer.voice.models import package_parts

    parts = sorted(p for d in package_parts("base") for p in d.glob("model.bin.part*"))
    assert (folder / "model.bin").stat().st_size == sum(p.stat().st_size for p in parts)


CUSTOMER_LINES = [
    "Bonjour madame, je suis Dominique Delmotte, coiffeuse à domicile.",
    "Je vous appelle parce que mon colis est arrivé complètement écrasé.",
    "Je voudrais commander des tubes de crème colorante sans ammoniaque.",
    "Pouvez-vous me rappeler demain matin avant midi, s'il vous plaît ?",
    "Très bien, je vous remercie pour votre aide, au revoir.",
]


def _trainer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trainer.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=dict(os.environ),
    )


def test_round_trip_natural_voices_through_trainer_transcribe(natural_voices, recognizer, tmp_path: Path) -> None:
    """A customer's lines spoken by each natural voice come back with WER < 35 %.

    The best voice of each engine goes through the `trainer transcribe` command (a new process, as a
    teacher's script would run it); the other voices through the same recognizer in this process.
    """
    from trainer.voice.tts import VoiceEngine

    engine = VoiceEngine(tmp_path)
    text = " ".join(CUSTOMER_LINES)
    through_cli = {}
    for voice in sorted(natural_voices, key=lambda v: v.rank):
        through_cli.setdefault(voice.engine, voice)
    for voice in natural_voices:
        line = engine.speak_line(text, None, voice=voice)
        if through_cli[voice.engine] is voice:
            result = _trainer("transcribe", str(line.path), "--json")
            assert result.returncode == 0, result.stderr
            data = json.loads(result.stdout)
            assert set(data) >= {"text", "duration_s", "words_per_minute", "filler_words_per_minute", "loudness_dbfs"}
            assert data["duration_s"] == pytest.approx(line.duration_s, abs=0.05)
            heard, wpm = data["text"], data["words_per_minute"]
        else:
            transcription = recognizer.transcribe(line.path)
            heard, wpm = transcription.text, transcription.prosody().words_per_minute
        wer = corpus_wer([(text, heard)])
        assert wer < 0.35, f"{voice.id}: WER {wer:.1%}: {heard}"
        # The customer speaks at the default 150 words per minute, give or take.
        assert 100 < wpm < 200, f"{voice.id}: {wpm} words per minute"


def test_transcribe_errors_are_one_french_line(tmp_path: Path) -> None:
    bad = tmp_path / "pas-un-son.wav"
    bad.write_text("bonjour", encoding="utf-8")
    result = _trainer("transcribe", str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr and "WAV" in result.stderr
    good = write_wav(tmp_path / "ok.wav", np.zeros(1600), 16000)
    missing_model = _trainer("transcribe", str(good), "--model", str(tmp_path / "nulle-part"))
    assert missing_model.returncode == 1 and "Le dossier de modèle" in missing_model.stderr
    assert "introuvable" in missing_model.stderr
    no_model = _trainer("transcribe", str(good), "--model", str(tmp_path))
    assert no_model.returncode == 1
    assert "model.bin" in no_model.stderr and no_model.stderr.count("\n") == 1
