"""Understanding a student's line: intents, slots, question type and flags.

    >>> u = understand("GENERIK, Julie, bonjour !")
    >>> u.has("greet"), u.has("introduce_company"), "company_formula" in u.flags
    (True, True, True)

How it works (all tables are precomputed once per process, so one line costs well under 10 ms):

1. The line is normalised (``normalize``), its numbers written in digits (``digitize``) and its
   slots read (``extract_slots``) against the company's ``Lexicon``.
2. It is cut into clauses at punctuation and at "et", "mais", "puis", "donc" before a pronoun.
3. Each clause is matched against the example phrases of ``data/intents.yaml``: an example counts
   when nearly all its words are in the clause (small words weigh less, typos on long words are
   corrected against the examples' vocabulary). A negation near the matched words must agree with
   the example ("je ne vous rappelle pas" is not a callback). The YAML ``patterns`` (regular
   expressions) are tried too.
4. Rules where fuzziness is wrong: the company formula (company name + first name + greeting in the
   same line), tutoiement (a flag, not an intent: "tube", "teinture", "ton sur ton" are not
   tutoiement), vague wording, familiar register, a deadline (a date or time with a commitment),
   a price (an amount in a statement), a precise question about the request, and the question
   type (open / closed / alternative, BRIEF §5.2).

Scores are in 0..1: a pattern or a rule gives 0.9-0.95, an example its coverage (0.8-1.0).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from trainer.dialogue.lexicon import Lexicon, get_lexicon
from trainer.dialogue.normalize import _load_yaml, fillers, normalize, split_clitic, vocabulary
from trainer.dialogue.numbers import digitize
from trainer.dialogue.slots import PARIS, Slots, extract_slots

MAX_CHARS = 2000
"""Only the first 2 000 characters of a line are read: nobody says more in one turn, and it keeps
the time per turn bounded whatever is pasted."""

EXAMPLE_THRESHOLD = 0.8
PATTERN_SCORE = 0.95
RULE_SCORE = 0.9

FUNCTION_WORDS = frozenset(
    """je j' tu vous nous il elle on ils elles le la les l' un une des de d' du a au aux en et est
    c' ce ca cela que qu' me m' te t' se s' votre vos mon ma mes notre nos son sa ses pour par sur
    dans avec y lui leur bien tres il plait suis etes avez ai as a peux pouvez puis ne n' pas
    alors ici aussi deja encore si madame monsieur mademoiselle vraiment tout""".split()
)
NEGATORS = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "nullement", "aucunement", "ne", "n'"})
# Phrases whose "pas"/"ne" is not a negation of what surrounds them.
NON_NEGATING = re.compile(
    r"\b(?:pas\s+de\s+(?:souci|soucis|probleme|problemes|quoi)|n'hesitez\s+pas|ne\s+quittez\s+pas|ne\s+\w+\s+que\b)"
)
TUTOIEMENT_WORDS = frozenset({"tu", "te", "t'", "toi", "ton", "ta", "tes", "tien", "tienne", "tiens"})
# "ton" is a noun after these words ("le ton", "un ton", "ton sur ton", "8 tons"); "tiens" is
# also an interjection ("tiens, ...") that we do not count.
_TON_NOUN_BEFORE = frozenset({"le", "un", "ce", "du", "de", "d'un", "quel", "bon", "meme", "au", "mauvais", "sur"})
VAGUE = re.compile(
    r"\b(?:je\s+crois|je\s+pense\s+que|peut\s+etre|je\s+ne\s+sais\s+pas|je\s+sais\s+pas|jsp|normalement|"
    r"ca\s+devrait|cela\s+devrait|il\s+me\s+semble|a\s+priori|en\s+principe|je\s+suppose|probablement|"
    r"il\s+faudrait\s+voir|aucune\s+idee|sans\s+doute)\b"
)
FAMILIAR = re.compile(
    r"\b(?:ouais|ouaip|mouais|nan|ok\s+ca\s+marche|ca\s+marche|truc|trucs|machin|bouge\s+pas|ca\s+roule|"
    r"pas\s+de\s+souci|pas\s+de\s+soucis|pas\s+de\s+probleme|super|cool|salut|coucou|ouf|bof|genre|"
    r"grave|carrement|nickel|tkt|t'inquiete|bon\s+bah|du\s+coup|vachement|boulot|bosser|bosse|mec|"
    r"nana|ben\s+oui|bah\s+oui|ok\s+ok|a\s+plus|a\s+\+)\b"
)
FAMILIAR_FILLERS = frozenset({"bah", "ben", "beh", "bein"})
INTERROGATIVES = re.compile(
    r"\b(?:qui|que|qu'|quoi|quel|quelle|quels|quelles|lequel|laquelle|lesquels|comment|combien|pourquoi|"
    r"quand|ou|d'ou)\b"
)
_INFO_REQUEST = re.compile(
    r"\b(?:pouvez|pourriez|voulez|voudriez|pourrais|puis|peux)\s+(?:vous\s+|je\s+)?(?:me\s+|m'|nous\s+|l'|le\s+|la\s+|les\s+)*"
    r"(?:preciser|decrire|expliquer|dire|indiquer|donner|rappeler|epeler|communiquer|detailler|raconter|redonner|"
    r"repeter|avoir|connaitre|presenter|laisser)\b"
)
_INVERSION = re.compile(
    r"^(?:\w+\s+)?(?:\w+(?:ez|ons|ait|aient|a|e|ont|is|it|ut|uis)\s+(?:t\s+)?(?:vous|il|elle|on|nous|ils|elles|tu|je))\b"
)
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;:,])\s+|\s+(?=(?:et|mais|puis|donc|alors)\s+(?:je|j'|nous|on|vous|il|elle|c'|ce|cela|ca)\b)")
_FUTURE_HINT = re.compile(
    r"\b(?:\w{2,}(?:rai|ra|rons|ront|rez)|vais|va|allons|vont|serez|sera|aurez|recevrez|rappelle|livre|livree|"
    r"livrons|envoie|envoyons|expedie|expedions|parviendra|part|partira|passe|ferai|transmets|traite|traitons)\b"
)
_DETAIL_NOUNS = re.compile(
    r"\b(?:tubes?|teintes?|nuances?|couleurs?|quantite|produits?|references?|commandes?|colis|livraisons?|"
    r"factures?|adresse|cartons?|flacons?|bordereau|livreur|transporteur|reserves?|photos?|dates?|reçu|recu|"
    r"abimes?|ecrases?|casses?|manquants?|temps\s+de\s+pose|oxydant|shampooing|poudre|creme|cremes|mousse|spray|"
    r"ammoniaque|numero\s+de\s+(?:commande|facture|suivi)|cheveux|cliente?s?|probleme|souci|resultat)\b"
)
QUESTION_INTENTS = frozenset(
    {"ask_identity", "ask_need", "ask_purpose", "ask_callback_details", "ask_other_needs", "ask_satisfaction",
     "ask_payment_date", "ask_expectation", "small_talk", "ask_repeat", "ask_second_chance"}
)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True, slots=True)
class IntentMatch:
    """One intent found in the line, with its score (0..1) and what triggered it."""

    name: str
    score: float
    source: str = "example"
    evidence: str = ""


@dataclass
class Understanding:
    """What the NLU understood of one student line (see ``docs/INTERFACES.md``)."""

    text: str
    normalized: str
    intents: list[IntentMatch]
    slots: Slots
    question_type: str | None
    flags: frozenset[str] = frozenset()
    questions: list[tuple[str, str]] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    known_ratio: float = 1.0

    def has(self, name: str, min_score: float = 0.5) -> bool:
        """True when ``name`` is among the intents with at least ``min_score``."""
        return any(m.name == name and m.score >= min_score for m in self.intents)

    def score(self, name: str) -> float:
        """The score of an intent, 0.0 when absent."""
        return max((m.score for m in self.intents if m.name == name), default=0.0)

    @property
    def intent_names(self) -> list[str]:
        """Intent names, best first."""
        return [m.name for m in self.intents]

    @property
    def best(self) -> str:
        """The best intent name ("unknown" when nothing was recognised)."""
        return self.intents[0].name if self.intents else "unknown"

    @property
    def tutoiement(self) -> bool:
        """True when the student said "tu/te/toi/ton/ta/tes" to the caller (outside quotes)."""
        return "tutoiement" in self.flags

    @property
    def is_question(self) -> bool:
        """True when the line asks at least one question."""
        return bool(self.questions)


@dataclass(frozen=True)
class NluContext:
    """What the NLU may know beyond the line: the reference time and the company."""

    now: datetime | None = None
    company: str = "generik"

    @classmethod
    def coerce(cls, context: NluContext | Mapping[str, Any] | None) -> NluContext:
        """Accept an ``NluContext``, a mapping with the same keys, or None."""
        if context is None:
            return cls()
        if isinstance(context, NluContext):
            return context
        if isinstance(context, Mapping):
            return cls(now=context.get("now"), company=str(context.get("company") or "generik"))
        now = getattr(context, "now", None)
        company = getattr(context, "company", None) or getattr(context, "company_id", None) or "generik"
        return cls(now=now, company=str(company))


# ---------------------------------------------------------------------------------------------
# The intent model (built once)


@dataclass(frozen=True, slots=True)
class _Example:
    intent: str
    text: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    total: float
    content: int
    negated: bool


@dataclass
class IntentModel:
    """Intent examples and patterns of ``data/intents.yaml``, indexed for fast matching."""

    names: list[str]
    descriptions: dict[str, str]
    examples: list[_Example]
    patterns: dict[str, list[re.Pattern[str]]]
    index: dict[str, list[int]]
    vocab: frozenset[str]
    vocab_list: tuple[str, ...]
    known: frozenset[str]
    _corrections: dict[str, str] = field(default_factory=dict)

    def correct(self, token: str) -> str:
        """Correct a token of 5 letters or more that no example or data file knows."""
        if len(token) < 5 or token in self.known or not token.isalpha():
            return token
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        found = process.extractOne(token, self.vocab_list, scorer=fuzz.ratio, score_cutoff=80)
        result = found[0] if found and found[0][0] == token[0] else token
        if len(self._corrections) < 50000:
            self._corrections[token] = result
        return result


def _words(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split():
        tok = raw.strip(".,;:!?\"")
        if not tok:
            continue
        out.extend(p for p in split_clitic(tok) if p)
    return out


def _negated_positions(tokens: list[str], text: str) -> set[int]:
    if NON_NEGATING.search(text):
        text_clean = NON_NEGATING.sub(" ", text)
        tokens = _words(text_clean)
    return {i for i, t in enumerate(tokens) if t in NEGATORS}


@lru_cache(maxsize=1)
def intent_model() -> IntentModel:
    """Load and index ``data/intents.yaml`` (cached for the process)."""
    data = _load_yaml("intents.yaml")
    intents = data.get("intents") or {}
    names: list[str] = []
    descriptions: dict[str, str] = {}
    examples: list[_Example] = []
    patterns: dict[str, list[re.Pattern[str]]] = {}
    for name, spec in intents.items():
        spec = spec or {}
        names.append(str(name))
        descriptions[str(name)] = str(spec.get("description") or "")
        for raw in spec.get("examples") or []:
            text = digitize(normalize(str(raw)))
            tokens = tuple(_words(text))
            if not tokens:
                continue
            weights = tuple(0.3 if t in FUNCTION_WORDS else 1.0 for t in tokens)
            content = sum(1 for w in weights if w == 1.0)
            if content == 0:
                weights = tuple(1.0 for _ in tokens)
                content = len(tokens)
            negated = bool(_negated_positions(list(tokens), text))
            examples.append(_Example(str(name), text, tokens, weights, sum(weights), content, negated))
        compiled = []
        for raw in spec.get("patterns") or []:
            try:
                compiled.append(re.compile(str(raw)))
            except re.error as exc:
                raise ValueError(f"intents.yaml, intention {name} : motif invalide « {raw} » ({exc})") from None
        patterns[str(name)] = compiled
    index: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        for tok, weight in zip(example.tokens, example.weights, strict=True):
            if weight == 1.0:
                index.setdefault(tok, []).append(i)
    vocab = frozenset(t for e in examples for t in e.tokens)
    known = vocab | vocabulary() | FUNCTION_WORDS
    return IntentModel(names, descriptions, examples, patterns, index, vocab, tuple(sorted(vocab)), known)


# ---------------------------------------------------------------------------------------------
# Clause matching


def split_clauses(text: str) -> list[str]:
    """Cut a normalised line into clauses (punctuation kept at the end of each clause)."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text)]
    return [p for p in parts if p and re.search(r"\w", p)]


