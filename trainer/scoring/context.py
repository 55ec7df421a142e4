"""Everything the rules need to know about one call, computed once and shared.

``CallView`` wraps a transcript with: the call's direction and kind (from the transcript, else the
scenario, else inferred from what was said), every turn analysed (``text.analyse``), the caller's
name as far as the call reveals it, who hung up, how many rings, where the caller voiced a
grievance, where the student started to deal with the request, and what was agreed.

It works with or without a scenario: transcripts from outside the trainer have no scenario, and
everything is then read from the turns themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from trainer.domain.transcript import Transcript, Turn
from trainer.errors import UserError
from trainer.scoring.lexicon import Hit, Lexicon
from trainer.scoring.text import Utterance, analyse

PARIS = ZoneInfo("Europe/Paris")
CIVILITIES = {"madame", "monsieur", "mademoiselle", "mlle", "mme"}
# Words that follow a civility but are not a name ("Merci madame, au revoir").
_NOT_NAMES = {
    "et", "de", "du", "je", "j'", "au", "a", "merci", "bonne", "bon", "belle", "la", "le", "les", "un", "une",
    "vous", "votre", "pour", "est", "sera", "c'", "il", "elle", "d'", "que", "qu'", "si", "en", "oui", "non",
    "bien", "tres", "donc", "alors", "excusez", "pardon", "desole", "desolee", "n'", "ne", "nous", "on", "ca",
    "cela", "ce", "s'", "l'", "m'", "t'", "avez", "etes", "pouvez", "puis", "souhaitez", "voulez", "mais",
    "avec", "chez", "sur", "par", "dans", "aussi", "encore", "bonjour", "bonsoir", "revoir", "tout", "toute",
    "madame", "monsieur", "mademoiselle", "suis", "reste", "l", "s", "ou",
}
_SELF_ID_RE = re.compile(
    r"(?i:\bje suis|\bici|\bc'est|\bc’est|\bmoi c'est|\bmon nom est|\bje m'appelle|\bje m’appelle|\bde la part de)\s+"
    r"(?i:(?:madame|monsieur|mme|mlle|m\.|mademoiselle)\s+)?"
    r"((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2})",
)
_CIV_NAME_RE = re.compile(
    r"\b(?:Madame|Monsieur|Mme|Mlle|M\.|Mademoiselle)\s+((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+)?)"
)
_CIV_DISPLAY_RE = re.compile(r"\b(Madame|Monsieur|Mademoiselle|Mme|Mlle|M\.)\s+([A-ZÀ-Ý][\w'’-]+)")
_GREETING_NAME_RE = re.compile(
    r"^\s*(?i:allô|allo|oui)?[\s,!.]*(?i:bonjour|bonsoir)[\s,!.]+((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+){1,2})",
)
_AT_PHONE_RE = re.compile(r"((?:[A-ZÀ-Ý][\w'’-]+)(?:\s+[A-ZÀ-Ý][\w'’-]+){0,2}),?\s+à l[’']appareil")
_CLIENT_NUMBER_RE = re.compile(r"\bCLI-\d+|\bnum[ée]ro (?:de )?client\b", re.IGNORECASE)
_SALON_RE = re.compile(r"\b(?:salon|institut|société|societe|entreprise|magasin)\s+[A-ZÀ-Ý«\"]", re.IGNORECASE)
_INTERRUPTED_RE = re.compile(r"(?:\.\.\.|…|—|–|-{1,2})\s*$")
_HANGUP_WORDS = re.compile(
    r"raccroch|met fin à l|termine l.appel|coupe la communication|communication (?:est )?(?:coupée|interrompue)|"
    r"(?:coupée|interrompue|terminée) par",
    re.IGNORECASE,
)
_TIMES_RE = re.compile(r"(?<![\w])[x×]\s?(\d{1,2})\b", re.IGNORECASE)
_NUMBER_WORDS = {"une": 1, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
                 "huit": 8, "neuf": 9, "dix": 10}
_KIND_HINTS = (
    ("reclamation", "reclamation"), ("relance", "relance"), ("filtrage", "filtrage"),
    ("rappel", "rappel"), ("commande", "commande"), ("information", "information"),
    ("reservation", "reservation"), ("invitation", "invitation"), ("avis", "avis"),
)


def fold_name(text: str) -> str:
    """A name as compared: lower case, accents folded, apostrophes unified."""
    from trainer.dialogue.normalize import fold

    return fold(text).lower().replace("’", "'").strip(" ,.;:!?")


# --------------------------------------------------------------------------------------------
# Scenario and company, as far as scoring needs them
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioInfo:
    """What scoring reads from a scenario; all fields are optional (unknown scenario)."""

    id: str | None = None
    title: str | None = None
    kind: str | None = None
    direction: str | None = None
    company: str | None = None
    persona_name: str | None = None
    persona_surname: str | None = None
    persona_civility: str | None = None
    persona_company: str | None = None
    persona_segment: str | None = None
    expected: tuple[dict[str, Any], ...] = ()
    known: bool = False


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if obj is None:
        return default
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def scenario_info_from(obj: Any) -> ScenarioInfo:
    """Adapt a ``trainer.content.scenarios.Scenario`` (or a plain dict of the same shape)."""
    persona = _get(obj, "persona")
    expected = _get(obj, "expected")
    records = _get(expected, "records", []) or []
    dumped: list[dict[str, Any]] = []
    for rec in records:
        if isinstance(rec, dict):
            dumped.append(dict(rec))
        elif hasattr(rec, "model_dump"):
            dumped.append(rec.model_dump(mode="json", by_alias=True))
    surname = _get(persona, "surname")
    if surname is None and _get(persona, "name"):
        surname = _get(persona, "last_name") or str(_get(persona, "name")).split()[-1]
    return ScenarioInfo(
        id=_get(obj, "id"),
        title=_get(obj, "title"),
        kind=_get(obj, "kind"),
        direction=_get(obj, "direction"),
        company=_get(obj, "company"),
        persona_name=_get(persona, "name"),
        persona_surname=surname,
        persona_civility=_get(persona, "civility"),
        persona_company=_get(persona, "company"),
        persona_segment=_get(persona, "segment"),
        expected=tuple(dumped),
        known=True,
    )


_SCENARIOS: dict[str, tuple[float, ScenarioInfo]] = {}
RECHECK_SECONDS = 2.0


def resolve_scenario(transcript: Transcript, scenario: Any = None) -> ScenarioInfo:
    """The scenario given, else the one the transcript names (if it exists), else an empty one.

    Lookups by id are remembered for a couple of seconds: re-scoring a class year must not list the
    scenario folders for every transcript.
    """
    if scenario is not None:
        return scenario_info_from(scenario)
    if not transcript.scenario:
        return ScenarioInfo()
    import time

    from trainer.paths import scenarios_dir

    key = f"{scenarios_dir()}::{transcript.scenario}"
    now = time.monotonic()
    cached = _SCENARIOS.get(key)
    if cached is not None and now - cached[0] < RECHECK_SECONDS:
        return cached[1]
    try:
        from trainer.content.scenarios import load_scenario

        info = scenario_info_from(load_scenario(transcript.scenario))
    except UserError:
        # An outside transcript may name a scenario this installation does not have.
        info = ScenarioInfo(id=transcript.scenario)
    _SCENARIOS[key] = (now, info)
    return info


@dataclass(frozen=True)
class CompanyInfo:
    """Company facts scoring uses: how it is named, who works there, its promotion, its products."""

    id: str
    display: str
    staff_surnames: frozenset[str]
    promo_references: frozenset[str]
    promo_tiers: tuple[tuple[int, str], ...]   # (min quantity, rate as a string)
    product_names: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=8)
def company_info(company_id: str | None) -> CompanyInfo | None:
    """Load the company's reference data once; None when it is unknown or unreadable."""
    if not company_id:
        return None
    try:
        from trainer.content.company import load_company

        data = load_company(company_id)
    except UserError:
        return None
    staff = frozenset(fold_name(p.last_name) for p in data.persons)
    refs: set[str] = set()
    tiers: list[tuple[int, str]] = []
    for promo in data.promotions:
        refs.update(r.upper() for r in promo.eligible_references)
        tiers.extend((t.min_quantity, str(t.rate)) for t in promo.tiers)
    names = {p.reference.upper(): p.name for p in data.catalogue.products} if data.catalogue else {}
    return CompanyInfo(
        id=company_id,
        display=data.facts.name,
        staff_surnames=staff,
        promo_references=frozenset(refs),
        promo_tiers=tuple(sorted(tiers)),
        product_names=names,
    )


