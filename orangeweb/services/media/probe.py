"""Media for dubbing, checked by content before anything is sent to OrangeClone.

A file is accepted when its magic bytes (filetype) name one of MP4, MOV, M4A, WEBM, MKV, MP3 or
WAV, PyAV opens it as that container, it has an audio track whose first frame decodes, and its
duration is known. The name the browser gave it and its Content-Type are never trusted. The
duration is then checked against the key's tier (Free 2 min, Pro 30 min, Enterprise unlimited)
before any call, and the credit estimate comes from the SDK's price list.

Everything here is blocking (PyAV): async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import filetype

from orangeweb.orangeclone.constants import TIERS
from orangeweb.orangeclone.costs import CostEstimate, estimate_dubbing
from orangeweb.orangeclone.media_types import AUDIO_ONLY_MEDIA_TYPES, MEDIA_TYPES
from orangeweb.services.errors import ValidationError

ACCEPTED_WORDS = "Use an MP4, MOV, WEBM or MKV video, or an MP3, WAV or M4A audio file."

# Detected type (filetype's extension) -> the FFmpeg demuxer that must open it.
_CONTAINERS: dict[str, str] = {
    "mp4": "mov,mp4,m4a,3gp,3g2,mj2",
    "mov": "mov,mp4,m4a,3gp,3g2,mj2",
    "m4a": "mov,mp4,m4a,3gp,3g2,mj2",
    "webm": "matroska,webm",
    "mkv": "matroska,webm",
    "mp3": "mp3",
    "wav": "wav",
}
# Codecs a dubbing pipeline can decode; anything else is refused by name rather than failing
# later on the vendor's side.
_AUDIO_CODECS = frozenset(
    {"aac", "mp3", "mp3float", "opus", "vorbis", "flac", "alac", "ac3", "eac3", "mp2"}
)
_VIDEO_CODECS = frozenset(
    {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores", "mjpeg", "mpeg2video", "theora"}
)
# PCM in all its sample formats (pcm_s16le, pcm_f32le, pcm_alaw, ...).
_PCM_PREFIX = "pcm_"
# Enough packets to reach the first audio frame in any sane interleaving.
_MAX_PACKETS_TO_FIRST_FRAME = 2000


class MediaRejected(ValidationError):
    """The file cannot be dubbed; the message says why, in words."""


@dataclass(frozen=True, slots=True)
class MediaFacts:
    """What probing found, and what the upload to OrangeClone needs."""

    container: str  # "mp4" | "mov" | "m4a" | "webm" | "mkv" | "mp3" | "wav"
    content_type: str  # sent with get_upload_url and the PUT
    media_type: str  # "video" | "audio" (the API's mediaType)
    duration_s: float
    size_bytes: int
    audio_codec: str
    video_codec: str | None

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def size_mb(self) -> float:
        """The API's `fileSizeMB` (decimal megabytes)."""
        return round(self.size_bytes / 1_000_000, 3)


def content_type_for(container: str, has_video: bool) -> str:
    """The MIME type OrangeClone is told for a container (audio-only MP4 is `audio/mp4`)."""
    suffix = ".mp4" if container == "m4a" else f".{container}"  # M4A is an MP4 container
    if not has_video and suffix in AUDIO_ONLY_MEDIA_TYPES:
        return AUDIO_ONLY_MEDIA_TYPES[suffix]
    return MEDIA_TYPES[suffix]


def _codec_allowed(codec: str, allowed: frozenset[str]) -> bool:
    return codec in allowed or codec.startswith(_PCM_PREFIX)


def _duration(container: av.container.InputContainer) -> float:
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    durations = [
        float(stream.duration * stream.time_base)
        for stream in container.streams
        if stream.duration and stream.time_base is not None
    ]
    if durations:
        return max(durations)
    # Browser recordings (MediaRecorder WebM) carry no duration: read packet times instead.
    end = 0.0
    container.seek(0)
    for packet in container.demux():
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
    return end


