"""The dashboard builds, serves, and renders in a real browser; a fresh install asks for set-up;
the tab's icon is served."""

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.support.dashboard_server import Dashboard

pytestmark = pytest.mark.e2e


def test_fresh_install_opens_on_team_set_up(dashboard: Dashboard, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(dashboard.url)
    expect(page).to_have_url(re.compile(r"/sign-up/?$"))
    expect(page.get_by_role("heading", name="Set up your team")).to_be_visible(timeout=30_000)
    page.close()


def test_the_favicon_is_served(dashboard: Dashboard) -> None:
    response = httpx.get(f"{dashboard.url}/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/")
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
