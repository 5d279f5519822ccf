"""Dubbing: re-voice chosen segments of a media file and mux the result, video untouched.

The new voices are rendered into one mono track (each segment time-fitted into its slot); one
ffmpeg run then ducks the original audio under the re-voiced slots (so music and effects stay
faintly audible there, and everything outside the slots, including segments kept in their
original voice, stays as it was), mixes in the new track, and copies the video stream as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orangeweb.sandbox.engine.ffmpeg import fit_to_duration, run_ffmpeg
from orangeweb.sandbox.engine.media import MediaInfo, probe_media
from orangeweb.sandbox.engine.speech import check_language, clean_text, render_speech, sample_rate
from orangeweb.sandbox.engine.translate import spoken_text
from orangeweb.sandbox.engine.voice import VoiceProfile

# Original audio under a re-voiced slot is turned down to this gain (about -18 dB), with short
# ramps either side so the change does not click.
DUCK_GAIN = 0.125
_DUCK_RAMP_SECONDS = 0.05
_MIN_SLOT_SECONDS = 0.05
_VIDEO_AUDIO_RATE = 48_000  # AAC and Opus both work at 48 kHz; Opus requires it
_AUDIO_ONLY_RATE = 44_100
_WEBM_VIDEO_CODECS = frozenset({"vp8", "vp9", "av1"})


@dataclass(frozen=True)
class DubSegment:
    start: float
    end: float
    text: str  # text to speak (a pseudo-translation's marker is dropped, not said)
    profile: VoiceProfile | None  # None = keep the original voice for this segment


@dataclass(frozen=True)
class _OutputFormat:
    suffix: str
    audio_codec_args: tuple[str, ...]
    sample_rate: int
    extra_args: tuple[str, ...] = ()


def dub_media(media_path: Path, segments: list[DubSegment], language: str, out_dir: Path) -> Path:
    """Write the dubbed media into `out_dir` and return its path: for video input an MP4
    (MP4/MOV and other input) or the input's container (MKV/WebM), the video stream copied
    unchanged; for audio-only input an MP3. Segments with a profile are spoken in `language`
    in their slot; segments without one (and all audio outside the segments) keep the original.
    Raises MediaError when the media cannot be decoded or muxed."""
    check_language(language)
    info = probe_media(media_path)
    slots = _revoiced_slots(segments, info.duration)
    voice_track = _render_voice_track(slots, language, info.duration)
    output = _output_format(media_path, info)
    out_dir.mkdir(parents=True, exist_ok=True)
    out_path = out_dir / f"dubbed-{language}{output.suffix}"
    arguments = [
        *["-i", str(media_path)],
        *["-f", "s16le", "-ar", str(sample_rate()), "-ac", "1", "-i", "pipe:0"],
        *["-filter_complex", _mix_graph(info, slots, output.sample_rate)],
        *(["-map", "0:v:0", "-c:v", "copy"] if info.has_video else []),
        *["-map", "[dubbed]", *output.audio_codec_args],
        *["-map_metadata", "0", *output.extra_args, str(out_path)],
    ]
    try:
        run_ffmpeg(arguments, voice_track.tobytes())
    except Exception:
        out_path.unlink(missing_ok=True)
        raise
    return out_path


def _revoiced_slots(segments: list[DubSegment], duration: float) -> list[DubSegment]:
    """The segments to re-voice, clamped to the media, with the text to say; blank text keeps
    the original voice."""
    slots: list[DubSegment] = []
    for segment in sorted(segments, key=lambda segment: segment.start):
        start, end = max(segment.start, 0.0), min(segment.end, duration)
        # The "[pseudo-xx]" tag marks the transcript, not the speech: said aloud it overran
        # every slot, and the time-fit then sped the real words up to make room for it.
        text = spoken_text(segment.text)
        if segment.profile is None or not clean_text(text).strip():
            continue
        if end - start >= _MIN_SLOT_SECONDS:
            slots.append(DubSegment(start, end, text, segment.profile))
    return slots


def _render_voice_track(slots: list[DubSegment], language: str, duration: float) -> np.ndarray:
    """One mono int16 track as long as the media, each slot's speech fitted into its slot."""
    rate = sample_rate()
    mixed = np.zeros(int(duration * rate) + 1, dtype=np.int32)
    for slot in slots:
        assert slot.profile is not None  # _revoiced_slots keeps only profiled segments
        speech = render_speech(slot.text, slot.profile, language)
        fitted = fit_to_duration(speech, rate, slot.end - slot.start)
        first = int(slot.start * rate)
        fitted = fitted[: len(mixed) - first]
        mixed[first : first + len(fitted)] += fitted  # overlapping slots add up
    return np.clip(mixed, -32768, 32767).astype("<i2")


def _mix_graph(info: MediaInfo, slots: list[DubSegment], rate: int) -> str:
    layout = "stereo"
    common_format = f"aformat=sample_fmts=fltp:sample_rates={rate}:channel_layouts={layout}"
    if info.has_audio:
        original = f"[0:a:0]{common_format},volume=volume='{_duck_expression(slots)}':eval=frame"
    else:
        # Silent video: the new voices over silence, as long as the video.
        original = f"anullsrc=r={rate}:cl={layout},atrim=duration={info.duration:.3f}"
    return (
        f"{original}[original];"
        f"[1:a]{common_format}[voices];"
        "[original][voices]amix=inputs=2:duration=first:normalize=0[dubbed]"
    )


def _duck_expression(slots: list[DubSegment]) -> str:
    """Gain of the original audio over time t: 1, down to DUCK_GAIN inside re-voiced slots."""
    if not slots:
        return "1"
    ramp = _DUCK_RAMP_SECONDS
    # Each term is 1 inside its slot, 0 well outside, with linear ramps at the edges.
    inside = "+".join(
        f"clip((t-{slot.start - ramp:.3f})/{ramp},0,1)*clip(({slot.end + ramp:.3f}-t)/{ramp},0,1)"
        for slot in slots
    )
    # The graph quotes the expression ('...'), so its commas need no escaping.
    return f"1-{1 - DUCK_GAIN:.3f}*min(1,{inside})"


def _output_format(media_path: Path, info: MediaInfo) -> _OutputFormat:
    if not info.has_video:
        return _OutputFormat(".mp3", ("-c:a", "libmp3lame", "-q:a", "2"), _AUDIO_ONLY_RATE)
    if "matroska" in info.format_name:
        is_webm = media_path.suffix.lower() == ".webm" or info.video_codec in _WEBM_VIDEO_CODECS
        if is_webm:
            return _OutputFormat(".webm", ("-c:a", "libopus", "-b:a", "128k"), _VIDEO_AUDIO_RATE)
        return _OutputFormat(".mkv", ("-c:a", "aac", "-b:a", "160k"), _VIDEO_AUDIO_RATE)
    return _OutputFormat(
        ".mp4",
        ("-c:a", "aac", "-b:a", "160k"),
        _VIDEO_AUDIO_RATE,
        ("-movflags", "+faststart"),
    )
