"""Recovering an interrupted call from its journal (``trainer recover``).

A call whose process died (killed, power cut, closed terminal) left a journal without an end line and
a session row still ``live`` in the database. Recovery rebuilds the transcript from the journal
(CONTRACT §2, with ``interrupted: true``), writes it atomically beside the journal, and when the
database can be reached marks the session ``abandoned`` with that transcript and every turn.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from trainer.call import live
from trainer.domain.common import PARIS
from trainer.errors import UserError
from trainer.paths import sessions_dir
from trainer.store.journal import (
    JOURNAL_NAME,
    JournalError,
    read_journal,
    transcript_from_contents,
    write_atomically,
)

RECOVERED_NAME = "transcript.json"


@dataclass
class RecoveryOutcome:
    """What ``recover_journal`` did."""

    journal: Path
    transcript_path: Path
    session_id: str | None
    turns: int
    finished: bool
    truncated_tail: bool
    database: str | None = None  # "abandoned", "finished", "absent", "unreachable"...
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """JSON form for ``trainer recover --json``."""
        return {
            "journal": str(self.journal),
            "transcript": str(self.transcript_path),
            "session_id": self.session_id,
            "turns": self.turns,
            "finished": self.finished,
            "truncated_tail": self.truncated_tail,
            "database": self.database,
            "notes": self.notes,
        }

    def describe(self) -> str:
        """French summary for the terminal."""
        state = "terminé normalement" if self.finished else "interrompu"
        lines = [
            f"Journal : {self.journal} (appel {state}, {self.turns} tours)",
            f"Transcription : {self.transcript_path}",
        ]
        if self.truncated_tail:
            lines.append("Dernière ligne du journal coupée par l'arrêt : ignorée (le tour en cours de saisie).")
        if self.database:
            lines.append(f"Base : {_DB_WORDS.get(self.database, self.database)}")
        lines.extend(self.notes)
        return "\n".join(lines)


_DB_WORDS = {
    "abandoned": "session marquée « abandonnée » avec sa transcription",
    "finished": "session déjà enregistrée (rien à faire)",
    "already_abandoned": "session déjà marquée « abandonnée » (transcription mise à jour)",
    "absent": "session inconnue de cette base",
    "unreachable": "base injoignable : seule la transcription a été reconstruite",
}


def list_unfinished(root: Path | None = None) -> list[Path]:
    """Journals under the sessions folder whose call never reached its end line."""
    base = root or sessions_dir()
    found = []
    for path in sorted(base.glob(f"*/{JOURNAL_NAME}")):
        try:
            if not read_journal(path).finished:
                found.append(path)
        except JournalError:
            found.append(path)
    return found


def recover_journal(journal: Path, *, out: Path | None = None, db_url: str | None = None) -> RecoveryOutcome:
    """Rebuild the transcript of ``journal`` and close its session in the database (best effort)."""
    path = Path(journal)
    if path.is_dir():
        path = path / JOURNAL_NAME
    try:
        contents = read_journal(path)
        transcript = transcript_from_contents(contents)
    except JournalError as exc:
        raise UserError(str(exc)) from None
    target = out or path.parent / RECOVERED_NAME
    if contents.finished and out is None and target.exists():
        written = target  # the call ended normally: its transcript is already there
    else:
        write_atomically(target, transcript.to_json())
        written = target
    outcome = RecoveryOutcome(
        journal=path,
        transcript_path=written,
        session_id=transcript.session_id,
        turns=len(transcript.turns),
        finished=contents.finished,
        truncated_tail=contents.truncated_tail,
    )
    if transcript.session_id:
        outcome.database = _close_in_database(transcript, written, db_url, outcome.notes)
    return outcome


def _close_in_database(transcript: Any, path: Path, db_url: str | None, notes: list[str]) -> str:
    from trainer.store import open_store

    try:
        sid = uuid.UUID(transcript.session_id)
    except ValueError:
        notes.append(f"Identifiant de session « {transcript.session_id} » invalide : base non modifiée.")
        return "absent"
    try:
        store = open_store(db_url)
    except UserError as exc:
        notes.append(str(exc))
        return "unreachable"
    turns = [t.model_dump(mode="json", exclude_none=True) for t in transcript.turns]
    now = datetime.now(PARIS)

    def work(db: Any) -> str:
        status = live.session_status(db, session_id=sid)
        if status is None:
            return "absent"
        if status == "finished":
            return "finished"
        live.sync_live_turns(db, session_id=sid, turns=turns, now=now)
        live.finish_live_session(
            db,
            session_id=sid,
            status="abandoned",
            ended_at=now,
            ended_by=transcript.ended_by,
            transcript_json=transcript.to_json(),
            transcript_path=str(path),
            score=None,
        )
        return "abandoned" if status == "live" else "already_abandoned"

    try:
        return store.run(work)
    except UserError as exc:
        notes.append(str(exc))
        return "unreachable"
    finally:
        store.dispose()
