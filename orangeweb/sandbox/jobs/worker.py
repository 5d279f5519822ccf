"""The job worker: asyncio tasks draining one queue, resuming unfinished jobs on start.

Engine calls are synchronous and CPU-bound, so handlers run them with asyncio.to_thread. A
stop cancels the tasks; a job cut short keeps its running status in the database and is run
again by the next start (outputs are written under fresh names and renamed into place, so a
late thread of the old run cannot corrupt the new one).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlmodel import col, select

from orangeweb.sandbox.engine import MediaError
from orangeweb.sandbox.jobs import batch, callback, dubbing, voice
from orangeweb.sandbox.models import Batch, DubbingJob, VoiceJob
from orangeweb.sandbox.runtime import InjectedJobFailure, JobKind, JobRef, SandboxRuntime
from orangeweb.sandbox.store import Store

logger = logging.getLogger(__name__)

Run = Callable[[SandboxRuntime, str], Awaitable[None]]
Fail = Callable[[SandboxRuntime, str, str], Awaitable[None]]

HANDLERS: dict[JobKind, tuple[Run, Fail]] = {
    JobKind.VOICE: (voice.run, voice.fail),
    JobKind.BATCH: (batch.run, batch.fail),
    JobKind.CALLBACK: (callback.run, callback.fail),
    JobKind.TRANSCRIBE: (dubbing.run_transcription, dubbing.fail),
    JobKind.TRANSLATE: (dubbing.run_translation, dubbing.fail),
    JobKind.CLONE: (dubbing.run_clone, dubbing.fail),
}
_DUBBING_STEPS = {
    "transcribing": JobKind.TRANSCRIBE,
    "translating": JobKind.TRANSLATE,
    "cloning": JobKind.CLONE,
}
GENERIC_FAILURE = "the sandbox hit an internal error while processing this job"


class JobWorker:
    def __init__(self, runtime: SandboxRuntime) -> None:
        self.runtime = runtime
        self._queue: asyncio.Queue[JobRef] = asyncio.Queue()
        self._waiting: set[JobRef] = set()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        self.runtime.attach_worker(self)
        for ref in unfinished_jobs(self.runtime.store):
            self.enqueue(ref)
        self._tasks = [
            asyncio.create_task(self._work(), name=f"sandbox-worker-{number}")
            for number in range(self.runtime.config.worker_count)
        ]

    async def stop(self) -> None:
        self.runtime.detach_worker()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    def enqueue(self, ref: JobRef) -> None:
        if ref in self._waiting:
            return
        self._waiting.add(ref)
        self._queue.put_nowait(ref)

    async def _work(self) -> None:
        while True:
            ref = await self._queue.get()
            self._waiting.discard(ref)
            await self._process(ref)

    async def _process(self, ref: JobRef) -> None:
        run, fail = HANDLERS[ref.kind]
        try:
            await run(self.runtime, ref.id)
        except (MediaError, InjectedJobFailure) as error:
            await fail(self.runtime, ref.id, str(error))
        except Exception:
            logger.exception("sandbox %s job %s failed", ref.kind, ref.id)
            await fail(self.runtime, ref.id, GENERIC_FAILURE)


def unfinished_jobs(store: Store) -> list[JobRef]:
    """Every job a previous run accepted or started and did not finish, oldest first."""
    refs: list[JobRef] = []
    with store.session() as session:
        voice_jobs = session.exec(
            select(VoiceJob)
            .where(col(VoiceJob.status).in_(["queued", "processing"]))
            .order_by(col(VoiceJob.created_at))
        ).all()
        refs += [JobRef(JobKind.VOICE, job.id) for job in voice_jobs]
        batches = session.exec(select(Batch).order_by(col(Batch.created_at))).all()
        for row in batches:
            if row.status in ("queued", "processing"):
                refs.append(JobRef(JobKind.BATCH, row.id))
            elif row.callback_status == "pending":
                refs.append(JobRef(JobKind.CALLBACK, row.id))
        dubbing_jobs = session.exec(
            select(DubbingJob)
            .where(col(DubbingJob.status).in_(list(_DUBBING_STEPS)))
            .order_by(col(DubbingJob.created_at))
        ).all()
        refs += [JobRef(_DUBBING_STEPS[job.status], job.id) for job in dubbing_jobs]
    return refs
