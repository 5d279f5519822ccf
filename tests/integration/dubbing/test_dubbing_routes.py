"""The dubbing page's media routes: the source file (with Range, for seeking) and subtitles,
for the team only."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import Session
from starlette.applications import Starlette

from orangeweb.routes import dubbing as dubbing_routes
from orangeweb.services.accounts import sessions
from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import projects
from tests.support.database import add_rival_team
from tests.support.sandbox_server import SandboxServer

from .conftest import add_sandbox_key, store_upload


def _cookie(raw_session: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={raw_session}"}


def _rival_session(session: Session) -> str:
    rival = add_rival_team(session)
    return sessions.start_session(session, rival.user_id, rival.team_id, "127.0.0.1", "pytest")


async def test_source_and_subtitles_are_served_to_the_team_only(
    session: Session, owner: CurrentUser, sandbox: SandboxServer, two_speaker_video: Path
) -> None:
    original = two_speaker_video.read_bytes()  # noqa: ASYNC240  (before any request)
    key_id, _secret = await add_sandbox_key(session, owner, sandbox, "enterprise")
    stored = store_upload(two_speaker_video, owner.team_id)
    project = await projects.create_project(session, owner, key_id, stored, "Our talk.mp4")
    mine = sessions.start_session(session, owner.user_id, owner.team_id, "127.0.0.1", "pytest")
    theirs = _rival_session(session)
    app = Starlette(routes=dubbing_routes.routes)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://dash") as client:
        source = f"/media/dubbing/{project.id}/source"
        whole = await client.get(source, headers=_cookie(mine))
        assert whole.status_code == 200
        assert whole.headers["content-type"] == "video/mp4"
        assert whole.content == original
        part = await client.get(source, headers={**_cookie(mine), "Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.content) == 100

        srt = await client.get(
            f"/media/dubbing/{project.id}/subtitles.srt?track=original", headers=_cookie(mine)
        )
        assert srt.status_code == 200
        assert "attachment" in srt.headers["content-disposition"]
        vtt = await client.get(f"/media/dubbing/{project.id}/subtitles.vtt", headers=_cookie(mine))
        assert vtt.status_code == 200 and vtt.text.startswith("WEBVTT")

        assert (await client.get(source)).status_code == 401
        assert (await client.get(source, headers=_cookie(theirs))).status_code == 404
        other = f"/media/dubbing/{project.id}/subtitles.srt"
        assert (await client.get(other, headers=_cookie(theirs))).status_code == 404
        bad = f"/media/dubbing/{project.id}/subtitles.txt"
        assert (await client.get(bad, headers=_cookie(mine))).status_code == 404
