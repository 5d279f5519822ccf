"""Dubbing, dashboard side: a project per uploaded media file, taken through OrangeClone's
pipeline one step at a time, with everything done so far kept when a step fails.

1. `create_project`: the file the chunk writer stored (`media.upload.MediaUploadWriter`) is
   probed by content and checked against the key's tier, with the credit estimate, before
   any call; a refused file is deleted, with the reason in words.
2. `upload_media`: get_upload_url, then a PUT streamed from disk with progress. A failed
   upload is retried from the stored file: nothing is uploaded to the dashboard again.
3. `transcribe`: a `Job` of kind "dubbing" is committed before the POST (as for every job);
   then the tracker follows it. `start_dubbing` does 2 and 3.
4. Review, translation and cloning: `dubbing.review`; voices and exports: `dubbing.voices`.

A step that fails records `failed_step` and the reason; `retry` runs that step again. The
vendor's signed upload URL is used for the PUT and dropped: it is never stored or logged.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session

from orangeweb.models import Job, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone import OrangeCloneError, TransportError, UnexpectedResponse
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.remote_sync import forget_edits
from orangeweb.services.dubbing.review import clone, translate
from orangeweb.services.dubbing.status import clear_failure, fold_job, touch
from orangeweb.services.dubbing.step_runs import (
    api_words,
    claimed,
    fail,
    job_changed,
    renew_claim,
)
from orangeweb.services.dubbing.steps import CLONE, TRANSCRIBE, TRANSLATE, UPLOAD
from orangeweb.services.dubbing.views import (
    RUNNING_RENDERS,
    DubbingProjectView,
    is_interrupted,
    team_project,
    to_view,
)
from orangeweb.services.errors import ConflictError, PermissionDenied, ValidationError
from orangeweb.services.jobs.inputs import TITLE_MAX
from orangeweb.services.jobs.kinds import DUBBING
from orangeweb.services.jobs.status import SUBMITTING, UNKNOWN, add_event, publish, set_status
from orangeweb.services.jobs.submit import UNKNOWN_WORDS, ClientOpener
from orangeweb.services.keys.store import open_client, usable_api_key
from orangeweb.services.media.probe import (
    MediaRejected,
    check_tier_duration,
    dubbing_estimate,
    probe_media,
)
from orangeweb.services.media.upload import team_upload
from orangeweb.settings import get_settings

Progress = Callable[[int, int], None]
"""(bytes sent, total) during the upload to OrangeClone."""

NAME_MAX = 255
# Upload progress is saved at most this often (the caller's callback sees every chunk).
PROGRESS_SAVE_SECONDS = 2.0
_SAFE_STEM = re.compile(r"[^A-Za-z0-9._-]+")


def _data_root(data_dir: Path | None) -> Path:
    return (data_dir or get_settings().data_path).resolve()


def _clean_name(original_name: str) -> str:
    name = unicodedata.normalize("NFC", Path(original_name.replace("\\", "/")).name).strip()
    return name[:NAME_MAX] or "media"


def _vendor_file_name(project: DubbingProject) -> str:
    """A tidy ASCII name with the extension of what the file really is."""
    stem = _SAFE_STEM.sub("-", Path(project.original_name).stem).strip("-.")[:80]
    return f"{stem or 'media'}.{project.container}"


async def create_project(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    stored: Path,
    original_name: str,
    *,
    data_dir: Path | None = None,
) -> DubbingProjectView:
    """Check the stored upload and make it a project. Commits.

    `stored` is what `MediaUploadWriter.finish()` returned. A file that is not dubbable media,
    or longer than the key's tier allows, is deleted and refused (`MediaRejected`)."""
    root = _data_root(data_dir)
    stored = team_upload(root, actor.team_id, stored)
    try:
        api_key = usable_api_key(session, actor, api_key_id)
        facts = await asyncio.to_thread(
            probe_media, stored, max_bytes=get_settings().upload_max_bytes
        )
        check_tier_duration(facts.duration_s, api_key.tier.value)
    except BaseException:
        stored.unlink(missing_ok=True)  # refused: nothing of it is kept
        raise
    project = DubbingProject(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=api_key_id,
        file_path=stored.relative_to(root).as_posix(),
        original_name=_clean_name(original_name),
        container=facts.container,
        content_type=facts.content_type,
        media_type=facts.media_type,
        audio_codec=facts.audio_codec,
        video_codec=facts.video_codec,
        duration_s=facts.duration_s,
        size_bytes=facts.size_bytes,
        estimated_credits=dubbing_estimate(facts).credits,
    )
    session.add(project)
    session.commit()
    return to_view(session, actor, project)


