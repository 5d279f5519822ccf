"""The sandbox suite's fixtures: a fresh key and client per test, and media generated once
per session (short: the machine is small)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import imageio_ffmpeg
import pytest

from tests.integration.sandbox.helpers import api_client
from tests.support.media import (
    FEMALE_PITCH_HZ,
    MALE_PITCH_HZ,
    make_silence,
    make_speech,
    make_tone_video,
    make_two_speaker_video,
)
from tests.support.sandbox_server import SandboxServer


@pytest.fixture
def key(sandbox: SandboxServer) -> str:
    """A fresh enterprise key (no rate limit) with 500 credits: tests never share state."""
    return sandbox.issue_key(tier="enterprise", credits=500)


@pytest.fixture
def client(sandbox: SandboxServer, key: str) -> Iterator[httpx.Client]:
    """An HTTP client on the sandbox's base URL, authorised with `key`."""
    with api_client(sandbox, key) as client:
        yield client


SAMPLE_TEXT = "Hello there, this is my voice. I am reading a short sample for the sandbox."


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def voice_wav(media_dir: Path) -> Path:
    return make_speech(media_dir / "alex.wav", SAMPLE_TEXT, pitch_hz=MALE_PITCH_HZ)


@pytest.fixture(scope="session")
def voice_wav_high(media_dir: Path) -> Path:
    return make_speech(media_dir / "jordan.wav", SAMPLE_TEXT, pitch_hz=FEMALE_PITCH_HZ)


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
def tone_video(media_dir: Path) -> Path:
    return make_tone_video(media_dir / "tone.mp4", 3.0)


@pytest.fixture(scope="session")
def two_speaker_video(media_dir: Path) -> Path:
    return make_two_speaker_video(media_dir / "conversation.mp4")


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
