"""French speech recognition with faster-whisper (CTranslate2), the model loaded once per session.

Decoding settings (measured on this project's 2-core machines): int8 weights, beam search of 5,
temperature 0 with no fallback (deterministic), word timestamps (for the speaking-rate and pause
measures), French forced, voice-activity filter on (Whisper otherwise invents sentences on silence
or line noise), no conditioning on previous text (no repetition loops), no initial prompt.

Whisper tends to leave out hesitations ("euh"), though it keeps "ben", "du coup", "en fait": the
filler counts are a lower bound. A prompt full of hesitations was tried to keep them and rejected:
on short clips followed by silence it made Whisper base invent whole sentences in loops.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from trainer.voice.errors import VoiceUnavailable
from trainer.voice.models import ModelLocation, locate_model
from trainer.voice.prosody import Prosody, WordTiming, measure_prosody
from trainer.voice.wavio import read_wav

WHISPER_RATE = 16000


@dataclass(frozen=True)
class Transcription:
    """What was recognised in one recording."""

    text: str
    words: list[WordTiming]
    duration_s: float
    confidence: float | None
    language: str
    model: str
    elapsed_s: float
    samples: np.ndarray = field(repr=False, compare=False)
    sample_rate: int = WHISPER_RATE

    @property
    def real_time_factor(self) -> float:
        """Processing time divided by the audio's duration (under 1 is faster than real time)."""
        return self.elapsed_s / self.duration_s if self.duration_s else 0.0

    def prosody(self) -> Prosody:
        """Speaking rate, fillers, pauses and loudness of this recording."""
        return measure_prosody(self.samples, self.sample_rate, self.text, self.words)


def resample(samples: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Band-limited resampling (FFT), enough for speech; returns float32."""
    x = np.asarray(samples, dtype=np.float32)
    if from_rate == to_rate or x.size == 0:
        return x
    n_out = int(round(x.size * to_rate / from_rate))
    spectrum = np.fft.rfft(x.astype(np.float64))
    n_bins = n_out // 2 + 1
    if n_bins <= spectrum.size:
        spectrum = spectrum[:n_bins]
    else:
        spectrum = np.concatenate([spectrum, np.zeros(n_bins - spectrum.size, dtype=spectrum.dtype)])
    y = np.fft.irfft(spectrum, n=n_out) * (n_out / x.size)
    return y.astype(np.float32)


def _load_whisper(location: ModelLocation, compute_type: str, cpu_threads: int) -> Any:
    try:
        from faster_whisper import WhisperModel
    except ImportError:
        raise VoiceUnavailable(
            "La reconnaissance vocale n'est pas installée : installez l'option voice (pip install -e '.[voice]').",
            part="asr",
        ) from None
    try:
        return WhisperModel(str(location.path), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads)
    except Exception as exc:  # noqa: BLE001 - CTranslate2 raises RuntimeError/ValueError on a bad model
        reason = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else type(exc).__name__
        raise VoiceUnavailable(
            f"Le modèle de reconnaissance vocale {location.path} ne se charge pas ({reason}).", part="asr"
        ) from None


class Recognizer:
    """A loaded Whisper model. Build it once per call session (``Recognizer.shared``), not per turn."""

    _shared: dict[tuple[str, str], Recognizer] = {}
    _shared_lock = threading.Lock()

    def __init__(
        self,
        model: str | ModelLocation | None = None,
        *,
        compute_type: str = "int8",
        beam_size: int = 5,
        cpu_threads: int = 0,
        progress: bool = True,
    ) -> None:
        self.location = model if isinstance(model, ModelLocation) else locate_model(model, progress=progress)
        self.compute_type = compute_type
        self.beam_size = beam_size
        started = time.perf_counter()
        self._model = _load_whisper(self.location, compute_type, cpu_threads or (os.cpu_count() or 1))
        self.load_s = time.perf_counter() - started
        # CTranslate2 models are thread-safe for reading, but one decode at a time keeps the
        # 2-core machines responsive (the TUI and the customer's voice run beside it).
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, model: str | None = None, *, progress: bool = True) -> Recognizer:
        """The process-wide recognizer for ``model`` (loaded on first use, then reused)."""
        location = locate_model(model, progress=progress)
        key = (str(location.path), "int8")
        with cls._shared_lock:
            recognizer = cls._shared.get(key)
            if recognizer is None:
                recognizer = cls(location, progress=progress)
                cls._shared[key] = recognizer
            return recognizer

    @property
    def model_name(self) -> str:
        """The model's name (folder name for a local folder)."""
        return self.location.name

    def transcribe(self, audio: str | os.PathLike[str] | np.ndarray, sample_rate: int | None = None) -> Transcription:
        """Recognise French speech in a WAV file or in mono float samples (give their rate)."""
        if isinstance(audio, np.ndarray):
            if sample_rate is None:
                raise ValueError("sample_rate is required with raw samples")
            samples, rate = audio.astype(np.float32), sample_rate
        else:
            samples, rate = read_wav(Path(audio))
        mono16k = resample(samples, rate, WHISPER_RATE)
        duration = mono16k.size / WHISPER_RATE
        started = time.perf_counter()
        with self._lock:
            segments, info = self._model.transcribe(
                mono16k,
                language="fr",
                task="transcribe",
                beam_size=self.beam_size,
                temperature=0.0,
                word_timestamps=True,
                vad_filter=True,
                condition_on_previous_text=False,
            )
            segments = list(segments)
        elapsed = time.perf_counter() - started
        words: list[WordTiming] = []
        for segment in segments:
            for word in segment.words or []:
                token = word.word.strip()
                if token:
                    words.append(WordTiming(token, float(word.start), float(word.end), float(word.probability)))
        text = " ".join(segment.text.strip() for segment in segments if segment.text.strip())
        confidence = float(np.mean([w.probability for w in words])) if words else None
        return Transcription(
            text=text,
            words=words,
            duration_s=duration,
            confidence=confidence,
            language=getattr(info, "language", "fr"),
            model=self.model_name,
            elapsed_s=elapsed,
            samples=np.asarray(samples, dtype=np.float32),
            sample_rate=rate,
        )


def transcribe_file(path: str | os.PathLike[str], model: str | None = None) -> tuple[Transcription, Prosody]:
    """One-shot helper for ``trainer transcribe``: recognise one file and measure how it was said."""
    recognizer = Recognizer.shared(model)
    result = recognizer.transcribe(path)
    return result, result.prosody()
