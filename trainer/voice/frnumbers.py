"""French numbers in words, so that "60 millions" and "soixante millions" count as the same words.

Used to normalise speech-recognition output (Whisper writes digits, reference texts often write
words) and to count spoken words for the speaking rate. Traditional spelling (France): "vingt et
un", "soixante-dix", "quatre-vingts", "deux cents", "mille", "un million".
"""

from __future__ import annotations

import re

_UNITS = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
    "onze", "douze", "treize", "quatorze", "quinze", "seize",
]  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        # soixante-dix, quatre-vingt-dix: the base is 60 or 80 plus 10..19.
        base = "soixante" if tens == 7 else "quatre-vingt"
        rest = n - (60 if tens == 7 else 80)
        if rest == 11 and tens == 7:
            return "soixante et onze"
        return f"{base}-{_below_100(rest)}"
    if tens == 8:
        return "quatre-vingts" if unit == 0 else f"quatre-vingt-{_UNITS[unit]}"
    word = _TENS[tens]
    if unit == 0:
        return word
    if unit == 1:
        return f"{word} et un"
    return f"{word}-{_UNITS[unit]}"


def _below_1000(n: int, final: bool) -> str:
    hundreds, rest = divmod(n, 100)
    parts: list[str] = []
    if hundreds:
        if hundreds == 1:
            parts.append("cent")
        else:
            # "deux cents" takes an s only when nothing follows (and not before "mille").
            parts.append(f"{_UNITS[hundreds]} cent" + ("s" if rest == 0 and final else ""))
    if rest:
        text = _below_100(rest)
        if rest == 80 and not final:
            text = "quatre-vingt"
        parts.append(text)
    return " ".join(parts)


def int_to_words(n: int) -> str:
    """Spell a non-negative integer in French words (up to the billions)."""
    if n < 0:
        return "moins " + int_to_words(-n)
    if n == 0:
        return "zéro"
    parts: list[str] = []
    for value, singular, plural in ((10**9, "milliard", "milliards"), (10**6, "million", "millions")):
        count, n = divmod(n, value)
        if count:
            parts.append(f"{int_to_words(count)} {singular if count == 1 else plural}")
    thousands, n = divmod(n, 1000)
    if thousands:
        parts.append("mille" if thousands == 1 else f"{_below_1000(thousands, final=False)} mille")
    if n:
        parts.append(_below_1000(n, final=True))
    return " ".join(parts)


def digits_to_words(token: str) -> str:
    """Spell one token of digits as a French speaker reads it.

    Leading zeros are read digit by digit ("06" → "zéro six", as in phone numbers); a decimal point
    reads "point" (hair colour shades "6.4"), a decimal comma "virgule" ("2,5").
    """
    for sep, word in ((".", "point"), (",", "virgule")):
        if sep in token:
            left, right = token.split(sep, 1)
            return f"{digits_to_words(left)} {word} {digits_to_words(right)}"
    if not token.isdigit():
        return token
    if len(token) > 1 and token.startswith("0"):
        zeros = len(token) - len(token.lstrip("0"))
        rest = token[zeros:]
        return " ".join(["zéro"] * zeros + ([int_to_words(int(rest))] if rest else []))
    return int_to_words(int(token))


# A number: digits with optional thousands groups separated by (narrow) spaces, then an optional
# decimal part. Phone numbers ("06 12 34") do not match the groups of three.
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:([.,])(\d+))?(?![\w])")
_ORDINAL = re.compile(r"\b(\d+)(?:er|re|e|ème|eme)\b")
_ORDINALS = {1: "premier"}


def _ordinal(match: re.Match[str]) -> str:
    n = int(match.group(1))
    if n in _ORDINALS and match.group(0).endswith(("er", "re")):
        return "première" if match.group(0).endswith("re") else "premier"
    word = int_to_words(n)
    # cinq → cinquième, neuf → neuvième, quatre → quatrième, mille → millième.
    if word.endswith("cinq"):
        return word + "uième"
    if word.endswith("neuf"):
        return word[:-1] + "vième"
    if word.endswith("e"):
        return word[:-1] + "ième"
    return word + "ième"


_CLOCK = re.compile(r"\b(\d{1,2}) ?h ?(\d{2})?\b")


def _clock(match: re.Match[str]) -> str:
    hours = int(match.group(1))
    words = f"{int_to_words(hours)} {'heure' if hours == 1 else 'heures'}"
    if match.group(2):
        words += " " + int_to_words(int(match.group(2)))
    return words


def spell_numbers(text: str) -> str:
    """Replace every number written in digits in ``text`` by its French words."""
    text = _ORDINAL.sub(_ordinal, text)
    text = _CLOCK.sub(_clock, text)

    def repl(match: re.Match[str]) -> str:
        whole = re.sub(r"[ \u00a0\u202f]", "", match.group(1))
        if match.group(2):
            return digits_to_words(f"{whole}{match.group(2)}{match.group(3)}")
        return digits_to_words(whole)

    return _NUMBER.sub(repl, text)
