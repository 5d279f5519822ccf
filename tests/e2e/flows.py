"""Browser flows the e2e tests share: sign in, join by invite, add a key, create a character.

Each drives the real UI and waits with Playwright's `expect`, never with sleeps."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.capture import BrowserCapture

UI_TIMEOUT_MS = 60_000
# The install's first account (the team-and-characters test makes the same one when it runs
# first: a dashboard has one sign-up, so whichever test comes first creates it).
OWNER_EMAIL = "olive@example.com"
OWNER_PASSWORD = "correct horse battery staple"


def new_page(browser: Browser, capture: BrowserCapture) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    capture.attach(page)
    return context, page


def ensure_owner(url: str) -> None:
    """Sign up the first account, unless an earlier test already did."""
    response = httpx.post(
        f"{url}/auth/sign-up",
        data={
            "team_name": "Acme Dubbing",
            "display_name": "Olive Owner",
            "email": OWNER_EMAIL,
            "password": OWNER_PASSWORD,
            "password_confirm": OWNER_PASSWORD,
        },
    )
    assert response.status_code == 200 or "already set up" in response.text, response.text


def sign_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def join_by_invite(owner: Page, member: Page, url: str, name: str, email: str, pw: str) -> None:
    owner.goto(f"{url}/team")
    owner.get_by_test_id("create-invite").click()
    invite_link = owner.get_by_test_id("invite-link").inner_text()
    member.goto(invite_link)
    member.get_by_label("Your name").fill(name)
    member.get_by_label("Email").fill(email)
    member.get_by_label("Password (10+ characters)").fill(pw)
    member.get_by_label("Repeat the password").fill(pw)
    member.get_by_role("button", name="Join the team").click()
    expect(member.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def add_team_key(page: Page, url: str, label: str, secret: str) -> None:
    """Settings → add a team-wide enterprise sandbox key, then act with it."""
    page.goto(f"{url}/settings")
    page.locator("#key-label").fill(label)
    page.locator("#key-secret").fill(secret)
    page.locator("#key-environment").select_option("sandbox")
    page.locator("#key-tier").select_option("enterprise")
    page.locator("#key-scope").select_option("team")
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_test_id("key-row").filter(has_text=label)).to_be_visible()
    choose_key(page, label)


def choose_key(page: Page, label: str) -> None:
    page.get_by_role("combobox", name="API key").click()
    page.get_by_role("option", name=re.compile(re.escape(label))).click()
    expect(page.get_by_role("combobox", name="API key")).to_contain_text(label)


def create_character(page: Page, url: str, name: str, sample: Path) -> None:
    page.goto(f"{url}/characters")
    page.get_by_role("button", name="New character").click()
    page.get_by_label("Name (2-50 characters)").fill(name)
    page.locator("#character_sample input[type=file]").set_input_files(str(sample))
    page.get_by_test_id("create-from-upload").click()
    expect(page.get_by_test_id("character-card").filter(has_text=name)).to_be_visible()
