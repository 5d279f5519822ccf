"""A dubbing project kept in step with the API's status answers.

The job tracker calls `record_remote_status` with every status it fetches for a dubbing job, so
this module depends only on models and views, never on the tracker (which imports it).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.dubbing.views import CLONE, TRANSCRIBE

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


def store_status(project: DubbingProject, remote: DubbingStatus) -> None:
    """Fold a status answer into the project (no commit)."""
    if remote.segments or remote.speakers:
        project.transcript = transcript_from(remote)
    project.status = remote.status
    if remote.failed:
        project.failed_step = project.step or TRANSCRIBE
        project.error = remote.error or FAILED_WORDS
    elif remote.succeeded:
        clear_failure(project, CLONE)
        project.completed_at = project.completed_at or utcnow()
    touch(project)


def record_remote_status(session: Session, job: Job, remote: DubbingStatus) -> None:
    """The tracker's hook, after `apply_dubbing_status`: keep the project in step (the tracker
    commits)."""
    project = session.exec(select(DubbingProject).where(DubbingProject.job_id == job.id)).first()
    if project is not None:
        store_status(project, remote)
        if job.output_path:
            project.output_path = job.output_path
