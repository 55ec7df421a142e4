"""The simulated customer: a scenario's state machine with a mood, a memory and a seeded voice.

    >>> sim = CustomerSimulator(load_scenario("generik-commande-nouveau-client"), seed=7, company=company)
    >>> sim.opening(rings=2)            # incoming call: None, the student speaks first
    >>> reply = sim.respond(understand("GENERIK, Julie, bonjour !"), "GENERIK, Julie, bonjour !")
    >>> reply.text, reply.mood, reply.ended
    ("Bonjour ! Sophie Laurent, du Salon Sophie L. …", 6, False)

One student turn goes through four steps (all pure and deterministic, well under 5 ms):

1. **Perception.** Besides the NLU's intents and slots, the customer hears *how* the student
   speaks (``customer_conduct.perceive``): tutoiement, « C'est de la part ? », blaming a colleague,
   vague answers, internal problems, familiar words, provocation, being called by name. Built-in
   analyses compare what the student restates with what the customer wants (order lines, the
   promotion, a complaint's solution and deadline). Each finding is an **event** of this turn and
   stays as a **flag** of the same name; every intent also leaves a flag ``said_<intent>``.
2. **Mood.** Each event moves the mood (``reactions`` of ``scenarios_common.yaml``, overridable
   per scenario): apologies, empathy, precise commitments calm the customer (twice at most each),
   faults make them colder. At ``persona.hangup_mood`` the customer hangs up, exasperated.
3. **Rules.** ``answers`` (all that apply: remarks said once, confirmations, the name or phone
   number when asked), newly revealed ``hidden_facts``, then the first transition of the current
   state that applies (else the first ``anytime`` rule), whose target state's lines follow.
4. **Fallbacks.** Nothing applied: « Pardon ? » for an unintelligible turn (impatience after
   ``persona.patience`` of them), a repeat when the student asked for one, the state's ``idle``
   line otherwise. Leave-taking checks the scenario's ``goals``: missing ones are claimed once
   (``ending.protests_before_leaving``), then the customer leaves satisfied or not.

Variation is seeded: one ``random.Random(seed)`` per simulator picks the wordings, never the global
generator, so the same scenario, seed and student lines give the same replies.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from trainer.content.scenarios import (
    Condition,
    EndReason,
    RoleCard,
    Rule,
    Scenario,
    WantedLine,
    Wants,
    common,
)
from trainer.dialogue.customer_conduct import Perception, compile_phrases, perceive
from trainer.dialogue.customer_text import french_amount, french_date, missing_slots, phrase_set, render
from trainer.dialogue.normalize import normalize
from trainer.domain.common import PARIS
from trainer.domain.errors import DomainError
from trainer.domain.orders import price_lines
from trainer.domain.workdays import add_working_days

MOOD_MIN, MOOD_MAX = 0, 10
MAX_DROP_PER_TURN = 2
"""Irritation grows turn by turn: one turn costs at most this much mood, however many faults it has."""
MAX_RISE = 4
"""In one call the mood climbs at most this much above where the customer started (Delmotte,
excédée at 3, ends satisfied at 7, not delighted)."""
POSITIVE_CAP = 2
"""Apologies, empathy, notes... raise the mood at most twice each: repeated, they sound hollow."""
ONCE_EVENTS = frozenset({"name_used", "late_pickup", "formula_missing"})
SATISFIED_MOOD = 3
"""Below this mood a customer whose goals were met still leaves unsatisfied."""
SHORT_TURN_WORDS = 8
"""A repeat request (« Pardon ? ») is a short turn; a long one is read for its content."""

SLOT_ATTRIBUTES = (
    "quantities", "products", "shades", "person_names", "first_names", "client_number", "order_number",
    "invoice_number", "phone", "email", "dates", "times", "money", "percentages",
)
INTENT_EVENTS = {
    "apologize": "apologized",
    "empathize": "empathized",
    "take_notes": "notes_taken",
    "take_message": "message_taken",
    "thank": "thanked",
    "hold": "on_hold",
    "transfer": "transferred",
    "escalate": "escalated",
    "reformulate": "restated",
    "ask_other_needs": "other_needs_asked",
    "ask_identity": "identity_asked",
    "commit_callback": "callback_committed",
    "ask_payment_date": "payment_date_asked",
    "propose_solution": "solution_proposed",
}
CONDUCT_EVENTS = ("tutoiement", "avoid_phrase", "blamed", "vague", "internal_problem", "familiar", "provoked")
COMMITMENT_INTENTS = frozenset({"commit_callback", "give_deadline", "propose_solution", "take_message"})
MOOD_LABELS = ((1, "exaspéré"), (3, "mécontent"), (5, "réservé"), (7, "satisfait"), (MOOD_MAX, "ravi"))


class UnderstandingLike(Protocol):
    """What the simulator reads of ``trainer.dialogue.nlu.Understanding``."""

    intents: list[Any]
    slots: Any
    normalized: str
    question_type: str | None


class CustomerReply(BaseModel):
    """The customer's answer to one student turn (or to a hang-up)."""

    model_config = ConfigDict(frozen=True)

    text: str = Field(description="What the customer says; empty when they say nothing.")
    mood: int = Field(ge=MOOD_MIN, le=MOOD_MAX)
    mood_label: str
    ended: bool
    end_reason: EndReason | None = None
    revealed: list[str] = Field(default_factory=list, description="Hidden facts revealed in this turn (ids).")
    state: str
    events: list[str] = Field(default_factory=list, description="What the customer perceived (for the debrief).")


class CallerInfo(BaseModel):
    """What the customer said about themselves when asked."""

    name: str | None = None
    company: str | None = None
    phone: str | None = None
    email: str | None = None
    client_number: str | None = None
    address: str | None = None
    segment: str | None = None
    region: str | None = None
    new_client: bool = False


class ConfirmedOrder(BaseModel):
    lines: list[WantedLine] = Field(default_factory=list, description="Lines restated and confirmed.")
    complete: bool = False


class ConfirmedComplaint(BaseModel):
    category: str
    solution: str | None = None
    deadline: date | None = None
    deadline_text: str | None = None
    facts: list[str] = Field(default_factory=list)
    satisfied: bool | None = Field(
        default=None,
        description="A satisfaction call: the customer said they are satisfied (flag « satisfaction_ok ») "
        "or not (« satisfaction_ko »); None until asked.",
    )


