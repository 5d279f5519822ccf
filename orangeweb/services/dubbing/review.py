"""Dubbing after transcription: review the transcript (speaker names, segment text, a segment
moved to another speaker), translate all or some segments, and clone with the voices chosen
(`dubbing.voices`).

Each step needs the job to rest between steps ("transcribed", "translated", "completed", or
"failed" with a transcript). Edits are patched into the cached transcript once the API took
them, so no extra status request is spent (Free keys have 10 a minute); the tracker's next
answer replaces the cache. A refused step records why and keeps everything else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import OrangeCloneError, SegmentEdit, TransportError, VoiceAssignment
from orangeweb.orangeclone.constants import LANGUAGES_BY_CODE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts
from orangeweb.services.dubbing.languages import park_and_open
from orangeweb.services.dubbing.remote_sync import (
    for_the_api,
    is_remote,
    pending_edits,
    sent,
    with_counts,
)
from orangeweb.services.dubbing.segment_history import announce, remember, save_revision
from orangeweb.services.dubbing.status import clear_failure, touch
from orangeweb.services.dubbing.step_runs import (
    api_words,
    claimed,
    fail,
    job_changed,
    reopen_job,
)
from orangeweb.services.dubbing.steps import CLONE, REVIEW, RUNNING, TRANSLATE
from orangeweb.services.dubbing.views import (
    DubbingProjectView,
    current_job,
    effective_status,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError, NotFoundError, ValidationError
from orangeweb.services.jobs.inputs import team_characters
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client

SEGMENT_TEXT_MAX = 2000
SPEAKER_NAME_MAX = 60
ORIGINAL: Literal["original"] = casts.ORIGINAL
MAYBE_SENT_WORDS = (
    "The connection broke before OrangeClone answered, so the request may have gone through. "
    "The dashboard is checking the job's status; look again in a moment before retrying."
)


@dataclass(frozen=True)
class SegmentChange:
    """One segment's new transcript text, translation, or speaker (None: unchanged)."""

    id: str
    text: str | None = None
    translated_text: str | None = None
    speaker_id: str | None = None


def _ready(session: Session, actor: CurrentUser, project_id: int) -> tuple[DubbingProject, Job]:
    """The project, with its job resting between steps and a transcript to work on."""
    project = team_project(session, actor, project_id)
    job = current_job(session, project)
    status = effective_status(project, job)
    if job is None or not job.remote_id:
        raise ConflictError("Start the dubbing first: the file is not transcribed yet.")
    if status in RUNNING:
        raise ConflictError(f"OrangeClone is still {status}; wait until that step has finished.")
    if not project.transcript.get("segments"):
        raise ConflictError("There is no transcript to work on (the transcription failed).")
    return project, job


async def _failed_call(
    session: Session, project: DubbingProject, job: Job, step: str, error: OrangeCloneError
) -> None:
    if isinstance(error, TransportError) and error.may_have_reached_server:
        fail(session, project, step, MAYBE_SENT_WORDS)
        await job_changed(job)  # the tracker looks now: its answer says what happened
    else:
        fail(session, project, step, api_words(error))


def rename_speaker(
    session: Session, actor: CurrentUser, project_id: int, speaker_id: str, name: str
) -> DubbingProjectView:
    """Call a speaker by name ("Host"); an empty name goes back to the API's label. Local
    only: names are what casts match. Commits."""
    project = team_project(session, actor, project_id)
    known = {str(s["id"]) for s in project.transcript.get("speakers", [])}
    if speaker_id not in known:
        raise NotFoundError("That speaker is not in this transcript.")
    cleaned = " ".join(name.split())
    if len(cleaned) > SPEAKER_NAME_MAX:
        raise ValidationError(f"Speaker names are at most {SPEAKER_NAME_MAX} characters.")
    names = dict(project.speaker_names)
    if cleaned:
        names[speaker_id] = cleaned
    else:
        names.pop(speaker_id, None)
    project.speaker_names = names
    touch(project)
    session.commit()
    return to_view(session, actor, project)


