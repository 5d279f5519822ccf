"""Browser tests: the dashboard built and served exactly as the README runs it (`make serve`),
with its own data directory, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.support.dashboard_server import Dashboard, served_dashboard


def _uses_the_shared_dashboard(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    definitions = info.name2fixturedefs.get("dashboard", ()) if info is not None else ()
    # The shared one is this conftest's (its id is the folder); a module's own is the module's.
    return bool(definitions) and not definitions[-1].baseid.endswith(".py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests with a dashboard of their own run before those sharing one: every `make serve`
    rebuilds the one frontend folder (.web) for its own port, so no other dashboard may start
    while the shared one serves. A stable sort: the order is otherwise kept."""
    items.sort(key=_uses_the_shared_dashboard)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The dashboard most browser tests share, on a fresh install."""
    with served_dashboard(tmp_path_factory.mktemp("dashboard-data")) as served:
        yield served


# Package scope: sync Playwright runs an event loop in this thread while it is open, which
# pytest-asyncio tests elsewhere must not see, so it closes when the e2e tests are done.
@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
