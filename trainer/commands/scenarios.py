"""``trainer scenarios`` (CONTRACT §1) and ``trainer lint``: list scenarios, show a role card, lint files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainer.commands.common import DbOption, JsonOption, print_json

DIRECTIONS = {"incoming": "entrant", "outgoing": "sortant"}


def _summary(scenario) -> dict:
    return {
        "id": scenario.id,
        "title": scenario.title,
        "company": scenario.company,
        "kind": scenario.kind,
        "direction": scenario.direction,
        "difficulty": scenario.difficulty,
        "persona": {"name": scenario.persona.name, "civility": scenario.persona.civility},
    }


def _table(rows: list[list[str]], headers: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(v).ljust(w) for v, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(lines)


def _role_card(scenario, card) -> str:
    out = [
        f"{scenario.title} ({scenario.id})",
        f"Entreprise : {scenario.company.upper()} — appel {DIRECTIONS[scenario.direction]} — type : {scenario.kind} — "
        f"difficulté {scenario.difficulty}/3",
        "",
        "FICHE DE RÔLE",
        card.situation.strip(),
    ]
    if card.documents:
        out += ["", "Documents à disposition :"] + [f"  - {d}" for d in card.documents]
    if card.instructions:
        out += ["", "Consignes :"] + [f"  - {i}" for i in card.instructions]
    if card.objectives:
        out += ["", "Objectifs :"] + [f"  - {o}" for o in card.objectives]
    return "\n".join(out)


def scenarios_command(
    scenario_id: Annotated[
        str | None,
        typer.Argument(help="Identifiant d'un scénario : affiche sa fiche de rôle (sans ce que le client cache)."),
    ] = None,
    json_out: JsonOption = False,
    company: Annotated[str | None, typer.Option("--company", help="Seulement cette entreprise (generik, servfamilles).")] = None,
    db: DbOption = None,
) -> None:
    """Liste les scénarios d'appel (identifiant, titre, entreprise, type, sens, difficulté)."""
    from trainer.content.scenarios import list_scenarios, load_scenario

    if scenario_id is not None:
        from trainer.content.company import load_company
        from trainer.dialogue.customer import CustomerSimulator

        scenario = load_scenario(scenario_id)
        # The card may quote today's figures (an invoice's amount and due date): fill them in.
        card = CustomerSimulator(scenario, company=load_company(scenario.company)).role_card
        if json_out:
            data = _summary(scenario)
            data["summary"] = scenario.summary
            data["role_card"] = card.model_dump()
            print_json(data)
        else:
            typer.echo(_role_card(scenario, card))
        return
    scenarios = list_scenarios(company=company)
    if json_out:
        print_json([_summary(s) for s in scenarios])
        return
    if not scenarios:
        typer.echo("Aucun scénario.")
        return
    rows = [[s.id, s.title, s.company, s.kind, DIRECTIONS[s.direction], str(s.difficulty)] for s in scenarios]
    typer.echo(_table(rows, ["identifiant", "titre", "entreprise", "type", "sens", "difficulté"]))


def lint_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Fichiers de scénario à vérifier (par défaut : tous, et le fichier commun)."),
    ] = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Vérifie les scénarios : états inaccessibles, impasses, variables inconnues, répliques sans variante…

    Chaque problème est donné avec son fichier et sa ligne ; code de sortie 1 s'il y en a.
    """
    from trainer.content.lint import lint_paths

    problems = lint_paths(files or None)
    if json_out:
        print_json({"problems": [p.to_json() for p in problems], "count": len(problems)})
    else:
        for problem in problems:
            typer.echo(str(problem))
        if problems:
            typer.echo(f"{len(problems)} problème(s).", err=True)
        else:
            typer.echo("Aucun problème.")
    if problems:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    """Add ``trainer scenarios`` and ``trainer lint`` to the CLI."""
    app.command("scenarios")(scenarios_command)
    app.command("lint")(lint_command)
