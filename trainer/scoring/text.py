"""What one turn says, cut into sentences, with the student's own words told apart from the rest.

Scoring must never hold against the student what someone else said. Inside a student's turn,
three kinds of text are *not* the student's own words:

- a quotation between quotation marks (« … », “ … ”, "…"): "vous m'avez dit « c'est n'importe
  quoi »";
- reported speech introduced by a verb of saying and a colon: "le livreur m'a dit : tu signes là";
- stage directions between parentheses, square brackets or asterisks: "(tape sur le clavier)".

Each sentence keeps its raw text (to quote it back in advice), its tokens (normalised by
``trainer.dialogue.normalize.tokens``, the same function that normalises the phrase tables, so the
two always agree), where its clauses end (a comma, a semicolon: patterns can require "end of
clause"), and whether it is a question.

``analyse(text)`` is cached per distinct text: re-scoring a class year reuses the analysis of every
line that repeats ("Au revoir", "GENERIK, Julie, bonjour").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from text_to_num import alpha2digit

from trainer.dialogue.normalize import fillers, fold, tokens

# Pairs of quotation marks. Straight double quotes pair up in order.
_QUOTED_RE = re.compile(r"«[^»]*»?|“[^”]*”?|\"[^\"]*\"?|„[^“”]*[“”]?")
# Stage directions: parentheses, square brackets, *asterisks*.
_ASIDE_RE = re.compile(r"\([^)]*\)?|\[[^\]]*\]?|\*[^*]+\*")
# Reported speech: a verb of saying followed by a colon ("il m'a dit : …"), until the end of the
# sentence. Accents are required on participles so that "votre demande : 48 tubes" (a noun) is
# not taken for reported speech.
_REPORTED_RE = re.compile(
    r"\b(?:dit|dis|disait|dira|répondu|répond|écrit|expliqué|demandé|lancé|affirmé|prétendu|raconté|"
    r"déclaré|précisé|ajouté|crié|hurlé|râlé|marqué)\s*:\s*",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[.!?…]+|\n+")
_CLAUSE_RE = re.compile(r"[,;]|:(?=\s)|\s[-–—]\s")
# Abbreviations whose final dot does not end a sentence.
_ABBREVIATIONS = {"m", "mme", "mlle", "mm", "dr", "st", "ste", "cf", "tél", "tel", "n°", "no", "réf", "ref", "etc", "env", "av", "bd"}
# Verbs that start a question when inverted with their subject ("pouvez-vous", "puis-je").
_INVERSION_RE = re.compile(
    r"\b(?:avez|pouvez|voulez|souhaitez|souhaiteriez|désirez|desirez|êtes|etes|pourriez|auriez|seriez|"
    r"voudriez|aimeriez|connaissez|savez|préférez|preferez|préféreriez|accepteriez|acceptez|confirmez|"
    r"recevez|pensez|trouvez|disposez|comptez|envisagez|avez-vous|puis|dois|peux|pourrais|vais|ai|suis|"
    r"sais|est|sont|était|a|ont|faut|peut|pourra|pourrait|serait|sera|va|vont|convient|conviendrait|"
    r"reste|manque|voulait|aviez|étiez|etiez|vouliez|pouviez|souhaitiez|désiriez|fallait)"
    r"-(?:t-)?(?:vous|je|il|elle|on|ils|elles|nous|ce)\b",
    re.IGNORECASE,
)
_QUESTION_STARTS = (
    ("est", "ce", "que"), ("est", "ce", "qu'"), ("qu'", "est", "ce"), ("quel",), ("quelle",),
    ("quels",), ("quelles",), ("comment",), ("pourquoi",), ("combien",), ("quand",), ("qui",),
    ("que",), ("qu'",), ("lequel",), ("laquelle",), ("lesquels",), ("lesquelles",),
    ("a", "quel"), ("a", "quelle"), ("a", "qui"), ("de", "quel"), ("de", "quelle"), ("pour", "quand"),
)
_TIME_UNIT = {"h", "heure", "heures"}


@dataclass(slots=True)
class Sentence:
    """One sentence of a turn."""

    raw: str
    tokens: tuple[str, ...]
    clause_ends: frozenset[int]
    question: bool
    reported: bool
    text: str = field(init=False)

    def __post_init__(self) -> None:
        # Every token is surrounded by single spaces so that patterns match whole words.
        self.text = " " + " ".join(self.tokens) + " " if self.tokens else " "

    def quote(self, start: int | None = None, end: int | None = None, limit: int = 90) -> str:
        """The raw sentence, shortened around tokens ``start:end`` when it is long."""
        raw = " ".join(self.raw.split()).strip(" ,;:-–—")
        if len(raw) <= limit or start is None:
            return raw if len(raw) <= limit else raw[: limit - 1].rstrip() + "…"
        folded = fold(raw).lower()
        first = self.tokens[start].rstrip("'") if start < len(self.tokens) else ""
        pos = folded.find(first) if first else -1
        if pos < 0:
            return raw[: limit - 1].rstrip() + "…"
        begin = max(0, pos - 25)
        begin = raw.rfind(" ", 0, begin) + 1 if begin > 0 else 0
        excerpt = raw[begin : begin + limit].strip()
        prefix = "…" if begin > 0 else ""
        suffix = "…" if begin + limit < len(raw) else ""
        return f"{prefix}{excerpt}{suffix}"


@dataclass(slots=True)
class Utterance:
    """A whole turn: its sentences (own words and reported words), fillers, numbers."""

    raw: str
    sentences: tuple[Sentence, ...]
    fillers: tuple[str, ...]
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def own(self) -> tuple[Sentence, ...]:
        """Sentences that are the speaker's own words."""
        found = self.memo.get("own")
        if found is None:
            found = tuple(s for s in self.sentences if not s.reported)
            self.memo["own"] = found
        return found

    @property
    def is_question(self) -> bool:
        """True when one of the speaker's own sentences is a question."""
        return any(s.question for s in self.own)

    @property
    def word_count(self) -> int:
        """Number of tokens in the speaker's own words."""
        return sum(len(s.tokens) for s in self.own)

    def own_token_set(self) -> frozenset[str]:
        """The distinct tokens of the speaker's own words."""
        found = self.memo.get("own_set")
        if found is None:
            found = frozenset(t for s in self.own for t in s.tokens)
            self.memo["own_set"] = found
        return found

    def own_tokens(self) -> list[str]:
        """All tokens of the speaker's own words, in order."""
        found = self.memo.get("own_tokens")
        if found is None:
            found = [t for s in self.own for t in s.tokens]
            self.memo["own_tokens"] = found
        return list(found)

    def numbers(self, own_only: bool = False) -> list[tuple[float, int, int]]:
        """Numbers written in digits or words: (value, sentence index, token index)."""
        out: list[tuple[float, int, int]] = []
        for si, sentence in enumerate(self.sentences):
            if own_only and sentence.reported:
                continue
            for ti, tok in enumerate(sentence.tokens):
                value = _as_number(tok)
                if value is not None:
                    out.append((value, si, ti))
        return out


