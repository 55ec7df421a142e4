"""The arithmetic of reviews, pure: a teacher's decisions applied to a score, and observer agreement.

**Adjusted total.** The automatic total (CONTRACT §5, 0–100) comes from the scoring engine. A
teacher's decisions change item levels: *adjust* gives a new level, *reject* takes the item out of
the total (the machine could not judge it fairly), *accept* keeps it. The adjusted total moves the
automatic total by exactly what the changed items weigh in the grid::

    adjusted = automatic + 100 × (Σ wᵢ·ℓᵢ'/mᵢ / Σ wᵢ' − Σ wᵢ·ℓᵢ/mᵢ / Σ wᵢ)

where ℓ/ℓ' are the levels before/after the decisions, m the item's highest level and w its weight
in the grid (1 when unknown); sums run over the items that count (a level that is not None). With
no change the adjusted total *is* the automatic one, whatever else the scoring engine folds into its
total. A total typed by the teacher (with a reason) replaces the computed one. Rule verdicts can be
adjusted or rejected too: they are the evidence of the items, shown as decided, and the teacher
adjusts the items they feed (``linked_items`` names them) rather than the total silently moving.

**Agreement.** An observer's grid is compared item by item with the automatic levels: *exact* when
the levels are equal, *within one* when they differ by at most one level (the usual tolerance of
double marking on a 0–3 scale). Items one side left blank are not compared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

VERDICT_LABELS: dict[str, str] = {
    "respected": "respectée",
    "violated": "non respectée",
    "not_applicable": "sans objet",
}
DECISION_LABELS: dict[str, str] = {"accept": "validé", "adjust": "ajusté", "reject": "rejeté"}


class DecisionLike(Protocol):
    """What ``apply_review`` reads of a decision (``trainer.store.reviews.Decision`` fits)."""

    kind: str
    criterion_id: str
    decision: str
    reason: str | None
    adjusted_level: int | None
    adjusted_verdict: str | None


@dataclass(frozen=True)
class ReviewedRule:
    """A charter rule: the machine's verdict, the teacher's decision and the verdict that stands."""

    id: str
    label: str
    automatic_verdict: str
    final_verdict: str
    decision: str | None
    reason: str | None
    turns: tuple[int, ...]
    advice: str

    @property
    def changed(self) -> bool:
        return self.final_verdict != self.automatic_verdict


@dataclass(frozen=True)
class ReviewedItem:
    """A grid item: the machine's level, the teacher's decision and the level that stands."""

    id: str
    label: str
    section: str | None
    automatic_level: int | None
    final_level: int | None
    max_level: int
    decision: str | None
    reason: str | None
    comment: str
    turns: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        return self.final_level != self.automatic_level or self.decision == "reject"


@dataclass(frozen=True)
class ReviewedScore:
    """A score once the teacher's decisions are applied."""

    grid: str
    automatic_total: float | None
    adjusted_total: float | None
    total_override: float | None
    rules: tuple[ReviewedRule, ...]
    items: tuple[ReviewedItem, ...]

    @property
    def changed(self) -> bool:
        """True when the teacher changed anything that shows (a level, a verdict, the total)."""
        return (
            any(r.changed for r in self.rules)
            or any(i.changed for i in self.items)
            or self.total_override is not None
        )

    def item(self, item_id: str) -> ReviewedItem:
        """One item (KeyError when absent)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def rule(self, rule_id: str) -> ReviewedRule:
        """One rule (KeyError when absent)."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _weighted_share(levels: Iterable[tuple[int | None, int, float]]) -> float | None:
    """Σ w·ℓ/m ÷ Σ w over the items that count (None when none counts)."""
    num = den = 0.0
    for level, max_level, weight in levels:
        if level is None or max_level <= 0:
            continue
        num += weight * level / max_level
        den += weight
    return num / den if den else None


def round_total(value: float) -> float:
    """Totals are shown and stored to one decimal, clamped to 0–100."""
    return round(min(100.0, max(0.0, value)) + 0.0, 1)


