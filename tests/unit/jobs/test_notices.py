"""The notice bus: in process, and Redis pub/sub (the real server at 127.0.0.1:6379)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as redis_asyncio

from orangeweb.services.jobs.notices import (
    QUEUE_SIZE,
    InProcessBus,
    JobNotice,
    RedisBus,
    _bus_for,
    get_notice_bus,
)

REDIS_URL = "redis://127.0.0.1:6379/0"


def notice(team_id: int, job_id: int, status: str = "processing") -> JobNotice:
    return JobNotice(
        team_id=team_id,
        job_id=job_id,
        user_id=7,
        kind="voice",
        status=status,
        is_final=status == "completed",
        title="Hello",
    )


async def next_notice(notices: AsyncIterator[JobNotice]) -> JobNotice:
    return await asyncio.wait_for(anext(notices), 5)


async def test_in_process_subscribers_hear_their_team_only() -> None:
    bus = InProcessBus()
    async with bus.subscribe(1) as first, bus.subscribe(1) as second, bus.subscribe(2) as other:
        await bus.publish(notice(1, 10))
        await bus.publish(notice(2, 20))
        assert (await next_notice(first)).job_id == 10
        assert (await next_notice(second)).job_id == 10
        assert (await next_notice(other)).job_id == 20
        assert bus.subscriber_count(1) == 2
    assert bus.subscriber_count(1) == 0 and bus.subscriber_count(2) == 0


async def test_in_process_publish_from_another_thread_reaches_the_loop() -> None:
    bus = InProcessBus()
    async with bus.subscribe(1) as notices:
        thread = threading.Thread(target=bus.publish_nowait, args=(notice(1, 11),))
        thread.start()
        thread.join()
        assert (await next_notice(notices)).job_id == 11


async def test_a_slow_subscriber_loses_the_oldest_notices_not_the_newest() -> None:
    bus = InProcessBus()
    async with bus.subscribe(1) as notices:
        for job_id in range(QUEUE_SIZE + 5):
            await bus.publish(notice(1, job_id))
        assert (await next_notice(notices)).job_id == 5


def test_the_bus_is_redis_when_reflex_redis_url_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    _bus_for.cache_clear()
    assert isinstance(get_notice_bus(), InProcessBus)
    assert get_notice_bus() is get_notice_bus()
    monkeypatch.setenv("REFLEX_REDIS_URL", "redis://:secret@127.0.0.1:6379/0")
    bus = get_notice_bus()
    assert isinstance(bus, RedisBus) and "secret" not in repr(bus)
    _bus_for.cache_clear()


async def test_redis_carries_notices_between_workers() -> None:
    team_id = uuid.uuid4().int % 10**9  # a channel of its own on the shared server
    worker_a, worker_b = RedisBus(REDIS_URL), RedisBus(REDIS_URL)
    try:
        async with (
            worker_a.subscribe(team_id) as on_a,
            worker_b.subscribe(team_id) as on_b,
            worker_b.subscribe(team_id + 1) as other_team,
        ):
            await worker_a.publish(notice(team_id, 1, "completed"))
            assert await next_notice(on_a) == notice(team_id, 1, "completed")
            assert await next_notice(on_b) == notice(team_id, 1, "completed")
            await worker_b.publish(notice(team_id + 1, 2))
            assert (await next_notice(other_team)).job_id == 2
        # Unsubscribed: nobody listens on the channel any more.
        probe = redis_asyncio.from_url(REDIS_URL)
        try:
            counts = await probe.pubsub_numsub(f"orangeweb:jobs:{team_id}")
            assert counts[0][1] == 0
        finally:
            await probe.aclose()
    finally:
        await worker_a.aclose()
        await worker_b.aclose()


async def test_redis_subscribers_skip_malformed_messages() -> None:
    team_id = uuid.uuid4().int % 10**9
    bus = RedisBus(REDIS_URL)
    probe = redis_asyncio.from_url(REDIS_URL)
    try:
        async with bus.subscribe(team_id) as notices:
            await probe.publish(f"orangeweb:jobs:{team_id}", b"{not json")
            await bus.publish(notice(team_id, 3))
            assert (await next_notice(notices)).job_id == 3
    finally:
        await probe.aclose()
        await bus.aclose()
