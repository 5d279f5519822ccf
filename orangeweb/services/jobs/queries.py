"""Reading jobs: the team's table (filtered, paginated in SQL, newest first), one job's
detail, team activity, and the local paths of outputs. Every query is scoped to the team."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from orangeweb.models import ApiKey, Job, JobEvent, User, utcnow
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError
from orangeweb.services.jobs import stories
from orangeweb.services.jobs.views import JobDetail, JobEventView, JobPage, JobView, to_view
from orangeweb.services.media import archive

PAGE_SIZE_MAX = 100
ACTIVE = "active"  # status filter: every job not final yet
JUST_FINISHED = timedelta(minutes=15)


def team_job(session: Session, actor: CurrentUser, job_id: int) -> Job:
    """One of the team's jobs; another team's id is simply not found."""
    job = session.exec(select(Job).where(Job.id == job_id, Job.team_id == actor.team_id)).first()
    if job is None:
        raise NotFoundError("That job does not exist.")
    return job


def _view_query() -> Any:
    return (
        select(Job, User.display_name, ApiKey)
        .join(User, col(User.id) == col(Job.created_by_id))
        .join(ApiKey, col(ApiKey.id) == col(Job.api_key_id))
    )


def job_view(session: Session, actor: CurrentUser, job: Job) -> JobView:
    row = session.exec(_view_query().where(Job.id == job.id, Job.team_id == actor.team_id)).first()
    if row is None:
        raise NotFoundError("That job does not exist.")
    found, creator, api_key = row
    return to_view(found, creator, api_key, actor)


def list_jobs(
    session: Session,
    actor: CurrentUser,
    *,
    kind: str | None = None,
    status: str | None = None,
    member_id: int | None = None,
    api_key_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
) -> JobPage:
    """The team's jobs, newest first. `status` is a status string as shown, or "active" for
    every unfinished job. Pages count from 1; a page past the end gives the last page."""
    conditions: list[Any] = [Job.team_id == actor.team_id]
    if kind:
        conditions.append(Job.kind == kind)
    if status == ACTIVE:
        conditions.append(Job.is_final == False)  # noqa: E712
    elif status:
        conditions.append(Job.status == status)
    if member_id is not None:
        conditions.append(Job.created_by_id == member_id)
    if api_key_id is not None:
        conditions.append(Job.api_key_id == api_key_id)
    page_size = min(max(1, page_size), PAGE_SIZE_MAX)
    total = session.exec(select(func.count()).select_from(Job).where(*conditions)).one()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    rows = session.exec(
        _view_query()
        .where(*conditions)
        .order_by(col(Job.created_at).desc(), col(Job.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    items = [to_view(job, creator, api_key, actor) for job, creator, api_key in rows]
    return JobPage(items=items, total=total, page=page, pages=pages)


def get_job(session: Session, actor: CurrentUser, job_id: int) -> JobDetail:
    """One job with its status history, oldest first."""
    job = team_job(session, actor, job_id)
    events = session.exec(
        select(JobEvent).where(JobEvent.job_id == job.id).order_by(col(JobEvent.id))
    ).all()
    return JobDetail(
        job=job_view(session, actor, job),
        events=[JobEventView(status=e.status, at=e.at, detail=e.detail) for e in events],
    )


def team_activity(session: Session, actor: CurrentUser, limit: int = 8) -> list[JobView]:
    """What the team is running now, then what just finished; every member's, latest first."""
    since = utcnow() - JUST_FINISHED
    rows = session.exec(
        _view_query()
        .where(
            Job.team_id == actor.team_id,
            or_(col(Job.is_final) == False, col(Job.updated_at) >= since),  # noqa: E712
        )
        .order_by(col(Job.is_final), col(Job.updated_at).desc(), col(Job.id).desc())
        .limit(max(1, limit))
    ).all()
    return [to_view(job, creator, api_key, actor) for job, creator, api_key in rows]


def job_output_path(
    session: Session, actor: CurrentUser, job_id: int, scene_index: int | None = None
) -> Path | None:
    """The archived output (or one scene's), if it is in the archive."""
    job = team_job(session, actor, job_id)
    relative: str | None
    if scene_index is None:
        relative = job.output_path
    else:
        relative = next(
            (s.get("output_path") for s in job.scenes if int(s["index"]) == scene_index), None
        )
    if not relative:
        return None
    path = archive.data_root() / relative
    return path if path.is_file() else None


def story_audio_path(session: Session, actor: CurrentUser, job_id: int) -> Path:
    """The job's whole story, every completed scene joined in order (ffmpeg), cached."""
    job = team_job(session, actor, job_id)
    if job.story_id is None:
        raise NotFoundError("That job is not part of a story.")
    story = stories.team_story(session, actor, job.story_id)
    return stories.story_audio(session, story, archive.data_root())
