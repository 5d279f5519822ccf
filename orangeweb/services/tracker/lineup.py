"""Queue position: one key's jobs of one kind are served roughly in the order they were sent.

So after a poll of a job, the younger jobs of its key and kind are lined up behind it:

- found **running**: a younger job not expected to finish sooner (its window opens no earlier,
  or, nothing learned yet, it has no less to say) is not asked about before this one is asked
  again. One job of a burst is polled near the finish, not all of them. Bounds: never later than
  the younger job's own window closes, nor than its kind's longest interval after its last poll
  (an older job stuck for good delays the others that long at most); each job's first poll is
  its own, so every job is seen by the service once.
- found **final**: the younger ones whose window has come are due at once: what finishes
  together is noticed together, one request each.

The tracker's polls skip a job lined up this way within the same pass (`polling`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from orangeweb.models import Job, as_utc
from orangeweb.services.jobs.kinds import Pace
from orangeweb.services.tracker.expect import Expectations
from orangeweb.services.tracker.queries import pollable
from orangeweb.services.tracker.schedule import Window

YOUNGER_LIMIT = 50  # younger jobs considered per poll: the head of the queue is what matters
# Nothing learned yet: a younger job with at least this share of the older's seconds is not
# expected to finish before it.
COLD_SHARE = 0.9


def younger_jobs(session: Session, job: Job) -> list[Job]:
    """The unfinished jobs of `job`'s key and kind sent after it, oldest first."""
    return list(
        session.exec(
            select(Job)
            .where(
                *pollable(),
                col(Job.api_key_id) == job.api_key_id,
                col(Job.kind) == job.kind,
                col(Job.id) > job.id,
            )
            .order_by(col(Job.id))
            .limit(YOUNGER_LIMIT)
            .execution_options(populate_existing=True)  # as the database has them now
        ).all()
    )


def line_up(
    session: Session, job: Job, expect: Expectations, pace: Pace, now: datetime
) -> list[int]:
    """Reschedule the younger jobs of `job`'s key and kind after its poll (see the module);
    returns the ids changed. Commits."""
    younger = younger_jobs(session, job)
    if not younger:
        return []
    if job.is_final:
        changed = _call_younger(session, younger, expect, now)
    elif job.next_poll_at is not None:
        changed = _defer_younger(session, job, younger, expect, pace, as_utc(job.next_poll_at))
    else:
        changed = []
    if changed:
        session.commit()
    return changed


def _call_younger(
    session: Session, younger: list[Job], expect: Expectations, now: datetime
) -> list[int]:
    changed: list[int] = []
    for other in younger:
        window = expect.window(session, other)
        due = other.next_poll_at is not None and as_utc(other.next_poll_at) <= now
        if window is None or due:
            continue
        if expect.age(session, other, now) + window.step >= window.opens:
            other.next_poll_at = now
            changed.append(_id(other))
    return changed


def _opens_at(expect: Expectations, session: Session, job: Job, window: Window) -> datetime:
    return expect.timing(session, job).accepted_at + timedelta(seconds=window.opens)


def _not_sooner(session: Session, older: Job, other: Job, expect: Expectations) -> bool:
    """Whether `other` (younger) is expected to finish no sooner than `older`."""
    mine, theirs = expect.window(session, older), expect.window(session, other)
    if mine is not None and theirs is not None:
        return _opens_at(expect, session, other, theirs) >= _opens_at(
            expect, session, older, mine
        ) - timedelta(seconds=mine.step)
    if mine is not None or theirs is not None:
        return False  # one timed, one not: no common measure
    work, other_work = (expect.timing(session, j).work_seconds for j in (older, other))
    return work is not None and other_work is not None and other_work >= COLD_SHARE * work


def _defer_younger(
    session: Session,
    job: Job,
    younger: list[Job],
    expect: Expectations,
    pace: Pace,
    until: datetime,
) -> list[int]:
    changed: list[int] = []
    for other in younger:
        if other.poll_count < 1 or other.next_poll_at is None or other.last_polled_at is None:
            continue  # its first poll is its own
        current = as_utc(other.next_poll_at)
        if current >= until or not _not_sooner(session, job, other, expect):
            continue
        bound = as_utc(other.last_polled_at) + timedelta(seconds=pace.longest)
        window = expect.window(session, other)
        if window is not None:
            closes = expect.timing(session, other).accepted_at + timedelta(seconds=window.closes)
            bound = min(bound, closes)
        target = min(until, bound)
        if target > current:
            other.next_poll_at = target
            changed.append(_id(other))
    return changed


def _id(job: Job) -> int:
    assert job.id is not None
    return job.id
