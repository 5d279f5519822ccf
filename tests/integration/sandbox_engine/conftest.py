"""The sandbox engine on real media: eSpeak NG speech, ffmpeg and PocketSphinx run for real
(which is why these tests are integration tests). Media shared by the tests, generated once per
session (all of it is small)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.media import ENGLISH_PARAGRAPH, make_speech, make_two_speaker_video


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("engine_media")


@pytest.fixture(scope="session")
def two_speaker_video(media_dir: Path) -> Path:
    return make_two_speaker_video(media_dir / "two_speakers.mp4")


@pytest.fixture(scope="session")
def single_speaker_wav(media_dir: Path) -> Path:
    return make_speech(media_dir / "one_speaker.wav", ENGLISH_PARAGRAPH, pitch_hz=150.0)
