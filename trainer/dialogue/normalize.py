"""French text normalisation shared by the NLU and the scoring rules.

``normalize(text)`` turns whatever a student typed (or the speech recogniser wrote) into one
canonical form, so that matching does not depend on capitals, accents, SMS style or spoken fillers.
The transformations, in the order they run:

1. **Unicode compatibility** (NFKC): full-width letters, ligatures such as "ﬁ", "…" become plain
   characters; "œ" and "æ" become "oe" and "ae".
2. **Apostrophes and quotes unified**: ’ ‘ ʼ ` ´ become ``'``; « » “ ” „ become ``"``; the dashes
   ‐ – — − become ``-``; non-breaking and other spaces become one plain space.
3. **Repeated letters squeezed** (before accents are folded, so that "créée" keeps its three e):
   a letter written three times or more in a row becomes one letter for vowels ("merciii" →
   "merci") and two for consonants ("bonjourrr" → "bonjourr"); then a doubled letter is made single
   when that gives a known word ("ouii" → "oui", "bonjourr" → "bonjour"). An unknown word one
   letter away from a day, month or "demain" is corrected ("demin" → "demain", "vendedi" →
   "vendredi"), so that a typed commitment keeps its date.
4. **Lower case and accents folded** ("Réclamation" → "reclamation"). Letters of other scripts are
   kept, only their combining marks are dropped.
5. **Tokens**: e-mail addresses and web addresses are kept whole; numbers keep their inner
   separators ("6.4", "6,4", "12,50", "06.12.34.56.78", "2026-000123"), times ("16h30") and
   ordinals ("1er", "3eme") stay one token; digits glued to a word are separated ("48tubes" → "48
   tubes"); hyphens inside words become spaces ("quarante-huit" → "quarante huit", "pouvez-vous" →
   "pouvez vous"); "€" becomes "euros", "&" becomes "et".
6. **Punctuation unified**: a run such as "?!?" becomes "?", "!!" becomes "!", ".." and "…" become
   "..."; marks left side by side once symbols, spaces or fillers are gone ("? !", "?/!") make one run. Punctuation is attached to the preceding word ("bonjour, julie!"). Other symbols and emoji
   are dropped.
7. **Elisions rebuilt** when the apostrophe was typed as a space: "j ai" → "j'ai", "c est" →
   "c'est", "l adresse" → "l'adresse", "qu il" → "qu'il".
8. **SMS words expanded** from ``data/sms.yaml`` ("bjr" → "bonjour", "svp" → "s'il vous plait",
   "stp" → "s'il te plait", "pk" → "pourquoi", "jai" → "j'ai"...). Context rules where a
   dictionary would be wrong: "c" before a word is "c'est" ("c noté" → "c'est noté") but not after a
   number or at the end ("vitamine c"); "g" before a word is "j'ai" ("g noté") but not after a
   number ("500 g"); "m." or "m" before a name is "monsieur" ("M. Mocher" → "monsieur mocher").
9. **Spoken fillers removed** from ``data/fillers.yaml`` ("euh", "heu", "hum", "ben", "bah"...);
   ``fillers(text)`` still returns them, because "bah" and "ben" are a register fault for scoring.

``fold(text)`` only folds accents (and the ligatures). ``tokens(text)`` gives the words and numbers
of ``normalize(text)`` with leading elided clitics split off ("j'ai" → "j'", "ai") so that "t'"
can be told from "tube".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The packaged data files; ``trainer.dialogue.nlu_data`` also looks in ``TRAINER_NLU_DATA_DIR``."""

_APOSTROPHES = dict.fromkeys(map(ord, "\u2019\u2018\u02bc\u02bb`\u00b4\u2032\uff07"), "'")
_QUOTES = dict.fromkeys(map(ord, "\u00ab\u00bb\u201c\u201d\u201e\u201f\u2039\u203a"), '"')
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_LIGATURES = {ord("œ"): "oe", ord("Œ"): "OE", ord("æ"): "ae", ord("Æ"): "AE"}
_VOWELS = set("aeiouyàâäéèêëîïôöùûüÿ")

