"""Polls timed by when a job should finish, not only by its age (the "finish" schedule).

A job's expected lifetime (accepted -> final) is its own estimated seconds of output
(`JobKind.expected_seconds`: its text timed by the characters' calibrated speaking rates) times
the seconds this key's service has lately taken per such second: a *ratio* learned from the
key's finished jobs of the same kind (`SpeedBook`, in memory: a restarted tracker learns again
from the first job it sees finish, and follows the age-based pace of `policy` meanwhile).

`FinishPolicy.window` turns the learned ratios into a window of ages (seconds since the job
was accepted), `FinishPolicy.delay` places the polls around it:

- **before** the window: none, except one at most `pace.longest` after the last (a sign of
  life). Such a poll is *optional*: it goes only while the key has `reserve_share` of its
  minute unused (`pacing.background_wait`), so a rate-limited key's minute is spent at the
  finish, where a late answer costs a person's wait;
- **within** it (the learned range, widened by a margin for what was not seen yet): every
  `tight_seconds`, or further apart for a long window (at most `window_polls` polls);
- **after** it: backing off, a growing share of the time overdue, up to `pace.longest`.

Pure: tested without clocks or a database.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from orangeweb.services.jobs.kinds import Pace


class Phase(StrEnum):
    BEFORE = "before"
    WITHIN = "within"
    AFTER = "after"


@dataclass(frozen=True)
class Window:
    """Ages (seconds since acceptance) between which the job should finish, and the seconds
    between polls within them."""

    opens: float
    closes: float
    step: float

    def phase(self, age: float) -> Phase:
        # Half a step early counts as inside: a poll due a moment before the window is its first.
        if age < self.opens - self.step / 2:
            return Phase.BEFORE
        return Phase.WITHIN if age <= self.closes else Phase.AFTER


@dataclass(frozen=True)
class FinishPolicy:
    tight_seconds: float = 1.0  # between polls near the finish: what "noticed at once" costs
    # Each side of the learned range: variation not seen yet (a share of the lifetime, plus).
    margin_share: float = 0.03
    margin_seconds: float = 0.5
    window_polls: int = 8  # a long window is polled at most this many times
    overdue_growth: float = 0.5  # after the window, the wait is this share of the time overdue
    reserve_share: float = 0.5  # optional polls leave this share of a key's minute unused
    samples: int = 8  # ratios remembered per key and kind: recent ones, so the book follows

    def window(self, ratios: Sequence[float], work_seconds: float | None) -> Window | None:
        """The window of a job with `work_seconds` of output, from the key's learned `ratios`
        (lifetime per second of output); None when either is unknown."""
        if not ratios or work_seconds is None or not work_seconds > 0:
            return None
        low, high = work_seconds * min(ratios), work_seconds * max(ratios)
        opens = max(0.0, low * (1 - self.margin_share) - self.margin_seconds)
        closes = high * (1 + self.margin_share) + self.margin_seconds
        step = max(self.tight_seconds, (closes - opens) / max(1, self.window_polls))
        return Window(opens=opens, closes=closes, step=step)

    def delay(self, window: Window | None, age: float, pace: Pace) -> float:
        """Seconds from a poll at `age` (that found the job unfinished) to the next one."""
        if window is None:
            return pace.at(max(0.0, age))
        phase = window.phase(age)
        if phase is Phase.BEFORE:
            return max(0.0, min(window.opens - age, pace.longest))
        if phase is Phase.WITHIN:
            return window.step
        overdue = age - window.closes
        return min(pace.longest, max(window.step, overdue * self.overdue_growth))

    def is_optional(self, window: Window | None, age: float) -> bool:
        """Whether a poll at `age` may be skipped to keep the key's minute for the finish."""
        return window is not None and window.phase(age) is Phase.BEFORE


DEFAULT_FINISH = FinishPolicy()


@dataclass
class SpeedBook:
    """Per (API key, kind): the last `samples` ratios of lifetime to estimated seconds of output
    of finished jobs. A key is one account, tier and environment: its own service's speed."""

    samples: int = DEFAULT_FINISH.samples
    _ratios: dict[tuple[int, str], deque[float]] = field(default_factory=dict)

    def learn(self, api_key_id: int, kind: str, work_seconds: float, lifetime: float) -> bool:
        """Remember one finished job; False (nothing learned) for a meaningless pair."""
        if not (math.isfinite(work_seconds) and work_seconds > 0):
            return False
        if not (math.isfinite(lifetime) and lifetime > 0):
            return False
        key = (api_key_id, kind)
        ratios = self._ratios.get(key)
        if ratios is None:
            ratios = self._ratios[key] = deque(maxlen=max(1, self.samples))
        ratios.append(lifetime / work_seconds)
        return True

    def ratios(self, api_key_id: int, kind: str) -> tuple[float, ...]:
        return tuple(self._ratios.get((api_key_id, kind), ()))