# --------------------------------------------------------------------------------------------
# The call
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class TurnView:
    """One turn with its analysis."""

    index: int
    speaker: str
    turn: Turn
    utt: Utterance


class CallView:
    """A transcript seen by the rules (see the module docstring)."""

    def __init__(self, transcript: Transcript, scenario: ScenarioInfo, lexicon: Lexicon) -> None:
        self.transcript = transcript
        self.scenario = scenario
        self.lex = lexicon
        self.turns: list[TurnView] = [
            TurnView(i, t.speaker, t, analyse(t.text)) for i, t in enumerate(transcript.turns)
        ]
        self.student = [tv for tv in self.turns if tv.speaker == "student"]
        self.customer = [tv for tv in self.turns if tv.speaker == "customer"]
        self.system = [tv for tv in self.turns if tv.speaker == "system"]

    # -- lookups ------------------------------------------------------------------------------

    def hits(self, table: str, tv: TurnView) -> list[Hit]:
        """Hits of a phrase table in the own words of one turn."""
        return self.lex.find(table, tv.utt)

    def with_table(self, table: str, turns: list[TurnView]) -> list[TurnView]:
        """The turns of ``turns`` where the table matches."""
        return [tv for tv in turns if self.lex.find(table, tv.utt)]

    def first_with(self, table: str, turns: list[TurnView], after: int = -1) -> TurnView | None:
        """The first turn after index ``after`` where the table matches."""
        for tv in turns:
            if tv.index > after and self.lex.find(table, tv.utt):
                return tv
        return None

    def next_student(self, index: int) -> TurnView | None:
        """The student's next turn after turn ``index``."""
        return next((tv for tv in self.student if tv.index > index), None)

    def student_before(self, index: int) -> TurnView | None:
        """The student's last turn before turn ``index``."""
        found = None
        for tv in self.student:
            if tv.index < index:
                found = tv
        return found

    # -- what kind of call ---------------------------------------------------------------------

    @cached_property
    def direction(self) -> str:
        """``incoming`` or ``outgoing`` (transcript, then scenario, then incoming; CONTRACT §2)."""
        return self.transcript.direction or self.scenario.direction or "incoming"

    @cached_property
    def records(self) -> list[dict[str, Any]]:
        """What the call produced in the ERP (``outcome.records``), as plain dicts."""
        recs = self.transcript.outcome.get("records") if isinstance(self.transcript.outcome, dict) else None
        return [r for r in (recs or []) if isinstance(r, dict)]

    def records_of(self, kind: str) -> list[dict[str, Any]]:
        """ERP records of one kind."""
        return [r for r in self.records if r.get("kind") == kind]

    @cached_property
    def company_id(self) -> str | None:
        """The company of the call: scenario, transcript field, or scenario id prefix."""
        if self.scenario.company:
            return self.scenario.company
        extra = getattr(self.transcript, "company", None) or (self.transcript.model_extra or {}).get("company")
        if isinstance(extra, str) and extra:
            return extra
        sid = self.transcript.scenario or ""
        prefix = sid.split("-", 1)[0] if sid else ""
        return prefix or None

    @cached_property
    def company(self) -> CompanyInfo | None:
        """Company reference data, when this installation has it."""
        return company_info(self.company_id)

    @cached_property
    def kind(self) -> str:
        """Scenario kind, else guessed from the scenario id, the records and the words."""
        if self.scenario.kind:
            return str(self.scenario.kind)
        sid = (self.transcript.scenario or "").lower()
        for hint, kind in _KIND_HINTS:
            if hint in sid:
                return kind
        kinds = {r.get("kind") for r in self.records}
        if "complaint" in kinds or self.grievance:
            return "reclamation"
        if "reminder" in kinds:
            return "relance"
        if "message" in kinds or self.asks_for_person:
            return "filtrage"
        if "order" in kinds or self.order_mentions():
            return "commande"
        return "information"

    # -- system turns: rings and hang-up ----------------------------------------------------------

    @cached_property
    def first_speech_index(self) -> int:
        """Index of the first student or customer turn (pick-up happened before it)."""
        return next((tv.index for tv in self.turns if tv.speaker != "system"), len(self.turns))

    @cached_property
    def rings(self) -> tuple[int, list[int]] | None:
        """(rings before pick-up, evidence turns), or None when the transcript has no ring data."""
        ring_turns: list[int] = []
        counted = 0
        pickup: int | None = None
        for tv in self.system:
            if tv.index > self.first_speech_index:
                break
            event = tv.turn.event
            if event == "pickup" or (event is None and self.lex.find("decroche", tv.utt, own=False)):
                pickup = tv.index
                continue
            # Stage directions are read whole, brackets included: « Le téléphone sonne (5 sonneries). »
            if event == "ring" or (event is None and self.lex.find("sonnerie", tv.utt, own=False)):
                ring_turns.append(tv.index)
                counted += _ring_count(tv.utt)
        evidence = ring_turns + ([pickup] if pickup is not None else [])
        declared = self.transcript.rings_before_pickup
        if declared is not None:
            if not evidence:
                first = next((tv.index for tv in self.student), None)
                evidence = [first] if first is not None else []
            return declared, sorted(evidence)
        if ring_turns:
            return counted, sorted(evidence)
        return None

    @cached_property
    def hangup(self) -> tuple[int, str] | None:
        """(turn index, "student" | "customer") of the first hang-up stated by a system turn."""
        for tv in self.system:
            if tv.turn.event == "hangup" and tv.turn.by in ("student", "customer"):
                return tv.index, tv.turn.by
            if tv.turn.event not in (None, "hangup", "notice", "action") or not _HANGUP_WORDS.search(tv.turn.text):
                continue
            by_customer = self.lex.find("raccroche_client", tv.utt, own=False)
            by_student = self.lex.find("raccroche_eleve", tv.utt, own=False)
            if by_customer and by_student:
                first_c = min((h.sentence_index, h.start) for h in by_customer)
                first_s = min((h.sentence_index, h.start) for h in by_student)
                return tv.index, "customer" if first_c < first_s else "student"
            if by_customer:
                return tv.index, "customer"
            if by_student:
                return tv.index, "student"
            if self._names_student(tv):  # « Julie raccroche. »: the student's login or first name
                return tv.index, "student"
        return None

    def _names_student(self, tv: TurnView) -> bool:
        """« Julie raccroche. », « Julie a raccroché » with the student's login as the subject."""
        login = fold_name(self.transcript.student or "").split()
        if not login:
            return False
        text = fold_name(tv.turn.text)
        return bool(re.search(rf"(?:^|[\s.,;:!?])({re.escape(login[0])})\s+(?:a\s+|vient de\s+)?raccroch", text))

    # -- the caller ------------------------------------------------------------------------------

    @cached_property
    def grievance(self) -> list[TurnView]:
        """Customer turns in which the caller voices a grievance."""
        return self.with_table("client_reclamation", self.customer)

    @cached_property
    def threat(self) -> list[TurnView]:
        """Customer turns threatening to end the relationship."""
        return self.with_table("client_menace_depart", self.customer)

    @cached_property
    def pressure(self) -> list[TurnView]:
        """Customer turns pressing for what the rules do not allow."""
        return self.with_table("client_pression", self.customer)

    @cached_property
    def asks_for_person(self) -> list[TurnView]:
        """Customer turns asking to speak to someone."""
        return self.with_table("client_demande_personne", self.customer)

    @cached_property
    def wrong_number(self) -> bool:
        """The caller dialled the wrong number (nothing is asked or agreed)."""
        return bool(self.with_table("client_erreur_numero", self.customer)) and not self.grievance and not any(
            self.lex.find("traitement", tv.utt) for tv in self.student
        )

    @cached_property
    def caller_self_id(self) -> TurnView | None:
        """The first customer turn where the caller gives their name, salon or client number."""
        for tv in self.customer:
            raw = tv.turn.text
            if _SELF_ID_RE.search(raw) or _GREETING_NAME_RE.search(raw) or _AT_PHONE_RE.search(raw):
                return tv
            if _CLIENT_NUMBER_RE.search(raw) or _SALON_RE.search(raw):
                return tv
        return None

    @cached_property
    def caller_names(self) -> set[str]:
        """Folded name tokens by which the caller may be addressed (surname first of all)."""
        names: set[str] = set()
        staff = self.company.staff_surnames if self.company else frozenset()
        sc = self.scenario
        if sc.persona_surname:
            names.add(fold_name(sc.persona_surname))
        for rec in self.records:
            for key in ("client", "caller"):
                person = rec.get(key)
                if isinstance(person, dict) and isinstance(person.get("name"), str):
                    parts = person["name"].split()
                    if 1 <= len(parts) <= 3 and all(p[:1].isupper() for p in parts):
                        names.add(fold_name(parts[-1]))
        for tv in self.customer:
            names.update(_self_names(tv.turn.text))
        for tv in self.student:
            names.update(n for n in _civility_names(tv.turn.text) if n not in staff)
        companies = self._company_words
        return {n for n in names if n and n not in staff and n not in _NOT_NAMES and n not in companies}

    @cached_property
    def _company_words(self) -> frozenset[str]:
        """Folded company names ("generik"): « C'est GENERIK ? » does not name the caller."""
        words = _lexicon_company_words(self.lex)
        if self.company:
            words = words | {fold_name(self.company.display)}
        return words

    @cached_property
    def caller_display(self) -> str | None:
        """How to name this caller in advice (« Madame Bernard »): the scenario's persona, else the
        civility and name said during the call, else the surname the caller gave; None when unknown."""
        sc = self.scenario
        if sc.persona_surname and sc.persona_civility:
            return f"{sc.persona_civility} {sc.persona_surname}"
        names = self.caller_names
        if not names:
            return None
        for tv in self.turns:
            if tv.speaker == "system":
                continue
            for m in _CIV_DISPLAY_RE.finditer(tv.turn.text):
                if fold_name(m.group(2)) in names:
                    civility = {"mme": "Madame", "m.": "Monsieur", "mlle": "Mademoiselle"}.get(m.group(1).lower(), m.group(1).capitalize())
                    return f"{civility} {m.group(2)}"
        for tv in self.customer:
            for rx in (_SELF_ID_RE, _GREETING_NAME_RE, _AT_PHONE_RE):
                for m in rx.finditer(tv.turn.text):
                    surname = m.group(1).split()[-1]
                    if fold_name(surname) in names:
                        return surname
        return None

    def names_addressed(self, tv: TurnView) -> list[str]:
        """Name tokens the speaker uses after a civility, or caller names used alone."""
        found: list[str] = []
        staff = self.company.staff_surnames if self.company else frozenset()
        for sentence in tv.utt.own:
            toks = sentence.tokens
            for i, tok in enumerate(toks):
                if tok in CIVILITIES and i + 1 < len(toks):
                    nxt = toks[i + 1]
                    if nxt not in _NOT_NAMES and nxt not in staff and not nxt[0].isdigit():
                        found.append(nxt)
                elif tok in self.caller_names:
                    found.append(tok)
        return found

    def addresses_caller(self, tv: TurnView) -> bool:
        """Whether the turn names the caller (« Madame Delmotte »)."""
        memo = self.__dict__.setdefault("_addresses", {})
        if tv.index not in memo:
            memo[tv.index] = self._addresses_caller(tv)
        return memo[tv.index]

    def _addresses_caller(self, tv: TurnView) -> bool:
        used = self.names_addressed(tv)
        if not used:
            return False
        if self.caller_names:
            return any(n in self.caller_names for n in used)
        return True

    # -- the student's handling ---------------------------------------------------------------------

    @cached_property
    def dealing(self) -> TurnView | None:
        """The first student turn that deals with the request (answer, price, order, solution…)."""
        tables = ("traitement", "solution", "promotion", "transfert", "indisponible_poli", "recapitulation",
                  "conditions_paiement", "evitez_de_dire_absence")
        for tv in self.student[1:] if len(self.student) > 1 else []:
            for table in tables:
                if table == "evitez_de_dire_absence":
                    if any(h.entry.key in ("pas_la", "personne") for h in self.lex.find("evitez_de_dire", tv.utt)):
                        return tv
                    continue
                if self.lex.find(table, tv.utt):
                    return tv
        return None

    @cached_property
    def call_date(self) -> date | None:
        """The business day of the call (Europe/Paris), from ``started_at``."""
        started = self.transcript.started_at
        if not isinstance(started, datetime):
            return None
        if started.tzinfo is None:
            started = started.replace(tzinfo=PARIS)
        return started.astimezone(PARIS).date()

    @cached_property
    def closing(self) -> list[TurnView]:
        """The student's leave-taking at the end of the call (one or two turns), or []."""
        last_goodbye: TurnView | None = None
        for tv in self.student:
            if self.lex.find("conge", tv.utt):
                last_goodbye = tv
        if last_goodbye is None:
            if not self.student:
                return []
            last = self.student[-1]
            if self.lex.find("remerciement", last.utt) or self.lex.find("disposition", last.utt):
                last_goodbye = last
            else:
                return []
        # A goodbye must end the student's part of the call: nothing substantive after it.
        later = [tv for tv in self.student if tv.index > last_goodbye.index]
        if any(tv.utt.word_count > 6 for tv in later):
            return []
        window = [last_goodbye, *later]
        before = self.student_before(last_goodbye.index)
        # "Merci de votre commande, Madame Laurent." / « Au revoir. » / « Au revoir, bonne journée. »:
        # the thanks just before the goodbye belong to the leave-taking, provided nothing was asked
        # or discussed in between.
        if before is not None and (
            self.lex.find("remerciement", before.utt) or self.lex.find("disposition", before.utt)
        ) and not self.lex.find("recapitulation", before.utt) and not before.utt.is_question:
            between = [tv for tv in self.customer if before.index < tv.index < last_goodbye.index]
            if all(tv.utt.word_count <= 6 and not tv.utt.is_question for tv in between):
                window.insert(0, before)
        return window

    # -- orders mentioned in the dialogue -------------------------------------------------------------

    def order_mentions(self, speakers: tuple[str, ...] = ("customer",), before: int | None = None) -> dict[str, tuple[int, int]]:
        """Product family → (quantity, turn index) of what is agreed at the end, as said in the dialogue.

        By default only the caller's words count (what the caller asks for); sentences about a past
        order ("j'ai commandé hier 30 tubes") are skipped. The last quantity said for a family wins:
        « quarante crèmes… » then, after the promotion, « alors va pour 48 » agrees on 48. A bare
        quantity after an agreeing cue (« va pour », « mettez-en », « finalement », table
        ``quantite_convenue``) belongs to the product last talked about, by either speaker. The
        generic words (« tubes », « crèmes », « nuances ») name the same line as the one precise
        colour cream of the call, never a line of their own.
        """
        key = (speakers, before)
        cache = self.__dict__.setdefault("_order_mentions", {})
        if key in cache:
            return cache[key]
        out: dict[str, tuple[int, int]] = {}

        def put(family: str, qty: int, index: int) -> None:
            precise = [f for f in out if f in _PRECISE_CREAMS]
            if family == "creme" and len(precise) == 1:
                family = precise[0]
            elif family in _PRECISE_CREAMS and "creme" in out:
                del out["creme"]
            out[family] = (qty, index)

        last_family: tuple[tuple[int, int, int], str] | None = None  # ((turn, sentence, token), family)
        for tv in self.turns:
            if before is not None and tv.index >= before:
                break
            product_hits = [
                ((tv.index, h.sentence_index, h.start), h.entry.key) for h in self.lex.find("produits", tv.utt, own=False)
            ]
            if tv.speaker in speakers:
                for fam in withdrawn_families(self.lex, tv.utt):
                    for known in [f for f in out if f == fam or (fam == "creme" and f in _PRECISE_CREAMS)]:
                        del out[known]
                for fam, qty in family_quantities(self.lex, tv.utt):
                    put(fam, qty, tv.index)
                for si, pos, qty in agreed_quantities(self.lex, tv.utt):
                    where = (tv.index, si, pos)
                    earlier = [x for x in product_hits if x[0] < where]
                    about = max(earlier)[1] if earlier else (last_family[1] if last_family else None)
                    if about is not None:
                        put(about, qty, tv.index)
            if product_hits:
                last_family = max(product_hits)
        cache[key] = out
        return out


    def accepted_proposals(self) -> dict[str, set[int]]:
        """Family → quantities the student proposed and the caller accepted without repeating them.

        « Avec 48 tubes, vous auriez 20 % » — « D'accord, allons-y. »: the order may be for 48 even
        though the caller never said the number. Used as an accepted alternative when checking a
        restatement (the caller's own last quantity stays the reference).
        """
        found = self.__dict__.get("_accepted_proposals")
        if found is not None:
            return found
        out: dict[str, set[int]] = {}
        for prev, tv in zip(self.turns, self.turns[1:], strict=False):
            if prev.speaker != "student" or tv.speaker != "customer":
                continue
            if not self.lex.find("client_accepte", tv.utt, own=False) or family_quantities(self.lex, tv.utt):
                continue
            for fam, qty in family_quantities(self.lex, prev.utt):
                out.setdefault(fam, set()).add(qty)
        self.__dict__["_accepted_proposals"] = out
        return out


