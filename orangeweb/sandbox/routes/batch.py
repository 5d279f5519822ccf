"""Batch text-to-speech: `POST /batch_tts` and `GET /batch_tts_status?batchJobId=`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field, field_validator
from sqlmodel import select

from orangeweb.sandbox.callback_policy import (
    CALLBACK_URL_MAX_CHARS,
    CallbackRefused,
    check_callback_url,
)
from orangeweb.sandbox.credits import try_hold, voice_cost
from orangeweb.sandbox.deps import CallerKey, Runtime, download_url, json_body
from orangeweb.sandbox.engine import VoiceProfile
from orangeweb.sandbox.errors import ApiError, bad_request, not_found
from orangeweb.sandbox.models import Batch, BatchScene, new_id
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.responses import BatchAccepted, BatchStatusAnswer
from orangeweb.sandbox.routes.characters import require_characters
from orangeweb.sandbox.routes.voices import estimate_speech_seconds
from orangeweb.sandbox.runtime import JobKind, JobRef
from orangeweb.sandbox.wire import ACCEPT_WHOLE_FLOATS, RequestBody

router = APIRouter()

NonEmptyText = Annotated[str, Field(min_length=1)]


class SceneRequest(RequestBody):
    index: Annotated[int, Field(ge=0), ACCEPT_WHOLE_FLOATS]
    # The limits the schema shows are the default config's; the route checks the configured ones.
    text: Annotated[str, Field(min_length=1, json_schema_extra={"maxLength": 5000})]
    character_id: NonEmptyText

    @field_validator("text")
    @classmethod
    def _has_words(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text must not be blank")
        return text


class BatchRequest(RequestBody):
    story_id: Annotated[str, Field(min_length=1, max_length=200)]
    scenes: Annotated[list[SceneRequest], Field(min_length=1, json_schema_extra={"maxItems": 100})]
    # Checked against the callback policy in the route (it depends on the sandbox's config).
    callback_url: (
        Annotated[
            str,
            Field(
                max_length=CALLBACK_URL_MAX_CHARS,
                description="A public https URL; it receives a POST when the batch finishes",
            ),
        ]
        | None
    ) = None


@router.post(
    "/batch_tts",
    openapi_extra=json_request(BatchRequest),
    responses=answers(BatchAccepted, 400, 402, 404, 415),
    response_model=None,
)
async def batch_tts(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[BatchRequest, Depends(json_body(BatchRequest))],
) -> dict[str, Any]:
    config = runtime.config
    if body.callback_url is not None:
        try:
            check_callback_url(body.callback_url, allow_loopback=config.allow_loopback_callbacks)
        except CallbackRefused as refusal:
            raise bad_request(str(refusal)) from refusal
    if len(body.scenes) > config.max_batch_scenes:
        raise bad_request(f"a batch holds at most {config.max_batch_scenes} scenes")
    indexes = [scene.index for scene in body.scenes]
    duplicates = sorted({index for index in indexes if indexes.count(index) > 1})
    if duplicates:
        raise bad_request(f"scene indexes must be unique; repeated: {duplicates}")
    for scene in body.scenes:
        if len(scene.text) > config.voice_text_max_chars:
            raise bad_request(
                f"scene {scene.index}: text is longer than {config.voice_text_max_chars} characters"
            )
    batch_id = new_id("batch")
    with runtime.store.session() as session:
        characters = require_characters(session, key, [s.character_id for s in body.scenes])
        scenes: list[BatchScene] = []
        estimate = 0
        for scene, character in zip(body.scenes, characters, strict=True):
            wpm = VoiceProfile.from_dict(character.voice_profile).words_per_minute
            estimate += voice_cost(estimate_speech_seconds(scene.text, wpm), 1)
            scenes.append(
                BatchScene(
                    batch_id=batch_id,
                    scene_index=scene.index,
                    text=scene.text,
                    character_id=character.id,
                    profile=character.voice_profile,
                )
            )
        if not try_hold(session, key.id, estimate):
            raise ApiError(402, f"not enough credits: this batch needs about {estimate}")
        session.add(
            Batch(
                id=batch_id,
                key_id=key.id,
                story_id=body.story_id,
                callback_url=body.callback_url,
                status="queued",
                status_history=["queued"],
                estimated_cost=estimate,
                held_credits=estimate,
            )
        )
        session.add_all(scenes)
        session.commit()
    runtime.enqueue(JobRef(JobKind.BATCH, batch_id))
    # Documented: {"batchJobId", ...}; the rest mirrors /voices_clone's answer.
    return {
        "success": True,
        "data": {"batchJobId": batch_id, "status": "queued", "estimatedCost": estimate},
    }


@router.get(
    "/batch_tts_status",
    responses=answers(BatchStatusAnswer, 400, 404),
    response_model=None,
)
async def batch_tts_status(
    request: Request,
    key: CallerKey,
    runtime: Runtime,
    batch_job_id: Annotated[str, Query(alias="batchJobId", min_length=1)],
) -> dict[str, Any]:
    unknown = set(request.query_params.keys()) - {"batchJobId"}
    if unknown:
        raise bad_request(f"unknown query parameter(s): {', '.join(sorted(unknown))}")
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_job_id)
        if batch is None or batch.key_id != key.id:
            raise not_found("batch job", batch_job_id)
        scenes = session.exec(
            select(BatchScene)
            .where(BatchScene.batch_id == batch.id)
            .order_by(BatchScene.scene_index)  # type: ignore[arg-type]
        ).all()
    scene_views: list[dict[str, Any]] = []
    for scene in scenes:
        view: dict[str, Any] = {"sceneIndex": scene.scene_index, "status": scene.status}
        if scene.status == "completed" and scene.audio_path is not None:
            name = f"{batch.id}-scene-{scene.scene_index}.mp3"
            view["audioUrl"] = download_url(request, runtime, scene.audio_path, name)
        if scene.status == "failed":
            view["error"] = scene.error or "the scene failed"
        scene_views.append(view)
    # Documented: top level, no `success`/`data` wrapper.
    return {"status": batch.status, "scenes": scene_views}
