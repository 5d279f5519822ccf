"""What the dubbing page receives: a project with its speakers, segments, slot fits, voices,
the state of each step and what can be retried. Team-scoped lookups live here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePosixPath
from typing import Any

from sqlmodel import Session, col, select

from orangeweb.models import ApiKey, Character, Job, User, utcnow
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.orangeclone.models import DubbingStatus
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.pseudo import is_pseudo, strip_pseudo
from orangeweb.services.dubbing.steps import (
    RETRY_WORDS,
    RUNNING,
)
from orangeweb.services.dubbing.take_views import TakeView, is_stale, takes_of_project, voiced_line
from orangeweb.services.errors import NotFoundError
from orangeweb.services.jobs.views import key_label
from orangeweb.services.media.slot_fit import SlotFit, check_translations

RUNNING_RENDERS = frozenset({"waiting", "rendering"})
INTERRUPTED_AFTER_S = 60.0


@dataclass(frozen=True)
class SpeakerView:
    id: str  # the API's speaker id ("speaker_1")
    label: str  # the API's label ("Speaker 1")
    name: str  # what the team calls them (defaults to the label)
    segment_count: int
    voice: str | None  # "character" | "original" | None (not chosen: the original is kept)
    character_id: int | None
    character_name: str | None


@dataclass(frozen=True)
class SegmentView:
    id: str
    speaker_id: str
    speaker_name: str
    start: float
    end: float
    text: str
    translated_text: str | None  # as the API returned it (the sandbox's pseudo marker kept)
    fit: str | None  # slot_fit.Fit value for translated segments
    fit_message: str | None
    fit_words: str | None = None  # the fit in words, with its speed-up
    pseudo: bool = False  # the translation is the sandbox's pseudo-translation
    # Its takes (newest first), whether its line or voice changed since the pinned one, and
    # whether a take can be made now (its speaker is voiced by a character; it has words).
    takes: tuple[TakeView, ...] = ()
    stale: bool = False
    can_preview: bool = False


@dataclass(frozen=True)
class RenderView:
    """The dashboard's own render of the project (`render_runs`)."""

    state: str  # "" (never), "waiting", "rendering", "rendered", "failed", "interrupted"
    progress: float  # 0..1
    detail: str  # the stage in words
    error: str | None
    warnings: tuple[str, ...]
    url: str | None  # "/media/dubbing/{id}/render" once rendered
    file_name: str = ""  # its download name: "<source stem>.<language>.dub.mp4"

    @property
    def is_running(self) -> bool:
        return self.state in RUNNING_RENDERS


NO_RENDER = RenderView("", 0.0, "", None, (), None)


def is_interrupted(project: DubbingProject) -> bool:
    """A render that stopped beating: its process died (it can be started again)."""
    if project.render_state not in RUNNING_RENDERS:
        return False
    beat = project.render_heartbeat_at
    return beat is None or utcnow() - beat > timedelta(seconds=INTERRUPTED_AFTER_S)


def _render_name(project: DubbingProject) -> str:
    """ "talk.es.dub.mp4": never the source's own name."""
    if not project.render_path:
        return ""
    stem = PurePosixPath(project.original_name.replace("\\", "/")).stem or "dub"
    suffix = PurePosixPath(project.render_path).suffix
    return f"{stem}.{project.target_language or 'original'}.dub{suffix}"


def render_view(project: DubbingProject) -> RenderView:
    state = project.render_state or ""
    interrupted = is_interrupted(project)
    return RenderView(
        state="interrupted" if interrupted else state,
        progress=project.render_progress,
        detail=project.render_detail,
        error="The render stopped when the server restarted: render again (the takes it "
        "made are kept)."
        if interrupted
        else project.render_error,
        warnings=tuple(str(w) for w in project.render_warnings or ()),
        # The file's name in the address: a new render is a new address (no stale cache), and
        # the player does not reload for edits that leave the render as it is.
        url=f"/media/dubbing/{project.id}/render?v={PurePosixPath(project.render_path).stem}"
        if project.render_path
        else None,
        file_name=_render_name(project),
    )


