"""What the tracker expects of each unfinished job, and what a finished one teaches it.

For a job: when the service accepted it and its estimated seconds of output (`Timing`, read
once per job and kept while it runs), hence its window (`schedule.FinishPolicy.window`) from
the ratios its key has shown. For a finished job: its lifetime, from the answer's own
`createdAt`/`completedAt` where the API gives them (voice jobs), else the middle between the
last poll that found it running and the one that found it done, if those were close enough
to say. Kept in memory by the tracker that polls (`SpeedBook`); nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from orangeweb.models import Job, JobEvent, as_utc
from orangeweb.services.jobs.kinds import kind_of
from orangeweb.services.jobs.status import SUBMITTING
from orangeweb.services.tracker.schedule import FinishPolicy, SpeedBook, Window

# Timings kept at most (one per running job): a bound against rows that leave without a poll.
_MAX_TIMINGS = 10_000


@dataclass(frozen=True)
class Timing:
    accepted_at: datetime  # the job's first answer (the acceptance), else its row's creation
    work_seconds: float | None  # its estimated seconds of output; None: not timed by it


def accepted_at(session: Session, job: Job) -> datetime:
    """When the service accepted `job`: its first event after "submitting" (a submission that
    waited for its key's budget was accepted later than its row was written)."""
    first = session.exec(
        select(func.min(JobEvent.at)).where(
            col(JobEvent.job_id) == job.id, col(JobEvent.status) != SUBMITTING
        )
    ).one()
    created = as_utc(job.created_at)
    return max(created, as_utc(first)) if first is not None else created


def observed_lifetime(
    remote: Any, accepted: datetime, previous_poll: datetime | None, now: datetime
) -> float | None:
    """Seconds from acceptance to completion of a job just found final, or None if the polls
    cannot tell (the one before was too long ago, or there was none)."""
    created, completed = getattr(remote, "created_at", None), getattr(remote, "completed_at", None)
    if isinstance(created, datetime) and isinstance(completed, datetime):
        try:
            return (completed - created).total_seconds()  # the service's own clock, both ends
        except TypeError:  # one with a zone, one without: fall back on the polls
            pass
    if previous_poll is None:
        return None
    low = (as_utc(previous_poll) - accepted).total_seconds()
    high = (now - accepted).total_seconds()
    if high <= 0 or high - max(0.0, low) > high / 2:
        return None
    return (max(0.0, low) + high) / 2


class Expectations:
    """The finish schedule's memory: per job its `Timing`, per key and kind its speed."""

    def __init__(self, finish: FinishPolicy) -> None:
        self.finish = finish
        self.book = SpeedBook(finish.samples)
        self._timings: dict[int, Timing] = {}

    def timing(self, session: Session, job: Job) -> Timing:
        assert job.id is not None
        timing = self._timings.get(job.id)
        if timing is None:
            if len(self._timings) >= _MAX_TIMINGS:
                self._timings.clear()  # read again on demand: a cache, not a record
            work = kind_of(job.kind).expected_seconds(session, job)
            timing = Timing(accepted_at(session, job), work)
            self._timings[job.id] = timing
        return timing

    def age(self, session: Session, job: Job, now: datetime) -> float:
        return (now - self.timing(session, job).accepted_at).total_seconds()

    def window(self, session: Session, job: Job) -> Window | None:
        work = self.timing(session, job).work_seconds
        if work is None:
            return None  # no query for the key's ratios: nothing to scale them by
        return self.finish.window(self.book.ratios(job.api_key_id, job.kind), work)

    def learn(
        self, session: Session, job: Job, remote: Any, previous_poll: datetime | None, now: datetime
    ) -> bool:
        """Learn from `job`, just found to have succeeded; whether its key's speed was updated."""
        timing = self.timing(session, job)
        if timing.work_seconds is None:
            return False
        lifetime = observed_lifetime(remote, timing.accepted_at, previous_poll, now)
        if lifetime is None:
            return False
        return self.book.learn(job.api_key_id, job.kind, timing.work_seconds, lifetime)

    def forget(self, job_id: int | None) -> None:
        if job_id is not None:
            self._timings.pop(job_id, None)
