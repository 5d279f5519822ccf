"""A dubbed media file rendered from per-segment takes (ffmpeg): the voice over ducked source.

Each take is time-fitted into its slot: sped up with `atempo` when longer (at most
`speed_limit`, past that the rest is cut at the slot's end), never slowed down, never run into
the next slot or past the media's end. The fitted takes are laid sample-exactly on one 48 kHz
mono s16 voice track, written as a stream with `wave` (an hour of media never sits in memory).

Ducking is a gain envelope track, not `volume=...:enable='between(t,..)+..'`: `enable` is
evaluated per decoded frame (~21 ms steps that click at hard edges), every frame evaluates the
whole expression (hundreds of slots) and the command line grows with it. The envelope is a
1 kHz track with short ramps, upsampled and multiplied in (`amultiply`): constant cost per
sample whatever the number of slots. The voice is then added with `amix normalize=0` (no level
halving) and any video stream is copied packet for packet.

The audio codec follows `target`'s suffix: AAC in .mp4/.mov/.mkv/.m4a/.aac, Opus in .webm, MP3
in .mp3, PCM in .wav; the last four are audio only (any video left out): audio-only sources are
best rendered to .m4a. Fitted takes are cached in `work_dir` by (take path, size, mtime, speed).
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.dub_tracks import (
    RATE,
    Placed,
    SourceFacts,
    fitted_take,
    frame_count,
    merged_spans,
    probe_source,
    render_error,
    write_tracks,
)

logger = logging.getLogger(__name__)

CUT_WARNING_S = 0.05  # shorter cuts are rounding in atempo's output, not lost speech
FIT_SHARE = 0.2  # of the progress bar: fitting and laying out the takes; the mix is the rest
_TIMES = "\u00d7"  # the multiplication sign, as in "1.4x" typeset
_CONTAINER_REFUSALS = ("not currently supported in container", "are supported for", "write header")
_ENCODERS: dict[str, tuple[list[str], bool]] = {  # suffix -> (audio encoder, keeps video)
    ".mp4": (["-c:a", "aac", "-b:a", "192k"], True),
    ".mov": (["-c:a", "aac", "-b:a", "192k"], True),
    ".mkv": (["-c:a", "aac", "-b:a", "192k"], True),
    ".webm": (["-c:a", "libopus", "-b:a", "128k"], True),
    ".m4a": (["-c:a", "aac", "-b:a", "192k"], False),
    ".aac": (["-c:a", "aac", "-b:a", "192k", "-f", "adts"], False),
    ".mp3": (["-c:a", "libmp3lame", "-q:a", "2"], False),
    ".wav": (["-c:a", "pcm_s16le"], False),
}


class RenderStopped(Exception):
    """`should_stop()` said so: the render was abandoned and no target was written."""


@dataclass(frozen=True, slots=True)
class DubSlot:
    start: float  # seconds in the source
    end: float
    take: Path | None  # the take's audio file; None = this slot keeps the source audio as is
    label: str = ""  # for warnings, e.g. the segment id


@dataclass(frozen=True, slots=True)
class SlotReport:
    label: str
    take_s: float
    slot_s: float
    speed: float  # applied atempo (1.0 = untouched)
    needed_speed: float  # take over slot; below 1 it fits with room, 0 for no take
    cut_s: float  # seconds cut off the end (overran the limit / next slot / media end)
    warning: str | None


@dataclass(frozen=True, slots=True)
class RenderReport:
    slots: list[SlotReport]  # in the order of the slots given
    duration_s: float


def _warning(needed: float, speed: float, limited: bool, cut: float, where: str) -> str | None:
    parts: list[str] = []
    if limited:
        parts.append(f"needs {needed:.1f}{_TIMES} to fit, sped up {speed:.1f}{_TIMES} (the limit)")
    elif speed > 1.0 and cut >= CUT_WARNING_S:
        parts.append(f"sped up {speed:.1f}{_TIMES} to fit")
    if cut >= CUT_WARNING_S or limited:
        parts.append(f"{cut:.1f} s cut off{where}")
    return "; ".join(parts) or None


class _Progress:
    """Reports only rising fractions in [0, 1], so a progress bar never steps back."""

    def __init__(self, callback: Callable[[float], None] | None) -> None:
        self._callback, self._last = callback, -1.0

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, fraction))
        if self._callback is not None and fraction > self._last:
            self._last = fraction
            self._callback(fraction)


def _lay_out(
    slots: Sequence[DubSlot],
    duration: float,
    speed_limit: float,
    work_dir: Path,
    progress: _Progress,
    stop: Callable[[], bool],
) -> tuple[list[SlotReport], list[Placed], list[tuple[float, float]]]:
    """Fit every take into its slot: the reports (in the slots' order), the placed takes and
    the spans to duck."""
    order = sorted(range(len(slots)), key=lambda i: (slots[i].start, slots[i].end))
    reports: dict[int, SlotReport] = {}
    placed: list[Placed] = []
    ducks: list[tuple[float, float]] = []
    for position, index in enumerate(order):
        if stop():
            raise RenderStopped
        slot = slots[index]
        label = slot.label or f"slot {index + 1}"
        slot_s = float(slot.end - slot.start)
        if slot.take is None:
            reports[index] = SlotReport(label, 0.0, slot_s, 1.0, 0.0, 0.0, None)
            continue
        following = slots[order[position + 1]].start if position + 1 < len(order) else duration
        limit = min(slot.end, following, duration)
        decoded = fitted_take(slot.take, 1.0, work_dir, label)
        take_s = frame_count(decoded) / RATE
        needed = take_s / slot_s
        speed = round(min(needed, speed_limit), 3) if needed > 1 else 1.0
        fitted = decoded if speed == 1.0 else fitted_take(slot.take, speed, work_dir, label)
        start = round(slot.start * RATE)
        frames = frame_count(fitted)
        used = max(0, min(frames, round(limit * RATE) - start))
        cut = (frames - used) / RATE
        where = ""
        if limit < slot.end:
            where = (
                " at the end of the media"
                if limit == duration
                else " where the next segment starts"
            )
        limited = needed > speed_limit
        warning = _warning(needed, speed, limited, cut, where)
        reports[index] = SlotReport(
            label, round(take_s, 3), slot_s, speed, round(needed, 3), round(cut, 3), warning
        )
        if used:
            placed.append(Placed(start, fitted, used))
        if limit > slot.start:
            ducks.append((slot.start, limit))
        progress(FIT_SHARE * 0.9 * (position + 1) / len(order))
    return [reports[index] for index in range(len(slots))], placed, merged_spans(ducks)


def _mix_command(
    info: SourceFacts, source: Path, voice: Path, envelope: Path, partial: Path, suffix: str
) -> list[str]:
    stereo = info.audio_channels != 1
    layout = f"aformat=sample_fmts=fltp:sample_rates={RATE}:channel_layouts="
    # pan, not an automatic upmix: that would put a mono voice (or gain) at -3 dB per side.
    upmix = ",pan=stereo|c0=c0|c1=c0" if stereo else ""
    voice_chain = f"[1:a]{layout}mono{upmix}"
    if info.audio_channels:
        graph = (
            f"[0:a:0]aresample={RATE},{layout}{'stereo' if stereo else 'mono'}[src];"
            f"[2:a]aresample={RATE},{layout}mono{upmix}[gain];[src][gain]amultiply[duck];"
            f"{voice_chain}[voice];[duck][voice]amix=inputs=2:duration=longest:normalize=0[out]"
        )
    else:  # a silent video: the voice is all there is
        graph = f"{voice_chain}[out]"
    encoder, keeps_video = _ENCODERS[suffix]
    video: list[str] = []
    if keeps_video and info.video_index is not None:
        video = ["-map", f"0:{info.video_index}", "-c:v", "copy"]
    return [
        get_ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error",
        "-nostats", "-progress", "pipe:1",
        "-i", str(source), "-i", str(voice), "-i", str(envelope),
        "-filter_complex", graph, *video, "-map", "[out]", *encoder, "-y", str(partial),
    ]  # fmt: skip


def _run_mix(
    command: list[str], duration: float, suffix: str, progress: _Progress, stop: Callable[[], bool]
) -> None:
    """Run the mix, reporting ffmpeg's `out_time_us`; stops it on `stop()` or its timeout."""
    deadline = time.monotonic() + 600 + 2 * duration
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, text=True)
        lines: queue.Queue[str | None] = queue.Queue()

        def read() -> None:  # a thread: readline blocks, and stop() must still be heard
            assert process.stdout is not None
            for line in process.stdout:
                lines.put(line)
            lines.put(None)

        threading.Thread(target=read, daemon=True).start()
        try:
            while (line := _next_line(lines)) is not None:
                if line.startswith("out_time_us=") and line[12:].strip().isdigit():
                    done = int(line[12:]) / 1e6 / duration
                    progress(FIT_SHARE + (1 - FIT_SHARE) * min(done, 0.999))
                if stop():
                    raise RenderStopped
                if time.monotonic() > deadline:
                    raise render_error("it took too long")
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:  # its output closed but it never exited
            raise render_error("it took too long") from None
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if process.returncode != 0:
            errors.seek(0)
            detail = errors.read().decode(errors="replace")
            # The copied video's codec is not one the target's container can hold.
            if "-c:v" in command and any(sign in detail for sign in _CONTAINER_REFUSALS):
                raise render_error(f"this video cannot be kept in a {suffix} file; try .mkv")
            logger.warning("dub mix failed: %s", detail.strip()[-500:])
            raise render_error("ffmpeg could not mix the audio")


