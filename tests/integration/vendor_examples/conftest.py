"""Fixtures for running the vendor's Python examples against the sandbox.

The examples open files by bare name ("your_audio.wav", "new_sample.wav", "video.mp4"), so
those files are generated under exactly those names and each test runs in that directory.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.vendor_examples import snippets
from tests.support.media import FEMALE_PITCH_HZ, make_speech, make_two_speaker_video
from tests.support.sandbox_server import SandboxServer


@dataclass
class Ran:
    namespace: dict[str, Any]
    output: str

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()


def adapt(source: str, base_url: str, key: str, **placeholders: str) -> str:
    """The snippet with the docs' base URL and key swapped for the sandbox's, and each
    placeholder (a literal piece of the snippet) replaced; every one must be there."""
    for original in (snippets.DOCS_BASE_URL, snippets.DOCS_KEY, *placeholders):
        assert original in source, f"{original!r} is not in the snippet"
    adapted = source.replace(snippets.DOCS_BASE_URL, base_url).replace(snippets.DOCS_KEY, key)
    for original, replacement in placeholders.items():
        adapted = adapted.replace(original, replacement)
    return adapted


def run(source: str) -> Ran:
    """Execute a snippet as a script of its own, capturing what it prints."""
    namespace: dict[str, Any] = {"__name__": "__vendor_example__"}
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(source, "<vendor example>", "exec"), namespace)
    return Ran(namespace, output.getvalue())


@dataclass
class Vendor:
    """Runs snippets against one sandbox with one key."""

    base_url: str
    key: str

    def run(self, source: str, **placeholders: str) -> Ran:
        return run(adapt(source, self.base_url, self.key, **placeholders))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def create_character(self) -> str:
        """The docs' create-character example; returns the id it prints."""
        ran = self.run(snippets.CREATE_CHARACTER)
        ran.namespace["files"]["voiceFile"].close()  # the example leaves it open
        match = re.fullmatch(r"Created character: (\S+)", ran.output.strip())
        assert match, ran.output
        return match.group(1)


@pytest.fixture(scope="session")
def example_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files the examples name, generated: two voice samples and a ~16 s MP4 with two
    speakers (the docs' voice mapping object names speaker_1 and speaker_2)."""
    directory = tmp_path_factory.mktemp("vendor-files")
    make_speech(
        directory / "your_audio.wav",
        "Hello there, this is my voice. I am reading a short sample for the dashboard.",
    )
    make_speech(
        directory / "new_sample.wav",
        "This is a newer recording of my voice, a little longer than the first one was.",
        pitch_hz=FEMALE_PITCH_HZ,
    )
    make_two_speaker_video(directory / "video.mp4")
    return directory


@pytest.fixture
def vendor(sandbox: SandboxServer, example_files: Path, monkeypatch: pytest.MonkeyPatch) -> Vendor:
    monkeypatch.chdir(example_files)
    return Vendor(sandbox.base_url, sandbox.issue_key(tier="enterprise", credits=500))
