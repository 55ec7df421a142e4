"""Fixtures of the store tests: migrated stores and seeded stores on both engines.

Seeding takes a moment, so each engine is seeded once per test run into a template (a SQLite file;
a PostgreSQL database used with ``CREATE DATABASE … TEMPLATE``) and every test gets its own copy.
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


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


@pytest.fixture
def store(db_url: str):
    """A migrated, empty store on each engine."""
    s = open_store(db_url)
    s.init_schema()
    yield s
    s.dispose()


def _seed(url: str) -> None:
    s = open_store(url)
    try:
        s.init_schema()
        seed_companies(s, now=NOW, loader=cached_company)
    finally:
        s.dispose()


@pytest.fixture(scope="session")
def seeded_templates(tmp_path_factory: pytest.TempPathFactory):
    """Builds (once per engine and run) a database seeded as of ``NOW``; returns a getter."""
    built: dict[str, str] = {}

    def get(kind: str) -> str:
        if kind not in built:
            if kind == "sqlite":
                path = tmp_path_factory.mktemp("template") / "seeded.db"
                _seed(f"sqlite:///{path}")
                built[kind] = str(path)
            else:
                name = f"trainer_tmpl_{uuid.uuid4().hex[:10]}"
                with _pg_admin() as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                _seed(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
                built[kind] = name
        return built[kind]

    yield get
    if "postgresql" in built:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{built["postgresql"]}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path, seeded_templates) -> Store:
    """A store seeded with every company's reference data as of ``NOW``, a fresh copy per test and engine."""
    if request.param == "sqlite":
        path = tmp_path / "seeded-copy.db"
        shutil.copyfile(seeded_templates("sqlite"), path)
        url = f"sqlite:///{path}"
        name = None
    else:
        request.getfixturevalue("pg_server")  # skips (or fails in CI) when the server is down
        name = f"trainer_test_{uuid.uuid4().hex[:12]}"
        with _pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{seeded_templates("postgresql")}"')
        url = f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    s = open_store(url)
    yield s
    s.dispose()
    if name is not None:
        with _pg_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