def _uploadable(session: Session, actor: CurrentUser, project: DubbingProject) -> Path:
    # The key's plan is checked again at each submission: no call for media it cannot dub.
    check_tier_duration(project.duration_s, usable_api_key(session, actor, project.api_key_id).tier)
    path = local_media_path(project)
    if not path.is_file():
        raise MediaRejected("The uploaded file is gone from the dashboard; upload it again.")
    return path


async def _upload(
    session: Session,
    actor: CurrentUser,
    project: DubbingProject,
    progress: Progress | None,
    opener: ClientOpener,
) -> None:
    path = _uploadable(session, actor, project)
    project.upload_state, project.status, project.uploaded_bytes = "uploading", "uploading", 0
    project.step = UPLOAD
    touch(project)
    session.commit()
    saved_at = asyncio.get_running_loop().time()

    def on_progress(sent: int, total: int) -> None:
        nonlocal saved_at
        project.uploaded_bytes = sent
        now = asyncio.get_running_loop().time()
        if now - saved_at >= PROGRESS_SAVE_SECONDS:
            saved_at = now
            renew_claim(session, project)  # commits the progress too
        if progress is not None:
            progress(sent, total)

    try:
        async with opener(session, actor, project.api_key_id) as client:
            target = await client.dubbing.get_upload_url(
                _vendor_file_name(project), project.content_type
            )
            await client.dubbing.upload(target.upload_url, path, project.content_type, on_progress)
    except OrangeCloneError as error:
        project.upload_state = project.status = "failed"
        fail(session, project, UPLOAD, api_words(error))
        return
    except BaseException:
        session.rollback()
        project.upload_state = project.status = "failed"
        fail(session, project, UPLOAD, "The upload to OrangeClone was interrupted.")
        raise
    project.remote_media_path = target.media_path
    project.upload_state = project.status = "uploaded"
    project.uploaded_bytes = project.size_bytes
    clear_failure(project, UPLOAD)
    touch(project)
    session.commit()


