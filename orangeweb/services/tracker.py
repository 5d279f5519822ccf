"""The job tracker: one per deployment, polling the API for every unfinished job.

- **Lease.** Every worker runs a `Tracker` (`tracker_lifespan`); only the holder of the lease
  row (`tracker_lease`) polls. It renews the lease; if it dies, another takes over once the
  lease lapses, and resumes from the database.
- **Resume.** On taking the lease it turns rows stuck in "submitting" (the process died between
  row and POST) into "unknown", and polls every unfinished job again from its stored due time.
- **Adaptive polling** (`tracker_policy`): often while a job is young, seldom when it is long,
  backing off on errors and after `Retry-After`.
- **Rate budget.** Every request goes through the key's shared SDK budget and the key's
  sliding window (`pacing`), leaving a share to people. A busy key is postponed, never waited
  for, so one key's limit never delays another key's jobs.
- **Notices.** Every change is published (`notices`); pages listen, they never poll the API.
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
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine
from sqlmodel import Session, select

from orangeweb.db import open_session
from orangeweb.models import Job, utcnow
from orangeweb.orangeclone import (
    AuthError,
    NotFound,
    OrangeClone,
    OrangeCloneError,
    RateLimited,
    RetryPolicy,
    ServerError,
    TransportError,
)
from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock
from orangeweb.services import archive
from orangeweb.services import tracker_queries as queries
from orangeweb.services.api_keys import open_client_for_team
from orangeweb.services.errors import NotFoundError
from orangeweb.services.jobs_common import UNKNOWN, notice_for
from orangeweb.services.notices import NoticeBus, get_notice_bus
from orangeweb.services.pacing import SharedTransport, background_wait
from orangeweb.services.tracker_lease import hold_lease, release_lease
from orangeweb.services.tracker_policy import DEFAULT_POLICY, PollPolicy
from orangeweb.services.tracker_updates import (
    KEY_GONE_WORDS,
    LOST_WORDS,
    archive_job,
    fetch_and_apply,
    give_up,
    needs_archive,
)

logger = logging.getLogger(__name__)

LEASE_TTL_SECONDS = 30.0
IDLE_SECONDS = 2.0  # how often the database is checked for new jobs when nothing is due
STALE_SUBMISSION = timedelta(minutes=2)
DUE_BATCH = 100
NO_RETRIES = RetryPolicy(max_retries=0)  # the tracker reschedules; an SDK retry would wait


class _KeyPause(Exception):
    """Stop polling this key for `seconds` (rate limited, or the server is failing)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


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
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.polls_sent = 0
        self.is_leader = False
        self._engine = engine
        self._bus = bus
        self._now = now
        self._clock = clock
        self._policy = policy
        self._lease_ttl = lease_ttl
        self._idle = idle_seconds
        self._stale_submission = stale_submission
        self._data_dir = data_dir
        self._renew_at = 0.0  # monotonic time of the next lease renewal
        self._urgent: set[int] = set()
        self._key_ready: dict[int, float] = {}
        self._key_errors: dict[int, int] = {}
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()
        self._archiving: dict[int, asyncio.Task[None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake_event: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._http: httpx.AsyncClient | None = None
        self._api_transport: httpx.AsyncHTTPTransport | None = None

    # -- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self._open()
        self._task = asyncio.create_task(self._run(), name="orangeweb-job-tracker")
        _running.append(self)

    def _open(self) -> None:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
            self._wake_event = asyncio.Event()
            self._http = httpx.AsyncClient(follow_redirects=False, timeout=archive.DOWNLOAD_TIMEOUT)
            self._api_transport = httpx.AsyncHTTPTransport()

    async def stop(self, *, release: bool = True) -> None:
        """Stop polling; `release=False` keeps the lease until it lapses (like a crash)."""
        if self in _running:
            _running.remove(self)
        tasks = [task for task in (self._task, *self._archiving.values()) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None
        if self._http is not None:
            await self._http.aclose()
        if self._api_transport is not None:
            await self._api_transport.aclose()
        if release and self.is_leader:
            with open_session(self._engine) as session:
                release_lease(session, self.holder)
        self.is_leader = False
        self._loop = self._wake_event = self._http = self._api_transport = None

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

    # -- one pass ------------------------------------------------------------------------

    async def run_once(self) -> float:
        """Renew the lease, poll what is due; returns the seconds until the next pass."""
        self._open()
        if not await self._hold_lease():
            return max(0.05, min(self._lease_ttl / 3, self._idle))
        now, mono = self._now(), self._clock.monotonic()
        groups: dict[tuple[int, int], list[int]] = {}
        for job_id, team_id, api_key_id in self._due_jobs(now):
            groups.setdefault((team_id, api_key_id), []).append(job_id)
        await asyncio.gather(
            *(
                self._poll_key(team_id, api_key_id, job_ids)
                for (team_id, api_key_id), job_ids in groups.items()
                if self._key_ready.get(api_key_id, 0.0) <= mono
            )
        )
        return self._next_delay()

    async def _hold_lease(self) -> bool:
        mono = self._clock.monotonic()
        if self.is_leader and mono < self._renew_at:
            return True
        with open_session(self._engine) as session:
            held = hold_lease(session, self.holder, self._now(), timedelta(seconds=self._lease_ttl))
        if not held:
            if self.is_leader:
                logger.warning("job tracker %s lost its lease", self.holder)
            self.is_leader = False
            return False
        self._renew_at = mono + self._lease_ttl / 3
        if not self.is_leader:
            self.is_leader = True
            logger.info("job tracker %s holds the lease; resuming", self.holder)
            await self._resume()
        return True

    def _still_leader(self) -> bool:
        # A renewal is due every third of the lease; two thirds late means it may have lapsed.
        return self.is_leader and self._clock.monotonic() < self._renew_at + self._lease_ttl / 3

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
        delay = min(delay, self._renew_at - mono)
        return max(0.02, delay)

    # -- polling -------------------------------------------------------------------------

    async def _poll_key(self, team_id: int, api_key_id: int, job_ids: list[int]) -> None:
        assert self._api_transport is not None
        with open_session(self._engine) as session:
            try:
                async with open_client_for_team(
                    session,
                    team_id,
                    api_key_id,
                    client_options={
                        "retry": NO_RETRIES,
                        "transport": SharedTransport(self._api_transport),
                    },
                ) as client:
                    for job_id in job_ids:
                        if not self._still_leader():
                            return
                        wait = background_wait(client)
                        if wait > 0:  # postpone, never wait: other keys go on meanwhile
                            self._key_ready[api_key_id] = self._clock.monotonic() + wait
                            return
                        async with self._lock(job_id):
                            await self._poll_job(session, client, api_key_id, job_id)
            except _KeyPause as pause:
                self._key_ready[api_key_id] = self._clock.monotonic() + pause.seconds
            except NotFoundError:
                await self._give_up(session, job_ids, KEY_GONE_WORDS)

    def _lock(self, job_id: int) -> asyncio.Lock:
        lock = self._locks.get(job_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[job_id] = lock
        return lock

    def _fresh(self, session: Session, job_id: int) -> Job | None:
        # Another session (the archive task, a route) may have changed it meanwhile.
        return session.exec(
            select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
        ).first()

    async def _poll_job(
        self, session: Session, client: OrangeClone, api_key_id: int, job_id: int
    ) -> None:
        job = self._fresh(session, job_id)
        if job is None or job.is_final or not job.remote_id:
            return
        now = self._now()
        age = (now - job.created_at).total_seconds()
        self.polls_sent += 1
        try:
            changed = await fetch_and_apply(session, client, job, job.remote_id)
        except RateLimited as error:
            wait = error.retry_after if error.retry_after is not None else 60.0
            delay = self._policy.interval(job.kind, job.status, age, retry_after=wait)
            job.next_poll_at = now + timedelta(seconds=delay)
            session.commit()
            raise _KeyPause(wait) from None
        except NotFound:
            give_up(session, job, "failed", LOST_WORDS)
            await self._publish(job)
            return
        except OrangeCloneError as error:
            job.error_streak += 1
            key_streak = self._key_errors[api_key_id] = self._key_errors.get(api_key_id, 0) + 1
            delay = self._policy.interval(
                job.kind, job.status, age, job.error_streak, error.retry_after
            )
            job.next_poll_at = now + timedelta(seconds=delay)
            job.last_polled_at = now
            session.commit()
            logger.warning("job %s: status check failed (%s); next in %.0f s", job.id, error, delay)
            if isinstance(error, ServerError | TransportError | AuthError):
                # The server or the key is the problem: back off the whole key, not one job.
                raise _KeyPause(max(self._policy.backoff(key_streak), 1.0)) from None
            return
        self._key_errors.pop(api_key_id, None)
        job.error_streak = 0
        job.poll_count += 1
        job.last_polled_at = now
        interval = self._policy.interval(job.kind, job.status, age)
        job.next_poll_at = None if job.is_final else now + timedelta(seconds=interval)
        session.commit()
        if changed:
            logger.info("job %s is %s", job.id, job.status)
            await self._publish(job)
        if needs_archive(job) and archive.archive_enabled(session, job.team_id):
            self._schedule_archive(job_id)

    async def _publish(self, job: Job) -> None:
        await (self._bus or get_notice_bus()).publish(notice_for(job))

    async def _give_up(self, session: Session, job_ids: list[int], words: str) -> None:
        for job_id in job_ids:
            job = self._fresh(session, job_id)
            if job is None or job.is_final:
                continue
            give_up(session, job, UNKNOWN, words)
            await self._publish(job)

    # -- resume and archive ----------------------------------------------------------------

    async def _resume(self) -> None:
        with open_session(self._engine) as session:
            stuck, unarchived = queries.sweep_after_restart(
                session, self._now(), self._stale_submission
            )
            for job in stuck:
                await self._publish(job)
            for job_id in unarchived:
                job = session.get(Job, job_id)
                if job is not None and archive.archive_enabled(session, job.team_id):
                    self._schedule_archive(job_id)

    def _schedule_archive(self, job_id: int) -> None:
        running = self._archiving.get(job_id)
        if running is not None and not running.done():
            return
        task = asyncio.create_task(self._archive(job_id), name=f"archive-job-{job_id}")
        self._archiving[job_id] = task
        task.add_done_callback(lambda _: self._archiving.pop(job_id, None))

    async def _archive(self, job_id: int) -> None:
        assert self._http is not None
        async with self._lock(job_id):
            with open_session(self._engine) as session:
                job = self._fresh(session, job_id)
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

    async def idle(self) -> None:
        """Wait for running archive downloads (tests, shutdown)."""
        await asyncio.gather(*list(self._archiving.values()), return_exceptions=True)


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
    tracker = Tracker()
    await tracker.start()
    try:
        yield
    finally:
        await tracker.stop()
