"""The transcript of one call (CONTRACT §2, schema ``trainer.transcript/1``).

Pure data: the call session writes it, ``trainer score`` reads it, the TUI shows it. Only ``turns``
is required on input; unknown fields are kept (outside tools may add their own).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from trainer.domain.errors import unreadable

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
    """A transcript file that cannot be read; the message names the file, the line and the field."""


# Limits of what ``trainer score`` accepts (``check_limits``): a 30-minute call is some 30 000
# characters; anything far beyond is not the transcript of a phone call, and scoring it would take
# minutes.
MAX_FILE_BYTES = 2_000_000
MAX_TURNS = 1_000
MAX_TURN_CHARS = 5_000
MAX_TOTAL_CHARS = 200_000

# json's messages, in French.
_JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets droits attendu",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendus après le nom du champ",
    "Unterminated string starting at": "texte entre guillemets non fermé",
    "Invalid control character at": "caractère de contrôle interdit dans un texte (retour à la ligne non échappé ?)",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Extra data": "contenu en trop après l'objet JSON",
}


def _json_message(msg: str) -> str:
    for english, french in _JSON_MESSAGES.items():
        if msg.startswith(english):
            return french
    return msg


def _describe_location(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(racine)"


_WS_RE = re.compile(r"[ \t\r\n]*")
_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_SCALAR_RE = re.compile(r"[^,\]}\s]*")


def _skip_value(text: str, i: int) -> int:
    """End index of the JSON value starting at ``i`` (``text`` is valid JSON)."""
    if text[i] == '"':
        return _STRING_RE.match(text, i).end()  # type: ignore[union-attr]
    if text[i] not in "[{":
        return _SCALAR_RE.match(text, i).end()  # type: ignore[union-attr]
    depth = 0
    while i < len(text):
        c = text[i]
        if c == '"':
            i = _STRING_RE.match(text, i).end()  # type: ignore[union-attr]
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def line_of(text: str, loc: tuple[Any, ...]) -> int:
    """1-based line where the value at ``loc`` (a pydantic location) starts in valid JSON ``text``.

    When the path stops existing (a missing field), the line of the deepest object found.
    """
    i = _WS_RE.match(text, 0).end()  # type: ignore[union-attr]
    try:
        for key in loc:
            opening = text[i]
            if isinstance(key, int) and opening == "[":
                i = _WS_RE.match(text, i + 1).end()  # type: ignore[union-attr]
                for _ in range(key):
                    i = _skip_value(text, i)
                    i = _WS_RE.match(text, i).end()  # type: ignore[union-attr]
                    if text[i] != ",":
                        raise LookupError
                    i = _WS_RE.match(text, i + 1).end()  # type: ignore[union-attr]
            elif isinstance(key, str) and opening == "{":
                j = _WS_RE.match(text, i + 1).end()  # type: ignore[union-attr]
                while text[j] == '"':
                    end = _STRING_RE.match(text, j).end()  # type: ignore[union-attr]
                    name = json.loads(text[j:end])
                    j = _WS_RE.match(text, end).end() + 1  # type: ignore[union-attr]  # after ':'
                    j = _WS_RE.match(text, j).end()  # type: ignore[union-attr]
                    if name == key:
                        break
                    j = _WS_RE.match(text, _skip_value(text, j)).end()  # type: ignore[union-attr]
                    if text[j] != ",":
                        raise LookupError
                    j = _WS_RE.match(text, j + 1).end()  # type: ignore[union-attr]
                else:
                    raise LookupError
                i = j
            else:
                raise LookupError
    except (LookupError, IndexError, AttributeError, ValueError):
        pass
    return text.count("\n", 0, i) + 1


def _expected(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " ou ")


def _french(err: dict[str, Any]) -> str:
    """One pydantic error as a French phrase."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    shown = json.dumps(value, ensure_ascii=False)[:40] if isinstance(value, str | int | float | bool) or value is None else None
    got = f" (reçu : {shown})" if shown is not None else ""
    if kind == "missing":
        return "champ obligatoire manquant"
    if kind == "literal_error":
        return f"valeur inconnue{got}, attendu : {_expected(ctx)}"
    if kind in ("string_type", "string_unicode"):
        return f"un texte entre guillemets est attendu{got}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"un nombre est attendu{got}"
    if kind in ("int_type", "int_parsing", "int_from_float", "int_parsing_size"):
        return f"un nombre entier est attendu{got}"
    if kind == "greater_than_equal":
        return f"la valeur doit être supérieure ou égale à {ctx.get('ge')}{got}"
    if kind == "list_type":
        return f"une liste […] est attendue{got}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"un objet {{…}} est attendu{got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"true ou false est attendu{got}"
    if kind.startswith("datetime") or kind.startswith("date_"):
        return f"une date et une heure ISO 8601 sont attendues, par exemple 2026-11-22T14:03:11+01:00{got}"
    return f"valeur refusée ({err.get('msg', kind)})"


def parse_transcript(text: str, source: str = "<transcript>") -> Transcript:
    """Parse transcript JSON text; raise ``TranscriptError`` naming the file, the line and the field."""
    if not text.strip():
        raise TranscriptError(f"{source}, ligne 1 : le fichier est vide, un objet JSON avec un champ « turns » est attendu.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(
            f"{source}, ligne {exc.lineno}, colonne {exc.colno} : JSON invalide, {_json_message(exc.msg)}."
        ) from None
    except RecursionError:
        raise TranscriptError(f"{source} : JSON invalide, crochets ou accolades imbriqués trop profondément.") from None
    except ValueError:  # an integer of thousands of digits
        raise TranscriptError(f"{source} : JSON invalide, nombre démesuré (plus de 4 300 chiffres).") from None
    if not isinstance(data, dict):
        raise TranscriptError(f"{source}, ligne 1 : un objet JSON est attendu, avec un champ « turns ».")
    if "turns" not in data:
        raise TranscriptError(f"{source}, ligne 1, champ turns : champ manquant (liste des tours de parole).")
    try:
        transcript = Transcript.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        raise TranscriptError(
            f"{source}, ligne {line_of(text, loc)}, champ {_describe_location(loc)} : {_french(err)}."
        ) from None
    except RecursionError:
        raise TranscriptError(f"{source} : objets imbriqués trop profondément.") from None
    for i, turn in enumerate(transcript.turns):
        try:
            turn.text.encode("utf-8")
        except UnicodeEncodeError:
            loc = ("turns", i, "text")
            raise TranscriptError(
                f"{source}, ligne {line_of(text, loc)}, champ {_describe_location(loc)} : caractère invalide "
                "(demi-caractère Unicode isolé, \\ud800 à \\udfff)."
            ) from None
    return transcript


def check_limits(transcript: Transcript, source: str = "<transcript>", text: str | None = None) -> None:
    """Refuse (``TranscriptError``) a transcript far beyond any phone call: too many turns, a turn or a
    whole text too long (see the ``MAX_*`` limits). ``text`` (the JSON) gives the line of the culprit."""

    def where(loc: tuple[Any, ...]) -> str:
        line = f", ligne {line_of(text, loc)}" if text is not None else ""
        return f"{source}{line}, champ {_describe_location(loc)}"

    if not transcript.turns:
        raise TranscriptError(f"{where(('turns',))} : la liste est vide, il n'y a aucun tour de parole à évaluer.")
    if len(transcript.turns) > MAX_TURNS:
        raise TranscriptError(
            f"{where(('turns',))} : {len(transcript.turns)} tours de parole, au plus {MAX_TURNS} sont acceptés."
        )
    total = 0
    for i, turn in enumerate(transcript.turns):
        size = len(turn.text)
        if size > MAX_TURN_CHARS:
            raise TranscriptError(
                f"{where(('turns', i, 'text'))} : texte de {size} caractères, au plus {MAX_TURN_CHARS} par tour de parole."
            )
        total += size
    if total > MAX_TOTAL_CHARS:
        raise TranscriptError(
            f"{where(('turns',))} : {total} caractères en tout, au plus {MAX_TOTAL_CHARS} pour un appel."
        )


def load_transcript(path: Path, max_bytes: int | None = None) -> Transcript:
    """Read a transcript file (UTF-8, with or without a byte-order mark).

    ``max_bytes`` refuses a larger file before reading it (``trainer score`` passes ``MAX_FILE_BYTES``).
    """
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise TranscriptError(
                f"{path} : fichier de {path.stat().st_size} octets, au plus {max_bytes} sont acceptés "
                "pour une transcription d'appel."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise TranscriptError(unreadable(path, exc, expected="un fichier JSON")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise TranscriptError(f"{path}, ligne {line} : le fichier n'est pas en UTF-8 (octet {exc.start}).") from None
    return parse_transcript(text, str(path))
