"""How often the tracker asks about a job.

The interval grows with the job's age: a quarter of its age, between a shortest and a longest
interval per kind. A short voice job is asked about every 2 s at first; one that has run for a
minute, every 15 s; one that has run for ten, every minute. So completion is noticed within
about a quarter of a job's run time, and a long job costs few requests: about
log(age / shortest) / log(1.25) polls, not age / 3 as a tab polling every 3 s would make.
Dubbing starts slower and ends slower; a dubbing job resting between steps waits for a
person (whose action wakes the tracker), so it is asked about rarely. Errors back off
exponentially, never sooner than a `Retry-After`. Pure functions: tested without clocks.

That pace is what the tracker falls back on. Where it can tell when a job should finish (the
job's estimated seconds and this key's learned speed), `finish` places the polls around that
moment instead (`schedule`); `finish=None` is the age-based pace alone (the old schedule).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from orangeweb.services.jobs.kinds import Pace, kind_of
from orangeweb.services.tracker.schedule import DEFAULT_FINISH, FinishPolicy

# A row still "submitting" this long after its last sign of life was cut short by a crash: a
# live submission answers within a 60 s read timeout (one waiting for its key's rate budget
# touches its row meanwhile), and a late answer still wins over the tracker's verdict.
STALE_SUBMISSION = timedelta(minutes=2)
STALE_SUBMISSION_ENV = "ORANGEWEB_STALE_SUBMISSION_SECONDS"


@dataclass(frozen=True)
class PollPolicy:
    # Kind name -> a pace other than the kind's own (tests make jobs fast).
    paces: dict[str, Pace] = field(default_factory=dict)
    awaiting_input_seconds: float = 300.0
    error_base_seconds: float = 5.0
    error_max_seconds: float = 600.0
    # Polls around each job's expected finish where it can be told; None: by age alone.
    finish: FinishPolicy | None = DEFAULT_FINISH

    def pace(self, kind: str) -> Pace:
        return self.paces.get(kind, kind_of(kind).pace)

    def regular(self, kind: str, status: str, age_seconds: float) -> float:
        if kind_of(kind).rests(status):
            return self.awaiting_input_seconds
        return self.pace(kind).at(max(0.0, age_seconds))

    def backoff(self, error_streak: int) -> float:
        if error_streak <= 0:
            return 0.0
        exponent = min(error_streak - 1, 30)
        return min(self.error_max_seconds, self.error_base_seconds * 2.0**exponent)

    def interval(
        self,
        kind: str,
        status: str,
        age_seconds: float,
        error_streak: int = 0,
        retry_after: float | None = None,
    ) -> float:
        """Seconds until the next poll of a job."""
        wait = max(self.regular(kind, status, age_seconds), self.backoff(error_streak))
        if retry_after is not None and math.isfinite(retry_after):
            wait = max(wait, min(retry_after, self.error_max_seconds))
        return wait


DEFAULT_POLICY = PollPolicy()


def first_delay(kind: str, policy: PollPolicy = DEFAULT_POLICY) -> timedelta:
    """How long after acceptance the first poll of a new job is due."""
    return timedelta(seconds=policy.regular(kind, "queued", 0.0))


def stale_submission_window(environ: Mapping[str, str] = os.environ) -> timedelta:
    """The stale window: `ORANGEWEB_STALE_SUBMISSION_SECONDS` if set (tests shorten it)."""
    raw = environ.get(STALE_SUBMISSION_ENV, "").strip()
    if not raw:
        return STALE_SUBMISSION
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not 0 < seconds <= 86400:
        raise ValueError(f"{STALE_SUBMISSION_ENV} must be seconds, above 0 and at most a day")
    return timedelta(seconds=seconds)
