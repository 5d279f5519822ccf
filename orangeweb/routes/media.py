"""Media the browser fetches over HTTP: character voice samples (team-scoped) and recordings.

Samples live under the data directory, never under Reflex's public upload folder, so every byte
goes through this route's team check. Recordings from the browser's MediaRecorder are streamed to
disk with a size cap, converted and checked, and referred to afterwards by a random id.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from orangeweb.db import open_session
from orangeweb.orangeclone.media_types import media_type_for
from orangeweb.services import characters
from orangeweb.services.errors import DomainError
from orangeweb.services.ids import row_id
from orangeweb.services.media.recordings import recordings_dir
from orangeweb.services.media.samples import MAX_SAMPLE_BYTES, SampleRejected, prepare_voice_sample

from .web import current_user, same_origin


async def sample(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return Response("Sign in to listen to samples.", status_code=401)
    try:
        character_id = row_id(request.path_params["character_id"], "character")
        with open_session() as session:
            view = characters.get_character(session, user, character_id)
    except (ValueError, DomainError):
        return Response("No such character.", status_code=404)
    if view.sample_path is None or not view.sample_path.is_file():
        return Response("This character has no local sample.", status_code=404)
    media_type = media_type_for(view.sample_path.suffix)
    # FileResponse answers Range requests, so the player can seek.
    return FileResponse(view.sample_path, media_type=media_type)


async def save_recording(request: Request) -> Response:
    if not same_origin(request):
        return JSONResponse({"error": "Cross-site upload refused."}, status_code=403)
    user = current_user(request)
    if user is None:
        return JSONResponse({"error": "Your session has ended. Sign in again."}, status_code=401)
    target_dir = recordings_dir(user)
    recording_id = uuid.uuid4().hex
    raw_path = target_dir / f"{recording_id}.upload"
    received = 0
    with raw_path.open("wb") as raw_file:
        async for chunk in request.stream():
            received += len(chunk)
            if received > MAX_SAMPLE_BYTES:
                raw_file.close()
                raw_path.unlink(missing_ok=True)
                return JSONResponse(
                    {"error": "The recording is over 20 MB. Record a shorter take."},
                    status_code=413,
                )
            raw_file.write(chunk)
    try:
        prepared = await asyncio.to_thread(prepare_voice_sample, raw_path, target_dir)
    except SampleRejected as rejection:
        raw_path.unlink(missing_ok=True)
        return JSONResponse({"error": str(rejection)}, status_code=400)
    final_path = target_dir / f"{recording_id}.{prepared.extension}"
    shutil.move(prepared.path, final_path)  # the converted WAV, or the upload itself
    raw_path.unlink(missing_ok=True)
    return JSONResponse({"id": recording_id, "duration": prepared.duration_s})


routes = [
    Route("/media/samples/{character_id}", sample, methods=["GET"]),
    Route("/media/recordings", save_recording, methods=["POST"]),
]
