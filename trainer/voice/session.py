"""Voice for one call, standalone: speak, play, listen and transcribe with French notices.

The call front ends (TUI, ``trainer play --voice``) go through ``trainer.call.voice.SessionVoice``,
which a ``CallSession`` drives; this class bundles the same parts for tools outside a call session.

A missing microphone, speaker, engine or model never raises here: that part is switched off, one
French sentence is added to ``notices``, and the call goes on in text.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.voice.errors import VoiceUnavailable


@dataclass(frozen=True)
class SpokenTurn:
    """A student turn said aloud: its text and the per-turn fields of the transcript (CONTRACT §2)."""

    text: str
    fields: dict[str, Any]
    transcription: Any = field(repr=False)
    prosody: Any = field(repr=False)


class VoiceSession:
    """Speech in and out for one call; every part can be missing."""

    def __init__(
        self,
        session_id: str,
        *,
        model: str | None = None,
        speak: bool = True,
        play: bool = True,
        listen: bool = True,
        session_dir: Path | None = None,
    ) -> None:
        from trainer.paths import sessions_dir

        self.session_id = session_id
        self.session_dir = session_dir or sessions_dir() / session_id
        self.audio_dir = self.session_dir / "audio"
        self.model = model
        self.notices: list[str] = []
        self._recognizer: Any = None
        self._loading: threading.Thread | None = None
        self._load_error: VoiceUnavailable | None = None
        self._turn = 0
        self.engine: Any = None
        self.microphone: Any = None
        self.can_play = False
        if speak:
            try:
                from trainer.voice.tts import VoiceEngine

                self.engine = VoiceEngine(self.audio_dir)
                self.notices.extend(self.engine.notices)
            except VoiceUnavailable as exc:
                self.notices.append(str(exc))
        if play and self.engine is not None:
            from trainer.voice.playback import NO_SPEAKERS, playback_devices

            self.can_play = bool(playback_devices())
            if not self.can_play:
                self.notices.append(NO_SPEAKERS)
        if listen:
            try:
                from trainer.voice.microphone import Microphone

                self.microphone = Microphone()
            except VoiceUnavailable as exc:
                self.notices.append(str(exc))

    # -- speech recognition, loaded once in the background --------------------------------------

    def start_loading(self) -> threading.Thread:
        """Load the speech-recognition model in a background thread (call at the start of the call)."""
        if self._loading is None:
            self._loading = threading.Thread(target=self._load, name="trainer-asr-load", daemon=True)
            self._loading.start()
        return self._loading

    def _load(self) -> None:
        from trainer.voice.asr import Recognizer

        try:
            self._recognizer = Recognizer.shared(self.model, progress=False)
        except VoiceUnavailable as exc:
            self._load_error = exc
            self.notices.append(str(exc))

    def recognizer(self) -> Any:
        """The loaded recognizer (waits for the background load), or ``None`` when unavailable."""
        self.start_loading().join()
        return self._recognizer

    # -- the customer speaks --------------------------------------------------------------------

    def speak(self, text: str, persona: Any = None) -> Any:
        """Write the customer's line to the session's audio folder; ``None`` when TTS is off."""
        if self.engine is None:
            return None
        try:
            return self.engine.speak_line(text, persona)
        except VoiceUnavailable as exc:
            self.notices.append(str(exc))
            self.engine = None
            return None

    def play(self, line: Any) -> Any:
        """Start playing a spoken line (returns a ``Playback``), or ``None`` without speakers."""
        if line is None or not self.can_play:
            return None
        from trainer.voice.playback import play

        try:
            return play(line.path)
        except VoiceUnavailable as exc:
            self.notices.append(str(exc))
            self.can_play = False
            return None

    # -- the student speaks ---------------------------------------------------------------------

    def listen(self, push_to_talk: threading.Event | None = None) -> Any:
        """Record the student's turn (``Recording``), or ``None`` without a microphone."""
        if self.microphone is None:
            return None
        self._turn += 1
        out = self.audio_dir / f"eleve-{self._turn:03d}.wav"
        try:
            return self.microphone.record(out, push_to_talk=push_to_talk)
        except VoiceUnavailable as exc:
            self.notices.append(str(exc))
            self.microphone = None
            return None

    def transcribe_turn(self, wav_path: Path) -> SpokenTurn | None:
        """Recognise a student turn and measure it; ``None`` when no model is available."""
        recognizer = self.recognizer()
        if recognizer is None:
            return None
        result = recognizer.transcribe(wav_path)
        prosody = result.prosody()
        fields: dict[str, Any] = {}
        try:
            fields["audio"] = str(Path(wav_path).resolve().relative_to(self.session_dir.resolve()))
        except ValueError:
            fields["audio"] = str(wav_path)
        if result.confidence is not None:
            fields["asr_confidence"] = round(result.confidence, 3)
        fields.update(prosody.turn_fields())
        return SpokenTurn(result.text, fields, result, prosody)