class ConfirmedMessage(BaseModel):
    for_: str = Field(alias="for")
    caller_name: str | None = None
    caller_company: str | None = None
    callback_number: str | None = None
    subject: str | None = None
    callback_when: str | None = None

    model_config = ConfigDict(populate_by_name=True)


class ConfirmedPayment(BaseModel):
    invoice: str
    amount_due: Decimal | None = None
    promised_payment_date: date | None = None
    method: str | None = None
    stage: str
    outcome: str | None = None


class Confirmed(BaseModel):
    """What the student restated and the customer confirmed, or the customer handed over when asked.

    Without explicit ERP actions, the call session fills the ERP record from this: order lines only
    once restated correctly, the complaint's solution only once the customer accepted it, message
    fields only once the caller gave them, the payment date only once promised.
    """

    caller: CallerInfo
    order: ConfirmedOrder | None = None
    complaint: ConfirmedComplaint | None = None
    message: ConfirmedMessage | None = None
    payment: ConfirmedPayment | None = None
    revealed: list[str] = Field(default_factory=list, description="Hidden facts revealed (ids).")
    goals_met: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class _Turn:
    """One student turn as the simulator reads it."""

    text: str
    normalized: str
    intents: tuple[str, ...]
    slots: Any
    question_type: str | None
    nlu_flags: frozenset[str]

    def has_intent(self, *names: str) -> bool:
        return any(name in self.intents for name in names)

    def slot(self, name: str) -> Any:
        if name == "date":
            return (getattr(self.slots, "dates", None) or []) + (getattr(self.slots, "times", None) or [])
        return getattr(self.slots, name, None) if self.slots is not None else None

    def has_slot(self, name: str) -> bool:
        return bool(self.slot(name))

    @property
    def word_count(self) -> int:
        return len(self.normalized.split())


def _intent_names(understanding: Any) -> tuple[str, ...]:
    names: list[str] = []
    for item in getattr(understanding, "intents", None) or []:
        name = getattr(item, "name", item)
        if isinstance(name, str) and name not in names:
            names.append(name)
    return tuple(names)


def mood_label(mood: int) -> str:
    """French label of a mood value (« mécontent », « satisfait »...)."""
    for ceiling, label in MOOD_LABELS:
        if mood <= ceiling:
            return label
    return MOOD_LABELS[-1][1]


