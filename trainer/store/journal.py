"""The session journal: one call, appended turn by turn to a JSON-lines file on disk.

Why a journal beside the database: the database write at the end of a call is one transaction, so
a crash or a killed process before the hang-up would lose the whole call. The journal is appended
and flushed to the disk (``fsync``) turn by turn, *before* the customer answers, so a killed
process loses at most the turn being typed; ``rebuild_transcript`` turns what survived back into a
transcript (CONTRACT §2).

Format (``trainer.journal/1``), one JSON object per line, UTF-8:

- first line ``{"type": "start", "schema": "trainer.journal/1", "session_id": …, "scenario": …,
  "student": …, "mode": …, "direction": …, "seed": …, "started_at": …}``;
- ``{"type": "meta", "fields": {…}}``: transcript header fields learnt during the call
  (``rings_before_pickup``...), merged in order;
- ``{"type": "turn", "index": i, "turn": {…}}``: one turn of CONTRACT §2 (``index`` is its place);
- ``{"type": "end", "ended_by": …, "outcome": {…}, "transcript_path": …}``: the call ended and its
  records were committed.

A last line cut in the middle of its writing (the process was killed) is ignored; a damaged line
elsewhere is refused with its line number.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trainer.domain.errors import unreadable
from trainer.domain.transcript import SCHEMA as TRANSCRIPT_SCHEMA
from trainer.domain.transcript import Transcript, Turn

JOURNAL_SCHEMA = "trainer.journal/1"
JOURNAL_NAME = "journal.jsonl"

# Header fields of the start line that become transcript fields as they are.
_HEADER_FIELDS = ("session_id", "scenario", "student", "mode", "direction", "started_at", "seed")


class JournalError(ValueError):
    """A journal that cannot be read; the message names the file and the line."""


# fdatasync flushes the data and the file size (all a reader needs) without the access times.
_sync = getattr(os, "fdatasync", os.fsync)


_syncer: ThreadPoolExecutor | None = None
_syncer_lock = threading.Lock()


def _background() -> ThreadPoolExecutor:
    """One thread per process that waits for the disk (fdatasync releases the GIL)."""
    global _syncer
    with _syncer_lock:
        if _syncer is None:
            _syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-sync")
        return _syncer


def _fsync_dir(path: Path) -> None:
    """Make a new directory entry durable (the file itself is fsynced separately)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # some platforms cannot open a directory: nothing more to do there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Journal:
    """An open journal file, append-only. Every ``append`` is on the disk when it returns (a
    non-durable turn: in the operating system's hands, on the disk with the next line)."""

    def __init__(self, path: Path, handle: Any) -> None:
        self.path = path
        self._handle = handle
        self.lines_written = 0
        self._unsynced = False
        self._syncing: Future | None = None

    @classmethod
    def create(cls, path: Path, header: dict[str, Any]) -> Journal:
        """Create the journal (it must not exist yet) and write its start line."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x": never overwrite the journal of another session.
        handle = open(path, "x", encoding="utf-8", newline="\n")  # noqa: SIM115 - kept open for the call
        journal = cls(path, handle)
        journal._write({"type": "start", "schema": JOURNAL_SCHEMA, **header})
        _fsync_dir(path.parent)
        return journal

    @classmethod
    def reopen(cls, path: Path) -> Journal:
        """Open an existing journal to append to it (after a recovery, for instance)."""
        handle = open(path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115
        return cls(path, handle)

    @property
    def closed(self) -> bool:
        """True once ``close`` was called."""
        return self._handle.closed

    def _write(self, obj: dict[str, Any], *, durable: bool = True, wait: bool = True) -> None:
        self.wait_durable()  # lines reach the disk in order
        line = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)
        # One write call per line, then flush (a killed process loses nothing flushed) and fsync
        # (nor does a crash of the machine): the line is on the disk when we return.
        self._handle.write(line + "\n")
        self._handle.flush()
        if durable and not wait:
            self._syncing = _background().submit(_sync, self._handle.fileno())
        elif durable:
            _sync(self._handle.fileno())
        self._unsynced = not durable
        self.lines_written += 1

    def wait_durable(self) -> None:
        """Return once a line appended with ``wait=False`` is on the disk (its error, if any, raised)."""
        syncing, self._syncing = self._syncing, None
        if syncing is not None:
            syncing.result()

    def append_turn(
        self, index: int, turn: Turn | dict[str, Any], *, durable: bool = True, wait: bool = True
    ) -> None:
        """Append one turn (CONTRACT §2 shape) at place ``index``.

        ``durable=False`` (the customer's lines: the same seed and student lines give them again)
        flushes the line to the operating system without waiting for the disk: it survives a killed
        process, and reaches the disk with the next durable line or at ``close``. ``wait=False``
        returns at once while a background thread waits for the disk: the caller works meanwhile
        and calls ``wait_durable`` before anything that must follow the line (the next append does).
        """
        data = turn.model_dump(mode="json", exclude_none=True) if isinstance(turn, Turn) else turn
        self._write({"type": "turn", "index": index, "turn": data}, durable=durable, wait=wait)

    def append_meta(self, **fields: Any) -> None:
        """Record transcript header fields learnt during the call (``rings_before_pickup``...)."""
        self._write({"type": "meta", "fields": fields})

    def append_end(self, *, ended_by: str | None, outcome: dict[str, Any], transcript_path: str | None) -> None:
        """Record that the call ended and what it produced (written after the database commit)."""
        self._write({"type": "end", "ended_by": ended_by, "outcome": outcome, "transcript_path": transcript_path})

    def close(self) -> None:
        """Close the file (idempotent), every line on the disk."""
        if not self._handle.closed:
            self.wait_durable()
            if self._unsynced:
                self._handle.flush()
                _sync(self._handle.fileno())
            self._handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class JournalContents:
    """What a journal holds, read back."""

    path: Path
    header: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)
    turns: list[dict[str, Any]] = field(default_factory=list)
    end: dict[str, Any] | None = None
    truncated_tail: bool = False

    @property
    def finished(self) -> bool:
        """True when the call reached its end (records committed)."""
        return self.end is not None


def _iter_lines(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, is_last) of each non-empty line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise JournalError(unreadable(path, exc)) from None
    # A kill may cut a multi-byte character at the very end: decode per line, tolerate the tail.
    chunks = raw.split(b"\n")
    # Drop trailing empty chunks (the file normally ends with a newline).
    while chunks and chunks[-1] == b"":
        chunks.pop()
    last = len(chunks)
    for number, chunk in enumerate(chunks, start=1):
        if not chunk.strip():
            continue
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            text = "\ufffd"  # forces a parse error below, handled like any damaged line
        yield number, text, number == last


def read_journal(path: Path) -> JournalContents:
    """Read a journal back; a damaged last line (killed while writing) is skipped."""
    path = Path(path)
    contents: JournalContents | None = None
    for number, text, is_last in _iter_lines(path):
        try:
            obj = json.loads(text)
            if not isinstance(obj, dict) or "type" not in obj:
                raise ValueError("objet avec un champ « type » attendu")
        except ValueError as exc:
            if is_last and contents is not None:
                contents.truncated_tail = True
                break
            raise JournalError(f"{path}, ligne {number} : ligne de journal illisible ({exc}).") from None
        kind = obj["type"]
        if contents is None:
            if kind != "start":
                raise JournalError(f"{path}, ligne {number} : le journal doit commencer par une ligne « start ».")
            if obj.get("schema") != JOURNAL_SCHEMA:
                raise JournalError(
                    f"{path}, ligne {number}, champ schema : « {JOURNAL_SCHEMA} » attendu, "
                    f"« {obj.get('schema')} » trouvé."
                )
            contents = JournalContents(path=path, header=obj)
            continue
        if kind == "turn":
            index = obj.get("index")
            turn = obj.get("turn")
            if not isinstance(index, int) or not isinstance(turn, dict):
                raise JournalError(f"{path}, ligne {number} : tour sans « index » entier ou sans « turn ».")
            if index != len(contents.turns):
                raise JournalError(
                    f"{path}, ligne {number}, champ index : tour {len(contents.turns)} attendu, {index} trouvé."
                )
            contents.turns.append(turn)
        elif kind == "meta":
            fields = obj.get("fields")
            if not isinstance(fields, dict):
                raise JournalError(f"{path}, ligne {number}, champ fields : objet attendu.")
            contents.meta.update(fields)
        elif kind == "end":
            contents.end = obj
        else:
            raise JournalError(f"{path}, ligne {number}, champ type : « {kind} » inconnu.")
    if contents is None:
        raise JournalError(f"{path} : journal vide (aucune ligne « start »).")
    return contents


def transcript_from_contents(contents: JournalContents) -> Transcript:
    """Build the transcript (CONTRACT §2) from a journal read back."""
    data: dict[str, Any] = {"schema": TRANSCRIPT_SCHEMA}
    for name in _HEADER_FIELDS:
        if contents.header.get(name) is not None:
            data[name] = contents.header[name]
    data.update({k: v for k, v in contents.meta.items() if v is not None})
    data["turns"] = contents.turns
    if contents.end is not None:
        if contents.end.get("ended_by"):
            data["ended_by"] = contents.end["ended_by"]
        data["outcome"] = contents.end.get("outcome") or {}
    else:
        data["outcome"] = {}
        # Extra field (allowed by CONTRACT §2): the call did not reach its end.
        data["interrupted"] = True
    try:
        return Transcript.model_validate(data)
    except ValueError as exc:
        raise JournalError(f"{contents.path} : journal incohérent ({exc}).") from None


def rebuild_transcript(journal_path: Path) -> Transcript:
    """Rebuild a call's transcript from its journal, whether the call ended or was interrupted."""
    return transcript_from_contents(read_journal(Path(journal_path)))


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
