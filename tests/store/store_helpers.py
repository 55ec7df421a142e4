"""Helpers for the store tests: run the real ``trainer`` command as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from trainer.domain.common import PARIS
from trainer.domain.company import CompanyData

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=PARIS)
"""A Monday: seeding and business dates of the store tests count from it."""


@lru_cache(maxsize=8)
def cached_company(company_id: str, today: date) -> CompanyData:
    """``load_company`` once per company and day for the whole test run (the YAML is slow to parse)."""
    from trainer.content.company import load_company

    return load_company(company_id, today=today)


TRAINER = Path(sys.executable).with_name("trainer")


def run_trainer(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``trainer ARGS`` in a subprocess (the test's TRAINER_DATA_DIR is inherited)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [str(TRAINER), *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 1, one line on stderr, no traceback, and the expected words in it."""
    assert proc.returncode == 1, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def invoke(*args: str) -> subprocess.CompletedProcess:
    """Run ``trainer ARGS`` in this process (same entry point as the console script, much faster).

    Returns a ``CompletedProcess`` like ``run_trainer`` so the same assertions apply.
    """
    import contextlib
    import io

    from trainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["trainer", *args], code, out.getvalue(), err.getvalue())
