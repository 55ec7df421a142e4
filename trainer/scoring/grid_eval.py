"""Levels of a grid's items from the rule verdicts and the call facts.

Each item lists its criteria (``draws_on``). A rule counts 1 when respected, 0 when violated and is
left out when not applicable; a fact gives its own value between 0 and 1 or is left out. The item's
level follows the weighted share of criteria met, through the grid's ``level_thresholds``
(by default 95 % → 3, 66 % → 2, 33 % → 1, below → 0). A failed ``critical`` criterion caps the
level at 1. When nothing can be judged the level is ``None`` and the comment says why.

The total (0–100) is the weighted mean of ``level / max_level`` over the judged items.
"""

from __future__ import annotations

from trainer.content.grids import Grid, GridItem, load_grid
from trainer.scoring.facts import FACT_NAMES, FactResult
from trainer.scoring.feedback import RULE_LABELS, VERDICT_FR, sentence
from trainer.scoring.models import CriterionResult, ItemResult, RuleResult
from trainer.scoring.rules import RULE_IDS

_GRIDS: dict[str, Grid] = {}


def get_grid(grid_id: str) -> Grid:
    """Load (once per process and file version) and validate a grid against the known rules and facts."""
    from trainer.content.grids import grid_path

    path = grid_path(grid_id)
    try:
        stamp = f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        stamp = str(path)
    cached = _GRIDS.get(stamp)
    if cached is None:
        cached = load_grid(grid_id, rules=set(RULE_IDS), facts=set(FACT_NAMES))
        _GRIDS[stamp] = cached
    return cached


def grid_fact_names(grid: Grid) -> set[str]:
    """Every fact a grid draws on."""
    return {c.fact for _s, item in grid.items() for c in item.draws_on if c.fact}


def _rule_note(result: RuleResult) -> str:
    label = RULE_LABELS.get(result.id, result.id)
    return f"{label} : {VERDICT_FR[result.verdict]}"


def _level(share: float, grid: Grid) -> int:
    for offset, threshold in enumerate(grid.level_thresholds):
        if share >= threshold - 1e-9:
            return grid.max_level - offset
    return 0


def evaluate_item(grid: Grid, section_title: str, item: GridItem, rules: dict[str, RuleResult],
                  facts: dict[str, FactResult]) -> ItemResult:
    """One item: its criteria, level and French comment."""
    criteria: list[CriterionResult] = []
    turns: list[int] = []
    judged: list[CriterionResult] = []
    gates_closed: list[CriterionResult] = []
    for c in item.draws_on:
        if c.rule is not None:
            r = rules[c.rule]
            value = None if r.verdict == "not_applicable" else (1.0 if r.verdict == "respected" else 0.0)
            note = _rule_note(r)
            if r.verdict == "violated":
                turns.extend(r.turns)
            key = "rule:" + c.rule
        else:
            f = facts[c.fact or ""]
            value = f.value
            note = f.note
            if value is not None and value < 1:
                turns.extend(f.turns)
            key = "fact:" + (c.fact or "")
        # Built here from validated grid data: constructed without re-validation (speed).
        crit = CriterionResult.model_construct(source=key, value=value, weight=c.weight, critical=c.critical, note=note)
        criteria.append(crit)
        if value is not None:
            judged.append(crit)
        elif c.gate:
            gates_closed.append(crit)
    if not judged or gates_closed:
        why = item.not_judged or "; ".join(dict.fromkeys(c.note for c in (gates_closed or criteria)))
        return ItemResult.model_construct(
            id=item.id, level=None, max_level=grid.max_level, label=item.label, section=section_title,
            comment=sentence(f"Non évalué : {why}"), turns=[], criteria=criteria,
        )
    total_weight = sum(c.weight for c in judged)
    share = sum(c.weight * (c.value or 0.0) for c in judged) / total_weight
    level = _level(share, grid)
    if any(c.critical and (c.value or 0.0) < 0.5 for c in judged):
        level = min(level, 1)
    descriptor = item.descriptors[level]
    weak = [c.note for c in judged if (c.value or 0.0) < 1]
    parts = [f"Niveau {level}/{grid.max_level} : {descriptor.rstrip('.')}."]
    if weak:
        parts.append("À travailler : " + " ; ".join(dict.fromkeys(weak[:3])).rstrip(".") + ".")
    else:
        strong = [c.note for c in judged]
        parts.append("Acquis : " + " ; ".join(dict.fromkeys(strong[:2])).rstrip(".") + ".")
    return ItemResult.model_construct(
        id=item.id, level=level, max_level=grid.max_level, label=item.label, section=section_title,
        comment=" ".join(parts), turns=sorted(set(turns)), criteria=criteria,
    )


def evaluate_grid(grid: Grid, rules: list[RuleResult], facts: dict[str, FactResult]) -> tuple[list[ItemResult], float]:
    """All items of the grid and the total out of 100 (judged items only, weighted)."""
    by_id = {r.id: r for r in rules}
    results: list[ItemResult] = []
    weighted = 0.0
    weights = 0.0
    for section, item in grid.items():
        res = evaluate_item(grid, section.title, item, by_id, facts)
        results.append(res)
        if res.level is not None:
            weighted += item.weight * res.level / grid.max_level
            weights += item.weight
    total = round(100.0 * weighted / weights, 1) if weights else 0.0
    return results, total
