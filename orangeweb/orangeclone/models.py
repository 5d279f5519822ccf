"""Typed results of every call: pydantic models with snake_case attributes.

Shapes follow the docs and the CONTRACT's assumed fields. Fields the docs do not promise are
optional (None when absent); unknown fields are ignored. Job statuses stay plain strings so an
unknown status can be shown as it is; the `is_final` / `succeeded` / `failed` helpers only
recognise documented statuses, so an unknown one is never mistaken for success.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from orangeweb.orangeclone._tolerant import (
    ApiModel,
    LenientBool,
    LenientDatetime,
    LenientFloat,
    LenientInt,
    LenientStr,
    LenientText,
    valid_items,
)


class JobStatusModel(ApiModel):
    """Status helpers shared by voice, batch and dubbing jobs."""

    SUCCEEDED_STATUSES: ClassVar[frozenset[str]] = frozenset({"completed"})
    FAILED_STATUSES: ClassVar[frozenset[str]] = frozenset({"failed"})
    OTHER_FINAL_STATUSES: ClassVar[frozenset[str]] = frozenset()
    PENDING_STATUSES: ClassVar[frozenset[str]] = frozenset()

    status: str

    @property
    def normalized_status(self) -> str:
        return self.status.strip().lower()

    @property
    def is_final(self) -> bool:
        """The job will not change any more. False for an unknown status: keep watching it."""
        final = self.SUCCEEDED_STATUSES | self.FAILED_STATUSES | self.OTHER_FINAL_STATUSES
        return self.normalized_status in final

    @property
    def succeeded(self) -> bool:
        return self.normalized_status in self.SUCCEEDED_STATUSES

    @property
    def failed(self) -> bool:
        return self.normalized_status in self.FAILED_STATUSES

    @property
    def is_known(self) -> bool:
        """Whether the status is one the docs or the CONTRACT name."""
        known = (
            self.SUCCEEDED_STATUSES
            | self.FAILED_STATUSES
            | self.OTHER_FINAL_STATUSES
            | self.PENDING_STATUSES
        )
        return self.normalized_status in known


# Characters


class CharacterCreated(ApiModel):
    """POST /characters/create (documented: `{"success": "true", "characterId"}`)."""

    character_id: str
    success: LenientBool = None


class Character(ApiModel):
    """GET /characters/{id} (assumed fields)."""

    id: str
    name: LenientStr = None
    avatar_style: LenientStr = None
    voice_url: LenientStr = None
    voice_duration: LenientFloat = None
    created_at: LenientDatetime = None


# Voice cloning


class VoiceJob(ApiModel):
    """POST /voices_clone: the queued job."""

    job_id: str
    status: LenientStr = None
    speaker_count: LenientInt = None
    estimated_cost: LenientFloat = None


class VoiceStatus(JobStatusModel):
    """GET /voices/{jobId}."""

    PENDING_STATUSES: ClassVar[frozenset[str]] = frozenset({"queued", "processing"})

    audio_url: LenientStr = None
    error: LenientText = None
    duration: LenientFloat = None
    cost: LenientFloat = None
    created_at: LenientDatetime = None
    completed_at: LenientDatetime = None


# Batch text-to-speech


class BatchJob(ApiModel):
    """POST /batch_tts: the accepted batch."""

    batch_job_id: str
    status: LenientStr = None


class BatchSceneStatus(JobStatusModel):
    """One scene of a batch."""

    PENDING_STATUSES: ClassVar[frozenset[str]] = frozenset({"queued", "processing"})

    scene_index: int
    audio_url: LenientStr = None
    error: LenientText = None


class BatchStatus(JobStatusModel):
    """GET /batch_tts_status. `partial` is final: finished, but some scenes failed."""

    OTHER_FINAL_STATUSES: ClassVar[frozenset[str]] = frozenset({"partial"})
    PENDING_STATUSES: ClassVar[frozenset[str]] = frozenset({"queued", "processing"})

    scenes: Annotated[list[BatchSceneStatus], valid_items(BatchSceneStatus)] = []


# Scripts


class GeneratedScript(ApiModel):
    """POST /scripts_generate. A dialogue script is in `Speaker N: text` lines."""

    script: str
    generation_id: LenientStr = None


# Dubbing


class UploadTarget(ApiModel):
    """Where to PUT the media (a pre-signed URL) and the path to transcribe afterwards."""

    upload_url: str
    media_path: str

    def __repr__(self) -> str:
        # The signed URL is a bearer credential for the upload: keep it out of logs.
        return f"UploadTarget(media_path={self.media_path!r}, upload_url='<signed URL>')"

    __str__ = __repr__


class DubbingJob(ApiModel):
    """POST /dubbing_transcribe: the new dubbing job."""

    job_id: str
    status: LenientStr = None


class DubbingStepResult(ApiModel):
    """Answer to a dubbing step (translate, segments, settings, clone); its body is not
    documented, so everything is optional: poll `dubbing.status` for the truth."""

    job_id: LenientStr = None
    status: LenientStr = None


class DubbingSpeaker(ApiModel):
    id: str
    label: LenientStr = None
    segment_count: LenientInt = None


class DubbingSegment(ApiModel):
    """A transcript segment; times in seconds."""

    id: str
    speaker_id: LenientStr = None
    start: LenientFloat = None
    end: LenientFloat = None
    text: LenientStr = None
    translated_text: LenientStr = None


class DubbingStatus(JobStatusModel):
    """GET /dubbing/{jobId}, with the CONTRACT's assumed fields for mapping and review."""

    PENDING_STATUSES: ClassVar[frozenset[str]] = frozenset(
        {"queued", "transcribing", "translating", "cloning", "transcribed", "translated"}
    )
    # Resting states between steps: the pipeline waits for the user (settings, review).
    AWAITING_INPUT_STATUSES: ClassVar[frozenset[str]] = frozenset({"transcribed", "translated"})

    dubbed_url: LenientStr = None
    error: LenientText = None
    speakers: Annotated[list[DubbingSpeaker], valid_items(DubbingSpeaker)] = []
    segments: Annotated[list[DubbingSegment], valid_items(DubbingSegment)] = []
    source_language: LenientStr = None
    target_language: LenientStr = None
    duration: LenientFloat = None
    media_type: LenientStr = None

    @property
    def awaiting_input(self) -> bool:
        return self.normalized_status in self.AWAITING_INPUT_STATUSES


__all__ = [
    "BatchJob",
    "BatchSceneStatus",
    "BatchStatus",
    "Character",
    "CharacterCreated",
    "DubbingJob",
    "DubbingSegment",
    "DubbingSpeaker",
    "DubbingStatus",
    "DubbingStepResult",
    "GeneratedScript",
    "JobStatusModel",
    "UploadTarget",
    "VoiceJob",
    "VoiceStatus",
]
