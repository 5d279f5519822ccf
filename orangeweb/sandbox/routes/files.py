"""Signed file URLs: downloads (`GET /files/{token}/{name}`, with HTTP Range) and the dubbing
upload (`PUT /uploads/{token}`, streamed to disk and size-capped while streaming)."""

from __future__ import annotations

import os
import secrets
import time

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from orangeweb.sandbox.config import describe_size
from orangeweb.sandbox.deps import Runtime
from orangeweb.sandbox.errors import ApiError, bad_request
from orangeweb.sandbox.media_types import media_type_for
from orangeweb.sandbox.models import Upload

# Not part of the API schema: these are the URLs the API hands out.
router = APIRouter(include_in_schema=False)


@router.api_route("/files/{token}/{name}", methods=["GET", "HEAD"])
async def download(token: str, name: str, runtime: Runtime) -> FileResponse:
    grant = runtime.signer.verify_download(token)
    try:
        path = runtime.store.file(grant.subject)
    except ValueError as error:
        raise ApiError(404, "file not found") from error
    if not path.is_file():
        raise ApiError(404, "file not found (it was replaced or deleted)")
    max_age = max(0, grant.expires_at - int(time.time()))
    # Starlette's FileResponse answers Range requests (206) and HEAD: browsers can seek.
    return FileResponse(
        path,
        media_type=media_type_for(path.suffix),
        filename=name,
        content_disposition_type="inline",
        headers={"Cache-Control": f"private, max-age={max_age}"},
    )


@router.put("/uploads/{token}")
async def upload(token: str, request: Request, runtime: Runtime) -> Response:
    grant = runtime.signer.verify_upload(token)
    with runtime.store.session() as session:
        record = session.get(Upload, grant.subject)
    if record is None:
        raise ApiError(404, "upload not found")
    if record.status == "consumed":
        raise ApiError(409, "this upload has already been submitted for transcription")
    sent_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if sent_type != record.content_type:
        raise bad_request(
            f"Content-Type must be {record.content_type!r}, as requested for this upload URL "
            f"(got {sent_type or 'none'!r})"
        )
    cap = runtime.config.media_upload_max_bytes
    too_large = f"the file is larger than the {describe_size(cap)} upload limit"
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise ApiError(413, too_large)

    final = runtime.store.file(record.file_path)
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = final.with_name(f".incoming-{secrets.token_hex(6)}")
    size = 0
    try:
        with staging.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise ApiError(413, too_large)
                out.write(chunk)
        if size == 0:
            raise bad_request("the upload is empty")
        os.replace(staging, final)
    finally:
        staging.unlink(missing_ok=True)
    with runtime.store.session() as session:
        record.status = "uploaded"
        record.size_bytes = size
        session.add(record)
        session.commit()
    return Response(status_code=200)
