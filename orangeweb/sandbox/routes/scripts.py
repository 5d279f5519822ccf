"""Script generation: `POST /scripts_generate` (1 credit, answered at top level)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import Field, model_validator
from sqlmodel import Session

from orangeweb.sandbox.credits import SCRIPT_COST, refund, try_hold
from orangeweb.sandbox.deps import CallerKey, Runtime, json_body
from orangeweb.sandbox.engine import compose_script
from orangeweb.sandbox.engine.voice import VoiceProfile
from orangeweb.sandbox.errors import ApiError
from orangeweb.sandbox.models import ApiKey, Character, ScriptGeneration, new_id
from orangeweb.sandbox.openapi import answers, json_request
from orangeweb.sandbox.responses import ScriptGenerated
from orangeweb.sandbox.wire import RequestBody

router = APIRouter()

Template = Literal[
    "youtube_ad",
    "podcast_intro",
    "tutorial",
    "storytelling",
    "sales_pitch",
    "interview",
    "comedy",
    "motivational",
]
Length = Literal["Short (<30s)", "Medium (1-2m)", "Long (3m+)"]
NonEmpty = Annotated[str, Field(min_length=1, max_length=100)]


class ScriptCharacter(RequestBody):
    id: NonEmpty
    name: NonEmpty


class ScriptRequest(RequestBody):
    mode: Literal["single", "dialogue"]
    template: Template | None = None
    # Documented: at most 2000 characters; checked in the route against the configured limit.
    context: Annotated[str, Field(min_length=1, json_schema_extra={"maxLength": 2000})]
    characters: Annotated[list[ScriptCharacter], Field(min_length=1, max_length=10)]
    # Documented as an open list ("Professional, Casual, Humorous, Dramatic, etc.").
    tone: Annotated[str, Field(min_length=1, max_length=50)] | None = None
    length: Length | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ScriptRequest:
        if not self.context.strip():
            raise ValueError("context must not be blank")
        if self.mode == "dialogue" and len(self.characters) < 2:
            raise ValueError("a dialogue needs at least two characters")
        return self


@router.post(
    "/scripts_generate",
    openapi_extra=json_request(ScriptRequest),
    responses=answers(ScriptGenerated, 400, 402, 415),
    response_model=None,
)
async def scripts_generate(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[ScriptRequest, Depends(json_body(ScriptRequest))],
) -> dict[str, Any]:
    limit = runtime.config.script_context_max_chars
    if len(body.context) > limit:
        raise ApiError(400, f"context is longer than {limit} characters ({len(body.context)})")
    with runtime.store.session() as session:
        rates = [_speaking_rate(session, key, character.id) for character in body.characters]
        if not try_hold(session, key.id, SCRIPT_COST):
            raise ApiError(402, f"not enough credits: a script costs {SCRIPT_COST}")
        session.commit()
    try:
        script = await asyncio.to_thread(
            compose_script,
            body.mode,
            body.template,
            body.context,
            [character.name for character in body.characters],
            body.tone,
            body.length,
            rates,
        )
    except BaseException:
        with runtime.store.session() as session:
            refund(session, key.id, SCRIPT_COST)
            session.commit()
        raise
    generation = ScriptGeneration(
        id=new_id("gen"), key_id=key.id, request=body.model_dump(), script=script
    )
    with runtime.store.session() as session:
        session.add(generation)
        session.commit()
    # Documented: top level, no wrapper.
    return {"script": script, "generationId": generation.id}


def _speaking_rate(session: Session, key: ApiKey, character_id: str) -> float:
    """Words a minute /voices_clone speaks this character at, so the requested length holds
    once the script is voiced; 0 (the composer's default) for an id that is not the caller's
    (the docs do not require script characters to exist)."""
    character = session.get(Character, character_id)
    if character is None or character.key_id != key.id or not character.voice_profile:
        return 0.0
    try:
        return float(VoiceProfile.from_dict(character.voice_profile).words_per_minute)
    except (KeyError, TypeError, ValueError):
        return 0.0