def adjusted_total(
    automatic_total: float | None,
    before: Iterable[tuple[int | None, int, float]],
    after: Iterable[tuple[int | None, int, float]],
) -> float | None:
    """The automatic total moved by the weight of the changed items (see the module docstring)."""
    share_before = _weighted_share(before)
    share_after = _weighted_share(after)
    if automatic_total is None:
        # No automatic total to move: the teacher's levels make the total on their own.
        return round_total(100 * share_after) if share_after is not None else None
    if share_before is None or share_after is None:
        return round_total(100 * share_after) if share_after is not None else round_total(automatic_total)
    return round_total(automatic_total + 100 * (share_after - share_before))


def apply_review(
    score: Mapping[str, Any],
    decisions: Mapping[tuple[str, str], DecisionLike] | Iterable[DecisionLike],
    *,
    weights: Mapping[str, float] | None = None,
    labels: Mapping[str, str] | None = None,
    total_override: float | None = None,
) -> ReviewedScore:
    """Apply a teacher's decisions to a score document (CONTRACT §5 JSON).

    ``weights`` are the grid's item weights (1 when missing); ``labels`` French labels of rules and
    items when the score document has none.
    """
    by_key: dict[tuple[str, str], DecisionLike] = (
        dict(decisions) if isinstance(decisions, Mapping) else {(d.kind, d.criterion_id): d for d in decisions}
    )
    weights = weights or {}
    labels = labels or {}
    rules: list[ReviewedRule] = []
    for rule in score.get("rules", []) or []:
        rid = str(rule.get("id"))
        auto = str(rule.get("verdict"))
        d = by_key.get(("rule", rid))
        final = auto
        if d is not None and d.decision == "adjust" and d.adjusted_verdict:
            final = d.adjusted_verdict
        elif d is not None and d.decision == "reject":
            final = "not_applicable"
        rules.append(
            ReviewedRule(
                id=rid,
                label=str(rule.get("label") or labels.get(rid) or rid),
                automatic_verdict=auto,
                final_verdict=final,
                decision=d.decision if d else None,
                reason=d.reason if d else None,
                turns=tuple(int(t) for t in rule.get("turns", []) or []),
                advice=str(rule.get("advice") or ""),
            )
        )
    items: list[ReviewedItem] = []
    before: list[tuple[int | None, int, float]] = []
    after: list[tuple[int | None, int, float]] = []
    for item in score.get("items", []) or []:
        iid = str(item.get("id"))
        auto_level = item.get("level")
        auto_level = int(auto_level) if isinstance(auto_level, int | float) else None
        max_level = int(item.get("max_level") or 3)
        d = by_key.get(("item", iid))
        final = auto_level
        if d is not None and d.decision == "adjust" and d.adjusted_level is not None:
            final = int(d.adjusted_level)
        elif d is not None and d.decision == "reject":
            final = None
        weight = float(weights.get(iid, 1.0))
        before.append((auto_level, max_level, weight))
        after.append((final, max_level, weight))
        items.append(
            ReviewedItem(
                id=iid,
                label=str(item.get("label") or labels.get(iid) or iid),
                section=item.get("section"),
                automatic_level=auto_level,
                final_level=final,
                max_level=max_level,
                decision=d.decision if d else None,
                reason=d.reason if d else None,
                comment=str(item.get("comment") or ""),
                turns=tuple(int(t) for t in item.get("turns", []) or []),
            )
        )
    auto_total = score.get("total")
    auto_total = float(auto_total) if isinstance(auto_total, int | float) else None
    computed = adjusted_total(auto_total, before, after)
    final_total = round_total(total_override) if total_override is not None else computed
    return ReviewedScore(
        grid=str(score.get("grid") or ""),
        automatic_total=auto_total,
        adjusted_total=final_total,
        total_override=total_override,
        rules=tuple(rules),
        items=tuple(items),
    )


def linked_items(rule_id: str, draws_on: Mapping[str, Iterable[str]]) -> list[str]:
    """The grid items that draw on charter rule ``rule_id`` (``draws_on``: item id → rule ids)."""
    return [item for item, rules in draws_on.items() if rule_id in set(rules)]


