"""Scenarios as data: one YAML file per call, validated by pydantic (format ``version: 1``).

A scenario lives in ``scenarios/<company>/<id>.yaml`` (the ``reference/`` folder beside it holds the
company's data, not scenarios). It describes one phone call the student handles:

- **metadata** read by scoring and the menus: ``id``, ``title``, ``company``, ``kind``,
  ``direction`` (``incoming``: the customer calls; ``outgoing``: the student calls), ``difficulty``;
- the **persona** (who calls or answers: name, civility, salon, segment, client number, temperament,
  patience, speaking style and ``voice`` hints for speech synthesis);
- the **role card** the student reads before the call ("fiche de rôle");
- what the customer **really wants** (``wants``: order lines, complaint facts, message, payment...);
- the call as a **state machine** whose steps are written like Rasa rules: each state says lines
  on entry and lists ``transitions`` ``{when: …, say: …, goto: …}``; ``answers`` are the bits of
  information the customer gives whenever asked (name, phone...), ``anytime`` the transitions valid
  in every state, ``hidden_facts`` what the customer only reveals when the right question comes;
- **goals** the student must reach before the customer leaves satisfied;
- the customer's **lines**, each with several wordings (``{slot}`` templates);
- ``expected``: the ERP records a good student ends with (partial CONTRACT §4 records, compared by
  ``trainer/scoring/erp_accuracy.py``).

Lines, answers and reactions shared by every scenario (« Pardon ? », the caller's name when asked,
reactions to tutoiement...) are in ``scenarios_common.yaml`` beside this module; a scenario may
override any of them by defining a line with the same id.

    >>> s = load_scenario("generik-commande-nouveau-client")
    >>> s.kind, s.direction, s.persona.civility
    ('commande', 'incoming', 'Madame')
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from trainer.content.yamlio import Loc, load_yaml_text, parse_yaml_text, read_text
from trainer.domain.clients import Segment
from trainer.domain.records import ComplaintCategory, ReminderOutcome, ReminderStage
from trainer.errors import UserError
from trainer.paths import scenarios_dir

FORMAT_VERSION = 1
COMMON_FILE = Path(__file__).resolve().parent / "scenarios_common.yaml"
"""Lines, answers and reactions shared by every scenario (a scenario may override a line)."""

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z0-9_]+$"
TEMPLATE_SLOT = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")

Kind = Literal[
    "commande",
    "reclamation",
    "relance",
    "information",
    "filtrage",
    "rappel",
    "reservation",
    "invitation",
    "avis",
]
Direction = Literal["incoming", "outgoing"]
EndReason = Literal[
    "satisfied",  # the customer got what they wanted and said goodbye
    "unsatisfied",  # the call ended politely but the customer's need was not met
    "exasperated",  # the customer lost patience and hung up
    "message_left",  # a message was taken for someone (filtering)
    "transferred",  # the call was handed over to a colleague or a superior
    "hung_up_on",  # the student hung up while the customer still had something to say
]
QuestionType = Literal["open", "closed", "alternative"]

KNOWN_INTENTS: frozenset[str] = frozenset(
    """greet introduce_company ask_identity ask_need ask_details reformulate announce_promotion
    apologize empathize thank propose_solution give_deadline commit_callback take_notes take_message
    filter_unavailable ask_callback_details ask_purpose ask_other_needs leave_taking confirm deny hold
    inform_product state_price state_payment_terms refuse_politely ask_second_chance ask_expectation
    transfer escalate state_reason_for_call ask_payment_date ask_satisfaction small_talk unknown""".split()
)
"""Intent names of docs/INTERFACES.md; the NLU may add more (its ``data/intents.yaml`` is read too)."""

ENGINE_FLAGS: frozenset[str] = frozenset(
    """formula_ok formula_missing late_pickup identity_asked identity_given tutoiement avoid_phrase
    blamed vague internal_problem familiar provoked apologized empathized notes_taken
    commitment_given deadline_given callback_committed promo_announced promo_raised order_restated
    order_confirmed order_corrected solution_proposed solution_accepted solution_refused
    payment_date_given payment_date_asked message_taken other_needs_asked leave_taken transferred
    escalated restated thanked name_used on_hold knows_promotion""".split()
)
"""Flags the simulator sets by itself (see ``trainer/dialogue/customer.py``); scenarios set others."""

BUILTIN_SLOTS: frozenset[str] = frozenset(
    """name first_name last_name civility civ_name company company_from client_number phone email city region
    address student_name company_name free_phone order_summary total_ht quantity raised_quantity
    product said_quantity wanted_quantity missing_product extra_product shade_list invoice
    amount_due due_date promised_date promised_weekday payment_method deadline for_person today
    weekday""".split()
)
"""Template slots every scenario may use; ``slots:`` of a scenario adds its own."""


def _as_list(value: Any) -> Any:
    """Accept a single item where a list is expected (``intent: greet`` == ``intent: [greet]``)."""
    if value is None:
        return []
    if isinstance(value, (str, int)):
        return [value]
    return value


def _as_str_list(value: Any) -> Any:
    """Like ``_as_list``; numbers written bare in YAML (``text: [48]``) are read as words."""
    value = _as_list(value)
    if isinstance(value, list):
        return [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
    return value


StrList = Annotated[list[str], BeforeValidator(_as_str_list)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Persona and role card -----------------------------------------------------------------------


class Voice(_Model):
    """Hints for speech synthesis (``trainer speak --persona``): the engine picks the closest voice."""

    gender: Literal["f", "m"]
    pitch: int = Field(default=50, ge=0, le=99, description="0 = low, 99 = high (espeak scale).")
    rate: int = Field(default=160, ge=80, le=260, description="Words per minute.")


class SpeakingStyle(_Model):
    """How the persona speaks: vouvoiement expected back, register of their own lines."""

    vouvoiement: bool = True
    register_: Literal["soutenu", "courant", "familier"] = Field(default="courant", alias="register")
    notes: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def register(self) -> str:
        """The persona's register: « soutenu », « courant » or « familier »."""
        return self.register_


