"""What a dub is mixed from (see `dub_mix`): the source's facts, takes fitted to 48 kHz mono
WAV and cached, the voice track they are laid on, and the gain envelope that ducks the source.

Everything is streamed through `wave` in chunks: an hour of media never sits in memory.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import subprocess
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import av
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError

RATE = 48_000
# The gain only changes at slot edges: 1 kHz is plenty, and ffmpeg upsamples it smoothly.
ENVELOPE_RATE = 1_000
RAMP_S = 0.02  # a duck fades in and out over 20 ms: a hard gain step clicks
FIT_TIMEOUT_SECONDS = 120
_CHUNK_FRAMES = 65_536


@dataclass(frozen=True, slots=True)
class Placed:
    start: int  # samples at RATE
    fitted: Path
    frames: int  # how much of the fitted take is used


def render_error(reason: str) -> ValidationError:
    return ValidationError(f"The dub could not be rendered: {reason}.")


@dataclass(frozen=True, slots=True)
class SourceFacts:
    duration_s: float
    audio_channels: int  # 0: no audio track
    video_index: int | None


def probe_source(source: Path) -> SourceFacts:
    try:
        with av.open(str(source), metadata_errors="ignore") as container:
            duration = (container.duration or 0) / av.time_base
            audio = container.streams.audio
            videos = [
                stream.index
                for stream in container.streams.video
                if not stream.disposition & av.stream.Disposition.attached_pic  # cover art
            ]
            channels = audio[0].codec_context.channels if audio else 0
    except (av.FFmpegError, OSError):
        raise render_error("the media file cannot be read") from None
    if duration <= 0:
        raise render_error("the media's length cannot be read")
    return SourceFacts(duration, channels, videos[0] if videos else None)


def _atempo(speed: float) -> str:
    stages: list[str] = []
    while speed > 2.0:  # atempo sounds worse past 2x per stage
        stages.append("atempo=2.0")
        speed /= 2.0
    return ",".join([*stages, f"atempo={speed:.6f}"])


def fitted_take(take: Path, speed: float, work_dir: Path, label: str) -> Path:
    """The take as 48 kHz mono s16 WAV at `speed`, cached by what the take file is."""
    try:
        stat = take.stat()
    except OSError:
        raise render_error(f"the take of {label} is missing") from None
    key = f"{take.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{speed:.3f}"
    cached = work_dir / f"take-{hashlib.sha256(key.encode()).hexdigest()[:32]}.wav"
    if cached.exists():
        return cached
    # Sped-up takes start from the decoded one, so each take file is decoded once.
    source = take if speed == 1.0 else fitted_take(take, 1.0, work_dir, label)
    chain = "aresample=48000" if speed == 1.0 else _atempo(speed)
    partial = cached.with_name(f".{cached.stem}.{secrets.token_hex(4)}.part.wav")
    command = [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", str(source), "-map", "0:a:0", "-af", chain,
        "-ac", "1", "-ar", str(RATE), "-c:a", "pcm_s16le", "-f", "wav", "-y", str(partial),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=FIT_TIMEOUT_SECONDS)
        os.replace(partial, cached)  # never a half take in the cache
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        raise render_error(f"the take of {label} cannot be read as audio") from None
    finally:
        partial.unlink(missing_ok=True)
    return cached


def frame_count(path: Path) -> int:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes()


def _sample(value: float) -> bytes:
    return round(32767 * value).to_bytes(2, "little", signed=True)


def write_tracks(
    placed: Sequence[Placed],
    ducks: Sequence[tuple[float, float]],
    total: int,
    duck_gain: float,
    voice: Path,
    envelope: Path,
) -> None:
    """The voice track (silence, take, silence, ...) and the 1 kHz gain envelope, streamed."""
    silence = bytes(2 * _CHUNK_FRAMES)
    with wave.open(str(voice), "wb") as out:
        out.setparams((1, 2, RATE, 0, "NONE", "not compressed"))
        position = 0
        for item in placed:
            for gap in range(item.start - position, 0, -_CHUNK_FRAMES):
                out.writeframesraw(silence[: 2 * min(gap, _CHUNK_FRAMES)])
            with wave.open(str(item.fitted), "rb") as take:
                for left in range(item.frames, 0, -_CHUNK_FRAMES):
                    out.writeframesraw(take.readframes(min(left, _CHUNK_FRAMES)))
            position = item.start + item.frames
        for gap in range(total - position, 0, -_CHUNK_FRAMES):
            out.writeframesraw(silence[: 2 * min(gap, _CHUNK_FRAMES)])
    full, low = _sample(1.0), _sample(duck_gain)
    with wave.open(str(envelope), "wb") as out:
        out.setparams((1, 2, ENVELOPE_RATE, 0, "NONE", "not compressed"))
        position = 0
        for start, end in ducks:
            a, b = round(start * ENVELOPE_RATE), round(end * ENVELOPE_RATE)
            # The ramps lie inside the span: the source around it (a kept slot) stays as is.
            size = min(round(RAMP_S * ENVELOPE_RATE), (b - a) // 2)
            down = [_sample(1 - (1 - duck_gain) * (k + 1) / (size + 1)) for k in range(size)]
            _repeat(out, full, a - position)
            out.writeframesraw(b"".join(down))
            _repeat(out, low, b - a - 2 * size)
            out.writeframesraw(b"".join(reversed(down)))
            position = b
        # A second past the end: amultiply stops with the shorter input, the source.
        _repeat(out, full, round(total / RATE * ENVELOPE_RATE) + ENVELOPE_RATE - position)


def _repeat(out: wave.Wave_write, sample: bytes, count: int) -> None:
    for left in range(count, 0, -_CHUNK_FRAMES):
        out.writeframesraw(sample * min(left, _CHUNK_FRAMES))


def merged_spans(spans: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if merged and start - merged[-1][1] < 2 * RAMP_S:  # no un-duck blip between ramps
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
