"""Engines for the two supported databases, and French sentences for what can go wrong.

SQLite (the embedded default) is opened in WAL mode with foreign keys on and a busy timeout;
SQLAlchemy emits ``BEGIN`` itself so that a writing unit of work can start with ``BEGIN IMMEDIATE``
(two writers then never read the same counter row). PostgreSQL goes through psycopg 3.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import StaticPool

from trainer.errors import SetupError, UserError

SQLITE_BUSY_TIMEOUT_S = 30
PG_CONNECT_TIMEOUT_S = 5

# Execution option read by the ``begin`` hook below: "IMMEDIATE" for writers, "DEFERRED" otherwise.
BEGIN_MODE_OPTION = "trainer_sqlite_begin"

_PG_ALIASES = ("postgres", "postgresql", "postgresql+psycopg2", "postgresql+psycopg")


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a user: the password is hidden."""
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as typed, minus anything after ':' + '@'
        return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", str(url))
    return parsed.render_as_string(hide_password=True)


def parse_db_url(url: str) -> URL:
    """Parse and normalise a database URL, or raise ``UserError`` with one French sentence.

    ``postgres://`` and ``postgresql://`` (psycopg2's default) are read as psycopg 3, the driver the
    trainer installs. Only SQLite and PostgreSQL are supported.
    """
    text = (url or "").strip()
    if not text:
        raise UserError("URL de base de données vide : attendu sqlite:///chemin.db ou postgresql+psycopg://…")
    try:
        parsed = make_url(text)
    except (sa_exc.ArgumentError, ValueError):
        raise UserError(
            f"URL de base de données illisible « {safe_url(text)} » : attendu sqlite:///chemin/vers/fichier.db "
            "ou postgresql+psycopg://utilisateur@hôte:5432/base."
        ) from None
    backend = parsed.drivername
    if backend in _PG_ALIASES:
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend in ("sqlite", "sqlite+pysqlite"):
        parsed = parsed.set(drivername="sqlite+pysqlite")
    else:
        raise UserError(
            f"Moteur de base « {backend} » non pris en charge (URL « {safe_url(parsed)} ») : "
            "utilisez sqlite:///chemin.db ou postgresql+psycopg://…"
        )
    if parsed.drivername.startswith("postgresql") and not parsed.database:
        raise UserError(
            f"URL PostgreSQL sans nom de base « {safe_url(parsed)} » : ajoutez /nom_de_la_base à la fin."
        )
    return parsed


def _sqlite_file(url: URL) -> Path | None:
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with the trainer's settings (see module docstring)."""
    parsed = parse_db_url(url)
    if parsed.drivername.startswith("sqlite"):
        return _sqlite_engine(parsed)
    return create_engine(
        parsed,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=40,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, "application_name": "trainer"},
    )


def _sqlite_engine(parsed: URL) -> Engine:
    path = _sqlite_file(parsed)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}}
    if path is None:
        # An in-memory database lives as long as its one connection.
        kwargs["poolclass"] = StaticPool
    else:
        if not path.parent.exists():
            raise SetupError(
                f"Impossible d'ouvrir la base SQLite « {path} » : le dossier « {path.parent} » n'existe pas."
            )
        if path.exists() and path.is_dir():
            raise SetupError(f"Impossible d'ouvrir la base SQLite « {path} » : c'est un dossier, pas un fichier.")
    engine = create_engine(parsed, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN (see the begin hook) instead of the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                cursor.execute("PRAGMA journal_mode = WAL")
                # WAL + NORMAL survives a killed process; only a power cut may lose the last commit.
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(BEGIN_MODE_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line
    return type(orig).__name__


def describe_connect_error(exc: BaseException, url: str | URL) -> str:
    """One French sentence saying why the database at ``url`` could not be used."""
    shown = safe_url(url)
    detail = _first_line(exc)
    low = str(getattr(exc, "orig", None) or exc).lower()
    try:
        parsed = url if isinstance(url, URL) else make_url(url)
        host = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        dbname = parsed.database
    except Exception:  # noqa: BLE001
        host, dbname = "?", "?"
    if "sqlite" in shown.split(":", 1)[0]:
        if "file is not a database" in low or "not a database" in low:
            return f"Le fichier « {dbname} » n'est pas une base SQLite (URL « {shown} »)."
        if "unable to open" in low:
            return f"Impossible d'ouvrir le fichier SQLite « {dbname} » (droits ou dossier manquant)."
        if "locked" in low:
            return f"La base SQLite « {dbname} » est verrouillée par un autre programme ; réessayez dans un instant."
        return f"Base SQLite « {dbname} » inutilisable : {detail}"
    if "does not exist" in low and "database" in low:
        return (
            f"La base « {dbname} » n'existe pas sur le serveur PostgreSQL {host} : "
            f"créez-la (createdb {dbname}) ou corrigez l'URL « {shown} »."
        )
    if "connection refused" in low or "could not connect" in low or "no route" in low:
        return (
            f"Le serveur PostgreSQL {host} ne répond pas (connexion refusée) : "
            f"vérifiez qu'il est démarré et l'URL « {shown} »."
        )
    if "timeout" in low or "timed out" in low:
        return f"Le serveur PostgreSQL {host} ne répond pas (délai dépassé) : vérifiez le réseau et l'URL « {shown} »."
    if "could not translate host name" in low or "name or service not known" in low or "nodename" in low:
        return f"Nom de serveur inconnu dans l'URL « {shown} » : vérifiez l'hôte."
    if "password authentication failed" in low or "authentication" in low:
        return f"Le serveur PostgreSQL {host} refuse l'identifiant ou le mot de passe de l'URL « {shown} »."
    if "role" in low and "does not exist" in low:
        return f"L'utilisateur de l'URL « {shown} » n'existe pas sur le serveur PostgreSQL {host}."
    return f"Impossible d'utiliser la base « {shown} » : {detail}"


def sqlite_file_path(engine: Engine) -> Path | None:
    """The file of a SQLite engine (None for PostgreSQL or an in-memory database)."""
    if engine.dialect.name != "sqlite":
        return None
    return _sqlite_file(engine.url)


class WriterQueue:
    """Writers to one SQLite file wait their turn on an OS file lock before ``BEGIN IMMEDIATE``.

    SQLite's own busy handler makes a blocked writer sleep and poll (up to 100 ms a time), so with
    a whole class writing, the write lock often sits free while every writer sleeps. A blocking
    ``flock`` on a file beside the database wakes the next writer as soon as the lock is released.
    Threads of one process queue too (each takes its own file descriptor); a thread already in a
    writing unit of work does not queue twice. Where ``fcntl`` does not exist (Windows) SQLite's
    busy handler alone does the job.
    """

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".writers.lock")
        self._local = threading.local()
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            self._fcntl = None
        else:
            self._fcntl = fcntl

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the queue for one writing transaction."""
        if self._fcntl is None or getattr(self._local, "held", False):
            yield
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            # A read-only folder: no queue, SQLite's busy timeout still applies.
            yield
            return
        try:
            self._fcntl.flock(fd, self._fcntl.LOCK_EX)
            self._local.held = True
            try:
                yield
            finally:
                self._local.held = False
                self._fcntl.flock(fd, self._fcntl.LOCK_UN)
        finally:
            os.close(fd)
