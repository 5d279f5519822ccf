"""The studio's segment edits, saved: merge, split, retime (typed, or dragged and snapped to the
source's nearest silence), delete, add, auto-merge, and undo/redo of every one of them.

Each edit names the revision the editor saw: saved over another, it is refused with who made
that one (`segment_history`). Each is recorded for undo, saved at once and announced live. An
edit that changes the segments' layout marks the project restructured (`remote_sync`): the API
cannot follow it, so its dub is then rendered here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlmodel import Session

from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import segment_layout
from orangeweb.services.dubbing.remote_sync import with_counts
from orangeweb.services.dubbing.segment_history import (
    announce,
    check_revision,
    remember,
    save_revision,
    step_back,
)
from orangeweb.services.dubbing.segment_layout import Segment
from orangeweb.services.dubbing.steps import RUNNING
from orangeweb.services.dubbing.views import (
    DubbingProjectView,
    current_job,
    effective_status,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError, ValidationError
from orangeweb.services.media.waveform import silences, snap_to_silence, waveform_peaks
from orangeweb.settings import get_settings

PEAK_BUCKETS = 1200

Layout = Callable[[list[Segment]], list[Segment]]


def _editable(session: Session, actor: CurrentUser, project_id: int) -> DubbingProject:
    project = team_project(session, actor, project_id)
    status = effective_status(project, current_job(session, project))
    if status in RUNNING:
        raise ConflictError(f"OrangeClone is {status} this project: edit it once that finishes.")
    if not project.transcript.get("segments"):
        raise ConflictError("There is no transcript to edit yet.")
    return project


async def edit_layout(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen_revision: int | None,
    label: str,
    layout: Layout,
    *,
    restructures: bool = True,
    adjust: Callable[[DubbingProject], None] | None = None,
) -> DubbingProjectView:
    """Apply `layout` to the project's segments as one recorded, checked revision (one that
    only changes words keeps the API's layout: `restructures=False`). Commits."""
    project = _editable(session, actor, project_id)
    check_revision(session, project, seen_revision)
    segments = layout(list(project.transcript.get("segments", [])))
    remember(project, label, actor)
    if adjust is not None:  # what else the edit changes (an import's new speakers)
        adjust(project)
    project.transcript = with_counts(project.transcript, segments)
    project.restructured = project.restructured or restructures
    save_revision(session, project, actor)
    await announce(session, project)
    return to_view(session, actor, project)


def source_of(project: DubbingProject, data_dir: Path | None = None) -> Path:
    source = (data_dir or get_settings().data_path) / project.file_path
    if not source.is_file():
        raise ValidationError("The uploaded file is no longer in the dashboard: upload it again.")
    return source


def media_analysis(
    session: Session, project: DubbingProject, data_dir: Path | None = None
) -> dict[str, list[float] | list[list[float]]]:
    """The source's waveform peaks and silences, read with ffmpeg once and kept. Blocks."""
    known = project.media_analysis or {}
    if "peaks" in known and "silences" in known:
        return known
    source = source_of(project, data_dir)
    found = {
        "peaks": [round(p, 3) for p in waveform_peaks(source, PEAK_BUCKETS)],
        "silences": [[round(a, 3), round(b, 3)] for a, b in silences(source)],
    }
    project.media_analysis = found
    session.commit()
    return found


async def merge_segments(
    session: Session, actor: CurrentUser, project_id: int, seen: int | None, ids: Sequence[str]
) -> DubbingProjectView:
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        f"Merge {len(set(ids))} segments",
        lambda segments: segment_layout.merge(segments, ids),
    )


async def split_segment(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen: int | None,
    segment_id: str,
    *,
    at: float | None = None,
    text_position: int | None = None,
) -> DubbingProjectView:
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        "Split a segment",
        lambda segments: segment_layout.split(
            segments, segment_id, at=at, text_position=text_position
        ),
    )


async def retime_segment(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen: int | None,
    segment_id: str,
    start: float,
    end: float,
    *,
    snap: bool = False,
    data_dir: Path | None = None,
) -> DubbingProjectView:
    """New times for a segment; `snap` moves each edge to the source's nearest silence (a
    drag lands between words, not inside one)."""
    project = _editable(session, actor, project_id)
    if snap:
        analysis = await asyncio.to_thread(media_analysis, session, project, data_dir)
        quiet = [(float(a), float(b)) for a, b in analysis["silences"]]  # type: ignore[misc]
        start, end = snap_to_silence(start, quiet), snap_to_silence(end, quiet)
    duration = project.duration_s
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        "Retime a segment",
        lambda segments: segment_layout.retime(segments, segment_id, start, end, duration),
    )


async def delete_segments(
    session: Session, actor: CurrentUser, project_id: int, seen: int | None, ids: Sequence[str]
) -> DubbingProjectView:
    count = len(set(ids))
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        "Delete a segment" if count == 1 else f"Delete {count} segments",
        lambda segments: segment_layout.delete(segments, ids),
    )


async def add_segment(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen: int | None,
    *,
    start: float,
    end: float,
    speaker_id: str,
    text: str,
) -> DubbingProjectView:
    project = _editable(session, actor, project_id)
    speakers = [str(s["id"]) for s in project.transcript.get("speakers", [])]
    duration = project.duration_s
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        "Add a segment",
        lambda segments: segment_layout.add(
            segments,
            start=start,
            end=end,
            speaker_id=speaker_id,
            text=text,
            duration=duration,
            speakers=speakers,
        ),
    )


async def auto_merge_segments(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    seen: int | None,
    pause_s: float = segment_layout.DEFAULT_MERGE_PAUSE_S,
) -> DubbingProjectView:
    """Join each speaker's phrases less than `pause_s` apart; says so when nothing joins."""
    if not 0 < pause_s <= 5:
        raise ValidationError("The pause to merge across is between 0 and 5 seconds.")
    project = _editable(session, actor, project_id)
    before = len(project.transcript.get("segments", []))
    merged = segment_layout.auto_merge(project.transcript["segments"], pause_s=pause_s)
    if len(merged) == before:
        raise ValidationError(
            f"No neighbouring lines of one speaker are less than {pause_s:g} s apart."
        )
    return await edit_layout(
        session,
        actor,
        project_id,
        seen,
        f"Auto-merge {before} segments into {len(merged)}",
        lambda segments: segment_layout.auto_merge(segments, pause_s=pause_s),
    )


async def undo(
    session: Session, actor: CurrentUser, project_id: int, seen: int | None, *, redo: bool = False
) -> tuple[DubbingProjectView, str]:
    """Undo (or redo) the project's last edit, whoever made it. (view, what was undone)."""
    project = _editable(session, actor, project_id)
    check_revision(session, project, seen)
    label = step_back(project, actor, forward=redo)
    project.transcript = with_counts(project.transcript, project.transcript["segments"])
    save_revision(session, project, actor)
    await announce(session, project)
    return to_view(session, actor, project), label
