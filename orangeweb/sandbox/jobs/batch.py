"""Batch jobs: scenes in index order, each `queued -> processing -> completed | failed`.

The batch ends `completed` (every scene), `partial` (some failed) or `failed` (all failed);
the hold is settled to the completed scenes' cost and the callback, if any, is queued.
"""

from __future__ import annotations

import asyncio
import logging

from sqlmodel import col, select

from orangeweb.sandbox.credits import settle, voice_cost
from orangeweb.sandbox.engine import MediaError, VoiceProfile, synthesize
from orangeweb.sandbox.jobs.files import staged_output
from orangeweb.sandbox.jobs.status import advance
from orangeweb.sandbox.models import Batch, BatchScene, utc_now
from orangeweb.sandbox.runtime import InjectedJobFailure, JobKind, JobRef, SandboxRuntime

logger = logging.getLogger(__name__)
SCENE_FAILURE = "the sandbox hit an internal error while voicing this scene"


async def run(runtime: SandboxRuntime, batch_id: str) -> None:
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status not in ("queued", "processing"):
            return
        scene_ids = [
            scene.id
            for scene in session.exec(
                select(BatchScene)
                .where(BatchScene.batch_id == batch_id)
                .order_by(col(BatchScene.scene_index))
            ).all()
            if scene.status in ("queued", "processing") and scene.id is not None
        ]
    for scene_id in scene_ids:
        await _voice_scene(runtime, batch_id, scene_id)
    await finish(runtime, batch_id)


async def _voice_scene(runtime: SandboxRuntime, batch_id: str, scene_id: int) -> None:
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
        scene = session.get(BatchScene, scene_id)
        if batch is None or scene is None:
            return
        advance(batch, "processing")
        scene.status = "processing"
        session.add_all([batch, scene])
        session.commit()

    final = runtime.store.area("results", "batches", batch_id) / f"scene-{scene.scene_index}.mp3"
    profile = VoiceProfile.from_dict(scene.profile)
    error: str | None = None
    duration = 0.0
    try:
        await runtime.job_checkpoint(batch.key_id)
        with staged_output(final) as staging:
            duration = await asyncio.to_thread(synthesize, scene.text, profile, staging)
    except (MediaError, InjectedJobFailure) as media_error:
        error = str(media_error)
    except Exception:
        # One bad scene must not sink the others: record it and go on.
        logger.exception("sandbox batch %s scene %s failed", batch_id, scene.scene_index)
        error = SCENE_FAILURE

    with runtime.store.session() as session:
        scene = session.get(BatchScene, scene_id)
        if scene is None:
            return
        if error is None:
            scene.status = "completed"
            scene.audio_path = runtime.store.relative(final)
            scene.duration = duration
            scene.cost = voice_cost(duration, 1)
        else:
            scene.status = "failed"
            scene.error = error
            scene.cost = 0
        session.add(scene)
        session.commit()


async def finish(runtime: SandboxRuntime, batch_id: str, failure: str | None = None) -> None:
    """Close the batch: fail unfinished scenes (with `failure`), settle, queue the callback."""
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
        if batch is None or batch.status not in ("queued", "processing"):
            return
        scenes = session.exec(select(BatchScene).where(BatchScene.batch_id == batch_id)).all()
        for scene in scenes:
            if scene.status not in ("completed", "failed"):
                scene.status = "failed"
                scene.error = failure or SCENE_FAILURE
                scene.cost = 0
                session.add(scene)
        completed = [scene for scene in scenes if scene.status == "completed"]
        actual = sum(scene.cost or 0 for scene in completed)
        batch.cost = settle(session, batch.key_id, batch.held_credits, actual)
        batch.held_credits = 0
        batch.completed_at = utc_now()
        if len(completed) == len(scenes):
            advance(batch, "completed")
        elif completed:
            advance(batch, "partial")
        else:
            advance(batch, "failed")
        if batch.callback_url:
            batch.callback_status = "pending"
        session.add(batch)
        session.commit()
        has_callback = bool(batch.callback_url)
    if has_callback:
        runtime.enqueue(JobRef(JobKind.CALLBACK, batch_id))


async def fail(runtime: SandboxRuntime, batch_id: str, message: str) -> None:
    await finish(runtime, batch_id, failure=message)
