"""The auth routes over real HTTP (httpx through ASGI): the dashboard's plain HTTP routes on the
test's own database (tests/integration/conftest.py), and browsers that each come from an
address of their own.

A `browser(ip)` keeps its cookies like a real one does; `probe()` sends only what it is given, to
check an old cookie. With the `clock` fixture, sign-in runs on a clock that moves only when told.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from functools import partial

import httpx
import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette

from orangeweb.routes import auth as auth_routes
from orangeweb.routes import dubbing as dubbing_routes
from orangeweb.routes import jobs as jobs_routes
from orangeweb.routes import media as media_routes
from orangeweb.services.accounts import auth
from tests.unit.services.support import FakeClock

SITE = "http://orangeweb.test:3000"
ROUTE_MODULES = (auth_routes, media_routes, jobs_routes, dubbing_routes)

Browser = Callable[..., httpx.AsyncClient]


@pytest.fixture
def app(engine: Engine) -> Starlette:
    return Starlette(routes=[route for module in ROUTE_MODULES for route in module.routes])


@pytest.fixture
async def browser(app: Starlette) -> AsyncIterator[Browser]:
    """Opens clients on the app, each from the given address (default 127.0.0.1)."""
    async with AsyncExitStack() as stack:

        def open_browser(ip: str = "127.0.0.1") -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(ip, 50_000))
            client = httpx.AsyncClient(transport=transport, base_url=SITE)
            stack.push_async_callback(client.aclose)
            return client

        yield open_browser


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Sign-in through the routes on a settable clock (the routes look `auth.sign_in` up)."""
    fake = FakeClock()
    monkeypatch.setattr(auth, "sign_in", partial(auth.sign_in, clock=fake))
    return fake
