"""Understanding a student's line: intents, slots, question type and flags.

    >>> u = understand("GENERIK, Julie, bonjour !")
    >>> u.has("greet"), u.has("introduce_company"), "company_formula" in u.flags
    (True, True, True)

How it works (all tables are precomputed once per process, so one line costs a few milliseconds):

1. The line is normalised (``normalize``), its numbers written in digits (``digitize``) and its
   slots read (``extract_slots``) against the company's ``Lexicon``.
2. It is cut into clauses at punctuation and at "et", "mais", "donc", "alors" before a pronoun;
   a one-word clause ("Malheureusement,", "Oui,") is joined to the next one. Each clause knows
   whether it belongs to a question.
3. Each clause is matched against the example phrases of ``data/intents.yaml``: an example counts
   when all its content words are in the clause (one may be missing from an example of four or
   more) and its words weigh at least 80 % (small words weigh less; typos on long words are
   corrected against the examples' vocabulary). A negation before or inside the matched words
   must agree with the example ("je ne vous rappelle pas" is not a callback). The YAML
   ``patterns`` (regular expressions) are tried too, then each intent's ``unless`` and
   ``overrides`` are applied within the clause.
4. Rules where fuzziness is wrong: the company formula (company name + first name + greeting in the
   same line), tutoiement (a flag, not an intent: "tube", "teinture", "ton sur ton" are not
   tutoiement), vague wording, familiar register, a deadline (a future date or time with a
   commitment, in a statement), a price (an amount in a statement), a discount (a percentage), a
   product fact, a precise question about the request, a question about paying, and the question
   type (open / closed / alternative, BRIEF §5.2).

Scores are in 0..1: a pattern gives 0.95, a rule 0.85-0.9, an example its coverage (0.8-1.0).
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
from trainer.dialogue.nlu_data import IntentsFile, PatternSpec, load_data
from trainer.dialogue.normalize import fillers, fold, normalize, split_clitic, vocabulary
from trainer.dialogue.numbers import digitize
from trainer.dialogue.slots import PARIS, Slots, extract_slots

MAX_CHARS = 2000
"""Only the first 2 000 characters of a line are read: nobody says more in one turn, and it keeps
the time per turn bounded whatever is pasted."""

EXAMPLE_THRESHOLD = 0.8
PATTERN_SCORE = 0.95
RULE_SCORE = 0.9
NEGATION_LOOKBACK = 4
"""How many words before a phrase a "ne"/"pas" still negates it ("je ne peux pas vous faire de
remise" negates "remise"; a negation after the phrase does not: "la promotion ne s'applique pas")."""

# Words that weigh 0.3 in an example: articles, prepositions, object pronouns, conjunctions.
FUNCTION_WORDS = frozenset(
    """tu vous le la les l' un une des de d' du a au aux en et c' ce ca cela me m' te t' se s'
    votre vos son sa ses notre nos pour par sur dans avec y lui leur bien tres il plait ne n' pas
    alors ici aussi deja encore si madame monsieur mademoiselle vraiment""".split()
)
# Subject pronouns say who acts ("je vous propose" vs "vous proposez"): they weigh 0.6.
SUBJECT_WORDS = frozenset({"je", "j'", "nous", "il", "elle", "on", "ils", "elles"})
# Subjects that open a new verb phrase (not "nous"/"vous", which are also objects: "ne nous renvoyez pas").
_NEW_SUBJECT = frozenset({"je", "j'", "on", "il", "elle", "ils", "elles"})
NEGATORS = frozenset({"pas", "jamais", "rien", "aucun", "aucune", "nullement", "aucunement", "ne", "n'"})
# Phrases whose "pas"/"ne" is not a negation of what surrounds them.
NON_NEGATING = re.compile(
    r"\b(?:pas\s+de\s+(?:souci|soucis|probleme|problemes|quoi)|n'hesitez\s+pas|ne\s+quittez\s+pas|pas\s+du\s+tout|"
    r"ne\s+\w+\s+que\b|ne\s+\w+\s+\w+\s+que\b)"
)
TUTOIEMENT_WORDS = frozenset({"tu", "te", "t'", "toi", "ton", "ta", "tes", "tien", "tienne", "tiens"})
# "ton" is a noun after these words ("le ton", "un ton", "ton sur ton", "8 tons"); "tiens" is
# also an interjection ("tiens, ...") that we do not count.
_TON_NOUN_BEFORE = frozenset({"le", "un", "ce", "du", "de", "d'un", "quel", "bon", "meme", "au", "mauvais", "sur"})
VAGUE = re.compile(
    r"\b(?:je\s+crois|je\s+pense\s+que|peut\s+etre|je\s+ne\s+sais\s+pas|je\s+sais\s+pas|jsp|normalement|"
    r"ca\s+devrait|cela\s+devrait|il\s+me\s+semble|a\s+priori|en\s+principe|je\s+suppose|probablement|"
    r"il\s+faudrait\s+voir|faut\s+voir|aucune\s+idee|sans\s+doute)\b"
)
FAMILIAR = re.compile(
    r"\b(?:ouais|ouaip|mouais|nan|ok\s+ca\s+marche|ca\s+marche|truc|trucs|machin|bouge\s+pas|ca\s+roule|"
    r"pas\s+de\s+souci|pas\s+de\s+soucis|pas\s+de\s+probleme|super|cool|salut|coucou|ouf|bof|genre|"
    r"grave|carrement|nickel|tkt|t'inquiete|bon\s+bah|du\s+coup|vachement|boulot|bosser|bosse|mec|"
    r"nana|ok\s+ok|(?<!\by\s)(?<!\ben\s)(?<!\bn'y\s)a\s+plus|bye|wesh|bougez\s+pas|(?:deux|2)\s+secondes|ciao|tchao|faut\s+voir|hein|d'acc|dac|vous\s+voulez\s+quoi|c'est\s+quoi)\b"
)
FAMILIAR_FILLERS = frozenset({"bah", "ben", "beh", "bein"})
_ANYWHERE_INTERROGATIVE = re.compile(
    r"\b(?:quel|quelle|quels|quelles|lequel|laquelle|lesquels|comment|combien|pourquoi|quand|qu'est\s+ce|d'ou)\b"
)
# "que", "qui", "quoi", "ou" are interrogative at the start or end of the question, or after a
# preposition ("à qui", "de quoi"); elsewhere they are conjunctions or relatives.
_EDGE_INTERROGATIVE = re.compile(
    r"^(?:et\s+|mais\s+|alors\s+|donc\s+)?(?:que|qu'|qui|quoi|ou|c'est\s+(?:qui|quoi|ou))\b|\b(?:qui|quoi|ou)\s*\??$|"
    r"\b(?:a|de|pour|avec|chez|par|sur|en)\s+(?:qui|quoi)\b"
)
_INFO_REQUEST = re.compile(
    r"\b(?:pouvez|pourriez|voulez|voudriez|pourrais|puis|peux)\s+(?:vous\s+|je\s+)?(?:me\s+|m'|nous\s+|l'|le\s+|la\s+|les\s+)*"
    r"(?:preciser|decrire|expliquer|dire|indiquer|donner|rappeler|epeler|communiquer|detailler|raconter|redonner|"
    r"repeter|avoir|connaitre|presenter|laisser|savoir)\b"
)
_PRONOUN_START = re.compile(r"^(?:je|j'|vous|nous|il|elle|on|ils|elles|tu|c'|ce|ca|cela)\b")
_INVERSION = re.compile(r"^(?:\w+\s+){0,2}?\w+\s+(?:t\s+)?(?:vous|il|elle|on|nous|ils|elles|tu|je)\b")
_CLAUSE_BREAK = re.compile(r"(?<=[.!?;:,])\s+|\s+(?=(?:et|mais|donc|alors)\s+(?:je|j'|nous|on|vous|il|elle|c'|ce|cela|ca)\b)")
_FUTURE_HINT = re.compile(
    r"\b(?:\w{2,}(?:rai|ra|rons|ront|rez)|vais|va|allons|allez|vont|serez|sera|aurez|recevrez|rappelle|livre|livree|"
    r"livrons|envoie|envoyons|expedie|expedions|parviendra|part|partira|passe|ferai|transmets|traite|traitons|"
    r"prevue?s?|programmee?s?|planifiee?s?|engage|renvoie|renvoyons)\b"
)
_DEADLINE_WORDS = re.compile(r"\b(?:des|d'ici|sous|au\s+plus\s+tard|avant|dans\s+les)\b")
_DETAIL_NOUNS = re.compile(
    r"\b(?:tubes?|teintes?|nuances?|couleurs?|quantite|produits?|references?|commandes?|colis|livraisons?|"
    r"factures?|adresse|cartons?|flacons?|bordereau|livreur|transporteur|reserves?|photos?|dates?|recu|recus|"
    r"abimes?|ecrases?|casses?|manquants?|temps\s+de\s+pose|oxydant|shampooing|poudre|creme|cremes|mousse|spray|"
    r"ammoniaque|numero|cheveux|probleme|souci|resultat|consequences?|plaintes?|ville|livree?s?|signer|"
    r"quantites?|format|etiquette|stock|prix|tarifs?|chambres?|repas|diners?|hebergement|billets?|trains?|wifi|"
    r"internet|connexion|reservations?|parking|petit\s+dejeuner|nuits?|salon|reglez|reglement|paiement|payer|payez|"
    r"gardes?|enfants?|jours?|horaires?|menage|domicile|interventions?|fuite|devis|chambres?|singles?|twins?)\b"
)
_DESCRIBING_VERBS = re.compile(
    r"\b(?:est|sont|fait|font|existe|existent|contient|contiennent|apporte|apportent|convient|conviennent|"
    r"eclaircit|eclaircissent|graisse|graissent|dure|durent|tient|tiennent|laisse|laissent|protege|protegent|"
    r"nourrit|avons|proposons|disposons|decline|declinent|sent|s'utilise|s'utilisent|se\s+melange|"
    r"se\s+melangent|donne|donnent|marche|marchent|fonctionne|fonctionnent|on\s+a)\b"
)
_PAYMENT_WORDS = re.compile(r"\b(?:regl\w+|pai\w+|pay\w+|virement|cheque|solder|acquitter|lcr|traite)\b")
QUESTION_INTENTS = frozenset(
    {"ask_identity", "ask_need", "ask_purpose", "ask_callback_details", "ask_other_needs", "ask_satisfaction",
     "ask_payment_date", "ask_expectation", "small_talk", "ask_repeat", "ask_second_chance", "reformulate",
     "propose_solution"}
)

# In a question, a negation does not change what is asked ("Il ne vous faudrait pas de l'oxydant
# aussi ?", "Il ne fait pas trop froid ?"): French negative questions ask the same thing.
ASKING_INTENTS = frozenset(
    {"ask_identity", "ask_need", "ask_purpose", "ask_details", "ask_callback_details", "ask_other_needs",
     "ask_satisfaction", "ask_payment_date", "ask_expectation", "ask_second_chance", "small_talk", "take_message"}
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
    content: tuple[str, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class _Pattern:
    intent: str
    regex: re.Pattern[str]
    where: str | None  # "question", "statement" or None
    negation_aware: bool


@dataclass(frozen=True)
class _IntentSpec:
    name: str
    description: str
    examples_in: str | None
    anchor: str | None
    unless: tuple[re.Pattern[str], ...]
    overrides: tuple[str, ...]


@dataclass
class IntentModel:
    """Intent examples and patterns of ``data/intents.yaml``, indexed for fast matching."""

    specs: dict[str, _IntentSpec]
    examples: list[_Example]
    patterns: list[_Pattern]
    index: dict[str, list[int]]
    vocab_list: tuple[str, ...]
    known: frozenset[str]
    _corrections: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Intent names, in the order of the data file."""
        return list(self.specs)

    @property
    def descriptions(self) -> dict[str, str]:
        """French description of each intent."""
        return {name: spec.description for name, spec in self.specs.items()}

    def correct(self, token: str) -> str:
        """Correct a token that no example or data file knows to the nearest example word.

        Only words of 5 letters or more (4 when the fix is one doubled letter, "apel" → "appel"),
        and never onto a word starting with another sound (k, q and c count as one).
        """
        if len(token) < 4 or token in self.known or not token.isalpha():
            return token
        cached = self._corrections.get(token)
        if cached is not None:
            return cached
        result = token
        if token[0] == "k" and "qu" + token[1:] in self.known:
            result = "qu" + token[1:]
            self._corrections[token] = result
            return result
        found = process.extractOne(token, self.vocab_list, scorer=fuzz.ratio, score_cutoff=80)
        if found:
            candidate = found[0]
            same_start = candidate[0] == token[0] or {candidate[0], token[0]} <= {"c", "k", "q"}
            doubled_only = re.sub(r"(.)\1", r"\1", candidate) == token
            if same_start and (len(token) >= 5 or doubled_only):
                result = candidate
        if len(self._corrections) < 50000:
            self._corrections[token] = result
        return result


def _words(text: str) -> list[str]:
    return list(_words_cached(text))


@lru_cache(maxsize=16384)
def _words_cached(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for raw in text.split():
        tok = raw.strip(".,;:!?\"")
        if not tok:
            continue
        out.extend(p for p in split_clitic(tok) if p)
    return tuple(out)


def _negation_positions(tokens: list[str], text: str) -> set[int]:
    if NON_NEGATING.search(text):
        tokens = _words(NON_NEGATING.sub(" neutralise ", text))
    return {i for i, t in enumerate(tokens) if t in NEGATORS}


def _weight(token: str) -> float:
    if token in FUNCTION_WORDS:
        return 0.3
    if token in SUBJECT_WORDS:
        return 0.6
    return 1.0


def _compile_pattern(intent: str, raw: str | PatternSpec) -> _Pattern:
    where = None
    if isinstance(raw, PatternSpec):
        where = raw.in_
        raw = raw.re
    regex = re.compile(raw)  # validated by trainer.dialogue.nlu_data
    aware = re.search(r"\\bne\\b|\bne\\s|n'|n\.|\bpas\b|jamais", regex.pattern) is not None
    return _Pattern(intent, regex, where, aware)


def _group_patterns(intent: str, patterns: list[_Pattern]) -> list[_Pattern]:
    """Join an intent's patterns that share their conditions into one regex (fewer searches)."""
    groups: dict[tuple[str | None, bool], list[_Pattern]] = {}
    for pattern in patterns:
        groups.setdefault((pattern.where, pattern.negation_aware), []).append(pattern)
    out = []
    for (where, aware), members in groups.items():
        if len(members) == 1:
            out.append(members[0])
            continue
        joined = "|".join(f"(?:{m.regex.pattern})" for m in members)
        try:
            out.append(_Pattern(intent, re.compile(joined), where, aware))
        except re.error:  # a look-behind that cannot be joined: keep them apart
            out.extend(members)
    return out


@lru_cache(maxsize=1)
def intent_model() -> IntentModel:
    """Load and index ``data/intents.yaml`` (cached for the process)."""
    data = load_data("intents.yaml", IntentsFile)
    specs: dict[str, _IntentSpec] = {}
    examples: list[_Example] = []
    patterns: list[_Pattern] = []
    for name, spec in data.intents.items():
        specs[name] = _IntentSpec(
            name=name,
            description=spec.description,
            examples_in=spec.examples_in,
            anchor=spec.anchor,
            unless=tuple(re.compile(u) for u in spec.unless),
            overrides=tuple(spec.overrides),
        )
        for raw in spec.examples:
            text = digitize(normalize(str(raw)))
            tokens = tuple(_words(text))
            if not tokens:
                continue
            weights = tuple(_weight(t) for t in tokens)
            content = tuple(t for t, w in zip(tokens, weights, strict=True) if w == 1.0)
            if not content:
                weights = tuple(1.0 for _ in tokens)
                content = tokens
            negated = bool(_negation_positions(list(tokens), text))
            examples.append(_Example(name, text, tokens, weights, sum(weights), content, negated))
        patterns.extend(_group_patterns(name, [_compile_pattern(name, raw) for raw in spec.patterns]))
    index: dict[str, list[int]] = {}
    for i, example in enumerate(examples):
        for tok in set(example.content):
            index.setdefault(tok, []).append(i)
    vocab = frozenset(t for e in examples for t in e.tokens)
    known = vocab | vocabulary() | FUNCTION_WORDS | SUBJECT_WORDS
    return IntentModel(specs, examples, patterns, index, tuple(sorted(vocab)), known)


# ---------------------------------------------------------------------------------------------
# Clauses


@dataclass
class _Clause:
    text: str
    question: bool
    scores: dict[str, IntentMatch] = field(default_factory=dict)


def split_clauses(text: str) -> list[str]:
    """Cut a normalised line into clauses (punctuation kept at the end of each clause).

    A clause of one word ("Malheureusement,", "Oui,") is joined to the next one, so that a pattern
    such as "malheureusement ... pas" still sees its words together.
    """
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text)]
    parts = [p for p in parts if p and re.search(r"\w", p)]
    merged: list[str] = []
    carry = ""
    for part in parts:
        if carry:
            part = f"{carry} {part}"
            carry = ""
        if len(_words(part)) <= 1 and not part.rstrip().endswith(("?", "!", ".")):
            carry = part
            continue
        merged.append(part)
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]} {carry}"
        else:
            merged.append(carry)
    return merged


