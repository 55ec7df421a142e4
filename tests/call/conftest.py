"""Fixtures of the call tests: a database seeded as of a fixed Monday, a simulated clock.

Seeding takes a moment, so each engine is seeded once per run into a template (the root conftest's
``seeded_templates``) and every test gets its own copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest

from trainer.call.clock import SimulatedClock
from trainer.domain.common import PARIS
from trainer.store import Store, open_store

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)  # the root conftest's SEED_NOW
"""A Monday morning: the database is seeded as of this day and calls start at this moment."""


@pytest.fixture
def seeded_url(db_url: str, copy_seeded: Callable[[str], None]) -> str:
    """A database seeded as of ``NOW`` on each engine (a fresh copy per test)."""
    copy_seeded(db_url)
    return db_url


@pytest.fixture
def seeded_store(seeded_url: str) -> Iterator[Store]:
    """An open store on ``seeded_url``."""
    store = open_store(seeded_url)
    yield store
    store.dispose()


@pytest.fixture
def sqlite_seeded(sqlite_url: str, copy_seeded: Callable[[str], None]) -> str:
    """A seeded SQLite database only (tests whose subject is not the engine)."""
    copy_seeded(sqlite_url)
    return sqlite_url


@pytest.fixture
def clock() -> SimulatedClock:
    """A simulated clock starting at ``NOW``."""
    return SimulatedClock(NOW)
