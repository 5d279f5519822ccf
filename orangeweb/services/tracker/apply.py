"""What a poll answer means for a job row: asked of the job's kind (`services.jobs.kinds`).

Used by the tracker, one job at a time, under that job's lock. Nothing here logs or returns a
signed URL: they are stored (`remote_output_url`, scene `remote_url`) only to fetch the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session, select

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.services.jobs.kinds import kind_of
from orangeweb.services.jobs.status import set_status

KEY_GONE_WORDS = "Its API key was revoked or removed, so the dashboard can no longer follow it."
LOST_WORDS = "OrangeClone no longer knows this job (deleted, or another key's account)."


async def fetch_and_apply(
    session: Session, client: OrangeClone, job: Job, remote_id: str
) -> tuple[bool, Any]:
    """One status request for `job`, folded into its row (not committed): whether a page
    would show something new, and the answer (its times teach the tracker the key's speed)."""
    kind = kind_of(job.kind)
    remote = await kind.poll(client, remote_id)
    return kind.apply(session, job, remote), remote


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
    kind_of(job.kind).mirror(session, job)
    job.next_poll_at = None
    session.commit()


def needs_archive(job: Job) -> bool:
    return kind_of(job.kind).needs_archive(job)


async def archive_job(session: Session, job: Job, http: httpx.AsyncClient, data_root: Path) -> bool:
    """Download what `job` has finished and not archived yet; returns whether anything was
    stored. Commits after each file, so no write transaction is held across a download."""
    return await kind_of(job.kind).archive(session, job, http, data_root)