PERSONA_SEGMENTS = {s.value for s in Segment} | {"fournisseur", "partenaire", "hotel", "interne"}


class Persona(_Model):
    """The person on the other end of the line."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=2, description="Full name as the customer gives it: « Sophie Laurent ».")
    last_name: str | None = Field(default=None, description="When the last word of ``name`` is not the surname.")
    civility: Literal["Madame", "Monsieur"]
    role: str | None = Field(default=None, description="« gérante du salon », « comptable »...")
    company: str | None = Field(default=None, description="Salon or company the persona belongs to.")
    company_from: str | None = Field(
        default=None, description="How they say where they call from: « du Salon Sophie L. » (default « de <company> »)."
    )
    segment: str | None = None
    client_number: str | None = Field(default=None, pattern=r"^CLI-\d{5}$")
    region: str | None = None
    city: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    temperament: str = Field(min_length=2, description="In French, for the teacher and the role card.")
    patience: int = Field(default=3, ge=1, le=10, description="Turns of misunderstanding tolerated before mood drops.")
    initial_mood: int = Field(default=6, ge=1, le=10, description="0 = furious, 10 = delighted.")
    hangup_mood: int = Field(default=0, ge=0, le=5, description="At or below this mood the customer hangs up.")
    speaking_style: SpeakingStyle = SpeakingStyle()
    voice: Voice
    hangs_up_after_goodbye: bool | None = Field(
        default=None,
        description="Default: yes on an incoming call (the caller ends it), no on an outgoing one.",
    )

    @field_validator("segment")
    @classmethod
    def _segment(cls, value: str | None) -> str | None:
        if value is not None and value not in PERSONA_SEGMENTS:
            raise ValueError(f"segment inconnu « {value} » (attendu : {', '.join(sorted(PERSONA_SEGMENTS))})")
        return value

    @property
    def surname(self) -> str:
        """The surname used with the civility: « Madame Delmotte »."""
        return self.last_name or self.name.split()[-1]

    @property
    def first_name(self) -> str:
        """First name (the part of ``name`` before the surname)."""
        rest = self.name[: -len(self.surname)].strip() if self.name.endswith(self.surname) else ""
        return rest or self.name.split()[0]

    @property
    def civ_name(self) -> str:
        """« Madame Delmotte »."""
        return f"{self.civility} {self.surname}"


class RoleCard(_Model):
    """The student's « fiche de rôle »: situation, documents at hand, instructions, objectives."""

    situation: str = Field(min_length=10)
    documents: StrList = Field(default_factory=list)
    instructions: StrList = Field(default_factory=list)
    objectives: StrList = Field(default_factory=list)


# --- What the customer really wants ---------------------------------------------------------------


