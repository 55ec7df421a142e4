"""The student's microphone: push-to-talk or automatic end of speech on silence.

Capture control is SpeechRecognition's (energy threshold calibrated on the room's noise, dynamic
adjustment, end of the phrase after a pause). The sound comes from PyAudio when it is installed
(``speech_recognition.Microphone``), otherwise from ALSA's ``arecord`` (package ``alsa-utils``), so
that no compiler is needed on a school's machine. Everything read from the device is also kept, from
the moment listening starts, so the saved WAV shows the silence before the student's answer.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from trainer.voice.errors import VoiceUnavailable
from trainer.voice.wavio import write_wav

CAPTURE_RATE = 16000
CHUNK_FRAMES = 1024
NO_MICROPHONE = "Aucun micro n'est disponible : l'appel continue à l'écrit."


@dataclass(frozen=True)
class Recording:
    """One student turn captured from the microphone (the WAV starts when listening started)."""

    path: Path
    sample_rate: int
    duration_s: float
    speech_detected: bool
    started_at: float  # time.time() when listening started


class _Tee:
    """Wraps a source's stream: keeps every byte read, and stops when push-to-talk is released."""

    def __init__(self, stream: Any, stop: threading.Event | None, max_bytes: int) -> None:
        self.stream = stream
        self.stop = stop
        self.max_bytes = max_bytes
        self.buffer = bytearray()

    def read(self, size: int) -> bytes:
        if self.stop is not None and self.stop.is_set():
            raise _Released
        if len(self.buffer) >= self.max_bytes:
            raise _Released
        data = self.stream.read(size)
        self.buffer.extend(data)
        return data

    def close(self) -> None:  # pragma: no cover - sources close their own streams
        pass


class _Released(Exception):
    """Push-to-talk key released (or the turn's time limit reached)."""


class ArecordSource:
    """A SpeechRecognition audio source reading ALSA's ``arecord`` (16 kHz, 16-bit, mono)."""

    SAMPLE_RATE = CAPTURE_RATE
    SAMPLE_WIDTH = 2
    CHUNK = CHUNK_FRAMES

    def __init__(self, device: str | None = None) -> None:
        self.device = device
        self.stream: Any = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ArecordSource:
        command = ["arecord", "-q", "-t", "raw", "-f", "S16_LE", "-r", str(self.SAMPLE_RATE), "-c", "1"]
        if self.device:
            command += ["-D", self.device]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except OSError:
            raise VoiceUnavailable(NO_MICROPHONE, part="microphone") from None
        assert self._process.stdout is not None
        # arecord fails at once when the device cannot be opened: tell it now, not mid-turn.
        time.sleep(0.15)
        if self._process.poll() is not None:
            detail = (self._process.stderr.read() if self._process.stderr else b"").decode("utf-8", "replace")
            self._process = None
            raise VoiceUnavailable(
                NO_MICROPHONE + (f" ({detail.strip().splitlines()[-1]})" if detail.strip() else ""),
                part="microphone",
            )
        self.stream = _PipeStream(self._process.stdout)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()
            self._process = None
        self.stream = None


class _PipeStream:
    def __init__(self, pipe: Any) -> None:
        self.pipe = pipe

    def read(self, size: int) -> bytes:
        want = size * 2  # SpeechRecognition asks for frames; a frame is 2 bytes here
        data = self.pipe.read(want)
        if not data:
            raise VoiceUnavailable("Le micro s'est arrêté pendant l'enregistrement.", part="microphone")
        return data


class RecordingSource:
    """A WAV recording heard as if from a microphone, at the pace it was recorded.

    A SpeechRecognition audio source: the call desk listens to it exactly as to a microphone
    (energy threshold, end on silence, push-to-talk), for demonstrations and for machines and tests
    without a microphone. ``real_time=False`` delivers it as fast as it is read.
    """

    SAMPLE_WIDTH = 2
    CHUNK = CHUNK_FRAMES

    def __init__(self, path: Path, *, real_time: bool = True) -> None:
        from trainer.voice.wavio import read_wav, to_int16

        samples, rate = read_wav(Path(path))
        self.SAMPLE_RATE = rate
        self.pcm = to_int16(samples).astype("<i2").tobytes()
        self.real_time = real_time
        self.stream: Any = None

    def __enter__(self) -> RecordingSource:
        self.stream = _PacedStream(self.pcm, self.SAMPLE_RATE, self.real_time)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream = None


class _PacedStream:
    def __init__(self, pcm: bytes, rate: int, real_time: bool) -> None:
        self.pcm = pcm
        self.rate = rate
        self.real_time = real_time
        self.position = 0
        self.started = time.monotonic()

    def read(self, size: int) -> bytes:
        data = self.pcm[self.position : self.position + size * 2]
        self.position += len(data)
        if self.real_time and data:
            due = self.started + self.position / 2 / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        return data


