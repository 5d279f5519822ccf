"""Import an SRT or WebVTT file into a dubbing project's transcript or its translation.

The segments are OrangeClone's: each cue goes to the segment its times overlap most, the
cues of one segment joined in order, and a cue's speaker (`<v Host>` or "Host:") moves its
segment to the speaker of that name. Every cue is checked first (times in order, inside the
media, no overlap, a segment to land on); one bad cue refuses the whole file with a message per
cue, so nothing is half applied. An export imported back changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.casts import normalize_label
from orangeweb.services.dubbing.pseudo import strip_pseudo
from orangeweb.services.dubbing.review import SegmentChange, edit_segments
from orangeweb.services.dubbing.steps import REVIEW
from orangeweb.services.dubbing.views import (
    DubbingProjectView,
    speaker_names,
    team_project,
)
from orangeweb.services.errors import ValidationError
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client
from orangeweb.services.media.subtitle_files import SubtitleCue, read_subtitles

Target = Literal["transcript", "translation"]
# Subtitle times are rounded to milliseconds and editors nudge them: this much is not an overlap.
_TOLERANCE_SECONDS = 0.05
_MAX_PROBLEMS_SHOWN = 8


@dataclass(frozen=True, slots=True)
class SubtitleImport:
    project: DubbingProjectView
    cues: int
    changed: int  # segments whose words or speaker changed


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def overlap(cue: SubtitleCue, segment: dict[str, Any]) -> float:
    return min(cue.end, float(segment["end"])) - max(cue.start, float(segment["start"]))


def problems_of(cues: list[SubtitleCue], duration: float) -> list[str]:
    problems = []
    previous: SubtitleCue | None = None
    for cue in cues:
        where = f"Cue {cue.number} ({_clock(cue.start)}-{_clock(cue.end)})"
        if cue.end <= cue.start:
            problems.append(f"{where} ends before it starts.")
        elif cue.start >= duration + _TOLERANCE_SECONDS:
            problems.append(f"{where} starts after the media ends ({_clock(duration)}).")
        elif cue.end > duration + 1.0:
            problems.append(f"{where} runs past the media's end ({_clock(duration)}).")
        if previous is not None and cue.start < previous.end - _TOLERANCE_SECONDS:
            problems.append(f"{where} overlaps cue {previous.number}.")
        previous = cue
    return problems


def _landing(
    cues: list[SubtitleCue], segments: list[dict[str, Any]]
) -> tuple[dict[str, list[SubtitleCue]], list[str]]:
    landed: dict[str, list[SubtitleCue]] = {}
    problems = []
    for cue in cues:
        best = max(segments, key=lambda segment: overlap(cue, segment), default=None)
        if best is None or overlap(cue, best) <= 0:
            problems.append(
                f"Cue {cue.number} ({_clock(cue.start)}-{_clock(cue.end)}) falls on no segment "
                "of this transcript."
            )
            continue
        landed.setdefault(str(best["id"]), []).append(cue)
    return landed, problems


def refusal(problems: list[str]) -> ValidationError:
    shown = problems[:_MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = f" … and {more} more." if more else ""
    return ValidationError("Nothing was imported: " + " ".join(shown) + tail)


async def import_subtitles(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    content: bytes,
    into: Target,
    *,
    opener: ClientOpener = open_client,
) -> SubtitleImport:
    """Check every cue, then send the changed segments in one request. Commits."""
    if into not in ("transcript", "translation"):
        raise ValidationError("Import into the transcript or the translation.")
    project = team_project(session, actor, project_id)
    segments = list(project.transcript.get("segments", []))
    if not segments:
        raise ValidationError("There is no transcript to import into yet: transcribe first.")
    if into == "translation" and not project.target_language:
        raise ValidationError("Choose the target language and translate before importing one.")
    cues = read_subtitles(content)
    landed, unmatched = _landing(cues, segments)
    by_name = {normalize_label(name): sid for sid, name in speaker_names(project).items()}
    unknown = sorted(
        {c.speaker for c in cues if c.speaker and normalize_label(c.speaker) not in by_name}
    )
    problems = problems_of(cues, project.duration_s) + unmatched
    if unknown:
        problems.append(
            "No speaker is called " + ", ".join(f"“{name}”" for name in unknown) + " here."
        )
    if problems:
        raise refusal(problems)
    changes = []
    for segment in segments:
        own = landed.get(str(segment["id"]))
        if not own:
            continue
        words = " ".join(cue.text for cue in own)
        named = next((c.speaker for c in own if c.speaker), None)
        speaker = by_name[normalize_label(named)] if named else None
        field = "text" if into == "transcript" else "translatedText"
        new_speaker = speaker if speaker and speaker != segment.get("speakerId") else None
        current = segment.get(field) or ""
        # (the sandbox's pseudo marker is not in what we export: the same words are no change)
        new_words = words if words not in (current, strip_pseudo(current)) else None
        if new_words is None and new_speaker is None:
            continue
        changes.append(
            SegmentChange(
                str(segment["id"]),
                text=new_words if into == "transcript" else None,
                translated_text=new_words if into == "translation" else None,
                speaker_id=new_speaker,
            )
        )
    view = await edit_segments(session, actor, project_id, changes, opener=opener)
    if changes and view.failed_step == REVIEW:  # OrangeClone refused: the project says why
        raise ValidationError(view.error or "OrangeClone did not take the imported lines.")
    return SubtitleImport(view, len(cues), len(changes))