class CustomerSimulator:
    """Plays the persona of a scenario, turn by turn. See the module docstring."""

    def __init__(
        self,
        scenario: Scenario,
        seed: int | None = None,
        company: Any = None,
        *,
        today: date | None = None,
    ) -> None:
        """``company`` is the ``CompanyData`` of ``trainer.content.company.load_company`` (prices,
        invoices); ``today`` is the call's business day (default: today in Paris), for the dates the
        customer says (a promised payment date...)."""
        self.scenario = scenario
        self.seed = scenario.seed if seed is None else int(seed)
        self.company = company
        self.today = today or datetime.now(PARIS).date()
        self._rng = random.Random(self.seed)
        self._common = common()
        self._phrases = compile_phrases(self._common.phrases)
        persona = scenario.persona
        self.mood = persona.initial_mood
        self.state = scenario.start
        self.turn = 0
        self.ended = False
        self.end_reason: EndReason | None = None
        self.flags: dict[str, None] = dict.fromkeys(scenario.initial_flags)
        self.revealed: list[str] = []
        self._event_counts: dict[str, int] = {}
        self._fired: set[str] = set()
        self._last_variant: dict[str, int] = {}
        self._last_lines: list[str] = []
        self._pardons = 0
        self._idles = 0
        self._asked = False  # their last line was a question (they wait for the answer)
        self._protests = 0
        self._rings: int | None = None
        self._goodbye_reason: EndReason | None = None
        self._given: dict[str, Any] = {}
        # Order state: the lines wanted now (the promotion may change them), confirmed references.
        order = scenario.wants.order
        self._lines: list[WantedLine] = list(order.lines) if order else []
        self._confirmed_refs: dict[str, None] = {}
        self._pending: dict[str, int] = {}
        # Complaint state.
        self._total_stale = False
        self._solution: str | None = None
        self._deadline: date | None = None
        self._deadline_text: str | None = None
        self._values: dict[str, Any] = self._base_values()
        self._rules = self._collect_rules()
        self._precompile()

    # --- Public API ---------------------------------------------------------------------------

    def opening(self, rings: int | None = None) -> str | None:
        """The customer's first line once the phone is picked up (``rings`` before pick-up).

        Incoming call: usually None (the student speaks first: « GENERIK, prénom, bonjour »); a
        late pick-up (3 rings or more) is remembered for the first reply. Outgoing call: the line of
        the person who answers (« Distri-Coiffure, bonjour »). Either way the lines of the
        scenario's ``start`` state, if any.
        """
        self._rings = rings
        lines = self.scenario.states[self.scenario.start].say
        if not lines:
            return None
        text = self._say(list(lines))
        self._last_lines = list(lines)
        return text or None

    def respond(self, understanding: UnderstandingLike | Any, student_text: str) -> CustomerReply:
        """React to one student turn: mood, state, revealed facts, and what the customer says."""
        if self.ended:
            return self._reply("", [], [])
        self.turn += 1
        turn = self._read(understanding, student_text)
        events = self._perceive(turn)
        for event in events:
            self.flags.setdefault(event, None)
        for intent in turn.intents:
            self.flags.setdefault(f"said_{intent}", None)
        before = self.mood
        self._apply_mood(events)
        self.mood = max(self.mood, before - MAX_DROP_PER_TURN)
        if self.mood <= self.scenario.persona.hangup_mood:
            return self._finish(["raccroche_excede"], "exasperated", events, [])

        answer_lines: list[str] = []
        revealed: list[str] = []
        end: EndReason | None = None
        goto: str | None = None
        # 1. Answers: every one that applies (remarks, confirmations, information asked for), but
        # one remark at most: the others wait for a later turn.
        remarked = False
        for key, rule in self._rules["answers"]:
            if rule.remark and remarked:
                continue
            if self._fires(key, rule, turn, events):
                remarked = remarked or rule.remark
                answer_lines.extend(rule.say)
                self._apply_rule(rule, revealed)
                end = end or rule.end
                goto = goto or rule.goto
        # 2. The first transition of the current state that applies, else the first anytime rule.
        transition: Rule | None = None
        for key, rule in self._rules["states"].get(self.state, []) + self._rules["anytime"]:
            if self._fires(key, rule, turn, events):
                transition = rule
                break
        if transition is not None:
            self._apply_rule(transition, revealed)
            end = transition.end or end
            goto = transition.goto or goto
        # 3. Hidden facts whose question came (or that a rule revealed). A customer who has just
        # been blamed or provoked defends themselves and volunteers nothing.
        defensive = "blamed" in events or "provoked" in events
        for fact in self.scenario.hidden_facts:
            if not defensive and fact.id not in self.revealed and self._holds(fact.when, turn, events):
                self._reveal(fact.id, revealed)
        fact_lines = [f.say for f in self.scenario.hidden_facts if f.id in revealed]
        transition_lines = list(transition.say) if transition is not None else []
        if transition is not None and transition.lead:
            said = transition_lines + answer_lines + fact_lines
        else:
            said = answer_lines + fact_lines + transition_lines
        gave_content = bool(said)
        if goto is not None and goto != self.state:
            self.state = goto
            said.extend(self.scenario.states[goto].say)
        state = self.scenario.states[self.state]
        if end is None and state.final:
            end = state.end or self._success_reason()

        # 4. Leave-taking, when the rules did not already end the call.
        handled = transition is not None and (
            "leave_taking" in transition.when.intents() or "leave_taken" in transition.when.flag_names()
        )
        if end is None and "leave_taken" in events and not handled:
            closing, end = self._leave_taking(events)
            said.extend(closing)
            gave_content = True
        # 5. Fallbacks.
        if not said:
            said = self._fallback(turn, events)
        else:
            self._pardons = 0
            if gave_content:
                self._idles = 0
        if end is None and self.turn >= self.scenario.ending.max_turns:
            said.append("doit_partir")
            end = "unsatisfied"
        if self.mood <= self.scenario.persona.hangup_mood and end is None:
            return self._finish(["raccroche_excede"], "exasperated", events, revealed)
        if end is not None:
            return self._finish(said, end, events, revealed)
        text = self._say(said)
        return self._reply(text, events, revealed)

    def hang_up(self) -> CustomerReply:
        """The student hangs up. After the customer's goodbye the call ends as it was going to;
        before it, the customer is left hanging (« hung_up_on ») and their mood drops."""
        if self.ended:
            return self._reply("", [], [])
        if self._goodbye_reason is not None:
            self.ended = True
            self.end_reason = self._goodbye_reason
            return self._reply("", [], [])
        events = ["hung_up_on"]
        self.flags.setdefault("hung_up_on", None)
        self._apply_mood(events)
        self.ended = True
        self.end_reason = "hung_up_on"
        return self._reply("", events, [])

    @property
    def wanted(self) -> Wants:
        """What the customer really wants now (the promotion may have raised a quantity)."""
        wants = self.scenario.wants
        if wants.order is None:
            return wants
        order = wants.order.model_copy(update={"lines": list(self._lines)})
        return wants.model_copy(update={"order": order})

    @property
    def confirmed(self) -> Confirmed:
        """A snapshot of what the student restated and the customer confirmed (see ``Confirmed``)."""
        persona = self.scenario.persona
        wants = self.scenario.wants
        caller = CallerInfo(
            name=self._given.get("caller.name"),
            company=self._given.get("caller.company"),
            phone=self._given.get("callback_number"),
            email=self._given.get("email"),
            client_number=self._given.get("client_number"),
            address=self._given.get("address"),
            segment=persona.segment,
            region=persona.region,
            new_client=bool(wants.order and wants.order.new_client) or persona.client_number is None,
        )
        order = None
        if wants.order is not None:
            lines = [line for line in self._lines if line.reference in self._confirmed_refs]
            order = ConfirmedOrder(lines=lines, complete="order_confirmed" in self.flags)
        complaint = None
        if wants.complaint is not None:
            complaint = ConfirmedComplaint(
                category=wants.complaint.category,
                solution=self._solution,
                deadline=self._deadline,
                deadline_text=self._deadline_text,
                facts=[f.label for f in self.scenario.hidden_facts if f.id in self.revealed],
                satisfied=True if "satisfaction_ok" in self.flags else False if "satisfaction_ko" in self.flags else None,
            )
        message = None
        if wants.message is not None:
            message = ConfirmedMessage(
                **{"for": wants.message.for_},
                caller_name=self._given.get("caller.name"),
                caller_company=self._given.get("caller.company"),
                callback_number=self._given.get("callback_number"),
                subject=self._given.get("subject"),
                callback_when=self._given.get("callback_when"),
            )
        payment = None
        if wants.payment is not None:
            promised = self._given.get("promised_payment_date")
            payment = ConfirmedPayment(
                invoice=wants.payment.invoice,
                amount_due=self._amount_due(),
                promised_payment_date=promised,
                method=self._given.get("payment_method"),
                stage=wants.payment.stage,
                outcome=wants.payment.outcome if promised else None,
            )
        return Confirmed(
            caller=caller,
            order=order,
            complaint=complaint,
            message=message,
            payment=payment,
            revealed=list(self.revealed),
            goals_met=[g.id for g in self.scenario.goals if self._goal_met(g.when)],
        )

    @property
    def role_card(self) -> RoleCard:
        """The student's role card with its ``{slot}`` values filled (invoice amount, due date...)."""
        card = self.scenario.role_card
        return RoleCard(
            situation=render(card.situation, self._values),
            documents=[render(text, self._values) for text in card.documents],
            instructions=[render(text, self._values) for text in card.instructions],
            objectives=[render(text, self._values) for text in card.objectives],
        )

    def goals(self) -> list[tuple[str, str, bool]]:
        """The scenario's goals as (id, French label, met), for the debrief."""
        return [(g.id, g.label, self._goal_met(g.when)) for g in self.scenario.goals]

    # --- Reading a turn -----------------------------------------------------------------------

    def _read(self, understanding: Any, text: str) -> _Turn:
        normalized = getattr(understanding, "normalized", None)
        if not isinstance(normalized, str):
            normalized = normalize(text or "")
        flags = getattr(understanding, "flags", None) or ()
        return _Turn(
            text=text or "",
            normalized=normalized,
            intents=_intent_names(understanding),
            slots=getattr(understanding, "slots", None),
            question_type=getattr(understanding, "question_type", None),
            nlu_flags=frozenset(str(f) for f in flags),
        )

    def _perceive(self, turn: _Turn) -> list[str]:
        persona = self.scenario.persona
        # The customer's own ear decides on tutoiement: it knows the euphonic t of "a-t-elle" and the
        # noun "ton", and never hears quoted speech as the student's own words.
        heard: Perception = perceive(turn.normalized, self._phrases, surname=persona.surname)
        events: list[str] = []

        def add(event: str) -> None:
            if event not in events:
                events.append(event)

        if self.turn == 1 and self.scenario.direction == "incoming":
            if self._rings is not None and self._rings >= 3:
                add("late_pickup")
            if self._formula_ok(turn):
                add("formula_ok")
            else:
                add("formula_missing")
        if self.turn <= 2 and "student_name" not in self._given:
            self._capture_student_name(turn)
        for event in ("tutoiement", "avoid_phrase", "blamed", "internal_problem", "familiar", "provoked"):
            if heard.has(event):
                add(event)
        if turn.has_intent("blame"):
            add("blamed")
        for intent in turn.intents:
            if intent in INTENT_EVENTS:
                add(INTENT_EVENTS[intent])
        if turn.has_intent("leave_taking") or heard.has("leave_phrase"):
            add("leave_taken")
        has_time = turn.has_slot("dates") or turn.has_slot("times") or heard.has("deadline_words")
        proposes = self._proposes_solution(turn)
        if has_time and (turn.has_intent(*COMMITMENT_INTENTS) or turn.has_intent("give_deadline") or proposes):
            add("commitment_given")
        if (heard.has("vague") or "vague" in turn.nlu_flags) and "commitment_given" not in events:
            add("vague")
        if heard.has("name_used"):
            add("name_used")
        if self.scenario.wants.order is not None:
            self._order_analysis(turn, heard, events)
        if self.scenario.wants.complaint is not None:
            self._complaint_analysis(turn, events)
        if (heard.has("repeat_request") or turn.has_intent("ask_repeat")) and turn.word_count <= SHORT_TURN_WORDS:
            add("repeat_request")
        meaningful = [i for i in turn.intents if i not in ("unknown", "small_talk", "ask_repeat")]
        slots_empty = turn.slots is None or not any(turn.has_slot(name) for name in SLOT_ATTRIBUTES)
        garbled = bool({"unintelligible", "empty"} & turn.nlu_flags)
        # A turn whose only content is how it is said ("je sais pas, peut-être") was understood.
        heard_something = any(e in events for e in CONDUCT_EVENTS)
        if "repeat_request" not in events and not meaningful and not heard_something:
            if turn.has_intent("small_talk"):
                add("off_topic")
            elif garbled or slots_empty:
                add("not_understood")
        return events

    def _formula_ok(self, turn: _Turn) -> bool:
        # The charter's « GENERIK, prénom, bonjour »: what the caller listens for is the company (their
        # remark is « Je suis bien chez GENERIK ? »). The NLU's introduce_company says the company was
        # named, greeting or not ("Generik, j'écoute"); the missing greeting is scoring's to judge
        # (accueil.formule), not a reason for this remark.
        if turn.has_intent("introduce_company"):
            return True
        name = str(self._values.get("company_name") or "")
        company_words = normalize(name).replace("'", " ").split()
        text = turn.normalized.replace("'", " ")
        named = bool(company_words) and all(word in text.split() or word in text for word in company_words)
        return named and (turn.has_intent("greet") or "bonjour" in text)

    def _capture_student_name(self, turn: _Turn) -> None:
        names = list(getattr(turn.slots, "first_names", None) or []) if turn.slots is not None else []
        if names:
            first = str(names[0])
            self._given["student_name"] = first[:1].upper() + first[1:]
            self._values["student_name"] = self._given["student_name"]

    # --- Built-in analyses --------------------------------------------------------------------

    def _wanted_totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self._lines:
            totals[line.reference] = totals.get(line.reference, 0) + line.quantity
        return totals

    def _claimed(self, turn: _Turn) -> dict[str, int | None]:
        """References the student named in this turn, with the total quantity said for each.

        The line is read in order, as a listener does: a quantity belongs to the product it names,
        else to the product named right after it; a quantity given for a shade ("12 en 6.4")
        belongs to the colour cream being listed. A bare number with none of these is ignored.
        For one product, the total said ("48 tubes") and the sum of its shades ("12 en 6.4, 12 en
        5.6…") are two ways of saying the same thing: the larger counts.
        """
        if turn.slots is None:
            return {}
        wanted = self._wanted_totals()
        mentions = sorted(
            (p for p in (turn.slot("products") or []) if getattr(p, "reference", None)),
            key=lambda p: getattr(p, "start", 0),
        )
        quantities = sorted(turn.slot("quantities") or [], key=lambda q: getattr(q, "start", 0))
        shaded_refs = {ref for ref in wanted if self._sold_by_shade(ref)}
        plain: dict[str, int] = {}
        shaded: dict[str, int] = {}
        current: str | None = None
        m_index = 0
        for q in quantities:
            q_start = getattr(q, "start", 0)
            while m_index < len(mentions) and getattr(mentions[m_index], "end", 0) <= q_start:
                current = mentions[m_index].reference
                m_index += 1
            candidates = list(getattr(q, "candidates", ()) or ())
            ref = getattr(q, "product", None)
            shade = getattr(q, "shade", None)
            if ref is None and candidates:
                ref = _product_after(q, mentions, candidates) or (current if current in candidates else None)
                if ref is None:
                    in_wanted = [c for c in candidates if c in wanted]
                    ref = in_wanted[0] if len(in_wanted) == 1 else None
            elif ref is None and shade:
                if current is not None and self._sold_by_shade(current):
                    ref = current
                elif len(shaded_refs) == 1:
                    ref = next(iter(shaded_refs))
            elif ref is None:
                ref = _product_after(q, mentions, [])
                if ref is None and (_counts_tubes(q) or getattr(q, "each", False)) and len(shaded_refs) == 1:
                    ref = next(iter(shaded_refs))
            if ref is None:
                continue
            current = ref
            value = int(getattr(q, "value", 0) or 0)
            if getattr(q, "each", False):
                # "12 de chaque nuance, 6.4, 5.6…": once per shade named, else per shade ordered.
                value *= self._shades_counted(turn, ref)
            bucket = shaded if shade or getattr(q, "each", False) else plain
            bucket[ref] = bucket.get(ref, 0) + value
        claimed: dict[str, int | None] = {}
        for ref in dict.fromkeys(list(plain) + list(shaded)):
            claimed[ref] = max(plain.get(ref, 0), shaded.get(ref, 0))
        for mention in mentions:
            claimed.setdefault(mention.reference, None)
        return claimed

    def _shades_counted(self, turn: _Turn, reference: str) -> int:
        """How many shades a quantity "de chaque nuance" multiplies: those the turn names, else the order's."""
        named = {getattr(s, "code", None) or getattr(s, "name", None) for s in turn.slot("shades") or []}
        named.discard(None)
        if named:
            return len(named)
        ordered = {line.shade for line in self._lines if line.reference == reference and line.shade}
        return max(1, len(ordered))

    def _sold_by_shade(self, reference: str) -> bool:
        catalogue = getattr(self.company, "catalogue", None)
        if catalogue is not None:
            try:
                return catalogue.product(reference).shade_chart is not None
            except DomainError:
                return False
        return any(line.shade for line in self._lines if line.reference == reference)

    def _spoken(self, reference: str) -> str:
        for line in self._lines:
            if line.reference == reference and line.spoken:
                return line.spoken
        return self._product_name(reference)

    def _product_name(self, reference: str) -> str:
        catalogue = getattr(self.company, "catalogue", None)
        if catalogue is not None:
            try:
                name = catalogue.product(reference).name
                return name[:1].lower() + name[1:]
            except DomainError:
                pass
        return reference

    def _order_analysis(self, turn: _Turn, heard: Perception, events: list[str]) -> None:
        want = self.scenario.wants.order
        assert want is not None
        promo = turn.has_intent("announce_promotion") or heard.has("promotion_words")
        if promo:
            if "promo_announced" in self.flags:
                if turn.has_intent("announce_promotion") and not turn.has_intent("reformulate"):
                    events.append("promo_repeated")
            else:
                events.append("promo_announced")
                reaction = want.on_promotion
                if reaction is not None and reaction.raise_to and self._tier_named(turn, reaction):
                    raised = {line.reference for line in reaction.raise_to}
                    self._lines = _replace_lines(self._lines, list(reaction.raise_to))
                    for ref in raised:
                        self._confirmed_refs.pop(ref, None)
                        self._pending.pop(ref, None)
                    self.flags.pop("order_confirmed", None)
                    total = sum(line.quantity for line in reaction.raise_to)
                    self._values["raised_quantity"] = total
                    self._refresh_order_values()
                    events.append("promo_raised")
                else:
                    events.append("promo_noted")
        claimed = self._claimed(turn)
        recap = turn.has_intent("reformulate")
        # After a correction, whatever quantities the student says next are read as the fix.
        echo = turn.has_intent("take_notes", "confirm") or turn.question_type == "closed" or bool(self._pending)
        wanted = self._wanted_totals()
        if claimed and (recap or (echo and not promo)):
            wrong = [(ref, qty) for ref, qty in claimed.items() if ref in wanted and qty is not None and qty != wanted[ref]]
            right = [ref for ref, qty in claimed.items() if ref in wanted and qty == wanted[ref]]
            extra = [ref for ref in claimed if ref not in wanted]
            vague = [ref for ref, qty in claimed.items() if ref in wanted and qty is None]
            for ref in right:
                self._confirmed_refs.setdefault(ref, None)
                self._pending.pop(ref, None)
            if wrong:
                ref, said = wrong[0]
                self._pending[ref] = wanted[ref]
                self._values.update(product=self._spoken(ref), said_quantity=said, wanted_quantity=wanted[ref])
                events.append("order_corrected")
            if extra:
                self._values["extra_product"] = self._product_name(extra[0])
                events.append("order_line_extra")
            complete = all(ref in self._confirmed_refs for ref in wanted)
            if complete and not wrong:
                events.append("order_confirmed")
            elif recap and not wrong:
                missing = [ref for ref in wanted if ref not in self._confirmed_refs and ref not in claimed]
                if missing and right:
                    self._values["missing_product"] = _with_article(self._spoken(missing[0]))
                    events.append("order_line_missing")
                elif vague and not right:
                    events.append("order_unquantified")
            elif right and not wrong and not extra:
                events.append("order_echo_ok")
        elif self._pending and turn.has_intent("confirm", "apologize") and not claimed:
            for ref in list(self._pending):
                self._confirmed_refs.setdefault(ref, None)
            self._pending.clear()
            events.append("correction_accepted")
            if all(ref in self._confirmed_refs for ref in wanted):
                events.append("order_confirmed")

    def _tier_named(self, turn: _Turn, reaction: Any) -> bool:
        if not reaction.only_if_tier_named:
            return True
        targets = {line.quantity for line in reaction.raise_to}
        total = sum(line.quantity for line in reaction.raise_to)
        said = {int(getattr(q, "value", 0) or 0) for q in turn.slot("quantities") or []}
        return bool(said & (targets | {total})) or str(total) in turn.normalized

    def _proposes_solution(self, turn: _Turn) -> bool:
        """True when the turn names one of the solutions the complaining customer accepts."""
        want = self.scenario.wants.complaint
        if want is None or not want.solution_any:
            return False
        return phrase_set(tuple(want.solution_any)).search(turn.normalized) is not None

    def _complaint_analysis(self, turn: _Turn, events: list[str]) -> None:
        want = self.scenario.wants.complaint
        assert want is not None
        accepted = phrase_set(tuple(want.solution_any)).search(turn.normalized) if want.solution_any else None
        refused = phrase_set(tuple(want.solution_refused)).search(turn.normalized) if want.solution_refused else None
        if accepted and "solution_accepted" not in self.flags and not turn.question_type == "open":
            self._solution = _original_phrase(want.solution_any, accepted)
            events.append("solution_accepted")
        elif refused and turn.has_intent("propose_solution", "commit_callback", "inform_product"):
            events.append("solution_refused")
        elif want.solution_any and turn.has_intent("propose_solution") and "solution_accepted" not in self.flags and not accepted:
            events.append("solution_vague")
        if "commitment_given" in events:
            day, text = self._deadline_of(turn)
            limit = want.deadline_max_days
            if day is not None and limit is not None and (day - self.today).days > limit:
                events.remove("commitment_given")
                events.append("deadline_too_long")
            else:
                events.append("deadline_given")
                if day is not None or self._deadline is None:
                    self._deadline = day
                    self._deadline_text = text
                    self._values["deadline"] = text

    def _deadline_of(self, turn: _Turn) -> tuple[date | None, str | None]:
        for ref in list(turn.slot("dates") or []) + list(turn.slot("times") or []):
            day = getattr(ref, "date", None)
            if day is None:
                moment = getattr(ref, "end", None) or getattr(ref, "start", None)
                day = moment.date() if isinstance(moment, datetime) else None
            return day, getattr(ref, "text", None)
        return None, None

    # --- Rules --------------------------------------------------------------------------------

    def _collect_rules(self) -> dict[str, Any]:
        scenario = self.scenario
        answers = [(f"answers[{i}]", r) for i, r in enumerate(scenario.answers)]
        own_ids = {r.id for r in scenario.answers if r.id}
        answers += [(f"common.answers[{i}]", r) for i, r in enumerate(self._common.answers) if r.id not in own_ids]
        states = {
            name: [(f"states.{name}.transitions[{i}]", r) for i, r in enumerate(st.transitions)]
            for name, st in scenario.states.items()
        }
        anytime = [(f"anytime[{i}]", r) for i, r in enumerate(scenario.anytime)]
        return {"answers": answers, "states": states, "anytime": anytime}

    def _precompile(self) -> None:
        # Compile every phrase list of the scenario now (cached per process), so that no turn pays
        # for a regular expression's compilation.
        conditions: list[Condition] = [rule.when for _, rule in self._rules["answers"] + self._rules["anytime"]]
        for rules in self._rules["states"].values():
            conditions.extend(rule.when for _, rule in rules)
        conditions.extend(f.when for f in self.scenario.hidden_facts)
        conditions.extend(g.when for g in self.scenario.goals)
        while conditions:
            cond = conditions.pop()
            for phrases in (cond.text, cond.no_text):
                if phrases:
                    phrase_set(tuple(phrases))
            conditions.extend(cond.any)
        complaint = self.scenario.wants.complaint
        if complaint is not None:
            for phrases in (complaint.solution_any, complaint.solution_refused):
                if phrases:
                    phrase_set(tuple(phrases))

    def _fires(self, key: str, rule: Rule, turn: _Turn, events: list[str]) -> bool:
        if rule.once and key in self._fired:
            return False
        if rule.id == "identite" and key.startswith("common."):
            if self._callee_checked(turn):
                self.flags.setdefault("callee_confirmed", None)
                return False
            if self._identity_known(turn):
                return False
        if not self._holds(rule.when, turn, events):
            return False
        self._fired.add(key)
        return True

    def _identity_known(self, turn: _Turn) -> bool:
        """They said who they are already: « Vous êtes cliente depuis longtemps ? » is no question
        about their name; only words about it (« votre nom », « de la part de qui »…) make them
        repeat it."""
        if "identity_given" not in self.flags and "callee_confirmed" not in self.flags:
            return False
        return _NAME_WORDS.search(turn.normalized) is None

    def _callee_checked(self, turn: _Turn) -> bool:
        """Outgoing call: « Madame Delmotte ? » checks who answered; they confirm (their state says
        « c'est moi »), they do not introduce themselves all over again."""
        if self.scenario.direction != "outgoing":
            return False
        surname = normalize(self.scenario.persona.surname)
        return bool(surname) and f" {surname} " in f" {turn.normalized.replace('?', ' ').replace(',', ' ')} "

    def _holds(self, cond: Condition, turn: _Turn, events: list[str]) -> bool:
        if cond.intent and not any(name in turn.intents for name in cond.intent):
            return False
        if cond.all_intents and not all(name in turn.intents for name in cond.all_intents):
            return False
        if cond.no_intent and any(name in turn.intents for name in cond.no_intent):
            return False
        if cond.event and not any(name in events for name in cond.event):
            return False
        if cond.no_event and any(name in events for name in cond.no_event):
            return False
        if cond.flags and not all(name in self.flags for name in cond.flags):
            return False
        if cond.not_flags and any(name in self.flags for name in cond.not_flags):
            return False
        if cond.slot and not any(turn.has_slot(name) for name in cond.slot):
            return False
        if cond.has and not all(self._values.get(name) not in (None, "") for name in cond.has):
            return False
        if cond.lacks and any(self._values.get(name) not in (None, "") for name in cond.lacks):
            return False
        if cond.text and phrase_set(tuple(cond.text)).search(turn.normalized) is None:
            return False
        if cond.no_text and phrase_set(tuple(cond.no_text)).search(turn.normalized) is not None:
            return False
        if cond.mood_min is not None and self.mood < cond.mood_min:
            return False
        if cond.mood_max is not None and self.mood > cond.mood_max:
            return False
        if cond.turn_min is not None and self.turn < cond.turn_min:
            return False
        if cond.turn_max is not None and self.turn > cond.turn_max:
            return False
        if cond.question and turn.question_type not in cond.question:
            return False
        if cond.any and not any(self._holds(sub, turn, events) for sub in cond.any):
            return False
        return True

    def _goal_met(self, cond: Condition) -> bool:
        # Goals read the call's memory only: flags, mood, turn count.
        empty = _Turn("", "", (), None, None, frozenset())
        return self._holds(cond, empty, [])

    def _apply_rule(self, rule: Rule, revealed: list[str]) -> None:
        for flag in rule.set:
            self.flags.setdefault(flag, None)
        for flag in rule.unset:
            self.flags.pop(flag, None)
        if rule.mood:
            self._move_mood(rule.mood)
        for fact in rule.reveal:
            self._reveal(fact, revealed)
        for field in rule.give:
            self._give(field)

    def _reveal(self, fact_id: str, revealed: list[str]) -> None:
        if fact_id in self.revealed:
            return
        self.revealed.append(fact_id)
        revealed.append(fact_id)
        for fact in self.scenario.hidden_facts:
            if fact.id == fact_id:
                for flag in fact.set:
                    self.flags.setdefault(flag, None)
        self.flags.setdefault(f"fact_{fact_id}", None)

    def _give(self, field: str) -> None:
        persona = self.scenario.persona
        wants = self.scenario.wants
        value: Any
        if field == "caller.name":
            value = persona.name
        elif field == "caller.company":
            value = persona.company or (wants.message.caller_company if wants.message else None)
        elif field == "callback_number":
            value = persona.phone
        elif field == "email":
            value = persona.email
        elif field == "client_number":
            value = persona.client_number
        elif field == "address":
            value = persona.address
        elif field == "subject":
            value = wants.message.subject if wants.message else None
        elif field == "callback_when":
            value = wants.message.callback_when if wants.message else None
        elif field == "promised_payment_date":
            value = self._promised_date()
        elif field == "payment_method":
            value = wants.payment.method if wants.payment else None
        else:  # pragma: no cover - the scenario model restricts the names
            value = None
        if value is not None:
            self._given[field] = value

    # --- Leave-taking, fallbacks, endings -----------------------------------------------------

    def _success_reason(self) -> EndReason:
        return self.scenario.ending.success

    def _leave_taking(self, events: list[str]) -> tuple[list[str], EndReason | None]:
        unmet = [g for g in self.scenario.goals if not self._goal_met(g.when)]
        # The customer claims only what they would ask for themselves (goals with a ``remind``
        # line); other unmet goals just leave them less satisfied.
        claimed = [g for g in unmet if g.remind]
        if claimed and self._protests < self.scenario.ending.protests_before_leaving:
            self._protests += 1
            events.append("goodbye_early")
            self._apply_mood(["goodbye_early"])
            return [claimed[0].remind], None
        satisfied = not unmet and self.mood >= SATISFIED_MOOD
        reason: EndReason = self._success_reason() if satisfied else "unsatisfied"
        line = "au_revoir_satisfait" if satisfied else "au_revoir_mecontent"
        if self.scenario.hangs_up_after_goodbye:
            return [line], reason
        # Outgoing call: the student, who called, ends it (charter C3); the customer waits.
        self._goodbye_reason = reason
        return [line], None

    def _fallback(self, turn: _Turn, events: list[str]) -> list[str]:
        patience = self.scenario.persona.patience
        if "repeat_request" in events and self._last_lines:
            return ["repete_prefixe", *self._last_lines]
        if "not_understood" in events or "off_topic" in events:
            self._pardons += 1
            if self._pardons > patience:
                events.append("impatience")
                self._apply_mood(["impatience"])
                return ["pardon_agace"]
            return ["hors_sujet" if "off_topic" in events else "pardon"]
        state = self.scenario.states[self.state]
        if state.closing and turn.has_intent("ask_satisfaction") and not self._asked:
            # « Ça vous va ? » once everything is settled: they say whether it suits them, they do
            # not answer with their own « Autre chose ? ».
            return ["accord_final" if self.mood >= SATISFIED_MOOD else "accord_reserve"]
        self._idles += 1
        idle = state.idle
        if self._idles > patience:
            events.append("impatience")
            self._apply_mood(["impatience"])
            return list(idle) or ["impatience"]
        if idle and (self._idles >= 2 or any(e in events for e in CONDUCT_EVENTS)):
            return list(idle)
        if idle and (turn.question_type is not None or self._asked):
            # A question they cannot place, or a turn that leaves their own question unanswered:
            # « D'accord… » would answer nothing; they come back to what they are waiting for.
            return list(idle)
        return ["ecoute"]

    def _finish(self, said: list[str], reason: EndReason, events: list[str], revealed: list[str]) -> CustomerReply:
        self.ended = True
        self.end_reason = reason
        text = self._say(said)
        return self._reply(text, events, revealed)

    # --- Mood ---------------------------------------------------------------------------------

    def _apply_mood(self, events: Iterable[str]) -> None:
        for event in events:
            delta = self.scenario.reaction(event)
            count = self._event_counts.get(event, 0)
            self._event_counts[event] = count + 1
            if delta == 0:
                continue
            if event in ONCE_EVENTS and count >= 1:
                continue
            if delta > 0 and count >= POSITIVE_CAP:
                continue
            self._move_mood(delta)

    def _move_mood(self, delta: int) -> None:
        # One call mends things; it does not turn an exasperated customer into a delighted one.
        ceiling = min(MOOD_MAX, self.scenario.persona.initial_mood + MAX_RISE)
        if delta > 0:
            self.mood = max(self.mood, min(ceiling, self.mood + delta))
        else:
            self.mood = max(MOOD_MIN, min(MOOD_MAX, self.mood + delta))

    # --- Wording ------------------------------------------------------------------------------

    def _say(self, line_ids: list[str]) -> str:
        unique = list(dict.fromkeys(line_ids))
        texts = [self._render_line(line_id) for line_id in unique]
        self._last_lines = [lid for lid in unique if lid != "repete_prefixe"] or self._last_lines
        said = " ".join(t for t in texts if t)
        self._asked = said.rstrip().endswith("?")
        return said

    def _render_line(self, line_id: str) -> str:
        variants = self.scenario.line_variants(line_id)
        if self._total_stale and any("{total_ht}" in v for v in variants):
            self._values["total_ht"] = self._total_ht()
            self._total_stale = False
        usable = [i for i, v in enumerate(variants) if not missing_slots(v, self._values)] or list(range(len(variants)))
        last = self._last_variant.get(line_id)
        if len(usable) > 1 and last in usable:
            usable = [i for i in usable if i != last]
        index = usable[self._rng.randrange(len(usable))]
        self._last_variant[line_id] = index
        return render(variants[index], self._values)

    def _reply(self, text: str, events: list[str], revealed: list[str]) -> CustomerReply:
        return CustomerReply(
            text=text,
            mood=self.mood,
            mood_label=mood_label(self.mood),
            ended=self.ended,
            end_reason=self.end_reason,
            revealed=list(revealed),
            state=self.state,
            events=list(events),
        )

    # --- Template values ----------------------------------------------------------------------

    def _base_values(self) -> dict[str, Any]:
        scenario = self.scenario
        persona = scenario.persona
        facts = getattr(self.company, "facts", None)
        values: dict[str, Any] = {
            "name": persona.name,
            "first_name": persona.first_name,
            "last_name": persona.surname,
            "civility": persona.civility,
            "civ_name": persona.civ_name,
            "company": persona.company,
            "company_from": persona.company_from or (f"de {persona.company}" if persona.company else None),
            "client_number": persona.client_number,
            "phone": persona.phone,
            "email": persona.email,
            "city": persona.city,
            "region": persona.region,
            "address": persona.address,
            "student_name": None,
            "company_name": getattr(facts, "name", None) or _company_label(scenario.company),
            "free_phone": getattr(facts, "free_phone", None),
            "today": french_date(self.today),
            "weekday": french_date(self.today).split()[0],
            "for_person": scenario.wants.message.for_ if scenario.wants.message else None,
        }
        payment = scenario.wants.payment
        if payment is not None:
            values["invoice"] = payment.invoice
            amount = self._amount_due()
            values["amount_due"] = french_amount(amount) if amount is not None else None
            due = self._due_date()
            values["due_date"] = payment.due_date_text or (french_date(due, weekday=False) if due else None)
            promised = self._promised_date()
            values["promised_date"] = french_date(promised)
            values["promised_weekday"] = french_date(promised).split()[0]
            values["payment_method"] = {"virement": "virement", "cheque": "chèque", "lcr": "LCR"}[payment.method]
        values.update(scenario.slots)
        self._values = values
        self._refresh_order_values()
        return self._values

    def _refresh_order_values(self) -> None:
        if not self._lines:
            return
        totals = self._wanted_totals()
        parts = [f"{qty} {self._spoken(ref)}" for ref, qty in totals.items()]
        self._values["order_summary"] = _join_french(parts)
        first_ref = next(iter(totals))
        self._values["quantity"] = totals[first_ref]
        shades = [line.shade for line in self._lines if line.shade]
        self._values["shade_list"] = _join_french(shades) if shades else None
        # Pricing the order costs a few milliseconds: done only when a line says the total.
        self._values["total_ht"] = None
        self._total_stale = True

    def _total_ht(self) -> str | None:
        catalogue = getattr(self.company, "catalogue", None)
        if catalogue is None:
            return None
        try:
            lines = price_lines(
                [{"reference": line.reference, "shade": line.shade, "quantity": line.quantity} for line in self._lines],
                catalogue,
                getattr(self.company, "promotions", []) or [],
                on=self.today,
            )
        except DomainError:
            return None
        return french_amount(sum((line.total_ht for line in lines), Decimal("0")))

    def _invoice(self) -> Any:
        payment = self.scenario.wants.payment
        for invoice in getattr(self.company, "invoices", None) or []:
            if payment is not None and getattr(invoice, "number", None) == payment.invoice:
                return invoice
        return None

    def _amount_due(self) -> Decimal | None:
        payment = self.scenario.wants.payment
        if payment is None:
            return None
        if payment.amount_due is not None:
            return payment.amount_due
        invoice = self._invoice()
        if invoice is None:
            return None
        try:
            return invoice.balance(self.today)
        except (AttributeError, TypeError):
            return getattr(invoice, "amount_ttc", None)

    def _due_date(self) -> date | None:
        invoice = self._invoice()
        due = getattr(invoice, "due_on", None) if invoice is not None else None
        return due() if callable(due) else due

    def _promised_date(self) -> date:
        payment = self.scenario.wants.payment
        days = payment.promise_in_days if payment is not None else 0
        return add_working_days(self.today, days)


