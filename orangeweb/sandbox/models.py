"""The sandbox's tables.

They live in their own SQLAlchemy registry (`SandboxModel.metadata`), never in the default
`SQLModel.metadata`: the dashboard's alembic autogenerate reads that one, and the sandbox's
store is a separate SQLite file it creates itself.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with a `Z`, as JavaScript's Date.toISOString() writes it."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands datetimes back naive; they were stored as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    """A public, unguessable identifier such as `char_3kq9...`."""
    return f"{prefix}_{secrets.token_hex(8)}"


def json_column() -> Any:
    return Field(default=None, sa_column=Column(JSON))


class SandboxModel(SQLModel, registry=registry()):
    """Base of every sandbox table; its metadata is the sandbox's alone."""


class ApiKey(SandboxModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(primary_key=True)  # public key id, safe to show and log
    key_hash: str = Field(index=True, unique=True)  # SHA-256 of the secret key
    tier: str
    credits: int
    label: str | None = None
    created_at: datetime = Field(default_factory=utc_now)


class Character(SandboxModel, table=True):
    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    name: str
    avatar_style: str
    voice_path: str  # relative to the data dir
    voice_duration: float
    voice_profile: dict[str, Any] = json_column()
    created_at: datetime = Field(default_factory=utc_now)


class VoiceJob(SandboxModel, table=True):
    __tablename__ = "voice_job"

    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    text: str
    character_ids: list[str] = json_column()
    # [{"speaker": 1, "text": "..."}] and {"1": profile}: snapshots taken when the job was
    # accepted, so a later change to a character does not change a queued job.
    lines: list[dict[str, Any]] = json_column()
    profiles: dict[str, dict[str, Any]] = json_column()
    speaker_count: int
    status: str = "queued"
    status_history: list[str] = json_column()
    estimated_cost: int
    held_credits: int
    cost: int | None = None
    duration: float | None = None
    audio_path: str | None = None
    error: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    completed_at: datetime | None = None


class Batch(SandboxModel, table=True):
    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    story_id: str
    callback_url: str | None = None
    callback_status: str = "none"  # none | pending | delivered | failed | refused
    status: str = "queued"
    status_history: list[str] = json_column()
    estimated_cost: int
    held_credits: int
    cost: int | None = None
    created_at: datetime = Field(default_factory=utc_now)
    completed_at: datetime | None = None


class BatchScene(SandboxModel, table=True):
    __tablename__ = "batch_scene"

    id: int | None = Field(default=None, primary_key=True)
    batch_id: str = Field(index=True)
    scene_index: int
    text: str
    character_id: str
    profile: dict[str, Any] = json_column()
    status: str = "queued"
    audio_path: str | None = None
    duration: float | None = None
    cost: int | None = None
    error: str | None = None


class ScriptGeneration(SandboxModel, table=True):
    __tablename__ = "script_generation"

    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    request: dict[str, Any] = json_column()
    script: str
    created_at: datetime = Field(default_factory=utc_now)


class Upload(SandboxModel, table=True):
    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    media_path: str = Field(index=True, unique=True)  # the opaque path handed to the client
    file_name: str
    content_type: str
    status: str = "pending"  # pending | uploaded | consumed
    file_path: str  # relative to the data dir
    size_bytes: int | None = None
    created_at: datetime = Field(default_factory=utc_now)


class DubbingJob(SandboxModel, table=True):
    __tablename__ = "dubbing_job"

    id: str = Field(primary_key=True)
    key_id: str = Field(index=True)
    media_file: str  # relative to the data dir
    media_type: str
    duration: float  # measured, not the declared one
    status: str = "transcribing"
    status_history: list[str] = json_column()
    error: str | None = None
    source_language: str | None = None
    speakers: list[str] = json_column()
    # [{"id", "speakerId", "start", "end", "text", "translatedText"?}]
    segments: list[dict[str, Any]] = json_column()
    translation_language: str | None = None  # language of the segments' translatedText
    pending_translation: list[str] = json_column()  # segment ids the next translate job does
    target_language: str = ""
    translate_all: bool = False
    voice_mapping: dict[str, dict[str, str]] = json_column()
    # What the running clone job dubs, fixed when dubbing_clone was accepted.
    clone_plan: dict[str, Any] = json_column()
    estimated_cost: int | None = None
    held_credits: int = 0
    cost: int | None = None
    dubbed_path: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    completed_at: datetime | None = None