def _in_a_row(short: tuple[str, ...], tokens: list[str]) -> bool:
    size = len(short)
    return any(tuple(tokens[i : i + size]) == short for i in range(len(tokens) - size + 1))


def _negated(negations: set[int], first: int, last: int, tokens: list[str] | None = None) -> bool:
    """A negation before or inside the phrase, or "pas"/"jamais" right after it ("absolument pas").

    A negation before the phrase does not reach over a new subject: in the unpunctuated « c'est pas
    possible je suis désolé » the « pas » belongs to the first verb, not to the apology.
    """
    for p in negations:
        if not first - NEGATION_LOOKBACK <= p <= last:
            continue
        if p < first and tokens is not None and any(t in _NEW_SUBJECT for t in tokens[p + 1 : first + 1]):
            continue
        return True
    return tokens is not None and last + 1 in negations and tokens[last + 1] in {"pas", "jamais", "plus"}


def _match_examples(model: IntentModel, clause: _Clause) -> None:
    tokens = [model.correct(t) for t in _words(clause.text)]
    if not tokens:
        return
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        positions.setdefault(tok, []).append(i)
    negations = _negation_positions(tokens, " ".join(tokens))
    clause_content = sum(1 for t in tokens if _weight(t) == 1.0)
    candidates: set[int] = set()
    for tok in positions:
        candidates.update(model.index.get(tok, ()))
    for i in candidates:
        example = model.examples[i]
        spec = model.specs[example.intent]
        if spec.examples_in == "question" and not clause.question:
            continue
        if spec.examples_in == "statement" and clause.question:
            continue
        missing = sum(1 for t in example.content if t not in positions)
        if missing > (len(example.content) - 1) // 3:
            continue
        # A short example ("c'est ça", "vous êtes qui") is only there when all its words are, in
        # a row ("c'est comme ça" is not "c'est ça").
        if len(example.tokens) <= 3 and not _in_a_row(example.tokens, tokens):
            continue
        matched = 0.0
        where: list[int] = []
        for tok, weight in zip(example.tokens, example.weights, strict=True):
            hit = positions.get(tok)
            if hit:
                matched += weight
                where.append(hit[0])
        coverage = matched / example.total
        if coverage < EXAMPLE_THRESHOLD or not where:
            continue
        # A one-word example ("oui", "merci") only speaks for a short clause.
        if len(example.content) == 1 and clause_content > 3:
            continue
        if spec.anchor == "start" and min(where) > 1:
            continue
        if _negated(negations, min(where), max(where), tokens) != example.negated and not (
            clause.question and example.intent in ASKING_INTENTS
        ):
            continue
        score = round(min(1.0, coverage), 3)
        current = clause.scores.get(example.intent)
        if current is None or current.score < score:
            clause.scores[example.intent] = IntentMatch(example.intent, score, "example", example.text)


