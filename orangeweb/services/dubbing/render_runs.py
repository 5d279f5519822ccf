"""The dashboard's own render of a dubbed file, run as tracked work with progress.

`start_render` claims the project (one render at a time; a double click cannot pay twice) and
hands the run to a thread of its own, so the request returns at once and the run outlives the
tab. The run: request a take for every line that needs one (`render_plans`), wait for them
(listening to the job notices, not polling the API: the tracker follows the jobs), pin them,
then mix with ffmpeg (`media.dub_mix`: picture copied, source ducked under each dubbed line,
each take fitted into its slot). Every stage is written to the project and announced, so every
open tab shows it live. A run whose heartbeat stopped (the process died) reads as interrupted
and can be started again; the takes it paid for are reused.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, col, select

from orangeweb.db import open_session
from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.render_plans import LinePlan, line_plans
from orangeweb.services.dubbing.segment_edits import source_of
from orangeweb.services.dubbing.segment_history import announce
from orangeweb.services.dubbing.segment_layout import at_time
from orangeweb.services.dubbing.takes import preview_segment
from orangeweb.services.dubbing.views import (
    RUNNING_RENDERS,
    DubbingProjectView,
    is_interrupted,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError, DomainError, ValidationError
from orangeweb.services.jobs.notices import get_notice_bus
from orangeweb.services.jobs.submit import ClientOpener
from orangeweb.services.keys.store import open_client
from orangeweb.services.media.archive import archive_enabled
from orangeweb.services.media.dub_mix import DubSlot, render_dub
from orangeweb.settings import get_settings

logger = logging.getLogger(__name__)

HEARTBEAT_S = 5.0
TAKES_TIMEOUT_S = 30 * 60.0
TAKES_SHARE = 0.5  # of the progress bar, when takes are made first


@dataclass(frozen=True)
class RenderRun:
    project_id: int
    actor: CurrentUser
    submission_key: str
    opener: ClientOpener = open_client
    data_dir: Path | None = None


Runner = Callable[[RenderRun], None]


def in_thread(run: RenderRun) -> None:
    threading.Thread(
        target=lambda: asyncio.run(run_render(run)), name="dub-render", daemon=True
    ).start()


async def start_render(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    *,
    submission_key: str,
    opener: ClientOpener = open_client,
    data_dir: Path | None = None,
    runner: Runner = in_thread,
) -> DubbingProjectView:
    """Start rendering the project here (new takes for the lines that changed first). Commits."""
    project = team_project(session, actor, project_id)
    if project.render_state in RUNNING_RENDERS and not is_interrupted(project):
        raise ConflictError("This project is being rendered already; it shows its progress.")
    if not project.transcript.get("segments"):
        raise ValidationError("Transcribe the file first: a render needs its lines.")
    if not archive_enabled(session, actor.team_id):
        raise ValidationError(
            "Rendering here needs the team's archive of outputs (Settings): the takes are "
            "mixed from the archived files."
        )
    source_of(project, data_dir)
    if not any(plan.need != "original" for plan in line_plans(session, project)):
        raise ValidationError(
            "Every speaker keeps the original voice: map one to a character to render a dub."
        )
    was = project.render_state
    claimed = session.execute(
        sa.update(DubbingProject)
        .where(col(DubbingProject.id) == project.id)
        .where(
            sa.or_(col(DubbingProject.render_state).is_(None), DubbingProject.render_state == was)
        )
        .values(render_state="waiting", render_heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise ConflictError("This project is being rendered already; it shows its progress.")
    project = team_project(session, actor, project_id)
    project.render_progress, project.render_detail = 0.0, "Starting"
    project.render_error, project.render_warnings = None, []
    session.commit()
    await announce(session, project)
    runner(RenderRun(project_id, actor, submission_key, opener, data_dir))
    return to_view(session, actor, project)


class _Stage:
    """Writes the run's stage to the project and announces it (every tab shows it)."""

    def __init__(self, session: Session, project_id: int) -> None:
        self.session, self.project_id = session, project_id

    @property
    def project(self) -> DubbingProject:
        found = self.session.get(DubbingProject, self.project_id, populate_existing=True)
        if found is None:
            raise ValidationError("The project was deleted during its render.")
        return found

    async def write(self, **fields: object) -> DubbingProject:
        project = self.project
        for name, value in fields.items():
            setattr(project, name, value)
        project.render_heartbeat_at = utcnow()
        self.session.commit()
        await announce(self.session, project)
        return project


async def run_render(run: RenderRun) -> None:
    with open_session() as session:
        stage = _Stage(session, run.project_id)
        try:
            await _render(session, stage, run)
        except DomainError as error:
            words = str(error)
        except Exception:
            logger.exception("dub render of project %s failed", run.project_id)
            words = "The render failed on the server. Try again; if it fails again, tell an admin."
        else:
            return
        session.rollback()
        with contextlib.suppress(ValidationError):  # (the project was deleted meanwhile)
            await stage.write(render_state="failed", render_error=words, render_detail="")


async def _request_takes(session: Session, stage: _Stage, run: RenderRun) -> int:
    needed = [p for p in line_plans(session, stage.project) if p.need == "needed"]
    for done, plan in enumerate(needed):
        await stage.write(
            render_detail=f"Requesting takes ({done} of {len(needed)})",
            render_progress=TAKES_SHARE * 0.2 * done / len(needed),
        )
        try:
            await preview_segment(
                session,
                run.actor,
                run.project_id,
                plan.segment_id,
                submission_key=f"{run.submission_key}:{plan.segment_id}"[:200],
                opener=run.opener,
            )
        except DomainError as error:
            at = at_time(plan.line.start)
            raise ValidationError(
                f"The take of the line at {at} could not be requested: {error} "
                f"({done} of {len(needed)} were; rendering again reuses them)."
            ) from error
    return len(needed)