NEARBY_CHARS = 40
"""A number and the product named right after it ("20 tubes sans ammoniaque") belong together."""


def _product_after(quantity: Any, mentions: list[Any], candidates: list[str]) -> str | None:
    """The product named just after a quantity, among its candidates when it has some.

    A bare number (no candidates: the NLU saw no unit) only takes a product named immediately
    after it ("2 mousses"); "5 en 6 et 5 en 7, 10 tubes avec ammoniaque" must not give the 6 and
    the 7 to the tubes named later.
    """
    q_end = getattr(quantity, "end", None)
    if q_end is None:
        return None
    reach = NEARBY_CHARS if candidates else 3
    for mention in mentions:
        gap = getattr(mention, "start", -1) - q_end
        if 0 <= gap <= reach and (not candidates or mention.reference in candidates):
            return mention.reference
    return None


_NAME_WORDS = re.compile(
    r"\b(?:nom|noms|prenom|qui|epel\w*|societe|salon|entreprise|part|appelle[sz]?|identit\w*|annoncer|coordonnees)\b"
)
_FEMININE = frozenset({"creme", "crèmes", "crème", "poudre", "mousse", "laque", "lotion", "brosse", "coloration", "huile"})


def _with_article(spoken: str) -> str:
    """« poudres décolorantes » → « les poudres décolorantes », « shampooing à l'amande » → « le
    shampooing à l'amande »: what the customer names in « Et …, vous l'avez noté ? »."""
    first = spoken.split(" ", 1)[0].lower() if spoken else ""
    if not first or first in ("le", "la", "les", "l", "un", "une", "des", "mes", "mon", "ma") or first[0].isdigit():
        return spoken
    if first.endswith(("s", "x")):
        return f"les {spoken}"
    if first[0] in "aeéèêiouyh":
        return f"l'{spoken}"
    return f"la {spoken}" if first in _FEMININE else f"le {spoken}"


def _replace_lines(lines: list[WantedLine], new: list[WantedLine]) -> list[WantedLine]:
    """Lines with those of ``new``'s references replaced, in place of the first one replaced."""
    refs = {line.reference for line in new}
    out: list[WantedLine] = []
    inserted = False
    for line in lines:
        if line.reference in refs:
            if not inserted:
                out.extend(new)
                inserted = True
            continue
        out.append(line)
    if not inserted:
        out.extend(new)
    return out


def _counts_tubes(quantity: Any) -> bool:
    unit = str(getattr(quantity, "unit", "") or "")
    return unit.startswith("tub")


def _original_phrase(phrases: list[str], matched: str) -> str:
    folded = matched.rstrip("?")
    for phrase in phrases:
        if normalize(phrase).strip(" ?!.,") == folded:
            return phrase
    return matched


def _join_french(items: list[str]) -> str:
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " et " + items[-1]


def _company_label(company_id: str) -> str:
    return {"generik": "GENERIK", "servfamilles": "SERV'FAMILLES"}.get(company_id, company_id.upper())
