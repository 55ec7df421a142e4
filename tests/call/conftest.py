"""Fixtures of the call tests: a database seeded as of a fixed Monday, a simulated clock.

Seeding takes a moment, so each engine is seeded once per run into a template (a SQLite file; a
PostgreSQL database used with ``CREATE DATABASE … TEMPLATE``) and every test gets its own copy.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from trainer.call.clock import SimulatedClock
from trainer.domain.common import PARIS
from trainer.store import Store, open_store
from trainer.store.seeding import seed_companies

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
"""A Monday morning: the database is seeded as of this day and calls start at this moment."""
PG_ADMIN_URL = os.environ.get("TRAINER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _seed(url: str) -> None:
    store = open_store(url)
    try:
        store.init_schema()
        seed_companies(store, now=NOW)
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def call_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Seeded template databases, built once per engine and run."""
    built: dict[str, str] = {}

    def get(kind: str) -> str:
        if kind not in built:
            if kind == "sqlite":
                path = tmp_path_factory.mktemp("call-template") / "seeded.db"
                _seed(f"sqlite:///{path}")
                built[kind] = str(path)
            else:
                name = f"trainer_calltmpl_{uuid.uuid4().hex[:10]}"
                with _pg_admin() as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                _seed(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
                built[kind] = name
        return built[kind]

    yield get
    if "postgresql" in built:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{built["postgresql"]}" WITH (FORCE)')


def copy_seeded(db_url: str, templates: Callable[[str], str]) -> None:
    """Make ``db_url`` (an empty test database) a copy of the seeded template of its engine."""
    if db_url.startswith("sqlite"):
        shutil.copyfile(templates("sqlite"), Path(db_url.removeprefix("sqlite:///")))
    else:
        name = db_url.rsplit("/", 1)[1]
        template = templates("postgresql")
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE "{name}"')
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


@pytest.fixture
def seeded_url(db_url: str, call_templates: Callable[[str], str]) -> str:
    """A database seeded as of ``NOW`` on each engine (a fresh copy per test)."""
    copy_seeded(db_url, call_templates)
    return db_url


@pytest.fixture
def seeded_store(seeded_url: str) -> Iterator[Store]:
    """An open store on ``seeded_url``."""
    store = open_store(seeded_url)
    yield store
    store.dispose()


@pytest.fixture
def sqlite_seeded(sqlite_url: str, call_templates: Callable[[str], str]) -> str:
    """A seeded SQLite database only (tests whose subject is not the engine)."""
    copy_seeded(sqlite_url, call_templates)
    return sqlite_url


@pytest.fixture
def clock() -> SimulatedClock:
    """A simulated clock starting at ``NOW``."""
    return SimulatedClock(NOW)
