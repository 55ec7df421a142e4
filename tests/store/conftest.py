"""Fixtures of the store tests: migrated stores and seeded stores on both engines.

Migrating and seeding take a moment, so each engine gets, once per test run, a migrated template
and a seeded template (a SQLite file; a PostgreSQL database used with ``CREATE DATABASE …
TEMPLATE``), and every test works on its own copy.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from store_helpers import NOW, cached_company

from trainer.store import Store, open_store
from trainer.store.seeding import seed_companies

PG_ADMIN_URL = os.environ.get("TRAINER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_BASE = PG_ADMIN_URL.rsplit("/", 1)[0]


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _build(url: str, seeded: bool) -> None:
    s = open_store(url)
    try:
        s.init_schema()
        if seeded:
            seed_companies(s, now=NOW, loader=cached_company)
    finally:
        s.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory):
    """``get(engine, seeded)`` builds (once per run) a migrated or seeded template database."""
    built: dict[tuple[str, bool], str] = {}

    def get(engine: str, seeded: bool) -> str:
        key = (engine, seeded)
        if key not in built:
            if engine == "sqlite":
                path = tmp_path_factory.mktemp("template") / "template.db"
                _build(f"sqlite:///{path}", seeded)
                built[key] = str(path)
            else:
                name = f"trainer_tmpl_{uuid.uuid4().hex[:10]}"
                with _pg_admin() as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                _build(f"{PG_BASE}/{name}", seeded)
                built[key] = name
        return built[key]

    yield get
    with _pg_admin() if any(e == "postgresql" for e, _ in built) else _nothing() as conn:
        for (engine, _), name in built.items():
            if engine == "postgresql":
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _copy(request: pytest.FixtureRequest, tmp_path: Path, templates, seeded: bool):
    if request.param == "sqlite":
        path = tmp_path / "copy.db"
        shutil.copyfile(templates("sqlite", seeded), path)
        return f"sqlite:///{path}", None
    request.getfixturevalue("pg_server")  # skips (or fails in CI) when the server is down
    name = f"trainer_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{templates("postgresql", seeded)}"')
    return f"{PG_BASE}/{name}", name


def _drop(name: str | None) -> None:
    if name is not None:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path, templates) -> Store:
    """A migrated, empty store on each engine (a fresh copy per test)."""
    url, name = _copy(request, tmp_path, templates, seeded=False)
    s = open_store(url)
    yield s
    s.dispose()
    _drop(name)


@pytest.fixture(params=ENGINES)
def seeded(request: pytest.FixtureRequest, tmp_path: Path, templates) -> Store:
    """A store seeded with every company's reference data as of ``NOW``, a fresh copy per test and engine."""
    url, name = _copy(request, tmp_path, templates, seeded=True)
    s = open_store(url)
    yield s
    s.dispose()
    _drop(name)
