"""Dubbing studio in real Chromium: a two-speaker video uploaded through the page in chunks,
its transcript edited, translated to Spanish, voices mapped (one character, one original),
dubbed with the stepper completing live (no reload), the result played (one transport for the
dub and the original's sound) and the file and SRT downloaded; then bad inputs, each with its
message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from orangeweb.orangeclone.constants import LANGUAGES
from orangeweb.sandbox import SandboxConfig, issue_key
from orangeweb.states.dubbing_project_rows import flag_country
from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import (
    OWNER_EMAIL,
    OWNER_PASSWORD,
    add_team_key,
    choose_key,
    create_character,
    ensure_owner,
    new_page,
    sign_in,
)
from tests.e2e.raw_upload import (
    DUBBING_MEDIA_HANDLER,
    assert_nothing_kept,
    open_files,
    post_upload,
    server_processes,
    stored_bytes,
)
from tests.support.dashboard_server import Dashboard, served_dashboard
from tests.support.media import make_speech, make_tone_video, make_two_speaker_video

pytestmark = pytest.mark.e2e

KEY_LABEL = "Dub sandbox"
FREE_LABEL = "Free sandbox"
JOB_TIMEOUT_MS = 240_000

UPLOAD_CAP_BYTES = 8 * 1024 * 1024


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """A dashboard of its own, as the shared one is served (`make migrate serve`): the other
    e2e modules expect a fresh install and an exact set of keys, which this one would change."""
    # A small cap, so "a file over the cap" needs no gigabytes (the test media are < 5 MB).
    with served_dashboard(
        tmp_path_factory.mktemp("dubbing-dashboard-data"),
        ORANGEWEB_UPLOAD_MAX_BYTES=str(UPLOAD_CAP_BYTES),
    ) as served:
        yield served


def _add_free_key(page: Page, url: str, secret: str) -> None:
    page.goto(f"{url}/settings")
    page.locator("#key-label").fill(FREE_LABEL)
    page.locator("#key-secret").fill(secret)
    page.locator("#key-environment").select_option("sandbox")
    page.locator("#key-tier").select_option("free")
    page.locator("#key-scope").select_option("team")
    page.get_by_role("button", name="Check and add").click()
    expect(page.get_by_test_id("key-row").filter(has_text=FREE_LABEL)).to_be_visible()


# Records, in the page, every progress element that ever appeared (they are gone once the
# file is through, often before an assertion could look).
WATCH_PROGRESS = """() => {
  window.__seen = new Set();
  const look = () => {
    for (const id of ['upload-progress', 'dub-send-progress', 'dub-upload-rate']) {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (el) window.__seen.add(id + ':' + el.textContent);
    }
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true,
    characterData: true});
}"""


# The slot-fit badge's words (services/media/slot_fit.fit_words).
FIT_WORDS = re.compile(
    r"fits|sped up \d+\.\d\u00d7 to fit"
    r"|needs (\d+\.\d|more than 10)\u00d7 speed to fit \u2014 shorten or allow"
)
# [dub muted, original muted] of the result's paired player.
MUTED = (
    "() => [document.getElementById('dub-output-player').muted,"
    " document.getElementById('dub-original-audio').muted]"
)
# The original's hidden audio is where the dub's transport is (within its drift allowance).
IN_STEP = (
    "() => Math.abs(document.getElementById('dub-original-audio').currentTime"
    " - document.getElementById('dub-output-player').currentTime) < 0.3"
)


def _background_image(locator: Locator) -> str:
    return str(locator.first.evaluate("el => getComputedStyle(el).backgroundImage"))


def _upload(page: Page, path: Path) -> None:
    page.locator("#dub-media input[type=file]").set_input_files(str(path))
    page.get_by_test_id("dub-upload").click()


def _vtt_time(seconds: float) -> str:
    minutes, rest = divmod(max(seconds, 0.0), 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def test_dub_two_speaker_video(dashboard: Dashboard, browser: Browser, tmp_path: Path) -> None:
    url = dashboard.url
    capture = BrowserCapture()
    sandbox = SandboxConfig(data_dir=dashboard.data_dir / "sandbox")
    team_key = issue_key(sandbox, "enterprise", 5000)
    ensure_owner(url)
    ctx, page = new_page(browser, capture)
    sign_in(page, url, OWNER_EMAIL, OWNER_PASSWORD)
    add_team_key(page, url, KEY_LABEL, team_key)
    voice = make_speech(
        tmp_path / "dora.wav",
        "Hello, I am Dora, and this is how my voice sounds when I read aloud.",
        pitch_hz=210,
    )
    create_character(page, url, "Dora Dub", voice)
    video = make_two_speaker_video(tmp_path / "two speakers.mp4")

    page.goto(f"{url}/dubbing")
    expect(page.get_by_test_id("empty-state")).to_contain_text("No dubbing projects yet")
    page.evaluate(WATCH_PROGRESS)
    _upload(page, video)
    expect(page.get_by_test_id("dub-checked")).to_contain_text(
        re.compile(r"≈ \d+ credits? per language")
    )
    seen = " | ".join(page.evaluate("() => [...window.__seen]"))
    assert "Uploading to the dashboard…100%" in seen, seen
    assert "Sending to OrangeClone…" in seen, seen
    expect(page.get_by_test_id("dub-send-progress")).to_contain_text("Sent to OrangeClone100%")
    assert re.search(r"/s · \d+:\d\d left", seen), seen
    panel = page.get_by_test_id("dub-panel")
    expect(panel).to_be_visible()
    # Transcription runs on the sandbox; the segments arrive through the live listener.
    segments = panel.get_by_test_id("dub-segment")
    expect(segments.first).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(panel.get_by_test_id("dub-speaker")).to_have_count(2)

    # Clicking a segment's time seeks the source player.
    segments.nth(1).get_by_test_id("dub-seek").click()
    page.wait_for_function("() => document.getElementById('dub-source-player').currentTime > 0.1")
    # The segment under the playhead is highlighted (in the browser, no server round trip).
    expect(segments.nth(1)).to_have_attribute("data-playing", "true")
    expect(segments.first).not_to_have_attribute("data-playing", "true")

    # Edit a segment's text (saved on blur).
    first_text = segments.first.get_by_test_id("dub-segment-text")
    first_text.fill("Welcome to the edited show.")
    first_text.blur()
    expect(page.get_by_text("Segment saved.")).to_be_visible()

    # Translate everything to Spanish.
    panel.get_by_role("combobox", name="Target language").click()
    page.get_by_role("option", name=re.compile("Spanish")).click()
    # The picker's flags are SVGs (flag-icons), not emoji that Chromium draws as letters.
    trigger = panel.get_by_role("combobox", name="Target language")
    expect(trigger.locator(".fi-es")).to_have_count(1)
    assert "svg" in _background_image(trigger.locator(".fi-es")), "no SVG flag"
    panel.get_by_test_id("dub-translate").click()
    translation = segments.first.get_by_test_id("dub-segment-translation")
    expect(translation).to_be_visible(timeout=JOB_TIMEOUT_MS)
    expect(translation).not_to_have_value("")
    # The sandbox's pseudo-translation: a badge says so; its "[pseudo-es]" tag is not shown.
    expect(translation).not_to_have_value(re.compile(r"\[pseudo-"))
    expect(segments.first.get_by_test_id("dub-pseudo")).to_have_text("pseudo-translation (sandbox)")
    # Slot fits read as words with the speed-up, never as a code such as "too_long".
    expect(segments.first.get_by_test_id("dub-fit")).to_have_text(FIT_WORDS)
    for fit_text in segments.get_by_test_id("dub-fit").all_inner_texts():
        assert FIT_WORDS.fullmatch(fit_text), fit_text

    # A WebVTT file into the translation: its cue lands on the segment it overlaps; a file
    # with overlapping cues imports nothing and says which.
    start = float(segments.first.get_attribute("data-start") or 0)
    end = float(segments.first.get_attribute("data-end") or 0)
    vtt = tmp_path / "fixed.vtt"
    vtt.write_text(
        f"WEBVTT\n\n{_vtt_time(start + 0.05)} --> {_vtt_time(end - 0.05)}\n"
        "<v Speaker 1>Hola a todos.\n"
    )
    panel.get_by_test_id("dub-import-open").click()
    page.locator("#dub_subtitles input[type=file]").set_input_files(str(vtt))
    page.get_by_test_id("dub-import").click()
    expect(page.get_by_text("1 cue read; 1 segment of the translation changed.")).to_be_visible()
    expect(segments.first.get_by_test_id("dub-segment-translation")).to_have_value("Hola a todos.")
    clash = tmp_path / "clash.srt"
    clash.write_text(
        "1\n00:00:00,000 --> 00:00:02,000\nUno\n\n2\n00:00:01,000 --> 00:00:03,000\nDos\n"
    )
    panel.get_by_test_id("dub-import-open").click()
    page.locator("#dub_subtitles input[type=file]").set_input_files(str(clash))
    page.get_by_test_id("dub-import").click()
    expect(
        page.get_by_text(re.compile(r"Nothing was imported: .*Cue 2 .* overlaps cue 1"))
    ).to_be_visible()
    expect(segments.first.get_by_test_id("dub-segment-translation")).to_have_value("Hola a todos.")

    # Voices: speaker 1 is renamed (Enter saves) and gets the character; speaker 2 keeps the
    # original.
    speakers = panel.get_by_test_id("dub-speaker")
    speakers.nth(0).get_by_test_id("dub-speaker-name").fill("Host")
    speakers.nth(0).get_by_test_id("dub-speaker-name").press("Enter")
    expect(page.get_by_text("Speaker renamed.")).to_be_visible()
    expect(speakers.nth(0).get_by_test_id("dub-speaker-name")).to_have_value("Host")
    speakers.nth(0).get_by_test_id("dub-voice-character").filter(has_text="Dora Dub").click()
    expect(speakers.nth(0)).to_contain_text("→ Dora Dub")
    expect(panel).to_contain_text("Host → Dora Dub")
    speakers.nth(1).get_by_test_id("dub-voice-original").click()
    expect(speakers.nth(1)).to_contain_text("→ Original voice")
    expect(panel.get_by_test_id("dub-summary-estimate")).to_contain_text("credits")
    expect(panel).to_contain_text("Spanish")
    summary_language = panel.get_by_test_id("dub-summary-language")
    expect(summary_language).to_have_text(re.compile(r"^Language: ?Spanish$"))
    assert "svg" in _background_image(summary_language.locator(".fi-es")), "no SVG flag"

    # Takes of one line: Host's first line in Dora's voice, made live, kept, pinned; an edit
    # of its translation makes it stale until a take of the new words is pinned.
    host_line = segments.filter(has=page.get_by_role("combobox").filter(has_text="Host")).first
    expect(segments.filter(has_text="Speaker 2").first.get_by_test_id("dub-preview")).to_have_count(
        0
    )  # the original voice: nothing to preview
    host_line.get_by_test_id("dub-preview").click()
    first_take = host_line.get_by_test_id("dub-take")
    expect(first_take).to_have_count(1)
    expect(first_take.get_by_test_id("job-status")).to_have_text(
        "completed", timeout=JOB_TIMEOUT_MS
    )
    expect(first_take.get_by_test_id("take-pinned")).to_be_visible()
    expect(first_take).to_contain_text(re.compile(r"charged \d+ credits?"))
    expect(first_take.locator("audio")).to_have_count(1)
    translation_box = host_line.get_by_test_id("dub-segment-translation")
    translation_box.fill("Bienvenidos al programa editado.")
    translation_box.blur()
    expect(host_line.get_by_test_id("dub-stale")).to_be_visible()
    expect(panel.get_by_test_id("dub-stale-count")).to_contain_text("1 stale")
    host_line.get_by_test_id("dub-preview").click()
    line_takes = host_line.get_by_test_id("dub-take")
    expect(line_takes).to_have_count(2)
    newest = line_takes.first
    expect(newest).to_contain_text("Bienvenidos al programa editado.")
    expect(newest.get_by_test_id("job-status")).to_have_text("completed", timeout=JOB_TIMEOUT_MS)
    newest.get_by_test_id("take-pin").click()
    expect(newest.get_by_test_id("take-pinned")).to_be_visible()
    expect(line_takes.last.get_by_test_id("take-pin")).to_be_visible()
    expect(host_line.get_by_test_id("dub-stale")).to_have_count(0)
    expect(panel.get_by_test_id("dub-stale-count")).to_have_count(0)

    # Dub, and watch the stepper complete without reloading.
    panel.get_by_test_id("dub-start").click()
    steps = panel.get_by_test_id("dub-step")
    expect(steps.last).to_have_attribute("data-state", "done", timeout=JOB_TIMEOUT_MS)
    output = page.locator("#dub-output-player")
    expect(output).to_be_visible()
    page.wait_for_function(
        "() => { const v = document.getElementById('dub-output-player');"
        " return v && v.readyState >= 1 && v.duration > 1; }"
    )
    # One picture: the dub's, with the original's sound one switch away (no second copy of
    # the source video beside it, and the editor's source player gives way to it).
    expect(panel.locator("video")).to_have_count(1)
    expect(page.locator("#dub-source-player")).to_have_count(0)
    # (Radix's segmented control draws each label twice, one copy for sizing: ask by name.)
    expect(panel.get_by_role("radio", name="Original", exact=True)).to_be_visible()
    expect(panel.get_by_role("radio", name="Dubbed · Spanish", exact=True)).to_be_visible()
    expect(panel.get_by_test_id("dub-hearing-label")).to_have_text("Playing: Dubbed · Spanish")
    assert page.evaluate(MUTED) == [False, True]  # [dub, original]: the dub is heard
    page.evaluate("() => document.getElementById('dub-output-player').play()")
    page.wait_for_function("() => document.getElementById('dub-output-player').currentTime > 0")
    # The hidden original follows the one transport: play, seek, pause.
    page.wait_for_function("() => !document.getElementById('dub-original-audio').paused")
    page.evaluate("() => { document.getElementById('dub-output-player').currentTime = 1.5; }")
    page.wait_for_function(IN_STEP)
    panel.get_by_test_id("dub-hear-original").click()
    expect(panel.get_by_test_id("dub-hearing-label")).to_have_text("Playing: Original")
    page.wait_for_function(f"() => {{ const m = ({MUTED})(); return m[0] && !m[1]; }}")
    page.evaluate("() => document.getElementById('dub-output-player').pause()")
    page.wait_for_function("() => document.getElementById('dub-original-audio').paused")
    page.wait_for_function(IN_STEP)
    # The transcript's seek buttons now drive the result's player.
    segments.nth(1).get_by_test_id("dub-seek").click()
    expect(segments.nth(1)).to_have_attribute("data-playing", "true")

    # The dubbed file is named after the source and the language, not the source's own name.
    with page.expect_download() as download_info:
        panel.get_by_test_id("dub-download").click()
    assert download_info.value.suggested_filename == "two speakers.es.dubbed.mp4"

    with page.expect_download() as download_info:
        panel.get_by_test_id("dub-srt").click()
    srt = Path(download_info.value.path()).read_text()
    assert "-->" in srt and "1\n" in srt

    # The guest keeps their own voice: a character made of their speech, cut from the source.
    speakers.nth(1).get_by_test_id("dub-voice-to-character").click()
    page.get_by_role("textbox", name="Character name").fill("Guest Voice")
    page.get_by_test_id("dub-make-voice-character").click()
    expect(page.get_by_text("Character “Guest Voice” made of this voice.")).to_be_visible()
    expect(speakers.nth(1)).to_contain_text("→ Guest Voice")
    expect(speakers.nth(0).get_by_test_id("dub-voice-character")).to_contain_text(["Guest Voice"])

    # Speaker repair: a guest line, selected, moves to the host; then the guest, merged into
    # the host, is no longer listed.
    guest_lines = segments.filter(has=page.get_by_role("combobox").filter(has_text="Speaker 2"))
    guest_count = guest_lines.count()
    assert guest_count >= 2
    guest_lines.nth(0).get_by_role("checkbox", name="Select segment").click()
    bar = panel.get_by_test_id("dub-selection-bar")
    expect(bar).to_contain_text("1 selected")
    bar.get_by_role("combobox", name="Move selected to").click()
    page.get_by_role("option", name="Host").click()
    expect(page.get_by_text("1 segment moved.")).to_be_visible()
    expect(guest_lines).to_have_count(guest_count - 1)
    expect(bar).to_have_count(0)  # the selection did its work
    speakers.nth(1).get_by_role("combobox", name="Merge Speaker 2 into").click()
    page.get_by_role("option", name="Host").click()
    expect(page.get_by_text("Speakers merged.")).to_be_visible()
    expect(panel.get_by_test_id("dub-speaker")).to_have_count(1)
    expect(guest_lines).to_have_count(0)
    capture.assert_never_contains(team_key)
    ctx.close()


def test_dubbing_bad_inputs(dashboard: Dashboard, browser: Browser, tmp_path: Path) -> None:
    url = dashboard.url
    capture = BrowserCapture()
    sandbox = SandboxConfig(data_dir=dashboard.data_dir / "sandbox")
    ensure_owner(url)
    ctx, page = new_page(browser, capture)
    sign_in(page, url, OWNER_EMAIL, OWNER_PASSWORD)
    _add_free_key(page, url, issue_key(sandbox, "free", 100))
    choose_key(page, FREE_LABEL)

    fake = tmp_path / "notes.mp4"
    fake.write_text("These are my notes, not a video.\n" * 50)
    page.goto(f"{url}/dubbing")
    _upload(page, fake)
    expect(page.get_by_test_id("dub-upload-error")).to_contain_text("not audio or video")

    long_video = make_tone_video(tmp_path / "three minutes.mp4", 180.0)
    _upload(page, long_video)
    expect(page.get_by_test_id("dub-upload-error")).to_contain_text("Free key dubs at most")

    too_big = tmp_path / "too big.mp4"
    with too_big.open("wb") as out:
        out.truncate(UPLOAD_CAP_BYTES + 1024)
    page.locator("#dub-media input[type=file]").set_input_files(str(too_big))
    expect(page.get_by_text(re.compile("larger than"))).to_be_visible()
    expect(page.get_by_test_id("dub-checked")).to_have_count(0)

    # The same past the browser: a forged chunked upload for this tab, straight to /_upload.
    # It is cut near the cap (by the handler or the upload guard), and nothing is kept.
    kept_before = stored_bytes(dashboard.data_dir)
    files_before = open_files(server_processes(dashboard.data_dir))
    cookie = next(c for c in ctx.cookies() if c["name"] == "orangeweb_session")
    forged = post_upload(
        url,
        {
            "cookie": f"orangeweb_session={cookie['value']}",
            "reflex-event-handler": DUBBING_MEDIA_HANDLER,
            "reflex-client-token": page.evaluate("() => window.sessionStorage.getItem('token')"),
        },
        declared_length=None,
        body_bytes=8 * UPLOAD_CAP_BYTES,
    )
    assert forged.status in (400, 413), forged
    assert forged.body_bytes_sent < 8 * UPLOAD_CAP_BYTES
    assert_nothing_kept(dashboard, kept_before, files_before)
    ctx.close()


def test_every_dubbing_languages_flag_is_in_the_built_frontend(dashboard: Dashboard) -> None:
    # Serving the dashboard built the frontend, which installed flag-icons into .web/.
    package = Path(__file__).parents[2] / ".web" / "node_modules" / "flag-icons"
    css = (package / "css" / "flag-icons.min.css").read_text()
    for language in LANGUAGES:
        country = flag_country(language.code)
        assert (package / "flags" / "4x3" / f"{country}.svg").is_file(), language
        assert f".fi-{country}{{" in css, language


STUDIO_LABEL = "Studio sandbox"
SOURCE = "document.getElementById('dub-source-player')"
# The player's time set by the test, as an editor scrubbing would.
SET_TIME = "t => { document.getElementById('dub-source-player').currentTime = t; }"


def _block_times(block: Locator) -> tuple[float, float]:
    return float(block.get_attribute("data-start") or 0), float(
        block.get_attribute("data-end") or 0
    )


def test_segment_studio_timeline(dashboard: Dashboard, browser: Browser, tmp_path: Path) -> None:
    """The timeline: split at the playhead, drag an edge, undo, the keyboard, preview a line,
    render changed and play the render; a second tab sees the edits live."""
    url = dashboard.url
    capture = BrowserCapture()
    sandbox = SandboxConfig(data_dir=dashboard.data_dir / "sandbox")
    secret = issue_key(sandbox, "enterprise", 5000)
    ensure_owner(url)
    ctx, page = new_page(browser, capture)
    sign_in(page, url, OWNER_EMAIL, OWNER_PASSWORD)
    add_team_key(page, url, STUDIO_LABEL, secret)
    choose_key(page, STUDIO_LABEL)
    voice = make_speech(tmp_path / "sam.wav", "Hello, I am Sam, and I read this aloud for you.")
    create_character(page, url, "Sam Studio", voice)
    video = make_two_speaker_video(tmp_path / "studio talk.mp4")
    page.goto(f"{url}/dubbing")
    _upload(page, video)
    panel = page.get_by_test_id("dub-panel")
    timeline = panel.get_by_test_id("dub-timeline")
    blocks = timeline.get_by_test_id("dub-block")
    expect(blocks.first).to_be_visible(timeout=JOB_TIMEOUT_MS)
    segments = panel.get_by_test_id("dub-segment")
    count = segments.count()
    expect(blocks).to_have_count(count)
    # The source's waveform, read once with ffmpeg, is drawn under the lanes.
    expect(timeline.get_by_test_id("dub-waveform").locator("path")).to_have_attribute(
        "d", re.compile(r"^M0,")
    )
    speakers = panel.get_by_test_id("dub-speaker")
    for index in range(speakers.count()):
        speakers.nth(index).get_by_test_id("dub-voice-character").filter(
            has_text="Sam Studio"
        ).click()
        expect(speakers.nth(index)).to_contain_text("→ Sam Studio")

    # A second tab on the same project sees every edit live.
    ctx2, page2 = new_page(browser, capture)
    sign_in(page2, url, OWNER_EMAIL, OWNER_PASSWORD)
    page2.goto(f"{url}/dubbing")
    page2.get_by_test_id("dub-project").filter(has_text="studio talk.mp4").click()
    blocks2 = page2.get_by_test_id("dub-block")
    expect(blocks2).to_have_count(count)

    # Split at the playhead: click the longest block (it is focused, with its line), put the
    # playhead in its middle, split.
    times = [_block_times(blocks.nth(i)) for i in range(count)]
    longest = max(range(count), key=lambda i: times[i][1] - times[i][0])
    blocks.nth(longest).click()
    expect(blocks.nth(longest)).to_have_attribute("data-focused", "true")
    expect(segments.nth(longest)).to_have_attribute("data-focused", "true")
    start, end = times[longest]
    page.evaluate(SET_TIME, (start + end) / 2)
    panel.get_by_test_id("dub-split-playhead").click()
    expect(page.get_by_text("Segment split at the playhead.")).to_be_visible()
    expect(blocks).to_have_count(count + 1)
    expect(blocks2).to_have_count(count + 1)  # live in the other tab

    # Drag the focused block's end edge to the left (snapping off): it is retimed.
    panel.get_by_role("checkbox", name="Snap to silence").click()
    focused = timeline.locator("[data-focused='true']")
    before = _block_times(focused)
    handle = focused.get_by_test_id("dub-edge-end").bounding_box()
    assert handle is not None
    page.mouse.move(handle["x"] + 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(handle["x"] - 25, handle["y"] + handle["height"] / 2, steps=5)
    page.mouse.up()
    expect(page.get_by_text("Segment retimed.")).to_be_visible()
    expect(focused).not_to_have_attribute("data-end", str(before[1]))
    assert _block_times(focused)[1] < before[1]
    # Undo puts the end back, here and in the other tab.
    panel.get_by_test_id("dub-undo").click()
    expect(page.get_by_text("Undone: Retime a segment.")).to_be_visible()
    expect(focused).to_have_attribute("data-end", re.compile(rf"^{before[1]:g}"))

    # The keyboard: → focuses the next line, Esc leaves it.
    page.locator("body").press("ArrowRight")
    expect(blocks.nth(longest + 1)).to_have_attribute("data-focused", "true")
    page.locator("body").press("Escape")
    expect(timeline.locator("[data-focused='true']")).to_have_count(0)

    # Preview one line in place.
    segments.first.get_by_test_id("dub-preview").click()
    take = segments.first.get_by_test_id("dub-take")
    expect(take.get_by_test_id("job-status")).to_have_text("completed", timeout=JOB_TIMEOUT_MS)
    # Heard in place: over the picture (the source muted meanwhile), then the sound is back.
    take.get_by_test_id("take-over-picture").click()
    page.wait_for_function(f"() => {SOURCE}.muted && !{SOURCE}.paused")
    page.wait_for_function(f"() => !{SOURCE}.muted && {SOURCE}.paused")

    # Render changed: the confirm compares both ways, then the render runs live and plays.
    panel.get_by_test_id("dub-render").click()
    expect(page.get_by_test_id("dub-render-plan")).to_contain_text(
        re.compile(rf"Render changed: {count} new takes ≈ \d+ credits.*full re-dub")
    )
    page.get_by_test_id("dub-render-confirm").click()
    expect(panel.get_by_test_id("dub-render-done")).to_contain_text(
        f"{count + 1} dubbed lines", timeout=JOB_TIMEOUT_MS
    )
    expect(page2.get_by_test_id("dub-render-done")).to_be_visible()  # live elsewhere too
    page.wait_for_function(
        "() => { const v = document.getElementById('dub-render-player');"
        " return v && v.readyState >= 1 && v.duration > 1; }"
    )
    page.evaluate("() => document.getElementById('dub-render-player').play()")
    page.wait_for_function("() => document.getElementById('dub-render-player').currentTime > 0")
    expect(panel.get_by_test_id("dub-render")).to_have_text("Render")  # nothing is stale
    with page.expect_download() as download_info:
        panel.get_by_test_id("dub-render-download").click()
    assert download_info.value.suggested_filename == "studio talk.original.dub.mp4"
    capture.assert_never_contains(secret)
    ctx2.close()
    ctx.close()
