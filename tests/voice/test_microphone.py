"""Capture: end of speech on silence, push-to-talk, the silence before answering kept in the file.

The capture logic runs on a real SpeechRecognition audio source reading a real recording, the same
code path as with a microphone; only the device differs.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from trainer.voice.errors import VoiceUnavailable
from trainer.voice.microphone import NO_MICROPHONE, Microphone, capture_devices
from trainer.voice.prosody import measure_prosody
from trainer.voice.wavio import read_wav, write_wav

sr = pytest.importorskip("speech_recognition")


@pytest.fixture
def call_audio(shared_dir: Path, tmp_path: Path) -> tuple[Path, float, float]:
    """1.5 s of room noise, a real sentence, 3 s of room noise, another sentence: what a mic hears."""
    wav = shared_dir / "voice-samples" / "voxforge" / "fr-sb-503.wav"
    if not wav.exists():
        pytest.skip(f"{wav} missing")
    speech, rate = read_wav(wav)
    rng = np.random.default_rng(0)
    # The room's noise at the level of the recording's own quiet parts (its first 0.3 s).
    floor = float(np.sqrt(np.mean(speech[: int(0.3 * rate)] ** 2)))

    def room(seconds: float) -> np.ndarray:
        return rng.normal(0, floor, int(seconds * rate))

    signal = np.concatenate([room(1.5), speech, room(3.0), speech, room(1.0)])
    path = write_wav(tmp_path / "micro.wav", signal, rate)
    return path, 1.5, len(speech) / rate


def test_end_of_speech_on_silence_keeps_the_pause_before(call_audio, tmp_path: Path) -> None:
    path, lead, speech_s = call_audio
    mic = Microphone(sr.AudioFile(str(path)), pause_s=0.8, calibrate_s=0.5)
    rec = mic.record(tmp_path / "eleve-001.wav", timeout_s=10)
    assert rec.speech_detected
    # The turn stops after the first sentence and its pause, before the second sentence.
    assert lead + speech_s < rec.duration_s < lead + speech_s + 3.0
    samples, rate = read_wav(rec.path)
    assert rate == rec.sample_rate
    p = measure_prosody(samples, rate, "les yeux dans les yeux les clients les interrogent sur le temps")
    # The recording starts when listening starts: the silence before answering is measurable.
    assert p.pause_before_s == pytest.approx(lead + 0.4, abs=0.6)


def test_nothing_said_times_out(tmp_path: Path) -> None:
    quiet = write_wav(tmp_path / "quiet.wav", np.random.default_rng(1).normal(0, 0.002, 16000 * 6), 16000)
    mic = Microphone(sr.AudioFile(str(quiet)), calibrate_s=0.5)
    rec = mic.record(tmp_path / "eleve.wav", timeout_s=2.0)
    assert not rec.speech_detected
    assert rec.path.exists()


def test_push_to_talk_keeps_everything_until_release(call_audio, tmp_path: Path) -> None:
    path, lead, speech_s = call_audio
    released = threading.Event()
    mic = Microphone(sr.AudioFile(str(path)))
    rec = mic.record(tmp_path / "ptt.wav", push_to_talk=released, max_s=60)
    # Never released: the whole recording (both sentences) is the turn.
    assert rec.duration_s == pytest.approx(lead + 2 * speech_s + 4.0, abs=0.1)
    assert rec.speech_detected
    released.set()
    rec = mic.record(tmp_path / "ptt2.wav", push_to_talk=released)
    assert rec.duration_s == 0.0 and not rec.speech_detected


def test_no_microphone_is_one_french_sentence() -> None:
    if capture_devices():
        pytest.skip("this machine has a capture device")
    with pytest.raises(VoiceUnavailable) as info:
        Microphone()
    assert str(info.value) == NO_MICROPHONE
    assert info.value.part == "microphone"


def test_talk_key_ends_on_silence_or_on_a_second_press(call_audio, tmp_path: Path) -> None:
    """The call desk's F5: the turn ends when the student stops talking, or sooner on F5 again."""
    path, lead, speech_s = call_audio
    pressed_again = threading.Event()
    mic = Microphone(sr.AudioFile(str(path)), pause_s=0.8, calibrate_s=0.5)
    rec = mic.record(tmp_path / "f5.wav", push_to_talk=pressed_again, until_silence=True)
    assert rec.speech_detected
    assert lead + speech_s < rec.duration_s < lead + speech_s + 3.0
    pressed_again.set()  # pressed again before saying anything: an empty turn, no speech
    rec = mic.record(tmp_path / "f5-bis.wav", push_to_talk=pressed_again, until_silence=True)
    assert rec.duration_s < 0.1 and not rec.speech_detected


def test_a_recording_played_as_the_microphone(call_audio, tmp_path: Path) -> None:
    from trainer.voice.microphone import RecordingSource

    path, lead, speech_s = call_audio
    heard, rate = read_wav(path)
    first = measure_prosody(heard[: int((lead + speech_s) * rate)], rate, "")
    voice_ends = first.pause_before_s + first.speech_s  # the end of the voice in the first sentence
    mic = Microphone(RecordingSource(path, real_time=False), pause_s=0.8, calibrate_s=0.5)
    for turn in ("eleve-001.wav", "eleve-002.wav"):  # each turn hears the recording from its start
        rec = mic.record(tmp_path / turn)
        assert rec.speech_detected
        # The turn keeps the whole first sentence and stops on the pause after it.
        assert voice_ends + 0.5 < rec.duration_s < lead + speech_s + 3.0
        samples, _ = read_wav(rec.path)
        kept = measure_prosody(samples, rate, "")
        assert kept.pause_before_s + kept.speech_s == pytest.approx(voice_ends, abs=0.1)


def test_the_arecord_source_is_a_speech_recognition_source() -> None:
    """SpeechRecognition's AudioSource is no ABC: the arecord source (system microphone) must still pass."""
    from trainer.voice.microphone import ArecordSource, _as_audio_source

    source = _as_audio_source(ArecordSource(device="hw:9"))
    assert isinstance(source, sr.AudioSource) and isinstance(source, ArecordSource)
    assert source.device == "hw:9" and source.SAMPLE_RATE == 16000
    assert type(_as_audio_source(ArecordSource())) is type(source)
