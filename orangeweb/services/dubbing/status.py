"""A dubbing project kept in step with its job: the only writer of what the project takes from
the job (`fold_job`). The tracker calls `record_remote_status` with every status it fetches for
a dubbing job and `record_output` once the dubbed file is archived; the steps call `fold_job`
after moving the job. Depends only on models, never on the tracker (which imports it)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.dubbing.remote_sync import take_answer
from orangeweb.services.dubbing.steps import CLONE, TRANSCRIBE

FAILED_WORDS = "OrangeClone reported that this step failed."


def touch(project: DubbingProject) -> None:
    project.updated_at = utcnow()


def clear_failure(project: DubbingProject, *steps: str) -> None:
    if project.failed_step in steps:
        project.failed_step = None
        project.error = None


def transcript_from(remote: DubbingStatus) -> dict[str, Any]:
    """The API's speakers and segments in the cache's (wire) shape."""
    return {
        "status": remote.normalized_status,
        "speakers": [
            {"id": s.id, "label": s.label or s.id, "segmentCount": s.segment_count or 0}
            for s in remote.speakers
        ],
        "segments": [
            {
                "id": s.id,
                "speakerId": s.speaker_id,
                "start": s.start,
                "end": s.end,
                "text": s.text or "",
                **({"translatedText": s.translated_text} if s.translated_text else {}),
            }
            for s in remote.segments
        ],
        "sourceLanguage": remote.source_language,
        "targetLanguage": remote.target_language,
        "duration": remote.duration,
    }


def fold_job(project: DubbingProject, job: Job, failure_words: str | None = None) -> None:
    """The one place a project takes its job's state (status, failure, completion, dubbed
    file); `failure_words` are the API's, when its answer gave any. No commit."""
    project.status = job.status
    if job.is_final and not job.succeeded:
        project.failed_step = project.step or TRANSCRIBE
        project.error = failure_words or job.error or FAILED_WORDS
    elif job.succeeded:
        clear_failure(project, CLONE)
        project.completed_at = project.completed_at or utcnow()
    else:  # running again: a new dub replaces the old one
        project.completed_at = None
    project.output_path = job.output_path
    touch(project)


def project_of(session: Session, job: Job) -> DubbingProject | None:
    return session.exec(select(DubbingProject).where(DubbingProject.job_id == job.id)).first()


def record_remote_status(session: Session, job: Job, remote: DubbingStatus) -> None:
    """After the job took the tracker's answer: the project's transcript and state (the tracker
    commits)."""
    project = project_of(session, job)
    if project is not None:
        if remote.segments or remote.speakers:
            take_answer(project, transcript_from(remote))
        fold_job(project, job, remote.error if remote.failed else None)


def record_job(session: Session, job: Job) -> None:
    """After the job moved without an answer (given up, a submission cut short). No commit."""
    project = project_of(session, job)
    if project is not None:
        fold_job(project, job)


def record_output(session: Session, job: Job) -> None:
    """After the job's dubbed file was archived: the project points at it. Commits."""
    record_job(session, job)
    session.commit()
