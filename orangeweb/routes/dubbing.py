"""Dubbing media the browser fetches: a project's source file (for the review player), its
render (the dub mixed here), and its subtitles (SRT or WebVTT, original or translation).
Team-checked; nothing signed or vendor."""

from __future__ import annotations

from typing import Literal, cast

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from orangeweb.db import open_session
from orangeweb.orangeclone.media_types import media_type_for
from orangeweb.services.dubbing import projects, views, voices
from orangeweb.services.errors import DomainError
from orangeweb.services.ids import row_id
from orangeweb.settings import get_settings

from .web import current_user

_SUBTITLE_TYPES = {"srt": "application/x-subrip", "vtt": "text/vtt"}


async def source(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return Response("Sign in to watch this file.", status_code=401)
    try:
        project_id = row_id(request.path_params["project_id"], "project")
        with open_session() as session:
            view = views.get_project(session, user, project_id)
            path = projects.source_media_path(session, user, project_id)
    except (ValueError, DomainError):
        return Response("No such dubbing project.", status_code=404)
    if path is None:
        return Response("The uploaded file is gone.", status_code=404)
    content_type = media_type_for(f".{view.container}")
    # FileResponse answers Range requests, so the player can seek.
    return FileResponse(path, media_type=content_type)


async def render(request: Request) -> Response:
    """The dashboard's own render of the project (the newest; a re-render replaces it)."""
    user = current_user(request)
    if user is None:
        return Response("Sign in to watch this dub.", status_code=401)
    try:
        project_id = row_id(request.path_params["project_id"], "project")
        with open_session() as session:
            project = views.team_project(session, user, project_id)
            relative = project.render_path
    except (ValueError, DomainError):
        return Response("No such dubbing project.", status_code=404)
    path = get_settings().data_path / relative if relative else None
    if path is None or not path.is_file():
        return Response("This project has no render yet.", status_code=404)
    return FileResponse(path, media_type=media_type_for(path.suffix))


async def subtitle_file(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return Response("Sign in to download subtitles.", status_code=401)
    file_format = request.path_params["file_format"]
    which = request.query_params.get("track", "translation")
    if file_format not in _SUBTITLE_TYPES or which not in ("original", "translation"):
        return Response("Unknown subtitle format.", status_code=404)
    try:
        project_id = row_id(request.path_params["project_id"], "project")
        with open_session() as session:
            view = views.get_project(session, user, project_id)
            text = voices.subtitles(
                session,
                user,
                project_id,
                cast(Literal["srt", "vtt"], file_format),
                translated=which == "translation",
            )
    except (ValueError, DomainError):
        return Response("No such dubbing project.", status_code=404)
    stem = view.original_name.rsplit(".", 1)[0].encode("ascii", "ignore").decode() or "subtitles"
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in stem)[:80]
    suffix = (
        f"{view.target_language}" if which == "translation" and view.target_language else "orig"
    )
    return Response(
        text,
        media_type=f"{_SUBTITLE_TYPES[file_format]}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stem}.{suffix}.{file_format}"'},
    )


routes = [
    Route("/media/dubbing/{project_id}/source", source, methods=["GET"]),
    Route("/media/dubbing/{project_id}/render", render, methods=["GET"]),
    Route("/media/dubbing/{project_id}/subtitles.{file_format}", subtitle_file, methods=["GET"]),
]
