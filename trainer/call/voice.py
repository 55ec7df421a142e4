"""Voice for a call session: the customer speaks (TTS into the session folder), the student may
answer aloud (a WAV transcribed by ASR, with its prosody measures on the turn).

Everything here is optional: ``trainer/voice`` needs espeak-ng (and the ``voice`` extra for speech
recognition). When a part is missing, ``VoiceUnavailable`` says so in one French sentence and the
call goes on in text.

The speech-recognition model is loaded once per session (``load_recognizer``, which the TUI calls
in a worker as the call starts), never per turn. The student's microphone is a capture source that
can be replaced (``use_microphone(source)``): the system microphone by default, any
SpeechRecognition ``AudioSource`` otherwise (a recording, in tests and on machines without one).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.voice.errors import VoiceUnavailable


@dataclass
class StudentSpeech:
    """A student turn recognised from a recording: the text and the per-turn voice fields."""

    text: str
    measures: dict[str, Any]


class SessionVoice:
    """The customer's voice for one session, the recogniser (loaded once) and the microphone."""

    def __init__(self, engine: Any, *, model: str | None = None) -> None:
        self._engine = engine
        self.model = model
        self._recognizer: Any = None
        self._recognizer_error: VoiceUnavailable | None = None
        self._load_lock = threading.Lock()
        self._microphone: Any = None
        self._folder: Path | None = None
        self._recorded = 0

    @classmethod
    def create(cls, model: str | None = None) -> SessionVoice:
        """A voice with the best French voices installed; ``VoiceUnavailable`` when there is none."""
        from trainer.voice.tts import VoiceEngine, discover_voices

        voices = discover_voices()
        if not voices:
            raise VoiceUnavailable(
                "Aucune voix de synthèse n'est installée (paquet espeak-ng) : l'appel se joue à l'écrit.", part="tts"
            )
        return cls(VoiceEngine(output_dir=None, voices=voices), model=model)

    @property
    def notices(self) -> list[str]:
        """One-line notices of the engine (natural voices missing...)."""
        return list(getattr(self._engine, "notices", []))

    def bind(self, folder: Path) -> None:
        """Write the customer's lines (and the student's recordings) under ``folder/audio``."""
        self._folder = folder
        self._engine.output_dir = folder / "audio"

    # -- the customer speaks ----------------------------------------------------------------------

    def speak(self, text: str, persona: Any) -> Path:
        """Speak one customer line with the persona's voice; returns the WAV path."""
        return self._engine.speak_line(text, persona).path

    # -- speech recognition, loaded once ------------------------------------------------------------

    def load_recognizer(self) -> Any:
        """Load the speech-recognition model once for the session (slow: call it from a worker).

        Raises ``VoiceUnavailable`` (one French sentence) when the model or faster-whisper is
        missing; the same error again on every later call, without retrying the load.
        """
        with self._load_lock:
            if self._recognizer is None and self._recognizer_error is None:
                from trainer.voice.asr import Recognizer

                try:
                    self._recognizer = Recognizer.shared(self.model, progress=False)
                except VoiceUnavailable as exc:
                    self._recognizer_error = exc
            if self._recognizer_error is not None:
                raise self._recognizer_error
            return self._recognizer

    @property
    def recognizer_ready(self) -> bool:
        """True once the model is loaded."""
        return self._recognizer is not None

    def hear(self, wav: Path) -> StudentSpeech:
        """Recognise a student's recorded turn and measure how it was said."""
        transcription = self.load_recognizer().transcribe(wav)
        measures: dict[str, Any] = dict(transcription.prosody().turn_fields())
        if transcription.confidence is not None:
            measures["asr_confidence"] = round(transcription.confidence, 3)
        return StudentSpeech(text=transcription.text, measures=measures)

    # -- the student's microphone -------------------------------------------------------------------

    def use_microphone(self, source: Any = None, *, pause_s: float = 0.8, calibrate_s: float = 0.5) -> Any:
        """Open the capture: the system microphone, or ``source`` (a SpeechRecognition ``AudioSource``).

        Raises ``VoiceUnavailable`` (« Aucun micro n'est disponible… ») when there is none.
        """
        from trainer.voice.microphone import Microphone

        self._microphone = Microphone(source, pause_s=pause_s, calibrate_s=calibrate_s)
        return self._microphone

    @property
    def has_microphone(self) -> bool:
        """True when a capture source is open."""
        return self._microphone is not None

    def record_turn(
        self, push_to_talk: threading.Event | None = None, *, until_silence: bool = True, timeout_s: float = 15.0
    ) -> Any:
        """Record the student's next turn into ``audio/eleve-NNN.wav`` (a ``Recording``).

        The turn ends on the first pause after speech (SpeechRecognition's energy threshold and
        pause) or, sooner, when ``push_to_talk`` is set (the key pressed again). With
        ``until_silence=False`` only the event (or the end of the source) ends it.
        """
        if self._microphone is None:
            from trainer.voice.microphone import NO_MICROPHONE

            raise VoiceUnavailable(NO_MICROPHONE, part="microphone")
        if self._folder is None:
            raise ValueError("bind() the session folder before recording")
        folder = self._folder / "audio"
        folder.mkdir(parents=True, exist_ok=True)
        self._recorded += 1
        out = folder / f"eleve-{self._recorded:03d}.wav"
        while out.exists():  # a recording copied there by another front end
            self._recorded += 1
            out = folder / f"eleve-{self._recorded:03d}.wav"
        return self._microphone.record(out, push_to_talk=push_to_talk, until_silence=until_silence, timeout_s=timeout_s)
