"""Playing a customer's line on the speakers without freezing the screen.

``aplay`` (package ``alsa-utils``) plays the WAV in its own process; the caller gets a handle to wait
for it or stop it (the student interrupts the customer, the call ends).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from trainer.voice.errors import VoiceUnavailable

NO_SPEAKERS = "Aucune sortie son n'est disponible : les répliques du client s'affichent à l'écrit."


def playback_devices() -> list[str]:
    """ALSA playback devices listed by ``aplay -l`` (empty when there is none or no ALSA)."""
    if shutil.which("aplay") is None:
        return []
    try:
        listing = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in listing.splitlines() if line.startswith("card ")]


class Playback:
    """One WAV being played; ``wait()`` until it ends, ``stop()`` to cut it short."""

    def __init__(self, path: Path, device: str | None = None) -> None:
        command = ["aplay", "-q"] + (["-D", device] if device else []) + [str(path)]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except OSError:
            raise VoiceUnavailable(NO_SPEAKERS, part="playback") from None
        self.path = path

    @property
    def done(self) -> bool:
        """True once the line has been played (or failed)."""
        return self._process.poll() is not None

    def wait(self, timeout: float | None = None) -> None:
        """Block until the end of the line; raise ``VoiceUnavailable`` if the device refused it."""
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return
        if code not in (0, -15):
            detail = (self._process.stderr.read() if self._process.stderr else b"").decode("utf-8", "replace")
            last = detail.strip().splitlines()[-1] if detail.strip() else f"code {code}"
            raise VoiceUnavailable(f"{NO_SPEAKERS} ({last})", part="playback")

    def stop(self) -> None:
        """Stop playing now."""
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self._process.kill()


def play(path: Path, device: str | None = None) -> Playback:
    """Start playing ``path``; fails at once with one French sentence when there are no speakers."""
    if shutil.which("aplay") is None or (device is None and not playback_devices()):
        raise VoiceUnavailable(NO_SPEAKERS, part="playback")
    return Playback(Path(path), device)
