"""Takes of one line: preview a segment in its mapped character's voice (one `voices_clone`
call, a tracked voice job), keep every take, pin the one the segment's audio is.

A take needs nothing from the dubbing job's state: it can be made right after transcription,
before or after translating, while the editor decides whether a line works. Its cost is the
voice job's (billed per started 10 s), shown with the take.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from orangeweb.models import Character, Job
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.pseudo import strip_pseudo
from orangeweb.services.dubbing.segment_edits import edit_layout
from orangeweb.services.dubbing.take_views import voiced_line
from orangeweb.services.dubbing.views import DubbingProjectView, team_project, to_view
from orangeweb.services.errors import ConflictError, NotFoundError, ValidationError
from orangeweb.services.jobs.submit import ClientOpener, submit_voice
from orangeweb.services.keys.store import open_client


def _segment(project: DubbingProject, segment_id: str) -> dict[str, Any]:
    segment = next(
        (s for s in project.transcript.get("segments", []) if str(s.get("id")) == segment_id),
        None,
    )
    if segment is None:
        raise NotFoundError("That segment is not in this transcript.")
    return segment


async def preview_segment(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    segment_id: str,
    *,
    submission_key: str,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Make a take of one segment: its line (the translation once there is one) in the voice
    of its speaker's character, as a voice job on the project's key. The segment's first take
    is pinned. The same submission key again makes no second take. Commits."""
    project = team_project(session, actor, project_id)
    segment = _segment(project, segment_id)
    line = voiced_line(project, segment)
    if line.character_id is None:
        raise ValidationError(
            "This speaker keeps the original voice: map it to a character to hear the line "
            "in another voice."
        )
    if not line.text:
        raise ValidationError("This line has no words to voice yet.")
    job = await submit_voice(
        session,
        actor,
        project.api_key_id,
        line.text,
        [line.character_id],
        submission_key=submission_key,
        opener=opener,
    )
    known = session.exec(select(DubbingTake).where(DubbingTake.job_id == job.id)).first()
    if known is None:
        character = session.get(Character, line.character_id)
        earlier = session.exec(  # (each language has its own pinned take)
            select(DubbingTake.id).where(
                DubbingTake.project_id == project.id,
                DubbingTake.segment_id == segment_id,
                DubbingTake.language == line.language,
            )
        ).first()
        session.add(
            DubbingTake(
                team_id=actor.team_id,
                project_id=project_id,
                segment_id=segment_id,
                language=line.language,
                text=line.text,
                character_id=line.character_id,
                character_name=character.name if character else "",
                job_id=job.id,
                pinned=earlier is None,
                created_by_id=actor.user_id,
                start_s=line.start,
                end_s=line.end,
            )
        )
        session.commit()
    return to_view(session, actor, team_project(session, actor, project_id))


def _project_take(session: Session, project: DubbingProject, take_id: int) -> DubbingTake:
    take = session.exec(
        select(DubbingTake).where(DubbingTake.id == take_id, DubbingTake.project_id == project.id)
    ).first()
    if take is None:
        raise NotFoundError("That take does not exist.")
    return take


def pin_take(
    session: Session, actor: CurrentUser, project_id: int, take_id: int
) -> DubbingProjectView:
    """Make `take_id` its segment's audio in its language (only a take that was made).
    Commits."""
    project = team_project(session, actor, project_id)
    take = _project_take(session, project, take_id)
    view = to_view(session, actor, project)
    made = next(
        (t for s in view.segments for t in s.takes if t.id == take_id and t.succeeded), None
    )
    if made is None:
        raise ConflictError("Only a finished take can be pinned.")
    for other in session.exec(
        select(DubbingTake).where(
            DubbingTake.project_id == project.id,
            DubbingTake.segment_id == take.segment_id,
            DubbingTake.language == take.language,  # the other languages keep theirs
        )
    ).all():
        other.pinned = other.id == take_id
    session.commit()
    return to_view(session, actor, team_project(session, actor, project_id))


async def revert_to_take(
    session: Session, actor: CurrentUser, project_id: int, seen: int | None, take_id: int
) -> DubbingProjectView:
    """Go back to a take: its words become the line again (the translation, or the text when
    it was voiced in the original language) and it is pinned, so the line is not stale and a
    render uses it without paying for another. One recorded edit (undo brings the words
    back). Commits."""
    project = team_project(session, actor, project_id)
    take = _project_take(session, project, take_id)
    job = session.get(Job, take.job_id) if take.job_id else None
    if job is None or not job.succeeded:
        raise ConflictError("Only a finished take can be gone back to.")
    field = "translatedText" if take.language else "text"
    if take.language and take.language != (project.target_language or ""):
        raise ConflictError("This take is in another language than the project's translation.")

    def restore(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = [s for s in segments if str(s.get("id")) == take.segment_id]
        if not found:
            raise NotFoundError("That take's segment is no longer in the transcript.")
        return [
            {**s, field: take.text} if str(s.get("id")) == take.segment_id else s for s in segments
        ]

    current = _segment(project, take.segment_id)
    if strip_pseudo(str(current.get(field) or "")).strip() != take.text:
        await edit_layout(
            session, actor, project_id, seen, "Revert a line to a take", restore,
            restructures=False,
        )  # fmt: skip
    return pin_take(session, actor, project_id, take_id)
