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
from trainer.scoring.rules import RULE_IDS, RuleVerdict

_GRIDS: dict[str, Grid] = {}
_RECENT: dict[str, tuple[float, Grid]] = {}
_FACT_NAMES: dict[int, set[str]] = {}
RECHECK_SECONDS = 2.0


def get_grid(grid_id: str) -> Grid:
    """Load and validate a grid against the known rules and facts.

    Reloaded when its file changes; the file is looked at no more than every couple of seconds, so
    that re-scoring thousands of transcripts does not stat it for each one.
    """
    import time

    from trainer.content.grids import grid_path

    path = grid_path(grid_id)
    now = time.monotonic()
    recent = _RECENT.get(str(path))
    if recent is not None and now - recent[0] < RECHECK_SECONDS:
        return recent[1]
    try:
        stamp = f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        stamp = str(path)
    cached = _GRIDS.get(stamp)
    if cached is None:
        cached = load_grid(grid_id, rules=set(RULE_IDS), facts=set(FACT_NAMES))
        _GRIDS[stamp] = cached
    _RECENT[str(path)] = (now, cached)
    return cached


def grid_fact_names(grid: Grid) -> set[str]:
    """Every fact a grid draws on."""
    found = _FACT_NAMES.get(id(grid))
    if found is None:
        found = {c.fact for _s, item in grid.items() for c in item.draws_on if c.fact}
        _FACT_NAMES[id(grid)] = found
    return found


_NOTES = {(rid, verdict): f"{label} : {VERDICT_FR[verdict]}" for rid, label in RULE_LABELS.items() for verdict in VERDICT_FR}


def _rule_note(result: RuleVerdict) -> str:
    return _NOTES.get((result.id, result.verdict)) or f"{result.id} : {VERDICT_FR[result.verdict]}"


def _level(share: float, grid: Grid) -> int:
    for offset, threshold in enumerate(grid.level_thresholds):
        if share >= threshold - 1e-9:
            return grid.max_level - offset
    return 0


_PLANS: dict[int, tuple[GridItem, tuple[tuple, ...]]] = {}


def _plan(item: GridItem) -> tuple[tuple, ...]:
    """The item's criteria as plain tuples (read once per grid, not once per transcript)."""
    found = _PLANS.get(id(item))
    if found is None or found[0] is not item:
        plan = tuple((c.key, c.rule, c.fact, c.weight, c.critical, c.gate) for c in item.draws_on)
        found = (item, plan)
        _PLANS[id(item)] = found
    return found[1]


def evaluate_item(grid: Grid, section_title: str, item: GridItem, rules: dict[str, RuleVerdict],
                  facts: dict[str, FactResult]) -> dict:
    """One item as a dict of the ``models.ItemResult`` shape: criteria, level, French comment."""
    criteria: list[dict] = []
    turns: list[int] = []
    judged: list[dict] = []
    gates_closed: list[dict] = []
    for key, rule_id, fact_name, weight, critical, gate in _plan(item):
        if rule_id is not None:
            r = rules[rule_id]
            verdict = r.verdict
            value = None if verdict == "not_applicable" else (1.0 if verdict == "respected" else 0.0)
            note = _rule_note(r)
            if verdict == "violated":
                turns.extend(r.turns)
        else:
            f = facts[fact_name]
            value = f.value
            note = f.note
            if value is not None and value < 1:
                turns.extend(f.turns)
        crit = {"source": key, "value": value, "weight": weight, "critical": critical, "note": note}
        criteria.append(crit)
        if value is not None:
            judged.append(crit)
        elif gate:
            gates_closed.append(crit)
    if not judged or gates_closed:
        why = item.not_judged or "; ".join(dict.fromkeys(c["note"] for c in (gates_closed or criteria)))
        return {"id": item.id, "level": None, "max_level": grid.max_level, "label": item.label,
                "section": section_title, "comment": sentence(f"Non évalué : {why}"), "turns": [], "criteria": criteria}
    total_weight = sum(c["weight"] for c in judged)
    share = sum(c["weight"] * (c["value"] or 0.0) for c in judged) / total_weight
    level = _level(share, grid)
    if any(c["critical"] and (c["value"] or 0.0) < 0.5 for c in judged):
        level = min(level, 1)
    descriptor = item.descriptors[level]
    weak = [c["note"] for c in judged if (c["value"] or 0.0) < 1]
    parts = [f"Niveau {level}/{grid.max_level} : {descriptor.rstrip('.')}."]
    if weak:
        parts.append("À travailler : " + " ; ".join(dict.fromkeys(weak[:3])).rstrip(".") + ".")
    else:
        strong = [c["note"] for c in judged]
        parts.append("Acquis : " + " ; ".join(dict.fromkeys(strong[:2])).rstrip(".") + ".")
    return {"id": item.id, "level": level, "max_level": grid.max_level, "label": item.label,
            "section": section_title, "comment": " ".join(parts), "turns": sorted(set(turns)), "criteria": criteria}


def evaluate_grid(grid: Grid, rules: list[RuleVerdict], facts: dict[str, FactResult]) -> tuple[list[dict], float]:
    """All items of the grid (dicts of the ``ItemResult`` shape) and the total out of 100."""
    by_id = {r.id: r for r in rules}
    results: list[dict] = []
    weighted = 0.0
    weights = 0.0
    for section, item in grid.items():
        res = evaluate_item(grid, section.title, item, by_id, facts)
        results.append(res)
        if res["level"] is not None:
            weighted += item.weight * res["level"] / grid.max_level
            weights += item.weight
    total = round(100.0 * weighted / weights, 1) if weights else 0.0
    return results, total
