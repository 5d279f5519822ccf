"""Issue 11 in real Chromium: Home's steps tick as the team gets going, a set-up install says so
on /sign-up, the Team page offers only what the viewer may do (and copies the invite link), the
studio's tabs and dialogue flags, and the Jobs and key tables on a 390 px phone.

On a dashboard of its own: the steps start unticked only on a fresh install."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from orangeweb.sandbox import SandboxConfig, issue_key
from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    UI_TIMEOUT_MS,
    add_team_key,
    create_character,
    ensure_owner,
    new_page,
    sign_in,
)
from tests.support.dashboard_server import Dashboard, served_dashboard
from tests.support.media import make_speech

pytestmark = pytest.mark.e2e

KEY_LABEL = "Onboarding sandbox"
ADMIN_PASSWORD = "admin password, long enough"
JOB_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with served_dashboard(tmp_path_factory.mktemp("onboarding-data")) as served:
        yield served


@pytest.fixture(scope="module")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_speech(
        tmp_path_factory.mktemp("onboarding-media") / "voice.wav",
        "Hello there, this is my voice sample for the onboarding test.",
        pitch_hz=150,
    )


def _step(page: Page, title: str):
    return page.get_by_test_id("onboarding-step").filter(has_text=title)


def _expect_done(page: Page, title: str, timeout: float = UI_TIMEOUT_MS) -> None:
    expect(_step(page, title).get_by_test_id("step-done")).to_be_visible(timeout=timeout)


def _expect_not_done(page: Page, title: str) -> None:
    expect(_step(page, title)).to_be_visible()
    expect(_step(page, title).get_by_test_id("step-done")).to_have_count(0)


def test_shell_team_and_onboarding(dashboard: Dashboard, browser: Browser, voice: Path) -> None:
    url = dashboard.url
    capture = BrowserCapture()
    ensure_owner(url)

    # /sign-up on a set-up install says so at once, with the way to sign in; no form.
    visitor = browser.new_context()
    visitor.set_default_timeout(UI_TIMEOUT_MS)
    stranger = visitor.new_page()
    stranger.goto(f"{url}/sign-up")
    expect(stranger.get_by_text("This orangeweb is already set up")).to_be_visible()
    expect(stranger.get_by_role("button", name="Create account")).to_have_count(0)
    stranger.get_by_test_id("already-set-up").click()
    expect(stranger).to_have_url(re.compile(r"/sign-in"))
    visitor.close()

    # Home: nothing done on a fresh team; each step ticks as its thing exists.
    owner_ctx, owner = new_page(browser, capture)
    owner_ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    sign_in(owner, url, OWNER_EMAIL, OWNER_PASSWORD)
    for title in ("Add an API key", "Create a character", "Voice your characters", "Dub a video"):
        _expect_not_done(owner, title)
    team_key = issue_key(SandboxConfig(data_dir=dashboard.data_dir / "sandbox"), "enterprise", 5000)
    add_team_key(owner, url, KEY_LABEL, team_key)
    owner.get_by_test_id("nav-home").click()
    _expect_done(owner, "Add an API key")
    _expect_not_done(owner, "Create a character")
    create_character(owner, url, "Onboarding Olga", voice)
    owner.get_by_test_id("nav-home").click()
    _expect_done(owner, "Create a character")
    _expect_not_done(owner, "Voice your characters")

    # A take started in the studio ticks step 3 on Home when it finishes (live, no reload).
    owner.get_by_test_id("nav-voice").click()
    owner.locator("#voice-text").fill("Welcome to the team, this is our very first take.")
    owner.get_by_test_id("voice-submit").click()
    expect(owner.get_by_test_id("take-card")).to_have_count(1)
    owner.get_by_test_id("nav-home").click()
    _expect_done(owner, "Voice your characters", timeout=JOB_TIMEOUT_MS)
    _expect_not_done(owner, "Dub a video")

    # Voice studio: a line without "Speaker N:" is flagged; the studio reopens on One voice.
    owner.get_by_test_id("nav-voice").click()
    owner.get_by_role("tab", name="Dialogue").click()
    owner.locator("#dialogue-text").fill("Speaker 1: Hi there\nhow are you today")
    expect(owner.get_by_test_id("dialogue-problems")).to_contain_text(
        "Line 2: start it with “Speaker 1:”"
    )
    expect(owner.get_by_test_id("voice-submit")).to_be_disabled()
    owner.get_by_test_id("nav-home").click()
    owner.get_by_test_id("nav-voice").click()
    expect(owner.get_by_role("tab", name="One voice")).to_have_attribute("aria-selected", "true")

    # New character reopens on its first tab.
    owner.get_by_test_id("nav-characters").click()
    owner.get_by_role("button", name="New character").click()
    owner.get_by_role("tab", name="Record").click()
    expect(owner.get_by_role("tab", name="Record")).to_have_attribute("aria-selected", "true")
    owner.get_by_role("button", name="Close").click()
    owner.get_by_role("button", name="New character").click()
    expect(owner.get_by_role("tab", name="Upload a file")).to_have_attribute(
        "aria-selected", "true"
    )
    owner.get_by_role("button", name="Close").click()

    # Team: an admin invite, copied with one click.
    owner.goto(f"{url}/team")
    owner.get_by_role("combobox", name="Invite role").click()
    owner.get_by_role("option", name="admin").click()
    owner.get_by_test_id("create-invite").click()
    invite_link = owner.get_by_test_id("invite-link").inner_text()
    owner.get_by_test_id("copy-invite").click()
    expect(owner.get_by_text("Invite link copied")).to_be_visible()
    assert owner.evaluate("navigator.clipboard.readText()") == invite_link

    admin_ctx, admin = new_page(browser, capture)
    admin.goto(invite_link)
    admin.get_by_label("Your name").fill("Ada Admin")
    admin.get_by_label("Email").fill("ada.admin@example.com")
    admin.get_by_label("Password (10+ characters)").fill(ADMIN_PASSWORD)
    admin.get_by_label("Repeat the password").fill(ADMIN_PASSWORD)
    admin.get_by_role("button", name="Join the team").click()
    expect(admin.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    # The admin joined a team that is past the first three steps already.
    _expect_done(admin, "Voice your characters")

    # The admin is offered nothing on the owner's row, and no role beyond admin elsewhere.
    admin.goto(f"{url}/team")
    owner_row = admin.get_by_test_id("member-row").filter(has_text="Olive Owner")
    expect(owner_row).to_be_visible()
    expect(owner_row.get_by_role("combobox", name="Role")).to_have_count(0)
    expect(owner_row.get_by_role("button", name="Remove")).to_have_count(0)
    # An admin's invites offer member and admin, never owner.
    admin.get_by_role("combobox", name="Invite role").click()
    expect(admin.get_by_role("option", name="admin")).to_be_visible()
    expect(admin.get_by_role("option", name="owner")).to_have_count(0)
    admin.keyboard.press("Escape")
    # The owner's own row offers nothing (the only owner); the admin's row offers Remove.
    owner.reload()
    own_row = owner.get_by_test_id("member-row").filter(has_text="Olive Owner")
    expect(own_row.get_by_role("button", name="Remove")).to_have_count(0)
    admin_row = owner.get_by_test_id("member-row").filter(has_text="Ada Admin")
    expect(admin_row.get_by_role("button", name="Remove")).to_be_visible()
    admin_ctx.close()

    capture.snapshot(owner_ctx)
    capture.assert_never_contains(team_key, OWNER_PASSWORD, ADMIN_PASSWORD)
    owner_ctx.close()

    # A phone: the Jobs and key tables show a row's status, credits and action.
    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844})
    phone_ctx.set_default_timeout(UI_TIMEOUT_MS)
    phone = phone_ctx.new_page()
    sign_in(phone, url, OWNER_EMAIL, OWNER_PASSWORD)
    phone.goto(f"{url}/jobs")
    row = phone.get_by_test_id("job-row").first
    for part in (
        row.get_by_test_id("job-open"),
        row.get_by_test_id("job-status"),
        row.get_by_test_id("job-row-credits"),
    ):
        part.scroll_into_view_if_needed()
        expect(part).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls
    row.get_by_test_id("job-open").click()
    expect(phone.get_by_test_id("job-credits")).to_contain_text(re.compile(r"\d+ credits?\b"))
    phone.get_by_role("button", name="Close").click()
    phone.goto(f"{url}/settings")
    key_row = phone.get_by_test_id("key-row").filter(has_text=KEY_LABEL)
    revoke = key_row.get_by_role("button", name="Revoke")
    revoke.scroll_into_view_if_needed()
    expect(revoke).to_be_in_viewport()
    expect(key_row.locator("code")).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone_ctx.close()
