"""Stories: `/batch`, one audio file per scene, joined into the story on demand."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.models import BatchStatus
from orangeweb.services.jobs import speech_rates, stories
from orangeweb.services.jobs.estimates import TYPICAL, estimate_story
from orangeweb.services.jobs.kinds.base import JobKind, Pace
from orangeweb.services.jobs.kinds.single_output import not_archived
from orangeweb.services.jobs.status import set_status
from orangeweb.services.media import archive

PACE = Pace(shortest=3.0, growth=0.25, longest=120.0)


async def poll(client: OrangeClone, remote_id: str) -> BatchStatus:
    return await client.batch.status(remote_id)


def apply(session: Session, job: Job, remote: BatchStatus) -> bool:
    before = [(s.get("status"), s.get("error"), s.get("warning")) for s in job.scenes]
    stories.apply_scene_statuses(job, remote.scenes)
    failed = [scene for scene in job.scenes if scene.get("status") == "failed"]
    if remote.is_final and failed:
        job.error = f"{len(failed)} of {len(job.scenes)} scenes failed."
    changed = set_status(session, job, remote.status, job.error if remote.is_final else None)
    after = [(s.get("status"), s.get("error"), s.get("warning")) for s in job.scenes]
    return changed or after != before


def needs_archive(job: Job) -> bool:
    return any(
        scene.get("status") == "completed"
        and scene.get("remote_url")
        and not scene.get("output_path")
        and not scene.get("warning")  # known to hold no audio: not worth fetching again
        for scene in job.scenes
    )


async def archive_scenes(
    session: Session, job: Job, http: httpx.AsyncClient, data_root: Path
) -> bool:
    """Download every finished scene not archived yet (one commit per file), then the story's
    total duration once all are known. A scene whose audio is empty gets a warning. Returns
    whether any scene changed."""
    assert job.id is not None
    relative_dir = archive.job_archive_dir(job.team_id, job.id)
    stored = False
    for scene in list(job.scenes):
        url = scene.get("remote_url")
        if scene.get("status") != "completed" or not url or scene.get("output_path"):
            continue
        if scene.get("warning"):  # known to hold no audio
            continue
        index = int(scene["index"])
        try:
            path = await archive.download(http, url, data_root / relative_dir, f"scene-{index}")
        except archive.EmptyResult as error:
            stories.set_scene_fields(job, index, warning=stories.EMPTY_AUDIO)
            not_archived(session, job, f"scene {index + 1}: {error}")  # commits the warning
            stored = True  # the scene changed: the page is told
            continue
        except archive.DownloadError as error:
            not_archived(session, job, f"scene {index + 1}: {error}")
            continue
        duration = await asyncio.to_thread(archive.probe_duration, path)
        # probe_duration gives None for 0 s as well as for a file it cannot read.
        warning = stories.EMPTY_AUDIO if not duration else None
        stories.set_scene_fields(
            job,
            index,
            output_path=(relative_dir / path.name).as_posix(),
            duration_s=duration,
            warning=warning,
        )
        if warning is None:  # each scene once: only here is its duration first known
            speech_rates.learn_from_scene(session, scene, duration)
        session.commit()
        stored = True
    durations = [
        s.get("duration_s")
        for s in job.scenes
        if s.get("status") == "completed" and not s.get("warning")  # those add nothing
    ]
    if job.is_final and durations and all(isinstance(d, int | float) for d in durations):
        job.duration_s = round(sum(float(d) for d in durations if d is not None), 3)
        session.commit()
    return stored


def expected_seconds(session: Session, job: Job) -> float | None:
    """Pacing: the estimated length of the scenes this batch sent, all together (one status
    request reports them all, so the batch is timed as one job)."""
    scenes = job.request.get("scenes")
    if not isinstance(scenes, list) or not scenes:
        return None
    ids = [int(scene["character_id"]) for scene in scenes]
    learned = speech_rates.read_rates(session, job.team_id, ids)
    timed = [
        (str(s["text"]), learned.get(cid, TYPICAL)) for s, cid in zip(scenes, ids, strict=True)
    ]
    seconds = estimate_story(timed).seconds
    return seconds if seconds > 0 else None


def mirror(_session: Session, job: Job) -> None:
    stories.mirror_batch_status_on_scenes(job)


def result_url(remote: BatchStatus, job: Job, scene_index: int | None) -> str | None:
    """The fresh URL of scene `scene_index` (the dashboard's index, mapped to the batch's)."""
    batch_index = next(
        (int(s["batch_index"]) for s in job.scenes if int(s["index"]) == scene_index), None
    )
    return next((s.audio_url for s in remote.scenes if s.scene_index == batch_index), None)


BATCH = JobKind(
    name="batch",
    label="Story",
    studio="stories",
    status_model=BatchStatus,
    pace=PACE,
    poll=poll,
    apply=apply,
    needs_archive=needs_archive,
    archive=archive_scenes,
    result_url=result_url,
    mirror=mirror,
    expected_seconds=expected_seconds,
    single_output=False,
    has_scenes=True,
)
