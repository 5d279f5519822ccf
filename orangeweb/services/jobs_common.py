"""Shared pieces of the jobs services: the views pages receive, status rules, history events,
notices and character lookups. Import from `orangeweb.services.jobs`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from orangeweb.models import ApiKey, Character, Job, JobEvent, KeyScope, utcnow
from orangeweb.orangeclone.models import BatchStatus, DubbingStatus, JobStatusModel, VoiceStatus
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.identity import CurrentUser
from orangeweb.services.notices import JobNotice, get_notice_bus

KINDS = ("voice", "dialogue", "batch", "dubbing")
SUBMITTING = "submitting"
UNKNOWN = "unknown"  # the submit may or may not have reached the server
SUBMISSION_KEY_MAX = 100
TITLE_MAX = 200

_STATUS_MODELS: dict[str, type[JobStatusModel]] = {
    "voice": VoiceStatus,
    "dialogue": VoiceStatus,
    "batch": BatchStatus,
    "dubbing": DubbingStatus,
}


@dataclass(frozen=True)
class SceneView:
    index: int
    text: str
    character_id: int
    character_name: str
    status: str
    error: str | None
    output_url: str | None  # "/media/jobs/{job_id}/scenes/{index}" once completed


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str
    is_final: bool
    succeeded: bool
    remote_id: str | None
    title: str
    created_by_id: int
    created_by_name: str
    api_key_id: int
    api_key_label: str
    character_ids: list[int]
    character_names: list[str]
    estimated_credits: int
    charged_credits: int | None
    error: str | None
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    duration_s: float | None
    output_url: str | None
    scenes: list[SceneView]
    parent_job_id: int | None
    request: dict[str, Any]


@dataclass(frozen=True)
class JobEventView:
    status: str
    at: datetime
    detail: str | None


@dataclass(frozen=True)
class JobDetail:
    job: JobView
    events: list[JobEventView]


@dataclass(frozen=True)
class JobPage:
    items: list[JobView]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class SceneInput:
    text: str
    character_id: int  # local Character id


def status_flags(kind: str, status: str) -> tuple[bool, bool]:
    """(is_final, succeeded) of a status string; an unknown string is neither (keep watching)."""
    if status == SUBMITTING:
        return False, False
    if status == UNKNOWN:
        return True, False  # nothing will change it: a person has to look
    model = _STATUS_MODELS.get(kind, VoiceStatus).model_construct(status=status)
    return model.is_final, model.succeeded


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
    )


async def publish(job: Job) -> None:
    await get_notice_bus().publish(notice_for(job))


def key_label(api_key: ApiKey, actor: CurrentUser) -> str:
    """Another member's personal key stays private, even its label (as on the characters page)."""
    if api_key.scope is KeyScope.TEAM or api_key.owner_id == actor.user_id:
        return api_key.label + (" (revoked)" if api_key.revoked_at is not None else "")
    return "another member's personal key"


def output_url(job: Job) -> str | None:
    if job.kind in ("voice", "dialogue", "dubbing") and job.succeeded:
        return f"/media/jobs/{job.id}/output"
    return None


def scene_views(job: Job) -> list[SceneView]:
    return [
        SceneView(
            index=int(scene["index"]),
            text=str(scene["text"]),
            character_id=int(scene["character_id"]),
            character_name=str(scene.get("character_name", "")),
            status=str(scene.get("status", job.status)),
            error=scene.get("error"),
            output_url=(
                f"/media/jobs/{job.id}/scenes/{scene['index']}"
                if scene.get("status") == "completed"
                else None
            ),
        )
        for scene in job.scenes
    ]


def to_view(job: Job, creator_name: str, api_key: ApiKey, actor: CurrentUser) -> JobView:
    assert job.id is not None
    return JobView(
        id=job.id,
        kind=job.kind,
        status=job.status,
        is_final=job.is_final,
        succeeded=job.succeeded,
        remote_id=job.remote_id,
        title=job.title,
        created_by_id=job.created_by_id,
        created_by_name=creator_name,
        api_key_id=job.api_key_id,
        api_key_label=key_label(api_key, actor),
        character_ids=[int(character["id"]) for character in job.characters],
        character_names=[str(character["name"]) for character in job.characters],
        estimated_credits=job.estimated_credits,
        charged_credits=job.charged_credits,
        error=job.error,
        created_at=job.created_at,
        updated_at=job.updated_at,
        completed_at=job.completed_at,
        duration_s=job.duration_s,
        output_url=output_url(job),
        scenes=scene_views(job),
        parent_job_id=job.parent_job_id,
        request=dict(job.request),
    )


def team_characters(
    session: Session, actor: CurrentUser, api_key_id: int, character_ids: list[int]
) -> list[Character]:
    """The local characters, in the order given; each must be the team's and reachable through
    `api_key_id` (a character belongs to the account of the key that created it)."""
    if not character_ids:
        raise ValidationError("Pick at least one character.")
    found = {
        character.id: character
        for character in session.exec(
            select(Character).where(
                col(Character.id).in_(set(character_ids)), Character.team_id == actor.team_id
            )
        ).all()
    }
    characters: list[Character] = []
    for character_id in character_ids:
        character = found.get(character_id)
        if character is None:
            raise NotFoundError("One of those characters does not exist.")
        if character.api_key_id != api_key_id:
            raise ValidationError(
                f"{character.name} was made with another API key; pick that key to use it "
                "(a character belongs to the account of the key that created it)."
            )
        characters.append(character)
    return characters


def check_submission_key(submission_key: str) -> str:
    cleaned = submission_key.strip()
    if not cleaned or len(cleaned) > SUBMISSION_KEY_MAX:
        raise ValidationError("This submission has no valid id; reload the page and try again.")
    return cleaned


def existing_submission(session: Session, team_id: int, submission_key: str) -> Job | None:
    return session.exec(
        select(Job).where(Job.team_id == team_id, Job.submission_key == submission_key)
    ).first()
