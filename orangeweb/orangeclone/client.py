"""`OrangeClone`: the one client object, with a namespace per part of the API.

    async with OrangeClone(api_key, tier="pro") as client:
        job = await client.voices.clone("Hello!", [character_id])
        status = await client.voices.status(job.job_id)

Every client using the same key in this process shares one rate budget (`client.budget`), so
the background job tracker and interactive calls never together exceed the tier's limit.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

import httpx
from pydantic import SecretStr

from orangeweb.orangeclone._requester import Requester
from orangeweb.orangeclone.clock import SYSTEM_CLOCK, Clock
from orangeweb.orangeclone.constants import DEFAULT_BASE_URL, TIERS, TierName
from orangeweb.orangeclone.ratelimit import (
    DEFAULT_BUDGETS,
    BudgetRegistry,
    RateBudget,
    WaitCallback,
)
from orangeweb.orangeclone.resources import Batch, Characters, Dubbing, Scripts, Voices
from orangeweb.orangeclone.retry import RetryPolicy
from orangeweb.orangeclone.timeouts import Timeouts

_USER_AGENT = "orangeweb-orangeclone/0.1"


class OrangeClone:
    """Async client for the OrangeClone API.

    - `tier` sets the default rate limit ("free" 10/min, "pro" 30/min, "enterprise" none);
      `requests_per_minute` overrides it.
    - `http_client` (left open on close) or `transport` (e.g. `httpx.MockTransport`) replace
      the network for tests or custom proxies.
    - `clock` times retries and reads Retry-After dates; `budgets` holds the shared per-key
      budgets (their own clock). Tests pass a fake clock to both so nothing really sleeps.
    - `on_wait(seconds)` is called before every deliberate wait (rate budget or retry backoff),
      so a UI can say "waiting 6 s for the rate limit".
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        tier: TierName = "free",
        requests_per_minute: float | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        budgets: BudgetRegistry = DEFAULT_BUDGETS,
        on_wait: WaitCallback | None = None,
    ) -> None:
        if not _is_token(api_key):
            # Checked here so a malformed key never reaches an HTTP library error message.
            raise ValueError("api_key must be a non-empty token of visible ASCII characters")
        if tier not in TIERS:
            raise ValueError(f"tier must be one of: {', '.join(TIERS)}")
        if http_client is not None and transport is not None:
            raise ValueError("pass http_client or transport, not both")
        self._base_url = base_url.rstrip("/")
        self._tier: TierName = tier
        self._timeouts = timeouts or Timeouts()
        limit = (
            requests_per_minute
            if requests_per_minute is not None
            else TIERS[tier].requests_per_minute
        )
        self._budget = budgets.budget_for(api_key, limit)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            transport=transport,
            timeout=self._timeouts.for_api(),
            follow_redirects=False,  # a redirect could carry the key to another host
            headers={"User-Agent": _USER_AGENT},
        )
        requester = Requester(
            api_key=SecretStr(api_key),
            base_url=self._base_url,
            http=self._http,
            budget=self._budget,
            retry=retry or RetryPolicy(),
            default_timeout=self._timeouts.for_api(),
            clock=clock,
            on_wait=on_wait,
        )
        self.characters = Characters(requester)
        self.voices = Voices(requester)
        self.batch = Batch(requester)
        self.scripts = Scripts(requester)
        self.dubbing = Dubbing(requester, self._timeouts)

    def __repr__(self) -> str:
        return f"OrangeClone(base_url={self._base_url!r}, tier={self._tier!r})"

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def tier(self) -> TierName:
        return self._tier

    @property
    def budget(self) -> RateBudget:
        """This key's shared rate budget: `budget.wait_time()` says how long the next call
        would wait."""
        return self._budget

    async def aclose(self) -> None:
        """Close the HTTP connection pool (unless it was passed in: its owner closes it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _is_token(api_key: object) -> bool:
    return (
        isinstance(api_key, str)
        and bool(api_key)
        and api_key.isascii()
        and api_key.isprintable()
        and " " not in api_key
    )
