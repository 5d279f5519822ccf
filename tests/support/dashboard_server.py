"""The dashboard served exactly as the README runs it (`make migrate serve`), on a free port with a
data directory of its own: for browser tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
# The first build runs `npm install` and the production build; later ones reuse `.web/`.
STARTUP_DEADLINE_S = 900


@dataclass(frozen=True)
class Dashboard:
    url: str
    data_dir: Path
    log_path: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited early:\n{log_path.read_text()[-4000:]}")
        try:
            # The frontend is mounted once the build is done (a page may redirect).
            if (
                httpx.get(f"{url}/ping", timeout=2).status_code == 200
                and httpx.get(url, timeout=5).status_code < 400
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling interval while the server builds, not a test wait
    raise TimeoutError(f"the dashboard did not start:\n{log_path.read_text()[-4000:]}")


def _stop_process_group(process: subprocess.Popen[bytes]) -> None:
    for sig, grace_s in ((signal.SIGTERM, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def served_dashboard(
    data_dir: Path, port: int | None = None, **extra_env: str
) -> Iterator[Dashboard]:
    """`make migrate serve` on a free port with `data_dir` as its data directory (and its own
    temp folder inside it, so tests can see every byte the server spools)."""
    port = port or free_port()
    log_path = data_dir / "server.log"
    process_tmp = data_dir / "process-tmp"
    process_tmp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "ORANGEWEB_DATA_DIR": str(data_dir),
        "PORT": str(port),
        "TMPDIR": str(process_tmp),
        **extra_env,
    }
    env.pop("REFLEX_DB_URL", None)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "-s", "migrate", "serve", f"PORT={port}"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the whole process group (reflex, granian) stops together
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log_path)
        yield Dashboard(url=url, data_dir=data_dir, log_path=log_path)
    finally:
        _stop_process_group(process)
