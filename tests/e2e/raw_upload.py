"""Raw HTTP uploads to Reflex's `/_upload` over a socket (as an attacker would send them), and
what the server keeps afterwards: bytes in its data and temp folders, files it holds open."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psutil

from tests.support.dashboard_server import Dashboard

CHARACTER_SAMPLE_HANDLER = (
    "reflex___state____state.orangeweb___states___base____app_state."
    "orangeweb___states___characters____characters_state.create_from_upload"
)
DUBBING_MEDIA_HANDLER = (
    "reflex___state____state.orangeweb___states___base____app_state."
    "orangeweb___states___dubbing____dubbing_state.receive_upload"
)
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


def post_upload(
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


def stored_bytes(data_dir: Path) -> int:
    """Bytes in every file the server keeps under its data and temp folders (but its log and
    database, which change with every request)."""
    return sum(
        path.stat().st_size
        for path in data_dir.rglob("*")
        if path.is_file() and path.name not in KEPT_FILES
    )


def server_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("ORANGEWEB_DATA_DIR") == str(data_dir):
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def open_files(processes: list[psutil.Process]) -> set[str]:
    paths: set[str] = set()
    for process in processes:
        try:
            paths.update(f.path for f in process.open_files())
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return paths


def assert_nothing_kept(dashboard: Dashboard, baseline_bytes: int, baseline_files: set[str]):
    """Within a deadline, no new bytes on disk and no new open files (spools closed)."""
    processes = server_processes(dashboard.data_dir)
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        grown = stored_bytes(dashboard.data_dir) - baseline_bytes
        new_files = {
            path
            for path in open_files(processes) - baseline_files
            if str(dashboard.data_dir) in path
        }
        if grown <= 0 and not new_files:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"kept {grown} bytes, open: {sorted(new_files)}")
        time.sleep(0.2)  # polling a condition with a deadline