def _match_examples(model: IntentModel, clause: str, scores: dict[str, IntentMatch]) -> None:
    raw_tokens = _words(clause)
    tokens = [model.correct(t) for t in raw_tokens]
    if not tokens:
        return
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        positions.setdefault(tok, []).append(i)
    negations = _negated_positions(tokens, " ".join(tokens))
    clause_content = sum(1 for t in tokens if t not in FUNCTION_WORDS)
    candidates: set[int] = set()
    for tok in positions:
        candidates.update(model.index.get(tok, ()))
    for i in candidates:
        example = model.examples[i]
        matched = 0.0
        where: list[int] = []
        for tok, weight in zip(example.tokens, example.weights, strict=True):
            hit = positions.get(tok)
            if hit:
                matched += weight
                where.extend(hit)
        coverage = matched / example.total
        if coverage < EXAMPLE_THRESHOLD:
            continue
        # A one-word example ("pardon", "comment") only speaks for a short clause.
        if example.content == 1 and clause_content > 3:
            continue
        lo, hi = min(where) - 2, max(where) + 3
        clause_negated = any(lo <= p <= hi for p in negations)
        if clause_negated != example.negated:
            continue
        score = round(min(1.0, coverage), 3)
        current = scores.get(example.intent)
        if current is None or current.score < score:
            scores[example.intent] = IntentMatch(example.intent, score, "example", example.text)


