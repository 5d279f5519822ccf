"""Helpers for the SDK-over-HTTP suite: bounded async polling, downloads, audio and video
checks, and a tiny local receiver for batch callbacks. Nothing here waits by sleeping for a
fixed time: every wait polls a condition with a deadline."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import av
import httpx
import numpy as np

from orangeweb.orangeclone import BatchStatus, DubbingStatus, OrangeClone, VoiceStatus
from orangeweb.sandbox.engine.speech import sample_rate
from tests.support import callbacks
from tests.support.media import decode_mono, rms, speech_samples
from tests.support.sandbox_server import SandboxServer

T = TypeVar("T")

POLL_INTERVAL = 0.05
ANALYSIS_RATE = 16_000
# Speech is clearly above this RMS (eSpeak output decodes at ~0.08-0.1); silence is 0.
MIN_SPEECH_RMS = 0.02
# The clone speaks at the rate the engine measured from the character's sample (which was
# spoken at 160 wpm); the measurement has ~16% error, so allow +-35% against a reference.
DURATION_TOLERANCE = 0.35
DIALOGUE_PAUSE_SECONDS = 0.35


async def poll(
    fetch: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    *,
    within: float = 60.0,
    what: str = "condition",
) -> T:
    """Call `fetch` until `done(result)`; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = await fetch()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:g} s waiting for {what}: {result!r}")
        await asyncio.sleep(POLL_INTERVAL)


async def wait_voice(client: OrangeClone, job_id: str) -> VoiceStatus:
    return await poll(
        lambda: client.voices.status(job_id), lambda s: s.is_final, what=f"voice job {job_id}"
    )


async def wait_batch(client: OrangeClone, batch_id: str) -> BatchStatus:
    return await poll(
        lambda: client.batch.status(batch_id), lambda s: s.is_final, what=f"batch {batch_id}"
    )


async def wait_dubbing(client: OrangeClone, job_id: str, *statuses: str) -> DubbingStatus:
    return await poll(
        lambda: client.dubbing.status(job_id),
        lambda s: s.normalized_status in statuses or s.failed,
        within=120.0,
        what=f"dubbing job {job_id} to reach {statuses}",
    )


async def download(url: str, destination: Path) -> Path:
    """GET a signed file URL (no API key: the URL is the credential)."""
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.get(url)
    assert response.status_code == 200, response.text[:200]
    return save(destination, response.content)


def save(destination: Path, content: bytes) -> Path:
    destination.write_bytes(content)
    return destination


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


def file_size(path: Path) -> int:
    return path.stat().st_size


def size_mb(path: Path) -> float:
    """The file's size in megabytes, as `fileSizeMB` wants it."""
    return file_size(path) / 1_000_000


def reference_seconds(lines: list[str]) -> float:
    """How long eSpeak takes to say `lines` at the sample's rate (160 wpm), with the
    engine's pause between dialogue turns."""
    speech = sum(len(speech_samples(line)) for line in lines) / sample_rate()
    return speech + DIALOGUE_PAUSE_SECONDS * (len(lines) - 1)


@dataclass(frozen=True)
class SpeechCheck:
    seconds: float
    level: float


def assert_real_speech(path: Path, lines: list[str], reported_seconds: float | None) -> SpeechCheck:
    """`path` decodes, is not silent, and lasts about as long as saying `lines` takes."""
    samples = decode_mono(path, ANALYSIS_RATE)
    seconds = len(samples) / ANALYSIS_RATE
    level = rms(samples)
    assert level > MIN_SPEECH_RMS, f"{path.name} is (nearly) silent: RMS {level:.4f}"
    words = sum(len(line.split()) for line in lines)
    # Independent of any engine: human speech runs at 100-300 words a minute.
    assert words * 60 / 300 <= seconds <= words * 60 / 100 + 1.0, (seconds, words)
    expected = reference_seconds(lines)
    assert abs(seconds - expected) <= DURATION_TOLERANCE * expected, (
        f"{path.name} lasts {seconds:.2f} s; saying {lines!r} takes about {expected:.2f} s"
    )
    if reported_seconds is not None:
        # The status's `duration` describes the file it links to (MP3 framing: ~50 ms).
        assert abs(seconds - reported_seconds) < 0.15, (seconds, reported_seconds)
    return SpeechCheck(seconds, level)


@dataclass(frozen=True)
class StreamDigest:
    codec: str
    width: int
    height: int
    packet_hashes: tuple[tuple[int | None, str], ...]  # (pts, sha256 of the packet's bytes)


def video_digest(path: Path) -> StreamDigest:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        hashes = tuple(
            (packet.pts, hashlib.sha256(bytes(packet)).hexdigest())
            for packet in container.demux(stream)
            if packet.size
        )
        context = stream.codec_context
        return StreamDigest(context.name, context.width, context.height, hashes)


def container_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        assert container.duration is not None
        return float(container.duration / av.time_base)


def audio_codec(path: Path) -> str:
    with av.open(str(path)) as container:
        return str(container.streams.audio[0].codec_context.name)


def correlation(a: np.ndarray, b: np.ndarray, start: float, end: float) -> float:
    """Pearson correlation of two mono 16 kHz tracks over [start, end] seconds."""
    first, last = int(start * ANALYSIS_RATE), int(end * ANALYSIS_RATE)
    x, y = a[first:last], b[first:last]
    assert len(x) == len(y) and len(x) > ANALYSIS_RATE // 10, (len(x), len(y))
    return float(np.corrcoef(x, y)[0, 1])


def free_key(sandbox: SandboxServer, credits: int = 500) -> str:
    return sandbox.issue_key(tier="free", credits=credits)


class CallbackReceiver(callbacks.CallbackReceiver):
    """The batch-callback receiver (tests/support/callbacks.py), with an async wait."""

    def __init__(self) -> None:
        super().__init__(path="/hooks/orangeclone-batch")

    async def wait_for(self, count: int = 1, within: float = 30.0) -> list[dict[str, Any]]:
        async def fetch() -> list[dict[str, Any]]:
            return self.received()

        return await poll(fetch, lambda b: len(b) >= count, within=within, what="the callback")
