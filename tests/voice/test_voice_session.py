"""A call's voice on a machine without microphone nor speakers: notices, never a crash."""

from __future__ import annotations

import pytest

from trainer.voice.microphone import NO_MICROPHONE, capture_devices
from trainer.voice.playback import NO_SPEAKERS, playback_devices
from trainer.voice.session import VoiceSession


def test_missing_devices_are_french_notices_and_the_call_goes_on() -> None:
    if capture_devices() or playback_devices():
        pytest.skip("this machine has a sound device")
    voice = VoiceSession("appel-1")
    assert NO_MICROPHONE in voice.notices and NO_SPEAKERS in voice.notices
    assert all(n.endswith(".") for n in voice.notices)
    assert voice.listen() is None
    line = voice.speak("Bonjour, je voudrais passer une commande.", {"id": "cliente", "voice": {"gender": "f"}})
    assert line is not None and line.path.parent == voice.audio_dir and line.path.exists()
    assert voice.play(line) is None  # no speakers: the line is shown as text instead


@pytest.mark.voice
def test_student_turn_fields_for_the_transcript(recognizer, voxforge) -> None:
    import shutil

    voice = VoiceSession("appel-2", speak=False, play=False, listen=False)
    voice.audio_dir.mkdir(parents=True, exist_ok=True)
    wav, reference = voxforge[2]
    turn_wav = shutil.copy(wav, voice.audio_dir / "eleve-001.wav")
    turn = voice.transcribe_turn(turn_wav)
    assert turn is not None and turn.text
    assert turn.fields["audio"] == "audio/eleve-001.wav"
    assert {"asr_confidence", "words_per_minute", "loudness_dbfs", "filler_words_per_minute"} <= set(turn.fields)
    # The fields fit the transcript model (CONTRACT §2).
    from trainer.domain.transcript import Turn

    parsed = Turn(speaker="student", text=turn.text, **turn.fields)
    assert parsed.words_per_minute == turn.fields["words_per_minute"]
