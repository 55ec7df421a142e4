"""Where the model comes from: parts joined once into the cache, local folders, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.voice.errors import VoiceUnavailable
from trainer.voice.models import assemble_packaged_model, locate_model


def _package(folder: Path, files: dict[str, bytes]) -> Path:
    data = folder / "data"
    data.mkdir(parents=True)
    for name, content in files.items():
        (data / name).write_bytes(content)
    return data


def test_parts_are_joined_once_and_rebuilt_when_a_package_changes(tmp_path: Path) -> None:
    one = _package(tmp_path / "p1", {"model.bin.part1": b"A" * 1000})
    two = _package(
        tmp_path / "p2",
        {"model.bin.part2": b"B" * 500, "config.json": b"{}", "tokenizer.json": b"{}", "vocabulary.json": b"[]"},
    )
    cache = tmp_path / "cache"
    target = assemble_packaged_model("tiny-test", [one, two], cache)
    assert target == cache / "models" / "whisper-tiny-test"
    assert (target / "model.bin").read_bytes() == b"A" * 1000 + b"B" * 500
    assert {p.name for p in target.iterdir()} >= {"model.bin", "config.json", "tokenizer.json", "vocabulary.json"}
    stamp_time = (target / "model.bin").stat().st_mtime_ns
    assert assemble_packaged_model("tiny-test", [one, two], cache) == target
    assert (target / "model.bin").stat().st_mtime_ns == stamp_time  # not joined again
    # A new version of a package (another part size): the model is rebuilt.
    (two / "model.bin.part2").write_bytes(b"C" * 600)
    assemble_packaged_model("tiny-test", [one, two], cache)
    assert (target / "model.bin").read_bytes() == b"A" * 1000 + b"C" * 600
    # Nothing left over from the builds.
    assert [p.name for p in (cache / "models").iterdir()] == ["whisper-tiny-test"]


def test_a_missing_part_is_refused(tmp_path: Path) -> None:
    two = _package(tmp_path / "p2", {"model.bin.part2": b"B", "config.json": b"{}", "tokenizer.json": b"{}"})
    with pytest.raises(VoiceUnavailable, match="incomplet"):
        assemble_packaged_model("broken", [two], tmp_path / "cache")
    assert not (tmp_path / "cache" / "models" / "whisper-broken").exists()


def test_local_folder_by_option_or_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "mon-modele"
    folder.mkdir()
    for name in ("model.bin", "config.json", "tokenizer.json"):
        (folder / name).write_bytes(b"x")
    assert locate_model(str(folder)).path == folder.resolve()
    monkeypatch.setenv("TRAINER_ASR_MODEL", str(folder))
    location = locate_model(None)
    assert (location.path, location.source) == (folder.resolve(), "directory")


def test_incomplete_or_missing_folder_is_one_french_sentence(tmp_path: Path) -> None:
    with pytest.raises(VoiceUnavailable) as info:
        locate_model(str(tmp_path))
    assert "model.bin" in str(info.value) and info.value.part == "asr"
    with pytest.raises(VoiceUnavailable, match="introuvable"):
        locate_model(str(tmp_path / "absent"))
