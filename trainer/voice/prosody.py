"""How the student spoke: speaking rate, filler words, pauses and loudness (pure functions).

These measures feed the grid item ``poser_sa_voix`` ("Poser sa voix (débit plus lent qu'en face à
face), voix claire et audible") and the charter's "Utiliser un ton agréable". They are computed from
the samples of one turn and, when speech recognition gave them, its word timings.

Conventions:

- Loudness is the RMS level of the *speech* in dBFS, where a full-scale square wave is 0 dBFS (a
  full-scale sine is therefore about -3 dBFS). Only frames that carry speech count (inside the
  recognised words, or above an energy gate when there are no word timings), so a long silence
  before the answer does not make a voice look quieter than it is.
- Words per minute count every spoken word (numbers in digits are counted as the words a speaker
  says, fillers included) over the speaking time: from the first word's start to the last word's
  end. About 120 words per minute is the reference on the phone in French.
- Filler words per minute use the same speaking time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from trainer.voice.frnumbers import spell_numbers

#: The reference speaking rate on the phone in French (words per minute).
PHONE_REFERENCE_WPM = 120.0

#: Below this, a level is digital silence (dBFS).
SILENCE_FLOOR_DBFS = -96.0

#: Filler words and hesitations ("mots parasites"); multi-word fillers are matched as phrases.
FILLERS: tuple[str, ...] = (
    "euh", "euhh", "euhm", "heu", "hum", "hmm", "mmh", "hein", "bah", "ben", "beh", "bon ben",
    "du coup", "en fait", "genre", "tu vois", "tu sais", "voilà quoi", "quoi",
)  # fmt: skip

# "genre" is a noun in "ce genre de produit"; "quoi" is a real question word except at the end of
# a clause ("c'est bien, quoi."), which is its filler use.
_FILLER_EXCEPTIONS = {
    "genre": re.compile(r"\b(?:ce|un|le|du|quel|quelle|de|même|tout|mon|son|votre|notre|leur)\s+genre\b|\bgenre\s+(?:de|d')"),
}
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def count_fillers(text: str) -> int:
    """How many filler words or phrases ("euh", "ben", "du coup", "en fait"...) ``text`` holds."""
    lowered = text.lower()
    total = 0
    for filler in FILLERS:
        if filler == "quoi":
            # Only the clause-final "quoi" (followed by punctuation or the end), never "pour quoi".
            total += len(re.findall(r"(?<!pour )(?<!de )(?<!à )\bquoi\b(?=\s*(?:[.,!;…]|$))", lowered))
            continue
        if filler == "bon ben":
            continue  # "bon ben" already counts through "ben"
        pattern = r"(?<![\w'’])" + re.escape(filler).replace(r"\ ", r"\s+") + r"(?![\w'’])"
        hits = len(re.findall(pattern, lowered))
        exception = _FILLER_EXCEPTIONS.get(filler)
        if exception is not None:
            hits -= len(exception.findall(lowered))
        total += max(hits, 0)
    return total


def count_words(text: str) -> int:
    """Spoken words in ``text``: digits spelt as said ("48" is two words), hyphenated compounds one."""
    return len(_WORD.findall(spell_numbers(text)))


@dataclass(frozen=True)
class WordTiming:
    """One recognised word and when it was said (seconds from the start of the recording)."""

    text: str
    start: float
    end: float
    probability: float | None = None


def rms_dbfs(samples: np.ndarray) -> float:
    """RMS level of the samples in dBFS (full-scale square = 0 dBFS; silence = -96 dBFS)."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return SILENCE_FLOOR_DBFS
    rms = math.sqrt(float(np.mean(x * x)))
    if rms <= 10 ** (SILENCE_FLOOR_DBFS / 20):
        return SILENCE_FLOOR_DBFS
    return max(20.0 * math.log10(rms), SILENCE_FLOOR_DBFS)


def frame_levels_dbfs(samples: np.ndarray, sample_rate: int, frame_s: float = 0.03) -> np.ndarray:
    """RMS level of consecutive frames (30 ms by default), in dBFS."""
    x = np.asarray(samples, dtype=np.float64)
    size = max(1, int(round(frame_s * sample_rate)))
    count = len(x) // size
    if count == 0:
        return np.array([rms_dbfs(x)]) if len(x) else np.array([])
    frames = x[: count * size].reshape(count, size)
    rms = np.sqrt(np.mean(frames * frames, axis=1))
    with np.errstate(divide="ignore"):
        levels = 20.0 * np.log10(np.maximum(rms, 1e-12))
    return np.maximum(levels, SILENCE_FLOOR_DBFS)


def speech_mask(samples: np.ndarray, sample_rate: int, frame_s: float = 0.03) -> np.ndarray:
    """Which frames carry speech, by an energy gate relative to the recording's own levels.

    The gate sits 12 dB above the noise floor (10th percentile of frame levels) and never more
    than 35 dB below the loudest frames, so that it works for quiet and loud microphones alike.
    """
    levels = frame_levels_dbfs(samples, sample_rate, frame_s)
    if levels.size == 0:
        return np.zeros(0, dtype=bool)
    floor = float(np.percentile(levels, 10))
    peak = float(np.percentile(levels, 99))
    gate = max(floor + 12.0, peak - 35.0, -70.0)
    if peak - floor < 6.0 and peak < -50.0:
        return np.zeros(levels.size, dtype=bool)  # nothing stands out: silence or steady noise
    return levels >= gate


