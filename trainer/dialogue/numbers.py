"""French numbers in digits or in words.

``digitize(text)`` rewrites the numbers of a normalised line in digits ("quarante huit tubes" → "48
tubes", "zero six douze trente quatre" → "0 6 12 34"), using text2num for the spelled numbers and
these rules of its own:

- approximate quantities become a number marked with "~": "une cinquantaine" → "~50", "une
  vingtaine" → "~20", "une centaine" → "~100"; "une quinzaine" (of days) → "~15";
- dozens are exact: "une douzaine" → "12", "deux douzaines" → "24", "une demi douzaine" → "6";
- "zero" is a digit (phone numbers are dictated "zéro six...");
- "un"/"une" stay words (they are mostly articles: "un peu", "une question"); slot rules decide
  when an article before a product means one unit;
- "neuf" stays a word when it means "new" ("tout neuf", "un produit neuf", "remis à neuf").

``parse_number(text)`` reads one whole expression ("quarante-huit", "48", "6,5", "une
cinquantaine") and ``find_numbers(text)`` lists the numbers of a line with their positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from text_to_num import alpha2digit

from trainer.dialogue.normalize import normalize

# "une cinquantaine" and friends: the tens a French speaker rounds to.
APPROXIMATE = {
    "dizaine": 10,
    "quinzaine": 15,
    "vingtaine": 20,
    "trentaine": 30,
    "quarantaine": 40,
    "cinquantaine": 50,
    "soixantaine": 60,
    "centaine": 100,
    "huitaine": 8,
}
_SMALL = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "quelques": None,
}
# Words before "neuf" that make it the adjective "new" rather than the number nine.
_NEUF_ADJECTIVE_BEFORE = {
    "tout", "toute", "a", "produit", "produits", "colis", "carton", "cartons", "flacon", "tube",
    "tubes", "remis", "remise", "etat", "comme", "du", "quoi", "rien", "flambant",
}
# "un" is the number one inside a compound number ("vingt et un", "trois cent un", "mille un")
# and after "zéro" in a phone number said digit by digit ("zéro un").
_BEFORE_UN = {"et", "cent", "cents", "mille", "vingt", "vingts", "zero"}
_PROTECT = "qxq"  # a marker text2num cannot read, restored after conversion

_APPROX_RE = re.compile(
    r"\b(?:(une|1|quelques|deux|2|trois|3)\s+)?(dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|"
    r"soixantaine|centaine|huitaine)s?\b"
)
_DOZEN_RE = re.compile(r"\b(une|1|deux|2|trois|3|quatre|4|cinq|5|six|6|\d+)?\s*(demi\s+)?douzaines?\b")
_NUMBER_RE = re.compile(r"(?<![\w.,])(~?)(\d+(?:[.,]\d+)?)(?![\w]|[.,]\d)")


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number of a digitised line: its value, where it is and whether it is approximate."""

    value: Decimal
    start: int
    end: int
    text: str
    approx: bool = False

    @property
    def is_integer(self) -> bool:
        """True for whole numbers (quantities, days); False for "6,4" or "12,50"."""
        return self.value == self.value.to_integral_value()


def _protect_words(text: str) -> str:
    words = text.split(" ")
    out: list[str] = []
    for i, word in enumerate(words):
        prev = words[i - 1] if i else ""
        if word in {"un", "une"} and prev not in _BEFORE_UN:
            out.append(_PROTECT + word)
        elif word == "neuf" and prev in _NEUF_ADJECTIVE_BEFORE:
            out.append(_PROTECT + word)
        elif word == "zero":
            out.append("0")
        else:
            out.append(word)
    return " ".join(out)


def _dozens(match: re.Match[str]) -> str:
    count_word, half = match.group(1), match.group(2)
    if count_word is None:
        count = 1
    elif count_word.isdigit():
        count = int(count_word)
    else:
        count = _SMALL.get(count_word) or 1
    total = count * 12
    if half:
        total = total // 2 if count_word in {None, "une", "1"} else total + 6
    return str(total)


def _approx(match: re.Match[str]) -> str:
    base = APPROXIMATE[match.group(2)]
    count_word = match.group(1)
    if count_word in {"deux", "2"}:
        base *= 2
    elif count_word in {"trois", "3"}:
        base *= 3
    elif count_word == "quelques":
        return f"quelques {match.group(2)}s"
    return f"~{base}"


@lru_cache(maxsize=8192)
def digitize(text: str) -> str:
    """Rewrite the numbers of an already normalised line in digits (see the module docstring)."""
    if not text:
        return ""
    # "trente pour cent" is 30 %, not "30 pour 100".
    text = re.sub(r"\bpour\s+cent(s?)\b", r"pourcent\1", text)
    text = _DOZEN_RE.sub(_dozens, text)
    text = _APPROX_RE.sub(_approx, text)
    protected = _protect_words(text)
    try:
        converted = alpha2digit(protected, "fr", threshold=0)
    except Exception:  # noqa: BLE001 - text2num must never break understanding; keep the words
        converted = protected
    return converted.replace(_PROTECT, "")


def find_numbers(text: str) -> list[NumberMention]:
    """Numbers of a digitised line, in order ("~50" is approximate; "6,4" is Decimal("6.4"))."""
    out: list[NumberMention] = []
    for match in _NUMBER_RE.finditer(text):
        raw = match.group(2).replace(",", ".")
        try:
            value = Decimal(raw)
        except InvalidOperation:
            continue
        out.append(NumberMention(value, match.start(), match.end(), match.group(), bool(match.group(1))))
    return out


def parse_number(text: str) -> int | Decimal | None:
    """Read one number expression in digits or words; None when ``text`` is not one number.

    >>> parse_number("quarante-huit"), parse_number("une cinquantaine"), parse_number("6,5")
    (48, 50, Decimal('6.5'))
    """
    digits = digitize(normalize(text)).strip()
    words = digits.split()
    if len(words) == 2 and words[0] in {"un", "une"} and words[1] in {"douzaine"}:
        return 12
    if len(words) == 1 and words[0] in {"un", "une"}:
        return 1
    numbers = find_numbers(digits)
    if len(numbers) != 1 or numbers[0].start != 0 or numbers[0].end != len(digits):
        return None
    value = numbers[0].value
    return int(value) if value == value.to_integral_value() else value
