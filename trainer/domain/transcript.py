"""The transcript of one call (CONTRACT §2, schema ``trainer.transcript/1``).

Pure data: the call session writes it, ``trainer score`` reads it, the TUI shows it. Only ``turns``
is required on input; unknown fields are kept (outside tools may add their own).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

SCHEMA = "trainer.transcript/1"

Speaker = Literal["student", "customer", "system"]
Direction = Literal["incoming", "outgoing"]
SystemEvent = Literal["ring", "pickup", "hangup", "hold", "action", "notice"]


class Turn(BaseModel):
    """One line of the call, by the student, the customer, or a stage direction (``system``)."""

    model_config = ConfigDict(extra="allow")

    speaker: Speaker
    text: str
    t: float | None = Field(default=None, description="Seconds since the phone started ringing.")
    # Optional, written by the trainer (additions allowed by CONTRACT §2):
    event: SystemEvent | None = Field(
        default=None, description="For system turns: what happened (ring, pickup, hangup, action...)."
    )
    by: Literal["student", "customer"] | None = Field(
        default=None, description="For a hangup event: who hung up."
    )
    action: dict[str, Any] | None = Field(
        default=None, description="For an ERP action event: its name and arguments."
    )
    mood: float | None = Field(default=None, description="Customer mood after this turn, -1..1.")
    intents: list[str] | None = Field(default=None, description="Intents understood in a student turn.")
    # Voice mode (CONTRACT §2):
    audio: str | None = None
    asr_confidence: float | None = None
    words_per_minute: float | None = None
    loudness_dbfs: float | None = None


class Transcript(BaseModel):
    """A whole call. ``turns`` indices are what scoring evidence points at (0-based)."""

    model_config = ConfigDict(extra="allow")

    schema_: str = Field(default=SCHEMA, alias="schema")
    session_id: str | None = None
    scenario: str | None = None
    student: str | None = None
    mode: Literal["text", "voice"] = "text"
    direction: Direction | None = None
    rings_before_pickup: int | None = Field(default=None, ge=0)
    started_at: datetime | None = None
    ended_by: Literal["student", "customer"] | None = None
    seed: int | None = None
    turns: list[Turn]
    outcome: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> str:
        """Serialise as the trainer writes it: UTF-8 JSON, schema first, no nulls."""
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    def student_turns(self) -> list[tuple[int, Turn]]:
        """(index, turn) of every student turn, in order."""
        return [(i, t) for i, t in enumerate(self.turns) if t.speaker == "student"]


class TranscriptError(ValueError):
    """A transcript file that cannot be read; the message names the file and the field."""


def _describe_location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(racine)"


def parse_transcript(text: str, source: str = "<transcript>") -> Transcript:
    """Parse transcript JSON text; raise ``TranscriptError`` with file, line or field on bad input."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(
            f"{source}, ligne {exc.lineno}, colonne {exc.colno} : JSON invalide ({exc.msg})."
        ) from None
    if not isinstance(data, dict):
        raise TranscriptError(f"{source} : un objet JSON est attendu, avec un champ « turns ».")
    if "turns" not in data:
        raise TranscriptError(f"{source} : champ « turns » manquant (liste des tours de parole).")
    try:
        return Transcript.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _describe_location(tuple(err["loc"]))
        raise TranscriptError(f"{source}, champ {where} : {err['msg']}.") from None


def load_transcript(path: Path) -> Transcript:
    """Read a transcript file (UTF-8)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TranscriptError(f"{path} : lecture impossible ({exc.strerror}).") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"{path} : le fichier n'est pas en UTF-8 (octet {exc.start}).") from None
    return parse_transcript(text, str(path))
