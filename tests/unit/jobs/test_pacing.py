"""The tracker's share of a key's minute: it postpones rather than wait, leaving room for people."""

from __future__ import annotations

import httpx
import pytest

from orangeweb.orangeclone import BudgetRegistry, OrangeClone
from orangeweb.orangeclone.ratelimit import WINDOW_MARGIN_SECONDS, WINDOW_SECONDS
from orangeweb.services.tracker.pacing import SharedTransport, background_wait, tracker_share
from tests.unit.sdk.fakes import FakeClock

STATUS = {"success": True, "data": {"status": "processing"}}
AGE_OUT = WINDOW_SECONDS + WINDOW_MARGIN_SECONDS


def _client(clock: FakeClock, tier: str, transport: httpx.AsyncBaseTransport) -> OrangeClone:
    return OrangeClone(
        f"oc_test_pacing_{tier}",
        base_url="https://api.example.com/api",
        tier=tier,
        budgets=BudgetRegistry(clock=clock),
        clock=clock,
        transport=transport,
    )


def test_the_tracker_leaves_a_tenth_of_each_minute_to_people() -> None:
    assert tracker_share(10) == 9
    assert tracker_share(30) == 27
    assert tracker_share(1) == 1


async def test_the_tracker_postpones_once_its_share_is_spent_while_people_still_go() -> None:
    clock = FakeClock()
    client = _client(
        clock, "free", httpx.MockTransport(lambda request: httpx.Response(200, json=STATUS))
    )
    async with client:
        for _ in range(9):
            assert background_wait(client) == 0
            await client.voices.status("job_1")
        assert background_wait(client) == pytest.approx(AGE_OUT)  # postpone, don't wait
        assert client.budget.wait_time() == 0  # a person's call still goes at once
        await client.voices.status("job_1")
        assert client.budget.wait_time() == pytest.approx(AGE_OUT)  # the server's 10 are spent
        clock.advance(AGE_OUT)
        assert background_wait(client) == 0


async def test_unlimited_keys_are_never_postponed() -> None:
    clock = FakeClock()
    client = _client(
        clock, "enterprise", httpx.MockTransport(lambda request: httpx.Response(200, json=STATUS))
    )
    async with client:
        for _ in range(50):
            await client.voices.status("job_1")
        assert background_wait(client) == 0


async def test_a_shared_pool_outlives_the_clients_that_borrow_it() -> None:
    pool = httpx.MockTransport(lambda request: httpx.Response(200, json=STATUS))
    clock = FakeClock()
    for _ in range(2):
        async with _client(clock, "enterprise", SharedTransport(pool)) as client:
            await client.voices.status("job_1")
    closed: list[bool] = []
    pool.aclose = lambda: closed.append(True)  # type: ignore[method-assign]
    async with _client(clock, "enterprise", SharedTransport(pool)) as client:
        await client.voices.status("job_1")
    assert closed == []


async def test_a_poll_that_can_wait_leaves_half_the_trackers_share_unused() -> None:
    clock = FakeClock()
    client = _client(
        clock, "free", httpx.MockTransport(lambda request: httpx.Response(200, json=STATUS))
    )
    async with client:
        for _ in range(4):  # 4 of the tracker's 9: an optional poll may still go
            assert background_wait(client, reserve_share=0.5) == 0
            await client.voices.status("job_1")
        assert background_wait(client, reserve_share=0.5) == pytest.approx(AGE_OUT)
        for _ in range(5):  # the rest of the share is for the polls near a job's finish
            assert background_wait(client) == 0
            await client.voices.status("job_1")
        assert background_wait(client) == pytest.approx(AGE_OUT)
