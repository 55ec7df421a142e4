"""Fixtures of the store tests: a fixed "now", a cached company loader, seeded databases."""

from __future__ import annotations

import pytest
from store_helpers import NOW, cached_company

from trainer.store import Store, open_store
from trainer.store.seeding import seed_companies


@pytest.fixture
def store(db_url: str):
    """A migrated, empty store on each engine."""
    s = open_store(db_url)
    s.init_schema()
    yield s
    s.dispose()


@pytest.fixture
def seeded(store: Store) -> Store:
    """A migrated store seeded with every company's reference data, as of ``NOW``."""
    seed_companies(store, now=NOW, loader=cached_company)
    return store
