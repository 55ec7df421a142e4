"""Voice measures on synthetic signals (known answers) and on real recordings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from trainer.voice.prosody import (
    PHONE_REFERENCE_WPM,
    WordTiming,
    count_fillers,
    count_words,
    measure_prosody,
    rms_dbfs,
)
from trainer.voice.wavio import read_wav

RATE = 16000


def _tone(seconds: float, amplitude: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * freq * t)


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def test_loudness_of_known_signals() -> None:
    assert rms_dbfs(np.ones(1000)) == pytest.approx(0.0)
    assert rms_dbfs(_tone(1, 1.0)) == pytest.approx(-3.01, abs=0.01)
    assert rms_dbfs(_tone(1, 0.1)) == pytest.approx(-23.01, abs=0.01)
    assert rms_dbfs(_silence(1)) == -96.0


def test_silence_before_answering_and_speech_loudness() -> None:
    # 1.5 s of silence, then 3 s of "voice" at -23 dBFS, then 1 s of silence.
    signal = np.concatenate([_silence(1.5), _tone(3, 0.1), _silence(1)])
    p = measure_prosody(signal, RATE, "Bonjour madame, je vais vérifier votre commande tout de suite.")
    assert p.pause_before_s == pytest.approx(1.5, abs=0.05)
    assert p.speech_s == pytest.approx(3.0, abs=0.1)
    # The silences do not drag the loudness down: it is the voice's own level.
    assert p.loudness_dbfs == pytest.approx(-23.0, abs=0.5)
    assert p.words == 10
    assert p.words_per_minute == pytest.approx(200, rel=0.05)


def test_rate_and_pauses_from_word_timings() -> None:
    signal = np.concatenate([_silence(0.8), _tone(2.2, 0.2), _silence(1.0), _tone(2.0, 0.2)])
    words = [
        WordTiming("Euh,", 0.8, 1.2),
        WordTiming("bonjour", 1.2, 1.8),
        WordTiming("madame,", 1.8, 2.4),
        WordTiming("du", 2.4, 2.6),
        WordTiming("coup", 2.6, 3.0),
        # a one-second pause
        WordTiming("je", 4.0, 4.3),
        WordTiming("vous", 4.3, 4.6),
        WordTiming("écoute.", 4.6, 5.2),
        WordTiming("Voilà.", 5.4, 6.0),
    ]
    text = " ".join(w.text for w in words)
    p = measure_prosody(signal, RATE, text, words)
    assert p.pause_before_s == pytest.approx(0.8)
    assert p.speech_s == pytest.approx(5.2)
    assert p.words == 9
    assert p.words_per_minute == pytest.approx(9 / 5.2 * 60)
    assert p.fillers == 2  # "euh" and "du coup"
    assert p.filler_words_per_minute == pytest.approx(2 / 5.2 * 60)
    assert p.pauses == [(3.0, 4.0)]
    assert p.longest_pause_s == pytest.approx(1.0)
    assert p.loudness_dbfs == pytest.approx(rms_dbfs(_tone(1, 0.2)), abs=0.5)
    fields = p.turn_fields()
    assert set(fields) == {"words_per_minute", "filler_words_per_minute", "loudness_dbfs", "pause_before_s"}


def test_silence_has_no_rate_nor_loudness() -> None:
    p = measure_prosody(_silence(3), RATE, "")
    assert (p.words_per_minute, p.loudness_dbfs, p.pause_before_s) == (None, None, None)
    # Steady faint noise is not speech either.
    noise = np.random.default_rng(1).normal(0, 0.001, 3 * RATE)
    assert measure_prosody(noise, RATE, "").loudness_dbfs is None


def test_a_single_word_has_no_speaking_rate() -> None:
    p = measure_prosody(np.concatenate([_silence(0.3), _tone(0.4, 0.2)]), RATE, "Oui.")
    assert p.words_per_minute is None
    assert p.loudness_dbfs is not None


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("Euh, ben, du coup je voudrais, en fait, commander.", 4),
        ("Heu… bah oui, hein.", 3),
        ("Ce genre de produit me convient, genre vraiment.", 1),
        ("Pour quoi faire ? C'est quoi le prix ?", 0),
        ("C'est bien, quoi.", 1),
        ("Bonjour madame, je vous écoute.", 0),
    ],
)
def test_filler_words(text: str, fillers: int) -> None:
    assert count_fillers(text) == fillers


def test_word_count_reads_numbers_as_said() -> None:
    assert count_words("48 tubes") == 2  # "quarante-huit tubes"
    assert count_words("l'espace, aujourd'hui") == 2
    assert count_words("") == 0


def test_real_recording_is_in_a_human_range(shared_dir: Path) -> None:
    wav = shared_dir / "voice-samples" / "voxforge" / "fr-sb-495.wav"
    if not wav.exists():
        pytest.skip(f"{wav} missing")
    samples, rate = read_wav(wav)
    p = measure_prosody(samples, rate, wav.with_suffix(".txt").read_text(encoding="utf-8"))
    # A reader speaks at 100-250 words per minute, at a level between -40 and -6 dBFS, after a short pause.
    assert 100 < p.words_per_minute < 250
    assert PHONE_REFERENCE_WPM == 120
    assert -40 < p.loudness_dbfs < -6
    assert 0.1 < p.pause_before_s < 2.0


def test_early_word_timing_is_corrected_by_the_voice_onset() -> None:
    # The recogniser says the first word starts at 0.3 s; the voice really starts at 0.8 s.
    signal = np.concatenate([_silence(0.8), _tone(2.0, 0.2)])
    words = [WordTiming("Bonjour", 0.3, 1.2), WordTiming("madame", 1.2, 1.8), WordTiming("Durand", 1.8, 2.8)]
    p = measure_prosody(signal, RATE, "Bonjour madame Durand", words)
    assert p.pause_before_s == pytest.approx(0.8, abs=0.03)
    assert p.speech_s == pytest.approx(2.0, abs=0.03)
