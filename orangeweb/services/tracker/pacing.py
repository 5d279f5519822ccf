"""A share of each key's minute kept free for people, and a tracker that never waits.

The SDK's per-key `RateBudget` (a sliding minute, counted like the server's, shared by every
client of the key in this process) decides when any request may go. The background tracker asks
it one more thing: could a request go *now* while leaving a tenth of the minute unused? If not,
it postpones that key's polls instead of waiting, so a person's click is never queued behind the
tracker and one busy key never delays another's jobs. Interactive calls may use the whole minute.
"""

from __future__ import annotations

import httpx

from orangeweb.orangeclone import OrangeClone


def tracker_share(limit: int) -> int:
    """How many of a window's `limit` requests the background tracker may use: all but a tenth
    (at least one), so a person clicking is never queued behind the tracker."""
    return max(1, limit - max(1, limit // 10))


def background_wait(client: OrangeClone) -> float:
    """Seconds before the tracker may send for this key without waiting anywhere (0 = now)."""
    limit = client.budget.requests_per_minute
    keep_free = 0 if limit is None else int(limit) - tracker_share(max(1, int(limit)))
    return client.budget.wait_time(keep_free=keep_free)


class SharedTransport(httpx.AsyncBaseTransport):
    """One connection pool lent to many short-lived SDK clients (the tracker's): closing a
    client leaves the pool open; its owner closes it."""

    def __init__(self, pool: httpx.AsyncBaseTransport) -> None:
        self._pool = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pool.handle_async_request(request)

    async def aclose(self) -> None:
        """Not the borrower's to close."""
