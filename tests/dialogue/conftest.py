"""Reporting for the dialogue tests: the understanding test set's accuracy table.

``test_nlu_accuracy.py`` fills ``NLU_REPORT``; the table is printed in the terminal summary of
every run that executed it (no ``-s`` needed), so that accuracy per intent is visible in CI logs.
"""

from __future__ import annotations

import pytest

NLU_REPORT: dict[str, object] = {}


@pytest.fixture(scope="session")
def nlu_report() -> dict[str, object]:
    """Where the accuracy test leaves the lines of its table for the terminal summary."""
    return NLU_REPORT


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 - pytest hook signature
    lines = NLU_REPORT.get("lines")
    if not lines:
        return
    terminalreporter.section("NLU: understanding test set")
    for line in lines:
        terminalreporter.write_line(line)
