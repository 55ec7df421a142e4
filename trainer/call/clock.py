"""Time of a call: the wall clock for a live call, a simulated clock for headless play and tests.

``t`` in a transcript is seconds since the phone started ringing (CONTRACT §2). In a live call it is
measured; in headless play nobody waits, so time is *simulated*: rings last ``RING_SECONDS`` each
and a turn lasts as long as its words take to say at a speaking rate, plus a short reaction gap.
That keeps ``t`` plausible and, above all, deterministic (same script ⇒ same transcript).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Protocol

from trainer.domain.common import PARIS

RING_SECONDS = 3.0
"""One ring of a French phone: about 1.5 s of tone and 3.5 s of silence; 3 s is the usual count."""
REACTION_SECONDS = 0.6
"""Gap between two speakers in a telephone conversation (a little more than face to face)."""
STUDENT_WORDS_PER_MINUTE = 150.0
"""A calm telephone rate; ~120 wpm is the reference for a caller being dictated to."""
ACTION_SECONDS = 2.0
"""Typing one entry in the ERP panel."""


class CallClock(Protocol):
    """What a call session needs from a clock."""

    simulated: bool

    def now(self) -> datetime:
        """The current moment, timezone-aware (business dates are read in Europe/Paris)."""

    def t(self) -> float:
        """Seconds since the phone started ringing, rounded to the tenth."""

    def advance(self, seconds: float) -> None:
        """Let simulated time pass (a no-op on the wall clock, where time passes by itself)."""


class SimulatedClock:
    """A clock that moves only when told: headless play, tests, golden transcripts."""

    simulated = True

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime.now(PARIS).replace(microsecond=0)
        if start.tzinfo is None:
            raise ValueError("SimulatedClock needs a timezone-aware start")
        self.start = start
        self._elapsed = 0.0

    def now(self) -> datetime:
        """``start`` plus the simulated seconds."""
        return self.start + timedelta(seconds=round(self._elapsed, 1))

    def t(self) -> float:
        """Simulated seconds since the ringing started."""
        return round(self._elapsed, 1)

    def advance(self, seconds: float) -> None:
        """Move the simulated time forward."""
        if seconds > 0:
            self._elapsed += seconds


class WallClock:
    """The real clock of a live call (the TUI)."""

    simulated = False

    def __init__(self) -> None:
        self.start = datetime.now(PARIS)
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        """Now, in Paris time."""
        return datetime.now(PARIS)

    def t(self) -> float:
        """Measured seconds since the session started ringing."""
        return round(time.monotonic() - self._t0, 1)

    def advance(self, seconds: float) -> None:
        """Nothing to do: real time passes by itself."""


def speaking_seconds(text: str, words_per_minute: float) -> float:
    """How long a line takes to say at ``words_per_minute`` (at least half a second)."""
    words = len(text.split())
    rate = words_per_minute if words_per_minute > 0 else STUDENT_WORDS_PER_MINUTE
    return max(0.5, words * 60.0 / rate)
