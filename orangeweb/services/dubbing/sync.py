"""The machinery the dubbing steps share: one step sent at a time per project, failures that
keep what was done, and the remote job's status folded into the project.

The remote job is a `Job` of kind "dubbing" that the tracker follows. `record_remote_status`
is the hook for the tracker: given the status it just fetched, it refreshes the project's
transcript cache without another request. `sync_project` does the same on demand (a page
opening, a notice arriving), asking the API only when the job reached a resting status the
cache has not seen yet, and archives the dubbed output if the tracker has not yet.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from sqlalchemy import or_, update
from sqlmodel import Session, col

from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import OrangeCloneError
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import as_domain_error, describe_api_error
from orangeweb.services.dubbing.status import FAILED_WORDS, clear_failure, store_status, touch
from orangeweb.services.dubbing.views import (
    CLONE,
    TRANSCRIBE,
    DubbingProjectView,
    current_job,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError
from orangeweb.services.jobs.status import publish, set_status
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client
from orangeweb.services.media import archive
from orangeweb.services.tracker import policy as tracker_policy
from orangeweb.services.tracker.apply import apply_dubbing_status, archive_job, needs_archive

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
    session: Session, job: Job, status: str, detail: str, project: DubbingProject | None = None
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
    if project is not None:  # the cache predates this step: fetch it again when it rests
        project.transcript = {**project.transcript, "status": status}
    job.error_streak = 0
    session.commit()


async def job_changed(job: Job) -> None:
    """Tell the tracker to look now and the pages to refresh."""
    # late: the tracker imports the job views
    from orangeweb.services.tracker.loop import wake as wake_tracker

    wake_tracker(job.id)
    await publish(job)


def _fold_job(project: DubbingProject, job: Job) -> None:
    """What the job row says (the tracker keeps it current), without a request."""
    project.status = job.status
    if job.is_final and not job.succeeded:
        project.failed_step = project.step or TRANSCRIBE
        project.error = job.error or FAILED_WORDS
    elif job.succeeded:
        clear_failure(project, CLONE)
        project.completed_at = project.completed_at or utcnow()
    touch(project)


async def sync_project(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    *,
    opener: ClientOpener = open_client,
    http: httpx.AsyncClient | None = None,
    strict: bool = False,
) -> DubbingProjectView:
    """The project as it stands, after folding in what the tracker learnt.

    Asks the API (once) only when the job rests in a status whose transcript the project has
    not cached; archives a finished dub unless the team turned the archive off. If that one
    request fails, the cached state is shown (the tracker keeps following the job), or with
    `strict` the failure is raised in words (`RemoteApiError`)."""
    project = team_project(session, actor, project_id)
    job = current_job(session, project)
    if job is None:
        return to_view(session, actor, project)
    status = job.status.strip().lower()
    if status in _CACHE_STATUSES and project.transcript.get("status") != status:
        try:
            async with opener(session, actor, project.api_key_id) as client:
                remote = await client.dubbing.status(str(job.remote_id))
        except OrangeCloneError as error:
            if strict:
                raise as_domain_error(error) from error
            return to_view(session, actor, project)
        changed = apply_dubbing_status(session, job, remote)
        store_status(project, remote)
        session.commit()
        if changed:
            await publish(job)
    elif job.status != project.status:
        _fold_job(project, job)
        session.commit()
    if needs_archive(job) and archive.archive_enabled(session, job.team_id):
        await _archive(session, job, http)
    if job.output_path and project.output_path != job.output_path:
        project.output_path = job.output_path
        session.commit()
    return to_view(session, actor, project)


async def _archive(session: Session, job: Job, http: httpx.AsyncClient | None) -> None:
    if http is not None:
        await archive_job(session, job, http, archive.data_root())
        return
    async with httpx.AsyncClient(follow_redirects=False, timeout=archive.DOWNLOAD_TIMEOUT) as own:
        await archive_job(session, job, own, archive.data_root())
