"""Alembic environment.

The trainer runs migrations itself (``trainer db init``, ``ensure_ready``) and hands over its own
connection, already inside a transaction (and, on PostgreSQL, holding an advisory lock), through
``config.attributes["connection"]``. For developers, ``.venv/bin/python -m trainer.store.migrations
revision -m "…"`` generates a new revision against ``TRAINER_DB_URL`` or the embedded database.
"""

from __future__ import annotations

from alembic import context

from trainer.store.tables import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite rebuilds tables to ALTER them
        compare_type=True,
        user_module_prefix="trainer.store.types.",
    )


connection = config.attributes.get("connection")
if connection is None:
    from trainer.paths import resolve_db_url
    from trainer.store.engine import make_engine

    engine = make_engine(resolve_db_url(None))
    with engine.begin() as conn:
        _configure(conn)
        context.run_migrations()
    engine.dispose()
else:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
