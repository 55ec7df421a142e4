"""``trainer db init`` / ``trainer db seed``: the schema and the reference data (both idempotent)."""

from __future__ import annotations

from typing import Annotated

import typer

from trainer.commands.common import DbOption, JsonOption, print_json

db_app = typer.Typer(
    name="db",
    help="Base de données du PGI : création du schéma et données de référence.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


@db_app.command("init")
def init(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Crée ou met à jour le schéma de la base (sans rien effacer ; relançable sans risque)."""
    from trainer.store import open_store
    from trainer.store.engine import safe_url

    store = open_store(db)
    try:
        before, after = store.init_schema()
    finally:
        store.dispose()
    if json_out:
        print_json({"database": safe_url(store.url), "revision_before": before, "revision": after})
    elif before == after:
        typer.echo(f"Schéma déjà à jour (révision {after}) : {safe_url(store.url)}")
    elif before is None:
        typer.echo(f"Schéma créé (révision {after}) : {safe_url(store.url)}")
    else:
        typer.echo(f"Schéma mis à jour de la révision {before} à {after} : {safe_url(store.url)}")


@db_app.command("seed")
def seed(
    db: DbOption = None,
    json_out: JsonOption = False,
    company: Annotated[
        list[str] | None,
        typer.Option("--company", help="Entreprise à charger (generik, servfamilles ; défaut : toutes)."),
    ] = None,
) -> None:
    """Charge les données de référence (catalogue, clients, promotions, factures…) ; relançable sans risque.

    Crée d'abord le schéma s'il manque. Les dates relatives (« émise il y a 70 jours ») partent du jour
    du premier chargement ; un second chargement ne modifie rien de ce qui existe.
    """
    from trainer.store import open_store
    from trainer.store.engine import safe_url
    from trainer.store.seeding import seed_companies

    store = open_store(db)
    try:
        store.init_schema()
        reports = seed_companies(store, companies=company)
    finally:
        store.dispose()
    if json_out:
        print_json({"database": safe_url(store.url), "companies": [r.as_dict() for r in reports]})
        return
    for report in reports:
        typer.echo(report.sentence())


def register(app: typer.Typer) -> None:
    """Add ``trainer db`` to the application."""
    app.add_typer(db_app, name="db")