_SMALL_NUMBERS = {"un": 1, "une": 1, "deux": 2}


def _as_number(tok: str) -> float | None:
    if tok in _SMALL_NUMBERS:
        return float(_SMALL_NUMBERS[tok])
    if tok and tok[0].isdigit():
        head = re.match(r"\d+(?:[.,]\d+)?", tok)
        if head and head.end() == len(tok):
            try:
                return float(head.group().replace(",", "."))
            except ValueError:  # pragma: no cover - the regex guarantees a number
                return None
    return None


def _regions(text: str) -> list[tuple[int, int]]:
    """Character ranges that are not the speaker's own words (quotes, reported speech, asides)."""
    spans: list[tuple[int, int]] = []
    for regex in (_QUOTED_RE, _ASIDE_RE):
        spans.extend((m.start(), m.end()) for m in regex.finditer(text))
    for m in _REPORTED_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        start = m.end()
        # A quotation right after the colon is already covered.
        if start < len(text) and text[start] in "«“\"":
            continue
        end_match = re.compile(r"[.!?…]").search(text, start)
        end = end_match.end() if end_match else len(text)
        spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _split_sentences(text: str) -> list[tuple[str, bool]]:
    """Split raw text into (sentence, ends with a question mark)."""
    out: list[tuple[str, bool]] = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        punct = m.group()
        if punct == ".":
            # "M. Mocher", "6.4", "tél. 06…": not the end of a sentence.
            after = text[m.end() : m.end() + 1]
            if after and not after.isspace():
                continue
            before = re.search(r"(\w+)$", text[start : m.start()])
            word = before.group(1).lower() if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        piece = text[start : m.end()]
        if piece.strip(" .!?…\n"):
            out.append((piece, "?" in punct))
        start = m.end()
    tail = text[start:]
    if tail.strip(" .!?…\n"):
        out.append((tail, False))
    return out


