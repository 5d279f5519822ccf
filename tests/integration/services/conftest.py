"""The services against the shared sandbox: the dashboard's sandbox URL points at it."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(data_dir_on_sandbox: Path) -> Path:
    return data_dir_on_sandbox
