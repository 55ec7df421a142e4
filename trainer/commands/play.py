"""``trainer play`` (headless call from a script, CONTRACT §1 §3 §4) and ``trainer recover`` (journal)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from trainer.commands.common import DbOption, JsonOption, print_json
from trainer.errors import UserError


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(text, width=78)


def _play_epilog() -> str:
    from trainer.call.script import script_help

    # "\b" keeps Click from re-wrapping the paragraph that follows it.
    blocks = [
        _wrap(
            "Le script : une réplique de l'élève par ligne non vide (UTF-8) ; « # » commence un "
            "commentaire ; une ligne qui commence par « / » est une action, pas une parole. Les valeurs "
            'avec des espaces se mettent entre guillemets droits "…" ou « … » (l\'apostrophe n\'en est pas '
            "une). Actions :"
        ),
    ]
    blocks.extend(script_help().split("\n\n"))
    blocks.append(
        _wrap(
            "Sans action du PGI pour un type d'enregistrement (commande, réclamation, message, relance), "
            "la fiche est remplie d'après ce que l'élève a reformulé et que le client a confirmé. Une "
            "fiche que le PGI refuse (client sans téléphone, commande sans client...) n'est pas "
            "enregistrée : le résumé le signale. Quand l'appel se termine (le client ou l'élève "
            "raccroche), les répliques suivantes sont ignorées et signalées ; les actions du PGI qui "
            "suivent sont encore saisies (on finit la fiche après avoir raccroché)."
        )
    )
    blocks.append(
        "Exemple de script :\n"
        "  /decrocher 2\n"
        "  GENERIK, Julie, bonjour !\n"
        "  Puis-je avoir votre nom, celui de votre salon et votre téléphone ?\n"
        '  /nouveau-client nom="Sophie Martin" salon="Salon Sophie" segment=salon_independant\n'
        '      region="Nouvelle-Aquitaine" tel="05 56 12 34 56"   (sur une seule ligne)\n'
        "  /ligne GNK-CCS-100 6.4 24\n"
        "  Je vous remercie, Madame Martin, au revoir.\n"
        "  /raccrocher"
    )
    blocks.append(
        _wrap(
            "Rejouer un appel à l'octet près : mêmes scénario, graine (--seed) et lignes, avec --now et "
            "--session-id fixés. Un appel interrompu se reconstruit avec «\u00a0trainer recover\u00a0»."
        )
    )
    return "\n\n".join("\b\n" + block for block in blocks)


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    from trainer.domain.common import PARIS

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"--now : « {value} » n'est pas une date ISO (ex. 2026-11-23T10:00:00+01:00).") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment


def play(
    scenario_id: Annotated[str, typer.Argument(help="Identifiant du scénario (voir « trainer scenarios »).")],
    script: Annotated[Path, typer.Option("--script", help="Fichier des répliques de l'élève (UTF-8).")],
    json_out: JsonOption = False,
    seed: Annotated[int | None, typer.Option("--seed", help="Graine du client simulé (défaut : celle du scénario).")] = None,
    student: Annotated[str, typer.Option("--student", help="Nom de l'élève.")] = "eleve",
    voice: Annotated[bool, typer.Option("--voice", help="Le client parle : ses répliques sont enregistrées en WAV ; "
                                    "les lignes « /audio fichier.wav » sont dites par l'élève (reconnaissance vocale).")] = False,
    now: Annotated[
        str | None, typer.Option("--now", help="Date et heure de début de l'appel (ISO), pour rejouer à l'identique.")
    ] = None,
    session_id: Annotated[str | None, typer.Option("--session-id", help="UUID de la session (défaut : nouveau).")] = None,
    db: DbOption = None,
) -> None:
    """Joue un scénario sans interface : chaque ligne du script est une réplique de l'élève.

    Affiche un résumé en français, ou avec --json l'objet du contrat (§4) : scenario, session_id,
    ended_by, turns, transcript, records, score.
    """
    from trainer.call.clock import SimulatedClock
    from trainer.call.headless import check_script, play_script
    from trainer.call.script import ScriptError, load_script
    from trainer.call.session import CallSession, open_ready_store
    from trainer.content.scenarios import load_scenario

    scenario = load_scenario(scenario_id)  # bad id: exit 1 before anything else
    parsed = load_script(script)
    if not parsed.speeches:
        raise ScriptError(f"{script} : aucune réplique de l'élève (lignes vides, commentaires ou actions seulement).")
    if parsed.recordings and not voice:
        first = parsed.recordings[0]
        raise ScriptError(f"{script}, ligne {first.line} : /audio demande le mode voix (--voice).")
    clock = SimulatedClock(_parse_now(now))
    voice_engine = _voice_engine() if voice else None
    if voice_engine is not None and parsed.recordings:
        voice_engine.load_recognizer()  # no model: one sentence, exit 1, before anything is written
    store = open_ready_store(db)
    try:
        check_script(parsed, scenario, store, now=clock.now())
        session = CallSession.start(
            scenario.id,
            store=store,
            student=student,
            seed=seed,
            mode="voice" if voice else "text",
            clock=clock,
            session_id=session_id,
            voice=voice_engine,
        )
        try:
            report = play_script(session, parsed)
        except BaseException:
            session.abandon()
            raise
    finally:
        store.dispose()
    if json_out:
        print_json(report.result.contract_json())
        for line in _ignored_lines(report):
            sys.stderr.write(line + "\n")
    else:
        typer.echo(_summary(report, scenario))


def _voice_engine() -> Any:
    from trainer.call.voice import SessionVoice

    return SessionVoice.create()


def _ignored_lines(report: Any) -> list[str]:
    out = []
    if report.ignored:
        who = "le client" if report.result.ended_by == "customer" else "l'élève"
        out.append(f"Appel terminé par {who} : {len(report.ignored)} réplique(s) ignorée(s) :")
        out.extend(f"  ligne {s.line} : {_clip(s.text)}" for s in report.ignored)
    return out


def _clip(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _summary(report: Any, scenario: Any) -> str:
    from trainer.call.summary import describe_record

    result = report.result
    direction = "appel entrant" if scenario.direction == "incoming" else "appel sortant"
    ended = {"customer": "le client a raccroché", "student": "l'élève a raccroché"}.get(result.ended_by or "", "—")
    lines = [
        f"Scénario : {scenario.id} — {scenario.title} ({direction})",
        f"Session : {result.session_id}",
        f"Fin de l'appel : {ended}" + (f" ({_END_REASONS.get(result.transcript.outcome.get('end_reason'), '')})"
                                        if result.transcript.outcome.get("end_reason") in _END_REASONS else ""),
        f"Tours : {result.turns}",
    ]
    lines.extend(_ignored_lines(report))
    if report.after_hangup_actions:
        lines.append(f"Saisies faites après la fin de l'appel : {len(report.after_hangup_actions)}.")
    lines.append("Enregistré dans le PGI :" if result.records else "Rien d'enregistré dans le PGI.")
    lines.extend(f"  - {describe_record(record)}" for record in result.records)
    for problem in result.problems:
        lines.append(f"  ! {problem}")
    score = result.score
    if score:
        lines.append(f"Score : {_fr_number(score.get('total'))} / 100 (grille {score.get('grid')})")
        broken = [r for r in score.get("rules", []) if r.get("verdict") == "violated"]
        if broken:
            lines.append("Règles de la charte non respectées :")
            for rule in broken:
                turns = ", ".join(str(t) for t in rule.get("turns", []))
                lines.append(f"  - {rule['id']}" + (f" (tour {turns})" if turns else ""))
    else:
        lines.append("Score : indisponible (module de notation absent).")
    lines.extend(voice_lines(result.transcript))
    lines.append(f"Transcription : {result.transcript_path}")
    return "\n".join(lines)


def voice_lines(transcript: Any) -> list[str]:
    """Voice mode: how the student spoke, turn by turn (rate, fillers, silence before, loudness)."""
    if getattr(transcript, "mode", "text") != "voice":
        return []
    from trainer.voice.report import voice_turn_lines

    return voice_turn_lines(turn.model_dump(exclude_none=True) for turn in transcript.turns)


_END_REASONS = {
    "satisfied": "satisfait",
    "unsatisfied": "insatisfait",
    "exasperated": "excédé",
    "message_left": "message laissé",
    "transferred": "transféré à un collègue",
    "hung_up_on": "l'élève a raccroché trop tôt",
}


def _fr_number(value: Any) -> str:
    if value is None:
        return "—"
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def recover(
    journal: Annotated[
        Path | None,
        typer.Argument(help="Journal d'une session (journal.jsonl). Sans argument : liste les appels interrompus."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Où écrire la transcription (défaut : à côté du journal).")] = None,
    json_out: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Reconstruit la transcription d'un appel interrompu à partir de son journal.

    Le journal (un tour par ligne, écrit sur le disque avant la réponse du client) survit à un arrêt
    brutal. La transcription reconstruite (contrat §2) est écrite à côté du journal ; si la base est
    joignable, la session y passe de « live » à « abandoned » avec sa transcription.
    """
    from trainer.call.recovery import list_unfinished, recover_journal

    if journal is None:
        found = list_unfinished()
        if json_out:
            print_json({"unfinished": [str(p) for p in found]})
        elif not found:
            typer.echo("Aucun appel interrompu dans le dossier des sessions.")
        else:
            typer.echo("Appels interrompus (journal sans fin) :")
            for path in found:
                typer.echo(f"  {path}")
        return
    outcome = recover_journal(journal, out=out, db_url=db)
    if json_out:
        print_json(outcome.as_json())
    else:
        typer.echo(outcome.describe())


def register(app: typer.Typer) -> None:
    """Add ``trainer play`` and ``trainer recover`` to the console script."""
    app.command("play", epilog=_play_epilog())(play)
    app.command("recover")(recover)