# A clitic that French writes with an apostrophe before a vowel ("j'ai", "l'adresse").
_ELIDABLE = {"j", "c", "l", "d", "m", "t", "s", "n", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
# Words that keep their inner apostrophe as one token in ``tokens()``.
_SPLIT_CLITIC = re.compile(r"^(jusqu|lorsqu|puisqu|quoiqu|qu|[jcldmtsn])'(?=.)")

_TOKEN_RE = re.compile(
    r"""
    (?P<email>[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})
  | (?P<url>(?:https?://|www\.)[^\s"]+)
  | (?P<time>\d{1,2}h(?:\d{2})?(?![a-z0-9]))
  | (?P<ordinal>\d+(?:er|ere|eme|emes|ieme|iemes|nd|nde|e)(?![a-z0-9]))
  | (?P<number>\+?\d+(?:[.,:/-]\d+)*)
  | (?P<word>[^\W\d_]+(?:['-][^\W\d_]+)*'?)
  | (?P<quote>")
  | (?P<punct>[?!.,;:]+)
  | (?P<symbol>[€&%@+])
    """,
    re.VERBOSE,
)

_TRAILING_DOTS = re.compile(r"\.+$")
_RUN3 = re.compile(r"([^\W\d_])\1\1")


def _fold_plain(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text.translate(_LIGATURES))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=1)
def sms_words() -> dict[str, str]:
    """The SMS dictionary of ``data/sms.yaml`` (folded keys → expansions)."""
    from trainer.dialogue.nlu_data import SmsFile, load_data

    words = load_data("sms.yaml", SmsFile).words
    return {_fold_plain(str(k)).lower(): _fold_plain(str(v)).lower() for k, v in words.items()}


@lru_cache(maxsize=1)
def _glued_sms() -> re.Pattern[str] | None:
    keys = [k for k in sms_words() if re.search(r"\d", k) and re.fullmatch(r"[a-z0-9]+", k)]
    if not keys:
        return None
    return re.compile(r"(?<![\w.,])(?:" + "|".join(sorted(map(re.escape, keys), key=len, reverse=True)) + r")(?![\w])")


