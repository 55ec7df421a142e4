"""Schema versions: Alembic run programmatically, and the refusal of databases from the future."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, func, select

from trainer.errors import SetupError
from trainer.store.engine import BEGIN_MODE_OPTION, safe_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant key for pg_advisory_xact_lock: one schema upgrade / seeding at a time per server.
PG_SCHEMA_LOCK_KEY = 7_305_411_002


def alembic_config() -> Config:
    """An Alembic configuration pointing to the migrations inside the package (no alembic.ini)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    return cfg


def script_directory() -> ScriptDirectory:
    """The revisions this code knows."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    head = script_directory().get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision recorded in the database, ``None`` for an empty database."""
    return MigrationContext.configure(conn).get_current_revision()


def check_known_revision(conn: Connection, url: str) -> str | None:
    """Return the database's revision, or refuse a database written by a newer trainer."""
    rev = current_revision(conn)
    if rev is None:
        return None
    known = {s.revision for s in script_directory().walk_revisions()}
    if rev not in known:
        raise SetupError(
            f"La base « {safe_url(url)} » a été créée par une version plus récente du trainer "
            f"(révision de schéma « {rev} » inconnue ici) : mettez le trainer à jour avant de l'utiliser."
        )
    return rev


def lock_for_schema_work(conn: Connection) -> None:
    """Serialise schema upgrades and seeding between processes (PostgreSQL advisory lock).

    On SQLite the caller's transaction began with ``BEGIN IMMEDIATE``, which already excludes any
    other writer.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(PG_SCHEMA_LOCK_KEY)))


def upgrade_to_head(engine: Engine, url: str) -> tuple[str | None, str]:
    """Migrate the database to the newest revision in one transaction; returns (before, after)."""
    write_engine = engine.execution_options(**{BEGIN_MODE_OPTION: "IMMEDIATE"})
    with write_engine.begin() as conn:
        lock_for_schema_work(conn)
        before = check_known_revision(conn, url)
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        after = current_revision(conn)
    assert after is not None
    return before, after
