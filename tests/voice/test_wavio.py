"""WAV files: the sample rate comes from the file, bad files give one clear French sentence."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from trainer.voice.wavio import WavError, read_wav, rewrite_sample_rate, wav_info, write_wav


def test_round_trip_keeps_rate_and_samples(tmp_path: Path) -> None:
    tone = 0.5 * np.sin(2 * np.pi * 440 * np.arange(8000) / 8000)
    path = write_wav(tmp_path / "a.wav", tone, 8000)
    info = wav_info(path)
    assert (info.sample_rate, info.channels, info.bits_per_sample, info.frames) == (8000, 1, 16, 8000)
    assert info.duration_s == pytest.approx(1.0)
    samples, rate = read_wav(path)
    assert rate == 8000
    assert np.max(np.abs(samples - tone)) < 1e-3


def _raw_wav(path: Path, tag: int, channels: int, rate: int, bits: int, payload: bytes) -> Path:
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * channels * bits // 8, channels * bits // 8, bits)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def test_float_stereo_and_24_bit_files(tmp_path: Path) -> None:
    stereo = np.array([[0.5, -0.5], [0.25, 0.25]], dtype="<f4")
    samples, rate = read_wav(_raw_wav(tmp_path / "f.wav", 3, 2, 44100, 32, stereo.tobytes()))
    assert rate == 44100
    assert samples.tolist() == pytest.approx([0.0, 0.25])
    # 24-bit: half scale positive, half scale negative.
    payload = (0x400000).to_bytes(3, "little") + (0xC00000).to_bytes(3, "little")
    samples, rate = read_wav(_raw_wav(tmp_path / "p.wav", 1, 1, 16000, 24, payload))
    assert samples.tolist() == pytest.approx([0.5, -0.5])


def test_header_rate_can_be_fixed(tmp_path: Path) -> None:
    path = write_wav(tmp_path / "x.wav", np.zeros(16000), 22050)
    rewrite_sample_rate(path, 16000)
    assert wav_info(path).sample_rate == 16000
    assert wav_info(path).duration_s == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"hello world, not audio", "ce n'est pas un fichier WAV"),
        (b"RIFF\x04\x00\x00\x00WAVE", "bloc « fmt » absent"),
    ],
)
def test_bad_files_are_named(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "bad.wav"
    path.write_bytes(content)
    with pytest.raises(WavError) as info:
        read_wav(path)
    assert str(path) in str(info.value) and expected in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WavError, match="fichier introuvable"):
        wav_info(tmp_path / "absent.wav")
