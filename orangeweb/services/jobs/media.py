"""Job outputs for the browser: the archived file, or the vendor's file streamed through us.

The browser only ever sees `/media/jobs/...`; a vendor's signed URL stays on the server. When
an output is not archived, its stored URL is fetched (same-host redirects only); if it has
expired, one status call (through the key's budget and window) gets a fresh one.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeCloneError, RetryPolicy
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import DomainError
from orangeweb.services.jobs.kinds import kind_of
from orangeweb.services.jobs.queries import job_output_path, team_job
from orangeweb.services.keys.store import open_client_for_team
from orangeweb.services.media import archive


async def _fresh_url(session: Session, job: Job, scene_index: int | None) -> str | None:
    """Ask the API again for the job's result URL (the stored one may have expired)."""
    if not job.remote_id:
        return None
    try:
        async with open_client_for_team(
            session,
            job.team_id,
            job.api_key_id,
            client_options={"retry": RetryPolicy(max_retries=0)},
        ) as client:
            kind = kind_of(job.kind)
            return kind.result_url(await kind.poll(client, job.remote_id), job, scene_index)
    except (OrangeCloneError, DomainError):
        return None


def _stored_url(job: Job, scene_index: int | None) -> str | None:
    if scene_index is None:
        return job.remote_output_url if job.succeeded else None
    for scene in job.scenes:
        if int(scene["index"]) == scene_index and scene.get("status") == "completed":
            return scene.get("remote_url")
    return None


def local_output(
    session: Session, actor: CurrentUser, job_id: int, scene_index: int | None = None
) -> Path | None:
    return job_output_path(session, actor, job_id, scene_index)


async def open_remote_output(
    session: Session,
    actor: CurrentUser,
    job_id: int,
    http: httpx.AsyncClient,
    scene_index: int | None = None,
) -> httpx.Response | None:
    """A streamed response with the output's bytes (close it), or None when there is none.
    Checks the job is the actor's team's (`NotFoundError` otherwise)."""
    job = team_job(session, actor, job_id)
    url = _stored_url(job, scene_index)
    if url is None:
        return None
    try:
        return await archive.open_result(http, url)
    except archive.DownloadError:
        fresh = await _fresh_url(session, job, scene_index)
        if fresh is None or fresh == url:
            return None
        try:
            return await archive.open_result(http, fresh)
        except archive.DownloadError:
            return None