class WantedLine(_Model):
    """One order line the customer wants: reference, shade for colour creams, quantity."""

    reference: str = Field(pattern=r"^[A-Z]{3}-[A-Z]{3}-\d{2,5}$")
    quantity: int = Field(ge=1, le=9999)
    shade: str | None = None
    spoken: str | None = Field(
        default=None,
        description="How the customer names the product after a number: « tubes sans ammoniaque ».",
    )

    @field_validator("shade", mode="before")
    @classmethod
    def _shade(cls, value: Any) -> Any:
        return None if value in (None, "") else str(value)


class PromotionReaction(_Model):
    """What the customer does when the student announces the monthly promotion."""

    raise_to: list[WantedLine] = Field(
        default_factory=list,
        description="Lines that replace the wanted lines of the same reference (e.g. 40 → 48 tubes).",
    )
    only_if_tier_named: bool = Field(
        default=False, description="Raise only when the student names the next tier (« 48 tubes : 20 % »)."
    )


class OrderWant(_Model):
    lines: list[WantedLine] = Field(min_length=1)
    on_promotion: PromotionReaction | None = None
    new_client: bool = False
    payment_request: str | None = Field(default=None, description="A payment request outside the terms.")


class ComplaintWant(_Model):
    category: ComplaintCategory
    facts: StrList = Field(default_factory=list, description="French sentences: what really happened.")
    solution_any: StrList = Field(default_factory=list, description="Phrases of solutions the customer accepts.")
    solution_refused: StrList = Field(default_factory=list, description="Phrases the customer refuses.")
    deadline_max_days: int | None = Field(default=None, ge=0, le=30, description="Latest acceptable deadline (days).")
    summary: str | None = None


class MessageWant(_Model):
    for_: str = Field(alias="for", description="« M. Mocher »")
    subject: str
    callback_when: str | None = None
    caller_company: str | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class PaymentWant(_Model):
    invoice: str = Field(pattern=r"^FAC-\d{6}$")
    amount_due: Decimal | None = Field(default=None, description="Default: read from the company's invoices.")
    due_date_text: str | None = None
    reason: str = Field(description="Why it is unpaid (hidden until asked).")
    promise_in_days: int = Field(ge=0, le=60, description="Working days from the call to the promised payment.")
    method: Literal["virement", "cheque", "lcr"]
    stage: ReminderStage = "telephone"
    outcome: ReminderOutcome = "promesse_de_paiement"


class InformationWant(_Model):
    questions: StrList = Field(min_length=1, description="What the caller wants to know, in French.")


class Wants(_Model):
    """What the customer really wants; the simulator and the debrief read it."""

    summary: str = Field(min_length=5, description="In French, one or two sentences for the debrief.")
    order: OrderWant | None = None
    complaint: ComplaintWant | None = None
    message: MessageWant | None = None
    payment: PaymentWant | None = None
    information: InformationWant | None = None


# --- The state machine ----------------------------------------------------------------------------


class Condition(_Model):
    """When a rule applies. Every key given must hold (AND); ``any`` holds when one of its items does.

    - ``intent``: one of these intents is in the student's turn; ``all_intents``: all of them;
      ``no_intent``: none of them;
    - ``slot``: one of these slots was found (``quantities``, ``phone``, ``dates``, ``times``...);
    - ``text`` / ``no_text``: one / none of these phrases in the normalised turn (accents and case
      ignored, whole words);
    - ``event`` / ``no_event``: one / none of these happened in this turn (events are set by the
      simulator: ``tutoiement``, ``order_confirmed``, ``solution_accepted``...; each event also
      stays as a flag of the same name);
    - ``flags`` / ``not_flags``: flags set (all) / not set (none) so far, including the flags the
      simulator sets itself and ``said_<intent>`` for every intent the student has used;
    - ``has`` / ``lacks``: these template slots have / have no value (``client_number``...);
    - ``mood_min`` / ``mood_max``, ``turn_min`` / ``turn_max`` (student turns, from 1);
    - ``question``: the turn is an open / closed / alternative question.
    """

    intent: StrList = Field(default_factory=list)
    all_intents: StrList = Field(default_factory=list)
    no_intent: StrList = Field(default_factory=list)
    slot: StrList = Field(default_factory=list)
    text: StrList = Field(default_factory=list)
    no_text: StrList = Field(default_factory=list)
    event: StrList = Field(default_factory=list)
    no_event: StrList = Field(default_factory=list)
    flags: StrList = Field(default_factory=list)
    not_flags: StrList = Field(default_factory=list)
    has: StrList = Field(default_factory=list)
    lacks: StrList = Field(default_factory=list)
    mood_min: int | None = None
    mood_max: int | None = None
    turn_min: int | None = None
    turn_max: int | None = None
    question: list[QuestionType] = Field(default_factory=list)
    any: list[Condition] = Field(default_factory=list)
    always: bool = False

    @field_validator("question", mode="before")
    @classmethod
    def _question(cls, value: Any) -> Any:
        return _as_list(value)

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if self.always:
            return self
        given = self.model_dump(exclude_defaults=True)
        if not given:
            raise ValueError("condition vide : donnez au moins une clé (intent, flags, text...) ou « always: true »")
        return self

    def intents(self) -> set[str]:
        """Every intent name this condition mentions (for the linter)."""
        names = set(self.intent) | set(self.all_intents) | set(self.no_intent)
        for sub in self.any:
            names |= sub.intents()
        return names

    def flag_names(self) -> set[str]:
        """Every flag or event name this condition reads, nested ``any`` included."""
        names = set(self.flags) | set(self.not_flags) | set(self.event) | set(self.no_event)
        for sub in self.any:
            names |= sub.flag_names()
        return names

    def slot_names(self) -> set[str]:
        """Template slots tested by ``has`` / ``lacks``."""
        names = set(self.has) | set(self.lacks)
        for sub in self.any:
            names |= sub.slot_names()
        return names


