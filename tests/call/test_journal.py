"""The session journal on disk: appended turn by turn, readable after a kill, rebuilt as a transcript."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from trainer.domain.transcript import Turn
from trainer.store.journal import Journal, JournalError, read_journal, rebuild_transcript, write_atomically

HEADER = {
    "session_id": "s-1",
    "scenario": "generik-commande-nouveau-client",
    "student": "alice",
    "mode": "text",
    "direction": "incoming",
    "seed": 7,
    "started_at": "2026-11-23T10:00:00+01:00",
}


def test_turns_are_read_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, HEADER) as journal:
        journal.append_meta(rings_before_pickup=2)
        journal.append_turn(0, Turn(speaker="system", text="Le téléphone sonne.", t=0.0, event="ring"))
        journal.append_turn(1, Turn(speaker="student", text="GENERIK, Julie, bonjour ! 😀", t=6.0))
        journal.append_end(ended_by="customer", outcome={"records": []}, transcript_path=None)
    contents = read_journal(path)
    assert contents.finished and not contents.truncated_tail
    transcript = rebuild_transcript(path)
    assert transcript.session_id == "s-1" and transcript.rings_before_pickup == 2
    assert [t.text for t in transcript.turns] == ["Le téléphone sonne.", "GENERIK, Julie, bonjour ! 😀"]
    assert transcript.ended_by == "customer"
    assert transcript.outcome == {"records": []}


def test_create_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal.create(path, HEADER).close()
    with pytest.raises(FileExistsError):
        Journal.create(path, HEADER)


def test_cut_last_line_is_ignored_but_damage_elsewhere_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, HEADER) as journal:
        journal.append_turn(0, Turn(speaker="student", text="Bonjour", t=3.0))
    with open(path, "ab") as handle:  # a kill in the middle of a line, even of a UTF-8 character
        handle.write('{"type":"turn","index":1,"turn":{"speaker":"customer","text":"Déj'.encode()[:-1])
    contents = read_journal(path)
    assert contents.truncated_tail and len(contents.turns) == 1
    transcript = rebuild_transcript(path)
    assert transcript.model_extra.get("interrupted") is True
    # The same damage followed by a good line is not a kill: refuse with the line number.
    with open(path, "ab") as handle:
        handle.write(b"\n" + json.dumps({"type": "meta", "fields": {}}).encode() + b"\n")
    with pytest.raises(JournalError, match=r"journal.jsonl, ligne 3 : ligne de journal illisible"):
        read_journal(path)


def test_bad_journals_are_named(tmp_path: Path) -> None:
    empty = tmp_path / "vide.jsonl"
    empty.write_text("")
    with pytest.raises(JournalError, match="journal vide"):
        read_journal(empty)
    other = tmp_path / "autre.jsonl"
    other.write_text('{"type": "start", "schema": "autre/9"}\n')
    with pytest.raises(JournalError, match="champ schema"):
        read_journal(other)
    gap = tmp_path / "trou.jsonl"
    gap.write_text(
        json.dumps({"type": "start", "schema": "trainer.journal/1"}) + "\n"
        + json.dumps({"type": "turn", "index": 1, "turn": {"speaker": "student", "text": "x"}}) + "\n"
    )
    with pytest.raises(JournalError, match="ligne 2, champ index : tour 0 attendu, 1 trouvé"):
        read_journal(gap)
    with pytest.raises(JournalError, match="absent.jsonl : fichier introuvable"):
        read_journal(tmp_path / "absent.jsonl")


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "transcript.json"
    write_atomically(target, "{}\n")
    write_atomically(target, '{"a": 1}\n')
    assert target.read_text() == '{"a": 1}\n'
    assert [p.name for p in target.parent.iterdir()] == ["transcript.json"]


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from trainer.domain.transcript import Turn
    from trainer.store.journal import Journal
    journal = Journal.create(Path(sys.argv[1]), {"session_id": "k", "started_at": "2026-11-23T10:00:00+01:00"})
    for i in range(5):
        journal.append_turn(i, Turn(speaker="student" if i % 2 else "customer", text=f"réplique {i}", t=float(i)))
    print("ready", flush=True)
    time.sleep(60)
    """
)


def test_a_killed_writer_loses_nothing_already_appended(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    transcript = rebuild_transcript(path)
    assert [t.text for t in transcript.turns] == [f"réplique {i}" for i in range(5)]


def test_a_line_synced_in_the_background_is_waited_for_in_order(tmp_path: Path, monkeypatch) -> None:
    import trainer.store.journal as journal_mod

    synced: list[int] = []
    real = journal_mod._sync
    monkeypatch.setattr(journal_mod, "_sync", lambda fd: (real(fd), synced.append(fd)))
    path = tmp_path / "journal.jsonl"
    journal = Journal.create(path, HEADER)
    before = len(synced)
    journal.append_turn(0, Turn(speaker="student", text="Bonjour", t=0.0), wait=False)
    # Flushed at once: a reader (or a process killed now) already has the line.
    assert [t["text"] for t in read_journal(path).turns] == ["Bonjour"]
    journal.wait_durable()
    assert len(synced) == before + 1
    journal.append_turn(1, Turn(speaker="customer", text="Bonjour !", t=1.0), durable=False)
    assert len(synced) == before + 1, "a customer's line waits for the next durable one"
    journal.close()
    assert len(synced) == before + 2, "closing puts the last lines on the disk"
    assert [t["text"] for t in read_journal(path).turns] == ["Bonjour", "Bonjour !"]


def test_a_failed_background_sync_is_raised_before_anything_follows(tmp_path: Path, monkeypatch) -> None:
    import trainer.store.journal as journal_mod

    journal = Journal.create(tmp_path / "journal.jsonl", HEADER)

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal_mod, "_sync", broken)
    journal.append_turn(0, Turn(speaker="student", text="Bonjour", t=0.0), wait=False)
    with pytest.raises(OSError, match="No space"):
        journal.wait_durable()
    monkeypatch.undo()
    journal.close()
