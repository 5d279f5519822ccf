"""Speaker repair: move selected segments to a speaker in bulk, merge one speaker into another
(every segment moved, in one request to OrangeClone), or split a speaker (the selected
segments become a new speaker's). A speaker left without segments needs no voice and is no
longer listed."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.remote_sync import LOCAL_PREFIX
from orangeweb.services.dubbing.review import SegmentChange, edit_segments
from orangeweb.services.dubbing.segment_edits import edit_layout
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


async def split_speaker(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen: int | None,
    segment_ids: Sequence[str],
) -> DubbingProjectView:
    """The transcriber heard two people as one: the selected segments (of one speaker) become
    a new speaker's, with a voice of its own to choose. Made here (OrangeClone's dub cannot
    follow a speaker it did not find), as one recorded edit. Commits."""
    project = team_project(session, actor, project_id)
    chosen = set(segment_ids)
    segments = [s for s in project.transcript.get("segments", []) if str(s["id"]) in chosen]
    if not chosen:
        raise ValidationError("Select the segments of the other voice first.")
    if len(segments) != len(chosen):
        raise NotFoundError("A selected segment is not in this transcript.")
    if len({str(s.get("speakerId")) for s in segments}) != 1:
        raise ValidationError("Select segments of one speaker to split it.")
    known = project.transcript.get("speakers", [])
    number = len(known) + 1
    while any(str(s["id"]) == f"{LOCAL_PREFIX}speaker-{number}" for s in known):
        number += 1
    speaker = {"id": f"{LOCAL_PREFIX}speaker-{number}", "label": f"Speaker {number}"}

    def with_speaker(row: DubbingProject) -> None:
        row.transcript = {
            **row.transcript,
            "speakers": [*row.transcript.get("speakers", []), {**speaker, "segmentCount": 0}],
        }

    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        f"Split off {speaker['label']}",
        lambda rows: [
            {**s, "speakerId": speaker["id"]} if str(s["id"]) in chosen else s for s in rows
        ],
        adjust=with_speaker,
    )
