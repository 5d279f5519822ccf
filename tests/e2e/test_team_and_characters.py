"""Issue flow in real Chromium: sign up, invite a member, keys, and every character action.

Two browser contexts (the owner and an invited member) drive the dashboard served as the README
runs it, with the built-in sandbox. Every websocket frame, page, cookie and web storage of both
is captured and must never contain an API key or a password.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from orangeweb.sandbox import SandboxConfig, issue_key
from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import (
    OWNER_EMAIL,
    choose_key,
    create_character,
    join_by_invite,
    new_page,
    sign_in,
)
from tests.support.dashboard_server import Dashboard
from tests.support.media import make_silence, make_speech

pytestmark = pytest.mark.e2e

OWNER_PASSWORD = "correct horse battery staple"
MEMBER_PASSWORD = "ünïcödé pässwörd 🔑 long enough"
UI_TIMEOUT_MS = 60_000


def _new_page(browser: Browser, capture: BrowserCapture) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    capture.attach(page)
    return context, page


def _card(page: Page, name: str):
    return page.get_by_test_id("character-card").filter(has_text=name)


def _create_character(page: Page, name: str, sample: Path) -> None:
    page.get_by_role("button", name="New character").click()
    page.get_by_label("Name (2-50 characters)").fill(name)
    page.locator("#character_sample input[type=file]").set_input_files(str(sample))
    page.get_by_test_id("create-from-upload").click()


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("media")
    text_as_wav = folder / "notes.wav"
    text_as_wav.write_text("These are meeting notes, not audio.\n" * 20)
    return {
        "voice": make_speech(
            folder / "voice.wav",
            "Hello there, this is my voice sample for the dashboard test.",
            pitch_hz=120,
        ),
        "new_voice": make_speech(
            folder / "new_voice.wav",
            "And this is a brand new voice sample, a little higher.",
            pitch_hz=190,
        ),
        "short": make_silence(folder / "short.wav", 2.0),
        "text_as_wav": text_as_wav,
    }


def test_signed_out_browser_gets_sign_in_on_every_route(
    dashboard: Dashboard, browser: Browser
) -> None:
    # Set the team up first (a fresh install sends everyone to /sign-up instead).
    response = httpx.post(
        f"{dashboard.url}/auth/sign-up",
        data={
            "team_name": "Acme Dubbing",
            "display_name": "Olive Owner",
            "email": "olive@example.com",
            "password": OWNER_PASSWORD,
            "password_confirm": OWNER_PASSWORD,
        },
    )
    assert response.status_code == 200, response.text
    context = browser.new_context()
    page = context.new_page()
    for route in (
        "/",
        "/characters",
        "/voice",
        "/stories",
        "/scripts",
        "/dubbing",
        "/jobs",
        "/spending",
        "/team",
        "/settings",
        "/no-such-page",
    ):
        page.goto(f"{dashboard.url}{route}")
        expect(page).to_have_url(re.compile(r"/sign-in"))
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    context.close()


def test_team_keys_and_characters_end_to_end(
    dashboard: Dashboard, browser: Browser, media: dict[str, Path]
) -> None:
    capture = BrowserCapture()
    team_key = issue_key(SandboxConfig(data_dir=dashboard.data_dir / "sandbox"), "enterprise", 5000)

    # The owner signs in (the account was made by the previous test), wrong password first.
    owner_ctx, owner = _new_page(browser, capture)
    owner.goto(f"{dashboard.url}/sign-in")
    owner.get_by_label("Email").fill("olive@example.com")
    owner.get_by_label("Password").fill("not the password")
    owner.get_by_role("button", name="Sign in").click()
    expect(owner.get_by_test_id("form-error")).to_contain_text("do not match")
    owner.get_by_label("Password").fill(OWNER_PASSWORD)
    owner.get_by_role("button", name="Sign in").click()
    expect(owner.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    # Settings: add the team key through the form (checked, stored encrypted), then a sandbox key.
    owner.goto(f"{dashboard.url}/settings")
    owner.locator("#key-label").fill("Team sandbox")
    owner.locator("#key-secret").fill("ocsb_not_a_real_key_0000")
    owner.locator("#key-environment").select_option("sandbox")
    owner.get_by_role("button", name="Check and add").click()
    expect(owner.get_by_test_id("form-error")).to_contain_text("rejected")
    owner.locator("#key-secret").fill(team_key)
    owner.locator("#key-environment").select_option("sandbox")
    owner.locator("#key-tier").select_option("enterprise")
    owner.locator("#key-scope").select_option("team")
    owner.get_by_role("button", name="Check and add").click()
    expect(owner.get_by_test_id("key-row").filter(has_text="Team sandbox")).to_contain_text(
        team_key[-4:]
    )
    owner.get_by_test_id("create-sandbox-key").click()
    expect(owner.get_by_test_id("key-row")).to_have_count(2)
    owner.get_by_role("combobox", name="API key").click()
    owner.get_by_role("option", name=re.compile("Team sandbox")).click()

    # Team: invite a member, who joins in a second browser.
    owner.goto(f"{dashboard.url}/team")
    owner.get_by_test_id("create-invite").click()
    invite_link = owner.get_by_test_id("invite-link").inner_text()
    member_ctx, member = _new_page(browser, capture)
    member.goto(invite_link)
    expect(member.get_by_text("Acme Dubbing")).to_be_visible()
    member.get_by_label("Your name").fill("Max Member")
    member.get_by_label("Email").fill("max@example.com")
    member.get_by_label("Password (10+ characters)").fill(MEMBER_PASSWORD)
    member.get_by_label("Repeat the password").fill(MEMBER_PASSWORD)
    member.get_by_role("button", name="Join the team").click()
    expect(member.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    owner.reload()
    expect(owner.get_by_test_id("member-row")).to_have_count(2)

    # Characters: bad inputs first, each with its message and no character made.
    owner.goto(f"{dashboard.url}/characters")
    expect(owner.get_by_test_id("empty-state")).to_be_visible()
    _create_character(owner, "A", media["voice"])
    expect(owner.get_by_test_id("character-error")).to_contain_text("2 to 50")
    owner.get_by_label("Name (2-50 characters)").fill("Short Sample")
    owner.locator("#character_sample input[type=file]").set_input_files(str(media["short"]))
    owner.get_by_test_id("create-from-upload").click()
    expect(owner.get_by_test_id("character-error")).to_contain_text("at least 3")
    owner.locator("#character_sample input[type=file]").set_input_files(str(media["text_as_wav"]))
    owner.get_by_test_id("create-from-upload").click()
    expect(owner.get_by_test_id("character-error")).to_contain_text("not audio")
    owner.get_by_role("button", name="Close").click()

    # Create by upload, rename, restyle, replace the voice.
    _create_character(owner, "Narrator Nora", media["voice"])
    card = _card(owner, "Narrator Nora")
    expect(card).to_be_visible()
    remote_id = card.locator("code").inner_text()
    card.get_by_role("button", name="Edit").click()
    owner.locator("#edit-name").fill("Nora the Narrator")
    owner.get_by_test_id("style-bottts").click()
    owner.get_by_test_id("save-edit").click()
    expect(_card(owner, "Nora the Narrator")).to_contain_text("bottts")
    _card(owner, "Nora the Narrator").get_by_role("button", name="Edit").click()
    owner.locator("#replacement_sample input[type=file]").set_input_files(str(media["new_voice"]))
    owner.get_by_test_id("replace-voice").click()
    expect(owner.get_by_text("Voice replaced.")).to_be_visible()
    owner.get_by_role("button", name="Close").click()

    # The member uses the team key: sees the character, and imports one made outside.
    outside = httpx.post(
        f"{dashboard.url}/sandbox/api/characters/create",
        headers={"Authorization": f"Bearer {team_key}"},
        data={"name": "Outside Otto", "avatarStyle": "micah"},
        files={"voiceFile": ("otto.wav", media["voice"].read_bytes(), "audio/wav")},
    )
    assert outside.status_code == 200, outside.text
    member.goto(f"{dashboard.url}/characters")
    expect(_card(member, "Nora the Narrator")).to_be_visible()
    member.get_by_role("combobox", name="API key").click()
    member.get_by_role("option", name=re.compile("Team sandbox")).click()
    member.get_by_label("Character id to import").fill(outside.json()["characterId"])
    member.get_by_test_id("import-character").click()
    expect(_card(member, "Outside Otto")).to_be_visible()

    # Delete, with confirmation: gone remotely, then locally.
    _card(owner, "Nora the Narrator").get_by_role("button", name="Delete").click()
    owner.get_by_test_id("confirm-delete").click()
    expect(_card(owner, "Nora the Narrator")).to_have_count(0)
    gone = httpx.get(
        f"{dashboard.url}/sandbox/api/characters/{remote_id}",
        headers={"Authorization": f"Bearer {team_key}"},
    )
    assert gone.status_code == 404

    capture.snapshot(owner_ctx)
    capture.snapshot(member_ctx)
    capture.assert_never_contains(team_key, OWNER_PASSWORD, MEMBER_PASSWORD)
    server_log = dashboard.log_path.read_text()
    for secret in (team_key, OWNER_PASSWORD, MEMBER_PASSWORD):
        assert secret not in server_log
    database = (dashboard.data_dir / "orangeweb.db").read_bytes()
    assert team_key.encode() not in database
    owner_ctx.close()
    member_ctx.close()


def test_a_member_makes_a_character_available_on_the_team_key_and_voices_with_it(
    dashboard: Dashboard, browser: Browser, media: dict[str, Path]
) -> None:
    """The owner's character lives on their personal key; a member whose only key is the
    team's (so it is selected for them) makes it available there in one click and voices a
    line with it; the gallery shows one character with two homes; deleting asks one or all.
    Uses the previous test's keys: "Team sandbox" (team) and the owner's "Sandbox key"."""
    capture = BrowserCapture()
    owner_ctx, owner = new_page(browser, capture)
    sign_in(owner, dashboard.url, OWNER_EMAIL, OWNER_PASSWORD)
    choose_key(owner, "Sandbox key")
    create_character(owner, dashboard.url, "Pia Personal", media["voice"])
    expect(_card(owner, "Pia Personal").get_by_test_id("character-homes")).to_have_text(
        "Lives on Sandbox key"
    )

    member_ctx, member = new_page(browser, capture)
    join_by_invite(owner, member, dashboard.url, "Mo Member", "mo@example.com", MEMBER_PASSWORD)
    member.goto(f"{dashboard.url}/voice")
    # One usable key: it is the member's without choosing, and the picker says so.
    expect(member.get_by_role("combobox", name="API key")).to_contain_text("Team sandbox")
    expect(member.get_by_text("Acting with")).to_be_visible()
    elsewhere = member.get_by_test_id("elsewhere-character").filter(has_text="Pia Personal")
    expect(elsewhere).to_contain_text("Lives on another member's personal key")
    expect(member.get_by_test_id("voice-character").filter(has_text="Pia Personal")).to_have_count(
        0
    )
    elsewhere.get_by_role("button", name="Make available on Team sandbox").click()
    expect(member.get_by_text("“Pia Personal” is now available on Team sandbox.")).to_be_visible()
    expect(elsewhere).to_have_count(0)
    member.get_by_test_id("voice-character").filter(has_text="Pia Personal").click()
    member.locator("#voice-text").fill("Good morning, this line is read by Pia on the team key.")
    member.get_by_test_id("voice-submit").click()
    take = member.get_by_test_id("take-card").first
    expect(take).to_contain_text("Pia Personal")
    expect(take.get_by_test_id("job-status")).to_have_text("completed", timeout=180_000)

    # The studio follows the key picker: another key, that key's characters, no reload.
    owner.goto(f"{dashboard.url}/voice")
    chips = owner.get_by_test_id("voice-character")
    expect(chips.filter(has_text="Pia Personal")).to_be_visible()
    expect(chips.filter(has_text="Outside Otto")).to_have_count(0)
    expect(
        owner.get_by_test_id("elsewhere-character").filter(has_text="Outside Otto")
    ).to_be_visible()
    choose_key(owner, "Team sandbox")
    expect(chips.filter(has_text="Outside Otto")).to_be_visible()
    expect(owner.get_by_test_id("elsewhere-character")).to_have_count(0)
    choose_key(owner, "Sandbox key")

    # Spending: the take's reported charge, on the member and the team key, updated live.
    owner.goto(f"{dashboard.url}/spending")
    expect(owner.get_by_test_id("spend-reported")).to_have_text(re.compile(r"^[1-9]\d* credits?$"))
    expect(owner.get_by_test_id("spend-since")).to_contain_text("no balance")
    expect(owner.get_by_test_id("spend-per-member")).to_contain_text("Mo Member")
    expect(owner.get_by_test_id("spend-per-key")).to_contain_text("Team sandbox")
    expect(
        owner.get_by_test_id("spend-per-day").locator(".recharts-bar-rectangle")
    ).not_to_have_count(0)

    # The gallery: one Pia, two homes; deleting asks whether one copy or all.
    owner.goto(f"{dashboard.url}/characters")
    pia = _card(owner, "Pia Personal")
    expect(pia).to_have_count(1)
    expect(pia.get_by_test_id("character-homes")).to_have_text(
        "Lives on (2 copies): Sandbox key, Team sandbox"
    )
    pia.get_by_role("button", name="Delete").click()
    expect(owner.get_by_test_id("confirm-delete")).to_have_text("Delete this copy")
    owner.get_by_test_id("confirm-delete-all").click()
    expect(_card(owner, "Pia Personal")).to_have_count(0)
    member.goto(f"{dashboard.url}/characters")
    expect(member.get_by_test_id("character-card").first).to_be_visible()
    expect(_card(member, "Pia Personal")).to_have_count(0)

    capture.snapshot(owner_ctx)
    capture.snapshot(member_ctx)
    capture.assert_never_contains(OWNER_PASSWORD, MEMBER_PASSWORD)
    owner_ctx.close()
    member_ctx.close()


def test_phone_width_and_dark_theme(dashboard: Dashboard, browser: Browser) -> None:
    """At 390 px the sidebar folds into a drawer that still navigates; the theme toggles."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{dashboard.url}/sign-in")
    page.get_by_label("Email").fill("olive@example.com")
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(page.get_by_test_id("sidebar")).to_be_hidden()
    drawer = page.get_by_test_id("drawer")
    for _attempt in range(5):  # a click before the page has hydrated opens nothing: again
        page.get_by_test_id("menu-button").click()
        try:
            expect(drawer).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            continue
    drawer.get_by_role("link", name="Characters").click()
    expect(page).to_have_url(re.compile(r"/characters/?$"))
    expect(page.get_by_role("heading", name="Characters")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    html_class = page.locator("html").get_attribute("class") or ""
    page.get_by_test_id("theme-toggle").first.click()
    expect(page.locator("html")).not_to_have_class(html_class)
    context.close()