def _speech_spans_from_mask(mask: np.ndarray, frame_s: float, bridge_s: float = 0.25) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    start = None
    for i, on in enumerate(mask):
        if on and start is None:
            start = i
        elif not on and start is not None:
            spans.append((start * frame_s, i * frame_s))
            start = None
    if start is not None:
        spans.append((start * frame_s, len(mask) * frame_s))
    merged: list[tuple[float, float]] = []
    for span in spans:
        if merged and span[0] - merged[-1][1] <= bridge_s:
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    # A lone click shorter than 60 ms is not speech.
    return [s for s in merged if s[1] - s[0] >= 0.06]


@dataclass(frozen=True)
class Prosody:
    """The voice measures of one turn. ``None`` when a measure cannot be judged (no speech)."""

    duration_s: float
    speech_s: float
    words: int
    words_per_minute: float | None
    fillers: int
    filler_words_per_minute: float | None
    loudness_dbfs: float | None
    pause_before_s: float | None
    longest_pause_s: float
    pauses: list[tuple[float, float]] = field(default_factory=list)

    def turn_fields(self) -> dict[str, float]:
        """The per-turn fields of a voice transcript (CONTRACT §2 plus optional ones), rounded."""
        out: dict[str, float] = {}
        for key, digits in (
            ("words_per_minute", 1),
            ("filler_words_per_minute", 1),
            ("loudness_dbfs", 1),
            ("pause_before_s", 2),
        ):
            value = getattr(self, key)
            if value is not None:
                out[key] = round(value, digits)
        return out

    def as_dict(self) -> dict[str, object]:
        """Every measure as plain JSON-ready values."""
        data = asdict(self)
        data["pauses"] = [list(p) for p in self.pauses]
        return data


#: A gap between words longer than this is a pause worth reporting (seconds).
PAUSE_MIN_S = 0.5
#: Speaking rate is not judged on less speech than this (seconds): "Oui." has no rate.
MIN_SPEECH_FOR_RATE_S = 1.0


def measure_prosody(
    samples: np.ndarray,
    sample_rate: int,
    text: str,
    words: Sequence[WordTiming] | None = None,
) -> Prosody:
    """Measure one turn from its samples, its transcription ``text`` and optional word timings.

    ``samples`` is mono float in [-1, 1]. The recording is assumed to start when the student could
    start speaking (the end of the customer's line), so the silence before the first word is the
    "silence before answering".
    """
    x = np.asarray(samples, dtype=np.float64)
    duration = len(x) / sample_rate if sample_rate else 0.0
    frame_s = 0.03
    timed = [w for w in (words or []) if w.end > w.start]
    if timed:
        spans = [(max(0.0, w.start), min(duration, w.end) if duration else w.end) for w in timed]
        spans.sort()
        speech_start, speech_end = spans[0][0], max(end for _, end in spans)
        gaps = [(a_end, b_start) for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False)]
        # Word timings include the quiet edges of words: loudness uses the voiced frames inside them.
        voiced = speech_mask(x, sample_rate, frame_s)
        in_words = np.zeros_like(voiced)
        for start, end in spans:
            in_words[int(start / frame_s) : int(math.ceil(end / frame_s))] = True
        mask = voiced & in_words[: voiced.size]
        if not mask.any():
            mask = in_words[: voiced.size]
        # Whisper often starts the first word a few tenths early: when the voice's energy rises
        # inside that word, that is when the student started speaking.
        first_start, first_end = spans[0]
        for on, off in _speech_spans_from_mask(voiced, frame_s):
            if off > first_start and on < first_end:
                speech_start = max(first_start, on)
                break
    else:
        mask = speech_mask(x, sample_rate, frame_s)
        spans = _speech_spans_from_mask(mask, frame_s)
        if spans:
            speech_start, speech_end = spans[0][0], spans[-1][1]
            gaps = [(a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False)]
        else:
            speech_start = speech_end = 0.0
            gaps = []
    has_speech = bool(spans)
    speech_s = max(0.0, speech_end - speech_start) if has_speech else 0.0
    word_count = count_words(text)
    filler_count = count_fillers(text)
    if has_speech and speech_s >= MIN_SPEECH_FOR_RATE_S and word_count >= 2:
        wpm: float | None = word_count / (speech_s / 60.0)
        fpm: float | None = filler_count / (speech_s / 60.0)
    else:
        wpm = fpm = None
    loudness = None
    if has_speech and mask.any():
        size = max(1, int(round(frame_s * sample_rate)))
        frames = x[: (len(x) // size) * size].reshape(-1, size)[mask[: len(x) // size]]
        loudness = rms_dbfs(frames.ravel()) if frames.size else None
    pauses = [(round(a, 3), round(b, 3)) for a, b in gaps if b - a >= PAUSE_MIN_S]
    return Prosody(
        duration_s=round(duration, 3),
        speech_s=round(speech_s, 3),
        words=word_count,
        words_per_minute=wpm,
        fillers=filler_count,
        filler_words_per_minute=fpm,
        loudness_dbfs=loudness,
        pause_before_s=round(speech_start, 3) if has_speech else None,
        longest_pause_s=round(max((b - a for a, b in gaps), default=0.0), 3),
        pauses=pauses,
    )
