"""A whole spoken call with no microphone: ``trainer play --voice`` with ``/audio`` student lines.

The student's lines of the golden "good student" script are spoken by a natural voice (Pico or
MBROLA) into WAV files; the script says them with ``/audio``; the real ``trainer`` process
transcribes them with Whisper, the customer answers aloud, and the grid item ``poser_sa_voix`` is
judged from the measures. The same lines typed leave it ``null``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trainer.call.script import ScriptError, load_script, parse_script
from trainer.domain.transcript import load_transcript
from trainer.paths import sessions_dir
from trainer.voice.wer import corpus_wer

TRAINER = Path(sys.executable).with_name("trainer")
GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "scripts"
ORDER = "generik-commande-nouveau-client"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TRAINER), *args], capture_output=True, text=True, env=env or dict(os.environ), timeout=600,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from datetime import datetime

    from trainer.domain.common import PARIS
    from trainer.store import ensure_ready

    path = tmp_path_factory.mktemp("voice-call-db") / "trainer.db"
    store = ensure_ready(f"sqlite:///{path}", now=datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    store.dispose()
    return f"sqlite:///{path}"


def _good_lines() -> list[str]:
    lines = (GOLDEN / ORDER / "good.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith(("#", "/"))]


def _item(score: dict, item_id: str) -> dict:
    return next(item for item in score["items"] if item["id"] == item_id)


# -- the script action, no model needed ---------------------------------------------------------


def test_audio_lines_are_student_turns_relative_to_the_script(tmp_path: Path) -> None:
    (tmp_path / "voix").mkdir()
    (tmp_path / "voix" / "bonjour.wav").write_bytes(b"RIFF")
    script_file = tmp_path / "appel.txt"
    script_file.write_text("/decrocher 2\n/audio voix/bonjour.wav\nMerci, au revoir.\n", encoding="utf-8")
    script = load_script(script_file)
    assert [s.text for s in script.speeches] == ["/audio voix/bonjour.wav", "Merci, au revoir."]
    assert [s.audio for s in script.recordings] == [tmp_path / "voix" / "bonjour.wav"]
    assert script.rings == 2


def test_a_missing_recording_names_the_file_and_the_line(tmp_path: Path) -> None:
    with pytest.raises(ScriptError) as info:
        parse_script("GENERIK, Julie, bonjour !\n/audio absent.wav\n", "appel.txt", base_dir=tmp_path)
    assert "appel.txt, ligne 2" in str(info.value) and "absent.wav" in str(info.value)
    with pytest.raises(ScriptError, match="ligne 1.*fichier manquant"):
        parse_script("/audio\n", "appel.txt", base_dir=tmp_path)


def test_play_help_documents_the_audio_action() -> None:
    proc = _run("play", "--help")
    assert proc.returncode == 0
    assert "/audio FICHIER" in proc.stdout and "--voice" in proc.stdout


def test_audio_lines_need_voice_mode(tmp_path: Path, seeded_db: str) -> None:
    wav = tmp_path / "bonjour.wav"
    wav.write_bytes(b"RIFF")
    script = tmp_path / "appel.txt"
    script.write_text("/audio bonjour.wav\n", encoding="utf-8")
    proc = _run("play", ORDER, "--script", str(script), "--db", seeded_db)
    assert proc.returncode == 1, proc.stderr
    assert "ligne 1" in proc.stderr and "--voice" in proc.stderr and "Traceback" not in proc.stderr


def test_audio_lines_without_a_model_stop_before_the_call(tmp_path: Path, seeded_db: str) -> None:
    import numpy as np

    from trainer.voice.wavio import write_wav

    write_wav(tmp_path / "bonjour.wav", np.zeros(16000), 16000)
    script = tmp_path / "appel.txt"
    script.write_text("/audio bonjour.wav\n", encoding="utf-8")
    env = dict(os.environ, TRAINER_ASR_MODEL=str(tmp_path / "pas-de-modele"))
    before = set(sessions_dir().glob("*")) if sessions_dir().exists() else set()
    proc = _run("play", ORDER, "--script", str(script), "--voice", "--db", seeded_db, env=env)
    assert proc.returncode == 1, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "pas-de-modele" in lines[0] and "Traceback" not in proc.stderr
    after = set(sessions_dir().glob("*")) if sessions_dir().exists() else set()
    assert after == before, "no session was started"


# -- the whole spoken call ---------------------------------------------------------------------------


@pytest.mark.voice
@pytest.mark.slow
def test_whole_spoken_call_measures_the_students_voice(
    recognizer, natural_voices, voice_cache: Path, seeded_db: str, tmp_path: Path
) -> None:
    from trainer.voice.tts import VoiceEngine, VoiceHints

    lines = _good_lines()
    engine = VoiceEngine(tmp_path / "eleve")
    # The student (Julie) speaks at the phone's pace, with the best natural woman's voice here.
    student_voice = VoiceHints(gender="f", rate=125)
    script_lines = ["/decrocher 2"]
    for number, text in enumerate(lines, start=1):
        spoken = engine.speak_line(text, student_voice, out=tmp_path / "eleve" / f"replique-{number:02d}.wav")
        assert spoken.engine in ("pico", "mbrola")
        script_lines.append(f"/audio eleve/{spoken.path.name}")
    script = tmp_path / "appel-vocal.txt"
    script.write_text("\n".join(script_lines) + "\n", encoding="utf-8")

    env = dict(os.environ, TRAINER_CACHE_DIR=str(voice_cache))
    env.pop("TRAINER_ASR_MODEL", None)
    proc = _run("play", ORDER, "--script", str(script), "--voice", "--json", "--db", seeded_db, env=env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    folder = sessions_dir() / out["session_id"]
    transcript = load_transcript(Path(out["transcript"]))
    assert transcript.mode == "voice"
    students = [t for t in transcript.turns if t.speaker == "student"]
    customers = [t for t in transcript.turns if t.speaker == "customer"]
    assert len(students) >= 3 and customers
    # Both sides have their recordings in the session folder, and the student's turns their measures.
    for turn in customers + students:
        assert turn.audio, turn
        assert (folder / turn.audio).is_file(), turn.audio
    assert all(t.audio.startswith("audio/eleve-") for t in students)
    for turn in students:
        assert turn.text.strip()
        assert 0.0 < turn.asr_confidence <= 1.0
        assert -40.0 < turn.loudness_dbfs < 0.0
    rates = [t.words_per_minute for t in students if t.words_per_minute is not None]
    assert rates and all(70 < wpm < 220 for wpm in rates), rates
    # What Whisper heard is what the synthetic student said (brand names and phone numbers apart).
    heard = [(said, turn.text) for said, turn in zip(lines, students, strict=False)]
    wer = corpus_wer(heard)
    assert wer < 0.4, f"WER {wer:.0%}: " + " | ".join(h for _, h in heard)

    voice_item = _item(out["score"], "poser_sa_voix")
    assert voice_item["level"] is not None, voice_item
    # The evidence: the measures the level comes from (turns are listed only for a weak voice).
    (criterion,) = voice_item["criteria"]
    assert criterion["value"] is not None
    mean_wpm = sum(rates) / len(rates)
    assert f"débit moyen {mean_wpm:.0f} mots/min" in criterion["note"], criterion
    assert "dBFS" in criterion["note"] and "mots/min" in voice_item["comment"]
    student_indices = {i for i, t in enumerate(transcript.turns) if t.speaker == "student"}
    assert set(voice_item["turns"]) <= student_indices

    # The same lines typed: the voice cannot be judged.
    typed = tmp_path / "appel-ecrit.txt"
    typed.write_text("/decrocher 2\n" + "\n".join(lines) + "\n", encoding="utf-8")
    proc = _run("play", ORDER, "--script", str(typed), "--json", "--db", seeded_db)
    assert proc.returncode == 0, proc.stderr
    text_item = _item(json.loads(proc.stdout)["score"], "poser_sa_voix")
    assert text_item["level"] is None and "texte" in text_item["comment"]


def test_summary_tells_how_the_student_spoke() -> None:
    from trainer.commands.play import voice_lines
    from trainer.domain.transcript import Transcript

    turns = [
        {"speaker": "customer", "text": "Allô ?", "audio": "audio/client-001.wav"},
        {"speaker": "student", "text": "GENERIK, Julie, bonjour !", "audio": "audio/eleve-001.wav",
         "words_per_minute": 131.4, "loudness_dbfs": -18.2, "filler_words_per_minute": 0.0, "pause_before_s": 0.42},
        {"speaker": "student", "text": "Oui.", "audio": "audio/eleve-002.wav", "loudness_dbfs": -21.0},
    ]
    voice = Transcript.model_validate({"mode": "voice", "turns": turns})
    lines = voice_lines(voice)
    assert lines[0].startswith("Voix de l'élève")
    assert lines[1] == ("  tour 1 : 131 mots/min, 0 mot(s) parasite(s)/min, silence avant de parler 0,4 s, "
                        "volume −18 dBFS")
    assert lines[2] == "  tour 2 : volume −21 dBFS"
    assert voice_lines(Transcript.model_validate({"mode": "text", "turns": turns})) == []
