"""``trainer bench``: runs the ``bench/bench_*.py`` modules and prints their measures (CONTRACT §1).

Each module has ``run(db_url: str) -> Iterator[dict]`` yielding ``{"name", "value", "unit"}``. The
``db_url`` it receives only tells it which PostgreSQL server it may use: every benchmark works on its
own temporary databases, never on the user's.
"""

from __future__ import annotations

import importlib.util
import math
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Annotated, Any

import typer

from trainer.commands.common import DbOption, JsonOption, print_json
from trainer.errors import UserError


def discover(folder: Path) -> list[Path]:
    """The benchmark modules of ``folder``, sorted by name."""
    return sorted(p for p in folder.glob("bench_*.py") if p.is_file())


def bench_name(path: Path) -> str:
    """``bench/bench_orders.py`` -> ``orders``."""
    return path.stem.removeprefix("bench_")


def load_module(path: Path) -> ModuleType:
    """Import one benchmark file by path (the ``bench`` folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"trainer_bench_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise UserError(f"{path} : module de mesure illisible.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise UserError(f"{path} : fonction run(db_url) absente.")
    return module


def check_measure(path: Path, measure: Any) -> dict[str, Any]:
    """Validate one yielded measure: a dict with a text name, a finite number and a text unit."""
    if not isinstance(measure, dict):
        raise UserError(f"{path} : chaque mesure doit être un dictionnaire, reçu {type(measure).__name__}.")
    missing = [k for k in ("name", "value", "unit") if k not in measure]
    if missing:
        raise UserError(f"{path} : mesure sans champ {', '.join(missing)} : {measure!r}.")
    value = measure["value"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise UserError(f"{path} : mesure « {measure['name']} » : valeur numérique finie attendue, reçu {value!r}.")
    return measure


def run_benchmarks(paths: list[Path], db_url: str) -> Iterator[tuple[Path, dict[str, Any] | None, str | None]]:
    """Run each module; yields (path, measure, None) or (path, None, error sentence) when it failed."""
    for path in paths:
        try:
            module = load_module(path)
            for measure in module.run(db_url):
                yield path, check_measure(path, measure), None
        except UserError as exc:
            yield path, None, str(exc)
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            where = traceback.extract_tb(exc.__traceback__)[-1]
            yield path, None, f"{path.name} : échec ({type(exc).__name__}: {exc}) à la ligne {where.lineno}."


def _format_value(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def register(app: typer.Typer) -> None:
    """Add ``trainer bench`` to the application."""

    @app.command("bench")
    def bench(
        db: DbOption = None,
        json_out: JsonOption = False,
        only: Annotated[
            list[str] | None,
            typer.Option("--only", help="Ne lancer que ce module (nom sans « bench_ », répétable)."),
        ] = None,
        folder: Annotated[
            Path | None, typer.Option("--dir", help="Dossier des modules bench_*.py (défaut : bench/).")
        ] = None,
    ) -> None:
        """Mesures de performance : une ligne JSON par mesure avec --json, un tableau sinon.

        Chaque mesure travaille sur ses propres bases temporaires, jamais sur la vôtre ; --db indique
        seulement le serveur PostgreSQL utilisable.
        """
        from trainer.paths import bench_dir, resolve_db_url

        where = folder or bench_dir()
        paths = discover(where)
        if only:
            wanted = {name.removeprefix("bench_").removesuffix(".py") for name in only}
            unknown = wanted - {bench_name(p) for p in paths}
            if unknown:
                known = ", ".join(bench_name(p) for p in paths) or "aucun"
                raise UserError(f"--only : module(s) inconnu(s) {', '.join(sorted(unknown))} (disponibles : {known}).")
            paths = [p for p in paths if bench_name(p) in wanted]
        if not paths:
            raise UserError(f"Aucun module bench_*.py dans {where}.")
        db_url = resolve_db_url(db)
        failures: list[str] = []
        rows: list[dict[str, Any]] = []
        started = time.perf_counter()
        if not json_out:
            typer.echo(f"{'module':<10} {'mesure':<40} {'valeur':>12} unité")
        for path, measure, error in run_benchmarks(paths, db_url):
            if error is not None:
                failures.append(error)
                sys.stderr.write(f"trainer bench : {error}\n")
                continue
            assert measure is not None
            if json_out:
                print_json({"name": measure["name"], "value": measure["value"], "unit": measure["unit"]})
            else:
                rows.append({"module": bench_name(path), **measure})
                typer.echo(
                    f"{bench_name(path):<10} {measure['name']:<40} {_format_value(measure['value']):>12} {measure['unit']}"
                )
        if not json_out:
            typer.echo(f"{len(rows)} mesure(s) en {time.perf_counter() - started:.1f} s.")
        if failures:
            raise typer.Exit(1)
