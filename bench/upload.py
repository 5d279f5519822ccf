"""Benchmark of the dubbing upload path with a 1 GiB video, in one run, beside curl:

1. the dashboard's side: the file fed in 1 MiB chunks to `MediaUploadWriter` (as Reflex's
   chunk iterator would), probed and checked (`dubbing.projects.create_project`), then uploaded
   to the sandbox by the SDK (`dubbing.projects.upload_media`: get_upload_url + a streamed PUT);
2. `curl -T` PUTting the same file straight to a fresh upload URL of the same sandbox.

Prints each phase's time (uploads: the median of 3 rounds, the two ways alternating), the
dashboard/curl time ratios, and the dashboard process's peak RSS growth (psutil, sampled
every 10 ms) while it handles the file. The sandbox runs in its own
process so its memory is not counted. The video is a real, probe-able MP4 (a few seconds of
H.264/AAC, moov first) padded to 1 GiB by a top-level `free` box, which players and PyAV skip.

Run from the repository root: `.venv/bin/python -m bench.upload` (or `make bench`).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

TARGET_BYTES = 1024**3
CHUNK = 1024 * 1024
ROUNDS = 3
READY_TIMEOUT_SECONDS = 60.0


def make_padded_video(path: Path, size: int) -> Path:
    """A short faststart MP4 padded to `size` bytes with a `free` box (sparse on disk)."""
    from imageio_ffmpeg import get_ffmpeg_exe

    from tests.support.media import make_tone_video

    base = make_tone_video(path.with_name("base.mp4"), 5.0)
    subprocess.run(
        [get_ffmpeg_exe(), "-nostdin", "-v", "error", "-y", "-i", str(base),
         "-c", "copy", "-movflags", "+faststart", str(path)],
        check=True,
    )  # fmt: skip
    padding = size - path.stat().st_size
    with path.open("r+b") as file:
        file.seek(0, os.SEEK_END)
        file.write(struct.pack(">I4s", padding, b"free"))
        file.truncate(size)  # the rest of the box: zeros, without writing them
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_sandbox(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "orangeweb.sandbox", "--data-dir", str(data_dir)]
    server = subprocess.Popen(
        [*command, "--port", str(port), "serve"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/voices/x", timeout=1.0)
            return server
        except httpx.TransportError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("the sandbox did not start") from None
            time.sleep(0.1)


def issue_key(data_dir: Path) -> str:
    command = [sys.executable, "-m", "orangeweb.sandbox", "--data-dir", str(data_dir)]
    result = subprocess.run(
        [*command, "issue-key", "--tier", "enterprise", "--credits", "10000"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


class PeakRss:
    """Samples this process's RSS every 10 ms; `growth` is the peak minus the start."""

    def __init__(self) -> None:
        self._process = psutil.Process()
        self.start = self.peak = self._process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self._process.memory_info().rss)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._process.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.start


async def run(source: Path, secret: str, base_url: str) -> dict[str, float]:
    from orangeweb.db import create_tables, get_engine, open_session
    from orangeweb.models import Environment, KeyScope, Tier
    from orangeweb.services.accounts import auth
    from orangeweb.services.dubbing import projects
    from orangeweb.services.keys.store import add_api_key
    from orangeweb.services.media.upload import MediaUploadWriter

    create_tables()
    with open_session(get_engine()) as session:
        owner = auth.sign_up_first(session, "Bench", "bench@example.com", "Bench", "bench pass 1")
        key = await add_api_key(
            session, owner, "bench", secret, Environment.SANDBOX, Tier.ENTERPRISE, KeyScope.TEAM
        )
        times: dict[str, float] = {}
        with PeakRss() as rss:
            started = time.perf_counter()
            writer = MediaUploadWriter(owner.team_id)
            with source.open("rb") as file:
                while chunk := file.read(CHUNK):
                    writer.write(chunk)
            stored = writer.finish()
            times["chunk writer"] = time.perf_counter() - started

            started = time.perf_counter()
            project = await projects.create_project(session, owner, key.id, stored, "big.mp4")
            times["probe + checks"] = time.perf_counter() - started

            # Alternate the two ways, so neither always meets a warmer disk or page cache.
            sdk_runs, curl_runs = [], []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                view = await projects.upload_media(session, owner, project.id)
                sdk_runs.append(time.perf_counter() - started)
                if view.upload_state != "uploaded":
                    raise RuntimeError(f"the upload failed: {view.error}")
                upload_url = await fresh_upload_url(secret, base_url)
                curl_runs.append(await asyncio.to_thread(curl_side, source, upload_url))
        times["SDK upload"] = statistics.median(sdk_runs)
        times["curl"] = statistics.median(curl_runs)
        times["rss growth"] = rss.growth
        times["rss start"] = rss.start
    return times


async def fresh_upload_url(secret: str, base_url: str) -> str:
    from orangeweb.orangeclone import OrangeClone

    async with OrangeClone(secret, base_url=base_url, tier="enterprise") as client:
        return (await client.dubbing.get_upload_url("big.mp4", "video/mp4")).upload_url


def curl_side(source: Path, upload_url: str) -> float:
    started = time.perf_counter()
    # The signed URL reaches curl on stdin (a config file), never argv or the output.
    result = subprocess.run(
        ["curl", "-sS", "-K", "-", "-o", "/dev/null", "-w", "%{http_code}", "-T", str(source),
         "-H", "Content-Type: video/mp4"],
        input=f'url = "{upload_url}"\n',
        capture_output=True,
        text=True,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    if result.stdout.strip() != "200":
        raise RuntimeError(f"curl upload failed: HTTP {result.stdout.strip()}")
    return elapsed


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="orangeweb-bench-upload-"))
    server: subprocess.Popen[bytes] | None = None
    try:
        source = make_padded_video(work / "big.mp4", TARGET_BYTES)
        sandbox_dir, port = work / "sandbox", free_port()
        server = start_sandbox(sandbox_dir, port)
        secret = issue_key(sandbox_dir)
        base_url = f"http://127.0.0.1:{port}/api"
        os.environ.update(
            ORANGEWEB_DATA_DIR=str(work / "dashboard"),
            ORANGEWEB_SANDBOX_URL=base_url,
            REFLEX_DB_URL=f"sqlite:///{work / 'dashboard.db'}",
        )
        times = asyncio.run(run(source, secret, base_url))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    gib = TARGET_BYTES / 1024**3
    dashboard_total = times["chunk writer"] + times["probe + checks"] + times["SDK upload"]
    print(f"file: {gib:.0f} GiB MP4 (probe-able; H.264/AAC + free-box padding)")
    print(f"uploads: median of {ROUNDS} rounds, SDK and curl alternating")
    for phase in ("chunk writer", "probe + checks", "SDK upload"):
        print(f"dashboard {phase:>15}: {times[phase]:7.2f} s")
    print(f"dashboard {'total':>15}: {dashboard_total:7.2f} s")
    print(f"curl -T (same file)      : {times['curl']:7.2f} s")
    print(f"ratio SDK upload / curl  : {times['SDK upload'] / times['curl']:7.2f}x")
    print(f"ratio dashboard / curl   : {dashboard_total / times['curl']:7.2f}x")
    print(
        f"dashboard peak RSS growth: {times['rss growth'] / 1024**2:7.1f} MiB "
        f"(from {times['rss start'] / 1024**2:.0f} MiB)"
    )


if __name__ == "__main__":
    main()
