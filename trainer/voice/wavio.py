"""Reading and writing WAV files with the standard library and numpy only.

The trainer must know the *real* sample rate of every file it writes or reads (some engines write a
wrong header), so everything here reads the RIFF header itself rather than trusting a caller.
Supported: PCM 8/16/24/32-bit integer and 32/64-bit IEEE float, mono or multi-channel (mixed down
to mono), ``WAVE_FORMAT_EXTENSIBLE`` included.
"""

from __future__ import annotations

import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from trainer.domain.errors import unreadable
from trainer.errors import UserError

_PCM = 1
_IEEE_FLOAT = 3
_EXTENSIBLE = 0xFFFE


class WavError(UserError):
    """A file that is not a WAV file the trainer can read; the message names the file."""


@dataclass(frozen=True)
class WavInfo:
    """What the header of a WAV file says (the sample rate is the one written in the file)."""

    path: Path
    sample_rate: int
    channels: int
    bits_per_sample: int
    frames: int
    is_float: bool

    @property
    def duration_s(self) -> float:
        """Duration in seconds, from the number of frames and the header's sample rate."""
        return self.frames / self.sample_rate if self.sample_rate else 0.0


def _parse(path: Path, want_data: bool) -> tuple[WavInfo, bytes | None]:
    try:
        file_size = path.stat().st_size
        with path.open("rb") as fh:
            # Header chunks are small: 64 KiB holds them in every file we meet.
            raw = fh.read() if want_data else fh.read(65536)
    except OSError as exc:
        raise WavError(unreadable(path, exc, expected="un fichier WAV")) from None
    if len(raw) < 12 or raw[0:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise WavError(f"{path} : ce n'est pas un fichier WAV (en-tête RIFF/WAVE absent).")
    pos = 12
    fmt: tuple[int, int, int, int] | None = None
    data_offset = data_size = None
    while pos + 8 <= len(raw):
        chunk_id = raw[pos : pos + 4]
        (size,) = struct.unpack("<I", raw[pos + 4 : pos + 8])
        body = pos + 8
        if chunk_id == b"fmt ":
            if size < 16 or body + 16 > len(raw):
                raise WavError(f"{path} : bloc « fmt » tronqué.")
            tag, channels, rate, _byte_rate, _align, bits = struct.unpack("<HHIIHH", raw[body : body + 16])
            if tag == _EXTENSIBLE and size >= 26 and body + 26 <= len(raw):
                (tag,) = struct.unpack("<H", raw[body + 24 : body + 26])
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            data_offset = body
            # Streaming writers may leave 0 or 0xFFFFFFFF here: take what the file really holds.
            available = file_size - body
            data_size = available if size == 0 or size > available else size
            break
        pos = body + size + (size & 1)
    if fmt is None:
        raise WavError(f"{path} : bloc « fmt » absent, fichier WAV invalide.")
    tag, channels, rate, bits = fmt
    if tag not in (_PCM, _IEEE_FLOAT):
        raise WavError(f"{path} : codage audio {tag:#x} non pris en charge (PCM ou flottant attendu).")
    if channels < 1 or rate <= 0 or bits not in (8, 16, 24, 32, 64):
        raise WavError(f"{path} : en-tête incohérent ({channels} canaux, {rate} Hz, {bits} bits).")
    if data_offset is None or data_size is None:
        raise WavError(f"{path} : bloc « data » absent, fichier WAV sans son.")
    frame_bytes = channels * bits // 8
    frames = data_size // frame_bytes
    info = WavInfo(path, rate, channels, bits, frames, tag == _IEEE_FLOAT)
    data = raw[data_offset : data_offset + frames * frame_bytes] if want_data else None
    return info, data


def wav_info(path: str | os.PathLike[str]) -> WavInfo:
    """Read the header of a WAV file (sample rate, channels, frames) without loading the samples."""
    return _parse(Path(path), want_data=False)[0]


def read_wav(path: str | os.PathLike[str]) -> tuple[np.ndarray, int]:
    """Load a WAV file as mono float32 samples in [-1, 1] and its sample rate from the header."""
    info, data = _parse(Path(path), want_data=True)
    assert data is not None
    if info.is_float:
        dtype = "<f4" if info.bits_per_sample == 32 else "<f8"
        samples = np.frombuffer(data, dtype=dtype).astype(np.float32)
    elif info.bits_per_sample == 8:
        samples = (np.frombuffer(data, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif info.bits_per_sample == 16:
        samples = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    elif info.bits_per_sample == 24:
        b = np.frombuffer(data, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints & 0x800000, ints - 0x1000000, ints)
        samples = ints.astype(np.float32) / 8388608.0
    else:
        samples = np.frombuffer(data, dtype="<i4").astype(np.float32) / 2147483648.0
    if info.channels > 1:
        samples = samples.reshape(-1, info.channels).mean(axis=1)
    return samples, info.sample_rate


def to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to 16-bit PCM, clipped (never wrapped around)."""
    return np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32767.0), -32768, 32767).astype("<i2")


def write_wav(path: str | os.PathLike[str], samples: np.ndarray, sample_rate: int) -> Path:
    """Write mono 16-bit PCM atomically (a temporary file renamed into place: never half a file).

    ``samples`` may be float in [-1, 1] or already int16.
    """
    path = Path(path)
    pcm = samples.astype("<i2") if samples.dtype == np.int16 else to_int16(samples)
    payload = pcm.tobytes()
    header = struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + len(payload),
        b"WAVE",
        b"fmt ",
        16,
        _PCM,
        1,
        int(sample_rate),
        int(sample_rate) * 2,
        2,
        16,
        b"data",
        len(payload),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".wav", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(header)
            fh.write(payload)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def rewrite_sample_rate(path: str | os.PathLike[str], sample_rate: int) -> None:
    """Fix the sample rate written in a WAV header in place (some engines write a wrong one)."""
    path = Path(path)
    samples, _ = read_wav(path)
    write_wav(path, samples, sample_rate)
