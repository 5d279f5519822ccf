"""The per-key rate budget: a sliding minute like the server's, shared, with 429 pauses."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx

from orangeweb.orangeclone import BudgetRegistry, RateBudget, RateLimited, RetryPolicy
from orangeweb.orangeclone.ratelimit import WINDOW_MARGIN_SECONDS

from .fakes import API_KEY, ClientFactory, FakeClock

WINDOW = 60.0 + WINDOW_MARGIN_SECONDS  # a request leaves the window a minute (+margin) after it

STATUS = {"data": {"status": "queued"}}


@pytest.fixture
def status_route(api: respx.MockRouter) -> respx.Route:
    return api.get("/voices/j1").respond(200, json=STATUS)


async def test_free_tier_never_sends_an_eleventh_request_within_a_minute(
    status_route: respx.Route, make_client: ClientFactory, clock: FakeClock
) -> None:
    waits: list[float] = []
    client = make_client(tier="free", on_wait=waits.append)

    for _ in range(10):
        await client.voices.status("j1")
        clock.advance(3)  # ten requests over 30 s
    assert clock.sleeps == []
    # The first went out 30 s ago: the 11th waits until it has left the server's window.
    assert client.budget.wait_time() == pytest.approx(WINDOW - 30)

    await client.voices.status("j1")
    await client.voices.status("j1")

    # The 12th waits for the 2nd (sent 3 s after the 1st) to leave the window.
    assert clock.sleeps == [pytest.approx(WINDOW - 30), pytest.approx(3.0)]
    assert waits == clock.sleeps
    assert status_route.call_count == 12


async def test_the_window_slides_and_an_idle_key_gets_exactly_one_full_minute(
    status_route: respx.Route, make_client: ClientFactory, clock: FakeClock
) -> None:
    client = make_client(tier="pro")  # 30 in any minute
    for _ in range(30):
        await client.voices.status("j1")
    assert client.budget.wait_time() == pytest.approx(WINDOW)

    clock.advance(WINDOW)  # the whole burst has left the window
    for _ in range(30):
        await client.voices.status("j1")
    assert clock.sleeps == []
    assert client.budget.wait_time() == pytest.approx(WINDOW)

    clock.advance(3600)  # a long idle saves nothing up beyond one minute's allowance
    for _ in range(30):
        await client.voices.status("j1")
    assert clock.sleeps == []
    assert client.budget.wait_time() == pytest.approx(WINDOW)


async def test_wait_time_does_not_spend_anything(clock: FakeClock) -> None:
    budget = RateBudget(1, clock=clock)

    assert [budget.wait_time() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget.reserve() == 0.0
    assert budget.wait_time() == pytest.approx(WINDOW)


async def test_two_clients_with_the_same_key_share_one_budget(
    status_route: respx.Route, make_client: ClientFactory, clock: FakeClock
) -> None:
    tracker = make_client(tier="free")
    dashboard = make_client(tier="free")
    other_key = make_client(tier="free", api_key="sk_test_someone_else")

    assert tracker.budget is dashboard.budget
    assert other_key.budget is not tracker.budget
    for _ in range(5):
        await tracker.voices.status("j1")
        await dashboard.voices.status("j1")
    assert clock.sleeps == []

    await dashboard.voices.status("j1")  # the 11th request on this key waits
    assert clock.sleeps == [pytest.approx(WINDOW)]
    await other_key.voices.status("j1")  # another key has its own allowance
    assert clock.sleeps == [pytest.approx(WINDOW)]


async def test_concurrent_callers_queue_behind_each_other(
    api: respx.MockRouter, make_client: ClientFactory, clock: FakeClock
) -> None:
    client = make_client(tier="free")
    start = clock.now
    sent_at: list[float] = []

    def server(request: httpx.Request) -> httpx.Response:
        sent_at.append(clock.now - start)
        return httpx.Response(200, json=STATUS)

    api.get("/voices/j1").mock(side_effect=server)

    await asyncio.gather(*(client.voices.status("j1") for _ in range(12)))

    assert sent_at == [0.0] * 10 + [pytest.approx(WINDOW), pytest.approx(WINDOW)]


async def test_a_429_retry_after_pauses_every_client_of_that_key(
    api: respx.MockRouter, make_client: ClientFactory, clock: FakeClock
) -> None:
    no_retry = RetryPolicy(max_retries=0)
    first = make_client(tier="pro", retry=no_retry)
    second = make_client(tier="pro", retry=no_retry)
    route = api.get("/voices/j1")
    route.side_effect = [
        httpx.Response(429, headers={"Retry-After": "20"}),
        httpx.Response(200, json=STATUS),
    ]

    with pytest.raises(RateLimited):
        await first.voices.status("j1")
    assert second.budget.wait_time() == pytest.approx(20.0)

    waits: list[float] = []
    second_with_notice = make_client(tier="pro", on_wait=waits.append)
    await second_with_notice.voices.status("j1")

    assert waits == [pytest.approx(20.0)]
    assert clock.sleeps == [pytest.approx(20.0)]


async def test_a_429_pause_is_capped(api: respx.MockRouter, make_client: ClientFactory) -> None:
    client = make_client(tier="pro", retry=RetryPolicy(max_retries=0, max_retry_after=60))
    api.get("/voices/j1").respond(429, headers={"Retry-After": "86400"})

    with pytest.raises(RateLimited):
        await client.voices.status("j1")

    assert client.budget.wait_time() == pytest.approx(60.0)


async def test_a_429_without_retry_after_holds_back_one_requests_share(
    api: respx.MockRouter, make_client: ClientFactory
) -> None:
    client = make_client(tier="free", retry=RetryPolicy(max_retries=0))
    api.get("/voices/j1").respond(429)

    with pytest.raises(RateLimited):
        await client.voices.status("j1")

    assert client.budget.wait_time() == pytest.approx(6.0)  # free: 60 s / 10 requests


async def test_enterprise_is_unlimited_but_still_honours_a_pause(
    status_route: respx.Route, make_client: ClientFactory, clock: FakeClock
) -> None:
    client = make_client(tier="enterprise")
    for _ in range(200):
        await client.voices.status("j1")
    assert clock.sleeps == []

    client.budget.pause_for(5)
    assert client.budget.wait_time() == pytest.approx(5.0)
    await client.voices.status("j1")
    assert clock.sleeps == [pytest.approx(5.0)]


async def test_the_limit_is_configurable_and_follows_tier_changes(
    status_route: respx.Route, make_client: ClientFactory, clock: FakeClock
) -> None:
    custom = make_client(tier="free", requests_per_minute=2)
    assert custom.budget.requests_per_minute == 2
    await custom.voices.status("j1")
    await custom.voices.status("j1")
    assert custom.budget.wait_time() == pytest.approx(WINDOW)

    upgraded = make_client(tier="pro")  # same key, new tier: the shared budget follows
    assert custom.budget is upgraded.budget
    assert upgraded.budget.requests_per_minute == 30
    assert upgraded.budget.wait_time() == 0.0  # 2 of 30 spent: room left
    for _ in range(28):
        await upgraded.voices.status("j1")
    assert upgraded.budget.wait_time() == pytest.approx(WINDOW)  # what was spent stays spent


def test_the_registry_never_holds_the_key(clock: FakeClock) -> None:
    registry = BudgetRegistry(clock=clock)
    budget = registry.budget_for(API_KEY, 10)

    assert registry.budget_for(API_KEY, 10) is budget
    stored = repr(vars(registry)) + repr(budget) + repr(registry)
    assert API_KEY not in stored
    assert API_KEY[-6:] not in stored


def test_a_budget_refuses_a_nonsense_limit(clock: FakeClock) -> None:
    for limit in (0, -5, float("nan")):
        with pytest.raises(ValueError):
            RateBudget(limit, clock=clock)
