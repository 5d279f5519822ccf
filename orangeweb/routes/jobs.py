"""Job outputs and the batch callback hook (plain HTTP routes, no Reflex).

- `GET /media/jobs/{id}/output`, `/media/jobs/{id}/scenes/{index}`, `/media/jobs/{id}/story`:
  team-checked from the session cookie, like `routes/media.py`. The archived file is served
  (with Range support); otherwise the vendor's file is streamed through the server, so the
  browser never sees a vendor or signed URL.
- `POST /hooks/batch/{token}`: the vendor's batch callback. The token (random, per batch) finds
  the job; the body is never read, let alone trusted: the tracker re-fetches the status now.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlmodel import select
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from orangeweb.db import open_session
from orangeweb.models import Job, utcnow
from orangeweb.orangeclone.media_types import MEDIA_TYPES, media_type_for
from orangeweb.services import jobs
from orangeweb.services.errors import DomainError, ValidationError
from orangeweb.services.ids import list_index, row_id
from orangeweb.services.jobs.callbacks import hash_callback_token
from orangeweb.services.jobs.media import local_output, open_remote_output
from orangeweb.services.tracker.loop import wake as wake_tracker

from .web import current_user

_TOKEN_MAX = 128
_STREAM_TYPES = tuple(MEDIA_TYPES.values())


def _file(path: Any) -> FileResponse:
    # FileResponse answers Range requests, so the player can seek.
    return FileResponse(path, media_type=media_type_for(path.suffix))


async def _output(request: Request, scene: bool) -> Response:
    user = current_user(request)
    if user is None:
        return Response("Sign in to listen to outputs.", status_code=401)
    http = httpx.AsyncClient(follow_redirects=False)  # same-host redirects: open_result
    try:
        job_id = row_id(request.path_params["job_id"], "job")
        scene_index = list_index(request.path_params["index"], "scene") if scene else None
        with open_session() as session:
            path = local_output(session, user, job_id, scene_index)
            upstream = (
                None
                if path is not None
                else await open_remote_output(session, user, job_id, http, scene_index)
            )
    except (ValueError, DomainError):
        await http.aclose()
        return Response("No such output.", status_code=404)
    if path is not None:
        await http.aclose()
        return _file(path)
    if upstream is None:
        await http.aclose()
        return Response("This output is not available (yet).", status_code=404)
    media_type = upstream.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type not in _STREAM_TYPES:
        media_type = "application/octet-stream"  # never let the vendor pick e.g. text/html

    async def close() -> None:
        await upstream.aclose()
        await http.aclose()

    headers = {"Cache-Control": "private, no-store"}
    if upstream.headers.get("content-length", "").isdigit() and not upstream.headers.get(
        "content-encoding"
    ):
        headers["Content-Length"] = upstream.headers["content-length"]
    return StreamingResponse(
        upstream.aiter_bytes(),  # decoded: no Content-Encoding is passed on
        media_type=media_type,
        headers=headers,
        background=BackgroundTask(close),
    )


async def output(request: Request) -> Response:
    return await _output(request, scene=False)


async def scene_output(request: Request) -> Response:
    return await _output(request, scene=True)


async def story(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return Response("Sign in to listen to stories.", status_code=401)
    try:
        job_id = row_id(request.path_params["job_id"], "job")

        def join() -> Any:
            with open_session() as session:
                return jobs.story_audio_path(session, user, job_id)

        path = await asyncio.to_thread(join)  # ffmpeg may take a while: not on the event loop
    except ValidationError as error:
        return Response(error.message, status_code=409)
    except (ValueError, DomainError):
        return Response("No such story.", status_code=404)
    return _file(path)


async def batch_hook(request: Request) -> Response:
    token = str(request.path_params["token"])
    if not token or len(token) > _TOKEN_MAX:
        return JSONResponse({"error": "unknown callback"}, status_code=404)
    with open_session() as session:
        job = session.exec(
            select(Job).where(Job.callback_token_hash == hash_callback_token(token))
        ).first()
        if job is None:
            return JSONResponse({"error": "unknown callback"}, status_code=404)
        job_id = job.id
        if not job.is_final:
            # Due now, in the database too: a tracker in another worker picks it up from there.
            job.next_poll_at = utcnow()
            session.commit()
    if job_id is not None:
        wake_tracker(job_id)
    return JSONResponse({"received": True})


routes = [
    Route("/media/jobs/{job_id}/output", output, methods=["GET"]),
    Route("/media/jobs/{job_id}/scenes/{index}", scene_output, methods=["GET"]),
    Route("/media/jobs/{job_id}/story", story, methods=["GET"]),
    Route("/hooks/batch/{token}", batch_hook, methods=["POST"]),
]
