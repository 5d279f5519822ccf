"""Reflex's `/_upload` route refuses before the body is read, and caps what it reads.

The attacks are raw HTTP over a socket (no browser); a browser tab only provides what a real
signed-in user has: a session cookie and the client token of an open page. After each request the
server's folders (data and temp) hold no new bytes and its processes hold no new open files.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.capture import BrowserCapture
from tests.e2e.conftest import Dashboard
from tests.e2e.flows import OWNER_EMAIL, OWNER_PASSWORD, ensure_owner, new_page, sign_in

CHARACTER_SAMPLE_HANDLER = (
    "reflex___state____state.orangeweb___states___base____app_state."
    "orangeweb___states___characters____characters_state.create_from_upload"
)
DUBBING_MEDIA_HANDLER = (
    "reflex___state____state.orangeweb___states___base____app_state."
    "orangeweb___states___dubbing____dubbing_state.receive_upload"
)
SAMPLE_CAP = 20 * 1024 * 1024
GIB = 1024**3
ANSWER_TIMEOUT_S = 20.0
SETTLE_TIMEOUT_S = 20.0
BOUNDARY = "orangewebguardtest"
KEPT_FILES = ("server.log", "orangeweb.db", "orangeweb.db-wal", "orangeweb.db-shm")


@dataclass
class Answer:
    status: int
    body_bytes_sent: int  # how much of the body the server let us send before it answered


def _part_head(filename: str = "x.wav") -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()


def _post_upload(
    url: str,
    headers: dict[str, str],
    *,
    declared_length: int | None,
    body_bytes: int = 0,
) -> Answer:
    """POST /_upload with a multipart body of `body_bytes` zeros (chunked when no length is
    declared), sent by a thread while this one waits for the answer."""
    parts = urlsplit(url)
    conn = socket.create_connection((parts.hostname, parts.port), timeout=ANSWER_TIMEOUT_S)
    head = ["POST /_upload HTTP/1.1", f"Host: {parts.netloc}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    head.append(f"Content-Type: multipart/form-data; boundary={BOUNDARY}")
    head.append(
        f"Content-Length: {declared_length}"
        if declared_length is not None
        else "Transfer-Encoding: chunked"
    )
    conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = [0]
    answered = threading.Event()

    def send_body() -> None:
        block = b"\0" * (256 * 1024)
        pieces: list[bytes] = [_part_head()]
        remaining = body_bytes
        try:
            for piece in pieces:
                conn.sendall(_frame(piece, declared_length))
            while remaining > 0 and not answered.is_set():
                chunk = block[: min(len(block), remaining)]
                conn.sendall(_frame(chunk, declared_length))
                sent[0] += len(chunk)
                remaining -= len(chunk)
            if not answered.is_set():
                conn.sendall(_frame(f"\r\n--{BOUNDARY}--\r\n".encode(), declared_length))
                if declared_length is None:
                    conn.sendall(b"0\r\n\r\n")
        except OSError:  # the server closed the connection after answering
            pass

    sender = threading.Thread(target=send_body, daemon=True)
    if body_bytes:
        sender.start()
    try:
        status_line = conn.makefile("rb").readline()
    finally:
        answered.set()
        if body_bytes:
            sender.join(timeout=ANSWER_TIMEOUT_S)
        conn.close()
    assert status_line.startswith(b"HTTP/1.1 "), status_line
    return Answer(status=int(status_line.split()[1]), body_bytes_sent=sent[0])


def _frame(data: bytes, declared_length: int | None) -> bytes:
    if declared_length is not None:
        return data
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _stored_bytes(data_dir: Path) -> int:
    """Bytes in every file the server keeps under its data and temp folders (but its log and
    database, which change with every request)."""
    return sum(
        path.stat().st_size
        for path in data_dir.rglob("*")
        if path.is_file() and path.name not in KEPT_FILES
    )


def _server_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("ORANGEWEB_DATA_DIR") == str(data_dir):
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def _open_files(processes: list[psutil.Process]) -> set[str]:
    paths: set[str] = set()
    for process in processes:
        try:
            paths.update(f.path for f in process.open_files())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return paths


def _assert_nothing_kept(dashboard: Dashboard, baseline_bytes: int, baseline_files: set[str]):
    """Within a deadline, no new bytes on disk and no new open files (spools closed)."""
    processes = _server_processes(dashboard.data_dir)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        grown = _stored_bytes(dashboard.data_dir) - baseline_bytes
        new_files = {
            path
            for path in _open_files(processes) - baseline_files
            if str(dashboard.data_dir) in path
        }
        if grown <= 0 and not new_files:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"kept {grown} bytes, open: {sorted(new_files)}")
        time.sleep(0.2)  # polling a condition with a deadline


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
    baseline_bytes = _stored_bytes(dashboard.data_dir)
    baseline_files = _open_files(_server_processes(dashboard.data_dir))
    anonymous = {
        "reflex-event-handler": CHARACTER_SAMPLE_HANDLER,
        "reflex-client-token": str(uuid.uuid4()),
    }
    # 1 GiB declared: the answer comes with no body byte sent.
    declared = _post_upload(dashboard.url, anonymous, declared_length=GIB)
    assert (declared.status, declared.body_bytes_sent) == (401, 0)
    # Chunked (no length): the answer comes while the body is being offered; none is kept.
    streamed = _post_upload(dashboard.url, anonymous, declared_length=None, body_bytes=GIB)
    assert streamed.status == 401
    assert streamed.body_bytes_sent < GIB
    for handler in (DUBBING_MEDIA_HANDLER, "some.other_state.handler", ""):
        answer = _post_upload(
            dashboard.url, {**anonymous, "reflex-event-handler": handler}, declared_length=GIB
        )
        assert answer.status == 401
        assert answer.body_bytes_sent == 0
    _assert_nothing_kept(dashboard, baseline_bytes, baseline_files)


def test_signed_in_uploads_are_bound_to_the_tab_and_capped(
    dashboard: Dashboard, signed_in_tab: SignedInTab
) -> None:
    baseline_bytes = _stored_bytes(dashboard.data_dir)
    baseline_files = _open_files(_server_processes(dashboard.data_dir))
    own = {
        "cookie": signed_in_tab.cookie,
        "reflex-event-handler": CHARACTER_SAMPLE_HANDLER,
        "reflex-client-token": signed_in_tab.token,
    }
    # Only our upload handlers: any other event name is refused.
    other = {**own, "reflex-event-handler": "reflex___state____state.set_is_hydrated"}
    assert _post_upload(dashboard.url, other, declared_length=10).status == 404
    # Another tab's token (one that never connected): not this session's page.
    foreign = {**own, "reflex-client-token": str(uuid.uuid4())}
    assert _post_upload(dashboard.url, foreign, declared_length=10).status == 403
    # A declared length over the 20 MB sample cap: refused at once.
    over = _post_upload(dashboard.url, own, declared_length=SAMPLE_CAP * 2)
    assert (over.status, over.body_bytes_sent) == (413, 0)
    # Streamed past the cap: 413 once the cap is passed, long before the 1 GiB is sent.
    streamed = _post_upload(dashboard.url, own, declared_length=None, body_bytes=GIB)
    assert streamed.status == 413
    assert streamed.body_bytes_sent < GIB // 4, streamed.body_bytes_sent
    # The dubbing media cap (2 GiB by default) works the same way.
    media = {**own, "reflex-event-handler": DUBBING_MEDIA_HANDLER}
    assert _post_upload(dashboard.url, media, declared_length=3 * GIB).status == 413
    _assert_nothing_kept(dashboard, baseline_bytes, baseline_files)
