"""The sandbox suite's fixtures: a client per test on its fresh `key`, and media generated once
per session (short: the machine is small). `key`, the voices and the videos the SDK suite uses
too are in tests/integration/conftest.py."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import imageio_ffmpeg
import pytest

from tests.integration.conftest import SAMPLE_TEXT
from tests.integration.sandbox.helpers import api_client
from tests.support.media import make_silence, make_speech
from tests.support.sandbox_server import SandboxServer


@pytest.fixture
def client(sandbox: SandboxServer, key: str) -> Iterator[httpx.Client]:
    """An HTTP client on the sandbox's base URL, authorised with `key`."""
    with api_client(sandbox, key) as client:
        yield client


@pytest.fixture(scope="session")
def voice_mp3(media_dir: Path) -> Path:
    return make_speech(media_dir / "alex.mp3", SAMPLE_TEXT)


@pytest.fixture(scope="session")
def voice_m4a(media_dir: Path) -> Path:
    return make_speech(media_dir / "alex.m4a", SAMPLE_TEXT)


@pytest.fixture(scope="session")
def two_second_wav(media_dir: Path) -> Path:
    return make_silence(media_dir / "two-seconds.wav", 2.0)


@pytest.fixture(scope="session")
def silence_wav(media_dir: Path) -> Path:
    return make_silence(media_dir / "silence.wav", 4.0)


@pytest.fixture(scope="session")
def text_as_wav(media_dir: Path) -> Path:
    path = media_dir / "notes.wav"
    path.write_text("These are meeting notes, not audio.\n" * 20)
    return path


@pytest.fixture(scope="session")
def long_audio(media_dir: Path) -> Path:
    """Over the free tier's 2 minutes."""
    return make_silence(media_dir / "long.mp3", 125.0)


@pytest.fixture(scope="session")
def silent_video(media_dir: Path) -> Path:
    """A video with no audio track at all."""
    path = media_dir / "no-audio.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=3"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"),
            str(path),
        ],
        check=True,
        timeout=60,
    )
    return path