@dataclass(frozen=True)
class DubbingProjectView:
    id: int
    original_name: str
    media_type: str
    container: str
    duration_s: float
    size_bytes: int
    estimated_credits: int
    api_key_id: int
    api_key_label: str
    created_by_name: str
    created_at: datetime
    updated_at: datetime
    status: str  # "ready", "uploading", "uploaded", then the API's status as-is
    upload_state: str
    uploaded_bytes: int
    is_running: bool
    failed_step: str | None
    error: str | None
    retry_hint: str | None
    job_id: int | None
    source_language: str | None
    target_language: str | None
    speakers: list[SpeakerView]
    segments: list[SegmentView]
    cast_id: int | None
    output_url: str | None  # "/media/jobs/{job_id}/output" once dubbed
    can_review: bool  # the transcript is ready and no step is running
    # The segment studio: the revision an edit must name, whether the layout is the
    # dashboard's own, what Undo and Redo would do, and the dashboard's render.
    revision: int = 0
    restructured: bool = False
    undo_label: str | None = None
    redo_label: str | None = None
    render: RenderView = NO_RENDER
    languages: tuple[str, ...] = ()  # every target language with work (sorted)

    @property
    def stale_count(self) -> int:
        return sum(segment.stale for segment in self.segments)

    @property
    def render_changed_count(self) -> int:
        """Lines a render makes a take of: voiced by a character, and stale or without a
        pinned take (one being made counts as made)."""
        return sum(
            s.can_preview and (s.stale or not any(t.pinned and not _failed(t) for t in s.takes))
            for s in self.segments
        )


def _failed(take: TakeView) -> bool:
    return take.is_final and not take.succeeded


def team_project(session: Session, actor: CurrentUser, project_id: int) -> DubbingProject:
    """One of the team's projects; another team's id is simply not found."""
    project = session.exec(
        select(DubbingProject)
        .where(DubbingProject.id == project_id, DubbingProject.team_id == actor.team_id)
        .execution_options(populate_existing=True)
    ).first()
    if project is None:
        raise NotFoundError("That dubbing project does not exist.")
    return project


def current_job(session: Session, project: DubbingProject) -> Job | None:
    if project.job_id is None:
        return None
    return session.exec(
        select(Job).where(Job.id == project.job_id).execution_options(populate_existing=True)
    ).first()


def effective_status(project: DubbingProject, job: Job | None) -> str:
    """The job's status once there is one (the tracker keeps it current), else the project's."""
    return job.status if job is not None else project.status


def speaker_names(project: DubbingProject) -> dict[str, str]:
    """{speaker id: name shown}: the team's name, else the API's label, else the id."""
    names: dict[str, str] = {}
    for speaker in project.transcript.get("speakers", []):
        speaker_id = str(speaker["id"])
        names[speaker_id] = (
            project.speaker_names.get(speaker_id) or str(speaker.get("label") or "") or speaker_id
        )
    return names


def _segments(
    session: Session, project: DubbingProject, names: dict[str, str], *, with_takes: bool
) -> list[SegmentView]:
    raw = list(project.transcript.get("segments", []))
    takes = takes_of_project(session, project) if with_takes else {}
    # The sandbox does not speak its pseudo marker, so the estimate leaves it out too.
    spoken = [
        {**s, "translatedText": strip_pseudo(s["translatedText"])}
        if isinstance(s.get("translatedText"), str)
        else s
        for s in raw
    ]
    fits: dict[str, SlotFit] = check_translations(spoken)
    views = []
    for segment in raw:
        segment_id = str(segment["id"])
        fit = fits.get(segment_id)
        speaker_id = str(segment.get("speakerId") or "")
        line = voiced_line(project, segment)
        # The takes of the language the line is voiced in now (each language has its own).
        own = [(t, c) for t, c in takes.get(segment_id, []) if t.language == line.language]
        pinned = next(((take, character) for take, character in own if take.pinned), None)
        views.append(
            SegmentView(
                id=segment_id,
                speaker_id=speaker_id,
                speaker_name=names.get(speaker_id, speaker_id),
                start=float(segment.get("start") or 0.0),
                end=float(segment.get("end") or 0.0),
                text=str(segment.get("text") or ""),
                translated_text=segment.get("translatedText"),
                fit=fit.fit.value if fit else None,
                fit_message=fit.message if fit else None,
                fit_words=fit.words if fit else None,
                pseudo=is_pseudo(segment.get("translatedText")),
                takes=tuple(take for take, _character in own),
                stale=is_stale(*pinned, line) if pinned else False,
                can_preview=line.character_id is not None and bool(line.text),
            )
        )
    return views


