"""Keeping a key under its server's limit, as the server counts: a sliding 60 s window.

The SDK's per-key `RateBudget` is a token bucket (a minute's burst, then a steady refill). A
server counting a sliding minute (as the sandbox does, and as "10 requests/min" reads) accepts
at most `limit` requests in any 60 s, but a full bucket plus a minute of refill lets through up
to twice that: the 11th request of a Free key, six seconds after a burst of ten, is a 429.
So every request the jobs services and the tracker send is also paced by a `SlidingWindow`
shared per budget (i.e. per key, per process), at the moment it is really sent (an httpx
transport), retries included. The SDK's budget still applies to every call on top of this.

The tracker keeps a share of the window free for people (`tracker_share`): interactive calls
may use all of it, the tracker never more than its share, and it postpones rather than waits.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from sqlmodel import Session

from orangeweb.orangeclone import OrangeClone, RateBudget
from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock
from orangeweb.services.api_keys import open_client, open_client_for_team
from orangeweb.services.identity import CurrentUser

WINDOW_SECONDS = 60.0
# The server stamps a request when it arrives, a little after we send it, and forgets it a
# little later than we would: a second of margin keeps our count on the safe side.
WINDOW_MARGIN_SECONDS = 1.0


def tracker_share(limit: int) -> int:
    """How many of a window's `limit` requests the background tracker may use: all but a tenth
    (at least one), so a person clicking is never queued behind the tracker."""
    return max(1, limit - max(1, limit // 10))


class SlidingWindow:
    """At most `limit` sends in any `WINDOW_SECONDS` (+ margin)."""

    def __init__(self, limit: int, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock
        self._limit = limit
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()  # synchronous, like the SDK budget: any loop, any thread

    @property
    def limit(self) -> int:
        return self._limit

    def set_limit(self, limit: int) -> None:
        with self._lock:
            self._limit = limit

    def _forget_old(self, now: float) -> None:
        horizon = now - WINDOW_SECONDS - WINDOW_MARGIN_SECONDS
        while self._sent and self._sent[0] <= horizon:
            self._sent.popleft()

    def in_window(self) -> int:
        with self._lock:
            self._forget_old(self._clock.monotonic())
            return len(self._sent)

    def wait_time(self, cap: int | None = None) -> float:
        """Seconds until one more send fits under `cap` (default: the whole limit)."""
        cap = self._limit if cap is None else min(cap, self._limit)
        with self._lock:
            now = self._clock.monotonic()
            self._forget_old(now)
            if len(self._sent) < cap:
                return 0.0
            # The send that must age out first is the (len - cap + 1)-th oldest.
            oldest_blocking = self._sent[len(self._sent) - cap]
            return max(0.0, oldest_blocking + WINDOW_SECONDS + WINDOW_MARGIN_SECONDS - now)

    def try_record(self, cap: int | None = None) -> bool:
        """Count one send now if it fits under `cap`; False (nothing counted) otherwise."""
        cap = self._limit if cap is None else min(cap, self._limit)
        with self._lock:
            now = self._clock.monotonic()
            self._forget_old(now)
            if len(self._sent) >= cap:
                return False
            self._sent.append(now)
            return True

    async def acquire(self) -> float:
        """Wait until a send fits, count it; returns the seconds waited."""
        waited = 0.0
        while not self.try_record():
            delay = max(self.wait_time(), 0.01)
            waited += delay
            await self._clock.sleep(delay)
        return waited


_windows: weakref.WeakKeyDictionary[RateBudget, SlidingWindow] = weakref.WeakKeyDictionary()
_windows_lock = threading.Lock()


def window_for(budget: RateBudget, *, clock: Clock = SYSTEM_CLOCK) -> SlidingWindow | None:
    """The window shared by every user of `budget` (one per key); None when unlimited."""
    limit = budget.requests_per_minute
    if limit is None:
        return None
    with _windows_lock:
        window = _windows.get(budget)
        if window is None:
            window = SlidingWindow(max(1, int(limit)), clock=clock)
            _windows[budget] = window
        elif window.limit != int(limit):
            window.set_limit(max(1, int(limit)))  # a tier change applies at once
        return window


def background_wait(client: OrangeClone) -> float:
    """Seconds before the tracker may send for this key without waiting anywhere (0 = now)."""
    wait = client.budget.wait_time()
    window = window_for(client.budget)
    if window is not None:
        wait = max(wait, window.wait_time(tracker_share(window.limit)))
    return wait


class PacedTransport(httpx.AsyncBaseTransport):
    """Counts (and if need be waits for) a window slot for every request to the API's base URL,
    at the moment it is sent. Signed file URLs elsewhere are not API requests and pass freely."""

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport | None = None,
        *,
        owns_inner: bool = True,
        clock: Clock = SYSTEM_CLOCK,
    ):
        self._inner = inner or httpx.AsyncHTTPTransport()
        self._owns_inner = owns_inner if inner is not None else True
        self._clock = clock
        self._window: SlidingWindow | None = None
        self._api_root = ""

    @property
    def window(self) -> SlidingWindow | None:
        return self._window

    def bind(self, client: OrangeClone) -> None:
        self._window = window_for(client.budget, clock=self._clock)
        self._api_root = client.base_url.rstrip("/") + "/"

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._window is not None and str(request.url).startswith(self._api_root):
            await self._window.acquire()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        if self._owns_inner:
            await self._inner.aclose()


def _with_paced_transport(
    client_options: Mapping[str, Any] | None, shared: httpx.AsyncBaseTransport | None
) -> tuple[dict[str, Any], PacedTransport]:
    options = dict(client_options or {})
    # A caller's own transport (tests: a mock) is wrapped, not replaced, and closed with it.
    own = options.pop("transport", None)
    transport = PacedTransport(own or shared, owns_inner=own is not None or shared is None)
    options["transport"] = transport
    return options, transport


@asynccontextmanager
async def open_paced_client(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    *,
    client_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[OrangeClone]:
    """`api_keys.open_client` whose every API request is also paced by the key's window
    (same shape as `characters.ClientOpener`, so other services can use it too)."""
    options, transport = _with_paced_transport(client_options, None)
    async with open_client(session, actor, api_key_id, client_options=options) as client:
        transport.bind(client)
        yield client


@asynccontextmanager
async def open_paced_team_client(
    session: Session,
    team_id: int,
    api_key_id: int,
    *,
    shared_transport: httpx.AsyncBaseTransport | None = None,
    client_options: Mapping[str, Any] | None = None,
) -> AsyncIterator[OrangeClone]:
    """`api_keys.open_client_for_team`, paced; `shared_transport` (kept open) reuses one
    connection pool across many short-lived clients (the tracker's)."""
    options, transport = _with_paced_transport(client_options, shared_transport)
    async with open_client_for_team(session, team_id, api_key_id, client_options=options) as client:
        transport.bind(client)
        yield client
