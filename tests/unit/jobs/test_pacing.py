"""The sliding window that keeps a key under the server's count, on top of the SDK budget."""

from __future__ import annotations

import httpx
import pytest

from orangeweb.orangeclone import BudgetRegistry, OrangeClone, RetryPolicy
from orangeweb.services.pacing import (
    WINDOW_MARGIN_SECONDS,
    WINDOW_SECONDS,
    PacedTransport,
    SlidingWindow,
    background_wait,
    tracker_share,
    window_for,
)
from tests.unit.sdk.fakes import FakeClock

STATUS = {"success": True, "data": {"status": "processing"}}
AGE_OUT = WINDOW_SECONDS + WINDOW_MARGIN_SECONDS


def test_a_window_counts_sends_in_the_last_minute() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, clock=clock)
    assert [window.try_record() for _ in range(4)] == [True, True, True, False]
    assert window.wait_time() == pytest.approx(AGE_OUT)
    clock.advance(30)
    assert window.wait_time() == pytest.approx(AGE_OUT - 30)
    clock.advance(AGE_OUT - 30)
    assert window.wait_time() == 0 and window.in_window() == 0


def test_a_cap_below_the_limit_keeps_room_for_people() -> None:
    clock = FakeClock()
    window = SlidingWindow(10, clock=clock)
    share = tracker_share(10)
    assert share == 9 and tracker_share(30) == 27 and tracker_share(1) == 1
    for _ in range(share):
        assert window.try_record(share)
        clock.advance(1)
    assert not window.try_record(share)
    assert window.wait_time(share) == pytest.approx(AGE_OUT - share)  # the oldest ages out
    assert window.try_record()  # a person still gets the tenth slot


async def test_acquire_waits_for_the_oldest_send_to_age_out() -> None:
    clock = FakeClock()
    window = SlidingWindow(2, clock=clock)
    await window.acquire()
    clock.advance(5)
    await window.acquire()
    waited = await window.acquire()
    assert waited == pytest.approx(AGE_OUT - 5)


async def test_a_free_key_sends_no_11th_request_within_the_servers_minute() -> None:
    """The SDK's bucket alone would send the 11th request 6 s after a burst of ten; a server
    counting a sliding minute would answer 429. Paced, it goes out once the first ages out."""
    clock = FakeClock()
    sent_at: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.monotonic())
        return httpx.Response(200, json=STATUS)

    transport = PacedTransport(httpx.MockTransport(handler), clock=clock)
    client = OrangeClone(
        "oc_test_pacing_key_1",
        base_url="https://api.example.com/api",
        tier="free",
        budgets=BudgetRegistry(clock=clock),
        clock=clock,
        retry=RetryPolicy(max_retries=0),
        transport=transport,
    )
    transport.bind(client)
    async with client:
        for _ in range(11):
            await client.voices.status("job_1")
    assert len(sent_at) == 11
    assert sent_at[10] - sent_at[0] >= AGE_OUT
    in_any_minute = max(
        sum(1 for moment in sent_at if start <= moment < start + WINDOW_SECONDS)
        for start in sent_at
    )
    assert in_any_minute <= 10


async def test_only_api_requests_are_counted_and_the_tracker_postpones_first() -> None:
    clock = FakeClock()
    transport = PacedTransport(
        httpx.MockTransport(lambda request: httpx.Response(200, json=STATUS)), clock=clock
    )
    client = OrangeClone(
        "oc_test_pacing_key_2",
        base_url="https://api.example.com/api",
        tier="free",
        budgets=BudgetRegistry(clock=clock),
        clock=clock,
        transport=transport,
    )
    transport.bind(client)
    window = window_for(client.budget)
    assert window is transport.window and window is not None
    async with client:
        for _ in range(9):
            await client.voices.status("job_1")
        # A signed file URL elsewhere is not an API request.
        await transport.handle_async_request(httpx.Request("GET", "https://files.example.com/a"))
        assert window.in_window() == 9
        assert background_wait(client) > 0  # the tracker's share is spent: it postpones
        assert window.wait_time() == 0  # while a person's call still goes at once
        await client.voices.status("job_1")
    assert window.in_window() == 10


def test_unlimited_keys_have_no_window() -> None:
    budget = BudgetRegistry().budget_for("oc_test_enterprise", None)
    assert window_for(budget) is None
