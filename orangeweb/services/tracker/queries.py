"""The tracker's database reads, its sweep of stuck submissions and its resume after a
takeover (kept apart from the polling loop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from orangeweb.models import Job, as_utc
from orangeweb.services.jobs.kinds import kind_of
from orangeweb.services.jobs.status import SUBMITTING, UNKNOWN, set_status
from orangeweb.services.tracker.apply import needs_archive

# The API cannot tell us whether such a request arrived: no job is found by anything we sent
# (there is no list endpoint, and the job id was in the answer we never got). A person checks.
STOPPED_WORDS = (
    "The dashboard stopped while submitting this job (or never heard back), so it may or may "
    "not have reached OrangeClone. Check the account's jobs and credits before running it again."
)
NEVER_SENT_WORDS = (
    "The dashboard stopped before sending this job, so OrangeClone never received it and "
    "nothing was charged. Run it again to send it."
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


@dataclass(frozen=True)
class StaleSweep:
    settled: list[Job]  # rows that left "submitting" now (to be announced)
    next_due: datetime  # when the next sweep can find something


def sweep_stale_submissions(session: Session, now: datetime, stale_after: timedelta) -> StaleSweep:
    """Rows "submitting" with no sign of life for `stale_after`: "failed" if their request had
    not left yet (`maybe_sent` is False), else "unknown". Commits."""
    stuck = session.exec(
        select(Job)
        .where(Job.status == SUBMITTING, col(Job.updated_at) < now - stale_after)
        .with_for_update()  # PostgreSQL: a submitter marking its row sent waits for this verdict
    ).all()
    for job in stuck:
        status, words = (UNKNOWN, STOPPED_WORDS) if job.maybe_sent else ("failed", NEVER_SENT_WORDS)
        job.error = words
        set_status(session, job, status, words)
        kind_of(job.kind).mirror(session, job)
    session.commit()
    # The oldest row still submitting turns stale next; a new one cannot before `stale_after`.
    oldest = session.exec(select(func.min(Job.updated_at)).where(Job.status == SUBMITTING)).one()
    next_due = now + stale_after if oldest is None else as_utc(oldest) + stale_after
    return StaleSweep(list(stuck), max(next_due, now + timedelta(seconds=0.1)))


def resume_after_takeover(session: Session, now: datetime) -> list[int]:
    """On taking the lease: unfinished jobs without a due time are due now. Returns the ids of
    recently finished jobs whose outputs were never archived. Commits."""
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
    return [job.id for job in recent if job.id is not None and needs_archive(job)]
