"""Agreement between the scorer and the hand annotations of the reference transcripts.

Each file of ``transcripts/`` is a CONTRACT §2 transcript with, added, a teacher's verdict for every
charter rule (``annotations.rules.<id>.verdict`` and ``turns``). ``calibrate()`` scores every file
and reports, per rule, the share of files where the scorer agrees with the annotation and Cohen's
kappa (agreement corrected for chance, over the three verdicts), plus the disagreements themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from trainer.domain.transcript import parse_transcript
from trainer.errors import UserError
from trainer.scoring.rules import RULE_IDS

VERDICTS = ("respected", "violated", "not_applicable")


@dataclass
class RuleAgreement:
    """Agreement on one rule over the reference set."""

    rule: str
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (annotation, scorer)
    evidence_hits: int = 0     # agreed violations whose scorer turns meet the annotated turns
    evidence_total: int = 0    # agreed violations

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def agreement(self) -> float:
        """Share of files where the scorer's verdict equals the annotation."""
        return sum(a == b for a, b in self.pairs) / self.n if self.n else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa over the three verdicts (1.0 when both always agree on a single verdict)."""
        return cohen_kappa(self.pairs)


@dataclass
class Disagreement:
    file: str
    rule: str
    annotated: str
    scored: str
    advice: str


@dataclass
class CalibrationResult:
    rules: dict[str, RuleAgreement]
    disagreements: list[Disagreement]
    files: int

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return [p for r in self.rules.values() for p in r.pairs]

    @property
    def agreement(self) -> float:
        """Overall share of agreeing (file, rule) verdicts."""
        pairs = self.pairs
        return sum(a == b for a, b in pairs) / len(pairs) if pairs else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa over every (file, rule) verdict."""
        return cohen_kappa(self.pairs)

    def table(self) -> str:
        """A plain-text table (one line per rule) for test output and teachers."""
        lines = [f"{'règle':38s} {'n':>3s} {'accord':>7s} {'kappa':>6s} {'preuve':>7s}"]
        for rid in RULE_IDS:
            r = self.rules[rid]
            evidence = f"{r.evidence_hits}/{r.evidence_total}" if r.evidence_total else "-"
            lines.append(f"{rid:38s} {r.n:3d} {100 * r.agreement:6.1f}% {r.kappa:6.2f} {evidence:>7s}")
        lines.append(
            f"{'ensemble':38s} {len(self.pairs):3d} {100 * self.agreement:6.1f}% {self.kappa:6.2f}   ({self.files} transcriptions)"
        )
        return "\n".join(lines)


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa for two raters over categorical labels."""
    n = len(pairs)
    if n == 0:
        return 1.0
    observed = sum(a == b for a, b in pairs) / n
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in set(first) | set(second)) / (n * n)
    if expected >= 1.0:
        return 1.0 if observed >= 1.0 else 0.0
    return (observed - expected) / (1.0 - expected)


def load_reference(path: Path) -> tuple[object, dict]:
    """One reference file: the transcript and its annotations (``UserError`` when malformed)."""
    text = path.read_text(encoding="utf-8")
    transcript = parse_transcript(text, str(path))
    data = json.loads(text)
    rules = (data.get("annotations") or {}).get("rules") or {}
    missing = [r for r in RULE_IDS if r not in rules]
    if missing:
        raise UserError(f"{path}, champ annotations.rules : verdict manquant pour {', '.join(missing)}.")
    for rid, ann in rules.items():
        if ann.get("verdict") not in VERDICTS:
            raise UserError(f"{path}, champ annotations.rules.{rid}.verdict : attendu {', '.join(VERDICTS)}.")
    return transcript, rules


def calibrate(directory: Path, grid_id: str = "telephone-generik") -> CalibrationResult:
    """Score every reference transcript of ``directory`` and compare with its annotations."""
    from trainer.scoring import score_transcript

    files = sorted(directory.glob("*.json"))
    result = CalibrationResult(rules={rid: RuleAgreement(rid) for rid in RULE_IDS}, disagreements=[], files=len(files))
    for path in files:
        transcript, annotations = load_reference(path)
        report = score_transcript(transcript, grid_id=grid_id)
        for r in report.rules:
            ann = annotations[r.id]
            agg = result.rules[r.id]
            agg.pairs.append((ann["verdict"], r.verdict))
            if ann["verdict"] != r.verdict:
                result.disagreements.append(Disagreement(path.name, r.id, ann["verdict"], r.verdict, r.advice))
            elif r.verdict == "violated":
                agg.evidence_total += 1
                if set(ann.get("turns") or []) & set(r.turns):
                    agg.evidence_hits += 1
    return result
