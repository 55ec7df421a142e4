"""Text-to-speech: the simulated customer's lines spoken with a voice of its own.

Engines, best first, used when installed (Debian packages, see README "Mode voix"):

- **SVOX Pico** (``libttspico-utils``, ``pico2wave -l fr-FR``): female, 16 kHz.
- **MBROLA** diphone voices through espeak-ng (``mbrola-fr1`` ... ``mbrola-fr6``): fr1 and fr6 male
  (16 kHz), fr2 and fr4 female (22.05 kHz). Called as ``espeak-ng -v mb-frN -w FILE`` directly:
  pyttsx3 writes MBROLA's 16 kHz output under a 22.05 kHz header (chipmunk playback).
- **espeak-ng**'s own French voice and its variants: always there on Linux, robotic; the fallback,
  with a one-line notice. Spoken through ``espeak-ng -w``.
- **pyttsx3's system voices** (SAPI5 on Windows, NSSpeechSynthesizer on macOS, espeak-ng's library
  elsewhere): only on machines without the espeak-ng program, when one of them speaks French.

Why not pyttsx3 for espeak-ng's voice, as the issue asked: pyttsx3 2.99's espeak driver, measured
here (espeak-ng 1.51, 2 busy cores), each line in a fresh process with the same text and settings
as ``espeak-ng -w``: 10 of 30 runs wrote no file, 2 wrote an empty or unreadable one, 1 held 10.3 s
of audio instead of 5.9 s (a second synthesis leaking into the buffer), and in a long-lived process
``runAndWait`` hung for good on about 1 line in 30. A file check and retries catch the missing,
empty and doubled files, not the subtly wrong ones (6.2 s instead of 5.9 s, seen once in 12 lines),
and each try costs a Python process (0.2 to 0.8 s against 0.05 s for ``espeak-ng -w``). So espeak-ng's
own program speaks its voice; pyttsx3 stays the portable engine for machines without it, in a worker
process (``trainer.voice.pyttsx_worker``) killed after a time limit, its file checked (not empty,
a length that fits the text), three tries. ``TRAINER_PYTTSX3=0`` switches it off.

Every file written is checked: its header's sample rate must be the rate the engine produced, or it
is rewritten.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from trainer.errors import UserError
from trainer.voice.errors import VoiceUnavailable
from trainer.voice.wavio import read_wav, rewrite_sample_rate, wav_info, write_wav

#: Speaking rate of a customer whose persona says nothing (words per minute). A little slower than
#: conversation so that a student can follow on the phone.
DEFAULT_RATE_WPM = 150
#: espeak's pitch scale (0-99), 50 is the voice's own pitch.
DEFAULT_PITCH = 50
# The scenario format allows 80-260 wpm; MBROLA through espeak-ng does not go below about 115.
MIN_RATE_WPM, MAX_RATE_WPM = 80, 260

MBROLA_DIRS = (Path("/usr/share/mbrola"), Path("/usr/lib/x86_64-linux-gnu/espeak-ng-data/voices/mb"))
PICO_LANG_DIRS = (Path("/usr/share/pico/lang"), Path("/usr/lib/pico/lang"))
# Engines' rate settings are not the words per minute a French listener hears (counted as
# prosody.count_words over the speech span). Measured on customer lines with this machine's
# packages: espeak-ng's "-s" gives about 1.45 times more French words with MBROLA and 1.2 times
# with its own voice; Pico's <speed> level is a percentage of its own pace, about 190 wpm at 100.
MBROLA_WPM_PER_SETTING = 1.45
ESPEAK_WPM_PER_SETTING = 1.2
PICO_NATIVE_WPM = 190.0


@dataclass(frozen=True)
class VoiceHints:
    """What a persona asks of its voice (scenario YAML ``voice:``): gender, pitch 0-99, rate in wpm."""

    gender: str | None = None
    pitch: int | None = None
    rate: int | None = None

    @classmethod
    def from_persona(cls, persona: Any) -> VoiceHints:
        """Read the ``voice`` hints of a persona object or mapping (missing hints stay ``None``)."""
        if persona is None:
            return cls()
        if isinstance(persona, VoiceHints):
            return persona
        voice = _get(persona, "voice")
        if voice is None:
            voice = persona if isinstance(persona, Mapping) and "gender" in persona else None
        gender = _get(voice, "gender") if voice is not None else None
        if gender is None:
            # A persona without voice hints: its civility still tells a woman from a man.
            civility = str(_get(persona, "civility") or "").strip().lower()
            gender = "f" if civility.startswith(("madame", "mme", "mademoiselle")) else (
                "m" if civility.startswith(("monsieur", "m.")) else None
            )
        gender = str(gender).strip().lower()[:1] if gender else None
        pitch = _get(voice, "pitch") if voice is not None else None
        rate = _get(voice, "rate") if voice is not None else None
        return cls(
            gender=gender if gender in ("f", "m") else None,
            pitch=int(pitch) if pitch is not None else None,
            rate=int(rate) if rate is not None else None,
        )


def _get(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


@dataclass(frozen=True)
class Voice:
    """One installed voice. ``rank``: lower is better (more natural, better understood)."""

    id: str
    engine: str  # "pico" | "mbrola" | "espeak" | "pyttsx3" (a system voice: SAPI5, NSSS)
    name: str  # engine's own name: "fr-FR", "mb-fr6", "fr+f3"
    gender: str  # "f" | "m"
    rank: int
    label: str

    @property
    def natural(self) -> bool:
        """True for the natural-sounding voices (Pico, MBROLA), False for espeak and system voices."""
        return self.engine in ("pico", "mbrola")


# Ranked by how well Whisper base understands them on customer lines (tests/voice measures it):
# Pico and MBROLA fr1 best, then fr2, fr6 and fr4 (MBROLA fr4 saturates on some diphones).
_NATURAL = (
    ("pico", "fr-FR", "f", "SVOX Pico, voix de femme"),
    ("mbrola", "fr1", "m", "MBROLA fr1, voix d'homme"),
    ("mbrola", "fr2", "f", "MBROLA fr2, voix de femme"),
    ("mbrola", "fr6", "m", "MBROLA fr6, voix d'homme"),
    ("mbrola", "fr4", "f", "MBROLA fr4, voix de femme"),
)
# espeak variants that keep French intelligible, used for the fallback.
_ESPEAK = (
    ("fr", "m", "espeak-ng, voix d'homme"),
    ("fr+f2", "f", "espeak-ng, voix de femme"),
    ("fr+m3", "m", "espeak-ng, voix d'homme (variante)"),
    ("fr+f4", "f", "espeak-ng, voix de femme (variante)"),
)


def _mbrola_db(name: str) -> Path | None:
    for base in MBROLA_DIRS:
        for candidate in (base / name / name, base / name):
            if candidate.is_file():
                return candidate
    return None


def _pico_has_french() -> bool:
    return any((d / "fr-FR_ta.bin").is_file() for d in PICO_LANG_DIRS)


@lru_cache(maxsize=1)
def _espeak_speaks_french() -> bool:
    if shutil.which("espeak-ng") is None:
        return False
    try:
        listing = subprocess.run(
            ["espeak-ng", "--voices=fr"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "roa/fr" in listing


PYTTSX3_ENV = "TRAINER_PYTTSX3"
PYTTSX3_TIMEOUT_S = 20.0
PYTTSX3_ATTEMPTS = 3


def pyttsx3_enabled() -> bool:
    """pyttsx3 is installed and not switched off (``TRAINER_PYTTSX3=0``)."""
    if os.environ.get(PYTTSX3_ENV, "1").strip().lower() in ("0", "false", "non", "no"):
        return False
    return importlib.util.find_spec("pyttsx3") is not None


def _worker_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "trainer.voice.pyttsx_worker", *args]


@lru_cache(maxsize=1)
def _pyttsx3_french_voices() -> tuple[tuple[str, str, str], ...]:
    """(id, gender, name) of the system voices pyttsx3 lists as French (used without espeak-ng)."""
    try:
        listing = subprocess.run(
            _worker_command("--list"), capture_output=True, text=True, timeout=PYTTSX3_TIMEOUT_S, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    found = []
    for line in listing.splitlines():
        try:
            voice = json.loads(line)
        except ValueError:
            continue
        tags = " ".join([str(voice.get("id")), str(voice.get("name")), *map(str, voice.get("languages") or [])]).lower()
        if "fr" in tags.replace("-", "_").split("_") or "french" in tags or "fran" in tags or "fr_" in tags:
            gender = "f" if str(voice.get("gender") or "").lower().startswith(("f", "w")) else "m"
            found.append((str(voice["id"]), gender, str(voice.get("name") or voice["id"])))
    return tuple(found)


@lru_cache(maxsize=1)
def discover_voices() -> tuple[Voice, ...]:
    """The French voices installed on this machine, best first (cached for the process)."""
    voices: list[Voice] = []
    espeak_cli = shutil.which("espeak-ng") is not None
    for rank, (engine, name, gender, label) in enumerate(_NATURAL):
        if engine == "pico":
            ok = shutil.which("pico2wave") is not None and _pico_has_french()
            voice_name = name
        else:
            ok = espeak_cli and shutil.which("mbrola") is not None and _mbrola_db(name) is not None
            voice_name = f"mb-{name}"
        if ok:
            voices.append(Voice(f"{engine}:{name}", engine, voice_name, gender, rank, label))
    if _espeak_speaks_french():
        for offset, (name, gender, label) in enumerate(_ESPEAK):
            voices.append(Voice(f"espeak:{name}", "espeak", name, gender, 100 + offset, label))
    elif pyttsx3_enabled():
        # No espeak-ng program (Windows, macOS): the system's French voices through pyttsx3.
        for offset, (voice_id, gender, name) in enumerate(_pyttsx3_french_voices()):
            voices.append(Voice(f"pyttsx3:{voice_id}", "pyttsx3", voice_id, gender, 200 + offset, f"{name} (système)"))
    return tuple(voices)


def stable_index(key: str, count: int) -> int:
    """A deterministic index in ``range(count)`` for ``key`` (same persona, same voice, every run)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count


