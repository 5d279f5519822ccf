"""Stretches of a media file's speech cut out and joined into one voice sample (ffmpeg): how a
dubbing speaker becomes a character that keeps their own voice in a translated line."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError

CUT_TIMEOUT_SECONDS = 120
# Enough of a voice for a sample; more only makes the upload longer.
LONGEST_SAMPLE_SECONDS = 60.0


def spans_within(spans: Sequence[tuple[float, float]], limit: float) -> list[tuple[float, float]]:
    """The spans in order, cut so they add up to at most `limit` seconds."""
    kept: list[tuple[float, float]] = []
    left = limit
    for start, end in sorted(spans):
        if left <= 0:
            break
        end = min(end, start + left)
        if end > start:
            kept.append((start, end))
            left -= end - start
    return kept


def cut_speech(source: Path, spans: Sequence[tuple[float, float]], target: Path) -> Path:
    """`spans` (seconds) of `source`'s first audio stream, joined, as mono 16-bit WAV. Blocks."""
    kept = spans_within(spans, LONGEST_SAMPLE_SECONDS)
    if not kept:
        raise ValidationError("There is no speech to cut.")
    chains = [
        f"[0:a:0]atrim=start={start:.3f}:end={end:.3f},asetpts=PTS-STARTPTS[s{number}]"
        for number, (start, end) in enumerate(kept)
    ]
    labels = "".join(f"[s{number}]" for number in range(len(kept)))
    graph = ";".join([*chains, f"{labels}concat=n={len(kept)}:v=0:a=1[out]"])
    command = [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", str(source), "-filter_complex", graph, "-map", "[out]",
        "-ac", "1", "-c:a", "pcm_s16le", "-f", "wav", "-y", str(target),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=CUT_TIMEOUT_SECONDS)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        target.unlink(missing_ok=True)
        raise ValidationError("The speech could not be cut from this file.") from error
    return target
