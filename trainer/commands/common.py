"""Options and helpers shared by every command module."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="URL SQLAlchemy de la base (sinon TRAINER_DB_URL, sinon la base SQLite embarquée).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Sortie JSON sur stdout.")]


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout, UTF-8, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()
