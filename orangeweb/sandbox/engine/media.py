"""Probing and decoding media with PyAV (the FFmpeg libraries, in process: no ffprobe needed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import av.container
import av.stream
import numpy as np

from orangeweb.sandbox.engine.errors import MediaError

# Demuxers FFmpeg uses for things that are not audio or video: "tty" renders any text file
# (.txt, .nfo, ...) as ANSI art, "image2" and the "*_pipe" ones are still images.
_PSEUDO_MEDIA_FORMATS = frozenset({"tty", "image2", "bin", "lavfi"})

# Every analysis in the engine runs at 16 kHz mono: PocketSphinx's model expects it, and it
# covers the voice band the pitch and rate estimators need.
ANALYSIS_RATE = 16_000


@dataclass(frozen=True)
class MediaInfo:
    format_name: str  # container as PyAV names it, e.g. "wav", "mp3", "matroska,webm"
    duration: float  # seconds
    has_audio: bool
    has_video: bool
    audio_codec: str | None
    video_codec: str | None


def probe_media(path: Path) -> MediaInfo:
    """Describe the media at `path`; raises MediaError when it is not decodable media."""
    try:
        with av.open(str(path)) as container:
            if _is_pseudo_media(container.format.name):
                raise MediaError("not a decodable media file")
            audio_streams = list(container.streams.audio)
            video_streams = _real_video_streams(container)
            if not audio_streams and not video_streams:
                raise MediaError("not a decodable media file")
            duration = _duration_seconds(container)
            # Opening only reads headers; decode one frame so a corrupt body is caught here.
            _decode_first_frame(container, audio_streams[0] if audio_streams else video_streams[0])
            return MediaInfo(
                format_name=container.format.name,
                duration=duration,
                has_audio=bool(audio_streams),
                has_video=bool(video_streams),
                # Canonical codec names ("mp3"), not the decoder's ("mp3float").
                audio_codec=audio_streams[0].codec.canonical_name if audio_streams else None,
                video_codec=video_streams[0].codec.canonical_name if video_streams else None,
            )
    except (av.FFmpegError, OSError) as error:
        raise MediaError("not a decodable media file") from error


def decode_audio(path: Path, sample_rate: int = ANALYSIS_RATE) -> np.ndarray:
    """The first audio stream of `path` as mono float32 samples in [-1, 1] at `sample_rate`."""
    try:
        with av.open(str(path)) as container:
            if _is_pseudo_media(container.format.name):
                raise MediaError("not a decodable audio file")
            if not container.streams.audio:
                raise MediaError("the file has no audio track")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
            chunks: list[np.ndarray] = []
            for frame in container.decode(stream):
                chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(frame))
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    except (av.FFmpegError, OSError) as error:
        raise MediaError("not a decodable audio file") from error
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32, copy=False)


def _is_pseudo_media(format_name: str) -> bool:
    return any(
        name in _PSEUDO_MEDIA_FORMATS or name.endswith("_pipe") for name in format_name.split(",")
    )


def _real_video_streams(container: av.container.InputContainer) -> list[av.stream.Stream]:
    # Cover art in MP3/M4A files shows up as a one-frame video stream: that is not video.
    return [
        stream
        for stream in container.streams.video
        if not stream.disposition & av.stream.Disposition.attached_pic
    ]


def _duration_seconds(container: av.container.InputContainer) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    stream_durations = [
        float(stream.duration * stream.time_base)
        for stream in container.streams
        if stream.duration is not None and stream.time_base is not None
    ]
    if stream_durations:
        return max(stream_durations)
    # Some streamed formats carry no duration in their headers: read the packets' timestamps.
    end = 0.0
    for packet in container.demux():
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def _decode_first_frame(container: av.container.InputContainer, stream: av.stream.Stream) -> None:
    for _frame in container.decode(stream):
        return
    raise MediaError("not a decodable media file")
