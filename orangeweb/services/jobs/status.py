"""Job status rules: which status strings are final or succeeded, moving a job to a status with
its history event, and the notice that tells the open pages about it."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from orangeweb.models import Job, JobEvent, utcnow
from orangeweb.services.jobs.notices import JobNotice, get_notice_bus

SUBMITTING = "submitting"
UNKNOWN = "unknown"  # the submit may or may not have reached the server


def status_flags(kind: str, status: str) -> tuple[bool, bool]:
    """(is_final, succeeded) of a status string, by the kind's status model."""
    # Imported here: the kinds apply their answers through `set_status` below.
    from orangeweb.services.jobs.kinds import kind_of

    return kind_of(kind).flags(status)


def add_event(session: Session, job: Job, status: str, detail: str | None = None) -> None:
    assert job.id is not None
    session.add(JobEvent(job_id=job.id, status=status, detail=detail, at=utcnow()))


def set_status(session: Session, job: Job, status: str, detail: str | None = None) -> bool:
    """Move `job` to `status` (with an event) if it differs; returns whether it changed."""
    if status == job.status:
        return False
    job.status = status
    job.is_final, job.succeeded = status_flags(job.kind, status)
    job.updated_at = utcnow()
    if job.is_final and job.completed_at is None:
        job.completed_at = job.updated_at
    add_event(session, job, status, detail)
    return True


def notice_for(job: Job) -> JobNotice:
    assert job.id is not None
    return JobNotice(
        team_id=job.team_id,
        job_id=job.id,
        user_id=job.created_by_id,
        kind=job.kind,
        status=job.status,
        is_final=job.is_final,
        title=job.title,
        publish_id=uuid.uuid4().hex,
    )


async def publish(job: Job) -> None:
    await get_notice_bus().publish(notice_for(job))
