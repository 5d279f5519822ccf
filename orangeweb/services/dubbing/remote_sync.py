"""The dashboard's transcript against OrangeClone's. Until the team edits, the API's answer is
the transcript. After the first edit here, the dashboard's segments are the truth: an answer
only brings what the API itself changed since its previous answer (a translation it made),
never undoing a local merge, split, undo or retime. What the API still holds differently (a
line edited here, undone, or merged) is sent in one request before the API works on it again
(translating). Depends only on models (the tracker imports it through `status`)."""

from __future__ import annotations

from typing import Any

from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import SegmentEdit

# The fields of a segment the API can be told (times and ids it cannot change).
SYNCED = ("text", "speakerId", "translatedText")
LOCAL_PREFIX = "local-"  # (segment_layout.LOCAL_PREFIX: this module imports no services)


def is_remote(segment_id: str) -> bool:
    """Whether OrangeClone knows this segment (one made here by a split or an add does not)."""
    return not segment_id.startswith(LOCAL_PREFIX)


def snapshot(segments: list[dict[str, Any]]) -> dict[str, Any]:
    """{id: the synced fields} of the API's segments."""
    return {
        str(s["id"]): {field: s.get(field) for field in SYNCED}
        for s in segments
        if is_remote(str(s["id"]))
    }


def with_counts(transcript: dict[str, Any], segments: list[dict[str, Any]]) -> dict[str, Any]:
    """The transcript with `segments`, its speakers' segment counts recounted."""
    counts: dict[str, int] = {}
    for segment in segments:
        counts[str(segment.get("speakerId"))] = counts.get(str(segment.get("speakerId")), 0) + 1
    speakers = [
        {**s, "segmentCount": counts.get(str(s["id"]), 0)} for s in transcript.get("speakers", [])
    ]
    return {**transcript, "segments": segments, "speakers": speakers}


def take_answer(project: DubbingProject, answer: dict[str, Any]) -> None:
    """Fold one answer of the API (in the transcript's shape) into the project. No commit."""
    before: dict[str, Any] = project.remote_segments or {}
    local = project.transcript.get("segments") or []
    if not project.edit_history or not local:  # never edited here
        project.transcript = answer
    else:
        remote = {str(s["id"]): s for s in answer.get("segments", [])}
        merged = []
        for segment in local:
            theirs = remote.get(str(segment["id"]))
            if theirs is None:
                merged.append(segment)
                continue
            was = before.get(str(segment["id"]), {})
            changed = {f: theirs.get(f) for f in SYNCED if theirs.get(f) != was.get(f)}
            merged.append({**segment, **{f: v for f, v in changed.items() if v is not None}})
        known = {str(s["id"]) for s in project.transcript.get("speakers", [])}
        speakers = [
            *project.transcript.get("speakers", []),
            *(s for s in answer.get("speakers", []) if str(s["id"]) not in known),
        ]
        fresh = {k: v for k, v in answer.items() if k not in ("segments", "speakers")}
        project.transcript = with_counts(
            {**project.transcript, **fresh, "speakers": speakers}, merged
        )
    project.remote_segments = snapshot(answer.get("segments", []))


def pending_edits(project: DubbingProject) -> list[SegmentEdit]:
    """What OrangeClone must be told so its segments read as the dashboard's (for the ids it
    knows; an empty translation cannot be sent, so it is left as the API has it)."""
    held: dict[str, Any] = project.remote_segments or {}
    edits = []
    for segment in project.transcript.get("segments", []):
        theirs = held.get(str(segment["id"]))
        if theirs is None:
            continue
        fields = {
            field: segment.get(field)
            for field in SYNCED
            if segment.get(field) and segment.get(field) != theirs.get(field)
        }
        if not is_remote(str(fields.get("speakerId") or "")):  # a speaker made here
            fields.pop("speakerId")
        if fields:
            edits.append(SegmentEdit.model_validate({"id": str(segment["id"]), **fields}))
    return edits


def for_the_api(edits: list[SegmentEdit]) -> list[SegmentEdit]:
    """What of `edits` OrangeClone can take: edits of its own segments, without a move to a
    speaker made here (that stays here)."""
    kept = []
    for edit in edits:
        if not is_remote(edit.id):
            continue
        if edit.speaker_id is not None and not is_remote(edit.speaker_id):
            if edit.text is None and edit.translated_text is None:
                continue
            edit = edit.model_copy(update={"speaker_id": None})
        kept.append(edit)
    return kept


def sent(project: DubbingProject, edits: list[SegmentEdit]) -> None:
    """The API took `edits`: it now holds them."""
    held = dict(project.remote_segments or {})
    for edit in edits:
        wire = edit.to_wire()
        held[edit.id] = {**held.get(edit.id, {}), **{k: v for k, v in wire.items() if k != "id"}}
    project.remote_segments = held


def forget_edits(project: DubbingProject) -> None:
    """A new transcription: its answer is the transcript again, with no history."""
    project.transcript = {}
    project.remote_segments = {}
    project.edit_history, project.restructured = {}, False
    project.revision += 1  # a tab still showing the old transcript cannot edit this one
