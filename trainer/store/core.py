"""The ``Store``: one database, its schema, and units of work (one transaction each)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TypeVar

from sqlalchemy import Engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from trainer.errors import SetupError, UserError
from trainer.paths import resolve_db_url
from trainer.store import schema
from trainer.store.engine import (
    BEGIN_MODE_OPTION,
    WriterQueue,
    describe_connect_error,
    make_engine,
    safe_url,
    sqlite_file_path,
)

T = TypeVar("T")

# SQLSTATEs PostgreSQL uses for "try again": serialization failure, deadlock.
_PG_RETRY_STATES = {"40001", "40P01"}


def is_transient(exc: BaseException) -> bool:
    """True when a failed transaction may simply be run again (lock contention)."""
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None)
    if state in _PG_RETRY_STATES:
        return True
    if isinstance(exc, sa_exc.OperationalError):
        low = str(orig or exc).lower()
        return "database is locked" in low or "database is busy" in low or "database table is locked" in low
    return False


class Store:
    """A database the trainer can read and write (see ``open_store``)."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.dialect = engine.dialect.name
        self._write_engine = engine.execution_options(**{BEGIN_MODE_OPTION: "IMMEDIATE"})
        path = sqlite_file_path(engine)
        self._writers = WriterQueue(path) if path is not None and os.environ.get("TRAINER_NO_WRITER_QUEUE") != "1" else None

    def __repr__(self) -> str:
        return f"Store({safe_url(self.url)!r})"

    # -- transactions ---------------------------------------------------------------------------

    @contextmanager
    def unit_of_work(self, *, write: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back entirely on any error.

        A writing unit of work on SQLite starts with ``BEGIN IMMEDIATE`` (it takes the write lock at
        once, so two writers never read the same counter row).
        """
        bind = self._write_engine if write else self.engine
        session = Session(bind=bind, expire_on_commit=False, autoflush=True)
        queue = self._writers.hold() if (write and self._writers is not None) else nullcontext()
        try:
            with queue, self._translate_errors():
                session.begin()
                yield session
                if write:
                    session.commit()
                # A read-only unit ends with close(): objects read stay usable (rollback would expire them).
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def read(self) -> AbstractContextManager[Session]:
        """A read-only unit of work (rolled back at the end)."""
        return self.unit_of_work(write=False)

    def run(self, work: Callable[[Session], T], *, attempts: int = 12) -> T:
        """Run ``work(session)`` in one writing transaction, again when it met lock contention.

        ``work`` must have no side effect outside the database: it may run several times.
        """
        for attempt in range(1, attempts + 1):
            try:
                with self.unit_of_work(write=True) as session:
                    return work(session)
            except _Transient as exc:
                if attempt == attempts:
                    raise SetupError(
                        f"La base « {safe_url(self.url)} » est trop occupée (écriture refusée {attempts} fois) : "
                        "réessayez dans un instant."
                    ) from exc.__cause__
                # Jittered back-off so that a whole class of writers does not retry in step.
                time.sleep(min(0.5, 0.01 * 2**attempt) * random.random())
        raise AssertionError("unreachable")

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        try:
            yield
        except UserError:
            raise
        except sa_exc.DBAPIError as exc:
            if is_transient(exc):
                raise _Transient() from exc
            # Plain DatabaseError: SQLite's "file is not a database" and similar.
            if type(exc) is sa_exc.DatabaseError or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError):
                raise SetupError(describe_connect_error(exc, self.url)) from None
            raise

    # -- schema ---------------------------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision recorded in the database (``None``: empty database)."""
        with self._translate_errors(), self.engine.connect() as conn:
            return schema.check_known_revision(conn, self.url)

    def needs_upgrade(self) -> bool:
        """True when the schema is missing or older than this code."""
        return self.revision() != schema.head_revision()

    def init_schema(self) -> tuple[str | None, str]:
        """Create or upgrade the schema to the newest revision (idempotent); returns (before, after)."""
        with self._translate_errors():
            return schema.upgrade_to_head(self.engine, self.url)

    def require_schema(self) -> None:
        """Refuse to work on a database whose schema is missing or older than this code."""
        rev = self.revision()
        if rev is None:
            raise SetupError(
                f"La base « {safe_url(self.url)} » est vide : lancez « trainer db init » puis « trainer db seed »."
            )
        if rev != schema.head_revision():
            raise SetupError(
                f"Le schéma de la base « {safe_url(self.url)} » est ancien (révision {rev}) : lancez « trainer db init »."
            )

    def seed(self, companies: list[str] | None = None) -> list:
        """Load the companies' reference data (idempotent); see ``trainer.store.seeding``."""
        from trainer.store.seeding import seed_companies

        return seed_companies(self, companies=companies)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


class _Transient(Exception):
    """Internal: the transaction met lock contention and may be retried."""


def open_store(url: str | None = None, *, check: bool = True) -> Store:
    """Open the database at ``url`` (``--db``, else ``TRAINER_DB_URL``, else the embedded SQLite file).

    With ``check`` (the default) the database is reached once: an unreachable server or a database
    written by a newer trainer raises ``SetupError`` with one French sentence.
    """
    resolved = resolve_db_url(url)
    engine = make_engine(resolved)
    store = Store(resolved, engine)
    if check:
        try:
            store.revision()
        except BaseException:
            engine.dispose()
            raise
    return store


def ping(store: Store) -> None:
    """Reach the database once (raises ``SetupError`` when it cannot be used)."""
    with store._translate_errors(), store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
