"""Measure the NLU on an understanding test set (YAML lines with what they should be understood as).

Used by the test suite (``tests/dialogue/test_nlu_accuracy.py``) and by ``bench/bench_nlu.py``;
a teacher who adds example phrases can run it on the set to check nothing got worse.

File format (``version: 1``): ``now`` (ISO datetime, the reference time for dates), ``company``
and ``cases``, each with ``t`` (the line), ``i`` (intents that must be found), ``o`` (intents that
may also be found), ``f`` / ``nf`` (flags that must / must not be set), ``q`` (question type, or
``none``), ``s`` (slots to check) and, optionally, ``c`` (the company of that line when it is not
the file's). See ``tests/dialogue/data/understanding.yaml``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from trainer.dialogue.nlu import Understanding, understand
from trainer.dialogue.slots import Slots


@dataclass
class CaseResult:
    """One line of the set and what went wrong with it (nothing when understood)."""

    text: str
    problems: list[str]
    understanding: Understanding


@dataclass
class EvalReport:
    """Results of one or more files: per line, per intent, per file."""

    results: list[CaseResult] = field(default_factory=list)
    support: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    false_positives: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    per_file: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def correct(self) -> int:
        """Lines fully understood."""
        return sum(1 for r in self.results if not r.problems)

    @property
    def accuracy(self) -> float:
        """Share of the lines fully understood (0..1)."""
        return self.correct / len(self.results) if self.results else 0.0

    def table(self, target: float | None = None) -> list[str]:
        """The report as French text lines: accuracy per intent, per file, then the misses."""
        lines = [f"{'intention':<24}{'lignes':>7}{'trouvées':>10}{'rappel':>8}{'en trop':>9}{'précision':>11}"]
        for name in sorted(set(self.support) | set(self.false_positives)):
            sup, ok, fp, pred = self.support[name], self.found[name], self.false_positives[name], self.predicted[name]
            recall = f"{ok / sup:.0%}" if sup else "-"
            precision = f"{(pred - fp) / pred:.0%}" if pred else "-"
            lines.append(f"{name:<24}{sup:>7}{ok:>10}{recall:>8}{fp:>9}{precision:>11}")
        goal = f" (objectif {target:.0%})" if target is not None else ""
        lines.append(f"Lignes entièrement comprises : {self.correct}/{len(self.results)} = {self.accuracy:.1%}{goal}")
        for name, ok, total in self.per_file:
            lines.append(f"  {name} : {ok}/{total} = {ok / total:.1%}" if total else f"  {name} : vide")
        misses = [r for r in self.results if r.problems]
        if misses:
            lines.append("Lignes mal comprises :")
            lines += [f"  « {r.text} » : {'; '.join(r.problems)}" for r in misses]
        return lines


def _fmt(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if hasattr(value, "hour"):
        return value.strftime("%H:%M")  # type: ignore[attr-defined]
    if hasattr(value, "isoformat"):
        return value.isoformat()  # type: ignore[attr-defined]
    return str(value)


def check_slots(expected: dict[str, Any], slots: Slots) -> list[str]:
    """Compare the expected slots of a case with what was read; French descriptions of the gaps."""
    problems: list[str] = []
    for key, want in expected.items():
        got = getattr(slots, key, None)
        if key == "quantities":
            remaining = list(got)
            for spec in want:
                match = next((q for q in remaining if _quantity_matches(q, spec)), None)
                if match is None:
                    problems.append(f"quantité attendue {spec}, lue {[(q.value, q.product, q.shade, q.unit, q.approx) for q in got]}")
                else:
                    remaining.remove(match)
        elif key == "products":
            refs = [p.reference for p in got]
            for spec in want:
                if isinstance(spec, dict):
                    if not any(p.reference is None and set(p.candidates) == set(spec["candidates"]) for p in got):
                        problems.append(f"produit ambigu attendu {spec}, lu {[(p.reference, p.candidates) for p in got]}")
                elif spec not in refs:
                    problems.append(f"produit {spec} attendu, lu {refs}")
        elif key == "shades":
            for spec in want:
                if isinstance(spec, dict):
                    if not any(s.reflect == spec["reflect"] and s.code is None for s in got):
                        problems.append(f"reflet {spec} attendu, lu {[(s.code, s.reflect) for s in got]}")
                elif spec not in [s.code for s in got]:
                    problems.append(f"nuance {spec} attendue, lue {[s.code for s in got]}")
        elif key == "person_names":
            shown = [f"{p.civility} {p.last_name}" for p in got]
            problems += [f"personne « {spec} » attendue, lue {shown}" for spec in want if spec not in shown]
        elif key == "first_names":
            problems += [f"prénom {spec} attendu, lu {got}" for spec in want if spec not in got]
        elif key == "dates":
            days = [_fmt(d.date) for d in got]
            problems += [f"date {spec} attendue, lue {days}" for spec in want if spec not in days]
        elif key == "times":
            for spec in want:
                if not any(all(_fmt(getattr(t, k)) == v for k, v in spec.items()) for t in got):
                    problems.append(f"heure {spec} attendue, lue {[(_fmt(t.time), _fmt(t.end)) for t in got]}")
        elif key == "money":
            for spec in want:
                if not any(m.amount == Decimal(str(spec["amount"])) and m.tax == spec.get("tax", m.tax) for m in got):
                    problems.append(f"montant {spec} attendu, lu {[(str(m.amount), m.tax) for m in got]}")
        elif key == "percentages":
            values = sorted(Decimal(str(v)) for v in want)
            if values != sorted(got):
                problems.append(f"pourcentages {values} attendus, lus {got}")
        elif got != want:
            problems.append(f"{key} attendu {want!r}, lu {got!r}")
    return problems


def _quantity_matches(quantity: Any, spec: dict[str, Any]) -> bool:
    if quantity.value != spec["value"]:
        return False
    for key, value in spec.items():
        if key == "value":
            continue
        got = getattr(quantity, key)
        if key == "unit":
            # Units are kept as stems ("tub" for "tubes"); the file may write the word.
            if not (got and (value.startswith(got) or got.startswith(value[:3]))):
                return False
        elif got != value:
            return False
    return True


def evaluate_cases(cases: list[dict[str, Any]], now: datetime | None, company: str, report: EvalReport) -> tuple[int, int]:
    """Run every case into ``report``; return (lines understood, lines)."""
    correct = 0
    for case in cases:
        text = str(case.get("t") or "")
        u = understand(text, {"now": now, "company": str(case.get("c") or company)})
        names = {m.name for m in u.intents} - {"unknown"}
        required = set(case.get("i") or [])
        allowed = required | set(case.get("o") or [])
        problems: list[str] = []
        for name in sorted(required):
            report.support[name] += 1
            if name in names:
                report.found[name] += 1
            else:
                problems.append(f"intention {name} manquée")
        for name in sorted(names):
            report.predicted[name] += 1
            if name not in allowed:
                report.false_positives[name] += 1
                problems.append(f"intention {name} en trop")
        problems += [f"drapeau {f} manquant" for f in case.get("f") or [] if f not in u.flags]
        problems += [f"drapeau {f} en trop" for f in case.get("nf") or [] if f in u.flags]
        if "q" in case:
            want = None if case["q"] == "none" else case["q"]
            if u.question_type != want:
                problems.append(f"type de question {want} attendu, lu {u.question_type}")
        problems += check_slots(case.get("s") or {}, u.slots)
        report.results.append(CaseResult(text, problems, u))
        correct += not problems
    return correct, len(cases)


def evaluate_files(paths: list[Path]) -> EvalReport:
    """Evaluate the NLU on test-set files (see the module docstring)."""
    report = EvalReport()
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        now = datetime.fromisoformat(str(data["now"])) if data.get("now") else None
        ok, total = evaluate_cases(list(data.get("cases") or []), now, str(data.get("company") or "generik"), report)
        report.per_file.append((Path(path).name, ok, total))
    return report
