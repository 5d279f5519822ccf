"""Jobs the dashboard submitted (voice, dialogue, batch, dubbing), their history, the tracker's
lease, generated scripts and stories.

A `Job` row is written *before* its POST (status "submitting") and given its remote id after,
so a crash in between leaves a row that says so. Columns holding a vendor's signed URL
(`remote_output_url`, the `remote_url` of each scene) are secrets: never shown, never logged.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, Text

from orangeweb.models.base import UTCTable, utc_timestamp


def _json_column() -> Any:
    # sa.JSON maps to JSON on PostgreSQL and TEXT-with-JSON on SQLite.
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)


class Story(UTCTable, table=True):
    """A batch story as written: its scenes in order. Each submission of it (the first, and any
    resubmission of failed scenes) is a `Job` of kind "batch" pointing here."""

    __tablename__: ClassVar[str] = "stories"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE", index=True)
    created_by_id: int = Field(foreign_key="users.id")
    title: str = Field(max_length=200)
    # The `storyId` sent to /batch_tts (generated, random).
    remote_story_id: str = Field(max_length=80)
    # [{"index", "text", "character_id", "character_name"}] in scene order.
    scenes: list[dict[str, Any]] = _json_column()
    # The joined audio of the whole story (relative to the data dir) and what it was made from.
    joined_path: str | None = Field(default=None, max_length=300)
    joined_from: str | None = Field(default=None, max_length=64)
    created_at: datetime = utc_timestamp()


class Job(UTCTable, table=True):
    __tablename__: ClassVar[str] = "jobs"
    __table_args__ = (
        # A double click or a retried request carries the same key: one submission per team.
        sa.UniqueConstraint("team_id", "submission_key", name="uq_job_team_submission"),
        sa.Index("ix_jobs_team_created", "team_id", "created_at"),
        # The tracker's query: unfinished jobs by due time.
        sa.Index("ix_jobs_due", "is_final", "next_poll_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    created_by_id: int = Field(foreign_key="users.id", index=True)
    api_key_id: int = Field(foreign_key="api_keys.id", index=True)
    kind: str = Field(max_length=20)  # "voice" | "dialogue" | "batch" | "dubbing"
    # "submitting", then the API's status as-is; "unknown" when a submit may have been lost.
    status: str = Field(max_length=40)
    is_final: bool = Field(default=False)
    succeeded: bool = Field(default=False)
    submission_key: str = Field(max_length=100)
    # False from the row's first commit until just before its POST may leave, so a crash in
    # between provably sent nothing. True (the default) for rows whose submitter does not say.
    maybe_sent: bool = Field(default=True, sa_column_kwargs={"server_default": sa.text("true")})
    remote_id: str | None = Field(default=None, max_length=200, index=True)
    title: str = Field(max_length=200)
    # What was sent, in dashboard terms (local character ids; never a key or a signed URL).
    request: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    # Snapshot at submission: [{"id", "name"}], so a later rename or delete keeps the history.
    characters: list[dict[str, Any]] = _json_column()
    # Batch only: [{"index" (story scene), "batch_index", "text", "character_id",
    # "character_name", "status", "error", "remote_url" (secret), "output_path"}].
    scenes: list[dict[str, Any]] = _json_column()
    story_id: int | None = Field(default=None, foreign_key="stories.id", ondelete="SET NULL")
    parent_job_id: int | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    estimated_credits: int = Field(default=0)
    charged_credits: int | None = Field(default=None)
    error: str | None = Field(default=None, sa_type=Text)
    duration_s: float | None = Field(default=None)
    # The vendor's signed result URL: a bearer credential until it expires.
    remote_output_url: str | None = Field(default=None, sa_type=Text, repr=False)
    # The archived output, relative to the data directory.
    output_path: str | None = Field(default=None, max_length=300)
    # SHA-256 of the batch callback token (the raw token is only in the callback URL).
    callback_token_hash: str | None = Field(
        default=None, max_length=64, unique=True, index=True, repr=False
    )
    # Tracker bookkeeping.
    next_poll_at: datetime | None = utc_timestamp(nullable=True)
    last_polled_at: datetime | None = utc_timestamp(nullable=True)
    poll_count: int = Field(default=0)
    error_streak: int = Field(default=0)
    created_at: datetime = utc_timestamp()
    updated_at: datetime = utc_timestamp()
    completed_at: datetime | None = utc_timestamp(nullable=True)


class JobEvent(UTCTable, table=True):
    """One step of a job's history: a status it reached, or something that happened to it."""

    __tablename__: ClassVar[str] = "job_events"

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="jobs.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=40)
    detail: str | None = Field(default=None, sa_type=Text)
    at: datetime = utc_timestamp()


class TrackerLease(UTCTable, table=True):
    """Who polls: one row per lease name; a holder renews it, another takes over once it lapses."""

    __tablename__: ClassVar[str] = "tracker_leases"

    name: str = Field(primary_key=True, max_length=40)
    holder: str = Field(max_length=80)
    expires_at: datetime = utc_timestamp(now_by_default=False)
    renewed_at: datetime = utc_timestamp()


class GeneratedScript(UTCTable, table=True):
    """A script from /scripts_generate, kept in the team's history (editable text)."""

    __tablename__: ClassVar[str] = "generated_scripts"
    __table_args__ = (sa.Index("ix_generated_scripts_team_created", "team_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    created_by_id: int = Field(foreign_key="users.id")
    api_key_id: int = Field(foreign_key="api_keys.id")
    generation_id: str = Field(max_length=200)
    mode: str = Field(max_length=20)
    template: str | None = Field(default=None, max_length=40)
    tone: str | None = Field(default=None, max_length=60)
    length: str | None = Field(default=None, max_length=40)
    context: str = Field(sa_type=Text)
    text: str = Field(sa_type=Text)
    characters: list[dict[str, Any]] = _json_column()
    created_at: datetime = utc_timestamp()
    updated_at: datetime = utc_timestamp()
