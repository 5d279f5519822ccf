"""Fixtures of the dubbing unit tests: media. The data dir, the database and the team's people
come from tests/unit/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

import orangeweb.models.dubbing  # noqa: F401  (registers the dubbing tables)


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dubbing_media")
