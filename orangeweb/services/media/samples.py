"""Voice samples: checked by content before any upload, browser recordings made into WAV.

A sample is accepted when its magic bytes say audio (filetype), PyAV can open it as one of the
API's formats with an audio codec we expect, it lasts at least 3 s and weighs under 20 MB. The
file's name and the browser's Content-Type are never trusted. Browser recordings (WebM or Ogg
with Opus, from MediaRecorder) are converted to WAV with the ffmpeg of `imageio-ffmpeg`, then
checked like any other file.

Everything here is blocking (probing, ffmpeg): async callers use `asyncio.to_thread`.
"""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from pathlib import Path

import av
import filetype
from imageio_ffmpeg import get_ffmpeg_exe

from orangeweb.orangeclone.media_types import VOICE_SAMPLE_SUFFIXES, media_type_for

MAX_SAMPLE_BYTES = 20 * 1024 * 1024
MIN_SAMPLE_SECONDS = 3.0
# A voice sample needs seconds, not hours; the cap bounds what probing and ffmpeg may cost.
MAX_SAMPLE_SECONDS = 10 * 60
CONVERSION_TIMEOUT_SECONDS = 120

# The codecs each format the API takes (docs: WAV, MP3, M4A) may carry, by detected extension.
_SAMPLE_CODECS: dict[str, frozenset[str]] = {
    "wav": frozenset(
        {"pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8", "pcm_alaw", "pcm_mulaw"}
    ),
    "mp3": frozenset({"mp3", "mp3float"}),
    "m4a": frozenset({"aac", "alac"}),
}
# Detected extension -> (MIME type, allowed codecs); the types come from the SDK's one table.
UPLOADABLE_FORMATS: dict[str, tuple[str, frozenset[str]]] = {
    suffix.lstrip("."): (media_type_for(suffix), _SAMPLE_CODECS[suffix.lstrip(".")])
    for suffix in VOICE_SAMPLE_SUFFIXES
}
# What browsers record (MediaRecorder), converted to WAV before checking and uploading.
CONVERTIBLE_FORMATS: dict[str, frozenset[str]] = {
    "webm": frozenset({"opus", "vorbis"}),
    "ogg": frozenset({"opus", "vorbis"}),
}
_ACCEPTED_WORDS = "Use a WAV, MP3 or M4A file, or record in the browser."


class SampleRejected(ValueError):
    """The file is not a usable voice sample; the message says why, in words."""


@dataclass(frozen=True, slots=True)
class VoiceSample:
    """A checked sample, ready to upload."""

    path: Path
    extension: str  # "wav", "mp3" or "m4a"
    content_type: str
    duration_s: float
    size_bytes: int


@dataclass(frozen=True, slots=True)
class _Probe:
    codec: str
    duration_s: float


def _probe_audio(path: Path) -> _Probe:
    """Codec and duration of the first audio stream; decodes to measure when headers don't say."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise SampleRejected("This file has no sound in it. " + _ACCEPTED_WORDS)
            stream = container.streams.audio[0]
            codec = stream.codec_context.name
            if container.duration is not None and container.duration > 0:
                return _Probe(codec, container.duration / av.time_base)
            if stream.duration is not None and stream.time_base is not None:
                return _Probe(codec, float(stream.duration * stream.time_base))
            samples = 0
            for frame in container.decode(stream):
                samples += frame.samples
                if samples / (stream.sample_rate or 1) > MAX_SAMPLE_SECONDS:
                    break
            return _Probe(codec, samples / (stream.sample_rate or 1))
    except av.FFmpegError as error:
        raise SampleRejected(
            "This file cannot be read as audio; it may be damaged. " + _ACCEPTED_WORDS
        ) from error


def _convert_to_wav(source: Path, target: Path) -> None:
    """Decode anything ffmpeg reads into mono 16-bit WAV (mono keeps it well under the cap)."""
    command = [
        get_ffmpeg_exe(),
        "-nostdin",
        "-hide_banner",
        "-loglevel", "error",
        "-i", str(source),
        "-map", "0:a:0",
        "-vn",
        "-t", str(MAX_SAMPLE_SECONDS + 1),
        "-ac", "1",
        "-c:a", "pcm_s16le",
        "-f", "wav",
        "-y", str(target),
    ]  # fmt: skip
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=CONVERSION_TIMEOUT_SECONDS)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        target.unlink(missing_ok=True)
        raise SampleRejected(
            "This recording could not be converted; it may be damaged. Try recording again."
        ) from error


def _check_size(path: Path) -> int:
    size = path.stat().st_size
    if size == 0:
        raise SampleRejected("The file is empty.")
    if size > MAX_SAMPLE_BYTES:
        megabytes = MAX_SAMPLE_BYTES // (1024 * 1024)
        raise SampleRejected(f"The sample is over {megabytes} MB. Use a shorter recording.")
    return size


def prepare_voice_sample(source: Path, work_dir: Path) -> VoiceSample:
    """Check `source` and return an uploadable sample (`source` itself, or a WAV in `work_dir`).

    Raises `SampleRejected` with a sentence for the user.
    """
    _check_size(source)
    kind = filetype.guess(str(source))
    extension = kind.extension if kind is not None else None
    if extension in CONVERTIBLE_FORMATS:
        codec = _probe_audio(source).codec
        if codec not in CONVERTIBLE_FORMATS[extension]:
            raise SampleRejected(f"This recording's sound ({codec}) is not supported.")
        converted = work_dir / f"{uuid.uuid4().hex}.wav"
        _convert_to_wav(source, converted)
        source, extension = converted, "wav"
    if extension not in UPLOADABLE_FORMATS:
        raise SampleRejected("This file is not audio we can use. " + _ACCEPTED_WORDS)
    size_bytes = _check_size(source)
    content_type, allowed_codecs = UPLOADABLE_FORMATS[extension]
    probe = _probe_audio(source)
    if probe.codec not in allowed_codecs:
        raise SampleRejected(
            f"This file's sound ({probe.codec}) is not supported. " + _ACCEPTED_WORDS
        )
    if probe.duration_s < MIN_SAMPLE_SECONDS:
        raise SampleRejected(
            f"The sample lasts {probe.duration_s:.1f} s; it needs at least "
            f"{MIN_SAMPLE_SECONDS:.0f} s of voice."
        )
    if probe.duration_s > MAX_SAMPLE_SECONDS:
        raise SampleRejected(f"The sample is over {MAX_SAMPLE_SECONDS // 60} minutes. Trim it.")
    return VoiceSample(
        path=source,
        extension=extension,
        content_type=content_type,
        duration_s=round(probe.duration_s, 3),
        size_bytes=size_bytes,
    )