def capture_devices() -> list[str]:
    """ALSA capture devices listed by ``arecord -l`` (empty when there is none or no ALSA)."""
    if shutil.which("arecord") is None:
        return []
    try:
        listing = subprocess.run(["arecord", "-l"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in listing.splitlines() if line.startswith("card ")]


_AUDIO_SOURCES: dict[type, type] = {}


def _as_audio_source(source: Any) -> Any:
    """Make ``source`` pass SpeechRecognition's ``isinstance(source, AudioSource)`` checks.

    ``AudioSource`` is a plain class (not an ABC, nothing to ``register``): the source's class gets
    a subclass that also derives from it (its own methods first), made once per class.
    """
    import speech_recognition as sr

    if isinstance(source, sr.AudioSource):
        return source
    cls = type(source)
    mixed = _AUDIO_SOURCES.get(cls)
    if mixed is None:
        mixed = _AUDIO_SOURCES[cls] = type(cls.__name__, (cls, sr.AudioSource), {})
    source.__class__ = mixed
    return source


class Microphone:
    """The student's microphone for one call: calibrate once, then record turn after turn."""

    def __init__(self, source: Any | None = None, *, pause_s: float = 0.8, calibrate_s: float = 0.5) -> None:
        """``source`` is any SpeechRecognition ``AudioSource`` (default: the system microphone)."""
        try:
            import speech_recognition as sr
        except ImportError:
            raise VoiceUnavailable(
                "La capture du micro n'est pas installée (SpeechRecognition) : l'appel continue à l'écrit.",
                part="microphone",
            ) from None
        self._sr = sr
        self.source = _as_audio_source(source) if source is not None else self._system_source()
        self.recognizer = sr.Recognizer()
        self.recognizer.pause_threshold = pause_s
        self.recognizer.non_speaking_duration = min(0.5, pause_s)
        # SpeechRecognition's dynamic adjustment climbs towards the speech level during short gaps
        # between words and then cuts the phrase: the threshold is set once, from the room's noise.
        self.recognizer.dynamic_energy_threshold = False
        self.calibrate_s = calibrate_s
        self._calibrated = False

    def _system_source(self) -> Any:
        sr = self._sr
        try:
            import pyaudio  # noqa: F401

            try:
                return sr.Microphone(sample_rate=CAPTURE_RATE)
            except (OSError, AttributeError):
                raise VoiceUnavailable(NO_MICROPHONE, part="microphone") from None
        except ImportError:
            pass
        if shutil.which("arecord") is None or not capture_devices():
            raise VoiceUnavailable(NO_MICROPHONE, part="microphone")
        return _as_audio_source(ArecordSource())

    def _calibrate(self, source: Any, tee: _Tee) -> None:
        start = len(tee.buffer)
        self.recognizer.adjust_for_ambient_noise(source, duration=self.calibrate_s)
        # SpeechRecognition's smoothing starts from a fixed 300 and has not converged after half a
        # second: take at least the noise actually heard times its own speech/noise ratio.
        noise = _pcm_to_float(bytes(tee.buffer[start:]), source.SAMPLE_WIDTH)
        if noise.size:
            heard = float(np.sqrt(np.mean(noise.astype(np.float64) ** 2))) * 32768.0
            ratio = self.recognizer.dynamic_energy_ratio
            self.recognizer.energy_threshold = max(self.recognizer.energy_threshold, heard * ratio)
        self._calibrated = True

    def record(
        self,
        out: Path,
        *,
        push_to_talk: threading.Event | None = None,
        until_silence: bool | None = None,
        timeout_s: float = 15.0,
        max_s: float = 60.0,
    ) -> Recording:
        """Record one turn into ``out`` and return it.

        With ``push_to_talk`` (an event the front end sets when the key is pressed again), everything
        until the event is kept. Without it, the turn ends after a pause of ``pause_s`` once speech
        has started, or after ``timeout_s`` of silence (``speech_detected`` is then False).
        ``until_silence=True`` with ``push_to_talk``: whichever comes first ends the turn (the call
        desk's key: speak, and either stop talking or press the key again).
        """
        if until_silence is None:
            until_silence = push_to_talk is None
        sr = self._sr
        started = time.time()
        try:
            with self.source as source:
                width = source.SAMPLE_WIDTH
                rate = source.SAMPLE_RATE
                original = source.stream
                # Everything read from here on is the turn's recording, calibration included: the
                # student hears the line end and may start answering at once.
                tee = _Tee(original, push_to_talk, int(max_s * rate * width))
                source.stream = tee
                speech = True
                released = False
                try:
                    if until_silence:
                        if not self._calibrated:
                            self._calibrate(source, tee)
                        self.recognizer.listen(source, timeout=timeout_s, phrase_time_limit=max_s)
                    else:
                        while tee.read(source.CHUNK):
                            pass
                except _Released:
                    released = True
                except sr.WaitTimeoutError:
                    speech = False
                finally:
                    source.stream = original
                raw = bytes(tee.buffer)
        except OSError as exc:
            # PyAudio's device could not be opened (unplugged, busy, no permission).
            raise VoiceUnavailable(f"{NO_MICROPHONE} ({exc})", part="microphone") from None
        samples = _pcm_to_float(raw, width)
        if released or not until_silence:
            speech = _loudest_chunk_energy(samples, source.CHUNK) > self.recognizer.energy_threshold
        write_wav(out, samples, rate)
        return Recording(out, rate, samples.size / rate if rate else 0.0, speech, started)


def _loudest_chunk_energy(samples: np.ndarray, chunk: int) -> float:
    """The highest chunk RMS in 16-bit units (SpeechRecognition's energy scale)."""
    if samples.size == 0:
        return 0.0
    count = max(1, samples.size // chunk)
    frames = samples[: count * chunk].reshape(count, -1) if samples.size >= chunk else samples.reshape(1, -1)
    return float(np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1)).max() * 32768.0)


def _pcm_to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 2:
        return np.frombuffer(raw[: len(raw) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0
    if width == 1:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 4:
        return np.frombuffer(raw[: len(raw) // 4 * 4], dtype="<i4").astype(np.float32) / 2147483648.0
    raise ValueError(f"unsupported sample width {width}")
