"""The NLU's data files (``trainer/dialogue/data/*.yaml``): where they are, what they must contain.

Teachers extend the understanding by editing these files. A school can also keep its own copies
outside the package, in the folder named by ``TRAINER_NLU_DATA_DIR``: a file found there replaces
the packaged file of the same name (the others still come from the package), so an upgrade of the
trainer never overwrites the school's phrases.

Each file is validated (pydantic, through ``trainer.content.yamlio``); a mistake gives one French
sentence with the file, the line and the field, never a traceback. Regular expressions are compiled
here so that a broken pattern is reported with its intent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from trainer.content.yamlio import load_yaml

PACKAGE_DATA_DIR = Path(__file__).resolve().parent / "data"
ENV_DIR = "TRAINER_NLU_DATA_DIR"


def data_dirs() -> list[Path]:
    """Folders searched for data files, the school's own folder first."""
    override = os.environ.get(ENV_DIR)
    return ([Path(override)] if override else []) + [PACKAGE_DATA_DIR]


def data_path(name: str) -> Path:
    """The file ``name`` to use: the school's copy when there is one, else the packaged one."""
    for folder in data_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    return PACKAGE_DATA_DIR / name


def data_files() -> list[Path]:
    """Every YAML data file in use (one per name)."""
    names: dict[str, Path] = {}
    for folder in reversed(data_dirs()):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                names[path.name] = path
    return [names[n] for n in sorted(names)]


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = Field(description="Format version of the file; only 1 exists.")


class SmsFile(_File):
    """``sms.yaml``: abbreviations and frequent misspellings, word → expansion."""

    words: dict[str, str] = Field(default_factory=dict)


class FillersFile(_File):
    """``fillers.yaml``: spoken fillers removed before matching."""

    fillers: list[str] = Field(default_factory=list)


class FirstNamesFile(_File):
    """``first_names.yaml``: first names recognised anywhere in a line."""

    first_names: list[str] = Field(default_factory=list)


class AmbiguousGroup(BaseModel):
    """Words that name several references at once ("crème colorante": with or without ammonia)."""

    model_config = ConfigDict(extra="forbid")

    candidates: list[str] = Field(min_length=1)
    aliases: list[str] = Field(min_length=1)


class UnitSpec(BaseModel):
    """A counting word: the products it implies, and whether "un"/"une" before it counts one."""

    model_config = ConfigDict(extra="forbid")

    implies: list[str] = Field(default_factory=list)
    container: bool = False


class ProductsFile(_File):
    """``products.yaml``: aliases keyed by catalogue reference, ambiguous words, counting units."""

    products: dict[str, list[str]] = Field(default_factory=dict)
    ambiguous: list[AmbiguousGroup] = Field(default_factory=list)
    units: dict[str, UnitSpec | None] = Field(default_factory=dict)


def _compile(raw: str, what: str) -> str:
    try:
        re.compile(raw)
    except re.error as exc:
        raise ValueError(f"{what} « {raw} » n'est pas une expression régulière valide ({exc})") from None
    return raw


class PatternSpec(BaseModel):
    """A pattern restricted to questions or to statements."""

    model_config = ConfigDict(extra="forbid")

    re: str
    in_: Literal["question", "statement"] | None = Field(default=None, alias="in")

    @field_validator("re")
    @classmethod
    def _valid(cls, value: str) -> str:
        return _compile(value, "le motif")


class IntentSpec(BaseModel):
    """One intent of ``intents.yaml`` (see the comments at the top of that file)."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=1)
    examples: list[str] = Field(default_factory=list)
    patterns: list[str | PatternSpec] = Field(default_factory=list)
    examples_in: Literal["question", "statement"] | None = None
    anchor: Literal["start"] | None = None
    unless: list[str] = Field(default_factory=list)
    overrides: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, value: list[str | PatternSpec]) -> list[str | PatternSpec]:
        for item in value:
            if isinstance(item, str):
                _compile(item, "le motif")
        return value

    @field_validator("unless")
    @classmethod
    def _valid_unless(cls, value: list[str]) -> list[str]:
        for item in value:
            _compile(item, "la condition « unless »")
        return value


class IntentsFile(_File):
    """``intents.yaml``: every intent with its examples and patterns."""

    intents: dict[str, IntentSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_overrides(self) -> IntentsFile:
        for name, spec in self.intents.items():
            for other in spec.overrides:
                if other not in self.intents:
                    raise ValueError(f"l'intention {name} remplace « {other} », qui n'existe pas")
        if "unknown" not in self.intents:
            raise ValueError("l'intention « unknown » (rien de reconnu) doit rester dans le fichier")
        return self


def load_data(name: str, model: type[_File]) -> _File:
    """Load and validate one data file (``UserError`` with file, line and field when it is wrong)."""
    return load_yaml(data_path(name), model)
