"""Review arithmetic, observer agreement and the dashboard figures (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from staff_helpers import WEIGHTS, make_score

from trainer.reports import dashboard as dash
from trainer.reports.grading import agreement, apply_review, format_total, percent
from trainer.store.reviews import Decision

PARIS = ZoneInfo("Europe/Paris")


def test_no_decision_keeps_the_automatic_total_exactly() -> None:
    score = make_score({"anticiper": 1})
    reviewed = apply_review(score, {}, weights=WEIGHTS)
    assert reviewed.adjusted_total == score["total"]
    assert not reviewed.changed
    # Even when the automatic total is not the grid mean (another engine, other terms), it stays.
    odd = dict(score, total=42.0)
    assert apply_review(odd, {}, weights=WEIGHTS).adjusted_total == 42.0


def test_adjusting_an_item_moves_the_total_by_its_weight() -> None:
    score = make_score()  # 19 judged items at 2/3, two of them weighing 2: total 66,7
    assert score["total"] == 66.7
    heavy = Decision("item", "respecter_charte", "adjust", reason="x", adjusted_level=3)
    light = Decision("item", "anticiper", "adjust", reason="x", adjusted_level=3)
    up_heavy = apply_review(score, [heavy], weights=WEIGHTS).adjusted_total
    up_light = apply_review(score, [light], weights=WEIGHTS).adjusted_total
    assert up_heavy == pytest.approx(66.7 + 100 * 2 * (1 / 3) / 21, abs=0.05)
    assert up_light == pytest.approx(66.7 + 100 * (1 / 3) / 21, abs=0.05)
    assert up_heavy > up_light > 66.7


def test_rejecting_an_item_takes_it_out_of_the_total() -> None:
    score = make_score({"anticiper": 0})
    reviewed = apply_review(score, [Decision("item", "anticiper", "reject", reason="Non observable")], weights=WEIGHTS)
    assert reviewed.item("anticiper").final_level is None
    assert reviewed.adjusted_total == pytest.approx(100 * 2 / 3, abs=0.05)  # every remaining item at 2/3


def test_rule_decisions_change_the_verdict_not_the_total() -> None:
    score = make_score(violated={"accueil.vouvoiement"})
    decisions = [
        Decision("rule", "accueil.vouvoiement", "reject", reason="Citation"),
        Decision("rule", "accueil.formule", "adjust", reason="Prénom absent", adjusted_verdict="violated"),
    ]
    reviewed = apply_review(score, decisions, weights=WEIGHTS)
    assert reviewed.rule("accueil.vouvoiement").final_verdict == "not_applicable"
    assert reviewed.rule("accueil.formule").final_verdict == "violated"
    assert reviewed.adjusted_total == score["total"]
    assert reviewed.changed


def test_a_typed_total_wins() -> None:
    reviewed = apply_review(make_score(), [], weights=WEIGHTS, total_override=80)
    assert reviewed.adjusted_total == 80.0


def test_agreement_exact_within_one_and_not_compared() -> None:
    score = make_score({"image_valorisante": 2, "adaptation_interlocuteur": 2, "registre_langage": 2})
    observer = {"image_valorisante": 3, "adaptation_interlocuteur": 2, "poser_sa_voix": 1, "registre_langage": 0,
                "anticiper": None}
    result = agreement(observer, score)
    assert (result.compared, result.exact, result.within_one) == (3, 1, 2)
    assert percent(result.exact_rate) == "33\u00a0%"
    marks = {i.id: i.mark for i in result.items}
    assert marks["image_valorisante"] == "≈" and marks["adaptation_interlocuteur"] == "="
    assert marks["registre_langage"] == "≠" and marks["poser_sa_voix"] == ""  # the machine did not judge it
    assert "Accord exact 1/3" in result.summary()
    assert "plus bas" in result.summary()  # (+1 + 0 − 2) / 3
    assert agreement({}, score).summary().startswith("Aucun item")


def test_format_total_is_french() -> None:
    assert format_total(72.5) == "72,5" and format_total(None) == "—"


@dataclass
class _Session:
    student: str
    student_name: str
    started_at: datetime
    final_total: float | None


def test_scores_by_day_and_students() -> None:
    t0 = datetime(2026, 11, 22, 23, 30, tzinfo=PARIS)
    sessions = [
        _Session("a", "Alice", t0, 60.0),
        _Session("a", "Alice", t0 + timedelta(hours=1), 80.0),  # the next day in Paris
        _Session("b", "Bruno", t0 + timedelta(hours=2), 70.0),
        _Session("b", "Bruno", t0 + timedelta(hours=3), None),
    ]
    days = dash.scores_by_day(sessions)
    assert [(d.day, d.mean, d.sessions) for d in days] == [(date(2026, 11, 22), 60.0, 1), (date(2026, 11, 23), 75.0, 2)]
    students = dash.students(sessions)
    assert [(s.name, s.sessions, s.mean, s.last) for s in students] == [("Alice", 2, 70.0, 80.0), ("Bruno", 2, 70.0, 70.0)]


def test_broken_rules_count_only_where_they_apply() -> None:
    scores = [make_score(violated={"accueil.vouvoiement"}), make_score(violated={"accueil.vouvoiement", "echange.reclamation_opportunite"}), make_score(), None]
    rules = dash.broken_rules(scores)
    assert [(r.id, r.violated, r.applicable) for r in rules] == [
        ("accueil.vouvoiement", 2, 3),
        ("echange.reclamation_opportunite", 1, 1),  # not applicable in the two other calls
    ]


@dataclass
class _Complaint:
    received_at: datetime
    customer_deadline: date
    answered_on: date | None
    category: str
    overdue: bool = False

    @property
    def received_on(self) -> date:
        return self.received_at.astimezone(PARIS).date()

    def is_overdue(self, today: date) -> bool:
        return self.answered_on is None and today > self.customer_deadline


@dataclass
class _Order:
    created_at: datetime


def test_complaint_kpis() -> None:
    today = date(2026, 11, 23)

    def at(d: int) -> datetime:
        return datetime(2026, 11, d, 10, tzinfo=PARIS)

    complaints = [
        _Complaint(at(10), date(2026, 11, 12), date(2026, 11, 11), "livraison_avarie"),  # 1 day, on time
        _Complaint(at(12), date(2026, 11, 13), date(2026, 11, 17), "livraison_avarie"),  # 5 days, late
        _Complaint(at(16), date(2026, 11, 18), None, "technique_qualite"),  # open and late
        _Complaint(at(1), date(2026, 11, 3), date(2026, 11, 2), "e_reputation"),  # before the period
    ]
    orders = [_Order(at(d)) for d in (5, 9, 11, 15, 20)]
    k = dash.complaint_kpis(complaints, orders, today=today, since=date(2026, 11, 5), until=today)
    assert (k.complaints, k.orders) == (3, 5)
    assert k.complaint_rate == pytest.approx(60.0)
    assert (k.answered, k.mean_days, k.median_days) == (2, 3.0, 3.0)
    assert (k.deadlines_met, k.deadlines_due) == (1, 3)
    assert k.late_open == 1
    assert k.by_category == {"livraison_avarie": 2, "technique_qualite": 1}
    assert dash.complaint_kpis([], [], today=today).complaint_rate is None