_PRECISE_CREAMS = ("creme_sans_ammoniaque", "creme_avec_ammoniaque")
# After a bare quantity, these say it is not the whole line (« 12 de chaque », « 12 par nuance ») or
# not a quantity of goods at all (« 20 % », « 48 euros », « 16 h »).
_NOT_LINE_TOTAL = {
    "de", "par", "chacune", "chacun", "%", "pour", "euros", "euro", "eur", "€", "h", "heures", "heure", "minutes",
    "jours", "jour", "ml", "litre", "litres", "cl", "g", "kg", "fois",
}


def withdrawn_families(lex: Lexicon, utt: Utterance) -> list[str]:
    """Product families the speaker withdraws in one turn: « finalement, pas de shampooing »."""
    out: list[str] = []
    past = {h.sentence_index for h in lex.find("commande_passee", utt, own=False)}
    products = lex.find("produits", utt, own=False)
    for h in lex.find("ligne_retiree", utt, own=False):
        if h.sentence_index in past:
            continue
        after = [p for p in products if p.sentence_index == h.sentence_index and h.end <= p.start <= h.end + 1]
        if after:
            out.append(min(after, key=lambda p: p.start).entry.key)
    return out


def agreed_quantities(lex: Lexicon, utt: Utterance) -> list[tuple[int, int, int]]:
    """(sentence, token, quantity) of bare quantities agreed in one turn: « alors va pour 48 »."""
    key = ("agreed_quantities", lex._id)
    found = utt.memo.get(key)
    if found is not None:
        return found
    found = []
    past = {h.sentence_index for h in lex.find("commande_passee", utt, own=False)}
    for h in lex.find("quantite_convenue", utt, own=False):
        if h.sentence_index in past:
            continue
        toks = h.sentence.tokens
        j = h.end
        value = _int_token(toks[j]) if j < len(toks) else None
        if value is None or not toks[j][0].isdigit():
            continue
        nxt = toks[j + 1] if j + 1 < len(toks) else ""
        if nxt in _NOT_LINE_TOTAL or nxt in _UNIT_WORDS:
            continue  # « 48 tubes de… » is read by family_quantities; « 12 de chaque » is per shade
        if re.search(rf"(?<![\d,.]){value}\s*%", h.sentence.raw):
            continue  # the tokens drop « % »: « disons 20 % » is a rate
        found.append((h.sentence_index, j, value))
    utt.memo[key] = found
    return found


