"""Dubbing step 1: `POST /dubbing_transcribe?action=get_upload_url`, then (after the client's
PUT to the signed URL, see `files.py`) `POST /dubbing_transcribe` to start transcription."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field
from sqlmodel import select

from orangeweb.sandbox.config import Tier
from orangeweb.sandbox.declared_media import (
    check_declared_duration,
    check_declared_size,
    check_duration_cap,
)
from orangeweb.sandbox.deps import CallerKey, Runtime, json_body, upload_url
from orangeweb.sandbox.engine import MediaError, MediaInfo, probe_media
from orangeweb.sandbox.errors import ApiError, bad_request, not_found
from orangeweb.sandbox.media_types import DUBBING_CONTAINERS, UPLOAD_CONTENT_TYPES
from orangeweb.sandbox.models import ApiKey, DubbingJob, Upload, new_id
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.responses import TranscriptionStarted, UploadGrant
from orangeweb.sandbox.runtime import JobKind, JobRef, SandboxRuntime
from orangeweb.sandbox.wire import RequestBody

router = APIRouter()


class UploadUrlRequest(RequestBody):
    """The body with `?action=get_upload_url` (documented)."""

    file_name: Annotated[str, Field(min_length=1, max_length=255)]
    content_type: Annotated[
        str, Field(min_length=1, json_schema_extra={"enum": sorted(UPLOAD_CONTENT_TYPES)})
    ]


class TranscribeRequest(RequestBody):
    """The body without an action (documented); see declared_media.py for what the declared
    duration and size may be."""

    media_path: Annotated[str, Field(min_length=1)]
    media_type: Literal["video", "audio"]
    duration: Annotated[float, Field(ge=0, description="seconds, e.g. rounded to the second")]
    file_size_mb: Annotated[
        float,
        Field(ge=0, alias="fileSizeMB", description="megabytes, e.g. rounded up to whole MB"),
    ]


def _safe_file_name(file_name: str) -> str:
    # Keep only the last path component, whichever separator the client's OS uses.
    name = PureWindowsPath(PurePosixPath(file_name).name).name.strip()
    if not name or name in (".", ".."):
        raise bad_request("fileName must name a file")
    return name


@router.post(
    "/dubbing_transcribe",
    openapi_extra=json_request(UploadUrlRequest, TranscribeRequest),
    responses=answers((UploadGrant, TranscriptionStarted), 400, 403, 404, 415),
    response_model=None,
)
async def dubbing_transcribe(
    request: Request,
    key: CallerKey,
    runtime: Runtime,
    action: Annotated[
        str | None,
        Query(
            description="`get_upload_url` for step 1; leave out to start the transcription",
            json_schema_extra={"enum": ["get_upload_url"]},
        ),
    ] = None,
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
    content_type = body.content_type.strip().lower()
    if content_type not in UPLOAD_CONTENT_TYPES:
        raise ApiError(
            415, f"contentType {body.content_type!r} is not a supported audio or video type"
        )
    upload_id = new_id("upl")
    file_name = _safe_file_name(body.file_name)
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


async def _start_transcription(
    request: Request, key: ApiKey, runtime: SandboxRuntime
) -> dict[str, Any]:
    body = await json_body(TranscribeRequest)(request)
    with runtime.store.session() as session:
        upload = session.exec(select(Upload).where(Upload.media_path == body.media_path)).first()
    if upload is None or upload.key_id != key.id:
        raise not_found("mediaPath", body.media_path)
    if upload.status == "pending":
        raise bad_request("nothing has been uploaded to this mediaPath yet (PUT the file first)")
    if upload.status == "consumed":
        raise bad_request("this upload has already been submitted for transcription")
    media = runtime.store.file(upload.file_path)
    info = await _probe(media)
    # The measured duration decides the cap (declaring less does not help) and the bill.
    cap = runtime.config.max_media_seconds.get(Tier(key.tier))
    check_duration_cap(key.tier, cap, info.duration)
    if body.media_type == "video" and not info.has_video:
        raise bad_request("mediaType is 'video' but the file has no video track")
    check_declared_duration(body.duration, info.duration)
    check_declared_size(body.file_size_mb, upload.size_bytes or 0)

    job_id = new_id("dub")
    extension = DUBBING_CONTAINERS[info.format_name]
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
                media_type=body.media_type,
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
    if info.format_name not in DUBBING_CONTAINERS:
        raise ApiError(415, f"{unsupported} (container {info.format_name!r})")
    if not info.has_audio:
        raise bad_request("the media has no audio track: there is nothing to transcribe")
    return info
