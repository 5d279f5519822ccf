"""The tracker's polls: one key's due jobs, one status request each, and when to ask next.

Per key, in one pass: each due job gets one request if the key's budget lets it go now
(`pacing`: otherwise the key is postponed, never waited for). The next poll follows the policy:
around the job's expected finish where the tracker can tell it (`schedule`, `expect`), else by
its age. Then the younger jobs of the key are lined up behind it (`lineup`); one lined up during
this pass is skipped. A poll the finish schedule calls optional is skipped, not postponed, while
the key's minute is more than `reserve_share` spent. Errors back off the job, and the whole key
when the server or the key is at fault.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.db import open_session
from orangeweb.models import Job, as_utc
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
from orangeweb.orangeclone.clock import Clock
from orangeweb.services.errors import NotFoundError
from orangeweb.services.jobs.kinds import kind_of
from orangeweb.services.jobs.status import UNKNOWN
from orangeweb.services.keys.store import open_client_for_team
from orangeweb.services.media import archive
from orangeweb.services.tracker.apply import (
    KEY_GONE_WORDS,
    LOST_WORDS,
    fetch_and_apply,
    fresh_job,
    give_up,
    needs_archive,
)
from orangeweb.services.tracker.expect import Expectations
from orangeweb.services.tracker.lineup import line_up
from orangeweb.services.tracker.pacing import SharedTransport, background_wait
from orangeweb.services.tracker.policy import PollPolicy
from orangeweb.services.tracker.schedule import Window

logger = logging.getLogger(__name__)

NO_RETRIES = RetryPolicy(max_retries=0)  # the tracker reschedules; an SDK retry would wait


class KeyPause(Exception):
    """Stop polling this key for `seconds` (rate limited, or the server is failing)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Poller:
    """Polls due jobs for the `Tracker`: `key_ready` (monotonic, per key) is shared with it,
        `may_poll` says whether the lease is still certainly held, `lock_for` gives a job's lock,
        `publish` announces a job, `archive_later` schedules its download, `requeue` wakes a job
    again. `polls_sent` counts requests."""

    def __init__(
        self,
        *,
        engine: Engine | None,
        now: Callable[[], datetime],
        clock: Clock,
        policy: PollPolicy,
        key_ready: dict[int, float],
        may_poll: Callable[[], bool],
        lock_for: Callable[[int], asyncio.Lock],
        publish: Callable[[Job], Awaitable[None]],
        archive_later: Callable[[int], None],
        requeue: Callable[[int], None],
    ) -> None:
        self.polls_sent = 0
        self._engine = engine
        self._now = now
        self._clock = clock
        self._policy = policy
        self._key_ready = key_ready
        self._key_errors: dict[int, int] = {}
        self._may_poll = may_poll
        self._lock_for = lock_for
        self._publish = publish
        self._archive_later = archive_later
        self._requeue = requeue
        self.expect = Expectations(policy.finish) if policy.finish is not None else None

    async def poll_key(
        self,
        transport: httpx.AsyncBaseTransport,
        team_id: int,
        api_key_id: int,
        job_ids: list[int],
        urgent: set[int],
    ) -> None:
        """Poll `job_ids` of one key in order (`urgent` ones even if not due)."""
        with open_session(self._engine) as session:
            try:
                async with open_client_for_team(
                    session,
                    team_id,
                    api_key_id,
                    client_options={"retry": NO_RETRIES, "transport": SharedTransport(transport)},
                ) as client:
                    for number, job_id in enumerate(job_ids):
                        if not self._may_poll():
                            # A pause (a GC, a slow open) outlived the renewal: a woken job is
                            # asked about on the next pass, not only when it falls due.
                            for waiting in job_ids[number:]:
                                if waiting in urgent:
                                    self._requeue(waiting)
                            return
                        async with self._lock_for(job_id):
                            sent = await self._poll_job(
                                session, client, api_key_id, job_id, job_id in urgent
                            )
                        if not sent:
                            return  # postponed: the key's share of the minute is spent
            except KeyPause as pause:
                self._key_ready[api_key_id] = self._clock.monotonic() + pause.seconds
            except NotFoundError:
                await self._give_up(session, job_ids, KEY_GONE_WORDS)

    def _timing(self, session: Session, job: Job, now: datetime) -> tuple[Window | None, float]:
        """The job's window (None: by age alone) and its age in the window's terms."""
        age = (now - as_utc(job.created_at)).total_seconds()
        if self.expect is None or kind_of(job.kind).rests(job.status):
            return None, age
        window = self.expect.window(session, job)
        return window, (self.expect.age(session, job, now) if window is not None else age)

    def _next_interval(
        self, job: Job, window: Window | None, age: float, age_created: float
    ) -> float:
        finish = self._policy.finish
        if finish is None or window is None or kind_of(job.kind).rests(job.status):
            return self._policy.interval(job.kind, job.status, age_created)
        return finish.delay(window, age, self._policy.pace(job.kind))

    async def _poll_job(
        self, session: Session, client: OrangeClone, api_key_id: int, job_id: int, urgent: bool
    ) -> bool:
        """One job's poll; False when the key's budget postponed it (and the key)."""
        job = fresh_job(session, job_id)
        if job is None or job.is_final or not job.remote_id:
            return True
        now = self._now()
        if not urgent and job.next_poll_at is not None and as_utc(job.next_poll_at) > now:
            return True  # lined up behind an older job of its key during this pass
        wait = background_wait(client)
        if wait > 0:  # postpone, never wait: other keys go on meanwhile
            self._key_ready[api_key_id] = self._clock.monotonic() + wait
            return False
        window, age = self._timing(session, job, now)
        age_created = (now - as_utc(job.created_at)).total_seconds()
        finish = self._policy.finish
        if (
            finish is not None
            and not urgent
            and finish.is_optional(window, age)
            and background_wait(client, finish.reserve_share) > 0
        ):
            delay = self._next_interval(job, window, age, age_created)
            job.next_poll_at = now + timedelta(seconds=delay)
            session.commit()
            return True  # skipped: the key's minute is kept for the finish
        await self._send(session, client, api_key_id, job, now, window, age)
        return True

    async def _send(
        self,
        session: Session,
        client: OrangeClone,
        api_key_id: int,
        job: Job,
        now: datetime,
        window: Window | None,
        age: float,
    ) -> None:
        assert job.remote_id is not None and job.id is not None
        age_created = (now - as_utc(job.created_at)).total_seconds()
        previous_poll = job.last_polled_at
        self.polls_sent += 1
        try:
            changed, remote = await fetch_and_apply(session, client, job, job.remote_id)
        except RateLimited as error:
            wait = error.retry_after if error.retry_after is not None else 60.0
            delay = self._policy.interval(job.kind, job.status, age_created, retry_after=wait)
            job.next_poll_at = now + timedelta(seconds=delay)
            session.commit()
            raise KeyPause(wait) from None
        except NotFound:
            give_up(session, job, "failed", LOST_WORDS)
            await self._publish(job)
            return
        except OrangeCloneError as error:
            job.error_streak += 1
            key_streak = self._key_errors[api_key_id] = self._key_errors.get(api_key_id, 0) + 1
            delay = self._policy.interval(
                job.kind, job.status, age_created, job.error_streak, error.retry_after
            )
            job.next_poll_at = now + timedelta(seconds=delay)
            job.last_polled_at = now
            session.commit()
            logger.warning("job %s: status check failed (%s); next in %.0f s", job.id, error, delay)
            if isinstance(error, ServerError | TransportError | AuthError):
                # The server or the key is the problem: back off the whole key, not one job.
                raise KeyPause(max(self._policy.backoff(key_streak), 1.0)) from None
            return
        self._key_errors.pop(api_key_id, None)
        job.error_streak = 0
        job.poll_count += 1
        job.last_polled_at = now
        if job.is_final:
            job.next_poll_at = None
            if self.expect is not None and job.succeeded:
                self.expect.learn(session, job, remote, previous_poll, now)
        else:
            delay = self._next_interval(job, window, age, age_created)
            job.next_poll_at = now + timedelta(seconds=delay)
        session.commit()
        if self.expect is not None:
            line_up(session, job, self.expect, self._policy.pace(job.kind), now)
            if job.is_final:
                self.expect.forget(job.id)
        if changed:
            logger.info("job %s is %s", job.id, job.status)
            await self._publish(job)
        if needs_archive(job) and archive.archive_enabled(session, job.team_id):
            self._archive_later(job.id)

    async def _give_up(self, session: Session, job_ids: list[int], words: str) -> None:
        for job_id in job_ids:
            job = fresh_job(session, job_id)
            if job is None or job.is_final:
                continue
            give_up(session, job, UNKNOWN, words)
            await self._publish(job)