def _match_patterns(model: IntentModel, clause: _Clause) -> None:
    text = clause.text
    tokens = _words(text)
    negations = _negation_positions(tokens, text)
    for pattern in model.patterns:
        if pattern.intent in clause.scores and clause.scores[pattern.intent].score >= PATTERN_SCORE:
            continue
        if pattern.where == "question" and not clause.question:
            continue
        if pattern.where == "statement" and clause.question:
            continue
        match = pattern.regex.search(text)
        if not match:
            continue
        if negations and not pattern.negation_aware and not (clause.question and pattern.intent in ASKING_INTENTS):
            first = len(_words(text[: match.start()]))
            last = first + max(0, len(_words(match.group())) - 1)
            if _negated(negations, first, last, tokens):
                continue
        clause.scores[pattern.intent] = IntentMatch(pattern.intent, PATTERN_SCORE, "pattern", match.group().strip())


def _resolve(model: IntentModel, clause: _Clause) -> None:
    """Apply ``unless`` and ``overrides`` within one clause."""
    for name in list(clause.scores):
        spec = model.specs.get(name)
        if spec and any(u.search(clause.text) for u in spec.unless):
            del clause.scores[name]
    for name in list(clause.scores):
        spec = model.specs.get(name)
        if spec is None or name not in clause.scores:
            continue
        for other in spec.overrides:
            clause.scores.pop(other, None)


