"""Fixtures of the scoring tests, and the calibration table printed at the end of the run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from trainer.domain.transcript import Transcript
from trainer.paths import reference_transcripts_dir
from trainer.scoring import ScoreReport, score_transcript
from trainer.scoring.calibration import CalibrationResult, calibrate

CALIBRATION = pytest.StashKey[CalibrationResult]()


@pytest.fixture(scope="session")
def calibration(request: pytest.FixtureRequest) -> CalibrationResult:
    """The scorer against the hand annotations of ``transcripts/`` (computed once per run)."""
    result = calibrate(reference_transcripts_dir())
    request.config.stash[CALIBRATION] = result
    return result


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print agreement per rule and Cohen's kappa when the calibration test ran."""
    result = config.stash.get(CALIBRATION, None)
    if result is None:
        return
    terminalreporter.section("Calibration du scoring (transcriptions de référence annotées)")
    terminalreporter.write_line(result.table())
    for d in result.disagreements:
        terminalreporter.write_line(f"désaccord : {d.file} {d.rule} annoté={d.annotated} évalué={d.scored}")


Turn = tuple  # (speaker, text) or (speaker, text, extra dict)


def make_transcript(*turns: Turn, **fields: Any) -> Transcript:
    """A transcript from ("S"|"C"|"X", text[, extra]) tuples; keyword fields go to the top level."""
    speakers = {"S": "student", "C": "customer", "X": "system"}
    out = []
    for item in turns:
        turn = {"speaker": speakers[item[0]], "text": item[1]}
        if len(item) > 2:
            turn.update(item[2])
        out.append(turn)
    return Transcript.model_validate({"turns": out, **fields})


@pytest.fixture
def score() -> Callable[..., ScoreReport]:
    """score(*turns, grid=..., **transcript fields) -> ScoreReport."""

    def _score(*turns: Turn, grid: str = "telephone-generik", **fields: Any) -> ScoreReport:
        return score_transcript(make_transcript(*turns, **fields), grid_id=grid)

    return _score