@lru_cache(maxsize=1)
def filler_words() -> frozenset[str]:
    """The spoken fillers of ``data/fillers.yaml`` (folded, lower case)."""
    from trainer.dialogue.nlu_data import FillersFile, load_data

    return frozenset(_fold_plain(str(w)).lower() for w in load_data("fillers.yaml", FillersFile).fillers)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Known words, used to choose how far repeated letters are squeezed.

    Built from every YAML file of ``data/`` (intent examples, aliases, SMS expansions, fillers), so
    that it grows with the data teachers add.
    """
    words: set[str] = set(filler_words())
    for value in sms_words().values():
        words.update(value.replace("'", " ").split())
    from trainer.dialogue.nlu_data import data_files

    for path in data_files():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for word in re.findall(r"[^\W\d_]{2,}", _fold_plain(text).lower()):
            words.add(word)
    return frozenset(words)


def fold(text: str) -> str:
    """Fold accents and ligatures only ("Crème colorée" → "Creme coloree"); case is kept."""
    return _fold_plain(text)


def _unify_chars(text: str) -> str:
    text = text.translate(_LIGATURES)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_APOSTROPHES).translate(_QUOTES).translate(_DASHES)
    # Every kind of space (non-breaking, narrow, tabs, line breaks) becomes one plain space.
    return " ".join(text.split())


def _squeeze_runs(word: str) -> str:
    """Squeeze letters repeated 3+ times (vowels to one, consonants to two)."""
    if len(word) < 3:
        return word
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        ch = word[i]
        j = i
        while j < n and word[j] == ch:
            j += 1
        run = j - i
        if run == 3 and ch.lower() == "e":
            # Exactly three e is French ("creee" typed for "créée"), as after folding below.
            out.append(word[i:j])
        elif run >= 3 and ch.isalpha():
            out.append(ch if ch.lower() in _VOWELS else ch * 2)
        else:
            out.append(word[i:j])
        i = j
    return "".join(out)


def _known_single(word: str, vocab: frozenset[str]) -> str:
    """Make doubled letters single when that gives a known word ("ouii" → "oui")."""
    if word in vocab or len(word) < 3:
        return word
    # French doubles "ee" (créée), "ll", "ss", "tt"... are legitimate; doubled "i", "u", "a", "y"
    # are not, so only those are squeezed anywhere in the word ("ouii", "merciii").
    if re.search(r"([iuay])\1", word):
        single = re.sub(r"([iuay])\1+", r"\1", word)
        if single in vocab:
            return single
    # A doubled last letter other than "e" or "s" ("bonjourr", "nonn") is an elongation.
    trimmed = re.sub(r"([^\W\des_])\1$", r"\1", word)
    if trimmed != word and trimmed in vocab:
        return trimmed
    return word


# Words that carry a date: a typo of one letter on them ("demin", "vendedi", "novmbre") would lose
# a commitment's date, so they are corrected when the typed word is not a known word.
_TIME_WORDS = (
    "demain", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "semaine",
    "janvier", "fevrier", "avril", "juillet", "septembre", "octobre", "novembre", "decembre",
)


def _one_edit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by one letter added, dropped, replaced or two swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _time_word(word: str, vocab: frozenset[str]) -> str:
    if len(word) < 5 or word in vocab or not word.isalpha():
        return word
    for target in _TIME_WORDS:
        if word[0] == target[0] and word != target + "s" and _one_edit(word, target):
            return target
    return word


def _unify_punct(run: str) -> str:
    if "?" in run:
        return "?"
    if "!" in run:
        return "!"
    if run.startswith(".") and len(run) > 1:
        return "..."
    return run[0]


def _raw_tokens(text: str) -> list[tuple[str, str]]:
    """Split unified, lower-case, folded text into (kind, token) pairs."""
    out: list[tuple[str, str]] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup or "symbol"
        tok = match.group()
        if kind == "word":
            # Hyphens inside words become word breaks; a trailing apostrophe stays ("j'").
            for part in tok.split("-"):
                if part:
                    out.append(("word", part))
        elif kind == "email":
            out.append(("email", _TRAILING_DOTS.sub("", tok)))
        elif kind == "url":
            out.append(("url", tok.rstrip(".,;:!?")))
        elif kind == "punct":
            out.append(("punct", _unify_punct(tok)))
        elif kind == "quote":
            out.append(("quote", '"'))
        elif kind == "symbol":
            if tok == "€":
                out.append(("word", "euros"))
            elif tok == "&":
                out.append(("word", "et"))
            else:
                out.append(("symbol", tok))
        else:
            out.append(("number", tok))
    return out


def _is_word(tokens: list[tuple[str, str]], i: int) -> bool:
    return 0 <= i < len(tokens) and tokens[i][0] == "word"


def _starts_with_vowel(word: str) -> bool:
    return bool(word) and (word[0] in "aeiouyh")


def _rebuild(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Rebuild elisions, expand SMS words and the context-dependent abbreviations."""
    sms = sms_words()
    out: list[tuple[str, str]] = []
    i = 0
    n = len(tokens)
    while i < n:
        kind, tok = tokens[i]
        if kind != "word":
            out.append((kind, tok))
            i += 1
            continue
        prev_kind = out[-1][0] if out else None
        nxt_is_word = _is_word(tokens, i + 1)
        nxt = tokens[i + 1][1] if i + 1 < n else ""
        # "M. Mocher", "M Mocher": civility before a name (a consonant-initial name cannot be an
        # elision "m'").
        if tok == "m" and prev_kind != "number":
            if i + 2 < n and tokens[i + 1] == ("punct", ".") and _is_word(tokens, i + 2):
                out.append(("word", "monsieur"))
                i += 2
                continue
            if nxt_is_word and not _starts_with_vowel(nxt):
                out.append(("word", "monsieur"))
                i += 1
                continue
        if tok == "c" and nxt_is_word and prev_kind != "number":
            if nxt in {"est", "etait", "etais", "etaient"}:
                out.append(("word", f"c'{nxt}"))
                i += 2
                continue
            if not _starts_with_vowel(nxt) or nxt in {"ok", "au", "a", "ici", "important", "exact"}:
                out.append(("word", "c'est"))
                i += 1
                continue
        if tok == "g" and nxt_is_word and prev_kind != "number":
            out.append(("word", "j'ai"))
            i += 1
            continue
        if tok == "j" and nxt_is_word and not _starts_with_vowel(nxt) and prev_kind != "number":
            out.append(("word", "je"))
            i += 1
            continue
        # The euphonic "t" of "a-t-il", "va-t-elle" is not the pronoun "t'".
        if tok == "t" and nxt in {"il", "elle", "on", "ils", "elles"}:
            out.append(("word", tok))
            i += 1
            continue
        # Elision typed with a space instead of the apostrophe: "j ai", "l adresse", "qu il".
        if tok in _ELIDABLE and nxt_is_word and _starts_with_vowel(nxt) and prev_kind != "number":
            merged = f"{tok}'{nxt}"
            out.append(("word", sms.get(merged, merged)))
            i += 2
            continue
        expanded = sms.get(tok)
        if expanded is not None:
            for part in expanded.split():
                for sub in part.split("-"):
                    out.append(("word", sub))
        else:
            out.append(("word", tok))
        i += 1
    return out


def _render(tokens: list[tuple[str, str]]) -> str:
    parts: list[str] = []
    for kind, tok in tokens:
        if kind == "punct" and parts:
            parts[-1] += tok
        else:
            parts.append(tok)
    return " ".join(parts)