# ---------------------------------------------------------------------------------------------
# Questions


# Questions by inversion without "?": the verbs that form them ("calmez-vous" is an order).
_VERB_FIRST = re.compile(
    r"^(?:et\s+|mais\s+|alors\s+|donc\s+|sinon\s+)?(?:(?:pouvez|pourriez|voulez|voudriez|souhaitez|souhaiteriez|avez|auriez|"
    r"desirez|preferez|connaissez|savez|pensez|accepteriez|acceptez|seriez|comptez|prenez|utilisez|recevez|confirmez|"
    r"avez|aviez|etiez|aimeriez|trouvez|croyez|faites|dites)\s+vous|\w+ons\s+nous|(?!et\b|mais\b|donc\b)\w+(?:t|a|e|d)\s+(?:t\s+)?(?:il|elle|on|ils|elles)|"
    r"(?!(?:alors|puis|apres|ensuite|depuis|toujours|jamais|sinon|mais|donc|plus|moins|tous|sans|sous|chez|vers|dans|pas|tres|aussi|ainsi|bons?|fois|mois)\b)\w+(?:s|x)\s+(?:tu|je)|(?:suis|puis|dois|peux|vais|sais|ai)\s+je|es\s+tu|etes\s+vous|avez\s+vous|ont\s+(?:ils|elles)|"
    r"sont\s+(?:ils|elles))\b"
)