# Spelled-out numbers are rare: the (slow) conversion runs only on clauses that contain one.
_NUMBER_WORD_RE = re.compile(
    r"\b(?:trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|"
    r"trente|quarante|cinquante|soixante|cent|cents|mille)",
    re.IGNORECASE,
)


def _clause_tokens(sentence: str) -> tuple[list[str], set[int]]:
    toks: list[str] = []
    ends: set[int] = set()
    for clause in _CLAUSE_RE.split(sentence):
        if not clause.strip():
            continue
        converted = alpha2digit(clause, "fr") if _NUMBER_WORD_RE.search(clause) else clause
        part = tokens(converted)
        if part:
            toks.extend(part)
            ends.add(len(toks) - 1)
    return toks, ends


def _looks_like_question(raw: str, toks: list[str]) -> bool:
    if not toks:
        return False
    for start in _QUESTION_STARTS:
        if tuple(toks[: len(start)]) == start:
            # "que" at the start of a statement is rare; "qui" too ("qui vous rappellera" is one).
            return True
    return bool(_INVERSION_RE.search(raw))


def _make_sentences(segment: str, reported: bool) -> list[Sentence]:
    out: list[Sentence] = []
    for piece, has_qmark in _split_sentences(segment):
        toks, ends = _clause_tokens(piece)
        if not toks:
            continue
        question = has_qmark or _looks_like_question(piece, toks)
        out.append(Sentence(raw=piece.strip(), tokens=tuple(toks), clause_ends=frozenset(ends),
                            question=question, reported=reported))
    return out


@lru_cache(maxsize=65536)
def analyse(text: str) -> Utterance:
    """Cut one turn into sentences, telling the speaker's own words from quoted ones."""
    text = text or ""
    regions = _regions(text)
    sentences: list[Sentence] = []
    cursor = 0
    for a, b in regions:
        if a > cursor:
            sentences.extend(_make_sentences(text[cursor:a], reported=False))
        inner = text[a:b].strip("«»“”\"„()[]* ")
        sentences.extend(_make_sentences(inner, reported=True))
        cursor = b
    if cursor < len(text):
        sentences.extend(_make_sentences(text[cursor:], reported=False))
    own_text = " ".join(text[x:y] for x, y in _own_ranges(len(text), regions))
    found = tuple(fillers(own_text)) if _may_have_fillers(own_text) else ()
    return Utterance(raw=text, sentences=tuple(sentences), fillers=found)


@lru_cache(maxsize=1)
def _filler_re() -> re.Pattern[str]:
    from trainer.dialogue.normalize import filler_words

    words = sorted(filler_words(), key=len, reverse=True)
    # Letters may be repeated in speech ("euuuh", "baaah"): each letter of a filler may repeat.
    return re.compile(r"\b(?:" + "|".join("".join(re.escape(c) + "+" for c in w) for w in words) + r")\b", re.IGNORECASE)


def _may_have_fillers(text: str) -> bool:
    """Cheap test before running the normaliser's filler extraction."""
    return bool(_filler_re().search(fold(text)))


def _own_ranges(length: int, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = 0
    for a, b in regions:
        if a > cursor:
            out.append((cursor, a))
        cursor = max(cursor, b)
    if cursor < length:
        out.append((cursor, length))
    return out


def is_time_token(tok: str) -> bool:
    """"16h", "9h30": a clock time written as one token."""
    return bool(re.fullmatch(r"\d{1,2}h(?:\d{2})?", tok))


def time_unit(tok: str) -> bool:
    """"h", "heure", "heures"."""
    return tok in _TIME_UNIT