# -- observer agreement ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemAgreement:
    """One item seen by the observer and by the machine."""

    id: str
    label: str
    observer_level: int | None
    automatic_level: int | None
    max_level: int

    @property
    def compared(self) -> bool:
        """Both sides gave a level."""
        return self.observer_level is not None and self.automatic_level is not None

    @property
    def difference(self) -> int | None:
        """Observer minus machine (None when not compared)."""
        if not self.compared:
            return None
        return int(self.observer_level) - int(self.automatic_level)  # type: ignore[arg-type]

    @property
    def exact(self) -> bool:
        return self.compared and self.difference == 0

    @property
    def within_one(self) -> bool:
        return self.compared and abs(self.difference or 0) <= 1

    @property
    def mark(self) -> str:
        """``=`` exact, ``≈`` within one level, ``≠`` further apart, blank when not compared."""
        if not self.compared:
            return ""
        return "=" if self.exact else ("≈" if self.within_one else "≠")


@dataclass(frozen=True)
class Agreement:
    """How far an observer's grid agrees with the machine's levels."""

    items: tuple[ItemAgreement, ...] = field(default_factory=tuple)

    @property
    def compared(self) -> int:
        """Items both sides graded."""
        return sum(1 for i in self.items if i.compared)

    @property
    def exact(self) -> int:
        return sum(1 for i in self.items if i.exact)

    @property
    def within_one(self) -> int:
        return sum(1 for i in self.items if i.within_one)

    @property
    def exact_rate(self) -> float | None:
        """Share of the compared items graded identically (None when nothing to compare)."""
        return self.exact / self.compared if self.compared else None

    @property
    def within_one_rate(self) -> float | None:
        """Share of the compared items at most one level apart."""
        return self.within_one / self.compared if self.compared else None

    @property
    def mean_difference(self) -> float | None:
        """Mean of observer − machine: positive when the observer is more generous."""
        diffs = [i.difference for i in self.items if i.difference is not None]
        return sum(diffs) / len(diffs) if diffs else None

    def summary(self) -> str:
        """One French sentence: « Accord exact 12/19 (63 %), à un niveau près 18/19 (95 %). »"""
        if not self.compared:
            return "Aucun item noté des deux côtés : pas d'accord à mesurer."
        exact = percent(self.exact_rate)
        near = percent(self.within_one_rate)
        sentence = (
            f"Accord exact {self.exact}/{self.compared} ({exact}), "
            f"à un niveau près {self.within_one}/{self.compared} ({near})."
        )
        mean = self.mean_difference
        if mean is not None and abs(mean) >= 0.05:
            who = "l'observateur note plus haut" if mean > 0 else "l'observateur note plus bas"
            shift = f"{mean:+.1f}".replace(".", ",")
            sentence += f" En moyenne, {who} que la machine ({shift} niveau)."
        return sentence


def agreement(
    observer_levels: Mapping[str, int | None],
    score: Mapping[str, Any],
    *,
    labels: Mapping[str, str] | None = None,
) -> Agreement:
    """Compare an observer's levels (item id → level) with the automatic items of ``score``."""
    labels = labels or {}
    rows: list[ItemAgreement] = []
    seen: set[str] = set()
    for item in score.get("items", []) or []:
        iid = str(item.get("id"))
        seen.add(iid)
        auto = item.get("level")
        rows.append(
            ItemAgreement(
                id=iid,
                label=str(item.get("label") or labels.get(iid) or iid),
                observer_level=observer_levels.get(iid),
                automatic_level=int(auto) if isinstance(auto, int | float) else None,
                max_level=int(item.get("max_level") or 3),
            )
        )
    for iid, level in observer_levels.items():
        if iid not in seen:
            rows.append(ItemAgreement(iid, labels.get(iid, iid), level, None, 3))
    return Agreement(items=tuple(rows))


def percent(rate: float | None) -> str:
    """``0.625`` → ``63 %`` (French spacing); ``—`` for None."""
    if rate is None:
        return "—"
    return f"{round(rate * 100):d}\u00a0%"


def format_total(value: float | None) -> str:
    """A total as French text: ``72,5`` (``—`` when None)."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",")
