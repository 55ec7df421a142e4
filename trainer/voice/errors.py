"""The one error of the voice layer: something the machine lacks (device, engine, model)."""

from __future__ import annotations

from trainer.errors import SetupError


class VoiceUnavailable(SetupError):
    """A microphone, a sound output, a speech engine or a model is missing.

    The message is one French sentence a student can read; the call goes on in text. ``part``
    says what is missing (``"microphone"``, ``"playback"``, ``"tts"``, ``"asr"``) so that a front end
    can switch off only that part.
    """

    def __init__(self, message: str, *, part: str) -> None:
        super().__init__(message)
        self.part = part
