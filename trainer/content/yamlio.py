"""Load YAML files into validated pydantic objects, with errors that name file, line and field.

Every content file of the trainer (company reference data, scenarios, grids, phrase tables) goes
through ``load_yaml(path, Model)``. A bad file raises ``trainer.errors.UserError`` with one French
sentence: ``scenarios/generik/reference/clients.yaml, ligne 42, champ clients[3].contact.phone :
« 0612 » n'est pas un numéro de téléphone français…``. Nothing is half-loaded: either the whole
object validates or the call raises.

Besides pydantic's checks, the loader refuses what YAML would silently accept: duplicate keys in a
mapping, non-string keys, and files that are not UTF-8.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from trainer.domain.errors import unreadable
from trainer.errors import UserError

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]


_BASE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """Safe loader (libyaml's C parser when available, about ten times faster).

    Dates are left as text: pydantic parses them with a located error, whereas YAML's own timestamp
    constructor would crash on ``2026-13-45`` without saying where.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BASE_LOADER.yaml_implicit_resolvers.items()
}


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], source: str) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise UserError(f"{source}, ligne {key_node.start_mark.line + 1} : une clé doit être un simple mot.")
            key = key_node.value
            if key == "<<":
                continue
            line = key_node.start_mark.line + 1
            if key in seen:
                raise UserError(
                    f"{source}, ligne {line}, champ {_describe(loc + (key,))} : clé en double "
                    f"(déjà donnée ligne {seen[key]})."
                )
            seen[key] = line
            lines[loc + (key,)] = line
            _walk(value_node, loc + (key,), lines, source)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[loc + (index,)] = item.start_mark.line + 1
            _walk(item, loc + (index,), lines, source)


def _describe(loc: Loc) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "(racine)"


_FRENCH_MESSAGES = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe)",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans décimales)",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "bool_parsing": "oui/non attendu (true ou false)",
    "bool_type": "oui/non attendu (true ou false)",
    "string_type": "texte attendu",
    "list_type": "liste attendue (lignes commençant par « - »)",
    "dict_type": "ensemble de champs attendu (clé : valeur)",
    "model_type": "ensemble de champs attendu (clé : valeur)",
    "model_attributes_type": "ensemble de champs attendu (clé : valeur)",
    "date_parsing": "date attendue au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue au format AAAA-MM-JJ",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "datetime_parsing": "date et heure attendues (AAAA-MM-JJTHH:MM:SS+01:00)",
    "datetime_type": "date et heure attendues (AAAA-MM-JJTHH:MM:SS+01:00)",
    "decimal_parsing": "nombre décimal attendu",
    "decimal_type": "nombre décimal attendu",
}


def french_error(err: dict[str, Any]) -> str:
    """One pydantic error as a French phrase (our own validators already speak French)."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        message = str(ctx.get("error", err.get("msg", "")))
        return message.removeprefix("Value error, ")
    if kind == "assertion_error":
        return str(err.get("msg", "")).removeprefix("Assertion failed, ")
    if kind == "literal_error":
        return f"valeur attendue parmi : {ctx.get('expected', '')} (reçu : {err.get('input')!r})"
    if kind == "enum":
        return f"valeur attendue parmi : {ctx.get('expected', '')} (reçu : {err.get('input')!r})"
    if kind in ("greater_than_equal", "greater_than"):
        return f"valeur trop petite (minimum {ctx.get('ge', ctx.get('gt'))})"
    if kind in ("less_than_equal", "less_than"):
        return f"valeur trop grande (maximum {ctx.get('le', ctx.get('lt'))})"
    if kind == "too_short":
        return f"au moins {ctx.get('min_length')} élément(s) ou caractère(s) attendu(s)"
    if kind == "too_long":
        return f"au plus {ctx.get('max_length')} élément(s) ou caractère(s) attendu(s)"
    if kind == "string_too_short":
        return f"texte trop court (au moins {ctx.get('min_length')} caractère(s))"
    if kind == "string_pattern_mismatch":
        return f"format inattendu (motif {ctx.get('pattern')}, reçu {err.get('input')!r})"
    if kind == "union_tag_invalid":
        return f"type inconnu {ctx.get('tag')!r} (attendu : {ctx.get('expected_tags')})"
    if kind in _FRENCH_MESSAGES:
        return _FRENCH_MESSAGES[kind]
    return str(err.get("msg", kind))


def _error_line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    # The deepest prefix of the location that exists in the file (a missing field points at its parent).
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    # Pydantic inserts union member and function names into locations; they are not in the file.
    return tuple(item for item in loc if isinstance(item, int) or not str(item).startswith(("function-", "tagged-union")))


def validation_message(source: str, exc: ValidationError, lines: dict[Loc, int] | None = None) -> str:
    """The first error of ``exc`` as « fichier, ligne N, champ X : message. » (+ count of others)."""
    errors = exc.errors()
    # A misspelt key gives "unknown field" and "missing field": the first says what to fix.
    err = next((e for e in errors if e.get("type") == "extra_forbidden"), errors[0])
    loc = _clean_loc(tuple(err.get("loc", ())))
    line = _error_line(loc, lines or {}) if lines is not None else None
    where = f"{source}, ligne {line}" if line else source
    field = f", champ {_describe(loc)}" if loc else ""
    more = f" ({len(errors) - 1} autre(s) erreur(s) dans ce fichier)" if len(errors) > 1 else ""
    text = french_error(err).rstrip(".")
    return f"{where}{field} : {text}.{more}"


def parse_yaml_text(text: str, source: str) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML text; return the data and the line of every field. Raises ``UserError``."""
    loader = _Loader(text)
    try:
        # One parse: the node tree gives the lines, the same tree is then turned into Python data.
        node = loader.get_single_node()
        if node is None:
            raise UserError(f"{source} : le fichier est vide.")
        lines: dict[Loc, int] = {}
        _walk(node, (), lines, source)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", ligne {mark.line + 1}" if mark is not None else ""
        problem = exc.problem or exc.context or "syntaxe incorrecte"
        raise UserError(f"{source}{line} : YAML invalide ({problem}).") from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:
        raise UserError(f"{source} : YAML invalide ({exc}).") from None
    finally:
        loader.dispose()
    return data, lines


def load_yaml_text(text: str, model: type[M], source: str = "<texte>", *, context: dict[str, Any] | None = None) -> M:
    """Validate YAML text against ``model``; raise ``UserError`` naming source, line and field."""
    data, lines = parse_yaml_text(text, source)
    if not isinstance(data, dict):
        raise UserError(f"{source}, ligne 1 : un ensemble de champs « clé : valeur » est attendu.")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise UserError(validation_message(source, exc, lines)) from None


def read_text(path: Path) -> str:
    """Read a UTF-8 text file; raise ``UserError`` with the path when it cannot be read."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise UserError(unreadable(path, exc)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(f"{path}, ligne {line} : le fichier n'est pas en UTF-8 (octet {exc.start}).") from None


def load_yaml(path: Path | str, model: type[M], *, context: dict[str, Any] | None = None) -> M:
    """Load one YAML file as a validated ``model`` instance (``UserError`` with path, line, field).

    ``context`` is passed to pydantic validators (``info.context``), e.g. the day relative dates are
    counted from.
    """
    path = Path(path)
    return load_yaml_text(read_text(path), model, display_path(path), context=context)


def display_path(path: Path) -> str:
    """``path`` relative to the repository when inside it (shorter, the same on every machine)."""
    # Paths inside the repository are shown relative to it: shorter, and the same on every machine.
    from trainer.paths import REPO_ROOT

    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)
