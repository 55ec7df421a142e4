"""pyttsx3 in a process of its own: one line to a WAV file, or the list of the system's voices.

``python -m trainer.voice.pyttsx_worker OUT.wav [--voice ID] [--rate WPM] [--pitch 0-99]`` reads the
text on stdin and writes OUT.wav; ``--list`` prints the voices as JSON lines. pyttsx3 drives
espeak-ng's library on Linux, SAPI5 on Windows, NSSpeechSynthesizer on macOS.

Why a process per line (measured here with pyttsx3 2.99 and espeak-ng 1.51): in a long-lived
process, ``runAndWait`` sometimes never returns (1 line in about 30); in a fresh process, the first
``save_to_file`` sometimes writes no file at all (1 in 20); and the espeak driver writes the file on
the end-of-message event before adding that event's own samples. The parent (``tts._pyttsx3``)
kills a worker that hangs, checks the file and tries again; this worker appends the samples the
driver kept after writing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import wave


def _append_tail(path: str, engine: object) -> None:
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    tail = getattr(driver, "_data_buffer", b"")
    if not tail:
        return
    with wave.open(path, "rb") as src:
        params = src.getparams()
        frames = src.readframes(src.getnframes())
    with wave.open(path, "wb") as out:
        out.setparams(params)
        out.writeframes(frames + tail)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the worker process; returns the exit code."""
    parser = argparse.ArgumentParser(prog="pyttsx_worker")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--voice")
    parser.add_argument("--rate", type=int)
    parser.add_argument("--pitch", type=int)
    parser.add_argument("--list", action="store_true")
    args = parser.parse_args(argv)
    import pyttsx3

    engine = pyttsx3.init()
    if args.list:
        for voice in engine.getProperty("voices"):
            languages = [
                lang.decode("utf-8", "replace") if isinstance(lang, bytes) else str(lang)
                for lang in (getattr(voice, "languages", None) or [])
            ]
            sys.stdout.write(
                json.dumps(
                    {"id": voice.id, "name": voice.name, "languages": languages, "gender": voice.gender},
                    ensure_ascii=False,
                )
                + "\n"
            )
        return 0
    if not args.out:
        parser.error("OUT.wav is required")
    text = sys.stdin.read()
    if args.voice:
        engine.setProperty("voice", args.voice)
    if args.rate:
        engine.setProperty("rate", args.rate)
    if args.pitch is not None:
        try:
            engine.setProperty("pitch", args.pitch)
        except (KeyError, ValueError, AttributeError):
            pass  # SAPI5 and NSSS have no pitch setting
    # One synthesis only: a second one in the same process can receive the first one's late audio
    # (measured: files holding the line twice). A missing file is retried by the parent, afresh.
    engine.save_to_file(text, args.out)
    engine.runAndWait()
    if not os.path.exists(args.out):
        return 2
    try:
        _append_tail(args.out, engine)
    except (OSError, wave.Error, EOFError):
        return 3
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a process
    sys.exit(main())