def _next_line(lines: queue.Queue[str | None]) -> str | None:
    try:
        return lines.get(timeout=0.1)
    except queue.Empty:
        return ""  # nothing yet: the caller checks stop() and the deadline again


def render_dub(
    source: Path,
    slots: Sequence[DubSlot],
    target: Path,
    *,
    duck_gain: float = 0.15,
    speed_limit: float = 1.4,
    work_dir: Path,
    on_progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RenderReport:
    """Render `source` with each slot's take over its ducked audio into `target` (blocking).

    Raises `RenderStopped` when `should_stop()` turns true, `ValidationError` in words when
    the media, a take or the target type cannot be used. `target` appears whole or not at all.
    """
    if not 0.0 <= duck_gain <= 1.0 or speed_limit < 1.0:
        raise ValueError("duck_gain must be in [0, 1] and speed_limit at least 1")
    suffix = target.suffix.lower()
    if suffix not in _ENCODERS:
        raise render_error(f"it cannot be saved as {suffix or 'a file without extension'}")
    for number, slot in enumerate(slots, start=1):
        if not 0.0 <= slot.start < slot.end:
            raise render_error(f"{slot.label or f'slot {number}'} has no time span")
    stop = should_stop or (lambda: False)
    progress = _Progress(on_progress)
    progress(0.0)
    info = probe_source(source)
    work_dir.mkdir(parents=True, exist_ok=True)
    reports, placed, ducks = _lay_out(slots, info.duration_s, speed_limit, work_dir, progress, stop)
    token = secrets.token_hex(4)
    voice, envelope = work_dir / f"voice-{token}.wav", work_dir / f"gain-{token}.wav"
    partial = target.with_name(f".{target.stem}.{token}.part{target.suffix}")
    try:
        if stop():
            raise RenderStopped
        write_tracks(placed, ducks, round(info.duration_s * RATE), duck_gain, voice, envelope)
        progress(FIT_SHARE)
        command = _mix_command(info, source, voice, envelope, partial, suffix)
        _run_mix(command, info.duration_s, suffix, progress, stop)
        os.replace(partial, target)
    finally:
        for path in (voice, envelope, partial):
            path.unlink(missing_ok=True)
    progress(1.0)
    try:
        duration = probe_source(target).duration_s
    except ValidationError:  # e.g. raw ADTS gives no length; it was made to the source's
        duration = info.duration_s
    return RenderReport(reports, round(duration, 3))
