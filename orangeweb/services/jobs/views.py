"""What pages receive about jobs: a job with its scenes, its history, a page of the team's table,
and the label of the key it used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orangeweb.models import ApiKey, Job, KeyScope
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.kinds import kind_of


@dataclass(frozen=True)
class SceneView:
    index: int
    text: str
    character_id: int
    character_name: str
    status: str
    error: str | None
    output_url: str | None  # "/media/jobs/{job_id}/scenes/{index}" once completed
    warning: str | None = None  # completed, but OrangeClone's audio was missing or empty


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


def key_label(api_key: ApiKey, actor: CurrentUser) -> str:
    """Another member's personal key stays private, even its label (as on the characters page)."""
    if api_key.scope is KeyScope.TEAM or api_key.owner_id == actor.user_id:
        return api_key.label + (" (revoked)" if api_key.revoked_at is not None else "")
    return "another member's personal key"


def output_url(job: Job) -> str | None:
    if kind_of(job.kind).single_output and job.succeeded:
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
                if scene.get("status") == "completed" and not scene.get("warning")  # else no audio
                else None
            ),
            warning=scene.get("warning"),
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
