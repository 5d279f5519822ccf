"""Per-API-key request budget: a sliding one-minute window shared by every client of a key.

The tiers allow 10 (free) or 30 (pro) requests a minute per key. The dashboard's background job
tracker and interactive calls use the same key, so they must draw from one budget, or each would
believe it has the whole allowance and the server would answer 429. `BudgetRegistry` hands out
one `RateBudget` per key; it is keyed by an HMAC of the key with a per-process random salt, so
the key itself is never stored or compared.

Why a window and not a token bucket: the server counts requests in any sliding minute. A bucket
holding a minute's burst and refilling continuously admits the burst *plus* the refill within one
minute (up to twice the limit) and earns 429s; a log of send times admits exactly what the server
does: a full burst, then each request once the one a limit ago is a minute (plus a margin) old.
Callers *reserve* a send time synchronously (no lock held across an await, so it works from any
event loop) and then sleep until it. A 429 pauses the whole key until the server's Retry-After.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections import deque
from collections.abc import Callable

from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock

WaitCallback = Callable[[float], None]

WINDOW_SECONDS = 60.0
# Our send time is not the server's arrival time: a little slack keeps latency jitter from
# putting limit+1 requests into the server's window.
WINDOW_MARGIN_SECONDS = 1.0


class RateBudget:
    """The request budget of one API key. `requests_per_minute=None` means unlimited
    (enterprise), though a 429 pause still applies."""

    def __init__(self, requests_per_minute: float | None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._lock = threading.Lock()  # reservations are synchronous, so a thread lock suffices
        self._paused_until = 0.0
        self._requests_per_minute = _checked_limit(requests_per_minute)
        # Send times (monotonic) of requests in the current window, including reserved ones
        # still waiting for their turn; always in increasing order.
        self._sent: deque[float] = deque()

    def __repr__(self) -> str:
        return f"RateBudget(requests_per_minute={self._requests_per_minute!r})"

    @property
    def requests_per_minute(self) -> float | None:
        return self._requests_per_minute

    def configure(self, requests_per_minute: float | None) -> None:
        """Change the limit (e.g. after a tier upgrade), keeping what is already spent."""
        requests_per_minute = _checked_limit(requests_per_minute)
        with self._lock:
            self._requests_per_minute = requests_per_minute

    def wait_time(self, *, keep_free: int = 0) -> float:
        """Seconds the next request would wait if it were sent now (0 = it goes at once).

        `keep_free` asks instead when it could go while leaving that many of the window's
        requests unused: a background poller uses it to leave room for people's clicks.
        """
        with self._lock:
            now = self._clock.monotonic()
            return self._next_send_time(now, keep_free) - now

    def reserve(self) -> float:
        """Take a slot for one request; returns how long the caller must wait before sending."""
        with self._lock:
            now = self._clock.monotonic()
            send_at = self._next_send_time(now)
            if self._requests_per_minute is not None:
                self._sent.append(send_at)  # later callers queue behind this one
            return send_at - now

    async def acquire(self, on_wait: WaitCallback | None = None) -> float:
        """Reserve a slot and wait for it; returns the seconds waited."""
        delay = self.reserve()
        if delay > 0:
            if on_wait is not None:
                on_wait(delay)
            await self._clock.sleep(delay)
        return delay

    def pause_for(self, seconds: float) -> None:
        """A 429 with Retry-After: nobody using this key sends before then."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock.monotonic() + seconds)

    def drain(self) -> None:
        """A 429 without Retry-After: the server counted more than we did (another process on
        the same key?), so hold back one request's share of the minute before the next."""
        with self._lock:
            if self._requests_per_minute is None:
                return  # unlimited: the retry backoff alone spaces the next attempt
            share = WINDOW_SECONDS / self._requests_per_minute
            self._paused_until = max(self._paused_until, self._clock.monotonic() + share)

    def _next_send_time(self, now: float, keep_free: int = 0) -> float:
        earliest = max(now, self._paused_until)
        limit = self._requests_per_minute
        if limit is None:
            return earliest
        window = WINDOW_SECONDS + WINDOW_MARGIN_SECONDS
        while self._sent and self._sent[0] <= now - window:
            self._sent.popleft()
        allowed = max(1, int(limit) - max(0, keep_free))
        if len(self._sent) < allowed:
            return earliest
        # The request `allowed` places back must have left the window first.
        return max(earliest, self._sent[-allowed] + window)


def _checked_limit(requests_per_minute: float | None) -> float | None:
    if requests_per_minute is not None and not requests_per_minute > 0:
        raise ValueError("requests_per_minute must be positive, or None for unlimited")
    return requests_per_minute


class BudgetRegistry:
    """One `RateBudget` per API key for the whole process (or per test, with a fake clock)."""

    def __init__(self, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._salt = os.urandom(16)
        self._budgets: dict[str, RateBudget] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"BudgetRegistry(keys={len(self._budgets)})"

    def budget_for(self, api_key: str, requests_per_minute: float | None) -> RateBudget:
        """The shared budget of `api_key`; the latest limit given wins (tier changes apply)."""
        fingerprint = hmac.new(self._salt, api_key.encode(), hashlib.sha256).hexdigest()
        with self._lock:
            budget = self._budgets.get(fingerprint)
            if budget is None:
                budget = RateBudget(requests_per_minute, clock=self._clock)
                self._budgets[fingerprint] = budget
                return budget
        budget.configure(requests_per_minute)
        return budget


# The process-wide registry every client uses unless given another.
DEFAULT_BUDGETS = BudgetRegistry()
