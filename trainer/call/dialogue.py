"""The conversation side of a call: French understanding (NLU) and the simulated customer.

A thin adapter so that ``CallSession`` does not depend on the details of either: it understands a
student turn once (the intents go into the transcript), hands it to the customer, and exposes the
customer's mood, speaking rate and what they confirmed (used to fill the ERP when the student made
no entry).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.call.clock import STUDENT_WORDS_PER_MINUTE
from trainer.content.scenarios import Scenario
from trainer.dialogue.customer import MOOD_MAX, MOOD_MIN, CustomerSimulator, mood_label
from trainer.dialogue.nlu import preload, understand
from trainer.domain.common import PARIS

INTENT_MIN_SCORE = 0.5
"""Intents below this score are not written into the transcript (they did not drive the customer)."""


@dataclass
class Analysis:
    """One student turn, understood."""

    text: str
    understanding: Any

    @property
    def intent_names(self) -> list[str] | None:
        """Names of the intents understood, best first (``None`` when nothing was understood)."""
        names = [
            m.name
            for m in getattr(self.understanding, "intents", [])
            if m.name != "unknown" and getattr(m, "score", 1.0) >= INTENT_MIN_SCORE
        ]
        return names or None


@dataclass
class Reply:
    """The customer's answer to one student turn."""

    text: str | None
    mood: float | None
    ended: bool
    end_reason: str | None


class Conversation:
    """NLU + simulated customer for one call, seeded."""

    def __init__(self, scenario: Scenario, *, seed: int, company: Any, now: Callable[[], datetime]) -> None:
        self.scenario = scenario
        self.seed = seed
        self._now = now
        today = now().astimezone(PARIS).date()
        self.simulator = CustomerSimulator(scenario, seed=seed, company=company, today=today)
        # The NLU builds its model and the company's lexicon once per process: now, while the phone
        # rings, rather than during the student's first line (a fraction of a second otherwise).
        preload(scenario.company)
        # A separate stream for what the session decides itself (rings before an outgoing call is
        # answered), so that it never shifts the customer's own choices.
        self._rng = random.Random(f"{scenario.id}:{seed}:call")

    def answer_after_rings(self) -> int:
        """Outgoing call: on which ring the customer answers (2 to 4, seeded)."""
        return self._rng.randint(2, 4)

    @property
    def words_per_minute(self) -> float:
        """The customer's speaking rate (their voice hints), for simulated time."""
        voice = getattr(self.scenario.persona, "voice", None)
        return float(getattr(voice, "rate", None) or STUDENT_WORDS_PER_MINUTE)

    @property
    def mood(self) -> float | None:
        """The customer's mood from -1 (furious) to 1 (delighted), as transcripts keep it."""
        return _mood(getattr(self.simulator, "mood", None))

    @property
    def mood_label(self) -> str:
        """The mood in French (« mécontent », « satisfait »...)."""
        return mood_label(self.simulator.mood)

    @property
    def confirmed(self) -> Any:
        """What the customer confirmed during the call (order lines, complaint, message, payment date)."""
        return getattr(self.simulator, "confirmed", None)

    def opening(self, rings: int | None) -> str | None:
        """The customer's first line once the line is open (None when they wait for the student)."""
        return self.simulator.opening(rings=rings)

    def understand(self, text: str) -> Analysis:
        """Understand one student turn."""
        return Analysis(text=text, understanding=understand(text, context=self._context()))

    def _context(self) -> Any:
        return {"now": self._now(), "company": self.scenario.company}

    def respond(self, analysis: Analysis, text: str) -> Reply:
        """The customer's answer to an understood student turn."""
        return _reply(self.simulator.respond(analysis.understanding, text))

    def student_hangs_up(self) -> Reply:
        """The student hangs up: the customer is left as they were (or hung up on, mid-call)."""
        return _reply(self.simulator.hang_up())


def _reply(reply: Any) -> Reply:
    return Reply(
        text=reply.text or None,
        mood=_mood(reply.mood),
        ended=bool(reply.ended),
        end_reason=reply.end_reason,
    )


def _mood(value: Any) -> float | None:
    """The simulator's 0..10 mood as -1..1 (CONTRACT §2 turns: ``mood``, -1 furious, 1 delighted)."""
    if value is None:
        return None
    middle = (MOOD_MAX + MOOD_MIN) / 2
    return round((float(value) - middle) / (MOOD_MAX - middle), 2)
