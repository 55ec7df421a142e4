"""Voice mode: the customer speaks, the student may answer aloud, and the voice is measured.

Light on import (stdlib only here): the engines, numpy users and faster-whisper load on first use.

- ``trainer.voice.session.VoiceSession``: one call's voice (speak, play, listen, transcribe), with
  French notices instead of errors when a part is missing.
- ``trainer.voice.tts``: ``VoiceEngine.speak_line(text, persona) -> SpokenLine``, ``discover_voices``,
  ``choose_voice``.
- ``trainer.voice.asr``: ``Recognizer.shared(model)`` loaded once, ``.transcribe(wav) -> Transcription``.
- ``trainer.voice.prosody``: ``measure_prosody(samples, rate, text, words) -> Prosody`` (pure).
- ``trainer.voice.microphone``: ``Microphone.record(out, push_to_talk=event)``.
- ``trainer.voice.wer``: ``word_error_rate`` with French normalisation.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "VoiceSession": "trainer.voice.session",
    "SpokenTurn": "trainer.voice.session",
    "VoiceEngine": "trainer.voice.tts",
    "SpokenLine": "trainer.voice.tts",
    "VoiceHints": "trainer.voice.tts",
    "discover_voices": "trainer.voice.tts",
    "choose_voice": "trainer.voice.tts",
    "Recognizer": "trainer.voice.asr",
    "Transcription": "trainer.voice.asr",
    "measure_prosody": "trainer.voice.prosody",
    "Prosody": "trainer.voice.prosody",
    "Microphone": "trainer.voice.microphone",
    "word_error_rate": "trainer.voice.wer",
    "VoiceUnavailable": "trainer.voice.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'trainer.voice' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
