"""``trainer score TRANSCRIPT.json [--grid GRID_ID] [--json]`` (CONTRACT §1 and §5)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainer.commands.common import DbOption, JsonOption, print_json


def register(app: typer.Typer) -> None:
    """Add the ``score`` command."""

    @app.command("score")
    def score(
        transcript: Annotated[Path, typer.Argument(help="Fichier de transcription JSON (trainer.transcript/1).", show_default=False)],
        grid: Annotated[
            str | None,
            typer.Option("--grid", help="Grille d'observation (par défaut : telephone-generik).", show_default=False),
        ] = None,
        json_out: JsonOption = False,
        db: DbOption = None,
    ) -> None:
        """Évalue une transcription selon la charte d'accueil et une grille d'observation."""
        from trainer.domain.transcript import MAX_FILE_BYTES, TranscriptError, check_limits, load_transcript
        from trainer.errors import UserError
        from trainer.scoring import DEFAULT_GRID, score_transcript

        try:
            parsed = load_transcript(transcript, max_bytes=MAX_FILE_BYTES)
            check_limits(parsed, str(transcript))
        except TranscriptError as exc:
            raise UserError(str(exc)) from None
        report = score_transcript(parsed, grid_id=grid or DEFAULT_GRID)
        if json_out:
            print_json(report.model_dump(mode="json"))
            return
        typer.echo(render_report(report, source=str(transcript)))


def render_report(report, source: str | None = None) -> str:  # noqa: ANN001 - ScoreReport, imported lazily
    """The report as a French text a student or a teacher reads in a terminal."""
    from trainer.scoring.feedback import VERDICT_FR

    marks = {"respected": "✔", "violated": "✘", "not_applicable": "–"}
    lines: list[str] = []
    title = f"Évaluation de {source}" if source else "Évaluation de l'appel"
    lines.append(title)
    lines.append("=" * len(title))
    details = []
    if report.scenario:
        details.append(f"scénario : {report.scenario}")
    if report.direction:
        details.append("appel reçu" if report.direction == "incoming" else "appel émis")
    if report.kind:
        details.append(f"type : {report.kind}")
    if details:
        lines.append(" · ".join(details))
    lines.append(f"Grille : {report.grid_title or report.grid}")
    lines.append(f"Note globale : {report.total:.1f} / 100".replace(".", ","))
    for note in report.notes:
        lines.append(f"Remarque : {note}")
    lines.append("")
    lines.append("Charte de l'accueil téléphonique")
    lines.append("--------------------------------")
    for r in report.rules:
        where = f" [tours {', '.join(str(t) for t in r.turns)}]" if r.turns else ""
        lines.append(f"{marks[r.verdict]} {r.label or r.id} : {VERDICT_FR[r.verdict]}{where}")
        lines.append(f"    {r.advice}")
    section = None
    lines.append("")
    for item in report.items:
        if item.section != section:
            section = item.section
            lines.append(section or "Grille")
            lines.append("-" * len(section or "Grille"))
        level = "non évalué" if item.level is None else f"{item.level}/{item.max_level}"
        lines.append(f"• {item.label or item.id} : {level}")
        lines.append(f"    {item.comment}")
    if report.erp:
        lines.append("")
        lines.append("Saisie dans le PGI")
        lines.append("------------------")
        for check in report.erp:
            lines.append(f"{'✔' if check.ok else '✘'} {check.message}")
    return "\n".join(lines)
