"""One database read per job notice and signed-in browser, shared by that browser's tabs.

Every open tab's listener wakes on the same notice at once. Their reads are the same when they
carry the same session cookie and show the same pages, so the first listener reads (off the
event loop) and the others await its result; a result is kept a moment for listeners that wake
a little later. The user is still checked against the database with every notice: once per
browser, by the shared read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

KEEP_SECONDS = 2.0
_MAX_ENTRIES = 2048


class SharedReads:
    """Single-flight reads by key, on one event loop."""

    def __init__(self, keep_seconds: float = KEEP_SECONDS) -> None:
        self._keep = keep_seconds
        self._entries: dict[Hashable, tuple[float, asyncio.Future[Any]]] = {}

    async def read(self, key: Hashable, reader: Callable[[], Awaitable[Any]]) -> Any:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] <= self._keep:
            return await asyncio.shield(entry[1])
        self._forget_old(now)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._entries[key] = (now, future)
        try:
            future.set_result(await reader())
        except BaseException as error:
            self._entries.pop(key, None)  # a failed read is not shared with later listeners
            future.set_exception(error)
            future.exception()  # retrieved here: waiters re-raise it, nobody else must
            raise
        return future.result()

    def _forget_old(self, now: float) -> None:
        if len(self._entries) < _MAX_ENTRIES:
            return
        for key, (at, future) in list(self._entries.items()):
            if now - at > self._keep and future.done():
                del self._entries[key]


notice_reads = SharedReads()