def _pipeline(text: str, keep_fillers: bool) -> list[tuple[str, str]]:
    if not text:
        return []
    vocab = vocabulary()
    text = _unify_chars(text)
    # Squeeze before folding accents so that legitimate "éé" + "e" ("créée") survive.
    if _RUN3.search(text):
        text = re.sub(r"[^\W\d_]{3,}", lambda m: _squeeze_runs(m.group()), text)
    text = _fold_plain(text).lower()
    # Folding can create new runs ("OOÒ" → "ooo"); "eee" stays, it is French ("créée").
    if _RUN3.search(text):
        text = re.sub(r"([^\W\d_])\1{2,}", lambda m: m.group() if m.group() == "eee" else _squeeze_runs(m.group()), text)
    glued = _glued_sms()
    if glued is not None:
        # SMS words written with digits ("dem1", "2m1") would be split by the tokenizer.
        text = glued.sub(lambda m: sms_words()[m.group()], text)
    raw = _merge_punct(_raw_tokens(text))
    raw = [(k, _time_word(_known_single(t, vocab), vocab)) if k == "word" else (k, t) for k, t in raw]
    if keep_fillers:
        return _merge_punct(_rebuild(raw))
    # Fillers go before the elisions are rebuilt ("l ben adresse" must read as "l adresse" the
    # first time as well as the second), and again after, for an SMS word expanded into one.
    return _drop_fillers(_rebuild(_drop_fillers(raw)))


def _drop_fillers(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    fill = filler_words()
    out: list[tuple[str, str]] = []
    dropped = False
    for kind, tok in tokens:
        if kind == "word" and tok in fill:
            dropped = True
            continue
        # The pause mark after a removed filler ("euh, ...") goes with it, and so does
        # punctuation that would now open the line.
        if kind == "punct" and tok in {",", "...", ";"} and (dropped or not out or out[-1][0] == "punct"):
            continue
        dropped = False
        out.append((kind, tok))
    out = _merge_punct(out)
    # Merging can make a pause mark that opens the line (". euh ." → "...").
    while out and out[0][0] == "punct" and out[0][1] in {",", "...", ";"}:
        out.pop(0)
    return out


def _merge_punct(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Merge punctuation marks that end up side by side into one mark.

    A run split by a dropped symbol or a space ("?/!", "? !", "? euh !") would be rendered glued
    ("?!") and read as one run the next time; unifying it here keeps ``normalize`` idempotent.
    """
    out: list[tuple[str, str]] = []
    for kind, tok in tokens:
        if kind == "punct" and out and out[-1][0] == "punct":
            out[-1] = ("punct", _unify_punct(out[-1][1] + tok))
        else:
            out.append((kind, tok))
    return out


@lru_cache(maxsize=8192)
def _normalize_cached(text: str, keep_fillers: bool) -> str:
    return _render(_pipeline(text, keep_fillers))


def normalize(text: str, *, keep_fillers: bool = False) -> str:
    """Canonical form of a French line for matching (see the module docstring for each step).

    >>> normalize("Euh, bjr Mme DELMOTTE, c noté pr les 48 tubes !!")
    'bonjour madame delmotte, c'est note pour les 48 tubes!'
    """
    if not isinstance(text, str):
        raise TypeError("normalize() expects a str")
    return _normalize_cached(text, keep_fillers)


def token_spans(text: str) -> list[tuple[str, str]]:
    """The ``(kind, token)`` pairs behind ``normalize(text)``.

    ``kind`` is ``word``, ``number``, ``email``, ``url``, ``punct``, ``quote`` or ``symbol``; the slot
    extractors use it to tell "madame," (a name cannot follow) from "madame delmotte".
    """
    return list(_spans_cached(text))


@lru_cache(maxsize=8192)
def _spans_cached(text: str) -> tuple[tuple[str, str], ...]:
    return tuple(_pipeline(text, keep_fillers=False))


def split_clitic(token: str) -> list[str]:
    """Split a leading elided clitic off a word: "j'ai" → ["j'", "ai"]; "aujourd'hui" is kept."""
    match = _SPLIT_CLITIC.match(token)
    if not match:
        return [token]
    head = match.group(1) + "'"
    return [head, token[match.end():]]


@lru_cache(maxsize=8192)
def _tokens_cached(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for kind, tok in _pipeline(text, keep_fillers=False):
        if kind == "word":
            out.extend(split_clitic(tok))
        elif kind in {"number", "email", "url"}:
            out.append(tok)
    return tuple(out)


def tokens(text: str) -> list[str]:
    """Words, numbers and addresses of ``normalize(text)``, elided clitics split off.

    >>> tokens("T'as noté ? Aujourd'hui, 48 tubes.")
    ["t'", 'as', 'note', "aujourd'hui", '48', 'tubes']
    """
    return list(_tokens_cached(text))


def fillers(text: str) -> list[str]:
    """The spoken fillers of ``text`` in order ("Euh... ben oui" → ["euh", "ben"])."""
    fill = filler_words()
    return [t for k, t in _pipeline(text, keep_fillers=True) if k == "word" and t in fill]