_SPOKEN_QUESTION = re.compile(
    r"^(?:et\s+|alors\s+|donc\s+|bon\s+|mais\s+)?c'(?:est|etait)\s+(?:quoi|qui|combien|ou|quand|comment|lequel|laquelle|quel\w*)\b"
    r"|^(?:et\s+|alors\s+|donc\s+|bon\s+|mais\s+)?(?:vous|tu|il|elle|on|ils|elles|ca|cela|c'est|votre|vos|le|la|les)\s+"
    r"(?:[\w']+\s+){0,4}?(?:quel|quelle|quels|quelles|combien|lequel|laquelle|lesquels|lesquelles)\b(?!\s+que\s+soi)"
    r"|^(?:et\s+|alors\s+|donc\s+|bon\s+|mais\s+)?(?:vous|tu|il|elle|on|ca|c'est|votre|vos)\s+(?:[\w']+\s+){0,5}?(?:quoi|comment|ou|quand|pourquoi|qui)$"
    r"|\b(?:avec|pour|sur|en|par|a)\s+quoi\b(?!\s+(?:que|qu'))|\b(?:avec|pour|de|a|chez)\s+qui$"
    r"|^(?:et\s+|alors\s+|donc\s+)?(?:vous|tu)\s+(?:preferez|voulez|souhaitez|desirez|prenez|prefereriez|voudriez)\s+(?:\S+\s+){1,6}?ou\s+\S+"
    r"|^(?:et\s+|alors\s+)?c'est\s+(?:pour|a\s+propos\s+d\S*|au\s+sujet\s+d\S*)\s+(?:\S+\s+){1,4}?ou\s+\S+"
    r"|^(?:et\s+)?(?:ca|cela)\s+vous\s+(?:convient|conviendrait|irait|dit)\b"
    r"|\b(?:voulez|veux|faut|faudrait|faudra|prenez|prends|desirez|souhaitez)\s+combien\s*$"
    # A tag question ending a spoken turn: « vous cherchez une garde, c'est pour quel jour ? »
    r"|\bc'est\s+(?:pour|a|de|en)\s+(?:quel|quelle|quels|quelles|combien)\b"
    # Dislocated subject: « les cartons, ils étaient comment quand le livreur est passé ? »
    r"|^(?:[\w']+\s+){0,3}?(?:il|elle|ils|elles|ca|c'est|c'etait)\s+(?:est|sont|etait|etaient|a|ont|avait|avaient)\s+(?:[\w']+\s+)?(?:comment|ou|combien|quand)\b"
)


_SPOKEN_REQUEST = re.compile(
    r"^(?:et\s+|alors\s+|donc\s+)?(?:est\s+ce\s+que\s+)?vous\s+(?:pouvez|pourriez|voulez|voudriez|peux|pourrais|veux|voudrais)\s+(?:me\s+|m'|nous\s+)?"
    r"(?:l'|le\s+|la\s+|les\s+)?(?:preciser|decrire|expliquer|dire|indiquer|donner|epeler|communiquer|detailler|redonner|repeter|laisser|"
    r"rappeler\s+(?:votre|vos|le\s+nom|le\s+numero))\b"
)


_SPOKEN_YES_NO = re.compile(
    r"^(?:et\s+|alors\s+|donc\s+|bon\s+|mais\s+)?vous\s+(?:avez|aviez|auriez|etes|seriez|voulez|voudriez|souhaitez|"
    r"souhaiteriez|pouvez|pourriez|connaissez|savez|prenez|utilisez|desirez|preferez|trouvez|pensez|comptez|aimeriez)\b"
)


def _is_question(sentence: str) -> bool:
    body = sentence.strip()
    if body.endswith("?"):
        return True
    plain = body.rstrip(".!,;: ")
    if re.match(r"^(?:(?:et|alors|donc|mais|bon|oui|d'accord|tres\s+bien)\s+)?(?:est\s+ce\s+que|est\s+ce\s+qu'|qu'est\s+ce|est\s+ce)\b", plain):
        return True
    if re.match(r"^(?:quel|quelle|quels|quelles|comment|combien|pourquoi|quand|a\s+quel|a\s+quelle|de\s+quel|pour\s+quel|qui\s+est|que\s+(?:puis|pouvons|desirez|souhaitez|voulez))\b", plain):
        return True
    # Inversion: the verb first ("Pouvez-vous...", "Avez-vous..."), or "a-t-il", "y a-t-il".
    if _VERB_FIRST.match(plain) or re.search(r"\b\w+\s+t\s+(?:il|elle|on)\b", plain):
        return True
    # Spoken questions that speech recognition and SMS write without "?": "c'est quoi votre nom",
    # "vous voulez combien de tubes", "vous l'avez mélangée avec quoi", "vous préférez X ou Y".
    if _SPOKEN_QUESTION.search(plain):
        return True
    # A request for information said to the caller ("vous pouvez me donner votre numéro de commande").
    return bool(_SPOKEN_REQUEST.match(plain))


