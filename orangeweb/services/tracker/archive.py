"""The tracker's archive downloads: one background task per finished job at a time, beside the
polling, under the same per-job lock (kept apart from the polling loop)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from sqlalchemy import Engine

from orangeweb.db import open_session
from orangeweb.models import Job
from orangeweb.services.media import archive
from orangeweb.services.tracker.apply import archive_job, fresh_job, needs_archive

logger = logging.getLogger(__name__)


class ArchiveTasks:
    """Schedules and runs archive downloads; `lock_for(job_id)` is the tracker's job lock and
    `publish` announces a job whose outputs were stored."""

    def __init__(
        self,
        *,
        engine: Engine | None,
        data_dir: Path | None,
        lock_for: Callable[[int], asyncio.Lock],
        publish: Callable[[Job], Awaitable[None]],
    ) -> None:
        self._engine = engine
        self._data_dir = data_dir
        self._lock_for = lock_for
        self._publish = publish
        self._running: dict[int, asyncio.Task[None]] = {}
        self._http: httpx.AsyncClient | None = None

    def open(self) -> None:
        if self._http is None:
            self._http = httpx.AsyncClient(follow_redirects=False, timeout=archive.DOWNLOAD_TIMEOUT)

    async def close(self) -> None:
        """Cancel running downloads and close the HTTP client."""
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def schedule(self, job_id: int) -> None:
        running = self._running.get(job_id)
        if running is not None and not running.done():
            return
        task = asyncio.create_task(self._archive(job_id), name=f"archive-job-{job_id}")
        self._running[job_id] = task
        task.add_done_callback(lambda _: self._running.pop(job_id, None))

    async def idle(self) -> None:
        """Wait for running downloads (tests, shutdown)."""
        await asyncio.gather(*list(self._running.values()), return_exceptions=True)

    async def _archive(self, job_id: int) -> None:
        assert self._http is not None
        async with self._lock_for(job_id):
            with open_session(self._engine) as session:
                job = fresh_job(session, job_id)
                if job is None or not needs_archive(job):
                    return
                if not archive.archive_enabled(session, job.team_id):
                    return
                try:
                    stored = await archive_job(
                        session, job, self._http, archive.data_root(self._data_dir)
                    )
                except Exception:
                    logger.exception("job %s: archiving failed", job_id)
                    return
                if stored:
                    await self._publish(job)
