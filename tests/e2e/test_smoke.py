"""The dashboard builds, serves, and renders its index page in a real browser."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import Dashboard

pytestmark = pytest.mark.e2e


def test_index_page_renders(dashboard: Dashboard, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(dashboard.url)
    expect(page.get_by_role("heading", name="orangeweb")).to_be_visible(timeout=30_000)
    page.close()
