"""Fixtures of the integration suites that use the dashboard's database.

- `data_dir`: the settings on the test's data dir and `REFLEX_DB_URL` on its `app.db`; suites
  whose dashboard talks to a sandbox make it `data_dir_on_sandbox` (`ORANGEWEB_SANDBOX_URL`).
- `engine`: the process-wide engine (`db.get_engine()`, which the routes and services use) on
  that file, the test's own copy of a template database (`database` in tests/conftest.py).
- `session`, `owner` (tests/conftest.py).

For the suites on the sandbox's API (sandbox, sdk): `key`, a fresh enterprise key per test, and
media generated once per session (voices of ~5 s, a tone video, a two-speaker conversation).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from orangeweb import db
from tests.support.database import SeededDatabase, dashboard_environment
from tests.support.media import (
    FEMALE_PITCH_HZ,
    MALE_PITCH_HZ,
    make_speech,
    make_tone_video,
    make_two_speaker_video,
)
from tests.support.sandbox_server import SandboxServer


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with dashboard_environment(monkeypatch, tmp_path) as directory:
        yield directory


@pytest.fixture
def data_dir_on_sandbox(
    tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """`data_dir` for suites whose dashboard talks to `sandbox` (theirs, where they override it)."""
    env = {"ORANGEWEB_SANDBOX_URL": sandbox.base_url}
    with dashboard_environment(monkeypatch, tmp_path, **env) as directory:
        yield directory


@pytest.fixture
def engine(database: SeededDatabase, data_dir: Path) -> Engine:
    engine = db.get_engine()  # disposed with `data_dir`
    assert engine.url.database == str(database.path), "data_dir must point at the test's database"
    return engine


SAMPLE_TEXT = "Hello there, this is my voice. I am reading a short sample for the sandbox."


@pytest.fixture
def key(sandbox: SandboxServer) -> str:
    """A fresh enterprise key (no rate limit) with 500 credits: tests never share state."""
    return sandbox.issue_key(tier="enterprise", credits=500)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def voice_wav(media_dir: Path) -> Path:
    """A generated eSpeak WAV of ~5 s (the API wants at least 3 s)."""
    return make_speech(media_dir / "alex.wav", SAMPLE_TEXT, pitch_hz=MALE_PITCH_HZ)


@pytest.fixture(scope="session")
def voice_wav_high(media_dir: Path) -> Path:
    return make_speech(media_dir / "jordan.wav", SAMPLE_TEXT, pitch_hz=FEMALE_PITCH_HZ)


@pytest.fixture(scope="session")
def tone_video(media_dir: Path) -> Path:
    return make_tone_video(media_dir / "tone.mp4", 3.0)


@pytest.fixture(scope="session")
def two_speaker_video(media_dir: Path) -> Path:
    """~16 s test-pattern MP4 (H.264/AAC) with two eSpeak voices taking turns."""
    return make_two_speaker_video(media_dir / "conversation.mp4")
