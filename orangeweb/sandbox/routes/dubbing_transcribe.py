"""Dubbing step 1: `POST /dubbing_transcribe?action=get_upload_url`, then (after the client's
PUT to the signed URL, see `files.py`) `POST /dubbing_transcribe` to start transcription."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import select

from orangeweb.sandbox.config import Tier
from orangeweb.sandbox.deps import CallerKey, Runtime, json_body, upload_url
from orangeweb.sandbox.engine import MediaError, MediaInfo, probe_media
from orangeweb.sandbox.errors import ApiError, bad_request, not_found
from orangeweb.sandbox.models import ApiKey, DubbingJob, Upload, new_id
from orangeweb.sandbox.runtime import JobKind, JobRef, SandboxRuntime

router = APIRouter()

UPLOAD_CONTENT_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "audio/mpeg",
        "audio/mp3",
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/mp4",
        "audio/x-m4a",
        "audio/m4a",
        "audio/aac",
        "audio/ogg",
        "audio/webm",
        "audio/flac",
    }
)
# FFmpeg container names accepted for dubbing, with the extension the file is stored under.
_CONTAINERS = {
    "mov,mp4,m4a,3gp,3g2,mj2": "mp4",
    "matroska,webm": "mkv",
    "wav": "wav",
    "mp3": "mp3",
    "ogg": "ogg",
    "flac": "flac",
    "aac": "aac",
}
# Declared duration and size are the client's own measurements: small differences are fine,
# a different unit (ms for s, bytes for MB) is a client bug worth a clear 400.
DURATION_TOLERANCE = 0.05
SIZE_TOLERANCE = 0.10


class UploadUrlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    fileName: Annotated[str, Field(min_length=1, max_length=255)]
    contentType: Annotated[str, Field(min_length=1)]


class TranscribeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    mediaPath: Annotated[str, Field(min_length=1)]
    mediaType: Literal["video", "audio"]
    duration: Annotated[float, Field(gt=0)]
    fileSizeMB: Annotated[float, Field(gt=0)]


def _safe_file_name(file_name: str) -> str:
    # Keep only the last path component, whichever separator the client's OS uses.
    name = PureWindowsPath(PurePosixPath(file_name).name).name.strip()
    if not name or name in (".", ".."):
        raise bad_request("fileName must name a file")
    return name


@router.post("/dubbing_transcribe")
async def dubbing_transcribe(
    request: Request, key: CallerKey, runtime: Runtime, action: str | None = None
) -> dict[str, Any]:
    unknown = set(request.query_params.keys()) - {"action"}
    if unknown:
        raise bad_request(f"unknown query parameter(s): {', '.join(sorted(unknown))}")
    if action == "get_upload_url":
        return await _get_upload_url(request, key, runtime)
    if action is not None:
        raise bad_request(f"unknown action {action!r}; the only action is 'get_upload_url'")
    return await _start_transcription(request, key, runtime)


async def _get_upload_url(request: Request, key: ApiKey, runtime: SandboxRuntime) -> dict[str, Any]:
    body = await json_body(UploadUrlRequest)(request)
    content_type = body.contentType.strip().lower()
    if content_type not in UPLOAD_CONTENT_TYPES:
        raise ApiError(
            415, f"contentType {body.contentType!r} is not a supported audio or video type"
        )
    upload_id = new_id("upl")
    file_name = _safe_file_name(body.fileName)
    upload = Upload(
        id=upload_id,
        key_id=key.id,
        media_path=f"uploads/{upload_id}/{file_name}",
        file_name=file_name,
        content_type=content_type,
        file_path=f"uploads/{upload_id}/media",
    )
    with runtime.store.session() as session:
        session.add(upload)
        session.commit()
    return {
        "success": True,
        "data": {
            "uploadUrl": upload_url(request, runtime, upload_id),
            "mediaPath": upload.media_path,
        },
    }


def _duration_cap(runtime: SandboxRuntime, key: ApiKey) -> float | None:
    return runtime.config.max_media_seconds.get(Tier(key.tier))


def _over_cap(key: ApiKey, cap: float, seconds: float) -> ApiError:
    return ApiError(
        403,
        f"media is {seconds:.1f} s long; the {key.tier} tier allows at most {cap / 60:g} minutes",
    )


async def _start_transcription(
    request: Request, key: ApiKey, runtime: SandboxRuntime
) -> dict[str, Any]:
    body = await json_body(TranscribeRequest)(request)
    with runtime.store.session() as session:
        upload = session.exec(select(Upload).where(Upload.media_path == body.mediaPath)).first()
    if upload is None or upload.key_id != key.id:
        raise not_found("mediaPath", body.mediaPath)
    if upload.status == "pending":
        raise bad_request("nothing has been uploaded to this mediaPath yet (PUT the file first)")
    if upload.status == "consumed":
        raise bad_request("this upload has already been submitted for transcription")
    cap = _duration_cap(runtime, key)
    if cap is not None and body.duration > cap:
        raise _over_cap(key, cap, body.duration)
    media = runtime.store.file(upload.file_path)
    info = await _probe(media)
    if cap is not None and info.duration > cap:
        raise _over_cap(key, cap, info.duration)
    if body.mediaType == "video" and not info.has_video:
        raise bad_request("mediaType is 'video' but the file has no video track")
    _check_declared(body, info, upload.size_bytes or 0)

    job_id = new_id("dub")
    extension = _CONTAINERS[info.format_name]
    if extension == "mp4" and not info.has_video:
        extension = "m4a"
    destination = runtime.store.area("dubbing", job_id) / f"source.{extension}"
    os.replace(media, destination)
    with runtime.store.session() as session:
        upload.status = "consumed"
        upload.file_path = runtime.store.relative(destination)
        session.add(upload)
        session.add(
            DubbingJob(
                id=job_id,
                key_id=key.id,
                media_file=upload.file_path,
                media_type=body.mediaType,
                duration=info.duration,
                status="transcribing",
                status_history=["transcribing"],
                speakers=[],
                segments=[],
                pending_translation=[],
                voice_mapping={},
                clone_plan={},
            )
        )
        session.commit()
    runtime.enqueue(JobRef(JobKind.TRANSCRIBE, job_id))
    return {"success": True, "data": {"jobId": job_id}}


async def _probe(media: Path) -> MediaInfo:
    unsupported = "the uploaded file is not a supported audio or video file"
    try:
        info = await asyncio.to_thread(probe_media, media)
    except MediaError as error:
        raise ApiError(415, f"{unsupported} ({error})") from error
    if info.format_name not in _CONTAINERS:
        raise ApiError(415, f"{unsupported} (container {info.format_name!r})")
    if not info.has_audio:
        raise bad_request("the media has no audio track: there is nothing to transcribe")
    return info


def _check_declared(body: TranscribeRequest, info: MediaInfo, size_bytes: int) -> None:
    if abs(body.duration - info.duration) > max(1.0, DURATION_TOLERANCE * info.duration):
        raise bad_request(
            f"duration {body.duration:g} does not match the media ({info.duration:.2f} s); "
            "send the duration in seconds"
        )
    sizes = (size_bytes / 1_000_000, size_bytes / 1024**2)  # MB either way
    if not any(abs(body.fileSizeMB - size) <= max(0.1, SIZE_TOLERANCE * size) for size in sizes):
        raise bad_request(
            f"fileSizeMB {body.fileSizeMB:g} does not match the upload "
            f"({sizes[0]:.2f} MB); send the size in megabytes"
        )