_COMPANY_WORDS: dict[int, tuple[Lexicon, frozenset[str]]] = {}


def _lexicon_company_words(lex: Lexicon) -> frozenset[str]:
    found = _COMPANY_WORDS.get(id(lex))
    if found is None or found[0] is not lex:
        words = frozenset(fold_name(v) for ce in lex.entries("entreprises") for v in ce.entry.variants if " " not in v)
        found = (lex, words)
        _COMPANY_WORDS[id(lex)] = found
    return found[1]


@lru_cache(maxsize=65536)
def _self_names(text: str) -> tuple[str, ...]:
    """Surnames a caller gives for themselves in one line ("Dominique Delmotte", "Ici Monsieur Alaoui")."""
    out: list[str] = []
    for rx in (_SELF_ID_RE, _GREETING_NAME_RE, _AT_PHONE_RE):
        for m in rx.finditer(text):
            out.append(fold_name(m.group(1).split()[-1]))
    return tuple(out)


@lru_cache(maxsize=65536)
def _civility_names(text: str) -> tuple[str, ...]:
    """Names written after a civility ("Madame Delmotte") in one line."""
    return tuple(fold_name(m.group(1).split()[0]) for m in _CIV_NAME_RE.finditer(text))


def _ring_count(utt: Utterance) -> int:
    """Rings stated by one stage direction: "3 sonneries", "le téléphone sonne trois fois", or 1."""
    toks = [t for s in utt.sentences for t in s.tokens]
    times = _TIMES_RE.search(utt.raw)
    if times:  # « Sonnerie (x2) »
        return int(times.group(1))
    for i, tok in enumerate(toks):
        if tok in ("sonneries", "sonnerie", "fois") and i > 0:
            prev = toks[i - 1]
            if prev.isdigit():
                return int(prev)
            if prev in _NUMBER_WORDS:
                return _NUMBER_WORDS[prev]
    return 1


