"""The tracker's database reads and its restart sweep (kept apart from the polling loop)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from orangeweb.models import Job, as_utc
from orangeweb.services import stories
from orangeweb.services.jobs_common import SUBMITTING, UNKNOWN, set_status
from orangeweb.services.tracker_updates import needs_archive

STOPPED_WORDS = (
    "The dashboard stopped while submitting this job, so it may or may not have reached "
    "OrangeClone. Check the account's jobs before trying again."
)
# Signed result URLs do not last: older unarchived outputs are not worth another try.
ARCHIVE_RETRY_WINDOW = timedelta(days=1)


def pollable() -> list[object]:
    """Unfinished jobs the API knows about (a "submitting" row has no remote id yet)."""
    return [
        col(Job.is_final) == False,  # noqa: E712
        col(Job.remote_id).is_not(None),
        col(Job.status) != SUBMITTING,
    ]


def due_jobs(
    session: Session, now: datetime, urgent: set[int], limit: int
) -> list[tuple[int, int, int]]:
    """(job id, team id, key id) of the jobs due now (and the urgent ones), most overdue first."""
    due = col(Job.next_poll_at) <= now
    if urgent:
        due = due | col(Job.id).in_(urgent)
    rows = session.exec(
        select(Job.id, Job.team_id, Job.api_key_id)
        .where(*pollable(), due)
        .order_by(col(Job.next_poll_at), col(Job.id))
        .limit(limit)
    ).all()
    return [(job_id, team_id, key_id) for job_id, team_id, key_id in rows if job_id is not None]


def next_due_by_key(session: Session) -> dict[int, datetime | None]:
    """Per key, when its earliest unfinished job is due."""
    rows = session.exec(
        select(Job.api_key_id, func.min(Job.next_poll_at))
        .where(*pollable())
        .group_by(col(Job.api_key_id))
    ).all()
    return {key_id: as_utc(due_at) if due_at is not None else None for key_id, due_at in rows}


def sweep_after_restart(
    session: Session, now: datetime, stale_submission: timedelta
) -> tuple[list[Job], list[int]]:
    """On taking the lease: rows stuck in "submitting" become "unknown" (returned, to be
    announced); unfinished jobs without a due time are due now. Also returns the ids of
    recently finished jobs whose outputs were never archived. Commits."""
    stuck = session.exec(
        select(Job).where(Job.status == SUBMITTING, col(Job.updated_at) < now - stale_submission)
    ).all()
    for job in stuck:
        job.error = STOPPED_WORDS
        set_status(session, job, UNKNOWN, STOPPED_WORDS)
        stories.mirror_batch_status_on_scenes(job)
    session.execute(
        update(Job).where(*pollable(), col(Job.next_poll_at).is_(None)).values(next_poll_at=now)
    )
    session.commit()
    recent = session.exec(
        select(Job).where(
            Job.is_final == True,  # noqa: E712
            col(Job.completed_at) >= now - ARCHIVE_RETRY_WINDOW,
        )
    ).all()
    unarchived = [job.id for job in recent if job.id is not None and needs_archive(job)]
    return list(stuck), unarchived
