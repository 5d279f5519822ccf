"""Time as the SDK sees it: injectable so tests never really sleep.

The client needs three things from time: a monotonic clock (rate budget, backoff), the wall clock
(to read a `Retry-After` given as an HTTP date) and an async sleep. Everything that waits goes
through one `Clock`, so a fake clock that advances on `sleep` makes every wait instant and
observable.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """What the SDK needs to know about time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes backwards (for durations)."""
        ...

    def wall(self) -> float:
        """Seconds since the Unix epoch (for HTTP dates)."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` without blocking the event loop."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


SYSTEM_CLOCK = SystemClock()
