"""Observation grids and phrase tables as data (``grids/*.yaml``, ``grids/phrases/*.yaml``).

A **grid** (Doc 6 and the methods of the course manuals) is a list of sections, each a list of
items. Every item says, as data, what it draws on: charter rules (ids of CONTRACT §5) and call facts
(named measures computed by ``trainer.scoring.facts``), each criterion with an optional weight and a
``critical`` flag. Scoring turns the criteria into a level 0..``max_level``; the item's French
descriptors say what each level means to a student.

A **phrase table** is a list of entries, each with variants written in ordinary French (see
``grids/phrases/LISEZMOI.md`` for the small pattern language): the "Évitez de dire / Dites plutôt"
table, familiar words, vague answers, blame phrases... Teachers extend them without touching code;
several files may add entries to the same table.

This module only validates the structure (and the bracket syntax of patterns); the names of rules
and facts are checked against the scoring registry through the pydantic validation context
(``context={"rules": …, "facts": …}``), so that a typo is refused with its file and line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from trainer.content.yamlio import load_yaml
from trainer.errors import UserError
from trainer.paths import grids_dir

GRID_ID_RE = r"^[a-z0-9][a-z0-9-]*$"
ITEM_ID_RE = r"^[a-z0-9_]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------------------------
# Grids
# --------------------------------------------------------------------------------------------


class Criterion(_Strict):
    """One thing an item draws on: a charter rule verdict or a named call fact."""

    rule: str | None = None
    fact: str | None = None
    weight: float = Field(default=1.0, gt=0, le=10)
    critical: bool = Field(
        default=False,
        description="When this criterion fails, the item cannot go above level 1.",
    )
    gate: bool = Field(
        default=False,
        description="When this criterion cannot be judged (the situation did not arise), neither can the item.",
    )
    why: str | None = Field(default=None, description="French: why this criterion matters for the item.")

    @model_validator(mode="after")
    def _one_source(self, info: ValidationInfo) -> Criterion:
        if (self.rule is None) == (self.fact is None):
            raise ValueError("chaque critère a soit « rule: » (règle de la charte), soit « fact: » (fait de l'appel)")
        ctx = info.context or {}
        if self.rule is not None and ctx.get("rules") is not None and self.rule not in ctx["rules"]:
            known = ", ".join(sorted(ctx["rules"]))
            raise ValueError(f"règle inconnue « {self.rule} » (règles connues : {known})")
        if self.fact is not None and ctx.get("facts") is not None and self.fact not in ctx["facts"]:
            known = ", ".join(sorted(ctx["facts"]))
            raise ValueError(f"fait inconnu « {self.fact} » (faits connus : {known})")
        return self

    @property
    def key(self) -> str:
        """``rule:<id>`` or ``fact:<name>``."""
        return f"rule:{self.rule}" if self.rule is not None else f"fact:{self.fact}"


class GridItem(_Strict):
    """One line of the grid, with a French descriptor for each level."""

    id: str = Field(pattern=ITEM_ID_RE)
    label: str = Field(min_length=3)
    weight: float = Field(default=1.0, gt=0, le=10)
    descriptors: dict[int, str]
    draws_on: list[Criterion] = Field(min_length=1)
    how: str = Field(min_length=10, description="French: how the level is computed, for teachers.")
    not_judged: str | None = Field(
        default=None, description="French comment when none of the criteria can be judged."
    )


class GridSection(_Strict):
    id: str = Field(pattern=ITEM_ID_RE)
    title: str = Field(min_length=3)
    items: list[GridItem] = Field(min_length=1)


class Grid(_Strict):
    """An observation grid (Doc 6, the 9-step method, CROC...)."""

    version: int = Field(ge=1)
    id: str = Field(pattern=GRID_ID_RE)
    title: str = Field(min_length=3)
    source: str | None = None
    description: str | None = None
    max_level: int = Field(default=3, ge=1, le=10)
    level_thresholds: list[float] = Field(
        default_factory=lambda: [0.95, 0.66, 0.33],
        description="Share of criteria met needed for max_level, max_level-1, ... (descending).",
    )
    sections: list[GridSection] = Field(min_length=1)

    @field_validator("level_thresholds")
    @classmethod
    def _descending(cls, value: list[float]) -> list[float]:
        if any(not 0 < v <= 1 for v in value):
            raise ValueError("chaque seuil est une part entre 0 et 1")
        if value != sorted(value, reverse=True):
            raise ValueError("les seuils vont du plus exigeant au moins exigeant")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Grid:
        if len(self.level_thresholds) != self.max_level:
            raise ValueError(
                f"level_thresholds : {self.max_level} seuils attendus (un par niveau au-dessus de 0)"
            )
        seen: set[str] = set()
        for section in self.sections:
            for item in section.items:
                if item.id in seen:
                    raise ValueError(f"l'item « {item.id} » apparaît deux fois")
                seen.add(item.id)
                expected = set(range(self.max_level + 1))
                if set(item.descriptors) != expected:
                    raise ValueError(
                        f"item « {item.id} » : un descripteur par niveau de 0 à {self.max_level} est attendu"
                    )
        return self

    def items(self) -> list[tuple[GridSection, GridItem]]:
        """Every (section, item), in order."""
        return [(s, i) for s in self.sections for i in s.items]


def grid_path(grid_id: str, directory: Path | None = None) -> Path:
    """Where grid ``grid_id`` lives."""
    return (directory or grids_dir()) / f"{grid_id}.yaml"


def list_grids(directory: Path | None = None) -> list[str]:
    """Ids of the grids in the grids folder."""
    folder = directory or grids_dir()
    return sorted(p.stem for p in folder.glob("*.yaml"))


def load_grid(grid_id: str, *, directory: Path | None = None, rules: set[str] | None = None,
              facts: set[str] | None = None) -> Grid:
    """Load and validate one grid; ``UserError`` naming file, line and field when it is wrong.

    ``rules`` and ``facts`` (when given) are the names a criterion may use.
    """
    if not re.match(GRID_ID_RE, grid_id or ""):
        raise UserError(f"grille « {grid_id} » : identifiant invalide (lettres minuscules, chiffres, tirets).")
    path = grid_path(grid_id, directory)
    if not path.is_file():
        known = ", ".join(list_grids(directory)) or "aucune"
        raise UserError(f"grille « {grid_id} » introuvable ({path}) ; grilles disponibles : {known}.")
    grid = load_yaml(path, Grid, context={"rules": rules, "facts": facts})
    if grid.id != grid_id:
        raise UserError(f"{path}, champ id : « {grid.id} » ne correspond pas au nom du fichier ({grid_id}).")
    return grid


# --------------------------------------------------------------------------------------------
# Phrase tables
# --------------------------------------------------------------------------------------------

_BRACKETS = {"(": ")", "[": "]"}


def check_pattern_syntax(pattern: str) -> None:
    """Refuse unbalanced or nested brackets in a phrase pattern (``ValueError`` in French)."""
    stack: list[str] = []
    for ch in pattern:
        if ch in _BRACKETS:
            if stack:
                raise ValueError(f"« {pattern} » : crochets ou parenthèses imbriqués (non pris en charge)")
            stack.append(ch)
        elif ch in (")", "]"):
            if not stack or _BRACKETS[stack.pop()] != ch:
                raise ValueError(f"« {pattern} » : parenthèse ou crochet fermant sans ouvrant")
    if stack:
        raise ValueError(f"« {pattern} » : parenthèse ou crochet non fermé")
    if not pattern.strip(" *#()[]|"):
        raise ValueError(f"« {pattern} » : au moins un mot est attendu")


class PhraseEntry(_Strict):
    """One entry of a phrase table: variants plus optional teacher wording and conditions."""

    id: str | None = Field(default=None, pattern=ITEM_ID_RE)
    variants: list[str] = Field(min_length=1)
    avoid: str | None = Field(default=None, description="The phrase to avoid, as the table prints it.")
    instead: str | None = Field(default=None, description="What to say instead (« Dites plutôt »).")
    note: str | None = None
    level: str | None = Field(default=None, description="Register: familier, vulgaire, admis...")
    question_only: bool = False
    statement_only: bool = False
    followed_by: list[str] = Field(default_factory=list)
    not_followed_by: list[str] = Field(default_factory=list)
    not_preceded_by: list[str] = Field(default_factory=list)
    at_clause_start: bool = False

    @field_validator("variants")
    @classmethod
    def _syntax(cls, value: list[str]) -> list[str]:
        for pattern in value:
            check_pattern_syntax(pattern)
        return value

    @property
    def key(self) -> str:
        """The entry id, or its first variant when it has none."""
        return self.id or self.variants[0]


class PhraseTable(_Strict):
    description: str | None = None
    entries: list[PhraseEntry] = Field(min_length=1)


class PhraseFile(_Strict):
    version: int = Field(ge=1)
    title: str | None = None
    tables: dict[str, PhraseTable] = Field(min_length=1)

    @field_validator("tables")
    @classmethod
    def _names(cls, value: dict[str, PhraseTable]) -> dict[str, PhraseTable]:
        for name in value:
            if not re.match(ITEM_ID_RE, name):
                raise ValueError(f"nom de table « {name} » : lettres minuscules, chiffres et _ attendus")
        return value


class PhraseBook(BaseModel):
    """Every phrase table of a folder, merged by name (entries of later files are appended)."""

    model_config = ConfigDict(frozen=True)

    tables: dict[str, tuple[PhraseEntry, ...]]
    descriptions: dict[str, str]
    sources: tuple[str, ...]

    def table(self, name: str) -> tuple[PhraseEntry, ...]:
        """The entries of table ``name``; ``UserError`` when no file defines it."""
        try:
            return self.tables[name]
        except KeyError:
            raise UserError(
                f"grids/phrases : la table « {name} » est introuvable (fichiers lus : {', '.join(self.sources)})."
            ) from None


def phrases_dir(directory: Path | None = None) -> Path:
    """The phrase-table folder inside the grids folder."""
    return (directory or grids_dir()) / "phrases"


def load_phrasebook(directory: Path | None = None) -> PhraseBook:
    """Load every ``*.yaml`` of the phrase folder (sorted by name) and merge the tables."""
    folder = phrases_dir(directory)
    return _load_phrasebook_cached(str(folder), _folder_stamp(folder))


def _folder_stamp(folder: Path) -> tuple[tuple[str, float], ...]:
    # Reload when a teacher edits or adds a file, but not on every call.
    try:
        return tuple(sorted((p.name, p.stat().st_mtime) for p in folder.glob("*.yaml")))
    except OSError:
        return ()


@lru_cache(maxsize=8)
def _load_phrasebook_cached(folder_name: str, _stamp: Any) -> PhraseBook:
    folder = Path(folder_name)
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise UserError(f"{folder} : aucun fichier de phrases (*.yaml) trouvé.")
    tables: dict[str, list[PhraseEntry]] = {}
    descriptions: dict[str, str] = {}
    owners: dict[tuple[str, str], str] = {}
    for path in files:
        data = load_yaml(path, PhraseFile)
        for name, table in data.tables.items():
            bucket = tables.setdefault(name, [])
            if table.description and name not in descriptions:
                descriptions[name] = table.description
            for entry in table.entries:
                if entry.id is not None:
                    previous = owners.get((name, entry.id))
                    if previous is not None:
                        raise UserError(
                            f"{path} : table « {name} », entrée « {entry.id} » déjà définie dans {previous}."
                        )
                    owners[(name, entry.id)] = path.name
                bucket.append(entry)
    return PhraseBook(
        tables={k: tuple(v) for k, v in tables.items()},
        descriptions=descriptions,
        sources=tuple(p.name for p in files),
    )
