"""Column types that behave the same on SQLite and PostgreSQL.

- ``AwareDateTime``: timezone-aware datetimes in, timezone-aware datetimes out. PostgreSQL keeps
  ``timestamptz``; SQLite has no time zones, so values are stored in UTC and read back as UTC.
- ``MoneyType`` / ``RateType``: ``Decimal`` in and out, ``NUMERIC(12, 2)`` / ``NUMERIC(6, 4)`` in the
  schema. SQLite stores numerics as binary floats; amounts of at most 12 digits survive the round trip
  exactly once re-quantised to their scale, which the type does on read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class AwareDateTime(TypeDecorator[datetime]):
    """A ``TIMESTAMP WITH TIME ZONE`` that refuses naive datetimes (they would be ambiguous)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"date et heure sans fuseau horaire refusée : {value.isoformat()}")
        utc = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return utc.replace(tzinfo=None)
        return utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class _ScaledDecimal(TypeDecorator[Decimal]):
    impl = Numeric
    cache_ok = True
    precision = 12
    scale = 2

    def __init__(self) -> None:
        super().__init__(precision=self.precision, scale=self.scale)
        self._quantum = Decimal(1).scaleb(-self.scale)

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            # Handled here rather than by Numeric's float conversion (and its warning).
            return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=False))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            raise ValueError("montant flottant refusé : utilisez Decimal")
        amount = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return str(amount)
        return amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, float):
            return Decimal(f"{value:.{self.scale}f}")
        return Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)


class MoneyType(_ScaledDecimal):
    """An amount in euros, ``NUMERIC(12, 2)``."""

    cache_ok = True
    precision = 12
    scale = 2


class RateType(_ScaledDecimal):
    """A rate such as a discount (``0.2000``), ``NUMERIC(6, 4)``."""

    cache_ok = True
    precision = 6
    scale = 4