def _checked_edits(project: DubbingProject, changes: Sequence[SegmentChange]) -> list[SegmentEdit]:
    segments = {str(s["id"]): s for s in project.transcript.get("segments", [])}
    speakers = {str(s["id"]) for s in project.transcript.get("speakers", [])}
    edits: list[SegmentEdit] = []
    for change in changes:
        current = segments.get(change.id)
        if current is None:
            raise NotFoundError("That segment is not in this transcript.")
        fields: dict[str, Any] = {}
        for value, wire in ((change.text, "text"), (change.translated_text, "translatedText")):
            if value is None:
                continue
            cleaned = " ".join(value.split())
            if not cleaned:
                raise ValidationError("A segment's text cannot be empty.")
            if len(cleaned) > SEGMENT_TEXT_MAX:
                raise ValidationError(f"A segment is at most {SEGMENT_TEXT_MAX} characters.")
            if cleaned != current.get(wire):
                fields[wire] = cleaned
        if "translatedText" in fields and not project.target_language:
            raise ValidationError("Translate the transcript before editing its translation.")
        if change.speaker_id is not None and change.speaker_id != current.get("speakerId"):
            if change.speaker_id not in speakers:
                raise NotFoundError("That speaker is not in this transcript.")
            fields["speakerId"] = change.speaker_id
        if fields:
            edits.append(SegmentEdit.model_validate({"id": change.id, **fields}))
    return edits


def _patch_transcript(project: DubbingProject, edits: list[SegmentEdit]) -> None:
    by_id = {edit.id: edit.to_wire() for edit in edits}
    segments = [{**s, **by_id.get(str(s["id"]), {})} for s in project.transcript["segments"]]
    project.transcript = with_counts(project.transcript, segments)


def _edit_label(edits: list[SegmentEdit]) -> str:
    if all(edit.speaker_id and not (edit.text or edit.translated_text) for edit in edits):
        return "Move a segment" if len(edits) == 1 else f"Move {len(edits)} segments"
    return "Edit a line" if len(edits) == 1 else f"Edit {len(edits)} lines"


