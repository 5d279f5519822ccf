"""The dashboard builds, serves, and renders in a real browser; a fresh install asks for set-up."""

import re

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