def _speakers(
    session: Session, project: DubbingProject, names: dict[str, str]
) -> list[SpeakerView]:
    ids = [
        int(choice["character_id"])
        for choice in project.voice_mapping.values()
        if choice.get("type") == "character"
    ]
    rows = (
        session.exec(select(Character.id, Character.name).where(col(Character.id).in_(ids))).all()
        if ids
        else []
    )
    characters = {character_id: name for character_id, name in rows}
    views = []
    for speaker in project.transcript.get("speakers", []):
        speaker_id = str(speaker["id"])
        choice: dict[str, Any] = project.voice_mapping.get(speaker_id) or {}
        character_id = choice.get("character_id") if choice.get("type") == "character" else None
        views.append(
            SpeakerView(
                id=speaker_id,
                label=str(speaker.get("label") or speaker_id),
                name=names[speaker_id],
                segment_count=int(speaker.get("segmentCount") or 0),
                voice=choice.get("type"),
                character_id=character_id,
                character_name=characters.get(character_id) if character_id else None,
            )
        )
    return views


def to_view(
    session: Session, actor: CurrentUser, project: DubbingProject, *, with_takes: bool = True
) -> DubbingProjectView:
    """The project as the page shows it; `with_takes=False` for the project list, which shows
    no segment's takes (one query fewer per project listed)."""
    assert project.id is not None
    job = current_job(session, project)
    status = effective_status(project, job)
    api_key = session.get(ApiKey, project.api_key_id)
    creator = session.get(User, project.created_by_id)
    names = speaker_names(project)
    history = project.edit_history or {}
    undo_label = (history.get("undo") or [{}])[-1].get("label")
    redo_label = (history.get("redo") or [{}])[-1].get("label")
    succeeded = job is not None and job.succeeded
    is_running = status in RUNNING
    has_transcript = bool(project.transcript.get("segments"))
    resting = status.strip().lower() in DubbingStatus.AWAITING_INPUT_STATUSES | {
        "completed",
        "failed",
    }
    return DubbingProjectView(
        id=project.id,
        original_name=project.original_name,
        media_type=project.media_type,
        container=project.container,
        duration_s=project.duration_s,
        size_bytes=project.size_bytes,
        estimated_credits=project.estimated_credits,
        api_key_id=project.api_key_id,
        api_key_label=key_label(api_key, actor) if api_key else "a removed key",
        created_by_name=creator.display_name if creator else "",
        created_at=project.created_at,
        updated_at=project.updated_at,
        status=status,
        upload_state=project.upload_state,
        uploaded_bytes=project.uploaded_bytes,
        is_running=is_running,
        failed_step=project.failed_step,
        error=project.error,
        retry_hint=RETRY_WORDS.get(project.failed_step or ""),
        job_id=project.job_id,
        source_language=project.transcript.get("sourceLanguage"),
        target_language=project.target_language,
        speakers=_speakers(session, project, names),
        segments=_segments(session, project, names, with_takes=with_takes),
        cast_id=project.cast_id,
        output_url=f"/media/jobs/{job.id}/output" if succeeded and job else None,
        can_review=has_transcript and resting and not is_running,
        revision=project.revision,
        restructured=project.restructured,
        undo_label=undo_label,
        redo_label=redo_label,
        render=render_view(project),
        # In a stable order: the tab under the pointer stays put when another one opens.
        languages=tuple(
            sorted({*(project.language_tracks or {}), project.target_language} - {None, ""})
        ),
    )


def list_projects(
    session: Session, actor: CurrentUser, limit: int = 50
) -> list[DubbingProjectView]:
    """The team's dubbing projects, newest first (their segments without takes)."""
    projects = session.exec(
        select(DubbingProject)
        .where(DubbingProject.team_id == actor.team_id)
        .order_by(col(DubbingProject.created_at).desc(), col(DubbingProject.id).desc())
        .limit(max(1, limit))
    ).all()
    return [to_view(session, actor, project, with_takes=False) for project in projects]


def get_project(session: Session, actor: CurrentUser, project_id: int) -> DubbingProjectView:
    return to_view(session, actor, team_project(session, actor, project_id))


def project_of_job(session: Session, actor: CurrentUser, job_id: int) -> DubbingProjectView | None:
    """The team's project that `job_id` belongs to, if any (what a job notice changed): its
    dubbing job, or one of its segments' takes."""
    project = session.exec(
        select(DubbingProject).where(
            DubbingProject.job_id == job_id, DubbingProject.team_id == actor.team_id
        )
    ).first()
    if project is None:
        project = session.exec(
            select(DubbingProject)
            .join(DubbingTake, col(DubbingTake.project_id) == col(DubbingProject.id))
            .where(DubbingTake.job_id == job_id, DubbingProject.team_id == actor.team_id)
        ).first()
    return to_view(session, actor, project) if project is not None else None