def choose_voice(
    hints: VoiceHints | None = None, persona_id: str | None = None, voices: tuple[Voice, ...] | None = None
) -> Voice:
    """The voice a persona gets: its gender first, natural voices before espeak, then a stable pick.

    Without a persona, the best voice installed. Among several natural voices of the right gender,
    the persona id picks one deterministically, so that two customers of a session do not share a
    voice when the machine has enough voices.
    """
    hints = hints or VoiceHints()
    voices = discover_voices() if voices is None else voices
    if not voices:
        raise VoiceUnavailable(
            "Aucune voix de synthèse n'est installée (paquet espeak-ng) : le client s'affiche à l'écrit.",
            part="tts",
        )
    pool = [v for v in voices if hints.gender is None or v.gender == hints.gender] or list(voices)
    natural = [v for v in pool if v.natural]
    tier = natural or pool
    if persona_id is None:
        return min(tier, key=lambda v: v.rank)
    return sorted(tier, key=lambda v: v.rank)[stable_index(persona_id, len(tier))]


@dataclass(frozen=True)
class SpokenLine:
    """A line written to a WAV file: the sample rate is the one read back from the file."""

    path: Path
    text: str
    sample_rate: int
    duration_s: float
    engine: str
    voice: str
    synthesis_s: float
    engine_sample_rate: int
    backend: str = "cli"  # "cli" (pico2wave, espeak-ng -w) or "pyttsx3"

    def as_json(self) -> dict[str, Any]:
        """CONTRACT §1 ``trainer speak --json`` fields (plus ``label``-free extras)."""
        return {
            "path": str(self.path),
            "engine": self.engine,
            "voice": self.voice,
            "sample_rate": self.sample_rate,
            "duration_s": round(self.duration_s, 3),
            "synthesis_s": round(self.synthesis_s, 3),
        }