Condition.model_rebuild()

MessageField = Literal[
    "caller.name",
    "caller.company",
    "callback_number",
    "subject",
    "callback_when",
    "email",
    "client_number",
    "promised_payment_date",
    "payment_method",
    "address",
]


class Rule(_Model):
    """A transition (in a state's ``transitions``), an answer or an ``anytime`` rule."""

    id: str | None = Field(default=None, pattern=NAME_PATTERN)
    when: Condition
    say: StrList = Field(default_factory=list, description="Line ids, said in order.")
    goto: str | None = None
    set: StrList = Field(default_factory=list)
    unset: StrList = Field(default_factory=list)
    mood: int = Field(default=0, ge=-5, le=5)
    reveal: StrList = Field(default_factory=list, description="Hidden facts revealed by this rule.")
    give: list[MessageField] = Field(default_factory=list, description="Information handed to the student.")
    end: EndReason | None = None
    once: bool = Field(default=False, description="Applies at most once in the call.")
    lead: bool = Field(
        default=False,
        description="Its lines come first in the reply, before the answers and revealed facts of the turn.",
    )
    remark: bool = Field(
        default=False,
        description="A remark on how the student speaks: at most one per reply (a person does not list every fault).",
    )

    @field_validator("give", mode="before")
    @classmethod
    def _give(cls, value: Any) -> Any:
        return _as_list(value)


class State(_Model):
    """A step of the call: lines said on entry, transitions, and what to say when nothing applies."""

    say: StrList = Field(default_factory=list)
    transitions: list[Rule] = Field(default_factory=list)
    idle: StrList = Field(
        default_factory=list,
        description="Lines when the student's turn brings nothing for this state (the customer insists).",
    )
    final: bool = Field(default=False, description="The call is over once this state is reached.")
    closing: bool = Field(
        default=False,
        description="The conversation may conclude here (leave-taking); the linter does not call it a dead end.",
    )
    end: EndReason | None = Field(default=None, description="End reason when the state is final.")


class Goal(_Model):
    """Something the customer needs before leaving satisfied; ``remind`` is said if the student closes too early."""

    id: str = Field(pattern=NAME_PATTERN)
    label: str = Field(min_length=3, description="French, for the debrief.")
    when: Condition
    remind: str | None = Field(default=None, description="Line id said when the student closes without it.")


class HiddenFact(_Model):
    """A fact the customer reveals only when the student asks the right question."""

    id: str = Field(pattern=NAME_PATTERN)
    label: str = Field(min_length=3, description="French, for the debrief.")
    when: Condition
    say: str = Field(description="Line id.")
    set: StrList = Field(default_factory=list)


