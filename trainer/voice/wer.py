"""Word error rate with a French normalisation, to judge speech recognition against a reference.

Normalisation: Unicode NFC, lower case, accents *kept* ("a" and "à" are different words), typographic
apostrophes unified and elisions split ("l'espace" → "l'" "espace"), hyphens and underscores as
spaces, punctuation removed, numbers in digits spelt in words ("60" → "soixante") so that either
way of writing a number counts as the same words, common abbreviations spelt out ("Mme" → "madame"),
ligatures unfolded ("œ" → "oe").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from trainer.voice.frnumbers import spell_numbers

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_SYMBOLS = (("€", " euros "), ("%", " pour cent "), ("&", " et "))
_ABBREVIATIONS = {"mme": "madame", "mmes": "mesdames", "mlle": "mademoiselle", "mlles": "mesdemoiselles"}
_MONSIEUR = re.compile(r"\bm\.\s+(?=\w)")
_NON_WORD = re.compile(r"[^\w']+")


def normalize_words(text: str) -> list[str]:
    """The words of ``text`` after the French normalisation described in the module docstring."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES)
    for symbol, words in _SYMBOLS:
        text = text.replace(symbol, words)
    text = spell_numbers(text)
    text = text.lower().translate(_LIGATURES)
    text = _MONSIEUR.sub("monsieur ", text)
    text = text.replace("_", " ").replace("-", " ")
    # Keep the elided article with its apostrophe as a word of its own.
    text = re.sub(r"(\w)'(?=\w)", r"\1' ", text)
    words = []
    for raw in _NON_WORD.split(text):
        word = raw.strip("'") if not re.fullmatch(r"\w+'", raw) else raw
        if word:
            words.append(_ABBREVIATIONS.get(word, word))
    return words


@dataclass(frozen=True)
class WerResult:
    """Edit counts between a reference and a hypothesis, in normalised words."""

    substitutions: int
    deletions: int
    insertions: int
    reference_words: int

    @property
    def errors(self) -> int:
        """Substitutions + deletions + insertions."""
        return self.substitutions + self.deletions + self.insertions

    @property
    def wer(self) -> float:
        """Errors divided by the number of reference words (0 when both are empty)."""
        if self.reference_words == 0:
            return 0.0 if self.errors == 0 else float(self.errors)
        return self.errors / self.reference_words


def align(reference: list[str], hypothesis: list[str]) -> WerResult:
    """Levenshtein alignment of two word lists, counting each kind of error."""
    n, m = len(reference), len(hypothesis)
    # Each cell: (cost, substitutions, deletions, insertions); ties prefer substitutions.
    prev = [(j, 0, 0, j) for j in range(m + 1)]
    for i in range(1, n + 1):
        cur = [(i, 0, i, 0)]
        for j in range(1, m + 1):
            if reference[i - 1] == hypothesis[j - 1]:
                best = prev[j - 1]
            else:
                s = prev[j - 1]
                d = prev[j]
                ins = cur[j - 1]
                best = min(
                    (s[0] + 1, s[1] + 1, s[2], s[3]),
                    (d[0] + 1, d[1], d[2] + 1, d[3]),
                    (ins[0] + 1, ins[1], ins[2], ins[3] + 1),
                    key=lambda cell: cell[0],
                )
            cur.append(best)
        prev = cur
    _, subs, dels, inss = prev[m]
    return WerResult(subs, dels, inss, n)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of ``hypothesis`` against ``reference`` after French normalisation (0.0 = perfect)."""
    return align(normalize_words(reference), normalize_words(hypothesis)).wer


def corpus_wer(pairs: list[tuple[str, str]]) -> float:
    """WER over a set of (reference, hypothesis) pairs: total errors / total reference words."""
    errors = words = 0
    for reference, hypothesis in pairs:
        result = align(normalize_words(reference), normalize_words(hypothesis))
        errors += result.errors
        words += result.reference_words
    return errors / words if words else 0.0
