"""Issue flow in real Chromium: an AI dialogue script, voiced; a 3-scene story; live updates.

The owner and a teammate (two browser contexts) use the dashboard served as the README runs it,
with the built-in sandbox doing the work and the dashboard's tracker following every job. No
page is reloaded while a job runs: what changes arrives through the live listener. Every
websocket frame and page of both contexts is captured and must never hold the key or a password.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from orangeweb.sandbox import SandboxConfig, issue_key
from orangeweb.sandbox.engine.media import ANALYSIS_RATE, decode_audio
from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    add_team_key,
    choose_key,
    create_character,
    ensure_owner,
    join_by_invite,
    new_page,
    sign_in,
)
from tests.support.dashboard_server import Dashboard
from tests.support.media import make_speech

pytestmark = pytest.mark.e2e

TEAMMATE_PASSWORD = "teammate password, quite long"
KEY_LABEL = "Studio sandbox"
# Jobs go queued -> processing -> completed in the sandbox, followed by the tracker.
JOB_TIMEOUT_MS = 180_000
# "m:ss / m:ss" of the waveform player, with a duration of at least one second.
HAS_DURATION = re.compile(r"/ (0:0[1-9]|0:[1-5]\d|[1-9]\d*:\d\d)")
STORY_LINES = (
    "The trail starts at the old mill, just after sunrise.",
    "I packed the map, two sandwiches and far too much chocolate.",
    "By noon we reached the lake, and the view was worth every step.",
)


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("voices")
    return {
        "ada": make_speech(
            folder / "ada.wav", "Hello, I am Ada and this is how my voice sounds.", pitch_hz=210
        ),
        "ben": make_speech(
            folder / "ben.wav", "Hi there, Ben speaking, with a lower voice than Ada.", pitch_hz=110
        ),
    }


def test_script_to_dialogue_and_story_with_live_updates(
    dashboard: Dashboard, browser: Browser, voices: dict[str, Path], tmp_path: Path
) -> None:
    url = dashboard.url
    capture = BrowserCapture()
    team_key = issue_key(SandboxConfig(data_dir=dashboard.data_dir / "sandbox"), "enterprise", 5000)
    ensure_owner(url)
    owner_ctx, owner = new_page(browser, capture)
    sign_in(owner, url, OWNER_EMAIL, OWNER_PASSWORD)
    add_team_key(owner, url, KEY_LABEL, team_key)
    mate_ctx, mate = new_page(browser, capture)
    join_by_invite(owner, mate, url, "Tess Teammate", "tess@example.com", TEAMMATE_PASSWORD)
    choose_key(mate, KEY_LABEL)
    create_character(owner, url, "Ada Voice", voices["ada"])
    create_character(owner, url, "Ben Voice", voices["ben"])

    # The teammate watches the team's jobs; nothing has run yet.
    # (Earlier tests of this dashboard may have run jobs of their own: count from here.)
    mate.goto(f"{url}/jobs")
    listed = mate.get_by_test_id("jobs-table").or_(mate.get_by_test_id("empty-state"))
    expect(listed).to_be_visible()
    earlier = mate.get_by_test_id("job-row").count()

    # Scripts: a dialogue for Ada (Speaker 1) and Ben (Speaker 2).
    owner.goto(f"{url}/scripts")
    owner.get_by_test_id("script-character").filter(has_text="Ada Voice").click()
    owner.get_by_test_id("script-character").filter(has_text="Ben Voice").click()
    expect(owner.get_by_text("Speaking order: Ada Voice → Ben Voice")).to_be_visible()
    owner.get_by_role("combobox", name="Template").click()
    owner.get_by_role("option", name="Interview").click()
    owner.get_by_label("Context: what the script is about").fill(
        "Two friends plan a weekend hike to a mountain lake."
    )
    expect(owner.get_by_test_id("context-count")).to_have_text("51 / 2000")
    owner.get_by_test_id("generate-script").click()
    editor = owner.get_by_test_id("script-editor")
    expect(editor).to_have_value(re.compile(r"Speaker 1:.+Speaker 2:", re.DOTALL))
    expect(owner.get_by_test_id("script-row")).to_have_count(1)
    script = editor.input_value()
    owner.get_by_test_id("voice-it").click()

    # Voice studio: the dialogue arrives mapped; a third speaker is flagged before any call.
    expect(owner).to_have_url(re.compile(r"/voice/?$"))
    dialogue = owner.locator("#dialogue-text")
    expect(dialogue).to_have_value(script)
    speakers = owner.get_by_test_id("speaker-row")
    expect(speakers.nth(0).get_by_role("button", name="Ada Voice")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(speakers.nth(1).get_by_role("button", name="Ben Voice")).to_have_attribute(
        "aria-pressed", "true"
    )
    dialogue.fill(script + "\nSpeaker 3: Can I come too?")
    expect(owner.get_by_test_id("dialogue-problems")).to_contain_text("Speaker 3 has no character")
    expect(owner.get_by_test_id("voice-submit")).to_be_disabled()
    dialogue.fill(script)
    expect(owner.get_by_test_id("dialogue-problems")).to_have_count(0)
    expect(owner.get_by_test_id("voice-estimate")).to_contain_text("2 credits per 10 s")

    # A double click submits once; the take goes to completed in place and plays.
    owner.get_by_test_id("voice-submit").dblclick()
    take = owner.get_by_test_id("take-card")
    expect(take.get_by_test_id("job-status")).to_have_text("completed", timeout=JOB_TIMEOUT_MS)
    expect(take).to_have_count(1)
    expect(take.get_by_test_id("waveform-time")).to_have_text(HAS_DURATION)
    take.get_by_test_id("waveform-play").click()
    expect(take.get_by_role("button", name="Pause")).to_be_visible()

    # Regenerate, then leave: the toast for the new take finds the owner on another page.
    take.get_by_test_id("take-regenerate").click()
    expect(owner.get_by_test_id("take-card")).to_have_count(2)
    again = owner.get_by_test_id("take-card").first.get_attribute("data-job-id")
    owner.get_by_test_id("nav-scripts").click()
    expect(owner.get_by_text(re.compile(rf"Your dialogue #{again} .+ is ready"))).to_be_visible(
        timeout=JOB_TIMEOUT_MS
    )
    owner.get_by_test_id("nav-voice").click()
    takes = owner.get_by_test_id("take-card")
    expect(takes).to_have_count(2)
    for index in range(2):
        expect(takes.nth(index).get_by_test_id("job-status")).to_have_text("completed")

    # The teammate saw the owner's two takes arrive and finish, live, and opens the first.
    rows = mate.get_by_test_id("job-row")
    expect(rows).to_have_count(earlier + 2)
    for index in range(2):
        expect(rows.nth(index).get_by_test_id("job-status")).to_have_text("completed")
    row = rows.nth(1)  # newest first: the second row is the first take
    expect(row).to_contain_text("Olive Owner")
    expect(row).to_contain_text("Ada Voice, Ben Voice")
    row.get_by_test_id("job-open").click()
    detail = mate.get_by_test_id("job-detail")
    expect(detail.get_by_test_id("job-event").filter(has_text="completed")).to_have_count(1)
    expect(detail.get_by_test_id("job-request")).to_contain_text("Speaker 1")
    mate.get_by_role("button", name="Close").click()
    mate.get_by_test_id("nav-home").click()
    expect(mate.get_by_test_id("team-activity")).to_be_visible()

    # Stories: three scenes (Ada, Ben, Ada), voiced as one batch, finishing live.
    owner.goto(f"{url}/stories")
    owner.locator("#story-title").fill("The hike")
    owner.get_by_test_id("add-scene").click()
    scenes = owner.get_by_test_id("scene-editor")
    expect(scenes).to_have_count(3)
    for index, line in enumerate(STORY_LINES):
        scenes.nth(index).get_by_role("textbox").fill(line)
    for index, name in enumerate(("Ada Voice", "Ben Voice", "Ada Voice")):
        scenes.nth(index).get_by_role("button", name=name).click()
        expect(scenes.nth(index).get_by_role("button", name=name)).to_have_attribute(
            "aria-pressed", "true"
        )
    expect(owner.get_by_test_id("story-estimate")).to_contain_text("credits")
    owner.get_by_test_id("submit-story").click()
    story = owner.get_by_test_id("story-card").filter(has_text="The hike")
    results = story.get_by_test_id("scene-result")
    expect(results).to_have_count(3)
    for index in range(3):
        expect(results.nth(index).get_by_test_id("job-status")).to_have_text(
            "completed", timeout=JOB_TIMEOUT_MS
        )
    expect(results.nth(0)).to_contain_text("Ada Voice")
    expect(results.nth(1)).to_contain_text("Ben Voice")
    expect(results.nth(2).get_by_test_id("waveform-time")).to_have_text(HAS_DURATION)
    with owner.expect_download() as download_info:
        story.get_by_test_id("download-story").click()
    joined = tmp_path / "story-joined"
    download_info.value.save_as(joined)
    seconds = len(decode_audio(joined)) / ANALYSIS_RATE
    assert seconds > 4.0, f"the joined story is {seconds:.1f} s long"

    # The teammate's home page showed the story in the team's activity, live; Jobs filters.
    activity = mate.get_by_test_id("activity-row").filter(has_text="The hike")
    expect(activity.get_by_test_id("job-status")).to_have_text("completed")
    expect(activity).to_contain_text("Olive Owner")
    mate.get_by_test_id("nav-jobs").click()
    expect(mate.get_by_test_id("job-row")).to_have_count(earlier + 3)
    mate.get_by_role("combobox", name="Kind").click()
    mate.get_by_role("option", name="Story").click()
    expect(mate.get_by_test_id("job-row")).to_have_count(1)
    expect(mate.get_by_test_id("job-row")).to_contain_text("The hike")

    capture.snapshot(owner_ctx)
    capture.snapshot(mate_ctx)
    capture.assert_never_contains(team_key, OWNER_PASSWORD, TEAMMATE_PASSWORD)
    owner_ctx.close()
    mate_ctx.close()
