"""Scoring of a call against the phone charter (CONTRACT §5) and an observation grid.

```python
from trainer.scoring import score_transcript
report = score_transcript(transcript, grid_id="telephone-generik", scenario=None)
report.model_dump(mode="json")
```

``scenario`` is a ``trainer.content.scenarios.Scenario`` (or None: the transcript's ``scenario``
id is looked up, and an unknown scenario is fine). The pieces: ``text`` (sentences, own words vs
quotations), ``lexicon`` (phrase tables of ``grids/phrases``), ``context`` (the call seen by the
rules), ``rules`` (the 14 charter rules), ``facts`` (measures grid items draw on),
``erp_accuracy`` (records vs what the customer wanted), ``grid_eval`` (levels and total).
"""

from __future__ import annotations

from typing import Any

from trainer.domain.transcript import Transcript
from trainer.scoring.models import CriterionResult, ErpCheck, ItemResult, RuleResult, ScoreReport

DEFAULT_GRID = "telephone-generik"

__all__ = [
    "DEFAULT_GRID",
    "CriterionResult",
    "ErpCheck",
    "ItemResult",
    "RuleResult",
    "ScoreReport",
    "score_transcript",
]


def score_transcript(transcript: Transcript, grid_id: str = DEFAULT_GRID, scenario: Any = None) -> ScoreReport:
    """Score one transcript: the 14 charter rules, the ERP comparison and the grid's items.

    Raises ``trainer.errors.UserError`` when the grid or a phrase table is missing or invalid.
    """
    from trainer.scoring.context import CallView, resolve_scenario
    from trainer.scoring.erp_accuracy import erp_checks
    from trainer.scoring.facts import FactContext, evaluate_facts
    from trainer.scoring.grid_eval import evaluate_grid, get_grid, grid_fact_names
    from trainer.scoring.lexicon import get_lexicon
    from trainer.scoring.rules import evaluate_rules

    grid = get_grid(grid_id)
    info = resolve_scenario(transcript, scenario)
    call = CallView(transcript, info, get_lexicon())
    rules = evaluate_rules(call)
    erp = erp_checks(list(info.expected), call.records, call_date=call.call_date, company=call.company)
    ctx = FactContext(call=call, rules={r.id: r for r in rules}, erp=erp)
    facts = evaluate_facts(ctx, grid_fact_names(grid))
    items, total = evaluate_grid(grid, rules, facts)
    notes: list[str] = []
    if transcript.scenario and not info.known:
        notes.append(f"Scénario « {transcript.scenario} » inconnu : évaluation sur la seule transcription.")
    # One validation of the whole tree (fast, in pydantic-core) rather than one per object.
    return ScoreReport.model_validate(
        {
            "grid": grid.id,
            "grid_title": grid.title,
            "total": total,
            "rules": [r.as_dict() for r in rules],
            "items": items,
            "scenario": info.id,
            "direction": call.direction,
            "kind": call.kind,
            "erp": erp,
            "notes": notes,
        }
    )
