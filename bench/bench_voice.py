"""Voice benchmarks: speech-recognition and speech-synthesis speed (targets: ASR < 0.3, TTS < 0.1 × real time).

- ``asr_real_time_factor``: Whisper's processing time over the audio's duration, on the VoxForge
  recordings of ``shared/voice-samples`` (real French speech, 5-8 s turns, the size of a student's
  answer), model already loaded and warmed up as in a call. Falls back to customer lines spoken by
  the best natural voice when the recordings are not there.
- ``asr_model_load_s``: loading the model once at the start of a call (off the critical path).
- ``asr_wer_voxforge``: word error rate on the same recordings (quality beside speed).
- ``tts_real_time_factor``: synthesis time over the spoken duration, best voice installed.
- ``tts_time_to_first_audio_s``: median time from asking for a customer line to a WAV ready to play.

Outputs go to a temporary folder, never to the user's sessions.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VOXFORGE = REPO_ROOT.parent / "shared" / "voice-samples" / "voxforge"

CUSTOMER_LINES = [
    "Bonjour madame, je suis Dominique Delmotte, coiffeuse à domicile.",
    "Je vous appelle parce que mon colis est arrivé complètement écrasé.",
    "Je voudrais commander quarante-huit tubes de crème colorante sans ammoniaque, teinte six point quatre.",
    "Est-ce que vous avez une promotion ce mois-ci sur les colorations ?",
    "Pouvez-vous me rappeler demain matin avant midi, s'il vous plaît ?",
    "Très bien, je vous remercie pour votre aide, au revoir.",
]


def _notice(message: str) -> None:
    sys.stderr.write(f"bench_voice : {message}\n")


def _tts(tmp: Path) -> Iterator[dict]:
    from trainer.voice.errors import VoiceUnavailable
    from trainer.voice.tts import VoiceEngine

    engine = VoiceEngine(tmp / "tts")
    try:
        engine.speak_line("Allô, bonjour.")  # first call pays for probing the engine (MBROLA rate...)
    except VoiceUnavailable as exc:
        _notice(f"synthèse vocale non mesurée : {exc}")
        return
    spoken = synth = 0.0
    first_audio = []
    for _ in range(3):
        for text in CUSTOMER_LINES:
            started = time.perf_counter()
            line = engine.speak_line(text)
            first_audio.append(time.perf_counter() - started)
            spoken += line.duration_s
            synth += line.synthesis_s
    voice = f"{line.engine}:{line.voice}"
    yield {"name": "tts_real_time_factor", "value": round(synth / spoken, 4), "unit": "x", "voice": voice}
    yield {
        "name": "tts_time_to_first_audio_s",
        "value": round(statistics.median(first_audio), 4),
        "unit": "s",
        "voice": voice,
    }


def _asr_inputs(tmp: Path) -> list[tuple[Path, str]]:
    pairs = [(w, w.with_suffix(".txt").read_text(encoding="utf-8")) for w in sorted(VOXFORGE.glob("*.wav"))]
    if pairs:
        return pairs
    from trainer.voice.tts import VoiceEngine

    _notice(f"enregistrements {VOXFORGE} absents : mesure sur des répliques de client synthétisées.")
    engine = VoiceEngine(tmp / "asr")
    return [(engine.speak_line(text).path, text) for text in CUSTOMER_LINES]


def _asr(tmp: Path) -> Iterator[dict]:
    from trainer.voice.asr import Recognizer
    from trainer.voice.errors import VoiceUnavailable
    from trainer.voice.wer import corpus_wer

    try:
        started = time.perf_counter()
        recognizer = Recognizer(progress=True)
        load_s = time.perf_counter() - started
    except VoiceUnavailable as exc:
        _notice(f"reconnaissance vocale non mesurée : {exc}")
        return
    inputs = _asr_inputs(tmp)
    recognizer.transcribe(inputs[0][0])  # warm-up: a call's model has already decoded a turn
    elapsed = duration = 0.0
    results = []
    for wav, reference in inputs:
        result = recognizer.transcribe(wav)
        elapsed += result.elapsed_s
        duration += result.duration_s
        results.append((reference, result.text))
    yield {"name": "asr_real_time_factor", "value": round(elapsed / duration, 4), "unit": "x", "model": recognizer.model_name}
    yield {"name": "asr_model_load_s", "value": round(load_s, 3), "unit": "s", "model": recognizer.model_name}
    if inputs[0][0].parent == VOXFORGE:
        yield {"name": "asr_wer_voxforge", "value": round(corpus_wer(results), 4), "unit": "ratio"}


def run(db_url: str) -> Iterator[dict]:
    """Yield the voice measures (the database is not used)."""
    with tempfile.TemporaryDirectory(prefix="trainer-bench-voice-") as folder:
        tmp = Path(folder)
        yield from _tts(tmp)
        yield from _asr(tmp)