@lru_cache(maxsize=1024)
def _negation_aware(pattern: re.Pattern[str]) -> bool:
    """True for a pattern written with its own negation ("n'est pas la", "ne quittez pas")."""
    return re.search(r"\bne\b|n'|n\.|\bpas\b|jamais|\\bne", pattern.pattern) is not None


def _match_patterns(model: IntentModel, clause: str, scores: dict[str, IntentMatch]) -> None:
    tokens = _words(clause)
    negations = _negated_positions(tokens, clause)
    for name, patterns in model.patterns.items():
        for pattern in patterns:
            match = pattern.search(clause)
            if not match:
                continue
            matched_text = match.group()
            if negations and not _negation_aware(pattern):
                # Where is the match in tokens? Count the words before it.
                first = len(_words(clause[: match.start()]))
                last = first + max(0, len(_words(matched_text)) - 1)
                if any(first - 2 <= p <= last + 3 for p in negations):
                    continue
            current = scores.get(name)
            if current is None or current.score < PATTERN_SCORE:
                scores[name] = IntentMatch(name, PATTERN_SCORE, "pattern", matched_text.strip())
            break


# ---------------------------------------------------------------------------------------------
# Rules


def _is_question(sentence: str) -> bool:
    body = sentence.strip()
    if body.endswith("?"):
        return True
    plain = body.rstrip(".!,;: ")
    if re.match(r"^(?:est\s+ce\s+que|est\s+ce\s+qu'|qu'est\s+ce|est\s+ce)\b", plain):
        return True
    if re.match(r"^(?:quel|quelle|quels|quelles|comment|combien|pourquoi|quand|a\s+quel|a\s+quelle|de\s+quel|pour\s+quel|qui\s+est|que\s+(?:puis|pouvons|desirez|souhaitez|voulez))\b", plain):
        return True
    return bool(_INVERSION.match(plain)) and bool(re.match(r"^\w+\s+(?:t\s+)?(?:vous|il|elle|on|nous|ils|elles|tu|je)\b", plain)) and not re.match(r"^(?:je|vous|nous|il|elle|on|ils|elles|tu|c'|ce|ca)\b", plain)


