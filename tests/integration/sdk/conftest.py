"""Fixtures of the SDK-over-HTTP suite: the real SDK against the real sandbox (the session's
`sandbox` fixture), a fresh key per test, and short media generated once per session."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from orangeweb.orangeclone import BudgetRegistry, OrangeClone, RetryPolicy
from tests.support.media import (
    FEMALE_PITCH_HZ,
    MALE_PITCH_HZ,
    make_speech,
    make_tone_video,
    make_two_speaker_video,
)
from tests.support.sandbox_server import SandboxServer

SAMPLE_TEXT = "Hello there, this is my voice. I am reading a short sample for the dashboard."
OTHER_SAMPLE_TEXT = "This is a newer recording of my voice, a little longer than the first one was."
# Retries in tests: quick, and never random (the SDK's defaults are for production).
FAST_RETRY = RetryPolicy(max_retries=3, base_delay=0.05, max_delay=0.2, jitter=lambda: 0.0)

ClientFactory = Callable[..., OrangeClone]


@pytest.fixture
def key(sandbox: SandboxServer) -> str:
    """A fresh enterprise key (no rate limit) with 500 credits: tests never share state."""
    return sandbox.issue_key(tier="enterprise", credits=500)


@pytest.fixture
async def make_client(sandbox: SandboxServer) -> AsyncIterator[ClientFactory]:
    """Build SDK clients on the sandbox (enterprise tier, fast retries unless told);
    each with its own budget registry, so no test inherits another's rate budget."""
    made: list[OrangeClone] = []

    def factory(api_key: str, **overrides: Any) -> OrangeClone:
        options: dict[str, Any] = {
            "base_url": sandbox.base_url,
            "tier": "enterprise",
            "retry": FAST_RETRY,
            "budgets": BudgetRegistry(),
        }
        options.update(overrides)
        client = OrangeClone(api_key, **options)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.aclose()


@pytest.fixture
async def client(make_client: ClientFactory, key: str) -> OrangeClone:
    return make_client(key)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sdk-media")


@pytest.fixture(scope="session")
def voice_wav(media_dir: Path) -> Path:
    """A generated eSpeak WAV of ~5 s (the API wants at least 3 s)."""
    return make_speech(media_dir / "alex.wav", SAMPLE_TEXT, pitch_hz=MALE_PITCH_HZ)


@pytest.fixture(scope="session")
def voice_wav_high(media_dir: Path) -> Path:
    return make_speech(media_dir / "jordan.wav", SAMPLE_TEXT, pitch_hz=FEMALE_PITCH_HZ)


@pytest.fixture(scope="session")
def other_voice_m4a(media_dir: Path) -> Path:
    return make_speech(media_dir / "alex-2.m4a", OTHER_SAMPLE_TEXT)


@pytest.fixture(scope="session")
def short_voice_wav(media_dir: Path) -> Path:
    """Real speech, but under the documented 3 s minimum."""
    return make_speech(media_dir / "short.wav", "Hi there.")


@pytest.fixture(scope="session")
def two_speaker_video(media_dir: Path) -> Path:
    """~16 s test-pattern MP4 (H.264/AAC) with two eSpeak voices taking turns."""
    return make_two_speaker_video(media_dir / "conversation.mp4")


@pytest.fixture(scope="session")
def tone_video(media_dir: Path) -> Path:
    return make_tone_video(media_dir / "tone.mp4", 3.0)


@pytest.fixture(scope="session")
def long_video(media_dir: Path) -> Path:
    """125 s (over the free tier's 2 minutes), made cheaply: a 64x48 black picture at
    1 frame/s and an 8 kHz tone (~250 KB, a fraction of a second to encode)."""
    path = media_dir / "long.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", "color=c=black:size=64x48:rate=1:duration=125"),
            *("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000:duration=125"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"),
            *("-c:a", "aac", "-b:a", "16k", "-shortest", str(path)),
        ],
        check=True,
        timeout=60,
    )
    return path
