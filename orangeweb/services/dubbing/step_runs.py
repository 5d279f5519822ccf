"""Running one dubbing step: one step sent at a time per project (a claim), failures that keep
what was done, and the project's job reopened for the tracker, which alone polls it, folds its
answers into the project (`status.record_remote_status`) and archives the dubbed file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from sqlalchemy import or_, update
from sqlmodel import Session, col

from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import OrangeCloneError
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.api_errors import describe_api_error
from orangeweb.services.dubbing.status import fold_job, touch
from orangeweb.services.errors import ConflictError
from orangeweb.services.jobs.status import publish, set_status
from orangeweb.services.tracker import policy as tracker_policy

# A claim older than this is from a request that died (a crashed worker); uploads renew theirs.
STALE_CLAIM = timedelta(minutes=15)
_CACHE_STATUSES = DubbingStatus.AWAITING_INPUT_STATUSES | {"completed"}


@asynccontextmanager
async def claimed(session: Session, project: DubbingProject, step: str) -> AsyncIterator[None]:
    """Run one step's requests with the project claimed: a second click, in any tab or worker,
    gets a `ConflictError` instead of sending (and paying) twice."""
    now = utcnow()
    result = session.execute(
        update(DubbingProject)
        .where(
            col(DubbingProject.id) == project.id,
            or_(
                col(DubbingProject.busy_step).is_(None),
                col(DubbingProject.busy_since) < now - STALE_CLAIM,
            ),
        )
        .values(busy_step=step, busy_since=now)
    )
    session.commit()
    if getattr(result, "rowcount", 0) != 1:
        raise ConflictError("Another step of this project is being sent right now; wait for it.")
    session.refresh(project)
    try:
        yield
    finally:
        session.rollback()  # a failed flush must not keep the claim
        session.refresh(project)
        project.busy_step = None
        project.busy_since = None
        session.commit()


def renew_claim(session: Session, project: DubbingProject) -> None:
    project.busy_since = utcnow()
    session.commit()


def fail(session: Session, project: DubbingProject, step: str, words: str) -> None:
    """Record a failed step (everything done before it stays). Commits."""
    project.failed_step = step
    project.error = words
    touch(project)
    session.commit()


def api_words(error: OrangeCloneError) -> str:
    return describe_api_error(error)


def reopen_job(
    session: Session, job: Job, status: str, detail: str, project: DubbingProject
) -> None:
    """The remote job runs again (a new step, or a retry after a failure or a finished dub):
    it is no longer final, and the tracker follows it from now. Commits."""
    if job.is_final:
        job.completed_at = None
        job.error = None
        if status == "cloning":  # a new dub replaces the old output
            job.output_path = None
            job.remote_output_url = None
    set_status(session, job, status, detail)
    job.next_poll_at = utcnow() + tracker_policy.first_delay(job.kind)
    if project is not None:
        fold_job(project, job)
    job.error_streak = 0
    session.commit()


async def job_changed(job: Job) -> None:
    """Tell the tracker to look now and the pages to refresh."""
    # late: the tracker imports the job views
    from orangeweb.services.tracker.loop import wake as wake_tracker

    wake_tracker(job.id)
    await publish(job)
