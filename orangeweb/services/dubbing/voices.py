"""Voices and exports of a dubbing project: choose each speaker's voice by hand or from a
named cast, save a project's voices as a cast, and export subtitles (SRT, WebVTT).

Voices are saved on the project and sent with the settings when cloning (`dubbing.review.
clone`), so choosing them costs no request and survives any failed step.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts
from orangeweb.services.dubbing.status import touch
from orangeweb.services.dubbing.views import (
    DubbingProjectView,
    speaker_names,
    team_project,
    to_view,
)
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.jobs.inputs import team_characters
from orangeweb.services.media.subtitles import SubtitleSegment, to_srt, to_vtt

ORIGINAL: Literal["original"] = casts.ORIGINAL


@dataclass(frozen=True)
class CastApplied:
    project: DubbingProjectView
    matched: list[str]  # speaker names that got the cast's voice
    unmatched: list[str]  # speaker names not in the cast (left as they were)
    skipped: list[str]  # cast labels whose character belongs to another key's account


def _voice_choices(
    session: Session, actor: CurrentUser, project: DubbingProject, voices: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    known = {str(s["id"]) for s in project.transcript.get("speakers", [])}
    mapping: dict[str, dict[str, Any]] = {}
    ids: list[int] = []
    for speaker_id, choice in voices.items():
        if speaker_id not in known:
            raise NotFoundError("That speaker is not in this transcript.")
        if choice == ORIGINAL:
            mapping[speaker_id] = {"type": ORIGINAL}
        elif isinstance(choice, int) and not isinstance(choice, bool):
            mapping[speaker_id] = {"type": "character", "character_id": choice}
            ids.append(choice)
        else:
            raise ValidationError("Pick a character or the original voice for each speaker.")
    if ids:  # the team's, and reachable through this project's key
        team_characters(session, actor, project.api_key_id, ids)
    return mapping


def set_voices(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    voices: Mapping[str, int | Literal["original"] | None],
) -> DubbingProjectView:
    """Choose voices: {speaker id: local character id, "original", or None to clear the
    choice}; speakers left out keep theirs. Saved here and sent with the settings when
    cloning (a speaker with no choice keeps the original voice). Commits."""
    project = team_project(session, actor, project_id)
    chosen = {key: value for key, value in voices.items() if value is not None}
    mapping = {**project.voice_mapping, **_voice_choices(session, actor, project, chosen)}
    for speaker_id in (key for key, value in voices.items() if value is None):
        mapping.pop(speaker_id, None)
    project.voice_mapping = mapping
    touch(project)
    session.commit()
    return to_view(session, actor, project)


def apply_cast(session: Session, actor: CurrentUser, project_id: int, cast_id: int) -> CastApplied:
    """Give the speakers whose name matches a label of the cast that label's voice; others
    are left as they were. Characters of another key's account are skipped. Commits."""
    project = team_project(session, actor, project_id)
    cast = casts.get_cast(session, actor, cast_id)
    names = speaker_names(project)
    usable: dict[str, casts.CastChoice] = {}
    skipped: list[str] = []
    for label, choice in cast.mapping.items():
        try:
            if choice != ORIGINAL:
                team_characters(session, actor, project.api_key_id, [int(choice)])
            usable[label] = choice
        except (NotFoundError, ValidationError):
            skipped.append(label)
    matched = casts.match_cast(usable, names)
    project.voice_mapping = {
        **project.voice_mapping,
        **_voice_choices(session, actor, project, matched),
    }
    project.cast_id = cast.id
    touch(project)
    session.commit()
    return CastApplied(
        project=to_view(session, actor, project),
        matched=[names[s] for s in names if s in matched],
        unmatched=[names[s] for s in names if s not in matched],
        skipped=skipped,
    )


def save_cast_from_project(
    session: Session, actor: CurrentUser, project_id: int, name: str
) -> casts.CastView:
    """Save this project's voices as a named cast, labelled with the speakers' names."""
    project = team_project(session, actor, project_id)
    names = speaker_names(project)
    mapping: dict[str, casts.CastChoice] = {}
    for speaker_id, choice in project.voice_mapping.items():
        if speaker_id in names:
            mapping[names[speaker_id]] = (
                ORIGINAL if choice["type"] == ORIGINAL else int(choice["character_id"])
            )
    return casts.create_cast(session, actor, name, mapping)


def subtitles(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    file_format: Literal["srt", "vtt"],
    *,
    translated: bool = True,
) -> str:
    """The transcript (or its translation, where there is one) as an SRT or WebVTT file."""
    project = team_project(session, actor, project_id)
    names = speaker_names(project)
    segments = [
        SubtitleSegment(
            start=float(s.get("start") or 0.0),
            end=float(s.get("end") or 0.0),
            text=str((s.get("translatedText") if translated else None) or s.get("text") or ""),
            speaker=names.get(str(s.get("speakerId"))),
        )
        for s in project.transcript.get("segments", [])
    ]
    return to_srt(segments) if file_format == "srt" else to_vtt(segments)
