"""Working days in France: Monday to Friday, except the eleven public holidays of metropolitan France.

Used by the complaint deadlines ("J+1", "J+7", see docs/DECISIONS.md D7) and the delivery promise.
Pure stdlib; Easter is computed (anonymous Gregorian algorithm), so any year works.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Easter Sunday of ``year`` (Gregorian calendar, Meeus/Jones/Butcher algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[date]:
    """The French public holidays ("jours fériés") of ``year`` in metropolitan France (not Alsace-Moselle)."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    days = {date(year, m, d) for m, d in fixed}
    days |= {easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(days=50)}
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """True from Monday to Friday when the day is not a public holiday."""
    return day.weekday() < 5 and day not in public_holidays(day.year)


def next_working_day_on_or_after(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(day: date, count: int) -> date:
    """The working day ``count`` working days after ``day`` (``count`` ≥ 0).

    ``day`` is first moved to a working day (a complaint received on Saturday counts from Monday),
    so ``add_working_days(saturday, 0)`` is the next Monday.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    current = next_working_day_on_or_after(day)
    for _ in range(count):
        current = next_working_day_on_or_after(current + timedelta(days=1))
    return current
