"""The phrase tables of ``grids/phrases/`` compiled into fast matchers.

A variant written by a teacher ("(il|elle) n'est pas là", "le préparateur * toujours") becomes one
regular expression over the space-separated tokens of a sentence (see ``grids/phrases/LISEZMOI.md``
for the small pattern language). Each table also gets one combined expression used as a quick
filter, so that a sentence that contains none of a table's phrases costs a single search.

Matches are memoised on the ``Utterance`` (itself cached per distinct text), so a phrase table is
searched once per distinct line of dialogue, however many transcripts repeat it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from trainer.content.grids import PhraseBook, PhraseEntry, load_phrasebook
from trainer.dialogue.normalize import tokens
from trainer.scoring.text import Sentence, Utterance

_NUMBER = r" \+?\d[\d.,:/h]*"
_HOUR = r" (?:\d{1,2}h\d{0,2}|\d{1,2} (?:h|heure|heures)(?: \d{2})?)"
_ANY_WORDS = r"(?: \S+){0,3}"
_PART_RE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|(\*)|(#)|(@heure)|([^()\[\]*#@]+)|(@)")


def _words(text: str) -> str | None:
    """Regex for a run of plain words (normalised like the dialogue), or None when it is empty."""
    toks = tokens(text)
    if not toks:
        return None
    return "".join(" " + re.escape(t) for t in toks)


def _alternatives(body: str) -> tuple[list[str], bool]:
    """Regexes of the alternatives of a group, and whether one of them is empty."""
    alts: list[str] = []
    empty = False
    for alt in body.split("|"):
        special = alt.strip()
        if special == "#":
            alts.append(_NUMBER)
            continue
        if special == "@heure":
            alts.append(_HOUR)
            continue
        if special == "*":
            alts.append(_ANY_WORDS)
            continue
        rx = _words(alt)
        if rx is None:
            empty = True
        else:
            alts.append(rx)
    return alts, empty


def compile_pattern(pattern: str) -> str | None:
    """Translate one variant of the pattern language into a regex over " tok tok … " text.

    The regex starts with the space before the first token and ends at a word boundary.
    """
    parts: list[str] = []
    for m in _PART_RE.finditer(pattern):
        group, optional, star, number, hour, plain, _lone_at = m.groups()
        if group is not None:
            alts, empty = _alternatives(group)
            if not alts:
                continue
            rx = "(?:" + "|".join(alts) + ")"
            parts.append(rx + "?" if empty else rx)
        elif optional is not None:
            alts, _empty = _alternatives(optional)
            if alts:
                parts.append("(?:" + "|".join(alts) + ")?")
        elif star is not None:
            parts.append(_ANY_WORDS)
        elif number is not None:
            parts.append(_NUMBER)
        elif hour is not None:
            parts.append(_HOUR)
        elif plain is not None:
            rx = _words(plain)
            if rx is not None:
                parts.append(rx)
    if not parts:
        # Only spoken fillers ("bah", "ben"): they are removed before matching and have their own
        # check (``Lexicon.filler_words``).
        return None
    return "".join(parts) + "(?= )"


@dataclass(frozen=True, slots=True)
class CompiledEntry:
    entry: PhraseEntry
    table: str
    regex: re.Pattern[str] | None
    followed: tuple[re.Pattern[str] | None, ...]   # None stands for "$" (end of clause)
    not_followed: tuple[re.Pattern[str], ...]
    not_preceded: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """One match of a table entry in a sentence of a turn."""

    table: str
    entry: PhraseEntry
    sentence_index: int
    sentence: Sentence
    start: int
    end: int

    @property
    def matched(self) -> str:
        """The normalised words that matched."""
        return " ".join(self.sentence.tokens[self.start : self.end])

    def quote(self) -> str:
        """The student's (or caller's) raw words around the match, for advice."""
        return self.sentence.quote(self.start, self.end)


def _follow_regex(pattern: str) -> re.Pattern[str] | None:
    if pattern.strip() == "$":
        return None
    rx = compile_pattern(pattern)
    return re.compile("^" + rx) if rx else None


def _precede_regex(pattern: str) -> re.Pattern[str] | None:
    rx = compile_pattern(pattern)
    return re.compile(rx + " $") if rx else None


class Lexicon:
    """Every phrase table, compiled; ``find`` returns the hits of a table in a turn."""

    _counter = 0

    def __init__(self, book: PhraseBook) -> None:
        Lexicon._counter += 1
        self._id = Lexicon._counter
        self.book = book
        self._entries: dict[str, tuple[CompiledEntry, ...]] = {}
        self._filters: dict[str, re.Pattern[str]] = {}
        for name, entries in book.tables.items():
            compiled: list[CompiledEntry] = []
            sources: list[str] = []
            for entry in entries:
                variants = [rx for rx in (compile_pattern(v) for v in entry.variants) if rx]
                rx = "|".join(f"(?:{v})" for v in variants) if variants else None
                if rx:
                    sources.append(rx)
                compiled.append(
                    CompiledEntry(
                        entry=entry,
                        table=name,
                        regex=re.compile(rx) if rx else None,
                        followed=tuple(_follow_regex(p) for p in entry.followed_by),
                        not_followed=tuple(r for r in (_follow_regex(p) for p in entry.not_followed_by) if r),
                        not_preceded=tuple(r for r in (_precede_regex(p) for p in entry.not_preceded_by) if r),
                    )
                )
            self._entries[name] = tuple(compiled)
            # "(?!)" never matches: a table of fillers only is checked word by word.
            self._filters[name] = re.compile("|".join(f"(?:{s})" for s in sources) or "(?!)")

    def has_table(self, name: str) -> bool:
        """Whether some file defines table ``name``."""
        return name in self._entries

    def entries(self, name: str) -> tuple[CompiledEntry, ...]:
        """The compiled entries of table ``name`` (``UserError`` when missing)."""
        if name not in self._entries:
            self.book.table(name)  # raises the French error
        return self._entries[name]

    def find(self, name: str, utt: Utterance, *, own: bool = True) -> list[Hit]:
        """Hits of table ``name`` in the turn (only the speaker's own words unless ``own=False``)."""
        # Keyed by this lexicon too: a teacher's edit of a phrase file gives a new lexicon, and the
        # (cached) lines must then be searched again.
        key = (self._id, name, own)
        cached = utt.memo.get(key)
        if cached is not None:
            return cached
        entries = self.entries(name)
        flt = self._filters[name]
        hits: list[Hit] = []
        for si, sentence in enumerate(utt.sentences):
            if own and sentence.reported:
                continue
            if not flt.search(sentence.text):
                continue
            for ce in entries:
                hits.extend(_match_entry(ce, si, sentence))
        utt.memo[key] = hits
        return hits

    def any(self, name: str, utt: Utterance, *, own: bool = True) -> bool:
        """Whether table ``name`` matches anywhere in the turn."""
        return bool(self.find(name, utt, own=own))

    def filler_words(self, name: str) -> dict[str, PhraseEntry]:
        """Words of a table of spoken fillers, folded, mapped to their entry."""
        from trainer.dialogue.normalize import fold

        out: dict[str, PhraseEntry] = {}
        for ce in self.entries(name):
            for variant in ce.entry.variants:
                out[fold(variant).lower().strip()] = ce.entry
        return out

    def entry_ids(self, name: str) -> list[str]:
        """Keys of the entries of a table (for documentation and tests)."""
        return [ce.entry.key for ce in self.entries(name)]


def _token_index(text: str, pos: int) -> int:
    # ``text`` is " t0 t1 … "; the token starting right after position ``pos`` (a space).
    return text.count(" ", 0, pos + 1) - 1


def _match_entry(ce: CompiledEntry, si: int, sentence: Sentence) -> list[Hit]:
    entry = ce.entry
    if ce.regex is None:
        return []
    if entry.question_only and not sentence.question:
        return []
    if entry.statement_only and sentence.question:
        return []
    out: list[Hit] = []
    text = sentence.text
    pos = 0
    while True:
        m = ce.regex.search(text, pos)
        if m is None:
            break
        pos = m.start() + 1
        start = _token_index(text, m.start())
        end = _token_index(text, m.end())
        if end <= start:
            continue
        if _accepts(ce, sentence, start, end):
            out.append(Hit(ce.table, entry, si, sentence, start, end))
            pos = m.end()
    return out


def _accepts(ce: CompiledEntry, sentence: Sentence, start: int, end: int) -> bool:
    toks = sentence.tokens
    if ce.entry.at_clause_start and start > 0 and (start - 1) not in sentence.clause_ends:
        return False
    if ce.followed:
        rest = " " + " ".join(toks[end:]) + " "
        at_end = end >= len(toks) or (end - 1) in sentence.clause_ends
        ok = False
        for rx in ce.followed:
            if rx is None:
                if at_end:
                    ok = True
                    break
            elif end < len(toks) and rx.search(rest):
                ok = True
                break
        if not ok:
            return False
    if ce.not_followed and end < len(toks):
        rest = " " + " ".join(toks[end:]) + " "
        if any(rx.search(rest) for rx in ce.not_followed):
            return False
    if ce.not_preceded and start > 0:
        before = " " + " ".join(toks[:start]) + " "
        if any(rx.search(before) for rx in ce.not_preceded):
            return False
    return True


_COMPILED: dict[int, tuple[PhraseBook, Lexicon]] = {}
# Checking the phrase folder costs a directory listing: done at most every RECHECK_SECONDS, so that
# re-scoring thousands of transcripts does not list the folder for each one, while a teacher's edit
# is still picked up by a running application.
RECHECK_SECONDS = 2.0
_LAST: dict[str, tuple[float, Lexicon]] = {}


def get_lexicon(directory: Path | None = None) -> Lexicon:
    """The compiled phrase tables of the grids folder (recompiled when a file changes)."""
    from trainer.paths import grids_dir

    key = str(directory or grids_dir())
    now = time.monotonic()
    last = _LAST.get(key)
    if last is not None and now - last[0] < RECHECK_SECONDS:
        return last[1]
    lexicon = _compiled(directory)
    _LAST[key] = (now, lexicon)
    return lexicon


def _compiled(directory: Path | None) -> Lexicon:
    book = load_phrasebook(directory)
    found = _COMPILED.get(id(book))
    if found is not None and found[0] is book:
        return found[1]
    lexicon = Lexicon(book)
    if len(_COMPILED) > 8:
        _COMPILED.clear()
    _COMPILED[id(book)] = (book, lexicon)
    return lexicon