def family_quantities(lex: Lexicon, utt: Utterance) -> list[tuple[str, int]]:
    """(product family, quantity) pairs said in one turn: "48 tubes sans ammoniaque" → creme_sans…"""
    key = ("family_quantities", lex._id)
    found = utt.memo.get(key)
    if found is None:
        found = _family_quantities(lex, utt)
        utt.memo[key] = found
    return found


def _family_quantities(lex: Lexicon, utt: Utterance) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    hits = lex.find("produits", utt, own=False)
    past = {h.sentence_index for h in lex.find("commande_passee", utt, own=False)}
    by_sentence: dict[int, list[Hit]] = {}
    for h in hits:
        if h.sentence_index not in past:
            by_sentence.setdefault(h.sentence_index, []).append(h)
    for si, shits in by_sentence.items():
        sentence = utt.sentences[si]
        toks = sentence.tokens
        used: set[int] = set()
        for h in sorted(shits, key=lambda x: x.start):
            qty = None
            # The quantity sits right before the product, or before a unit word: "48 tubes de crème".
            for j in range(h.start - 1, max(-1, h.start - 5), -1):
                value = _int_token(toks[j])
                if value is not None:
                    small_word = not toks[j][0].isdigit()
                    if j not in used and (not small_word or j == h.start - 1):
                        qty = value
                        used.add(j)
                    break
                if toks[j] not in _UNIT_WORDS:
                    break
            if qty is None:
                continue
            family = h.entry.key
            # "48 tubes … sans ammoniaque": the generic word is made precise by the next hit.
            if family == "creme":
                precise = next(
                    (x for x in shits if x.entry.key in ("creme_sans_ammoniaque", "creme_avec_ammoniaque")
                     and 0 <= x.start - h.end <= 4),
                    None,
                )
                if precise is not None:
                    family = precise.entry.key
            out.append((family, qty))
    return out


