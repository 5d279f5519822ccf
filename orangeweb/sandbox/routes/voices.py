"""Voice cloning: `POST /voices_clone` and `GET /voices/{jobId}`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from orangeweb.sandbox.credits import try_hold, voice_cost
from orangeweb.sandbox.deps import CallerKey, Runtime, download_url, json_body
from orangeweb.sandbox.dialogue import SpeakerLine, parse_dialogue
from orangeweb.sandbox.engine import VoiceProfile
from orangeweb.sandbox.errors import ApiError, not_found
from orangeweb.sandbox.models import VoiceJob, iso, new_id
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.responses import VoiceJobAccepted, VoiceJobAnswer
from orangeweb.sandbox.routes.characters import require_characters
from orangeweb.sandbox.runtime import JobKind, JobRef
from orangeweb.sandbox.wire import RequestBody

router = APIRouter()

# Pause between dialogue turns assumed by the estimate (the engine's real pause may differ).
TURN_PAUSE_SECONDS = 0.4


class VoicesCloneRequest(RequestBody):
    # The limits the schema shows are the default config's; the route checks the configured ones.
    text: Annotated[str, Field(min_length=1, json_schema_extra={"maxLength": 5000})]
    # Documented in snake_case, unlike every other field of the API.
    character_ids: Annotated[
        list[Annotated[str, Field(min_length=1)]],
        Field(min_length=1, alias="character_ids", json_schema_extra={"maxItems": 10}),
    ]


def estimate_speech_seconds(text: str, words_per_minute: float) -> float:
    words = max(1, len(text.split()))
    return words * 60.0 / max(words_per_minute, 1.0)


def estimate_dialogue_seconds(lines: list[SpeakerLine], wpm_by_speaker: dict[int, float]) -> float:
    speech = sum(estimate_speech_seconds(line.text, wpm_by_speaker[line.speaker]) for line in lines)
    return speech + TURN_PAUSE_SECONDS * (len(lines) - 1)


@router.post(
    "/voices_clone",
    openapi_extra=json_request(VoicesCloneRequest),
    responses=answers(VoiceJobAccepted, 400, 402, 404, 415),
    response_model=None,
)
async def voices_clone(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[VoicesCloneRequest, Depends(json_body(VoicesCloneRequest))],
) -> dict[str, Any]:
    config = runtime.config
    if not body.text.strip():
        raise ApiError(400, "text must not be empty")
    if len(body.text) > config.voice_text_max_chars:
        raise ApiError(
            400, f"text is longer than {config.voice_text_max_chars} characters ({len(body.text)})"
        )
    if len(body.character_ids) > config.max_character_ids:
        raise ApiError(400, f"character_ids holds at most {config.max_character_ids} ids")
    lines = parse_dialogue(body.text, len(body.character_ids))
    speakers = sorted({line.speaker for line in lines})
    with runtime.store.session() as session:
        characters = require_characters(session, key, body.character_ids)
        profiles = {str(n): characters[n - 1].voice_profile for n in speakers}
        wpm = {
            n: float(VoiceProfile.from_dict(characters[n - 1].voice_profile).words_per_minute)
            for n in speakers
        }
        estimate = voice_cost(estimate_dialogue_seconds(lines, wpm), len(speakers))
        if not try_hold(session, key.id, estimate):
            raise ApiError(402, f"not enough credits: this job needs about {estimate}")
        job = VoiceJob(
            id=new_id("job"),
            key_id=key.id,
            text=body.text,
            character_ids=body.character_ids,
            lines=[{"speaker": line.speaker, "text": line.text} for line in lines],
            profiles=profiles,
            speaker_count=len(speakers),
            status="queued",
            status_history=["queued"],
            estimated_cost=estimate,
            held_credits=estimate,
        )
        session.add(job)
        session.commit()
    runtime.enqueue(JobRef(JobKind.VOICE, job.id))
    return {
        "success": True,
        "data": {
            "jobId": job.id,
            "status": "queued",
            "speakerCount": job.speaker_count,
            "estimatedCost": estimate,
        },
    }


@router.get("/voices/{job_id}", responses=answers(VoiceJobAnswer, 404), response_model=None)
async def get_voice_job(
    job_id: str, request: Request, key: CallerKey, runtime: Runtime
) -> dict[str, Any]:
    with runtime.store.session() as session:
        job = session.get(VoiceJob, job_id)
    if job is None or job.key_id != key.id:
        raise not_found("job", job_id)
    data: dict[str, Any] = {"status": job.status, "createdAt": iso(job.created_at)}
    if job.status == "completed" and job.audio_path is not None:
        data["audioUrl"] = download_url(request, runtime, job.audio_path, f"{job.id}.mp3")
    if job.status == "failed":
        data["error"] = job.error or "the job failed"
    if job.duration is not None:
        data["duration"] = round(job.duration, 3)
    if job.cost is not None:
        data["cost"] = job.cost
    if job.completed_at is not None:
        data["completedAt"] = iso(job.completed_at)
    return {"success": True, "data": data}
