"""A dubbing project's takes as the page sees them: every take of each segment (newest first),
the pinned one, and whether the segment is stale (its line or voice changed since its pinned
take was made). Also what a segment's take voices: its line in the target language, by the
character its speaker is mapped to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from orangeweb.models import Job, User
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.services.dubbing.pseudo import strip_pseudo
from orangeweb.services.jobs.views import output_url


@dataclass(frozen=True, slots=True)
class TakeView:
    id: int
    segment_id: str
    language: str  # "" for the original language
    text: str
    character_name: str
    created_by_name: str
    created_at: datetime
    status: str  # the voice job's ("submitting", "queued", …, "completed", "failed")
    is_final: bool
    succeeded: bool
    error: str | None
    output_url: str | None  # "/media/jobs/{job_id}/output" once made
    estimated_credits: int
    charged_credits: int | None
    pinned: bool
    start_s: float | None = None  # the segment's times when it was made (None: not kept)
    end_s: float | None = None


@dataclass(frozen=True, slots=True)
class VoicedLine:
    """What a take of a segment voices now."""

    language: str  # "" for the original language
    text: str
    character_id: int | None  # None: the speaker keeps its original voice (nothing to voice)
    start: float = 0.0
    end: float = 0.0


def voiced_line(project: DubbingProject, segment: dict[str, Any]) -> VoicedLine:
    """The segment's translation once a target language is chosen and translated (without the
    sandbox's pseudo marker, which is not spoken), else its original text; and its voice."""
    language = project.target_language or ""
    translated = segment.get("translatedText")
    if language and isinstance(translated, str) and translated.strip():
        text = strip_pseudo(translated)
    else:
        language, text = "", str(segment.get("text") or "")
    choice = project.voice_mapping.get(str(segment.get("speakerId") or "")) or {}
    character_id = choice.get("character_id") if choice.get("type") == "character" else None
    return VoicedLine(
        language,
        text.strip(),
        int(character_id) if character_id else None,
        float(segment.get("start") or 0.0),
        float(segment.get("end") or 0.0),
    )


def is_stale(pinned: TakeView | None, pinned_character: int | None, line: VoicedLine) -> bool:
    """A segment is stale when it has a pinned take made from another line, voice or times
    (times are compared to the millisecond, for takes that kept them)."""
    if pinned is None:
        return False
    if (pinned.text, pinned.language, pinned_character) != (
        line.text,
        line.language,
        line.character_id,
    ):
        return True
    if pinned.start_s is None or pinned.end_s is None:
        return False
    return abs(pinned.start_s - line.start) > 1e-3 or abs(pinned.end_s - line.end) > 1e-3


def takes_of_project(
    session: Session, project: DubbingProject
) -> dict[str, list[tuple[TakeView, int | None]]]:
    """{segment id: [(take, its character id), …] newest first} for one project."""
    rows = session.exec(
        select(DubbingTake, Job, User.display_name)
        .join(Job, col(Job.id) == col(DubbingTake.job_id), isouter=True)
        .join(User, col(User.id) == col(DubbingTake.created_by_id), isouter=True)
        .where(DubbingTake.project_id == project.id)
        .order_by(col(DubbingTake.created_at).desc(), col(DubbingTake.id).desc())
    ).all()
    takes: dict[str, list[tuple[TakeView, int | None]]] = {}
    for take, job, creator in rows:
        assert take.id is not None
        view = TakeView(
            id=take.id,
            segment_id=take.segment_id,
            language=take.language,
            text=take.text,
            character_name=take.character_name,
            created_by_name=creator or "",
            created_at=take.created_at,
            status=job.status if job else "gone",
            is_final=job.is_final if job else True,
            succeeded=job.succeeded if job else False,
            error=(job.error if job else "Its job was removed.") or None,
            output_url=output_url(job) if job else None,
            estimated_credits=job.estimated_credits if job else 0,
            charged_credits=job.charged_credits if job else None,
            pinned=take.pinned,
            start_s=take.start_s,
            end_s=take.end_s,
        )
        takes.setdefault(take.segment_id, []).append((view, take.character_id))
    return takes