def _question_kind(sentence: str, raw_sentence: str) -> str:
    plain = sentence.rstrip("?!. ")
    # "où" (where) and "ou" (or) only differ by the accent the student may have typed.
    raw_where = re.search(r"\boù\b", raw_sentence.lower()) is not None
    if re.search(r"\bou\b", plain) and not raw_where:
        before, _, after = plain.partition(" ou ")
        tail = after.strip()
        # "d'autres questions ou d'autres besoins ?" still expects yes or no.
        yes_no = re.match(r"^(?:pas|non|bien|plutot\s+pas|d'autres|autre\s+chose|quelque\s+chose|autre)\b", tail)
        if before.strip() and tail and not yes_no and not plain.startswith("ou "):
            return "alternative"
    parts = [p.strip() for p in re.split(r"[,;:]", plain) if p.strip()]
    if (
        _ANYWHERE_INTERROGATIVE.search(plain)
        or any(_EDGE_INTERROGATIVE.search(p) for p in parts)
        or re.search(r"(?<!n'importe\s)\bquoi\b", plain)
        or _INFO_REQUEST.search(plain)
        or raw_where
    ):
        return "open"
    return "closed"


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text)
    return [p for p in parts if p.strip()]


# ---------------------------------------------------------------------------------------------
# Flags


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
        if tok == "tiens" and (i == 0 or nxt in {"", "au"} or prev == "vous"):
            continue  # "Tiens, ..." interjection; "je vous tiens au courant"
        if tok == "te" and prev in {"the", "cafe"}:
            continue
        return True
    return False


_POLITE = {"tu": "vous", "te": "vous", "toi": "vous", "ton": "votre", "ta": "votre", "tes": "vos"}
# The verb after "tu" / "t'" takes the "vous" form ("t'as besoin de quoi" → "vous avez besoin de quoi").
_POLITE_VERBS = {
    "as": "avez", "es": "etes", "peux": "pouvez", "veux": "voulez", "sais": "savez", "vas": "allez",
    "fais": "faites", "dois": "devez", "prends": "prenez", "preferes": "preferez", "souhaites": "souhaitez",
    "voudrais": "voudriez", "pourrais": "pourriez", "serais": "seriez", "aurais": "auriez", "connais": "connaissez",
    "attends": "attendez", "desires": "desirez", "appelles": "appelez", "habites": "habitez",
}


def _polite_view(text: str) -> str:
    """The line with "tu/te/ton..." read as "vous/votre", so that its intents are still found."""
    if not _tutoiement(text):
        return text
    out: list[str] = []
    prev_tu = False
    for word in text.split(" "):
        bare = word.rstrip(".,;:!?")
        tail = word[len(bare):]
        head, _, rest = bare.partition("'")
        after_tu = bool(out) and out[-1] == "vous" and prev_tu
        prev_tu = False
        if bare in _POLITE:
            out.append(_POLITE[bare] + tail)
            prev_tu = bare == "tu" and not tail
        elif head == "t" and rest:
            out.append("vous " + _POLITE_VERBS.get(rest, rest) + tail)
        elif after_tu and bare in _POLITE_VERBS:
            out.append(_POLITE_VERBS[bare] + tail)
        else:
            out.append(word)
    return " ".join(out)


# ---------------------------------------------------------------------------------------------
# Rules over the whole line


def _in_clause(clauses: list[_Clause], fragment: str) -> _Clause | None:
    for clause in clauses:
        if fragment and fragment in clause.text:
            return clause
    return None


