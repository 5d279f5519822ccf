"""The shapes of the sandbox's API answers, as the OpenAPI schema describes them.

Documented shapes follow the vendor docs; the rest is CONTRACT.md's reading. Each model is
`extra="forbid"` so that schema checks (tests/integration/sandbox/test_schema_fuzz.py) catch a
field the sandbox sends without describing it. Fields marked `Absent` are left out, not null.
"""

from __future__ import annotations

from typing import Literal

from orangeweb.sandbox.wire import Absent, ResponseBody

VoiceJobStatus = Literal["queued", "processing", "completed", "failed"]
BatchStatus = Literal["queued", "processing", "completed", "partial", "failed"]
DubbingStatus = Literal[
    "transcribing", "transcribed", "translating", "translated", "cloning", "completed", "failed"
]


class ErrorAnswer(ResponseBody):
    """Every rejection: `{"success": false, "error": "<message>"}` (assumed)."""

    success: Literal[False]
    error: str


class Done(ResponseBody):
    """An accepted change with nothing to report (assumed)."""

    success: Literal[True]


class CharacterCreated(ResponseBody):
    # Documented: `success` is the string "true" here, unlike every other answer.
    success: Literal["true"]
    character_id: str


class CharacterData(ResponseBody):
    id: str
    name: str
    avatar_style: str
    voice_url: str
    voice_duration: float
    created_at: str


class CharacterAnswer(ResponseBody):
    success: Literal[True]
    data: CharacterData


class VoiceJobAcceptedData(ResponseBody):
    job_id: str
    status: Literal["queued"]
    speaker_count: int
    estimated_cost: int


class VoiceJobAccepted(ResponseBody):
    success: Literal[True]
    data: VoiceJobAcceptedData


class VoiceJobData(ResponseBody):
    status: VoiceJobStatus
    created_at: str
    audio_url: str | Absent = None
    error: str | Absent = None
    duration: float | Absent = None
    cost: int | Absent = None
    completed_at: str | Absent = None


class VoiceJobAnswer(ResponseBody):
    success: Literal[True]
    data: VoiceJobData


class BatchAcceptedData(ResponseBody):
    batch_job_id: str
    status: Literal["queued"]
    estimated_cost: int


class BatchAccepted(ResponseBody):
    success: Literal[True]
    data: BatchAcceptedData


class SceneStatusData(ResponseBody):
    scene_index: int
    status: VoiceJobStatus
    audio_url: str | Absent = None
    error: str | Absent = None


class BatchStatusAnswer(ResponseBody):
    """Documented: at the top level, no `success`/`data` wrapper."""

    status: BatchStatus
    scenes: list[SceneStatusData]


class ScriptGenerated(ResponseBody):
    """Documented: at the top level, no wrapper."""

    script: str
    generation_id: str


class UploadGrantData(ResponseBody):
    upload_url: str
    media_path: str


class UploadGrant(ResponseBody):
    success: Literal[True]
    data: UploadGrantData


class TranscriptionStartedData(ResponseBody):
    job_id: str


class TranscriptionStarted(ResponseBody):
    success: Literal[True]
    data: TranscriptionStartedData


class DubbingStepData(ResponseBody):
    job_id: str
    status: DubbingStatus


class DubbingStepAccepted(ResponseBody):
    success: Literal[True]
    data: DubbingStepData


class CloneAcceptedData(ResponseBody):
    job_id: str
    status: Literal["cloning"]
    estimated_cost: int


class CloneAccepted(ResponseBody):
    success: Literal[True]
    data: CloneAcceptedData


class SpeakerData(ResponseBody):
    id: str
    label: str
    segment_count: int


class SegmentData(ResponseBody):
    id: str
    speaker_id: str
    start: float
    end: float
    text: str
    translated_text: str | Absent = None


class DubbingJobData(ResponseBody):
    status: DubbingStatus
    speakers: list[SpeakerData]
    segments: list[SegmentData]
    source_language: str | None
    target_language: str
    duration: float
    media_type: Literal["video", "audio"]
    dubbed_url: str | Absent = None
    error: str | Absent = None


class DubbingJobAnswer(ResponseBody):
    success: Literal[True]
    data: DubbingJobData