async def upload_media(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    progress: Progress | None = None,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Upload the stored file to OrangeClone (again, if a try failed). Commits."""
    project = team_project(session, actor, project_id)
    if project.upload_state == "submitted":
        raise ConflictError("This file is already being dubbed.")
    async with claimed(session, project, UPLOAD):
        await _upload(session, actor, project, progress, opener)
    return to_view(session, actor, project)


def _maybe_sent(error: OrangeCloneError) -> bool:
    if isinstance(error, TransportError):
        return error.may_have_reached_server
    return isinstance(error, UnexpectedResponse) and 200 <= (error.status_code or 0) < 300


async def _transcribe(
    session: Session, actor: CurrentUser, project: DubbingProject, opener: ClientOpener
) -> None:
    _uploadable(session, actor, project)
    if project.upload_state != "uploaded" or not project.remote_media_path:
        raise ConflictError("Upload the file to OrangeClone first.")
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=project.api_key_id,
        kind=DUBBING.name,
        status=SUBMITTING,
        submission_key=f"dubbing:{project.id}:{secrets.token_hex(8)}",
        title=f"Dubbing {project.original_name}"[:TITLE_MAX],
        request={
            "project_id": project.id,
            "media": project.original_name,
            "media_type": project.media_type,
            "duration_s": project.duration_s,
        },
        estimated_credits=project.estimated_credits,
        parent_job_id=project.job_id,
    )
    session.add(job)
    session.flush()
    add_event(session, job, SUBMITTING)
    project.job_id, project.step = job.id, TRANSCRIBE
    forget_edits(project)  # a new transcription starts a new layout
    session.commit()  # the row exists before the POST: no orphan if we crash during it
    try:
        async with opener(session, actor, project.api_key_id) as client:
            accepted = await client.dubbing.transcribe(
                project.remote_media_path,
                "video" if project.media_type == "video" else "audio",
                project.duration_s,
                round(project.size_bytes / 1_000_000, 3),
            )
    except OrangeCloneError as error:
        words = api_words(error)
        unknown = _maybe_sent(error)
        job.error = f"{UNKNOWN_WORDS} ({words})" if unknown else words
        set_status(session, job, UNKNOWN if unknown else "failed", job.error)
        fold_job(project, job)
        fail(session, project, TRANSCRIBE, job.error)
        await publish(job)
        return
    except BaseException:
        session.rollback()
        job.error = UNKNOWN_WORDS
        set_status(session, job, UNKNOWN, UNKNOWN_WORDS)
        fail(session, project, TRANSCRIBE, UNKNOWN_WORDS)
        raise
    job.remote_id = accepted.job_id
    project.remote_job_id = accepted.job_id
    # The upload is used up by an accepted transcription: a retry must upload again.
    project.upload_state = "submitted"
    clear_failure(project, UPLOAD, TRANSCRIBE)
    set_status(session, job, accepted.status or "transcribing", f"Accepted as {accepted.job_id}")
    fold_job(project, job)
    job.next_poll_at = utcnow()
    session.commit()
    await job_changed(job)


async def transcribe(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Start transcription of the uploaded file (charges credits). Commits."""
    project = team_project(session, actor, project_id)
    async with claimed(session, project, TRANSCRIBE):
        await _transcribe(session, actor, project, opener)
    return to_view(session, actor, project)


async def start_dubbing(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    progress: Progress | None = None,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Upload (unless OrangeClone already has the file) and start transcription. Commits."""
    project = team_project(session, actor, project_id)
    if project.upload_state == "submitted" and project.failed_step != TRANSCRIBE:
        raise ConflictError("This file is already being dubbed.")
    async with claimed(session, project, UPLOAD):
        if project.upload_state != "uploaded":
            await _upload(session, actor, project, progress, opener)
        if project.upload_state == "uploaded":
            await _transcribe(session, actor, project, opener)
    return to_view(session, actor, project)


async def retry(
    session: Session,
    actor: CurrentUser,
    project_id: int,
    progress: Progress | None = None,
    *,
    opener: ClientOpener = open_client,
) -> DubbingProjectView:
    """Run the failed step again, keeping everything done before it. Commits."""
    project = team_project(session, actor, project_id)
    step = project.failed_step
    if step in (UPLOAD, TRANSCRIBE):
        # A transcription the API accepted then failed used the upload up: upload it again.
        if project.upload_state == "submitted":
            project.upload_state, project.remote_media_path = "local", None
            session.commit()
        return await start_dubbing(session, actor, project_id, progress, opener=opener)
    if step == TRANSLATE:
        if not project.target_language:
            raise ValidationError("Pick the language to translate into.")
        return await translate(session, actor, project_id, project.target_language, opener=opener)
    if step == CLONE:
        return await clone(session, actor, project_id, opener=opener)
    raise ConflictError("Nothing to retry: no step of this project failed.")


def local_media_path(project: DubbingProject, data_dir: Path | None = None) -> Path:
    return _data_root(data_dir) / project.file_path


def source_media_path(session: Session, actor: CurrentUser, project_id: int) -> Path | None:
    """The stored original of one of the team's projects (for a team-checked media route)."""
    path = local_media_path(team_project(session, actor, project_id))
    return path if path.is_file() else None


def delete_project(
    session: Session, actor: CurrentUser, project_id: int, *, data_dir: Path | None = None
) -> None:
    """Remove a project and its stored file (its creator, or an admin). Jobs stay in the
    history and archived outputs stay in the archive. Commits."""
    project = team_project(session, actor, project_id)
    if project.created_by_id != actor.user_id and not actor.is_admin:
        raise PermissionDenied(
            "Only the member who uploaded this file, or an admin, can delete it."
        )
    if project.busy_step is not None:
        raise ConflictError("A step of this project is being sent; wait for it, then delete.")
    if project.render_state in RUNNING_RENDERS and not is_interrupted(project):
        raise ConflictError("This project is being rendered; delete it once the render ends.")
    path = local_media_path(project, data_dir)
    renders = (data_dir or get_settings().data_path) / "renders" / str(project.team_id)
    session.delete(project)
    session.commit()
    path.unlink(missing_ok=True)
    shutil.rmtree(renders / str(project_id), ignore_errors=True)  # its renders and fitted takes
