"""The job tracker: one per deployment, polling the API for every unfinished job.

- **Lease.** Every worker runs a `Tracker` (`tracker_lifespan`); only the holder of the lease
  row (`lease`) polls. A task of its own renews the lease (so a slow polling pass never
  lets it lapse); if the holder dies, another takes over once the lease lapses (within 8 s),
  and resumes from the database.
- **Stuck submissions.** On every pass where one is due, rows left in "submitting" for longer
  than the stale window (the process died around the POST) are settled: "failed" if the row
  says its request never left, else "unknown" (`queries.sweep_stale_submissions`).
- **Polls timed by the finish** (`polling`, `schedule`, `expect`, `lineup`): where the job's
  estimated seconds and its key's learned speed tell when it should finish, polls gather
  around that moment; one job per burst is asked about, the younger ones of its key wait
  behind it. Otherwise by age (`policy`): often while a job is young, seldom when it is long.
  Errors back off, and `Retry-After` is honoured.
- **Rate budget.** Every request goes through the key's shared SDK budget and the key's
  sliding window (`pacing`), leaving a share to people. A busy key is postponed, never waited
  for, so one key's limit never delays another key's jobs.
- **Notices.** Every change is published (`jobs.notices`); pages listen, they never poll the API.
- **Archive.** Finished outputs are copied into the team's archive unless the team said no.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine

from orangeweb.db import open_session
from orangeweb.models import Job, utcnow
from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock
from orangeweb.services.jobs.notices import NoticeBus, get_notice_bus
from orangeweb.services.jobs.status import notice_for
from orangeweb.services.media import archive
from orangeweb.services.tracker import queries
from orangeweb.services.tracker.archive import ArchiveTasks
from orangeweb.services.tracker.lease import LEASE_TTL_SECONDS, LeaseKeeper
from orangeweb.services.tracker.policy import (
    DEFAULT_POLICY,
    STALE_SUBMISSION,
    PollPolicy,
    stale_submission_window,
)
from orangeweb.services.tracker.polling import Poller

logger = logging.getLogger(__name__)

IDLE_SECONDS = 2.0  # how often the database is checked for new jobs when nothing is due
_LONG_AGO = datetime(1970, 1, 1, tzinfo=UTC)
DUE_BATCH = 100


class Tracker:
    """Polls due jobs while it holds the lease. `now` (wall, for rows) and `clock` (monotonic,
    for key pauses) are injectable; `polls_sent` counts the API requests it made."""

    def __init__(
        self,
        *,
        engine: Engine | None = None,
        bus: NoticeBus | None = None,
        holder: str | None = None,
        now: Callable[[], datetime] = utcnow,
        clock: Clock = SYSTEM_CLOCK,
        policy: PollPolicy = DEFAULT_POLICY,
        lease_ttl: float = LEASE_TTL_SECONDS,
        idle_seconds: float = IDLE_SECONDS,
        stale_submission: timedelta = STALE_SUBMISSION,
        data_dir: Path | None = None,
    ) -> None:
        # host:pid:random, so an operator (or a test) can tell which process polls.
        self.holder = holder or f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
        self._lease = LeaseKeeper(self.holder, ttl=lease_ttl, now=now, clock=clock, engine=engine)
        self._engine = engine
        self._bus = bus
        self._now = now
        self._clock = clock
        self._policy = policy
        self._idle = idle_seconds
        self._stale_submission = stale_submission
        self._data_dir = data_dir
        self._resume_due = False  # set on taking the lease, done by the next pass
        self._sweep_at = _LONG_AGO  # wall: when the next "submitting" row turns stale
        self._urgent: set[int] = set()
        self._key_ready: dict[int, float] = {}
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._archives = ArchiveTasks(
            engine=engine, data_dir=data_dir, lock_for=self._lock, publish=self._publish
        )
        self._poller = Poller(
            engine=engine,
            now=now,
            clock=clock,
            policy=policy,
            key_ready=self._key_ready,
            may_poll=self._lease.may_poll,
            lock_for=self._lock,
            publish=self._publish,
            archive_later=self._archives.schedule,
            requeue=self.wake,
        )
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake_event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._lease_task: asyncio.Task[None] | None = None
        self._api_transport: httpx.AsyncHTTPTransport | None = None

    # -- life cycle ----------------------------------------------------------------------

    @property
    def is_leader(self) -> bool:
        return self._lease.is_leader

    async def start(self) -> None:
        self._open()
        self._task = asyncio.create_task(self._run(), name="orangeweb-job-tracker")
        self._lease_task = asyncio.create_task(self._keep_lease(), name="orangeweb-job-lease")
        _running.append(self)

    def _open(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._wake_event = asyncio.Event()
            self._api_transport = httpx.AsyncHTTPTransport()
        self._archives.open()

    async def stop(self, *, release: bool = True) -> None:
        """Stop polling; `release=False` keeps the lease until it lapses (like a crash)."""
        if self in _running:
            _running.remove(self)
        tasks = [task for task in (self._task, self._lease_task) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = self._lease_task = None
        await self._archives.close()
        if self._api_transport is not None:
            await self._api_transport.aclose()
        self._lease.stop(release=release)
        self._loop = self._wake_event = self._api_transport = None

    def wake(self, job_id: int | None = None) -> None:
        """Poll now (`job_id`: that job first, even if it is not due yet). Any thread."""
        if job_id is not None:
            self._urgent.add(job_id)
        loop, event = self._loop, self._wake_event
        if loop is None or event is None or loop.is_closed():
            return
        try:
            running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    async def _run(self) -> None:
        while True:
            try:
                delay = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("job tracker pass failed")
                delay = self._idle
            assert self._wake_event is not None
            if not self._wake_event.is_set():
                with suppress(TimeoutError):
                    await asyncio.wait_for(self._wake_event.wait(), timeout=delay)
            self._wake_event.clear()

    async def _keep_lease(self) -> None:
        """Renew the lease (or try to take it) on its own timer; wake the pass on taking it."""
        while True:
            try:
                self._renew_lease()
                wait = self._lease.due_in()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("job tracker: lease renewal failed")
                wait = self._lease.interval  # the database may be down: not a busy loop
            await self._clock.sleep(max(0.05, wait))

    def _renew_lease(self) -> bool:
        """Renew or take the lease if due; whether this tracker holds it."""
        if self._lease.keep():
            logger.info("job tracker %s holds the lease; resuming", self.holder)
            self._resume_due = True
            self.wake()
        return self._lease.is_leader

    # -- one pass ------------------------------------------------------------------------

    async def run_once(self) -> float:
        """Renew the lease if due, settle stale submissions, poll what is due; returns the
        seconds until the next pass."""
        self._open()
        if not self._renew_lease():
            return max(0.05, min(self._lease.due_in(), self._idle))
        if self._resume_due:
            self._resume_due = False
            await self._resume()
        if self._now() >= self._sweep_at:
            await self._sweep_stale_submissions()
        now, mono = self._now(), self._clock.monotonic()
        groups: dict[tuple[int, int], list[int]] = {}
        urgent = set(self._urgent)
        for job_id, team_id, api_key_id in self._due_jobs(now):
            groups.setdefault((team_id, api_key_id), []).append(job_id)
        await asyncio.gather(
            *(
                self._poll_key(team_id, api_key_id, job_ids, urgent)
                for (team_id, api_key_id), job_ids in groups.items()
                if self._key_ready.get(api_key_id, 0.0) <= mono
            )
        )
        return self._next_delay()

    def _due_jobs(self, now: datetime) -> list[tuple[int, int, int]]:
        urgent, self._urgent = self._urgent, set()
        with open_session(self._engine) as session:
            return queries.due_jobs(session, now, urgent, DUE_BATCH)

    def _next_delay(self) -> float:
        now, mono = self._now(), self._clock.monotonic()
        with open_session(self._engine) as session:
            due_by_key = queries.next_due_by_key(session)
        delay = 0.0 if self._urgent else self._idle
        for api_key_id, due_at in due_by_key.items():
            due_in = (due_at - now).total_seconds() if due_at is not None else 0.0
            delay = min(delay, max(due_in, self._key_ready.get(api_key_id, 0.0) - mono))
        delay = min(delay, self._lease.due_in(), (self._sweep_at - now).total_seconds())
        return max(0.02, delay)

    # -- polling -------------------------------------------------------------------------

    @property
    def polls_sent(self) -> int:
        return self._poller.polls_sent

    async def _poll_key(
        self, team_id: int, api_key_id: int, job_ids: list[int], urgent: set[int]
    ) -> None:
        assert self._api_transport is not None
        await self._poller.poll_key(self._api_transport, team_id, api_key_id, job_ids, urgent)

    def _lock(self, job_id: int) -> asyncio.Lock:
        lock = self._locks.get(job_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[job_id] = lock
        return lock

    async def _publish(self, job: Job) -> None:
        await (self._bus or get_notice_bus()).publish(notice_for(job))

    # -- resume and archive ----------------------------------------------------------------

    async def _resume(self) -> None:
        """On taking the lease: every unfinished job is due, stale submissions are settled at
        once, unarchived outputs are fetched again."""
        self._sweep_at = _LONG_AGO
        with open_session(self._engine) as session:
            unarchived = queries.resume_after_takeover(session, self._now())
            for job_id in unarchived:
                job = session.get(Job, job_id)
                if job is not None and archive.archive_enabled(session, job.team_id):
                    self._archives.schedule(job_id)

    async def _sweep_stale_submissions(self) -> None:
        with open_session(self._engine) as session:
            sweep = queries.sweep_stale_submissions(session, self._now(), self._stale_submission)
            for job in sweep.settled:
                logger.warning("job %s: submission cut short; now %s", job.id, job.status)
                await self._publish(job)
        self._sweep_at = sweep.next_due

    async def idle(self) -> None:
        """Wait for running archive downloads (tests, shutdown)."""
        await self._archives.idle()


_running: list[Tracker] = []  # the tracker started last in this process (wake() calls it)


def current_tracker() -> Tracker | None:
    return _running[-1] if _running else None


def wake(job_id: int | None = None) -> None:
    """Ask this process's tracker to poll now; a no-op where none runs (another worker's
    tracker finds new and woken jobs in the database on its next pass)."""
    tracker = current_tracker()
    if tracker is not None:
        tracker.wake(job_id)


@asynccontextmanager
async def tracker_lifespan() -> AsyncIterator[None]:
    """The app's lifespan task: a tracker runs (and competes for the lease) while it serves."""
    tracker = Tracker(stale_submission=stale_submission_window())
    await tracker.start()
    try:
        yield
    finally:
        await tracker.stop()