def _first_audio_frame_decodes(
    container: av.container.InputContainer, stream: av.audio.AudioStream
) -> bool:
    container.seek(0)
    for count, packet in enumerate(container.demux(stream)):
        if count >= _MAX_PACKETS_TO_FIRST_FRAME:
            return False
        if packet.size and packet.decode():
            return True
    return False


def probe_media(path: Path, *, max_bytes: int | None = None) -> MediaFacts:
    """Check `path` is dubbable media and describe it; raises `MediaRejected` in words."""
    size = path.stat().st_size
    if size == 0:
        raise MediaRejected("The file is empty.")
    if max_bytes is not None and size > max_bytes:
        raise MediaRejected(f"The file is over the {describe_bytes(max_bytes)} upload limit.")
    kind = filetype.guess(str(path))
    detected = kind.extension if kind is not None else None
    if detected not in _CONTAINERS:
        raise MediaRejected("This file is not audio or video we can dub. " + ACCEPTED_WORDS)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if container.format.name != _CONTAINERS[detected]:
                raise MediaRejected(
                    "This file is not what its first bytes claim; it may be damaged. "
                    + ACCEPTED_WORDS
                )
            if not container.streams.audio:
                raise MediaRejected(
                    "This file has no sound track, so there is nothing to dub. "
                    "Pick a video or audio file with speech in it."
                )
            audio = container.streams.audio[0]
            audio_codec = audio.codec_context.name
            if not _codec_allowed(audio_codec, _AUDIO_CODECS):
                raise MediaRejected(f"This file's sound ({audio_codec}) is not supported.")
            # Cover art in MP3/M4A files is a one-picture "video" stream: that is not video.
            videos = [
                stream
                for stream in container.streams.video
                if not stream.disposition & av.stream.Disposition.attached_pic
            ]
            video_codec = videos[0].codec_context.name if videos else None
            if video_codec is not None and not _codec_allowed(video_codec, _VIDEO_CODECS):
                raise MediaRejected(f"This file's picture ({video_codec}) is not supported.")
            duration = _duration(container)
            if not _first_audio_frame_decodes(container, audio):
                raise MediaRejected("This file's sound cannot be decoded; it may be damaged.")
    except av.FFmpegError as error:
        raise MediaRejected(
            "This file cannot be read as audio or video; it may be damaged. " + ACCEPTED_WORDS
        ) from error
    if duration <= 0:
        raise MediaRejected("This file's length cannot be read; it may be damaged.")
    return MediaFacts(
        container=detected,
        content_type=content_type_for(detected, video_codec is not None),
        media_type="video" if video_codec is not None else "audio",
        duration_s=round(duration, 3),
        size_bytes=size,
        audio_codec=audio_codec,
        video_codec=video_codec,
    )


def describe_duration(seconds: float) -> str:
    """`185.2` -> "3 min 5 s"; under a minute, "42.0 s"."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def describe_bytes(size: int) -> str:
    """Binary units as people say them: 2 GiB -> "2 GB", 1.5 MiB -> "1.5 MB", 1010 KiB ->
    "1010 KB" (three significant digits, never in scientific notation)."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            digits = 0 if value >= 100 else 1 if value >= 10 else 2
            text = f"{value:.{digits}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{size} bytes"


def check_tier_duration(duration_s: float, tier: str) -> None:
    """Refuse media longer than the key's tier allows, before any call is made."""
    limits = TIERS[str(tier)]
    cap = limits.max_media_seconds
    if cap is not None and duration_s > cap:
        raise MediaRejected(
            f"This media lasts {describe_duration(duration_s)}; a {limits.name.capitalize()} "
            f"key dubs at most {describe_duration(cap)}. Trim it, or use a key with a "
            "higher plan."
        )


def dubbing_estimate(facts: MediaFacts, target_languages: int = 1) -> CostEstimate:
    """Credits dubbing this media will cost (an estimate: the server's figure is the authority)."""
    return estimate_dubbing(facts.duration_s, target_languages)
