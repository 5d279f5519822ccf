"""What the state tests hand the states: the service views (built directly, as the services
would), a signed-in user, a job notice, and the words of an event spec a handler returns."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import reflex as rx
from reflex_base.event import EventSpec

from orangeweb.models import Role
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.views import DubbingProjectView, SegmentView, SpeakerView
from orangeweb.services.jobs import JobDetail, JobEventView, JobView, SceneView
from orangeweb.services.jobs.notices import JobNotice

S = TypeVar("S", bound=rx.State)


class Tab:
    """One browser tab's states, made as Reflex's in-memory state manager makes them: the root
    state with `_reflex_internal_init=True`, which builds every substate imported so far."""

    def __init__(self) -> None:
        self.root = rx.State(_reflex_internal_init=True)

    def __call__(self, state_cls: type[S]) -> S:
        state = self.root.get_substate(state_cls.get_full_name().split("."))
        assert isinstance(state, state_cls)
        return state


CREATED = datetime(2030, 1, 15, 12, 0, 5, tzinfo=UTC)

OLIVIA = CurrentUser(
    user_id=1, team_id=1, role=Role.OWNER, email="olivia@example.com", display_name="Olivia"
)
MIA = CurrentUser(
    user_id=2, team_id=1, role=Role.MEMBER, email="mia@example.com", display_name="Mia"
)


def job_view(job_id: int = 1, **fields: Any) -> JobView:
    """A finished voice job by Olivia on key 7, unless `fields` say otherwise."""
    view = JobView(
        id=job_id,
        kind="voice",
        status="completed",
        is_final=True,
        succeeded=True,
        remote_id=f"remote-{job_id}",
        title=f"Take {job_id}",
        created_by_id=OLIVIA.user_id,
        created_by_name="Olivia",
        api_key_id=7,
        api_key_label="Team key",
        character_ids=[11],
        character_names=["Alex"],
        estimated_credits=2,
        charged_credits=None,
        error=None,
        created_at=CREATED,
        updated_at=CREATED,
        completed_at=None,
        duration_s=None,
        output_url=None,
        scenes=[],
        parent_job_id=None,
        request={"text": "Hello"},
    )
    return replace(view, **fields)


def running(job_id: int, **fields: Any) -> JobView:
    return job_view(job_id, status="processing", is_final=False, succeeded=False, **fields)


def scene(index: int, status: str = "completed", **fields: Any) -> SceneView:
    view = SceneView(
        index=index,
        text=f"Scene {index} text",
        character_id=11,
        character_name="Alex",
        status=status,
        error=None,
        output_url=None,
    )
    return replace(view, **fields)


def detail_of(view: JobView, *events: JobEventView) -> JobDetail:
    return JobDetail(job=view, events=list(events))


def notice(
    job_id: int = 1,
    *,
    user: CurrentUser = OLIVIA,
    kind: str = "voice",
    status: str = "completed",
    is_final: bool = True,
    title: str = "",
) -> JobNotice:
    return JobNotice(
        team_id=user.team_id,
        job_id=job_id,
        user_id=user.user_id,
        kind=kind,
        status=status,
        is_final=is_final,
        title=title,
    )


def speaker(
    number: int, voice: str | None = None, character_id: int | None = None, **fields: Any
) -> SpeakerView:
    view = SpeakerView(
        id=f"speaker_{number}",
        label=f"Speaker {number}",
        name=f"Speaker {number}",
        segment_count=1,
        voice=voice,
        character_id=character_id,
        character_name=None,
    )
    return replace(view, **fields)


def segment(
    segment_id: str, speaker_id: str, start: float, end: float, **fields: Any
) -> SegmentView:
    view = SegmentView(
        id=segment_id,
        speaker_id=speaker_id,
        speaker_name=speaker_id,
        start=start,
        end=end,
        text=f"Said in {segment_id}",
        translated_text=None,
        fit=None,
        fit_message=None,
    )
    return replace(view, **fields)


def project_view(project_id: int = 1, **fields: Any) -> DubbingProjectView:
    """A transcribed video project with no speakers or segments, unless `fields` say otherwise."""
    view = DubbingProjectView(
        id=project_id,
        original_name="interview.mp4",
        media_type="video",
        container="mp4",
        duration_s=75.0,
        size_bytes=1_000_000,
        estimated_credits=8,
        api_key_id=7,
        api_key_label="Team key",
        created_by_name="Olivia",
        created_at=CREATED,
        updated_at=CREATED,
        status="transcribed",
        upload_state="uploaded",
        uploaded_bytes=1_000_000,
        is_running=False,
        failed_step=None,
        error=None,
        retry_hint=None,
        job_id=None,
        source_language="en",
        target_language=None,
        speakers=[],
        segments=[],
        cast_id=None,
        output_url=None,
        can_review=True,
    )
    return replace(view, **fields)


def spec_words(spec: EventSpec) -> dict[str, str]:
    """An event spec's arguments as the JavaScript they compile to (specs themselves do not
    compare: each carries a fresh handler), to compare with one built the expected way."""
    assert isinstance(spec, EventSpec), spec
    return {str(name): str(value) for name, value in spec.args}
