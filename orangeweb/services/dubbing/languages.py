"""Several target languages per project: one is open at a time, in the project's own fields
(each segment's translation, the voice mapping, the render); the others are parked in
`language_tracks` and come back whole when switched to. Takes keep their language, so each
language has its own takes and stale lines. A new language starts with the open one's cast
and no translation.

The segments' layout (merges, splits, times) is shared by every language: a parked
translation of a segment merged meanwhile keeps the first part's words, and a segment made
meanwhile has none yet (the render's confirm says so).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone.constants import LANGUAGES_BY_CODE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.remote_sync import with_counts
from orangeweb.services.dubbing.segment_history import (
    announce,
    check_revision,
    save_revision,
)
from orangeweb.services.dubbing.steps import RUNNING
from orangeweb.services.dubbing.views import (
    RUNNING_RENDERS,
    DubbingProjectView,
    current_job,
    effective_status,
    is_interrupted,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError, ValidationError

RENDER_FIELDS = (
    "render_state",
    "render_progress",
    "render_detail",
    "render_error",
    "render_warnings",
    "render_path",
    "render_takes",
)
_EMPTY_RENDER: dict[str, Any] = {
    "render_state": None,
    "render_progress": 0.0,
    "render_detail": "",
    "render_error": None,
    "render_warnings": [],
    "render_path": None,
    "render_takes": {},
}


def park_and_open(project: DubbingProject, code: str) -> None:
    """Park the open language's work and open `code`'s (new: no translation, same cast).
    No commit; the caller saves the revision."""
    tracks = dict(project.language_tracks or {})
    segments = list(project.transcript.get("segments", []))
    if project.target_language:
        tracks[project.target_language] = {
            "translations": {
                str(s["id"]): s["translatedText"] for s in segments if s.get("translatedText")
            },
            "voice_mapping": dict(project.voice_mapping),
            "render": {field: getattr(project, field) for field in RENDER_FIELDS},
        }
    opened = tracks.pop(code, None) or {}
    translations: dict[str, str] = opened.get("translations", {})
    restored = []
    for segment in segments:
        rest = {k: v for k, v in segment.items() if k != "translatedText"}
        words = translations.get(str(segment["id"]))
        restored.append({**rest, "translatedText": words} if words else rest)
    project.transcript = with_counts(project.transcript, restored)
    if "voice_mapping" in opened:
        project.voice_mapping = opened["voice_mapping"]
    for field, value in {**_EMPTY_RENDER, **opened.get("render", {})}.items():
        setattr(project, field, value)
    project.language_tracks = tracks
    project.target_language = code
    # Edited here from now on: OrangeClone's next answer must not replace the layout.
    project.edit_history = project.edit_history or {"undo": [], "redo": []}


async def switch_language(
    session: Session, actor: CurrentUser, project_id: int, seen: int | None, code: str
) -> DubbingProjectView:
    """Open another target language of the project (adding it when new). Commits."""
    if code not in LANGUAGES_BY_CODE:
        raise ValidationError("Pick one of the languages OrangeClone dubs into.")
    project = team_project(session, actor, project_id)
    if code == project.target_language:
        return to_view(session, actor, project)
    status = effective_status(project, current_job(session, project))
    if status in RUNNING:
        raise ConflictError(f"OrangeClone is {status} this project: switch once that finishes.")
    if project.render_state in RUNNING_RENDERS and not is_interrupted(project):
        raise ConflictError("A render of this language is running: switch once it finishes.")
    check_revision(session, project, seen)
    park_and_open(project, code)
    save_revision(session, project, actor)
    await announce(session, project)
    return to_view(session, actor, project)
