"""Schema migrations: from an empty database to the newest revision, and databases from the future."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from store_helpers import assert_one_line_error, invoke, run_trainer

from trainer.errors import SetupError
from trainer.store import open_store
from trainer.store.schema import head_revision, script_directory
from trainer.store.tables import Base


def test_upgrade_from_empty_creates_every_table(db_url: str) -> None:
    store = open_store(db_url)
    try:
        assert store.revision() is None
        before, after = store.init_schema()
        assert (before, after) == (None, head_revision())
        tables = set(inspect(store.engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        # Idempotent: a second run changes nothing.
        assert store.init_schema() == (head_revision(), head_revision())
    finally:
        store.dispose()


def test_migrations_match_the_table_classes(db_url: str) -> None:
    """Autogenerate finds nothing to do: every change to tables.py has its migration."""
    store = open_store(db_url)
    try:
        store.init_schema()
        with store.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        store.dispose()


def test_revisions_form_one_line() -> None:
    scripts = script_directory()
    assert len(scripts.get_heads()) == 1
    assert len(scripts.get_bases()) == 1


def _pretend_newer(db_url: str) -> None:
    store = open_store(db_url)
    try:
        store.init_schema()
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    finally:
        store.dispose()


def test_newer_schema_is_refused(db_url: str) -> None:
    _pretend_newer(db_url)
    with pytest.raises(SetupError, match="version plus récente du trainer"):
        open_store(db_url)


def test_newer_schema_is_refused_through_the_cli(db_url: str) -> None:
    _pretend_newer(db_url)
    # The console script itself once, then the other commands in-process.
    assert_one_line_error(run_trainer("db", "init", "--db", db_url), "version plus récente", "9999_from_the_future")
    for command in (["db", "seed"], ["erp", "clients"], ["erp", "orders"]):
        assert_one_line_error(invoke(*command, "--db", db_url), "version plus récente", "9999_from_the_future")
    # And the database was left as it was.
    store = open_store(db_url, check=False)
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_from_the_future"
    finally:
        store.dispose()


def test_db_init_through_the_cli(db_url: str) -> None:
    first = invoke("db", "init", "--db", db_url)
    assert first.returncode == 0, first.stderr
    assert "Schéma créé" in first.stdout
    second = invoke("db", "init", "--db", db_url)
    assert second.returncode == 0, second.stderr
    assert "déjà à jour" in second.stdout
