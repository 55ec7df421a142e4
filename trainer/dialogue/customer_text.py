"""Wording helpers of the simulated customer: templates, French dates, phrase matching.

Pure and fast: phrases are normalised once (``PhraseSet``) and matched as whole words on the
normalised student line, so "C'est de la part ?" and "c est de la part" meet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache

from trainer.dialogue.normalize import normalize

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
_SLOT = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
_PUNCT_EDGES = re.compile(r"^[\s?!.,;:\"]+|[\s?!.,;:\"]+$")


def french_date(day: date, *, weekday: bool = True) -> str:
    """« vendredi 27 novembre » (or « 27 novembre »); « 1er » for the first of the month."""
    number = "1er" if day.day == 1 else str(day.day)
    text = f"{number} {MONTHS[day.month - 1]}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def french_amount(amount: Decimal) -> str:
    """« 1 405,20 euros » as a person says it on the phone (thin spaces avoided for TTS)."""
    quantized = amount.quantize(Decimal("0.01"))
    whole, cents = f"{quantized:.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{cents} euros"


def slots_in(template: str) -> list[str]:
    """The ``{slot}`` names of a template."""
    return _SLOT.findall(template)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill ``{slot}`` placeholders; an unknown or empty slot is dropped and the text tidied."""

    def fill(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return "" if value is None else str(value)

    text = _SLOT.sub(fill, template)
    # Tidy what an empty slot leaves behind: double spaces, a space before a comma, ", ,".
    text = re.sub(r"\s{2,}", " ", text)
    text = re.sub(r"\s+([,.])", r"\1", text)
    text = re.sub(r",\s*([,.!?])", r"\1", text)
    text = re.sub(r"^\s*,\s*", "", text)
    text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)  # "Salon Sophie L.." after a name ending with a dot
    return text.strip()


def missing_slots(template: str, values: Mapping[str, object]) -> list[str]:
    """Slots of the template that have no value."""
    return [name for name in slots_in(template) if values.get(name) in (None, "")]


def _clean_phrase(phrase: str) -> str:
    # A phrase written with a final "?" only matches a question ("c'est pourquoi ?", not "c'est
    # pourquoi je vous appelle"): the mark is kept, other edge punctuation is dropped.
    question = phrase.rstrip().endswith("?")
    core = _PUNCT_EDGES.sub("", normalize(phrase))
    return f"{core}?" if question and core else core


def _pattern(phrase: str) -> str:
    if phrase.endswith("?"):
        return re.escape(phrase[:-1]) + r"\s*\?"
    return re.escape(phrase) + r"(?![\w])"


class PhraseSet:
    """A list of French phrases matched as whole words on normalised text (one compiled regex).

    A phrase ending with « ? » matches only when the student's words end a question there.
    """

    __slots__ = ("phrases", "_regex")

    def __init__(self, phrases: Iterable[str]) -> None:
        cleaned = sorted({_clean_phrase(p) for p in phrases if _clean_phrase(p)}, key=len, reverse=True)
        self.phrases: tuple[str, ...] = tuple(cleaned)
        if cleaned:
            body = "|".join(_pattern(p) for p in cleaned)
            self._regex: re.Pattern[str] | None = re.compile(rf"(?<!\w)(?:{body})")
        else:
            self._regex = None

    def search(self, normalized: str) -> str | None:
        """The first phrase found in the normalised text, or None."""
        if self._regex is None:
            return None
        match = self._regex.search(normalized)
        return match.group(0) if match else None

    def __bool__(self) -> bool:
        return bool(self.phrases)


@lru_cache(maxsize=4096)
def phrase_set(phrases: tuple[str, ...]) -> PhraseSet:
    """A cached ``PhraseSet`` (conditions of a scenario are compiled once)."""
    return PhraseSet(phrases)


_QUOTED = re.compile(r'"[^"]*"')


def without_quotes(normalized: str) -> str:
    """The normalised line without quoted speech (« … » becomes "…" in normalised text).

    Words the student quotes ("vous m'avez dit « tu… »") are never held against them.
    """
    return _QUOTED.sub(" ", normalized)
