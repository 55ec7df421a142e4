"""The score report (CONTRACT §5) and its parts, as pydantic models.

Required by the contract: ``grid``, ``total``, ``rules`` (``id``, ``verdict``, ``turns``,
``advice``) and ``items`` (``id``, ``level``, ``max_level``, ``comment``). The other fields are
optional additions (labels, sections, ERP comparison) for the debrief screens.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["respected", "violated", "not_applicable"]


class RuleResult(BaseModel):
    """The verdict of one charter rule, with the turns that justify it."""

    model_config = ConfigDict(frozen=True)

    id: str
    verdict: Verdict
    turns: list[int] = Field(default_factory=list)
    advice: str
    label: str | None = None


class CriterionResult(BaseModel):
    """How one criterion of a grid item came out (value 0..1, or None when not judged)."""

    model_config = ConfigDict(frozen=True)

    source: str = Field(description="rule:<id> or fact:<name>")
    value: float | None
    weight: float = 1.0
    critical: bool = False
    note: str


class ItemResult(BaseModel):
    """The level of one grid item, with a French comment."""

    model_config = ConfigDict(frozen=True)

    id: str
    level: int | None
    max_level: int
    comment: str
    label: str | None = None
    section: str | None = None
    turns: list[int] = Field(default_factory=list)
    # Shape of ``CriterionResult`` (source, value, weight, critical, note). Kept as plain mappings:
    # validating ~80 of them per report would double the cost of re-scoring a class year.
    criteria: list[Any] = Field(default_factory=list, description="CriterionResult-shaped mappings.")


class ErpCheck(BaseModel):
    """One comparison between what the customer wanted and what the student recorded."""

    model_config = ConfigDict(frozen=True)

    record: str = Field(description="order, complaint, message, reminder")
    field: str
    ok: bool
    expected: str | None = None
    actual: str | None = None
    message: str
    category: str = Field(default="general", description="quantite, remise, paiement, categorie, service, delai…")


class ScoreReport(BaseModel):
    """CONTRACT §5: ``trainer score --json`` and ``score`` in ``trainer play --json``."""

    model_config = ConfigDict(frozen=True)

    grid: str
    total: float = Field(ge=0, le=100)
    rules: list[RuleResult]
    items: list[ItemResult]
    grid_title: str | None = None
    scenario: str | None = None
    direction: str | None = None
    kind: str | None = None
    erp: list[ErpCheck] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def rule(self, rule_id: str) -> RuleResult:
        """The verdict of one rule (KeyError when absent)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def item(self, item_id: str) -> ItemResult:
        """One grid item (KeyError when absent)."""
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)