def _waiting_for(session: Session, project: DubbingProject) -> list[LinePlan]:
    """Lines whose take is still being made (or made and not yet archived)."""
    plans = line_plans(session, project)
    making = [p for p in plans if p.need == "making"]
    ready_ids = [p.take_id for p in plans if p.need == "ready"]
    unarchived = (
        session.exec(
            select(DubbingTake.id)
            .join(Job, col(Job.id) == col(DubbingTake.job_id))
            .where(col(DubbingTake.id).in_(ready_ids), col(Job.output_path).is_(None))
        ).all()
        if ready_ids
        else []
    )
    return making + [p for p in plans if p.take_id in set(unarchived)]


async def _wait_for_takes(session: Session, stage: _Stage, run: RenderRun, made: int) -> None:
    deadline = asyncio.get_running_loop().time() + TAKES_TIMEOUT_S
    async with get_notice_bus().subscribe(run.actor.team_id) as notices:
        iterator = aiter(notices)
        while waiting := _waiting_for(session, stage.project):
            total = max(made, len(waiting))
            done = total - len(waiting)
            await stage.write(
                render_detail=f"Making takes ({done} of {total} done)",
                render_progress=TAKES_SHARE * (0.2 + 0.8 * done / total),
            )
            if asyncio.get_running_loop().time() > deadline:
                raise ValidationError("The takes took over 30 minutes: render again to retry.")
            with contextlib.suppress(TimeoutError):  # a notice (a take moved), or a heartbeat
                await asyncio.wait_for(anext(iterator), HEARTBEAT_S)


def _pin(session: Session, project: DubbingProject, plans: list[LinePlan]) -> None:
    chosen = {p.segment_id: p.take_id for p in plans if p.need == "ready"}
    if not chosen:
        return
    languages = {p.segment_id: p.line.language for p in plans}
    for take in session.exec(
        select(DubbingTake).where(
            DubbingTake.project_id == project.id, col(DubbingTake.segment_id).in_(list(chosen))
        )
    ).all():
        if take.language == languages[take.segment_id]:  # the other languages keep theirs
            take.pinned = take.id == chosen[take.segment_id]
    session.commit()


def _slots(
    session: Session, project: DubbingProject, data_dir: Path
) -> tuple[list[DubSlot], dict[str, int], list[str]]:
    """The render's slots (the pinned takes' files), {segment: take} and warnings."""
    plans = line_plans(session, project)
    _pin(session, project, plans)
    languages = {p.segment_id: p.line.language for p in plans}
    pinned = {
        take.segment_id: (take.id, job.output_path)
        for take, job in session.exec(
            select(DubbingTake, Job)
            .join(Job, col(Job.id) == col(DubbingTake.job_id))
            .where(DubbingTake.project_id == project.id, col(DubbingTake.pinned))
            .where(col(Job.succeeded))
        ).all()
        if take.language == languages.get(take.segment_id)
    }
    slots, used, warnings = [], {}, []
    for plan in plans:
        label = at_time(plan.line.start)
        take_id, path = pinned.get(plan.segment_id, (None, None))
        if plan.need == "original" or take_id is None or not path:
            if plan.need != "original":
                warnings.append(f"{label}: no take could be made, the original audio plays.")
            slots.append(DubSlot(plan.line.start, plan.line.end, None, label))
            continue
        if plan.need != "ready":
            warnings.append(f"{label}: the new take failed, the previous one is used.")
        slots.append(DubSlot(plan.line.start, plan.line.end, data_dir / path, label))
        used[plan.segment_id] = take_id
    return slots, used, warnings


def _target(project: DubbingProject, data_dir: Path) -> Path:
    suffix = (
        ".m4a"
        if project.media_type == "audio"
        else (".mkv" if project.container in ("mkv", "webm") else ".mp4")
    )
    folder = data_dir / "renders" / str(project.team_id) / str(project.id)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"dub-{project.revision}-{secrets.token_hex(4)}{suffix}"


async def _render(session: Session, stage: _Stage, run: RenderRun) -> None:
    data_dir = run.data_dir or get_settings().data_path
    made = await _request_takes(session, stage, run)
    await _wait_for_takes(session, stage, run, made)
    project = stage.project
    share = TAKES_SHARE if made else 0.0
    slots, used, warnings = _slots(session, project, data_dir)
    source, target = source_of(project, data_dir), _target(project, data_dir)
    project = await stage.write(render_state="rendering", render_detail="Mixing the dub")
    loop = asyncio.get_running_loop()

    def progress(fraction: float) -> None:  # in ffmpeg's thread: hand over to this loop
        loop.call_soon_threadsafe(reported.append, fraction)

    reported: list[float] = []
    mixing = asyncio.ensure_future(
        asyncio.to_thread(
            render_dub, source, slots, target, work_dir=target.parent / "fitted",
            on_progress=progress,
        )
    )  # fmt: skip
    while not mixing.done():
        await asyncio.wait({mixing}, timeout=1.0)
        if reported and not mixing.done():
            fraction = share + (1 - share) * reported[-1]
            await stage.write(render_progress=round(fraction, 3))
    report = mixing.result()
    warnings += [f"{slot.label}: {slot.warning}" for slot in report.slots if slot.warning]
    old = stage.project.render_path
    await stage.write(
        render_state="rendered",
        render_progress=1.0,
        render_path=str(target.relative_to(data_dir)),
        render_takes=used,
        render_warnings=warnings,
        render_error=None,
        render_detail=f"{len(used)} dubbed lines" + (f", {made} new takes" if made else ""),
    )
    if old and old != str(target.relative_to(data_dir)):
        (data_dir / old).unlink(missing_ok=True)