def _rules(digits: str, clauses: list[_Clause], slots: Slots, lexicon: Lexicon, now: datetime | None, said: str = "") -> set[str]:
    flags: set[str] = set()

    def add(clause: _Clause, name: str, evidence: str, score: float = RULE_SCORE) -> None:
        current = clause.scores.get(name)
        if current is None or current.score < score:
            clause.scores[name] = IntentMatch(name, score, "rule", evidence)

    tokens = _words(digits)
    first_clause = clauses[0] if clauses else None
    # The company named by the student: at the start, or "chez / de / ici / service ... GENERIK".
    if slots.company_named and first_clause is not None:
        heads = {k[0] for k in lexicon.company_keys}
        exact_heads = {k[0] for k in lexicon.company_exact_keys} or heads
        positions = [i for i, t in enumerate(tokens) if t in heads]
        # A spelling as heard (« générique ») is an ordinary word too: it names the company only
        # at the very start or after « chez », « de », « ici »...
        intro = any(
            (p <= 4 and tokens[p] in exact_heads)
            or p == 0
            or (p > 0 and tokens[p - 1] in {"chez", "de", "ici", "societe", "entreprise", "clientele", "client", "standard", "service"})
            for p in positions
        )
        greeted = any("greet" in c.scores for c in clauses)
        if intro or greeted:
            target = next((c for c in clauses if any(h in _words(c.text) for h in heads)), first_clause)
            add(target, "introduce_company", lexicon.company_name)
    if slots.company_named and slots.first_names and any("greet" in c.scores for c in clauses):
        flags.add("company_formula")

    today = now.astimezone(PARIS).date() if now is not None else None
    for clause in clauses:
        intents_here = set(clause.scores)
        clause_words = _words(clause.text)
        negated = bool(_negation_positions(clause_words, clause.text))
        # Deadline: a date or time that is not past, with a commitment, in a statement.
        if not clause.question and not negated and "filter_unavailable" not in intents_here:
            for ref in slots.times + slots.dates:
                if _in_clause([clause], ref.text) is None:
                    continue
                if today is not None and ref.date is not None and ref.date < today:
                    continue
                commitment = intents_here & {"commit_callback", "propose_solution", "take_message", "escalate", "transfer"}
                if commitment or _FUTURE_HINT.search(clause.text) or _DEADLINE_WORDS.search(ref.text) or ref.kind == "deadline":
                    add(clause, "give_deadline", ref.text)
                    break
        # Price: an amount in euros said as a statement.
        if not clause.question and any(_in_clause([clause], m.text) for m in slots.money):
            add(clause, "state_price", next(m.text for m in slots.money if m.text in clause.text))
        # A discount: a percentage.
        if re.search(r"\d\s*(?:%|pour\s*cents?|pourcents?)", clause.text):
            if "propose_solution" not in intents_here:
                add(clause, "announce_promotion", "%", 0.85)
        # A product fact: a statement about a product or shade with a describing verb.
        if not clause.question and not set(clause.scores) - {"confirm"} and not VAGUE.search(clause.text):
            mentions = [p.text for p in slots.products] + [s.text for s in slots.shades]
            if any(m in clause.text for m in mentions) or re.search(r"\b(?:gammes?|nuances?|teintes?|colorations?|references?|produits?)\b", clause.text):
                if _DESCRIBING_VERBS.search(clause.text):
                    add(clause, "inform_product", "produit + verbe", 0.85)
    # Reformulation of an order: "donc 48 tubes de 6.4", "au total : 36 tubes, deux poudres...".
    for i, clause in enumerate(clauses):
        sentence_clauses = _sentence_of(clauses, i)
        if clause is not sentence_clauses[0] or clause.question:
            continue
        sentence_text = " ".join(c.text for c in sentence_clauses)
        has_order_slots = any(q.text in sentence_text for q in slots.quantities)
        if has_order_slots and re.search(r"\b(?:donc|alors|je\s+resume|ce\s+qui\s+fait|au\s+total|en\s+tout)\b", sentence_text):
            add(clause, "reformulate", "donc + commande")
    # Questions: about paying, about the request itself, or a check of what was said.
    for i, clause in enumerate(clauses):
        if not clause.question:
            continue
        sentence_clauses = _sentence_of(clauses, i)
        claimed = set().union(*(c.scores.keys() for c in sentence_clauses))
        sentence_text = " ".join(c.text for c in sentence_clauses)
        # A check of what was said is no precise question, unless it offers a choice between two
        # values of the request ("Vous avez dit 6.4 ou 4.6 ?").
        if "reformulate" in claimed and not (
            _question_kind(sentence_text, sentence_text) == "alternative"
            and any(m.text in sentence_text for m in [*slots.shades, *slots.products, *slots.quantities])
        ):
            continue
        if _PAYMENT_WORDS.search(sentence_text) and (
            any(_in_clause(sentence_clauses, d.text) for d in slots.dates + slots.times)
            or re.search(r"\b(?:quand|date|jour)\b", sentence_text)
        ):
            if "ask_payment_date" not in claimed:
                add(clause, "ask_payment_date", sentence_text, 0.85)
            for c in sentence_clauses:
                for other in model_specs().get("ask_payment_date", ()):
                    c.scores.pop(other, None)
            continue
        quantities_here = [
            q for q in slots.quantities if q.text[:1] in "~0123456789" and any(q.text in c.text for c in sentence_clauses)
        ]
        kind = _question_kind(sentence_text, sentence_text)
        asks_possible = re.search(r"\b(?:possible|pourriez\s+vous|pouvez\s+vous|auriez\s+vous|y\s+a\s+t\s+il|reste\s+t\s+il)\b", sentence_text)
        if (
            quantities_here and kind == "closed" and not asks_possible
            and not claimed & {"ask_other_needs", "ask_details", "announce_promotion", "propose_solution"}
        ):
            if i == len(clauses) - 1 or clauses[i + 1].question is False:
                add(clause, "reformulate", "vérification", 0.85)
            continue
        if (claimed - {"reformulate"}) & QUESTION_INTENTS or clause.scores.keys() - {"greet", "confirm", "thank", "apologize", "empathize", "reformulate"}:
            continue
        # "Madame Coutant, du salon Coiff'Sandrine ?": checking who is calling.
        if any(p.civility and p.text in sentence_text for p in slots.person_names) and not claimed - {"greet"}:
            add(clause, "ask_identity", "nom en question", 0.85)
            continue
        if _DETAIL_NOUNS.search(clause.text) or any(
            p.text in clause.text for p in slots.products
        ) or any(s.text in clause.text for s in slots.shades) or any(d.text in clause.text for d in slots.dates):
            add(clause, "ask_details", clause.text, 0.85)
    # Flags, read on the line as said (not on its "vous" view)
    said = said or digits
    if VAGUE.search(said):
        flags.add("vague")
    if FAMILIAR.search(said):
        flags.add("familiar")
    if any(NEGATORS.intersection(_words(c.text)) for c in clauses):
        flags.add("negation")
    if '"' in digits:
        flags.add("quote")
    return flags


def _sentence_of(clauses: list[_Clause], index: int) -> list[_Clause]:
    """The clauses of the sentence that clause ``index`` belongs to."""
    start = index
    while start > 0 and not clauses[start - 1].text.rstrip().endswith((".", "!", "?")):
        start -= 1
    end = index
    while end < len(clauses) - 1 and not clauses[end].text.rstrip().endswith((".", "!", "?")):
        end += 1
    return clauses[start : end + 1]


@lru_cache(maxsize=1)
def model_specs() -> dict[str, tuple[str, ...]]:
    """Each intent's ``overrides`` (what a precise reading drops)."""
    return {name: spec.overrides for name, spec in intent_model().specs.items()}


# ---------------------------------------------------------------------------------------------
# Entry point