async def edit_segments(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    changes: Sequence[SegmentChange],
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Send transcript or translation edits and speaker moves in one request (the segments
    OrangeClone knows; a segment made here by a split or an add is edited here only), as one
    revision for undo. Commits."""
    project, job = _ready(session, actor, project_id)
    edits = _checked_edits(project, changes)
    if not edits:
        return to_view(session, actor, project)
    remote = for_the_api(edits)
    async with claimed(session, project, REVIEW):
        if remote:
            try:
                async with opener(session, actor, project.api_key_id) as client:
                    await client.dubbing.update_segments(str(job.remote_id), remote)
            except OrangeCloneError as error:
                await _failed_call(session, project, job, REVIEW, error)
                return to_view(session, actor, project)
        remember(project, _edit_label(edits), actor)
        _patch_transcript(project, edits)
        sent(project, remote)
        clear_failure(project, REVIEW)
        save_revision(session, project, actor)
    await announce(session, project)
    return to_view(session, actor, project)


async def edit_segment_text(
    session: Session, actor: CurrentUser, project_id: int, segment_id: str, text: str, **kw: Any
) -> DubbingProjectView:
    return await edit_segments(session, actor, project_id, [SegmentChange(segment_id, text)], **kw)


async def reassign_segment(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    segment_id: str,
    speaker_id: str,
    **kw: Any,
) -> DubbingProjectView:
    change = SegmentChange(segment_id, speaker_id=speaker_id)
    return await edit_segments(session, actor, project_id, [change], **kw)


async def translate(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    language: str,
    segment_ids: Sequence[str] | None = None,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Translate every segment, or only `segment_ids`, into `language`. Commits."""
    if language not in LANGUAGES_BY_CODE:
        raise ValidationError("Pick one of the languages OrangeClone dubs into.")
    project, job = _ready(session, actor, project_id)
    if segment_ids is not None:
        known = {str(s["id"]) for s in project.transcript["segments"]}
        if not segment_ids or any(segment_id not in known for segment_id in segment_ids):
            raise ValidationError("Pick segments of this transcript to translate.")
        # Lines made here (a split's second half, an added line) are not OrangeClone's.
        segment_ids = [segment_id for segment_id in segment_ids if is_remote(segment_id)]
        if not segment_ids:
            raise ValidationError(
                "These lines were made here, so OrangeClone cannot translate them: type "
                "their translation."
            )
    async with claimed(session, project, TRANSLATE):
        if project.target_language and language != project.target_language:
            park_and_open(project, language)  # the open language's work is kept aside
            save_revision(session, project, actor)
        project.target_language = language  # kept even if the call fails: retry uses it
        session.commit()
        catch_up = pending_edits(project)
        try:
            async with opener(session, actor, project.api_key_id) as client:
                if catch_up:  # the API translates the words it holds: first, the team's
                    await client.dubbing.update_segments(str(job.remote_id), catch_up)
                    sent(project, catch_up)
                    session.commit()
                if segment_ids is None:
                    result = await client.dubbing.translate(str(job.remote_id), language)
                else:
                    result = await client.dubbing.translate_segments(
                        str(job.remote_id), language, list(segment_ids)
                    )
        except OrangeCloneError as error:
            await _failed_call(session, project, job, TRANSLATE, error)
            return to_view(session, actor, project)
        name = LANGUAGES_BY_CODE[language].name
        which = "all segments" if segment_ids is None else f"{len(segment_ids)} segment(s)"
        job.request = {**job.request, "target_language": language}
        project.step = TRANSLATE
        clear_failure(project, TRANSLATE)
        detail = f"Translation of {which} into {name} requested"
        reopen_job(session, job, result.status or "translating", detail, project)
    await job_changed(job)
    return to_view(session, actor, project)


async def clone(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Send the settings (language, voices; speakers without a choice keep their original
    voice) and start the dub (charges credits). Commits."""
    project, job = _ready(session, actor, project_id)
    if project.restructured:
        raise ConflictError(
            "This project's segments were merged, split or retimed here, which OrangeClone's "
            "dub cannot follow: render the dub in the dashboard instead."
        )
    mapping = dict(project.voice_mapping)
    ids = [int(choice["character_id"]) for choice in mapping.values() if "character_id" in choice]
    # Checked again now: a character may have been deleted since it was chosen.
    found = team_characters(session, actor, project.api_key_id, ids) if ids else []
    characters = {character.id: character for character in found}
    wire = {str(s["id"]): VoiceAssignment.original() for s in project.transcript["speakers"]}
    for speaker_id, choice in mapping.items():
        if speaker_id in wire and "character_id" in choice:
            remote_id = characters[int(choice["character_id"])].remote_id
            wire[speaker_id] = VoiceAssignment.character(remote_id)
    language = project.target_language or ""
    async with claimed(session, project, CLONE):
        try:
            async with opener(session, actor, project.api_key_id) as client:
                await client.dubbing.update_settings(str(job.remote_id), language, True, wire)
                result = await client.dubbing.clone(str(job.remote_id))
        except OrangeCloneError as error:
            await _failed_call(session, project, job, CLONE, error)
            return to_view(session, actor, project)
        job.request = {
            **job.request,
            "target_language": language,
            "voices": {k: v.get("character_id", ORIGINAL) for k, v in mapping.items() if k in wire},
        }
        job.characters = [{"id": c.id, "name": c.name} for c in characters.values()]
        project.step = CLONE
        clear_failure(project, CLONE)
        reopen_job(session, job, result.status or "cloning", "Dubbing requested", project)
    await job_changed(job)
    return to_view(session, actor, project)