def _clean_text(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise UserError("texte : la phrase à dire est vide.")
    return text


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


@lru_cache(maxsize=8)
def mbrola_native_rate(name: str) -> int:
    """The sample rate an MBROLA database produces, asked of mbrola itself (a 50 ms silence)."""
    db = _mbrola_db(name)
    if db is None:
        raise VoiceUnavailable(f"La voix MBROLA {name} n'est pas installée.", part="tts")
    with tempfile.TemporaryDirectory(prefix="trainer-mbrola-") as tmp:
        out = Path(tmp) / "probe.wav"
        subprocess.run(
            ["mbrola", str(db), "-", str(out)], input=b"_ 50\n_ 50\n", capture_output=True, timeout=20, check=False
        )
        if not out.exists():
            raise VoiceUnavailable(f"La voix MBROLA {name} ne fonctionne pas sur cette machine.", part="tts")
        return wav_info(out).sample_rate


class VoiceEngine:
    """Speaks customer lines into WAV files, in a session's folder unless told otherwise.

    One engine per call session; thread-safe (the TUI calls it from a worker).
    """

    def __init__(self, output_dir: Path | None = None, voices: tuple[Voice, ...] | None = None) -> None:
        self.output_dir = output_dir
        self.voices = discover_voices() if voices is None else voices
        self._counter = 0
        self._lock = threading.Lock()
        self.notices: list[str] = []
        if self.voices and not any(v.natural for v in self.voices):
            self.notices.append(
                "Voix naturelles absentes (MBROLA, Pico) : le client parle avec la voix robotique d'espeak-ng."
            )

    @classmethod
    def for_session(cls, session_id: str) -> VoiceEngine:
        """An engine writing to ``sessions_dir()/<session_id>/audio`` so that teachers can replay a call."""
        from trainer.paths import sessions_dir

        return cls(output_dir=sessions_dir() / session_id / "audio")

    def voice_for(self, persona: Any = None, persona_id: str | None = None) -> tuple[Voice, VoiceHints]:
        """The voice and hints a persona (object, mapping, ``VoiceHints`` or ``None``) gets."""
        hints = VoiceHints.from_persona(persona)
        if persona_id is None and persona is not None and not isinstance(persona, VoiceHints):
            pid = _get(persona, "id")
            persona_id = str(pid) if pid is not None else None
        return choose_voice(hints, persona_id, self.voices), hints

    def _next_path(self) -> Path:
        if self.output_dir is None:
            raise ValueError("no output path and no session folder")
        with self._lock:
            self._counter += 1
            n = self._counter
        return self.output_dir / f"client-{n:03d}.wav"

    def speak_line(
        self,
        text: str,
        persona: Any = None,
        *,
        out: Path | None = None,
        persona_id: str | None = None,
        voice: Voice | None = None,
    ) -> SpokenLine:
        """Speak ``text`` with the persona's voice into ``out`` (or the next file of the session)."""
        text = _clean_text(text)
        chosen, hints = self.voice_for(persona, persona_id)
        if voice is not None:
            chosen = voice
        rate = _clamp(hints.rate or DEFAULT_RATE_WPM, MIN_RATE_WPM, MAX_RATE_WPM)
        pitch = _clamp(hints.pitch if hints.pitch is not None else DEFAULT_PITCH, 0, 99)
        path = Path(out) if out is not None else self._next_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        started = time.perf_counter()
        try:
            engine_rate, backend = self._synthesize(chosen, text, tmp, rate, pitch)
            synthesis_s = time.perf_counter() - started
            info = wav_info(tmp)
            if info.frames == 0:
                raise VoiceUnavailable(
                    f"La voix {chosen.label} n'a produit aucun son pour cette phrase.", part="tts"
                )
            if info.sample_rate != engine_rate:
                # The header disagrees with the rate the engine produced (the pyttsx3 + MBROLA bug): fix it.
                rewrite_sample_rate(tmp, engine_rate)
            elif info.bits_per_sample != 16 or info.channels != 1:
                samples, rate_read = read_wav(tmp)
                write_wav(tmp, samples, rate_read)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        final = wav_info(path)
        return SpokenLine(
            path=path,
            text=text,
            sample_rate=final.sample_rate,
            duration_s=final.duration_s,
            engine=chosen.engine,
            voice=chosen.name,
            synthesis_s=synthesis_s,
            engine_sample_rate=engine_rate,
            backend=backend,
        )

    def _synthesize(self, voice: Voice, text: str, out: Path, rate: int, pitch: int) -> tuple[int, str]:
        """Write ``out``; returns (the sample rate the engine produced, the backend used)."""
        if voice.engine == "pico":
            return _pico(text, out, rate, pitch), "cli"
        if voice.engine == "mbrola":
            setting = round(rate / MBROLA_WPM_PER_SETTING)
            native = mbrola_native_rate(voice.name[3:])
            return _espeak_cli(text, out, voice.name, setting, pitch, native_rate=native), "cli"
        if voice.engine == "pyttsx3":
            _pyttsx3(text, out, voice.name, rate, None, heard_wpm=rate)
            return wav_info(out).sample_rate, "pyttsx3"  # the system engine's own header
        setting = round(rate / ESPEAK_WPM_PER_SETTING)
        return _espeak_cli(text, out, voice.name, setting, pitch, native_rate=ESPEAK_SAMPLE_RATE), "cli"


_MARKUP = str.maketrans({"&": " et ", "<": " ", ">": " "})
# Both engines have one fixed output rate (SVOX Pico's and espeak-ng's own voices); MBROLA's depends
# on the database and is asked of mbrola itself (mbrola_native_rate).
PICO_SAMPLE_RATE = 16000
ESPEAK_SAMPLE_RATE = 22050


def _pico(text: str, out: Path, rate: int, pitch: int) -> int:
    speed = _clamp(round(100 * rate / PICO_NATIVE_WPM), 50, 200)
    # espeak's pitch 0..99 (50 neutral) onto Pico's percentage, kept within a natural range.
    pico_pitch = _clamp(round(100 + (pitch - 50) * 0.6), 70, 130)
    markup = f"<speed level='{speed}'><pitch level='{pico_pitch}'>{text.translate(_MARKUP)}</pitch></speed>"
    # pico2wave insists on a name ending in .wav
    result = subprocess.run(
        ["pico2wave", "-l", "fr-FR", "-w", str(out), "--", markup], capture_output=True, timeout=60, check=False
    )
    if result.returncode != 0 or not out.exists() or out.stat().st_size <= 44:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VoiceUnavailable(
            f"La voix Pico a échoué ({message[-1] if message else 'code ' + str(result.returncode)}).", part="tts"
        )
    return PICO_SAMPLE_RATE


def plausible_length(text: str, duration_s: float, heard_wpm: float) -> bool:
    """Whether a synthesised file's length fits its text said at about ``heard_wpm`` words per minute.

    Catches what pyttsx3 gets wrong most (nothing, a few samples, the line twice): between half and
    1.6 times the expected time, plus a second for the pauses at both ends.
    """
    from trainer.voice.prosody import count_words

    expected = count_words(text) / max(heard_wpm, 1.0) * 60.0
    return 0.5 * expected <= duration_s <= 1.6 * expected + 1.0


def _pyttsx3(text: str, out: Path, voice: str, rate: int, pitch: int | None, *, heard_wpm: float) -> None:
    """One line through pyttsx3 in a worker process: killed if it hangs, its file checked, 3 tries."""
    args = [str(out), "--voice", voice, "--rate", str(rate)]
    if pitch is not None:
        args += ["--pitch", str(pitch)]
    problem = "aucun fichier"
    for _ in range(PYTTSX3_ATTEMPTS):
        out.unlink(missing_ok=True)
        try:
            result = subprocess.run(
                _worker_command(*args),
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=PYTTSX3_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            problem = f"bloqué plus de {PYTTSX3_TIMEOUT_S:.0f} s"
            continue
        except OSError as exc:
            problem = str(exc)
            break
        if result.returncode == 0 and out.exists():
            try:
                info = wav_info(out)
            except UserError:
                problem = "fichier WAV illisible"
                continue
            if info.frames > 0 and plausible_length(text, info.duration_s, heard_wpm):
                return
            problem = f"fichier de {info.duration_s:.1f} s pour cette phrase"
        else:
            lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
            problem = lines[-1] if lines else f"code {result.returncode}"
    out.unlink(missing_ok=True)
    raise VoiceUnavailable(f"La voix {voice} (pyttsx3) a échoué ({problem}).", part="tts")


def _espeak_cli(text: str, out: Path, voice: str, rate: int, pitch: int, native_rate: int) -> int:
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(out), "--stdin"],
        input=text.encode("utf-8"),
        capture_output=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0 or not out.exists() or out.stat().st_size <= 44:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VoiceUnavailable(
            f"La voix {voice} a échoué ({message[-1] if message else 'code ' + str(result.returncode)}).", part="tts"
        )
    return native_rate
