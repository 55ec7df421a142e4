"""``trainer transcribe`` and ``trainer speak`` (CONTRACT §1): the voice mode's two building blocks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trainer.commands.common import DbOption, JsonOption, print_json
from trainer.errors import UserError


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def transcribe(
    audio: Annotated[Path, typer.Argument(help="Enregistrement WAV en français.", show_default=False)],
    json_: JsonOption = False,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="Modèle Whisper : un nom (base, small…, téléchargé au premier usage) ou un dossier local "
            "(sinon TRAINER_ASR_MODEL, sinon base).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Reconnaissance vocale d'un enregistrement, avec le débit, les mots parasites et le volume."""
    from trainer.voice.wavio import wav_info

    wav_info(audio)  # a clear message for a missing or non-WAV file, before loading any model
    from trainer.voice.asr import transcribe_file

    result, prosody = transcribe_file(audio, model)
    if json_:
        print_json(
            {
                "text": result.text,
                "duration_s": round(result.duration_s, 3),
                "words_per_minute": _r(prosody.words_per_minute),
                "filler_words_per_minute": _r(prosody.filler_words_per_minute),
                "loudness_dbfs": _r(prosody.loudness_dbfs),
                "asr_confidence": _r(result.confidence, 3),
                "pause_before_s": _r(prosody.pause_before_s, 2),
                "longest_pause_s": _r(prosody.longest_pause_s, 2),
                "fillers": prosody.fillers,
                "words": [
                    {"text": w.text, "start": round(w.start, 2), "end": round(w.end, 2)} for w in result.words
                ],
                "model": result.model,
                "transcription_s": round(result.elapsed_s, 3),
            }
        )
        return
    typer.echo(result.text or "(aucune parole reconnue)")
    details = [f"durée {result.duration_s:.1f} s"]
    if prosody.words_per_minute is not None:
        details.append(f"débit {prosody.words_per_minute:.0f} mots/min (repère au téléphone : 120)")
    if prosody.filler_words_per_minute is not None:
        details.append(f"mots parasites {prosody.filler_words_per_minute:.1f}/min")
    if prosody.loudness_dbfs is not None:
        details.append(f"volume {prosody.loudness_dbfs:.1f} dBFS")
    if prosody.pause_before_s is not None:
        details.append(f"silence avant de parler {prosody.pause_before_s:.1f} s")
    typer.echo(" ; ".join(details))


def speak(
    text: Annotated[str, typer.Argument(help="La phrase à dire (en français).", show_default=False)],
    out: Annotated[Path, typer.Option("--out", help="Fichier WAV à écrire.", show_default=False)],
    persona: Annotated[
        str | None,
        typer.Option("--persona", help="Identifiant du personnage dont on prend la voix.", show_default=False),
    ] = None,
    json_: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Dit une phrase avec la voix d'un personnage (par défaut la meilleure voix installée) dans un WAV."""
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out} : c'est un dossier, un nom de fichier .wav est attendu.")
    person = None
    if persona is not None:
        from trainer.content.scenarios import find_persona

        person = find_persona(persona)
    from trainer.voice.tts import VoiceEngine

    engine = VoiceEngine()
    voice, _ = engine.voice_for(person)
    if not voice.natural:
        typer.echo(
            "Voix naturelles absentes (MBROLA, Pico) : voix robotique d'espeak-ng (voir README, « Mode voix »).",
            err=True,
        )
    try:
        line = engine.speak_line(text, person, out=out)
    except PermissionError:
        raise UserError(f"--out {out} : écriture impossible (droits du dossier).") from None
    if json_:
        print_json(line.as_json())
        return
    typer.echo(f"{line.path} : {line.duration_s:.1f} s, {line.sample_rate} Hz, voix {line.engine} {line.voice}")


def register(app: typer.Typer) -> None:
    """Add ``transcribe`` and ``speak`` to the ``trainer`` command."""
    app.command("transcribe")(transcribe)
    app.command("speak")(speak)
