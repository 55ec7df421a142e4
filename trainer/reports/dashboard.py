"""The class dashboard's figures, pure: scores over time, most broken rules, ERP indicators.

ERP indicators follow BRIEF §5.11 (the sources name them without formulas; the formulas are the
brief's inferred ones):

- **taux de réclamations** = complaints received in the period ÷ orders taken in the period × 100;
- **délai de traitement** = answer date − receipt date, in calendar days (mean and median over the
  complaints received in the period and answered);
- **délais tenus** = complaints answered on or before their Doc 8 customer deadline ÷ complaints
  whose deadline has passed or that were answered (a complaint still open past its deadline counts
  as missed);
- complaints per category, and the open complaints already late.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class DayScore:
    """The mean total of the sessions of one day."""

    day: date
    mean: float
    sessions: int


@dataclass(frozen=True)
class BrokenRule:
    """How often a charter rule was broken among the sessions where it applied."""

    id: str
    label: str
    violated: int
    applicable: int

    @property
    def rate(self) -> float:
        return self.violated / self.applicable if self.applicable else 0.0


@dataclass(frozen=True)
class StudentLine:
    """One student's sessions in the period."""

    student: str
    name: str
    sessions: int
    mean: float | None
    last: float | None


@dataclass(frozen=True)
class ComplaintKpis:
    """ERP indicators about complaints in the period (BRIEF §5.11)."""

    complaints: int
    orders: int
    answered: int
    mean_days: float | None
    median_days: float | None
    deadlines_due: int
    deadlines_met: int
    late_open: int
    by_category: dict[str, int] = field(default_factory=dict)

    @property
    def complaint_rate(self) -> float | None:
        """Complaints per 100 orders (None without orders)."""
        return 100 * self.complaints / self.orders if self.orders else None

    @property
    def deadlines_met_rate(self) -> float | None:
        return self.deadlines_met / self.deadlines_due if self.deadlines_due else None


def scores_by_day(sessions: Iterable[Any]) -> list[DayScore]:
    """Mean final total per day (Paris time) of the sessions that have one, oldest first.

    ``sessions`` are ``SessionSummary`` objects (``started_at``, ``final_total``).
    """
    per_day: dict[date, list[float]] = defaultdict(list)
    for s in sessions:
        total = s.final_total
        if total is None:
            continue
        per_day[s.started_at.astimezone(PARIS).date()].append(float(total))
    return [DayScore(day, round(statistics.fmean(values), 1), len(values)) for day, values in sorted(per_day.items())]


def broken_rules(
    scores: Iterable[dict[str, Any] | None], labels: dict[str, str] | None = None, *, limit: int | None = None
) -> list[BrokenRule]:
    """Charter rules by number of sessions where they were violated (most broken first)."""
    labels = labels or {}
    violated: Counter[str] = Counter()
    applicable: Counter[str] = Counter()
    seen_labels: dict[str, str] = {}
    for score in scores:
        if not score:
            continue
        for rule in score.get("rules", []) or []:
            rid = str(rule.get("id"))
            if rule.get("label"):
                seen_labels.setdefault(rid, str(rule["label"]))
            verdict = rule.get("verdict")
            if verdict == "not_applicable":
                continue
            applicable[rid] += 1
            if verdict == "violated":
                violated[rid] += 1
    result = [
        BrokenRule(rid, labels.get(rid) or seen_labels.get(rid) or rid, violated[rid], applicable[rid])
        for rid in applicable
        if violated[rid]
    ]
    result.sort(key=lambda r: (-r.violated, -r.rate, r.id))
    return result[:limit] if limit else result


def students(sessions: Iterable[Any]) -> list[StudentLine]:
    """Per student: sessions in the period, mean and last final total (by name)."""
    grouped: dict[str, list[Any]] = defaultdict(list)
    for s in sessions:
        grouped[s.student].append(s)
    lines = []
    for student, items in grouped.items():
        items.sort(key=lambda s: s.started_at)
        totals = [float(s.final_total) for s in items if s.final_total is not None]
        lines.append(
            StudentLine(
                student=student,
                name=items[-1].student_name,
                sessions=len(items),
                mean=round(statistics.fmean(totals), 1) if totals else None,
                last=totals[-1] if totals else None,
            )
        )
    return sorted(lines, key=lambda line: line.name.lower())


def _received_on(complaint: Any) -> date:
    return complaint.received_on


def complaint_kpis(
    complaints: Sequence[Any],
    orders: Sequence[Any],
    *,
    today: date,
    since: date | None = None,
    until: date | None = None,
) -> ComplaintKpis:
    """Indicators over complaints received and orders taken between ``since`` and ``until``
    (inclusive; open-ended when None). ``complaints`` are domain ``Complaint``s, ``orders`` domain
    ``Order``s."""

    def within(day: date) -> bool:
        return (since is None or day >= since) and (until is None or day <= until)

    period = [c for c in complaints if within(_received_on(c))]
    order_count = sum(1 for o in orders if within(o.created_at.astimezone(PARIS).date()))
    delays = [
        (c.answered_on - _received_on(c)).days for c in period if c.answered_on is not None
    ]
    due = met = 0
    for c in period:
        if c.answered_on is not None:
            due += 1
            if c.answered_on <= c.customer_deadline:
                met += 1
        elif c.customer_deadline < today:
            due += 1  # still unanswered past its deadline: missed
    late_open = sum(1 for c in complaints if c.is_overdue(today))
    by_category = Counter(str(c.category) for c in period)
    return ComplaintKpis(
        complaints=len(period),
        orders=order_count,
        answered=len(delays),
        mean_days=round(statistics.fmean(delays), 1) if delays else None,
        median_days=float(statistics.median(delays)) if delays else None,
        deadlines_due=due,
        deadlines_met=met,
        late_open=late_open,
        by_category=dict(by_category.most_common()),
    )


def period_start(today: date, days: int | None) -> date | None:
    """First day of a period of ``days`` days ending ``today`` (None: since the beginning)."""
    if days is None:
        return None
    from datetime import timedelta

    return today - timedelta(days=days - 1)


def start_of_day(day: date) -> datetime:
    """Midnight in Paris at the start of ``day`` (aware)."""
    return datetime(day.year, day.month, day.day, tzinfo=PARIS)
