"""Fixtures shared by every test layer.

``db_url`` runs a test on both engines: a fresh SQLite file and a fresh PostgreSQL database on the
server at ``TRAINER_TEST_PG_URL`` (default: the local server, user postgres). When that server is
unreachable the PostgreSQL variant is skipped with a message, unless ``TRAINER_REQUIRE_PG=1`` (CI),
where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

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
