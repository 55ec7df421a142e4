"""Fixtures shared by every test layer.

``db_url`` runs a test on both engines: a fresh SQLite file and a fresh PostgreSQL database on the
server at ``TRAINER_TEST_PG_URL`` (default: the local server, user postgres). When that server is
unreachable the PostgreSQL variant is skipped with a message, unless ``TRAINER_REQUIRE_PG=1`` (CI),
where it fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

PG_ADMIN_URL = os.environ.get(
    "TRAINER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never let a test touch the real user's data directory or database."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("TRAINER_DATA_DIR", str(data))
    monkeypatch.setenv("TRAINER_SESSIONS_DIR", str(data / "sessions"))
    monkeypatch.delenv("TRAINER_DB_URL", raising=False)


def _pg_connect_admin():
    import psycopg

    dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    return psycopg.connect(dsn, autocommit=True, connect_timeout=3)


def _pg_available() -> str | None:
    try:
        with _pg_connect_admin():
            return None
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The admin URL of a reachable PostgreSQL server, or skip (fail in CI)."""
    problem = _pg_available()
    if problem:
        message = f"PostgreSQL unreachable at {PG_ADMIN_URL}: {problem}"
        if os.environ.get("TRAINER_REQUIRE_PG") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return PG_ADMIN_URL


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    name = f"trainer_test_{uuid.uuid4().hex[:12]}"
    with _pg_connect_admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = pg_server.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with _pg_connect_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file."""
    return f"sqlite:///{tmp_path / 'trainer-test.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """A fresh empty database on each engine in turn."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The project's shared/ folder (seeds, voice samples), beside the checkout."""
    return SHARED_DIR


SEED_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
"""A Monday morning: the databases of the call and golden tests are seeded as of this moment."""


def _seed(url: str) -> None:
    from trainer.store import open_store
    from trainer.store.seeding import seed_companies

    store = open_store(url)
    try:
        store.init_schema()
        seed_companies(store, now=SEED_NOW)
    finally:
        store.dispose()


@pytest.fixture(scope="session")
def seeded_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Databases seeded as of ``SEED_NOW``, built once per engine and run (seeding takes a moment).

    SQLite: a file to copy; PostgreSQL: a database to use with ``CREATE DATABASE … TEMPLATE``.
    """
    built: dict[str, str] = {}

    def get(kind: str) -> str:
        if kind not in built:
            if kind == "sqlite":
                path = tmp_path_factory.mktemp("seeded-template") / "seeded.db"
                _seed(f"sqlite:///{path}")
                built[kind] = str(path)
            else:
                name = f"trainer_seedtmpl_{uuid.uuid4().hex[:10]}"
                with _pg_connect_admin() as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
                _seed(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
                built[kind] = name
        return built[kind]

    yield get
    if "postgresql" in built:
        with _pg_connect_admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{built["postgresql"]}" WITH (FORCE)')


@pytest.fixture
def copy_seeded(seeded_templates: Callable[[str], str]) -> Callable[[str], None]:
    """Make a database URL (an empty test database) a copy of the seeded template of its engine."""

    def copy(db_url: str) -> None:
        if db_url.startswith("sqlite"):
            shutil.copyfile(seeded_templates("sqlite"), Path(db_url.removeprefix("sqlite:///")))
        else:
            name = db_url.rsplit("/", 1)[1]
            template = seeded_templates("postgresql")
            with _pg_connect_admin() as conn:
                conn.execute(f'DROP DATABASE "{name}"')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')

    return copy
