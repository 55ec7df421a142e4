"""Where the trainer finds its content (scenarios, grids, transcripts) and writes its data."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def _content_dir(env: str, name: str) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    return REPO_ROOT / name


def scenarios_dir() -> Path:
    """Folder of scenario YAML files, one sub-folder per company (``TRAINER_SCENARIOS_DIR``)."""
    return _content_dir("TRAINER_SCENARIOS_DIR", "scenarios")


def grids_dir() -> Path:
    """Folder of observation grids (``TRAINER_GRIDS_DIR``)."""
    return _content_dir("TRAINER_GRIDS_DIR", "grids")


def reference_transcripts_dir() -> Path:
    """Folder of the hand-annotated reference transcripts used for calibration."""
    return _content_dir("TRAINER_TRANSCRIPTS_DIR", "transcripts")


def bench_dir() -> Path:
    """Folder of the benchmark modules run by ``trainer bench``."""
    return REPO_ROOT / "bench"


def data_dir() -> Path:
    """The user's data directory (``TRAINER_DATA_DIR`` overrides it); created on demand."""
    override = os.environ.get("TRAINER_DATA_DIR")
    path = Path(override) if override else user_data_path("trainer", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sessions_dir() -> Path:
    """Where call sessions write their journals, transcripts and audio (``TRAINER_SESSIONS_DIR``)."""
    override = os.environ.get("TRAINER_SESSIONS_DIR")
    path = Path(override) if override else data_dir() / "sessions"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_url() -> str:
    """The embedded SQLite database in the user's data directory."""
    return f"sqlite:///{data_dir() / 'trainer.db'}"


def resolve_db_url(explicit: str | None) -> str:
    """``--db`` wins, then ``TRAINER_DB_URL``, then the embedded SQLite file (CONTRACT §1)."""
    if explicit:
        return explicit
    env = os.environ.get("TRAINER_DB_URL")
    if env:
        return env
    return default_db_url()
