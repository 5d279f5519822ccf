"""Issue 11 in real Chromium: a story scene fails (the built-in sandbox's fault injection), the
owner clicks "Resubmit the failed scenes", and the story completes: the failed scene alone runs
again as a new batch, and the whole story then downloads with every scene.

The sandbox mounted in the dashboard is driven through its admin API (`/sandbox/admin`), with
the token the dashboard itself uses (`<data dir>/sandbox/admin-token`). The injected failure is
tied to this test's own key. The test has a dashboard of its own: its team, jobs and story must
not appear in the tests that expect a fresh install or an empty Jobs page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from orangeweb.sandbox import SandboxConfig, issue_key
from orangeweb.sandbox.engine.media import ANALYSIS_RATE, decode_audio
from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    add_team_key,
    create_character,
    ensure_owner,
    new_page,
    sign_in,
)
from tests.support.dashboard_server import Dashboard, served_dashboard
from tests.support.media import make_speech

pytestmark = pytest.mark.e2e

KEY_LABEL = "Resubmit sandbox"


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    with served_dashboard(tmp_path_factory.mktemp("resubmit-data")) as served:
        yield served


JOB_TIMEOUT_MS = 180_000
TITLE = "The lighthouse"
LINES = (
    "The lamp had burned every night for a hundred years.",
    "Then one stormy evening, it flickered and went dark.",
)


def _fail_next_scene(dashboard: Dashboard, key: str, message: str) -> None:
    """Make the next scene of `key`'s jobs fail once it starts (sandbox admin API)."""
    config = SandboxConfig(data_dir=dashboard.data_dir / "sandbox")
    headers = {"Authorization": f"Bearer {config.resolved_admin_token()}"}
    with httpx.Client(base_url=f"{dashboard.url}/sandbox/admin", headers=headers) as admin:
        found = admin.post("/keys/lookup", json={"key": key})
        found.raise_for_status()
        injected = admin.post(
            "/jobs/fail-next",
            json={"count": 1, "message": message, "keyId": found.json()["keyId"]},
        )
        injected.raise_for_status()


def test_a_failed_scene_is_resubmitted_and_the_story_completes(
    dashboard: Dashboard, browser: Browser, tmp_path: Path
) -> None:
    url = dashboard.url
    capture = BrowserCapture()
    key = issue_key(SandboxConfig(data_dir=dashboard.data_dir / "sandbox"), "enterprise", 5000)
    ensure_owner(url)
    context, owner = new_page(browser, capture)
    sign_in(owner, url, OWNER_EMAIL, OWNER_PASSWORD)
    add_team_key(owner, url, KEY_LABEL, key)
    voice = make_speech(
        tmp_path / "keeper.wav", "Hello, I am the keeper and this is my voice.", pitch_hz=150
    )
    create_character(owner, url, "Keeper Voice", voice)

    # The story's first scene to start fails; the other completes.
    _fail_next_scene(dashboard, key, "the lamp engine broke")
    owner.goto(f"{url}/stories")
    owner.locator("#story-title").fill(TITLE)
    scenes = owner.get_by_test_id("scene-editor")
    while scenes.count() < len(LINES):
        owner.get_by_test_id("add-scene").click()
    expect(scenes).to_have_count(len(LINES))
    for index, line in enumerate(LINES):
        scenes.nth(index).get_by_role("textbox").fill(line)
        scenes.nth(index).get_by_role("button", name="Keeper Voice").click()
        expect(scenes.nth(index).get_by_role("button", name="Keeper Voice")).to_have_attribute(
            "aria-pressed", "true"
        )
    owner.get_by_test_id("submit-story").click()

    first = owner.get_by_test_id("story-card").filter(has_text=TITLE).filter(has_not_text="again")
    results = first.get_by_test_id("scene-result")
    expect(results).to_have_count(len(LINES))
    statuses = results.get_by_test_id("job-status")
    expect(statuses.filter(has_text="failed")).to_have_count(1, timeout=JOB_TIMEOUT_MS)
    expect(statuses.filter(has_text="completed")).to_have_count(1, timeout=JOB_TIMEOUT_MS)
    expect(first).to_contain_text("the lamp engine broke")

    # Resubmit: only the failed scene runs again, as a new batch of the same story.
    first.get_by_test_id("resubmit-failed").click()
    again = owner.get_by_test_id("story-card").filter(has_text=re.compile(r"\(scene \d again\)"))
    expect(again).to_have_count(1)
    again_results = again.get_by_test_id("scene-result")
    expect(again_results).to_have_count(1)
    expect(again_results.get_by_test_id("job-status")).to_have_text(
        "completed", timeout=JOB_TIMEOUT_MS
    )
    expect(again.get_by_test_id("resubmit-failed")).to_have_count(0)

    # The whole story now joins both scenes: longer than either one alone.
    with owner.expect_download() as download_info:
        again.get_by_test_id("download-story").click()
    joined = tmp_path / "story-joined"
    download_info.value.save_as(joined)
    seconds = len(decode_audio(joined)) / ANALYSIS_RATE
    assert seconds > 4.0, f"the joined story is {seconds:.1f} s long"

    capture.snapshot(context)
