"""Fixtures of the SDK-over-HTTP suite: the real SDK against the real sandbox (the session's
`sandbox` fixture) with the fresh `key` of each test, and short media generated once per session
(`key`, the voices and the videos the sandbox suite uses too: tests/integration/conftest.py)."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from orangeweb.orangeclone import BudgetRegistry, CharacterCreated, OrangeClone, RetryPolicy
from tests.support.media import make_speech
from tests.support.sandbox_server import SandboxServer

OTHER_SAMPLE_TEXT = "This is a newer recording of my voice, a little longer than the first one was."
# Retries in tests: quick, and never random (the SDK's defaults are for production).
FAST_RETRY = RetryPolicy(max_retries=3, base_delay=0.05, max_delay=0.2, jitter=lambda: 0.0)

ClientFactory = Callable[..., OrangeClone]
AlexAndJordan = tuple[CharacterCreated, CharacterCreated]


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


@pytest.fixture
async def alex_and_jordan(
    client: OrangeClone, voice_wav: Path, voice_wav_high: Path
) -> AlexAndJordan:
    """Two characters of `client`'s key: Alex (the lower voice) and Jordan (the higher one)."""
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    jordan = await client.characters.create("Jordan", "bottts", voice_wav_high)
    return alex, jordan


@pytest.fixture(scope="session")
def other_voice_m4a(media_dir: Path) -> Path:
    return make_speech(media_dir / "alex-2.m4a", OTHER_SAMPLE_TEXT)


@pytest.fixture(scope="session")
def short_voice_wav(media_dir: Path) -> Path:
    """Real speech, but under the documented 3 s minimum."""
    return make_speech(media_dir / "short.wav", "Hi there.")


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
