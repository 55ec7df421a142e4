"""Voice for a call session: the customer speaks (TTS into the session folder), the student may
answer aloud (a WAV transcribed by ASR, with its prosody measures on the turn).

Everything here is optional: ``trainer/voice`` needs espeak-ng (and the ``voice`` extra for speech
recognition). When a part is missing, ``VoiceUnavailable`` says so in one French sentence and the
call goes on in text.
"""

from __future__ import annotations

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
    """The customer's voice for one session (and the recogniser, loaded on first use)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._recognizer: Any = None

    @classmethod
    def create(cls) -> SessionVoice:
        """A voice with the best French voices installed; ``VoiceUnavailable`` when there is none."""
        from trainer.voice.tts import VoiceEngine, discover_voices

        voices = discover_voices()
        if not voices:
            raise VoiceUnavailable(
                "Aucune voix de synthèse n'est installée (paquet espeak-ng) : l'appel se joue à l'écrit.", part="tts"
            )
        return cls(VoiceEngine(output_dir=None, voices=voices))

    @property
    def notices(self) -> list[str]:
        """One-line notices of the engine (natural voices missing...)."""
        return list(getattr(self._engine, "notices", []))

    def bind(self, folder: Path) -> None:
        """Write the customer's lines under ``folder/audio`` (the session's folder)."""
        self._engine.output_dir = folder / "audio"

    def speak(self, text: str, persona: Any) -> Path:
        """Speak one customer line with the persona's voice; returns the WAV path."""
        return self._engine.speak_line(text, persona).path

    def hear(self, wav: Path) -> StudentSpeech:
        """Recognise a student's recorded turn and measure how it was said."""
        from trainer.voice.asr import Recognizer

        if self._recognizer is None:
            self._recognizer = Recognizer.shared(progress=False)
        transcription = self._recognizer.transcribe(wav)
        measures: dict[str, Any] = dict(transcription.prosody().turn_fields())
        if transcription.confidence is not None:
            measures["asr_confidence"] = round(transcription.confidence, 3)
        return StudentSpeech(text=transcription.text, measures=measures)
