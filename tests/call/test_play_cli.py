"""``trainer play`` and ``trainer recover`` as a user runs them: real processes, real database.

Each ``trainer`` process loads the NLU, the scenarios and the scoring tables (a few seconds on a
busy 2-core machine), so these tests are marked ``slow``; the same behaviours are covered in
process by ``test_session.py`` and ``test_journal.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from trainer.domain.transcript import load_transcript
from trainer.paths import sessions_dir
from trainer.store import open_store
from trainer.store import repositories as repo
from trainer.store.journal import JOURNAL_NAME, rebuild_transcript
from trainer.store.tables import CallSessionRow

TRAINER = Path(sys.executable).with_name("trainer")
SCRIPTS = Path(__file__).resolve().parent.parent / "golden" / "scripts"
ORDER = "generik-commande-nouveau-client"
pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(TRAINER), *args], capture_output=True, text=True, env=dict(os.environ), timeout=180,
        stdin=subprocess.DEVNULL,
    )


def counts(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        with store.read() as db:
            return repo.count_rows(db)
    finally:
        store.dispose()


def one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def test_play_prints_the_contract_json_and_a_french_summary(sqlite_seeded: str, tmp_path: Path) -> None:
    script = tmp_path / "eleve.txt"
    script.write_text(
        (SCRIPTS / ORDER / "good.txt").read_text(encoding="utf-8") + "\nUne ligne de trop après la fin.\n",
        encoding="utf-8",
    )
    proc = run("play", ORDER, "--script", str(script), "--json", "--db", sqlite_seeded, "--student", "Alice",
               "--now", "2026-11-23T10:00:00+01:00")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert list(data) == ["scenario", "session_id", "ended_by", "turns", "transcript", "records", "score"]
    assert data["scenario"] == ORDER and data["ended_by"] == "customer"
    transcript = load_transcript(Path(data["transcript"]))
    assert data["turns"] == len(transcript.turns)
    assert transcript.student == "Alice" and transcript.started_at.isoformat() == "2026-11-23T10:00:00+01:00"
    assert [r["kind"] for r in data["records"]].count("order") == 1
    assert "réplique(s) ignorée(s)" in proc.stderr and "Une ligne de trop" in proc.stderr

    human = run("play", ORDER, "--script", str(script), "--db", sqlite_seeded)
    assert human.returncode == 0, human.stderr
    for words in ("Scénario : generik-commande-nouveau-client", "Fin de l'appel : le client a raccroché",
                  "réplique(s) ignorée(s)", "Commande CMD-", "Transcription : "):
        assert words in human.stdout, human.stdout


def test_bad_inputs_exit_1_with_one_line_and_write_nothing(sqlite_seeded: str, tmp_path: Path) -> None:
    before = counts(sqlite_seeded)
    good = tmp_path / "ok.txt"
    good.write_text("GENERIK, Julie, bonjour !\n", encoding="utf-8")
    one_line_error(run("play", "generik-inexistant", "--script", str(good), "--db", sqlite_seeded),
                   "generik-inexistant", "inconnu")
    bad = tmp_path / "faux.txt"
    bad.write_text("GENERIK, Julie, bonjour !\n/ligne GNK-CCS-100 6.4 vingt\n", encoding="utf-8")
    one_line_error(run("play", ORDER, "--script", str(bad), "--db", sqlite_seeded),
                   "faux.txt, ligne 2", "quantite", "vingt")
    unknown = tmp_path / "inconnu.txt"
    unknown.write_text("Bonjour\n/ligne GNK-CCS-100 6.9 12\n", encoding="utf-8")
    one_line_error(run("play", ORDER, "--script", str(unknown), "--db", sqlite_seeded), "inconnu.txt, ligne 2", "6.9")
    one_line_error(run("play", ORDER, "--script", str(tmp_path / "absent.txt"), "--db", sqlite_seeded),
                   "absent.txt", "fichier introuvable")
    empty = tmp_path / "vide.txt"
    empty.write_text("# rien\n\n/decrocher 2\n", encoding="utf-8")
    one_line_error(run("play", ORDER, "--script", str(empty), "--db", sqlite_seeded), "vide.txt", "aucune réplique")
    assert counts(sqlite_seeded) == before
    assert not list(sessions_dir().glob(f"*/{JOURNAL_NAME}"))


KILLED = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from trainer.call.clock import SimulatedClock
    from trainer.call.session import CallSession
    from trainer.domain.common import PARIS
    clock = SimulatedClock(datetime(2026, 11, 23, 10, 0, tzinfo=PARIS))
    session = CallSession.start("generik-commande-nouveau-client", db_url=sys.argv[1], student="bob",
                                clock=clock, session_id=sys.argv[2])
    session.ring(); session.ring(); session.pick_up()
    session.student_says("GENERIK, Julie, bonjour !")
    session.student_says("Pourriez-vous me rappeler votre nom et le nom de votre salon ?")
    session.erp_action("ligne", {"reference": "GNK-SHA-1000", "quantite": 1})
    print(len(session.turns), flush=True)
    time.sleep(120)
    """
)


def test_a_killed_call_is_rebuilt_and_marked_abandoned(sqlite_seeded: str) -> None:
    sid = str(uuid.uuid4())
    proc = subprocess.Popen([sys.executable, "-c", KILLED, sqlite_seeded, sid], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        assert line.isdigit(), proc.stderr.read() if proc.stderr else line
        turns_before_kill = int(line)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    journal = sessions_dir() / sid / JOURNAL_NAME
    rebuilt = rebuild_transcript(journal)
    assert len(rebuilt.turns) == turns_before_kill  # nothing lost
    assert rebuilt.turns[3].text == "GENERIK, Julie, bonjour !"
    assert rebuilt.turns[-1].event == "action" and rebuilt.model_extra["interrupted"] is True

    store = open_store(sqlite_seeded)
    try:
        with store.read() as db:
            assert db.scalar(select(CallSessionRow.status).where(CallSessionRow.id == uuid.UUID(sid))) == "live"
    finally:
        store.dispose()

    listing = run("recover", "--db", sqlite_seeded)
    assert listing.returncode == 0 and str(journal) in listing.stdout
    done = run("recover", str(journal), "--db", sqlite_seeded, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["database"] == "abandoned" and report["turns"] == turns_before_kill
    recovered = load_transcript(Path(report["transcript"]))
    assert recovered.to_json() == rebuilt.to_json()
    store = open_store(sqlite_seeded)
    try:
        with store.read() as db:
            row = db.scalars(select(CallSessionRow).where(CallSessionRow.id == uuid.UUID(sid))).one()
            assert row.status == "abandoned" and json.loads(row.transcript_json)["turns"][3]["text"].startswith("GENERIK")
    finally:
        store.dispose()
    one_line_error(run("recover", str(journal.parent / "absent.jsonl")), "absent.jsonl")
