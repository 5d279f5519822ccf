"""Reflex's `/_upload` route refuses before the body is read, and caps what it reads.

The attacks are raw HTTP over a socket (no browser); a browser tab only provides what a real
signed-in user has: a session cookie and the client token of an open page. After each request the
server's folders (data and temp) hold no new bytes and its processes hold no new open files.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.capture import BrowserCapture
from tests.e2e.flows import OWNER_EMAIL, OWNER_PASSWORD, ensure_owner, new_page, sign_in
from tests.e2e.raw_upload import (
    CHARACTER_SAMPLE_HANDLER,
    DUBBING_MEDIA_HANDLER,
    assert_nothing_kept,
    open_files,
    post_upload,
    server_processes,
    stored_bytes,
)
from tests.support.dashboard_server import Dashboard

SAMPLE_CAP = 20 * 1024 * 1024
GIB = 1024**3


@dataclass
class SignedInTab:
    cookie: str
    token: str


@pytest.fixture
def signed_in_tab(dashboard: Dashboard, browser: Browser) -> Iterator[SignedInTab]:
    """The owner with the Characters page open: its session cookie and client token."""
    ensure_owner(dashboard.url)
    ctx, page = new_page(browser, BrowserCapture())
    sign_in(page, dashboard.url, OWNER_EMAIL, OWNER_PASSWORD)
    page.goto(f"{dashboard.url}/characters")
    expect(page.get_by_role("heading", name="Characters")).to_be_visible()
    # The page is live once the server has answered its first event (the user's name shows).
    expect(page.get_by_text("Olive Owner").first).to_be_visible()
    cookie = next(c for c in ctx.cookies() if c["name"] == "orangeweb_session")
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    assert token
    yield SignedInTab(cookie=f"orangeweb_session={cookie['value']}", token=token)
    ctx.close()


def test_unauthenticated_uploads_are_refused_before_the_body(dashboard: Dashboard) -> None:
    ensure_owner(dashboard.url)
    baseline_bytes = stored_bytes(dashboard.data_dir)
    baseline_files = open_files(server_processes(dashboard.data_dir))
    anonymous = {
        "reflex-event-handler": CHARACTER_SAMPLE_HANDLER,
        "reflex-client-token": str(uuid.uuid4()),
    }
    # 1 GiB declared: the answer comes with no body byte sent.
    declared = post_upload(dashboard.url, anonymous, declared_length=GIB)
    assert (declared.status, declared.body_bytes_sent) == (401, 0)
    # Chunked (no length): the answer comes while the body is being offered; none is kept.
    streamed = post_upload(dashboard.url, anonymous, declared_length=None, body_bytes=GIB)
    assert streamed.status == 401
    assert streamed.body_bytes_sent < GIB
    for handler in (DUBBING_MEDIA_HANDLER, "some.other_state.handler", ""):
        answer = post_upload(
            dashboard.url, {**anonymous, "reflex-event-handler": handler}, declared_length=GIB
        )
        assert answer.status == 401
        assert answer.body_bytes_sent == 0
    assert_nothing_kept(dashboard, baseline_bytes, baseline_files)


def test_signed_in_uploads_are_bound_to_the_tab_and_capped(
    dashboard: Dashboard, signed_in_tab: SignedInTab
) -> None:
    baseline_bytes = stored_bytes(dashboard.data_dir)
    baseline_files = open_files(server_processes(dashboard.data_dir))
    own = {
        "cookie": signed_in_tab.cookie,
        "reflex-event-handler": CHARACTER_SAMPLE_HANDLER,
        "reflex-client-token": signed_in_tab.token,
    }
    # Only our upload handlers: any other event name is refused.
    other = {**own, "reflex-event-handler": "reflex___state____state.set_is_hydrated"}
    assert post_upload(dashboard.url, other, declared_length=10).status == 404
    # Another tab's token (one that never connected): not this session's page.
    foreign = {**own, "reflex-client-token": str(uuid.uuid4())}
    assert post_upload(dashboard.url, foreign, declared_length=10).status == 403
    # A declared length over the 20 MB sample cap: refused at once.
    over = post_upload(dashboard.url, own, declared_length=SAMPLE_CAP * 2)
    assert (over.status, over.body_bytes_sent) == (413, 0)
    # Streamed past the cap: 413 once the cap is passed, long before the 1 GiB is sent.
    streamed = post_upload(dashboard.url, own, declared_length=None, body_bytes=GIB)
    assert streamed.status == 413
    assert streamed.body_bytes_sent < GIB // 4, streamed.body_bytes_sent
    # The dubbing media cap (2 GiB by default) works the same way.
    media = {**own, "reflex-event-handler": DUBBING_MEDIA_HANDLER}
    assert post_upload(dashboard.url, media, declared_length=3 * GIB).status == 413
    assert_nothing_kept(dashboard, baseline_bytes, baseline_files)
