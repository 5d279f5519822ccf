"""What a poll answer means for a job row, and copying finished outputs into the archive.

Used by the tracker, one job at a time, under that job's lock. Nothing here logs or returns a
signed URL: they are stored (`remote_output_url`, scene `remote_url`) only to fetch the file.
"""

from __future__ import annotations

import asyncio
import logging
import math
from pathlib import Path

import httpx
from sqlmodel import Session, select

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.models import BatchStatus, DubbingStatus, VoiceStatus
from orangeweb.services.dubbing.status import record_remote_status
from orangeweb.services.jobs import stories
from orangeweb.services.jobs.status import add_event, set_status
from orangeweb.services.media import archive

logger = logging.getLogger(__name__)

FAILED_WORDS = "OrangeClone reported that the job failed."
KEY_GONE_WORDS = "Its API key was revoked or removed, so the dashboard can no longer follow it."
LOST_WORDS = "OrangeClone no longer knows this job (deleted, or another key's account)."


async def fetch_and_apply(session: Session, client: OrangeClone, job: Job, remote_id: str) -> bool:
    """One status request for `job`, folded into its row (not committed); whether a page
    would show something new."""
    if job.kind == "batch":
        return apply_batch_status(session, job, await client.batch.status(remote_id))
    if job.kind == "dubbing":
        remote = await client.dubbing.status(remote_id)
        changed = apply_dubbing_status(session, job, remote)
        record_remote_status(session, job, remote)  # the project keeps its transcript in step
        return changed
    return apply_voice_status(session, job, await client.voices.status(remote_id))


def fresh_job(session: Session, job_id: int) -> Job | None:
    """The row as the database has it now: another session (the archive task, a route) may
    have changed it since this session last read it."""
    return session.exec(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    ).first()


def give_up(session: Session, job: Job, status: str, words: str) -> None:
    """Stop following `job`: it ends in `status`, with `words` saying why. Commits."""
    job.error = words
    set_status(session, job, status, words)
    job.next_poll_at = None
    session.commit()


def apply_voice_status(session: Session, job: Job, remote: VoiceStatus) -> bool:
    """Fold a /voices answer into the row; returns whether anything a page shows changed."""
    before = (job.status, job.duration_s, job.charged_credits)
    if remote.failed:
        job.error = remote.error or FAILED_WORDS
    if remote.audio_url:
        job.remote_output_url = remote.audio_url
    if remote.duration is not None and math.isfinite(remote.duration):
        job.duration_s = round(remote.duration, 3)
    if remote.cost is not None and math.isfinite(remote.cost):
        job.charged_credits = math.ceil(remote.cost)
    set_status(session, job, remote.status, job.error if remote.failed else None)
    return (job.status, job.duration_s, job.charged_credits) != before


def apply_batch_status(session: Session, job: Job, remote: BatchStatus) -> bool:
    before = [(scene.get("status"), scene.get("error")) for scene in job.scenes]
    stories.apply_scene_statuses(job, remote.scenes)
    failed = [scene for scene in job.scenes if scene.get("status") == "failed"]
    if remote.is_final and failed:
        job.error = f"{len(failed)} of {len(job.scenes)} scenes failed."
    changed = set_status(session, job, remote.status, job.error if remote.is_final else None)
    after = [(scene.get("status"), scene.get("error")) for scene in job.scenes]
    return changed or after != before


def apply_dubbing_status(session: Session, job: Job, remote: DubbingStatus) -> bool:
    before = (job.status, job.duration_s)
    if remote.failed:
        job.error = remote.error or FAILED_WORDS
    if remote.dubbed_url:
        job.remote_output_url = remote.dubbed_url
    if remote.duration is not None and math.isfinite(remote.duration):
        job.duration_s = round(remote.duration, 3)
    set_status(session, job, remote.status, job.error if remote.failed else None)
    return (job.status, job.duration_s) != before


def needs_archive(job: Job) -> bool:
    if job.kind == "batch":
        return any(
            scene.get("status") == "completed"
            and scene.get("remote_url")
            and not scene.get("output_path")
            for scene in job.scenes
        )
    return bool(job.succeeded and job.remote_output_url and not job.output_path)


async def archive_job(session: Session, job: Job, http: httpx.AsyncClient, data_root: Path) -> bool:
    """Download what `job` has finished and not archived yet; returns whether anything was
    stored. Commits after each file, so no write transaction is held across a download."""
    assert job.id is not None
    relative_dir = archive.job_archive_dir(job.team_id, job.id)
    stored = False
    if job.kind != "batch":
        url = job.remote_output_url
        if job.succeeded and url and not job.output_path:
            default = ".mp4" if job.kind == "dubbing" else ".mp3"
            try:
                path = await archive.download(
                    http, url, data_root / relative_dir, "output", default_suffix=default
                )
            except archive.DownloadError as error:
                _not_archived(session, job, str(error))
                return False
            job.output_path = (relative_dir / path.name).as_posix()
            if job.duration_s is None:
                job.duration_s = await asyncio.to_thread(archive.probe_duration, path)
            session.commit()
            stored = True
        return stored
    for scene in list(job.scenes):
        url = scene.get("remote_url")
        if scene.get("status") != "completed" or not url or scene.get("output_path"):
            continue
        index = int(scene["index"])
        try:
            path = await archive.download(http, url, data_root / relative_dir, f"scene-{index}")
        except archive.DownloadError as error:
            _not_archived(session, job, f"scene {index + 1}: {error}")
            continue
        duration = await asyncio.to_thread(archive.probe_duration, path)
        stories.set_scene_fields(
            job, index, output_path=(relative_dir / path.name).as_posix(), duration_s=duration
        )
        session.commit()
        stored = True
    durations = [s.get("duration_s") for s in job.scenes if s.get("status") == "completed"]
    if job.is_final and durations and all(isinstance(d, int | float) for d in durations):
        job.duration_s = round(sum(float(d) for d in durations if d is not None), 3)
        session.commit()
    return stored


def _not_archived(session: Session, job: Job, reason: str) -> None:
    logger.warning("job %s: output not archived: %s", job.id, reason)
    add_event(session, job, job.status, f"The output could not be archived: {reason}")
    session.commit()
