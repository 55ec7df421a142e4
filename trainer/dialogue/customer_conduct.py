"""How the simulated customer perceives the way the student speaks (not the scoring: the customer's ear).

``perceive(line, common_phrases, persona_surname, company_name)`` lists the conduct events of one
student turn, in a fixed order: ``tutoiement``, ``avoid_phrase``, ``blamed``, ``vague``,
``internal_problem``, ``familiar``, ``provoked``, ``repeat_request``, ``name_used``,
``leave_phrase``, ``promotion_words``, ``deadline_words``. The simulator turns them into mood
changes and remarks (``scenarios_common.yaml``). Quoted speech is ignored: a student who reports
what someone said is not talking that way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from trainer.dialogue.customer_text import PhraseSet, without_quotes
from trainer.dialogue.normalize import fold, split_clitic

TU_WORDS = frozenset({"tu", "te", "toi", "ton", "ta", "tes", "t'", "tiens", "t'as", "t'es"})
# "le ton", "un ton agréable", "ton sur ton": the noun "ton" (tone), not the possessive.
_TON_NOUN_BEFORE = frozenset({"le", "un", "ce", "mon", "son", "quel", "du", "meme", "bon", "sur"})
_TON_NOUN_AFTER = frozenset({"sur", "agreable", "calme", "aimable", "poli", "courtois", "doux", "ferme", "neutre"})

PHRASE_GROUPS = (
    "avoid_phrase",
    "blamed",
    "vague",
    "internal_problem",
    "familiar",
    "provoked",
    "repeat_request",
    "promotion",
    "leave_taking",
    "deadline_words",
)


@dataclass(frozen=True)
class Perception:
    """What the customer heard in one turn, beyond the intents."""

    events: tuple[str, ...] = ()
    matched: dict[str, str] = field(default_factory=dict)  # event → the words that triggered it

    def has(self, event: str) -> bool:
        """True when the event was perceived."""
        return event in self.events


@lru_cache(maxsize=64)
def _compiled(groups: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, PhraseSet]:
    return {name: PhraseSet(phrases) for name, phrases in groups}


def compile_phrases(phrases: dict[str, list[str]]) -> dict[str, PhraseSet]:
    """Compile the phrase groups of ``scenarios_common.yaml`` (cached)."""
    key = tuple((name, tuple(phrases.get(name, ()))) for name in PHRASE_GROUPS)
    return _compiled(key)


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for raw in text.split():
        word = raw.strip("?!.,;:\"")
        if not word:
            continue
        out.extend(split_clitic(word))
    return out


def tutoiement(normalized: str) -> str | None:
    """The word that addresses the caller as « tu » in a normalised line (quotes removed), or None.

    Words that merely contain the letters (« tube », « teinture », « statut ») never count, nor the
    noun « ton » (« le ton », « ton sur ton »), nor quoted speech (« il m'a dit « tu signes là » »).
    """
    words = _tokens(without_quotes(normalized))
    for i, word in enumerate(words):
        if word not in TU_WORDS:
            continue
        if word == "ton":
            before = words[i - 1] if i > 0 else ""
            after = words[i + 1] if i + 1 < len(words) else ""
            if before in _TON_NOUN_BEFORE or after in _TON_NOUN_AFTER:
                continue
        if word == "tiens" and i > 0 and words[i - 1] in {"je", "j'", "me", "nous", "vous", "il", "elle", "on"}:
            continue  # "je tiens à", "vous tiens au courant" are not tutoiement
        if word == "t'" and i + 1 < len(words) and words[i + 1] in {"il", "elle", "on", "ils", "elles"}:
            continue  # the euphonic t of "a-t-il", "va-t-on"
        return word
    return None


def name_used(normalized: str, surname: str) -> bool:
    """True when the student calls the persona by civility and surname (« Madame Delmotte »)."""
    target = fold(surname).lower()
    if not target:
        return False
    words = normalized.replace("?", " ").replace("!", " ").replace(",", " ").replace(".", " ").split()
    parts = target.split()
    for i in range(1, len(words) - len(parts) + 1):
        if words[i : i + len(parts)] == parts and words[i - 1] in {"madame", "monsieur", "mme", "mr", "m", "mademoiselle"}:
            return True
    return False


def perceive(
    normalized: str,
    phrases: dict[str, PhraseSet],
    *,
    surname: str,
    extra_flags: frozenset[str] = frozenset(),
) -> Perception:
    """The conduct events of one student line (normalised text; ``extra_flags`` from the NLU)."""
    text = without_quotes(normalized)
    events: list[str] = []
    matched: dict[str, str] = {}

    tu = tutoiement(text)
    if tu is not None or "tutoiement" in extra_flags:
        events.append("tutoiement")
        matched["tutoiement"] = tu or "tu"
    for group in ("avoid_phrase", "blamed", "vague", "internal_problem", "familiar", "provoked", "repeat_request"):
        found = phrases[group].search(text)
        if found:
            events.append(group)
            matched[group] = found
    if name_used(text, surname):
        events.append("name_used")
    for group, event in (("leave_taking", "leave_phrase"), ("promotion", "promotion_words"), ("deadline_words", "deadline_words")):
        found = phrases[group].search(text)
        if found:
            events.append(event)
            matched[event] = found
    return Perception(tuple(events), matched)
