"""Multipart voice samples: size-capped while streaming, checked by content, never by name.

A sample must really be WAV, MP3 or M4A (magic bytes, then the container as FFmpeg reads it),
hold audio and no video, last at least 3 s, and contain a voice the engine can measure.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.types import Message, Receive

from orangeweb.sandbox.config import describe_size
from orangeweb.sandbox.engine import MediaError, analyse_voice, probe_media
from orangeweb.sandbox.errors import ApiError
from orangeweb.sandbox.media_types import VOICE_SAMPLE_CONTAINERS, VOICE_SAMPLE_MAGIC

# Room for the other form fields and multipart boundaries around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
COPY_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class VoiceSample:
    path: Path  # final location, extension from the real format
    duration: float
    profile: dict[str, Any]


async def read_limited_form(request: Request, max_body_bytes: int, too_large: str) -> FormData:
    """The multipart form of `request`, refusing bodies over `max_body_bytes` with 413.

    Content-Length is checked first (cheap, before reading anything); the body is also counted
    as it streams, for chunked requests that announce no length.
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(415, f"Content-Type must be multipart/form-data (got {content_type!r})")
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > max_body_bytes:
        raise ApiError(413, too_large)
    limited = Request(request.scope, _counting_receive(request.receive, max_body_bytes, too_large))
    return await limited.form(max_files=1, max_fields=10)


def _counting_receive(receive: Receive, limit: int, too_large: str) -> Receive:
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise ApiError(413, too_large)
        return message

    return counted


async def accept_voice_sample(
    form: FormData, directory: Path, max_bytes: int, min_seconds: float
) -> VoiceSample:
    """Validate the form's `voiceFile` and store it in `directory`; ApiError when unusable."""
    upload = form.get("voiceFile")
    if upload is None:
        raise ApiError(400, "voiceFile is required (an audio file part)")
    if not isinstance(upload, UploadFile):
        raise ApiError(400, "voiceFile must be a file part, not a text field")
    staging = directory / f".incoming-{secrets.token_hex(8)}"
    try:
        await _copy_capped(upload, staging, max_bytes)
        extension, duration = await _check_audio(staging, min_seconds)
        try:
            profile = await asyncio.to_thread(analyse_voice, staging)
        except MediaError as error:
            raise ApiError(400, f"voiceFile: {error}") from error
        final = directory / f"voice-{secrets.token_hex(6)}.{extension}"
        os.replace(staging, final)
        return VoiceSample(path=final, duration=duration, profile=profile.to_dict())
    finally:
        staging.unlink(missing_ok=True)


async def _copy_capped(upload: UploadFile, destination: Path, max_bytes: int) -> None:
    size = 0
    with destination.open("wb") as out:
        while chunk := await upload.read(COPY_CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                raise ApiError(413, f"voiceFile is larger than {describe_size(max_bytes)}")
            out.write(chunk)
    if size == 0:
        raise ApiError(400, "voiceFile is empty")


async def _check_audio(path: Path, min_seconds: float) -> tuple[str, float]:
    """The stored extension and duration of a real WAV/MP3/M4A file; ApiError otherwise."""
    unsupported = "voiceFile must be a WAV, MP3 or M4A audio file"
    kind = filetype.guess(str(path))
    if kind is None or kind.extension not in VOICE_SAMPLE_MAGIC:
        raise ApiError(415, unsupported)
    try:
        info = await asyncio.to_thread(probe_media, path)
    except MediaError as error:
        raise ApiError(415, f"{unsupported} ({error})") from error
    extension = VOICE_SAMPLE_CONTAINERS.get(info.format_name)
    if extension is None or not info.has_audio:
        raise ApiError(415, unsupported)
    if info.has_video:
        raise ApiError(415, f"{unsupported}; this file contains video")
    # Judged at the tenth of a second the message shows: a "3 second" recording that measures
    # 2.97 s (encoder padding, a browser recorder stopping early) is what a user calls 3 s.
    if round(info.duration, 1) < min_seconds:
        raise ApiError(
            400,
            f"voiceFile must be at least {min_seconds:g} seconds long "
            f"(this one is {info.duration:.1f} s)",
        )
    return extension, info.duration
