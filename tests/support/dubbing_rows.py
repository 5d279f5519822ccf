"""Dubbing project rows written straight into the dashboard's database (a 12 s MP4 clip unless
the fields say otherwise), for suites that need a project without uploading one."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser


def dubbing_project(actor: CurrentUser, key_id: int, **fields: Any) -> DubbingProject:
    """A project row, not yet added to a session."""
    values: dict[str, Any] = {
        "team_id": actor.team_id,
        "created_by_id": actor.user_id,
        "api_key_id": key_id,
        "file_path": "media/1/clip.mp4",
        "original_name": "clip.mp4",
        "container": "mp4",
        "content_type": "video/mp4",
        "media_type": "video",
        "audio_codec": "aac",
        "video_codec": "h264",
        "duration_s": 12.0,
        "size_bytes": 1000,
    }
    return DubbingProject(**{**values, **fields})


def add_dubbing_project(session: Session, actor: CurrentUser, key_id: int, **fields: Any) -> int:
    """A project row, committed; returns its id."""
    project = dubbing_project(actor, key_id, **fields)
    session.add(project)
    session.commit()
    assert project.id is not None
    return project.id