class ExpectedRecord(BaseModel):
    """A partial CONTRACT §4 record (shape agreed with scoring); a list in a field means « any of these »."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: Literal["order", "complaint", "message", "reminder"]


class Expected(_Model):
    records: list[ExpectedRecord] = Field(default_factory=list)
    facts: StrList = Field(
        default_factory=list,
        description="Flags a good call ends with when no ERP record captures the result (booking...).",
    )
    notes: str | None = None


class Ending(_Model):
    """How the call ends."""

    success: EndReason = Field(default="satisfied", description="End reason when every goal is met.")
    max_turns: int = Field(default=40, ge=5, le=200, description="The customer ends the call after this many turns.")
    protests_before_leaving: int = Field(
        default=1, ge=0, le=3, description="Times the customer objects to an early goodbye before giving up."
    )


class Scenario(_Model):
    """One call, as data. See the module docstring."""

    version: Literal[1]
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=5)
    company: str = Field(pattern=NAME_PATTERN)
    kind: Kind
    direction: Direction
    difficulty: int = Field(ge=1, le=3)
    summary: str = Field(min_length=10)
    sources: StrList = Field(default_factory=list)
    seed: int = Field(default=1, ge=0)
    persona: Persona
    role_card: RoleCard
    wants: Wants
    slots: dict[str, str | int] = Field(default_factory=dict)
    initial_flags: StrList = Field(default_factory=list, description="Flags set before the call (« knows_promotion »).")
    start: str
    states: dict[str, State] = Field(min_length=1)
    answers: list[Rule] = Field(default_factory=list)
    anytime: list[Rule] = Field(default_factory=list)
    hidden_facts: list[HiddenFact] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    reactions: dict[str, int] = Field(default_factory=dict, description="Mood changes overriding the common ones.")
    ending: Ending = Ending()
    lines: dict[str, list[str]] = Field(default_factory=dict)
    expected: Expected = Expected()

    @field_validator("slots")
    @classmethod
    def _slot_names(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not re.fullmatch(r"[a-z_][a-z0-9_]*", key):
                raise ValueError(f"nom de variable « {key} » invalide (lettres minuscules, chiffres, _)")
            if key in BUILTIN_SLOTS:
                raise ValueError(f"la variable « {key} » est fournie par le simulateur : choisissez un autre nom")
        return value

    @field_validator("lines")
    @classmethod
    def _line_texts(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for key, variants in value.items():
            if not re.fullmatch(NAME_PATTERN, key):
                raise ValueError(f"identifiant de réplique « {key} » invalide (lettres minuscules, chiffres, _)")
            if not variants:
                raise ValueError(f"la réplique « {key} » n'a aucune formulation")
            for text in variants:
                if not isinstance(text, str) or not text.strip():
                    raise ValueError(f"la réplique « {key} » contient une formulation vide")
        return value

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        if self.start not in self.states:
            raise ValueError(f"start : l'état « {self.start} » n'existe pas (états : {', '.join(self.states)})")
        for name in self.states:
            if not re.fullmatch(NAME_PATTERN, name):
                raise ValueError(f"nom d'état « {name} » invalide (lettres minuscules, chiffres, _)")
        for where, rule in self.iter_rules():
            if rule.goto is not None and rule.goto not in self.states:
                raise ValueError(f"{where} : goto vers l'état inconnu « {rule.goto} »")
        fact_ids = {f.id for f in self.hidden_facts}
        for where, rule in self.iter_rules():
            for fact in rule.reveal:
                if fact not in fact_ids:
                    raise ValueError(f"{where} : reveal du fait caché inconnu « {fact} »")
        return self

    # Helpers ---------------------------------------------------------------------------------

    def iter_rules(self) -> list[tuple[str, Rule]]:
        """Every rule with a French location label (« states.accueil.transitions[2] »)."""
        found: list[tuple[str, Rule]] = []
        for name, state in self.states.items():
            for i, rule in enumerate(state.transitions):
                found.append((f"states.{name}.transitions[{i}]", rule))
        for i, rule in enumerate(self.answers):
            found.append((f"answers[{i}]", rule))
        for i, rule in enumerate(self.anytime):
            found.append((f"anytime[{i}]", rule))
        return found

    @property
    def hangs_up_after_goodbye(self) -> bool:
        """Whether the customer hangs up after the goodbye (C3: the initiator ends the call)."""
        if self.persona.hangs_up_after_goodbye is not None:
            return self.persona.hangs_up_after_goodbye
        return self.direction == "incoming"

    def line_variants(self, line_id: str) -> list[str]:
        """The wordings of a line: the scenario's own, else the common ones; ``KeyError`` if none."""
        if line_id in self.lines:
            return self.lines[line_id]
        return common().lines[line_id]

    def has_line(self, line_id: str) -> bool:
        """True when the scenario or the common file defines this line."""
        return line_id in self.lines or line_id in common().lines

    def reaction(self, event: str) -> int:
        """Mood change for a conduct event (scenario override, else common value, else 0)."""
        if event in self.reactions:
            return self.reactions[event]
        return common().reactions.get(event, 0)


