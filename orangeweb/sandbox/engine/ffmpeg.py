"""Running the ffmpeg binary shipped by imageio-ffmpeg: encoding, time-stretching, muxing."""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path

import imageio_ffmpeg
import numpy as np

from orangeweb.sandbox.engine.errors import MediaError

# atempo takes factors in [0.5, 100] in current ffmpeg, but quality drops past 2x per stage,
# so larger factors are split into a chain of stages of at most 2x each.
_ATEMPO_STAGE_MAX = 2.0
_ATEMPO_STAGE_MIN = 0.5

# Audio encoder arguments by output suffix. MP3 (libmp3lame, VBR ~165 kb/s) is the default.
AUDIO_CODEC_ARGS: dict[str, list[str]] = {
    ".mp3": ["-c:a", "libmp3lame", "-q:a", "4"],
    ".wav": ["-c:a", "pcm_s16le"],
    ".m4a": ["-c:a", "aac", "-b:a", "128k"],
    ".aac": ["-c:a", "aac", "-b:a", "128k"],
    ".ogg": ["-c:a", "libvorbis", "-q:a", "4"],
    ".opus": ["-c:a", "libopus", "-b:a", "64k"],
    ".webm": ["-c:a", "libopus", "-b:a", "64k"],
    ".flac": ["-c:a", "flac"],
}


@cache
def ffmpeg_exe() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(arguments: list[str], input_bytes: bytes | None = None) -> bytes:
    """Run ffmpeg non-interactively; returns its stdout. Raises MediaError with ffmpeg's own
    last error line (it names the problem, e.g. a codec the container cannot hold)."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *arguments]
    completed = subprocess.run(command, input=input_bytes, capture_output=True, check=False)
    if completed.returncode != 0:
        lines = completed.stderr.decode(errors="replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {completed.returncode}"
        raise MediaError(f"media processing failed: {detail}")
    return completed.stdout


def _raw_input_args(sample_rate: int) -> list[str]:
    return ["-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0"]


def encode_samples(samples: np.ndarray, sample_rate: int, out_path: Path) -> None:
    """Write mono int16 samples to `out_path`, encoded by its suffix (MP3 when unknown)."""
    codec_args = AUDIO_CODEC_ARGS.get(out_path.suffix.lower(), AUDIO_CODEC_ARGS[".mp3"])
    pcm = np.ascontiguousarray(samples, dtype="<i2").tobytes()
    run_ffmpeg([*_raw_input_args(sample_rate), *codec_args, str(out_path)], pcm)


def atempo_chain(factor: float) -> str:
    """An ffmpeg filter speeding audio up by `factor` (below 1 slows it down)."""
    stages: list[float] = []
    remaining = factor
    while remaining > _ATEMPO_STAGE_MAX:
        stages.append(_ATEMPO_STAGE_MAX)
        remaining /= _ATEMPO_STAGE_MAX
    while remaining < _ATEMPO_STAGE_MIN:
        stages.append(_ATEMPO_STAGE_MIN)
        remaining /= _ATEMPO_STAGE_MIN
    stages.append(remaining)
    return ",".join(f"atempo={stage:.6f}" for stage in stages)


def fit_to_duration(samples: np.ndarray, sample_rate: int, slot_seconds: float) -> np.ndarray:
    """Fit speech into a slot: speed it up (pitch kept) when too long, then pad with silence or
    trim to exactly the slot's length. Speech shorter than its slot is not slowed down: a pause
    after it sounds natural, drawled speech does not."""
    slot_samples = max(round(slot_seconds * sample_rate), 0)
    if slot_samples == 0:
        return np.zeros(0, dtype=np.int16)
    fitted = samples
    if len(samples) > slot_samples:
        factor = len(samples) / slot_samples
        pcm = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        output = run_ffmpeg(
            [
                *_raw_input_args(sample_rate),
                "-af",
                atempo_chain(factor),
                "-f",
                "s16le",
                "-ac",
                "1",
                "-ar",
                str(sample_rate),
                "pipe:1",
            ],
            pcm,
        )
        fitted = np.frombuffer(output, dtype="<i2")
    if len(fitted) >= slot_samples:
        return fitted[:slot_samples].copy()
    return np.concatenate([fitted, np.zeros(slot_samples - len(fitted), dtype=np.int16)])