def _question_kind(sentence: str, raw_sentence: str) -> str:
    plain = sentence.rstrip("?!. ")
    # "où" (where) and "ou" (or) only differ by the accent the student may have typed.
    has_or = re.search(r"\bou\b", plain) is not None
    raw_where = re.search(r"\boù\b", raw_sentence.lower()) is not None
    if has_or and not raw_where:
        before, _, after = plain.partition(" ou ")
        tail = after.strip()
        if before.strip() and tail and not re.match(r"^(?:pas|non|bien|plutot\s+pas)\b", tail) and not plain.startswith("ou "):
            return "alternative"
    if INTERROGATIVES.search(plain.replace("est ce que", " ").replace("est ce qu'", " ")) or _INFO_REQUEST.search(plain):
        if not re.search(r"\b(?:est\s+ce\s+que|est\s+ce\s+qu')\b", plain) or re.search(
            r"\b(?:qu'est\s+ce|quel|quelle|quels|quelles|comment|combien|pourquoi|quand)\b", plain
        ) or _INFO_REQUEST.search(plain):
            if re.match(r"^(?:ou|d'ou)\b", plain) and not raw_where and not re.match(r"^(?:ou\s+(?:est|sont|peut|puis|habitez|etes|se\s+trouve)|d'ou)\b", plain):
                return "closed"
            return "open"
    return "closed"


