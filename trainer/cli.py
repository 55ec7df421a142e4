"""The console script ``trainer`` (CONTRACT §1).

Each area of the program registers its own commands from ``trainer/commands/<area>.py`` through a
``register(app)`` function; heavy imports stay inside the command bodies so that ``trainer --help``
stays fast.
"""

from __future__ import annotations

import importlib
import sys

import typer

from trainer.commands.common import DbOption
from trainer.domain.errors import DomainError
from trainer.errors import UserError

COMMAND_MODULES = (
    "trainer.commands.db",
    "trainer.commands.erp",
    "trainer.commands.scenarios",
    "trainer.commands.play",
    "trainer.commands.score",
    "trainer.commands.voice",
    "trainer.commands.bench",
)

app = typer.Typer(
    name="trainer",
    help="Entraîneur à l'accueil téléphonique : appels simulés, grille d'observation, PGI.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    """Sans sous-commande : ouvre l'application (accueil élève / observateur / enseignant)."""
    if ctx.invoked_subcommand is not None:
        return
    from trainer.tui.launch import launch

    launch(db_url=db)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # that area is not written yet
                continue
            raise
        module.register(app)


_register_all()


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the command and maps errors to CONTRACT §1 exit codes.

    Usage errors are Click's (exit 2); a rejected input raises ``UserError`` (exit 1, one line on
    stderr, no traceback).
    """
    try:
        app(args=argv, prog_name="trainer")
    except UserError as exc:
        sys.stderr.write(f"trainer: {exc}\n")
        sys.exit(exc.exit_code)
    except DomainError as exc:  # a business rule refused the input: one French sentence
        sys.stderr.write(f"trainer: {exc}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("Interrompu.\n")
        sys.exit(130)


if __name__ == "__main__":  # pragma: no cover
    main()
