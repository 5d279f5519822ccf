"""Dubbing projects (one per uploaded media file) and named casts (speaker -> voice).

A `DubbingProject` keeps everything a member did so far, so that a failed step never costs the
work before it: the local file and its probe facts, the upload to OrangeClone, the remote job,
the transcript as last fetched, speaker names, edits, the target language and voice mapping,
and the archived dubbed output. The vendor's signed URLs (upload and download) are never
stored: they are fetched again when needed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field, Text

from orangeweb.models.base import UTCTable, utc_timestamp


def _json(default: type[dict[str, Any]] | type[list[Any]] = dict) -> Any:
    # sa.JSON maps to JSON on PostgreSQL and TEXT-with-JSON on SQLite.
    return Field(default_factory=default, sa_type=sa.JSON, nullable=False)


class Cast(UTCTable, table=True):
    """A reusable mapping from speaker labels ("Host", "Guest") to the team's characters.

    `mapping`: {label as typed: local Character id (int) or "original"}. Labels are matched
    case- and space-insensitively when the cast is applied to a new video's speakers.
    """

    __tablename__: ClassVar[str] = "dubbing_casts"
    __table_args__ = (sa.UniqueConstraint("team_id", "name", name="uq_dubbing_cast_team_name"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE", index=True)
    name: str = Field(max_length=80)
    mapping: dict[str, Any] = _json()
    created_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = utc_timestamp()
    updated_at: datetime = utc_timestamp()


class DubbingProject(UTCTable, table=True):
    __tablename__: ClassVar[str] = "dubbing_projects"
    __table_args__ = (sa.Index("ix_dubbing_projects_team_created", "team_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    created_by_id: int = Field(foreign_key="users.id", index=True)
    api_key_id: int = Field(foreign_key="api_keys.id", index=True)
    # The tracker's Job of kind "dubbing" following the remote job (set once transcription
    # is submitted).
    job_id: int | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")

    # The local file: relative to the data directory, under media/<team>/<generated name>.
    file_path: str = Field(max_length=300)
    original_name: str = Field(max_length=255)
    container: str = Field(max_length=10)  # mp4 mov m4a webm mkv mp3 wav (by content)
    content_type: str = Field(max_length=40)
    media_type: str = Field(max_length=10)  # "video" | "audio"
    audio_codec: str = Field(max_length=40)
    video_codec: str | None = Field(default=None, max_length=40)
    duration_s: float
    # BigInteger: media up to the cap (2 GiB by default) overflows a 32-bit integer.
    size_bytes: int = Field(sa_type=sa.BigInteger)
    estimated_credits: int = Field(default=0)

    # Upload to OrangeClone: "local" (only here), "uploading", "uploaded", "failed".
    upload_state: str = Field(default="local", max_length=20)
    uploaded_bytes: int = Field(default=0, sa_type=sa.BigInteger)
    remote_media_path: str | None = Field(default=None, max_length=500)
    remote_job_id: str | None = Field(default=None, max_length=200, index=True)

    # Pipeline status: "ready", "uploading", "uploaded", then the API's own statuses
    # ("transcribing", "transcribed", "translating", "translated", "cloning", "completed",
    # "failed") as they are.
    status: str = Field(default="ready", max_length=40)
    # The step that failed last ("upload", "transcribe", "review", "translate", "settings",
    # "clone"), so the UI can offer to retry exactly that step.
    failed_step: str | None = Field(default=None, max_length=20)
    error: str | None = Field(default=None, sa_type=Text)
    # The step whose remote work runs now (to name it if the job fails), and the step being
    # sent by a request right now: a claim so a double click cannot send (and pay) twice.
    step: str | None = Field(default=None, max_length=20)
    busy_step: str | None = Field(default=None, max_length=20)
    busy_since: datetime | None = utc_timestamp(nullable=True)

    # The transcript as last fetched: {"speakers": [{"id", "label", "segmentCount"}],
    # "segments": [{"id", "speakerId", "start", "end", "text", "translatedText"?}],
    # "sourceLanguage", "targetLanguage"}.
    transcript: dict[str, Any] = _json()
    # {speaker id: display name given by the team} ("speaker_1" -> "Host").
    speaker_names: dict[str, str] = _json()
    # None: not chosen yet; "": keep the original language; else a language code.
    target_language: str | None = Field(default=None, max_length=10)
    # {speaker id: {"type": "character", "character_id": local id} | {"type": "original"}}.
    voice_mapping: dict[str, Any] = _json()
    cast_id: int | None = Field(default=None, foreign_key="dubbing_casts.id", ondelete="SET NULL")

    # The archived dubbed file, relative to the data directory.
    output_path: str | None = Field(default=None, max_length=300)

    # --- the segment studio (segment_edits, renders) ---
    # Bumped by every edit of the transcript: an edit made on an older revision is refused
    # (a teammate changed the project meanwhile), never applied over theirs.
    revision: int = Field(default=0)
    revised_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    # {"undo": [snapshot, …], "redo": [snapshot, …]}; a snapshot is {"label", "segments",
    # "speakers", "by"} as before (undo) or after (redo) one edit.
    edit_history: dict[str, Any] = _json()
    # True once segments were merged, split, retimed, added or deleted here: the API cannot
    # restructure segments, so from then on the dashboard's transcript is the layout and the
    # dub is rendered here from takes.
    restructured: bool = Field(default=False)
    # What OrangeClone holds per segment id ({id: {"text", "speakerId", "translatedText"}}),
    # as last answered or sent: what a later answer changed, and what must be sent first.
    remote_segments: dict[str, Any] = _json()
    # {"peaks": [0..1, …], "silences": [[start, end], …]} of the source, read once.
    media_analysis: dict[str, Any] = _json()
    # The dashboard's own render: None (never), "waiting" (its takes are being made),
    # "rendering", "rendered", "failed"; its progress (0..1), warnings and file.
    render_state: str | None = Field(default=None, max_length=20)
    render_progress: float = Field(default=0.0)
    render_detail: str = Field(default="", max_length=200)  # "Making 3 takes (1 done)", …
    # The other target languages' work while one is open (`languages`): {code: {
    # "translations": {segment id: text}, "voice_mapping": {…}, "render": {render_* fields}}}.
    language_tracks: dict[str, Any] = _json()
    render_error: str | None = Field(default=None, sa_type=Text)
    render_warnings: list[Any] = _json(list)
    render_path: str | None = Field(default=None, max_length=300)
    # {segment id: take id} of the last finished render: which take each line's audio is.
    render_takes: dict[str, Any] = _json()
    # Refreshed while a render runs: a render whose heartbeat stopped was cut short.
    render_heartbeat_at: datetime | None = utc_timestamp(nullable=True)
    created_at: datetime = utc_timestamp()
    updated_at: datetime = utc_timestamp()
    completed_at: datetime | None = utc_timestamp(nullable=True)


class DubbingTake(UTCTable, table=True):
    """One take of one segment of a dubbing project: a voice job of the segment's line in its
    mapped character's voice. Every take is kept (who, when, what text, what it cost); the
    pinned one is the segment's audio, and a segment whose line or voice changed since its
    pinned take was made is stale."""

    __tablename__: ClassVar[str] = "dubbing_takes"
    __table_args__ = (sa.Index("ix_dubbing_takes_project_segment", "project_id", "segment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", ondelete="CASCADE")
    project_id: int = Field(foreign_key="dubbing_projects.id", ondelete="CASCADE")
    segment_id: str = Field(max_length=100)
    # "" for the original language, else the language code the line was voiced in.
    language: str = Field(default="", max_length=10)
    # The words sent for voicing and the voice they were sent in (a snapshot: a later edit or
    # recast makes the segment stale, it does not rewrite history).
    text: str = Field(sa_type=Text)
    character_id: int | None = Field(default=None, foreign_key="characters.id", ondelete="SET NULL")
    character_name: str = Field(max_length=50)
    job_id: int | None = Field(default=None, foreign_key="jobs.id", ondelete="SET NULL")
    pinned: bool = Field(default=False)
    # The segment's times when the take was made (a retimed segment is stale).
    start_s: float | None = Field(default=None)
    end_s: float | None = Field(default=None)
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = utc_timestamp()
