"""Per-API-key request budget: a token bucket shared by every client using the same key.

The tiers allow 10 (free) or 30 (pro) requests a minute per key. The dashboard's background job
tracker and interactive calls use the same key, so they must draw from one budget, or each would
believe it has the whole allowance and the server would answer 429. `BudgetRegistry` hands out
one `RateBudget` per key; it is keyed by an HMAC of the key with a per-process random salt, so
the key itself is never stored or compared.

The bucket holds up to a minute's allowance (a burst) and refills continuously. Callers *reserve*
a slot synchronously (no lock held across an await, so it works from any event loop) and then
sleep for the returned delay. A 429 pauses the whole bucket until the server's Retry-After.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import threading
from collections.abc import Callable

from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock

WaitCallback = Callable[[float], None]


class RateBudget:
    """A token bucket for one API key. `requests_per_minute=None` means unlimited (enterprise),
    though a 429 pause still applies."""

    def __init__(self, requests_per_minute: float | None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._lock = threading.Lock()  # reservations are synchronous, so a thread lock suffices
        self._paused_until = 0.0
        self._updated_at = clock.monotonic()
        self._requests_per_minute = _checked_limit(requests_per_minute)
        self._tokens = self._capacity()  # a new bucket starts full: a minute's burst

    def __repr__(self) -> str:
        return f"RateBudget(requests_per_minute={self._requests_per_minute!r})"

    @property
    def requests_per_minute(self) -> float | None:
        return self._requests_per_minute

    def configure(self, requests_per_minute: float | None) -> None:
        """Change the limit (e.g. after a tier upgrade), keeping what is already spent."""
        requests_per_minute = _checked_limit(requests_per_minute)
        with self._lock:
            if requests_per_minute == self._requests_per_minute:
                return
            self._refill(self._clock.monotonic())
            was_unlimited = self._requests_per_minute is None
            self._requests_per_minute = requests_per_minute
            capacity = self._capacity()
            self._tokens = capacity if was_unlimited else min(self._tokens, capacity)

    def wait_time(self) -> float:
        """Seconds the next request would wait if it were sent now (0 = it goes at once)."""
        with self._lock:
            now = self._clock.monotonic()
            tokens = self._tokens_at(now)
            return self._delay(now, tokens)

    def reserve(self) -> float:
        """Take a slot for one request; returns how long the caller must wait before sending."""
        with self._lock:
            now = self._clock.monotonic()
            self._refill(now)
            delay = self._delay(now, self._tokens)
            if self._requests_per_minute is not None:
                self._tokens -= 1.0  # may go negative: later callers queue behind this one
            return delay

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
        """A 429 without Retry-After: the server thinks we are over, so spend nothing saved up."""
        with self._lock:
            self._refill(self._clock.monotonic())
            self._tokens = min(self._tokens, 0.0)

    def _capacity(self) -> float:
        return float(self._requests_per_minute or 0.0)

    def _rate_per_second(self) -> float:
        return (self._requests_per_minute or 0.0) / 60.0

    def _tokens_at(self, now: float) -> float:
        if self._requests_per_minute is None:
            return 0.0
        elapsed = max(0.0, now - self._updated_at)
        return min(self._capacity(), self._tokens + elapsed * self._rate_per_second())

    def _refill(self, now: float) -> None:
        self._tokens = self._tokens_at(now)
        self._updated_at = max(self._updated_at, now)

    def _delay(self, now: float, tokens: float) -> float:
        pause = max(0.0, self._paused_until - now)
        if self._requests_per_minute is None or tokens >= 1.0:
            return pause
        return max(pause, (1.0 - tokens) / self._rate_per_second())


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
