"""Job change notices from the tracker (and submissions) to the open pages.

Pages never poll the API: each listens here (a Reflex background task) and re-reads its rows
from the database when a notice for its team arrives. A notice is a hint to refresh, carrying
nothing private. In one process the bus is in memory; with `REFLEX_REDIS_URL` set (several
workers) it is Redis pub/sub, one channel per team.

    async with get_notice_bus().subscribe(team_id) as notices:
        async for notice in notices:
            ...
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any, Protocol

logger = logging.getLogger(__name__)

# A subscriber that stops reading loses its oldest notices, never blocks the publisher.
QUEUE_SIZE = 256
CHANNEL_PREFIX = "orangeweb:jobs:"


@dataclass(frozen=True)
class JobNotice:
    team_id: int
    job_id: int
    user_id: int
    kind: str
    status: str
    is_final: bool
    title: str
    # Unique per publish: listeners of one notice share its read; a later, equal-looking
    # notice (the same status again, once the output is archived) is read afresh.
    publish_id: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: str | bytes) -> JobNotice:
        data: dict[str, Any] = json.loads(raw)
        return cls(
            team_id=int(data["team_id"]),
            job_id=int(data["job_id"]),
            user_id=int(data["user_id"]),
            kind=str(data["kind"]),
            status=str(data["status"]),
            is_final=bool(data["is_final"]),
            title=str(data["title"]),
            publish_id=str(data.get("publish_id", "")),
        )


class NoticeBus(Protocol):
    async def publish(self, notice: JobNotice) -> None: ...

    def subscribe(self, team_id: int) -> AbstractAsyncContextManager[AsyncIterator[JobNotice]]: ...


def _offer(queue: asyncio.Queue[JobNotice], notice: JobNotice) -> None:
    if queue.full():
        queue.get_nowait()  # drop the oldest: the newest says more about the current state
    queue.put_nowait(notice)


async def _drain(queue: asyncio.Queue[JobNotice]) -> AsyncIterator[JobNotice]:
    while True:
        yield await queue.get()


class InProcessBus:
    """Subscribers in this process; safe to publish from any thread or event loop."""

    def __init__(self) -> None:
        self._subscribers: dict[
            int, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue[JobNotice]]]
        ] = {}

    def subscriber_count(self, team_id: int) -> int:
        return len(self._subscribers.get(team_id, ()))

    async def publish(self, notice: JobNotice) -> None:
        self.publish_nowait(notice)

    def publish_nowait(self, notice: JobNotice) -> None:
        try:
            current: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, queue in list(self._subscribers.get(notice.team_id, ())):
            if loop is current:
                _offer(queue, notice)
            elif not loop.is_closed():
                loop.call_soon_threadsafe(_offer, queue, notice)

    @asynccontextmanager
    async def subscribe(self, team_id: int) -> AsyncIterator[AsyncIterator[JobNotice]]:
        entry = (asyncio.get_running_loop(), asyncio.Queue[JobNotice](maxsize=QUEUE_SIZE))
        self._subscribers.setdefault(team_id, set()).add(entry)
        try:
            yield _drain(entry[1])
        finally:
            subscribers = self._subscribers.get(team_id)
            if subscribers is not None:
                subscribers.discard(entry)
                if not subscribers:
                    self._subscribers.pop(team_id, None)


class RedisBus:
    """Redis pub/sub: every worker's subscribers hear every worker's notices."""

    def __init__(self, url: str) -> None:
        self._url = url
        # redis.asyncio connections belong to the loop that made them: one client per loop.
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return "RedisBus(<url hidden>)"  # the URL may carry a password

    def _client(self) -> Any:
        import redis.asyncio as redis_asyncio  # only needed when Redis is configured

        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            client = redis_asyncio.from_url(self._url)
            self._clients[loop] = client
        return client

    async def publish(self, notice: JobNotice) -> None:
        try:
            await self._client().publish(f"{CHANNEL_PREFIX}{notice.team_id}", notice.to_json())
        except Exception as error:  # a lost hint must not fail the job it describes
            logger.warning("could not publish a job notice to Redis: %s", type(error).__name__)

    @asynccontextmanager
    async def subscribe(self, team_id: int) -> AsyncIterator[AsyncIterator[JobNotice]]:
        pubsub = self._client().pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(f"{CHANNEL_PREFIX}{team_id}")
        try:
            yield self._read(pubsub)
        finally:
            try:
                await pubsub.unsubscribe()
            finally:
                await pubsub.aclose()

    async def _read(self, pubsub: Any) -> AsyncIterator[JobNotice]:
        async for message in pubsub.listen():
            if message.get("type") != "message":
                continue
            try:
                yield JobNotice.from_json(message["data"])
            except (ValueError, KeyError, TypeError):
                logger.warning("ignored a malformed job notice")

    async def aclose(self) -> None:
        for client in list(self._clients.values()):
            await client.aclose()
        self._clients.clear()


@lru_cache(maxsize=4)
def _bus_for(redis_url: str | None) -> NoticeBus:
    return RedisBus(redis_url) if redis_url else InProcessBus()


def get_notice_bus() -> NoticeBus:
    """The process's bus: Redis pub/sub when `REFLEX_REDIS_URL` is set, else in memory."""
    return _bus_for(os.environ.get("REFLEX_REDIS_URL") or None)
