"""Characters: create (multipart), get, update, replace voice, delete. No list (documented)."""

from __future__ import annotations

import shutil
from typing import Annotated, Any, Literal, get_args

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field, WithJsonSchema, model_validator
from sqlmodel import Session
from starlette.datastructures import FormData

from orangeweb.sandbox.config import describe_size
from orangeweb.sandbox.deps import CallerKey, Runtime, download_url, json_body
from orangeweb.sandbox.errors import bad_request, not_found
from orangeweb.sandbox.models import ApiKey, Character, iso, new_id
from orangeweb.sandbox.openapi import answers, json_request, multipart_request
from orangeweb.sandbox.responses import CharacterAnswer, CharacterCreated, Done
from orangeweb.sandbox.runtime import SandboxRuntime
from orangeweb.sandbox.voice_samples import (
    FORM_OVERHEAD_BYTES,
    accept_voice_sample,
    read_limited_form,
)
from orangeweb.sandbox.wire import RequestBody

router = APIRouter()

# Assumed (CONTRACT.md): DiceBear style names.
AvatarStyle = Literal[
    "adventurer",
    "avataaars",
    "bottts",
    "lorelei",
    "notionists",
    "pixel-art",
    "fun-emoji",
    "micah",
]
AVATAR_STYLES: tuple[str, ...] = get_args(AvatarStyle)
NAME_MIN, NAME_MAX = 2, 50


Name = Annotated[str, Field(min_length=NAME_MIN, max_length=NAME_MAX)]
# A file part: the schema says binary; the route reads and checks it by content.
VoiceFile = Annotated[
    bytes,
    WithJsonSchema(
        {
            "type": "string",
            "format": "binary",
            "description": "WAV, MP3 or M4A audio, at least 3 seconds (documented), at most 20 MB",
        }
    ),
]


class CreateCharacterForm(RequestBody):
    """The multipart form of `POST /characters/create` (documented)."""

    name: Name
    avatar_style: AvatarStyle
    voice_file: VoiceFile


class ReplaceVoiceForm(RequestBody):
    """The multipart form of `POST /characters/{id}/audio` (documented)."""

    voice_file: VoiceFile


class UpdateCharacterRequest(RequestBody):
    name: Name | None = None
    avatar_style: AvatarStyle | None = None

    @model_validator(mode="after")
    def _something_to_change(self) -> UpdateCharacterRequest:
        if self.name is None and self.avatar_style is None:
            raise ValueError("give at least one of name and avatarStyle")
        if self.name is not None and len(self.name.strip()) < NAME_MIN:
            raise ValueError(f"name must be {NAME_MIN}-{NAME_MAX} characters")
        return self


class DeleteCharacterRequest(RequestBody):
    character_id: Annotated[str, Field(min_length=1)]


def owned_character(session: Session, key: ApiKey, character_id: str) -> Character:
    """The caller's character, or 404 (also for another key's character)."""
    character = session.get(Character, character_id)
    if character is None or character.key_id != key.id:
        raise not_found("character", character_id)
    return character


def _form_text(form: FormData, field: str) -> str:
    value = form.get(field)
    if value is None:
        raise bad_request(f"{field} is required")
    if not isinstance(value, str):
        raise bad_request(f"{field} must be a text field, not a file")
    return value


def _validated_name(name: str) -> str:
    if not NAME_MIN <= len(name.strip()) <= NAME_MAX or len(name) > NAME_MAX:
        raise bad_request(f"name must be {NAME_MIN}-{NAME_MAX} characters (got {len(name)})")
    return name


def _validated_style(style: str) -> str:
    if style not in AVATAR_STYLES:
        raise bad_request(f"avatarStyle must be one of {', '.join(AVATAR_STYLES)} (got {style!r})")
    return style


def _voice_too_large(runtime: SandboxRuntime) -> str:
    return f"voiceFile is larger than {describe_size(runtime.config.voice_file_max_bytes)}"