def _sentences(normalized: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", normalized)
    return [p for p in parts if p.strip()]


def _tutoiement(normalized: str) -> bool:
    # Quoted speech ("il m'a dit « tu ... »") is not the student talking to the caller.
    unquoted = re.sub(r'"[^"]*"', " ", normalized)
    tokens = _words(unquoted)
    for i, tok in enumerate(tokens):
        if tok not in TUTOIEMENT_WORDS:
            continue
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if tok == "ton" and (prev in _TON_NOUN_BEFORE or nxt == "sur" or prev[:1].isdigit()):
            continue
        if tok == "tiens" and (i == 0 or nxt in {"", "au"}):
            continue  # "Tiens, ..." interjection; "je vous tiens au courant"
        if tok == "te" and prev in {"the", "cafe"}:
            continue
        return True
    return False


_POLITE = {"tu": "vous", "te": "vous", "t'": "vous ", "toi": "vous", "ton": "votre", "ta": "votre", "tes": "vos"}


def _polite_view(text: str) -> str:
    if not _tutoiement(text):
        return text
    out = []
    for word in text.split(" "):
        bare = word.rstrip(".,;:!?")
        tail = word[len(bare):]
        head, _, rest = bare.partition("'")
        if bare in _POLITE and bare != "t'":
            out.append(_POLITE[bare] + tail)
        elif head == "t" and rest:
            out.append("vous " + rest + tail)
        else:
            out.append(word)
    return " ".join(out)


def _is_past_date(slots: Slots, now: datetime | None) -> bool:
    if now is None:
        return False
    today = now.astimezone(PARIS).date()
    refs = [d for d in slots.dates + slots.times if d.date is not None]
    return bool(refs) and all(d.date < today for d in refs)


def _rules(u_norm: str, clauses: list[str], slots: Slots, scores: dict[str, IntentMatch],
           lexicon: Lexicon, questions: list[tuple[str, str]], now: datetime | None) -> set[str]:
    flags: set[str] = set()

    def add(name: str, evidence: str, score: float = RULE_SCORE) -> None:
        current = scores.get(name)
        if current is None or current.score < score:
            scores[name] = IntentMatch(name, score, "rule", evidence)

    tokens = _words(u_norm)
    # The company named by the student: at the start, or "chez / de / ici / service ... GENERIK".
    if slots.company_named:
        key_words = [" ".join(k) for k in lexicon.company_keys]
        positions = [i for i, t in enumerate(tokens) if t in {k.split()[0] for k in key_words}]
        intro = any(
            p <= 4 or (p > 0 and tokens[p - 1] in {"chez", "de", "ici", "societe", "entreprise", "clientele", "client", "standard", "service"})
            for p in positions
        )
        if intro or "greet" in scores:
            add("introduce_company", lexicon.company_name)
    first_names = slots.first_names
    if slots.company_named and "greet" in scores and first_names:
        flags.add("company_formula")

    # Deadline: a date or time that is not in the past, with a commitment, outside a question.
    timed = [t for t in slots.times + slots.dates]
    if timed and not _is_past_date(slots, now):
        statement = not questions or len(questions) < len(_sentences(u_norm))
        commitment = any(n in scores for n in ("commit_callback", "propose_solution", "take_message", "escalate", "transfer"))
        if statement and (commitment or _FUTURE_HINT.search(u_norm)):
            add("give_deadline", timed[0].text)
    # Price: an amount in euros said as a statement.
    if slots.money and (not questions or len(questions) < len(_sentences(u_norm))):
        add("state_price", slots.money[0].text)
    # Reformulation of an order: "donc 48 tubes de 6.4", "alors je note 24 tubes".
    if re.search(r"\b(?:donc|alors|je\s+resume|ce\s+qui\s+fait|au\s+total)\b", u_norm) and (slots.quantities or slots.products or slots.shades) and not scores.get("ask_details"):
        if not (questions and all(q[1] == "open" for q in questions)):
            add("reformulate", "donc + commande")
    # A precise question about the request (product, shade, quantity, the incident...).
    for text, _kind in questions:
        tmp: dict[str, IntentMatch] = {}
        _match_patterns(intent_model(), text, tmp)
        claimed = {n for n in tmp if n in QUESTION_INTENTS or n == "reformulate"}
        if claimed:
            continue
        sub = extract_slots(text, lexicon, now)
        if _DETAIL_NOUNS.search(text) or sub.products or sub.shades or sub.quantities or sub.dates:
            add("ask_details", text, 0.85)
    # Flags
    if _tutoiement(u_norm):
        flags.add("tutoiement")
    if VAGUE.search(u_norm):
        flags.add("vague")
    if FAMILIAR.search(u_norm):
        flags.add("familiar")
    if any(NEGATORS.intersection(_words(c)) for c in clauses):
        flags.add("negation")
    if '"' in u_norm:
        flags.add("quote")
    return flags


# ---------------------------------------------------------------------------------------------
# Entry point


@lru_cache(maxsize=4096)
def _understand_cached(text: str, company: str, now: datetime | None) -> Understanding:
    lexicon = get_lexicon(company)
    model = intent_model()
    clipped = text[:MAX_CHARS]
    normalized = normalize(clipped)
    digits = digitize(normalized)
    slots = extract_slots(clipped, lexicon, now)
    # Intents are matched on a "vous" view of the line, so that a student who says "tu" is still
    # understood ("ton numéro" asks for the number); the tutoiement itself is a flag.
    clauses = split_clauses(_polite_view(digits))
    scores: dict[str, IntentMatch] = {}
    for clause in clauses:
        _match_examples(model, clause, scores)
        _match_patterns(model, clause, scores)
    raw_sentences = re.split(r"(?<=[.!?])\s+", clipped)
    questions: list[tuple[str, str]] = []
    for i, sentence in enumerate(_sentences(digits)):
        if _is_question(sentence):
            raw = raw_sentences[i] if i < len(raw_sentences) else clipped
            questions.append((sentence, _question_kind(sentence, raw)))
    flags = _rules(digits, clauses, slots, scores, lexicon, questions, now)
    if fillers(clipped) and FAMILIAR_FILLERS.intersection(fillers(clipped)):
        flags.add("familiar")
    if any(kind == "alternative" for _, kind in questions):
        question_type = "alternative"
    elif any(kind == "open" for _, kind in questions):
        question_type = "open"
    elif questions:
        question_type = "closed"
    else:
        question_type = None
    words = [w for w in _words(normalized) if w.isalpha()]
    known = sum(1 for w in words if w in model.known or w in lexicon.first_names or model.correct(w) != w)
    known_ratio = known / len(words) if words else 0.0
    intents = sorted(scores.values(), key=lambda m: (-m.score, m.name))
    if not intents:
        intents = [IntentMatch("unknown", 1.0, "rule", "")]
        if words and known_ratio < 0.5 and slots.is_empty():
            flags.add("unintelligible")
    if not normalized:
        flags.add("empty")
    return Understanding(
        text=text,
        normalized=normalized,
        intents=intents,
        slots=slots,
        question_type=question_type,
        flags=frozenset(flags),
        questions=questions,
        clauses=clauses,
        known_ratio=round(known_ratio, 3),
    )


def understand(text: str, context: NluContext | Mapping[str, Any] | None = None) -> Understanding:
    """Understand one student line (see the module docstring and ``docs/INTERFACES.md``).

    ``context`` may give ``now`` (timezone-aware; dates such as "demain" are resolved against it)
    and ``company`` (default ``generik``). Never raises on any text; results are cached per
    (text, company, now), so treat them as read-only.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    ctx = NluContext.coerce(context)
    return _understand_cached(text, ctx.company, ctx.now)


def describe_intents() -> dict[str, str]:
    """Intent names and their French descriptions, for documentation and teacher screens."""
    model = intent_model()
    return dict(model.descriptions)
