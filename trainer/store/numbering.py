"""Readable unique numbers: ``CMD-2026-000123``, ``REC-2026-000045``, ``CLI-00042``...

Each series has one counter row. A number is taken inside the caller's transaction: the row is
locked (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the writing transaction began with
``BEGIN IMMEDIATE`` so it already holds the only write lock), incremented and released at commit.
A rolled-back transaction gives its number back, so numbers have no gaps from failed writes.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from trainer.store.tables import NumberCounter

# Yearly series (prefix -> digits) and plain series.
YEARLY_SERIES = {
    "CMD": 6,  # commande
    "REC": 6,  # réclamation
    "MSG": 6,  # message / demande de rappel
    "REL": 6,  # relance (reminder log)
    "AVI": 6,  # avis (review)
}
PLAIN_SERIES = {"CLI": 5, "FAC": 6}  # client numbers, invoice numbers

NUMBER_RE = re.compile(r"^(?P<prefix>[A-Z]{3})-(?:(?P<year>\d{4})-)?(?P<seq>\d+)$")


def series_key(prefix: str, year: int | None = None) -> str:
    """The counter row key: ``CMD-2026`` for yearly series, ``CLI`` for plain ones."""
    if prefix in YEARLY_SERIES:
        if year is None:
            raise ValueError(f"la série {prefix} est annuelle : année manquante")
        return f"{prefix}-{year:04d}"
    if prefix in PLAIN_SERIES:
        return prefix
    raise ValueError(f"série de numéros inconnue : {prefix}")


def format_number(prefix: str, value: int, year: int | None = None) -> str:
    """``format_number("CMD", 123, 2026) == "CMD-2026-000123"``; ``("CLI", 42) == "CLI-00042"``."""
    if prefix in YEARLY_SERIES:
        return f"{series_key(prefix, year)}-{value:0{YEARLY_SERIES[prefix]}d}"
    return f"{prefix}-{value:0{PLAIN_SERIES[prefix]}d}"


def parse_number(number: str) -> tuple[str, int | None, int] | None:
    """``"CMD-2026-000123"`` -> ``("CMD", 2026, 123)``; ``None`` when it is not one of ours."""
    m = NUMBER_RE.match(number.strip().upper())
    if not m:
        return None
    year = int(m["year"]) if m["year"] else None
    return m["prefix"], year, int(m["seq"])


def _ensure_row(session: Session, key: str) -> None:
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(NumberCounter).values(series=key, last_value=0).on_conflict_do_nothing(index_elements=["series"])
    session.execute(stmt)


def _locked_value(session: Session, key: str) -> int:
    """The counter's value, its row locked until the end of the transaction (created at 0 if new)."""
    stmt = select(NumberCounter.last_value).where(NumberCounter.series == key).with_for_update()
    current = session.execute(stmt).scalar_one_or_none()
    if current is None:
        # First number of the series (a new year): two writers may race here, hence ON CONFLICT.
        _ensure_row(session, key)
        current = session.execute(stmt).scalar_one()
    return current


def next_number(session: Session, *, prefix: str, on: date | None = None) -> str:
    """Take the next number of a series in the current transaction.

    ``on`` is the business date that gives the year of yearly series (Europe/Paris date of the
    event, supplied by the caller).
    """
    key = series_key(prefix, on.year if (on is not None and prefix in YEARLY_SERIES) else None)
    current = _locked_value(session, key)
    value = current + 1
    session.execute(update(NumberCounter).where(NumberCounter.series == key).values(last_value=value))
    year = on.year if prefix in YEARLY_SERIES and on is not None else None
    return format_number(prefix, value, year)


def bump_to_at_least(session: Session, *, number: str) -> None:
    """Make sure the series of ``number`` never hands it out again (used when seeding fixed numbers)."""
    parsed = parse_number(number)
    if parsed is None:
        return
    prefix, year, seq = parsed
    if prefix not in YEARLY_SERIES and prefix not in PLAIN_SERIES:
        return
    key = series_key(prefix, year)
    current = _locked_value(session, key)
    if seq > current:
        session.execute(update(NumberCounter).where(NumberCounter.series == key).values(last_value=seq))
