from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import respx

from orangeweb.orangeclone import BudgetRegistry, OrangeClone, RetryPolicy

from .fakes import API_KEY, BASE_URL, ClientFactory, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def budgets(clock: FakeClock) -> BudgetRegistry:
    return BudgetRegistry(clock=clock)


@pytest.fixture
def api() -> respx.MockRouter:
    """The fake OrangeClone server; also answers for the upload host (absolute URLs)."""
    return respx.MockRouter(base_url=BASE_URL, assert_all_called=False, assert_all_mocked=True)


@pytest.fixture
async def make_client(
    api: respx.MockRouter, clock: FakeClock, budgets: BudgetRegistry
) -> AsyncIterator[ClientFactory]:
    """Build clients on the fake server and clock; enterprise (unlimited) unless told."""
    made: list[OrangeClone] = []

    def factory(**overrides: Any) -> OrangeClone:
        options: dict[str, Any] = {
            "base_url": BASE_URL,
            "tier": "enterprise",
            "transport": httpx.MockTransport(api.async_handler),
            "clock": clock,
            "budgets": budgets,
            "retry": RetryPolicy(jitter=lambda: 1.0),
        }
        api_key = overrides.pop("api_key", API_KEY)
        options.update(overrides)
        client = OrangeClone(api_key, **options)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory) -> OrangeClone:
    return make_client()