class CommonContent(_Model):
    """``scenarios_common.yaml``: what every customer says and does unless a scenario overrides it."""

    version: Literal[1]
    lines: dict[str, list[str]]
    answers: list[Rule] = Field(default_factory=list)
    reactions: dict[str, int] = Field(default_factory=dict)
    phrases: dict[str, list[str]] = Field(
        default_factory=dict, description="Phrases the customer reacts to (tutoiement, blame...), by event."
    )


# --- Loading --------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def common() -> CommonContent:
    """The common lines, answers and reactions (loaded once)."""
    return load_yaml_text(read_text(COMMON_FILE), CommonContent, _display(COMMON_FILE))


def _display(path: Path) -> str:
    from trainer.paths import REPO_ROOT

    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def scenario_files(directory: Path | None = None) -> list[Path]:
    """Every scenario file: ``<dir>/<company>/*.yaml``, reference data excluded, sorted."""
    root = directory or scenarios_dir()
    if not root.is_dir():
        return []
    files: list[Path] = []
    for company_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        files.extend(
            sorted(p for p in company_dir.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith((".", "_")))
        )
    return files


def parse_scenario_file(path: Path) -> tuple[Scenario, dict[Loc, int]]:
    """Load one scenario file; return it with the line of every field (for the linter)."""
    source = _display(path)
    text = read_text(path)
    _, lines = parse_yaml_text(text, source)
    scenario = load_yaml_text(text, Scenario, source)
    expected_company = path.parent.name
    if scenario.company != expected_company:
        line = lines.get(("company",))
        raise UserError(
            f"{source}, ligne {line}, champ company : « {scenario.company} » alors que le fichier est dans "
            f"le dossier « {expected_company} »."
        )
    if scenario.id != path.stem:
        line = lines.get(("id",))
        raise UserError(f"{source}, ligne {line}, champ id : « {scenario.id} » ne correspond pas au nom du fichier « {path.name} ».")
    return scenario, lines


@lru_cache(maxsize=256)
def _load_cached(path: str, mtime_ns: int) -> Scenario:
    return parse_scenario_file(Path(path))[0]


def load_scenario_file(path: Path | str) -> Scenario:
    """Load and validate one scenario file (``UserError`` naming file, line and field)."""
    p = Path(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        return parse_scenario_file(p)[0]  # raises the loader's « fichier introuvable »
    return _load_cached(str(p.resolve()), stamp)


def scenario_ids(directory: Path | None = None) -> list[str]:
    """Ids of the scenarios on disk (file names), without loading them."""
    return [p.stem for p in scenario_files(directory)]


def find_scenario_file(scenario_id: str, directory: Path | None = None) -> Path | None:
    """The file of a scenario id, or None."""
    for path in scenario_files(directory):
        if path.stem == scenario_id:
            return path
    return None


def load_scenario(scenario_id: str, *, directory: Path | None = None) -> Scenario:
    """The scenario with this id; ``UserError`` when it does not exist or its file is invalid."""
    path = find_scenario_file(str(scenario_id), directory)
    if path is None:
        known = ", ".join(scenario_ids(directory)) or "aucun"
        raise UserError(f"Scénario « {scenario_id} » inconnu (scénarios disponibles : {known}).")
    return load_scenario_file(path)


def list_scenarios(directory: Path | None = None, *, company: str | None = None) -> list[Scenario]:
    """Every scenario, sorted by company then id (``UserError`` on the first invalid file)."""
    found = [load_scenario_file(p) for p in scenario_files(directory)]
    if company is not None:
        found = [s for s in found if s.company == company]
    return sorted(found, key=lambda s: (s.company, s.id))


def find_persona(persona_id: str, *, directory: Path | None = None) -> Persona:
    """The persona with this id, from whichever scenario defines it (``UserError`` if none)."""
    for scenario in list_scenarios(directory):
        if scenario.persona.id == persona_id:
            return scenario.persona
    known = sorted({s.persona.id for s in list_scenarios(directory)})
    raise UserError(f"Personnage « {persona_id} » inconnu (personnages : {', '.join(known) or 'aucun'}).")


def template_slots(text: str) -> list[str]:
    """The ``{slot}`` names used in a line."""
    return TEMPLATE_SLOT.findall(text)
