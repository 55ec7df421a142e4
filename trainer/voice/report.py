"""How the student spoke, turn by turn, in French: the after-call view of the voice measures.

Pure (no audio, no engine): it reads the per-turn fields of a voice transcript (CONTRACT §2 plus
``filler_words_per_minute`` and ``pause_before_s``), as dicts. ``trainer play --voice`` prints these
lines in its summary; the debrief shows them under the grid item « Poser sa voix ».
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from trainer.voice.prosody import PHONE_REFERENCE_WPM


def _fr(value: float, digits: int = 1) -> str:
    text = f"{float(value):.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",").replace("-", "−")


def voice_turn_lines(turns: Iterable[Mapping[str, Any]]) -> list[str]:
    """A heading and one line per spoken student turn (empty when no student turn was spoken)."""
    out = []
    for index, turn in enumerate(turns):
        if turn.get("speaker") != "student" or not turn.get("audio"):
            continue
        parts = []
        if turn.get("words_per_minute") is not None:
            parts.append(f"{_fr(turn['words_per_minute'], 0)} mots/min")
        if turn.get("filler_words_per_minute") is not None:
            parts.append(f"{_fr(turn['filler_words_per_minute'])} mot(s) parasite(s)/min")
        if turn.get("pause_before_s") is not None:
            parts.append(f"silence avant de parler {_fr(turn['pause_before_s'])} s")
        if turn.get("loudness_dbfs") is not None:
            parts.append(f"volume {_fr(turn['loudness_dbfs'], 0)} dBFS")
        out.append(f"  tour {index} : " + (", ".join(parts) if parts else "trop court pour être mesuré"))
    if not out:
        return []
    return [f"Voix de l'élève (repère au téléphone : environ {PHONE_REFERENCE_WPM:.0f} mots/min) :", *out]