@lru_cache(maxsize=1)
def _french_trigrams() -> frozenset[str]:
    """Letter trigrams of the French the trainer knows (its data files and the scenarios' lines).

    Used only to tell a French line the NLU did not understand ("Nous serons 12 personnes")
    from one that is not language at all ("qsdf hjkl"): the customer answers them differently.
    """
    words = set(vocabulary())
    try:
        from trainer.paths import scenarios_dir

        for path in sorted(scenarios_dir().rglob("*.yaml"))[:500]:
            words.update(re.findall(r"[^\W\d_]{2,}", fold(path.read_text(encoding="utf-8")).lower()))
    except OSError:
        pass
    grams: set[str] = set()
    for word in words:
        padded = f"^{word}$"
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def _plausible(word: str, known: frozenset[str]) -> bool:
    """True for a known word or one whose letter trigrams look French."""
    if word in known:
        return True
    if len(word) <= 2:
        return False
    grams = _french_trigrams()
    padded = f"^{word}$"
    parts = [padded[i : i + 3] for i in range(len(padded) - 2)]
    return sum(1 for g in parts if g in grams) >= 0.75 * len(parts)


def _first_names_as_typed(raw: str, names: list[str]) -> list[str]:
    """Keep a first name's accents as the student typed them ("Kévin" stays "Kévin")."""
    typed = {}
    for word in re.findall(r"[^\W\d_][\w-]*", raw):
        if fold(word) != word:
            typed[normalize(word)] = word[:1].upper() + word[1:].lower() if not word[:1].isupper() else word[:1] + word[1:].lower()
    return [typed.get(normalize(n), n) for n in names]


@lru_cache(maxsize=4096)
def _understand_cached(text: str, company: str, now: datetime | None) -> Understanding:
    lexicon = get_lexicon(company)
    model = intent_model()
    clipped = text[:MAX_CHARS]
    normalized = normalize(clipped)
    digits = digitize(normalized)
    slots = extract_slots(clipped, lexicon, now)
    slots.first_names = _first_names_as_typed(clipped, slots.first_names)
    # Intents are matched on a "vous" view of the line, so that a student who says "tu" is still
    # understood ("ton numéro" asks for the number); the tutoiement itself is a flag.
    polite = _polite_view(digits)
    raw_sentences = re.split(r"(?<=[.!?])\s+", clipped)
    questions: list[tuple[str, str]] = []
    question_sentences: set[int] = set()
    sentences = _sentences(polite)
    for i, sentence in enumerate(sentences):
        if _is_question(sentence):
            raw = raw_sentences[i] if i < len(raw_sentences) else clipped
            questions.append((sentence, _question_kind(sentence, raw)))
            question_sentences.add(i)

    def analyse(asked: set[int]) -> tuple[list[_Clause], set[str]]:
        found: list[_Clause] = []
        for i, sentence in enumerate(sentences):
            for part in split_clauses(sentence):
                found.append(_Clause(part, i in asked))
        for clause in found:
            _match_examples(model, clause)
            _match_patterns(model, clause)
            _resolve(model, clause)
        return found, _rules(polite, found, slots, lexicon, now, said=digits)

    clauses, flags = analyse(question_sentences)
    # Speech recognition writes no "?": a line said to "vous" that means nothing as a statement
    # ("vous avez des photos") is heard as the yes/no question it was.
    if (
        not questions
        and not re.search(r"[.!?;]", polite)
        and _SPOKEN_YES_NO.match(polite)
        and not any(c.scores for c in clauses)
    ):
        retry, retry_flags = analyse(set(range(len(sentences))))
        # Only a reading the phrases support, or a question about the request that names no date
        # ("vous pouvez me rappeler demain" is no question about the order).
        if any(
            m.source != "rule" or not (slots.dates or slots.times) for c in retry for m in c.scores.values()
        ):
            clauses, flags = retry, retry_flags
            questions = [(sentence, _question_kind(sentence, sentence)) for sentence in sentences]
    if _tutoiement(digits):
        flags.add("tutoiement")
    for clause in clauses:
        _resolve(model, clause)
    said_fillers = fillers(clipped)
    if said_fillers and FAMILIAR_FILLERS.intersection(said_fillers):
        flags.add("familiar")
    if any(kind == "alternative" for _, kind in questions):
        question_type = "alternative"
    elif any(kind == "open" for _, kind in questions):
        question_type = "open"
    elif questions:
        question_type = "closed"
    else:
        question_type = None
    scores: dict[str, IntentMatch] = {}
    for clause in clauses:
        for name, match in clause.scores.items():
            if name not in scores or scores[name].score < match.score:
                scores[name] = match
    words = [w for w in _words(normalized) if w.isalpha()]
    known = sum(1 for w in words if w in model.known or w in lexicon.first_names or model.correct(w) != w)
    known_ratio = known / len(words) if words else 0.0
    intents = sorted(scores.values(), key=lambda m: (-m.score, m.name))
    if not intents:
        intents = [IntentMatch("unknown", 1.0, "rule", "")]
        plausible = sum(1 for w in words if _plausible(w, model.known)) / len(words) if words else 0.0
        if words and plausible < 0.5 and slots.is_empty():
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
        clauses=[c.text for c in clauses],
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


def preload(company: str = "generik") -> None:
    """Build everything the NLU caches (intent model, company lexicon, French trigrams) now.

    The call session or the TUI can call it while the phone rings, so that the first student
    line costs no more than the others.
    """
    intent_model()
    get_lexicon(company)
    _french_trigrams()
    understand("GENERIK, Julie, bonjour !", {"company": company})


def reload_data() -> None:
    """Forget everything read from the data files, so that edited files are read again."""
    from trainer.dialogue import lexicon, normalize, numbers

    for cached in (
        intent_model, model_specs, _french_trigrams, _understand_cached, _words_cached,
        normalize.sms_words, normalize.filler_words, normalize.vocabulary, normalize._glued_sms,
        normalize._normalize_cached, normalize._spans_cached, normalize._tokens_cached,
        numbers.digitize, lexicon.get_lexicon, lexicon.common_words,
    ):
        cached.cache_clear()


def describe_intents() -> dict[str, str]:
    """Intent names and their French descriptions, for documentation and teacher screens."""
    return intent_model().descriptions