@router.post(
    "/characters/create",
    openapi_extra=multipart_request(CreateCharacterForm),
    responses=answers(CharacterCreated, 400, 413, 415),
    response_model=None,
)
async def create_character(request: Request, key: CallerKey, runtime: Runtime) -> JSONResponse:
    limit = runtime.config.voice_file_max_bytes + FORM_OVERHEAD_BYTES
    form = await read_limited_form(request, limit, _voice_too_large(runtime))
    try:
        unknown = set(form.keys()) - {"name", "avatarStyle", "voiceFile"}
        if unknown:
            raise bad_request(f"unknown form field(s): {', '.join(sorted(unknown))}")
        name = _validated_name(_form_text(form, "name"))
        style = _validated_style(_form_text(form, "avatarStyle"))
        character_id = new_id("char")
        directory = runtime.store.area("characters", character_id)
        try:
            sample = await accept_voice_sample(
                form,
                directory,
                runtime.config.voice_file_max_bytes,
                runtime.config.voice_sample_min_seconds,
            )
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)  # no trace of a refused character
            raise
    finally:
        await form.close()
    with runtime.store.session() as session:
        session.add(
            Character(
                id=character_id,
                key_id=key.id,
                name=name,
                avatar_style=style,
                voice_path=runtime.store.relative(sample.path),
                voice_duration=sample.duration,
                voice_profile=sample.profile,
            )
        )
        session.commit()
    # Documented: `success` is the string "true" here, unlike every other response.
    return JSONResponse({"success": "true", "characterId": character_id})


@router.get(
    "/characters/{character_id}", responses=answers(CharacterAnswer, 404), response_model=None
)
async def get_character(
    character_id: str, request: Request, key: CallerKey, runtime: Runtime
) -> dict[str, Any]:
    with runtime.store.session() as session:
        character = owned_character(session, key, character_id)
    extension = character.voice_path.rsplit(".", 1)[-1]
    return {
        "success": True,
        "data": {
            "id": character.id,
            "name": character.name,
            "avatarStyle": character.avatar_style,
            "voiceUrl": download_url(request, runtime, character.voice_path, f"voice.{extension}"),
            "voiceDuration": round(character.voice_duration, 3),
            "createdAt": iso(character.created_at),
        },
    }


@router.put(
    "/characters/{character_id}",
    openapi_extra=json_request(UpdateCharacterRequest),
    responses=answers(Done, 400, 404, 415),
    response_model=None,
)
async def update_character(
    character_id: str,
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[UpdateCharacterRequest, Depends(json_body(UpdateCharacterRequest))],
) -> dict[str, Any]:
    with runtime.store.session() as session:
        character = owned_character(session, key, character_id)
        if body.name is not None:
            character.name = body.name
        if body.avatar_style is not None:
            character.avatar_style = body.avatar_style
        session.add(character)
        session.commit()
    return {"success": True}


@router.post(
    "/characters/{character_id}/audio",
    openapi_extra=multipart_request(ReplaceVoiceForm),
    responses=answers(Done, 400, 404, 413, 415),
    response_model=None,
)
async def replace_voice(
    character_id: str, request: Request, key: CallerKey, runtime: Runtime
) -> dict[str, Any]:
    with runtime.store.session() as session:
        owned_character(session, key, character_id)  # 404 before reading a large body
    limit = runtime.config.voice_file_max_bytes + FORM_OVERHEAD_BYTES
    form = await read_limited_form(request, limit, _voice_too_large(runtime))
    try:
        unknown = set(form.keys()) - {"voiceFile"}
        if unknown:
            raise bad_request(f"unknown form field(s): {', '.join(sorted(unknown))}")
        sample = await accept_voice_sample(
            form,
            runtime.store.area("characters", character_id),
            runtime.config.voice_file_max_bytes,
            runtime.config.voice_sample_min_seconds,
        )
    finally:
        await form.close()
    with runtime.store.session() as session:
        character = session.get(Character, character_id)
        if character is None:  # deleted while the sample was being checked
            sample.path.unlink(missing_ok=True)
            raise not_found("character", character_id)
        old_voice = runtime.store.file(character.voice_path)
        character.voice_path = runtime.store.relative(sample.path)
        character.voice_duration = sample.duration
        character.voice_profile = sample.profile
        session.add(character)
        session.commit()
    # Signed URLs to the old sample now answer 404: the sample is gone, as on a real service.
    old_voice.unlink(missing_ok=True)
    return {"success": True}


@router.delete(
    "/characters/delete",
    openapi_extra=json_request(DeleteCharacterRequest),
    responses=answers(Done, 400, 404, 415),
    response_model=None,
)
async def delete_character(
    key: CallerKey,
    runtime: Runtime,
    body: Annotated[DeleteCharacterRequest, Depends(json_body(DeleteCharacterRequest))],
) -> dict[str, Any]:
    with runtime.store.session() as session:
        character = owned_character(session, key, body.character_id)
        session.delete(character)
        session.commit()
    # Jobs already accepted keep working: they hold a snapshot of the voice profile.
    shutil.rmtree(runtime.store.area("characters", body.character_id), ignore_errors=True)
    return {"success": True}


def require_characters(session: Session, key: ApiKey, character_ids: list[str]) -> list[Character]:
    """The caller's characters in the given order, 404 naming the first unknown one."""
    return [owned_character(session, key, character_id) for character_id in character_ids]
