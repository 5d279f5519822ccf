"""Import an SRT or WebVTT file as the transcript's segments: one segment per cue, with the
cue's times, words and speaker (`<v Host>` or "Host:"; a name the transcript does not have
becomes a new speaker; a cue without one takes the speaker it overlaps most). A cue at the
times of an existing segment keeps that segment (its id, translation and takes), so an export
imported back changes nothing. Checked like every import (one bad cue imports nothing), saved
as one recorded edit (undo brings the old segments back).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.casts import normalize_label
from orangeweb.services.dubbing.remote_sync import LOCAL_PREFIX
from orangeweb.services.dubbing.segment_edits import edit_layout
from orangeweb.services.dubbing.segment_layout import new_segment_id
from orangeweb.services.dubbing.subtitle_import import (
    SubtitleImport,
    overlap,
    problems_of,
    refusal,
)
from orangeweb.services.dubbing.views import get_project, speaker_names, team_project
from orangeweb.services.errors import ValidationError
from orangeweb.services.media.subtitle_files import SubtitleCue, read_subtitles

# A cue this close to a segment's times (each end) is that segment.
SAME_TIMES_S = 0.05


def _same(cue: SubtitleCue, segment: dict[str, Any]) -> bool:
    return (
        abs(cue.start - float(segment["start"])) <= SAME_TIMES_S
        and abs(cue.end - float(segment["end"])) <= SAME_TIMES_S
    )


def _speaker_of(cue: SubtitleCue, segments: list[dict[str, Any]], fallback: str) -> str:
    best = max(segments, key=lambda s: overlap(cue, s), default=None)
    return str(best["speakerId"]) if best is not None and overlap(cue, best) > 0 else fallback


async def import_segments(
    session: Session, actor: CurrentUser, project_id: int, content: bytes, seen: int | None
) -> SubtitleImport:
    """Replace the segments with the file's cues. Commits."""
    project = team_project(session, actor, project_id)
    segments = list(project.transcript.get("segments", []))
    if not segments:
        raise ValidationError("There is no transcript to import into yet: transcribe first.")
    cues = read_subtitles(content)
    problems = problems_of(cues, project.duration_s)
    if problems:
        raise refusal(problems)
    by_name = {normalize_label(name): sid for sid, name in speaker_names(project).items()}
    speakers = list(project.transcript.get("speakers", []))
    fallback = str(speakers[0]["id"]) if speakers else "speaker_1"
    added: dict[str, str] = {}  # new speaker name -> its id
    for cue in cues:
        if cue.speaker and normalize_label(cue.speaker) not in by_name:
            key = normalize_label(cue.speaker)
            if key not in added.values():
                speaker_id = f"{LOCAL_PREFIX}speaker-{len(added) + 1}"
                added[speaker_id] = key
                by_name[key] = speaker_id
                speakers.append({"id": speaker_id, "label": cue.speaker, "segmentCount": 0})
    fresh, changed = [], 0
    for cue in cues:
        kept = next((s for s in segments if _same(cue, s)), None)
        speaker = (
            by_name[normalize_label(cue.speaker)]
            if cue.speaker
            else (str(kept["speakerId"]) if kept else _speaker_of(cue, segments, fallback))
        )
        if kept is not None:
            line = {**kept, "speakerId": speaker, "text": cue.text}
            changed += (kept.get("text"), kept.get("speakerId")) != (cue.text, speaker)
        else:
            line = {"id": new_segment_id(), "speakerId": speaker, "text": cue.text}
            line |= {
                "start": round(cue.start, 3),
                "end": round(min(cue.end, project.duration_s), 3),
            }
            changed += 1
        fresh.append(line)
    changed += sum(1 for s in segments if not any(_same(c, s) for c in cues))  # removed
    if changed == 0:
        return SubtitleImport(get_project(session, actor, project_id), len(cues), 0)
    names = dict(_names(cues, added))

    def with_speakers(row: DubbingProject) -> None:
        row.transcript = {**row.transcript, "speakers": speakers}
        row.speaker_names = {**row.speaker_names, **names}

    view = await edit_layout(
        session, actor, project_id, seen, "Import segments from subtitles", lambda _old: fresh,
        adjust=with_speakers,
    )  # fmt: skip
    return SubtitleImport(view, len(cues), changed)


def _names(cues: list[SubtitleCue], added: dict[str, str]) -> list[tuple[str, str]]:
    """(new speaker id, the name as the file writes it)."""
    spelled = {normalize_label(c.speaker): c.speaker for c in cues if c.speaker}
    return [(speaker_id, spelled[key]) for speaker_id, key in added.items()]
