"""Jobs with one output file (a voice clip, a dubbed video): archiving it, and the fields every
such status answer carries."""

from __future__ import annotations

import asyncio
import logging
import math
from pathlib import Path

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.services.jobs.status import add_event
from orangeweb.services.media import archive

logger = logging.getLogger(__name__)

FAILED_WORDS = "OrangeClone reported that the job failed."


def fold_common(
    job: Job, *, failed: bool, error: str | None, url: str | None, duration: float | None
) -> None:
    """The error, result URL and duration of an answer, onto the row."""
    if failed:
        job.error = error or FAILED_WORDS
    if url:
        job.remote_output_url = url
    if duration is not None and math.isfinite(duration):
        job.duration_s = round(duration, 3)


def needs_archive(job: Job) -> bool:
    return bool(job.succeeded and job.remote_output_url and not job.output_path)


async def archive_output(
    session: Session, job: Job, http: httpx.AsyncClient, data_root: Path, *, suffix: str
) -> bool:
    """Download the job's one output if it is finished and not archived yet. Commits."""
    assert job.id is not None
    url = job.remote_output_url
    if not (job.succeeded and url and not job.output_path):
        return False
    relative_dir = archive.job_archive_dir(job.team_id, job.id)
    try:
        path = await archive.download(
            http, url, data_root / relative_dir, "output", default_suffix=suffix
        )
    except archive.DownloadError as error:
        not_archived(session, job, str(error))
        return False
    job.output_path = (relative_dir / path.name).as_posix()
    if job.duration_s is None:
        job.duration_s = await asyncio.to_thread(archive.probe_duration, path)
    session.commit()
    return True


def not_archived(session: Session, job: Job, reason: str) -> None:
    logger.warning("job %s: output not archived: %s", job.id, reason)
    add_event(session, job, job.status, f"The output could not be archived: {reason}")
    session.commit()
