"""Sound for the call desk: the ring tone and the customer's recorded lines (voice mode).

Playback uses the system's command-line player (``aplay`` from alsa-utils, ``paplay`` from
PulseAudio/PipeWire, or ``ffplay``); without one, the app says so once and the call goes on in text.
The ring tone is generated here (French ring: 440 Hz, 1.5 s on) with the standard ``wave`` module.
"""

from __future__ import annotations

import math
import shutil
import struct
import subprocess
import wave
from pathlib import Path

PLAYERS: tuple[tuple[str, ...], ...] = (
    ("aplay", "-q"),
    ("paplay",),
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"),
)

RING_HZ = 440.0
RING_SECONDS = 1.5
SAMPLE_RATE = 16_000


def find_player() -> tuple[str, ...] | None:
    """The command line of the first audio player installed, or None."""
    for command in PLAYERS:
        if shutil.which(command[0]):
            return command
    return None


def play(path: Path, player: tuple[str, ...]) -> subprocess.Popen[bytes]:
    """Start playing a WAV file in the background (returns the process)."""
    return subprocess.Popen(
        [*player, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def write_ring_tone(path: Path) -> Path:
    """Write the ring tone WAV (mono 16 bit) if it is not there yet; returns its path."""
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    count = int(SAMPLE_RATE * RING_SECONDS)
    fade = int(SAMPLE_RATE * 0.02)
    for i in range(count):
        # Short fades at both ends avoid clicks.
        envelope = min(1.0, i / fade, (count - i) / fade)
        sample = 0.35 * envelope * math.sin(2 * math.pi * RING_HZ * i / SAMPLE_RATE)
        frames += struct.pack("<h", int(sample * 32767))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    tmp.replace(path)
    return path