# Words that may stand between a quantity and the product: "48 tubes de crème", "6 flacons d'oxydant".
_UNIT_WORDS = {
    "de", "d'", "en", "x", "tubes", "tube", "boites", "boite", "flacons", "flacon", "pots", "pot", "cremes", "creme",
    "colorantes", "colorante", "bouteilles", "bouteille", "unites", "unite", "litres", "ml", "grands", "petits",
}


def _int_token(tok: str) -> int | None:
    if tok in ("un", "une"):
        return 1
    if tok == "deux":
        return 2
    if tok.isdigit():
        value = int(tok)
        return value if 0 < value < 10000 else None
    return None


def product_family(lex: Lexicon, label: str) -> str | None:
    """The family of a catalogue product name (first matching entry of table ``produits``)."""
    utt = analyse(label)
    hits = lex.find("produits", utt, own=False)
    if not hits:
        return None
    order = {key: i for i, key in enumerate(lex.entry_ids("produits"))}
    return min(hits, key=lambda h: order.get(h.entry.key, 999)).entry.key


# A line that stops on one of these words before "…" was cut in the middle of a sentence.
# Only words that cannot end a sentence count: "Je débute, alors…" or "J'ai des clientes, et…" merely
# trail off, while "ma commande est…" or "dans votre catalogue que…" were cut short.
_CUT_WORDS = {
    "les", "des", "de", "du", "le", "la", "l'", "un", "une", "que", "qu'", "qui", "parce", "mes", "mon", "ma",
    "je", "j'", "il", "elle", "c'", "a", "au", "aux", "pour", "sur", "avec", "est", "sont", "ont", "tres",
    "vos", "votre", "nos", "notre", "ce", "cette", "ces", "sa", "son", "ses", "leur", "dans", "d'", "n'",
    "s'", "m'", "ai", "avais", "avait", "etait", "suis",
}


@lru_cache(maxsize=65536)
def is_interrupted(text: str) -> bool:
    """A customer line cut short: it ends with a dash ("je voulais —"), or with "…" in the middle
    of a sentence ("mes tubes sont encore…"). A line that merely trails off ("Bon…") is not."""
    from trainer.dialogue.normalize import tokens

    if not text or text.rstrip()[-1:] not in ".…—–-":
        return False
    stripped = text.strip()
    if re.search(r"(?:—|–|--|\s-)\s*$", stripped):
        return True
    if _INTERRUPTED_RE.search(stripped):
        toks = tokens(stripped)
        return bool(toks) and toks[-1] in _CUT_WORDS
    return False
