"""A media file's sound as a picture and as pauses (ffmpeg): what the segment editor draws.

`waveform_peaks` decodes a mono 8 kHz stream through a pipe and keeps one peak per 5 ms as it
goes (an hour is ~3 MB of peaks, never its audio), then folds those into the buckets asked for,
normalised to the loudest one. `silences` is ffmpeg's `silencedetect`; `snap_to_silence` moves
a cut onto the nearest pause, so a segment edge does not clip a word.

Blocking: async callers use `asyncio.to_thread`. Uses numpy (pinned in requirements.txt and
already used by the sandbox engine).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

import av
import numpy as np
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError

# 8 kHz keeps the voice band (to 4 kHz): a lower rate's low-pass would hide sibilants' peaks.
PEAK_RATE = 8_000
PEAK_BLOCK = 40  # samples: 5 ms, finer than any bucket a page would draw
DECODE_TIMEOUT_SECONDS = 600
_READ_BYTES = 2 * PEAK_BLOCK * 4096
_SILENCE_START = re.compile(r"silence_start: (-?[\d.]+)")
_SILENCE_END = re.compile(r"silence_end: (-?[\d.]+)")


def _decode_command(source: Path) -> list[str]:
    return [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", str(source), "-map", "0:a:0", "-ac", "1", "-ar", str(PEAK_RATE),
        "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1",
    ]  # fmt: skip


def _block_peaks(pcm: bytes) -> np.ndarray:
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.int32)  # abs(-32768) fits in int32
    return np.abs(samples).reshape(-1, PEAK_BLOCK).max(axis=1).astype(np.float32)


def _stream_peaks(source: Path) -> np.ndarray:
    """One peak per PEAK_BLOCK samples of the decoded sound, read as ffmpeg writes it."""
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(_decode_command(source), stdout=subprocess.PIPE, stderr=errors)
        timer = threading.Timer(DECODE_TIMEOUT_SECONDS, process.kill)  # a hung decode ends
        timer.start()
        blocks: list[np.ndarray] = []
        carry = b""
        try:
            assert process.stdout is not None
            while chunk := process.stdout.read(_READ_BYTES):
                data = carry + chunk
                whole = len(data) - len(data) % (2 * PEAK_BLOCK)
                blocks.append(_block_peaks(data[:whole]))
                carry = data[whole:]
            if carry:  # the last, partial block, padded with silence
                blocks.append(_block_peaks(carry.ljust(2 * PEAK_BLOCK, b"\0")))
            process.wait(timeout=60)
        finally:
            timer.cancel()
            if process.poll() is None:
                process.kill()
                process.wait()
    if process.returncode != 0:
        raise ValidationError("The waveform could not be drawn: the sound cannot be read.")
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)


def fold_peaks(fine: np.ndarray, buckets: int) -> list[float]:
    """`fine` peaks folded into `buckets` equal stretches (a stretch shorter than one peak
    repeats its neighbour's), scaled so the loudest bucket is 1.0."""
    if len(fine) == 0:
        return [0.0] * buckets
    edges = np.arange(buckets, dtype=np.int64) * len(fine) // buckets
    peaks = np.maximum.reduceat(fine, np.minimum(edges, len(fine) - 1))
    loudest = float(peaks.max())
    if loudest <= 0:
        return [0.0] * buckets
    return [round(float(value), 4) for value in peaks / loudest]


def waveform_peaks(source: Path, buckets: int = 1000) -> list[float]:
    """0..1 peak of each of `buckets` equal stretches of `source`'s first sound track."""
    if buckets < 1:
        raise ValueError("buckets must be at least 1")
    return fold_peaks(_stream_peaks(source), buckets)


def _length(source: Path) -> float | None:
    try:
        with av.open(str(source), metadata_errors="ignore") as container:
            return container.duration / av.time_base if container.duration else None
    except (av.FFmpegError, OSError):
        return None


def silences(
    source: Path, *, min_silence_s: float = 0.15, noise_db: float = -35
) -> list[tuple[float, float]]:
    """Stretches (start, end seconds) quieter than `noise_db` for at least `min_silence_s`."""
    graph = f"aformat=channel_layouts=mono,silencedetect=noise={noise_db}dB:d={min_silence_s}"
    command = [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info",
        "-i", str(source), "-map", "0:a:0", "-af", graph, "-f", "null", "-",
    ]  # fmt: skip
    try:
        completed = subprocess.run(
            command, check=True, capture_output=True, timeout=DECODE_TIMEOUT_SECONDS
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        raise ValidationError("The pauses could not be found: the sound cannot be read.") from None
    found: list[tuple[float, float]] = []
    start: float | None = None
    for line in completed.stderr.decode(errors="replace").splitlines():
        if (begins := _SILENCE_START.search(line)) is not None:
            start = max(0.0, float(begins.group(1)))
        elif (ends := _SILENCE_END.search(line)) is not None and start is not None:
            found.append((round(start, 3), round(float(ends.group(1)), 3)))
            start = None
    # ffmpeg closes a silence that lasts to the end itself; older builds did not.
    if start is not None and (length := _length(source)) is not None and length > start:
        found.append((round(start, 3), round(length, 3)))
    return found


def snap_to_silence(
    t: float, silences: Sequence[tuple[float, float]], *, within_s: float = 0.3
) -> float:
    """The point nearest `t` inside any silence (edges included): `t` itself when it is in
    one, else the nearest silence edge if that is within `within_s`, else `t` unchanged."""
    best, best_gap = t, None
    for start, end in silences:
        nearest = min(max(t, start), end)  # t clamped into the silence
        gap = abs(nearest - t)
        if gap <= within_s and (best_gap is None or gap < best_gap):  # a tie keeps the first
            best, best_gap = nearest, gap
    return best
