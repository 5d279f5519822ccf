"""A share of each key's minute kept free for people, and a tracker that never waits.

The SDK's per-key `RateBudget` (a sliding minute, counted like the server's, shared by every
client of the key in this process) decides when any request may go. The background tracker asks
it one more thing: could a request go *now* while leaving a tenth of the minute unused? If not,
it postpones that key's polls instead of waiting, so a person's click is never queued behind the
tracker and one busy key never delays another's jobs. Interactive calls may use the whole minute.
A poll that can wait (before a job's expected finish) asks for more: that half of the tracker's
share is still unused, so a rate-limited key has its minute when its jobs finish.
"""

from __future__ import annotations

import math

import httpx

from orangeweb.orangeclone import OrangeClone


def tracker_share(limit: int) -> int:
    """How many of a window's `limit` requests the background tracker may use: all but a tenth
    (at least one), so a person clicking is never queued behind the tracker."""
    return max(1, limit - max(1, limit // 10))


def background_wait(client: OrangeClone, reserve_share: float = 0.0) -> float:
    """Seconds before the tracker may send for this key without waiting anywhere (0 = now).
    `reserve_share`: a poll that can be skipped leaves that share of the tracker's own part of
    the minute unused too, for the polls that matter more (`schedule`: near a job's finish)."""
    limit = client.budget.requests_per_minute
    if limit is None:
        return client.budget.wait_time()
    share = tracker_share(max(1, int(limit)))
    reserved = math.ceil(share * min(1.0, max(0.0, reserve_share)))
    return client.budget.wait_time(keep_free=int(limit) - share + reserved)


class SharedTransport(httpx.AsyncBaseTransport):
    """One connection pool lent to many short-lived SDK clients (the tracker's): closing a
    client leaves the pool open; its owner closes it."""

    def __init__(self, pool: httpx.AsyncBaseTransport) -> None:
        self._pool = pool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pool.handle_async_request(request)

    async def aclose(self) -> None:
        """Not the borrower's to close."""
