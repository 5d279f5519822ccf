"""Speaker repair: move selected segments to a speaker in bulk, or merge one speaker into
another (every segment moved, in one request to OrangeClone). A speaker left without segments
needs no voice and is no longer listed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.review import SegmentChange, edit_segments
from orangeweb.services.dubbing.status import touch
from orangeweb.services.dubbing.views import DubbingProjectView, team_project, to_view
from orangeweb.services.errors import NotFoundError, ValidationError
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client


def _known_speakers(session: Session, actor: CurrentUser, project_id: int) -> set[str]:
    project = team_project(session, actor, project_id)
    return {str(speaker["id"]) for speaker in project.transcript.get("speakers", [])}


async def move_segments(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    segment_ids: Sequence[str],
    speaker_id: str,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Give every segment of `segment_ids` to `speaker_id`. Commits."""
    if not segment_ids:
        raise ValidationError("Select the segments to move first.")
    if speaker_id not in _known_speakers(session, actor, project_id):
        raise NotFoundError("That speaker is not in this transcript.")
    project = team_project(session, actor, project_id)
    current = {str(s["id"]): str(s.get("speakerId")) for s in project.transcript["segments"]}
    if unknown := [segment_id for segment_id in segment_ids if segment_id not in current]:
        raise NotFoundError(f"Segment {unknown[0]} is not in this transcript.")
    changes = [
        SegmentChange(segment_id, speaker_id=speaker_id)
        for segment_id in dict.fromkeys(segment_ids)
        if current[segment_id] != speaker_id
    ]
    return await edit_segments(session, actor, project_id, changes, opener=opener)


async def merge_speakers(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    from_speaker: str,
    into_speaker: str,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Move every segment of `from_speaker` to `into_speaker` (the transcriber heard one
    person as two); the emptied speaker's voice choice is dropped. Commits."""
    known = _known_speakers(session, actor, project_id)
    if from_speaker not in known or into_speaker not in known:
        raise NotFoundError("That speaker is not in this transcript.")
    if from_speaker == into_speaker:
        raise ValidationError("Choose another speaker to merge into.")
    project = team_project(session, actor, project_id)
    moving = [
        str(s["id"]) for s in project.transcript["segments"] if s.get("speakerId") == from_speaker
    ]
    view = (
        await move_segments(session, actor, project_id, moving, into_speaker, opener=opener)
        if moving
        else to_view(session, actor, project)
    )
    project = team_project(session, actor, project_id)
    emptied = not any(s.get("speakerId") == from_speaker for s in project.transcript["segments"])
    if emptied and from_speaker in project.voice_mapping:  # (a refused request moved nothing)
        project.voice_mapping = {
            speaker: choice
            for speaker, choice in project.voice_mapping.items()
            if speaker != from_speaker
        }
        touch(project)
        session.commit()
        return to_view(session, actor, project)
    return view
