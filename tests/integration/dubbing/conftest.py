"""The dubbing services against the real sandbox over HTTP, with the real job tracker running.

Each test gets its own data dir and SQLite file (tests/integration/conftest.py); keys are
issued per test on the shared sandbox. The tracker polls with short intervals (the default 5 s
would only slow the suite). Waiting is event-driven: `wait_for` re-reads the project each time
the tracker publishes a notice for the team, with a deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import orangeweb.models.dubbing  # noqa: F401  (registers the dubbing tables)
from orangeweb.models import Environment, KeyScope, Tier
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.views import DubbingProjectView, get_project
from orangeweb.services.jobs.notices import get_notice_bus
from orangeweb.services.keys.store import add_api_key
from orangeweb.services.media.upload import MediaUploadWriter
from orangeweb.services.tracker.loop import Tracker
from orangeweb.services.tracker.policy import Pace, PollPolicy
from tests.support.media import ENGLISH_PARAGRAPH, make_speech, make_two_speaker_video
from tests.support.sandbox_server import SandboxServer

FAST_POLLS = PollPolicy(
    paces={"dubbing": Pace(shortest=0.2, growth=0.0, longest=0.2)},
    awaiting_input_seconds=0.2,
    error_base_seconds=0.2,
)
UPLOAD_CHUNK = 256 * 1024
WAIT_SECONDS = 120.0


@pytest.fixture
def data_dir(data_dir_on_sandbox: Path) -> Path:
    return data_dir_on_sandbox


@pytest.fixture
async def tracker(engine: Engine, data_dir: Path) -> AsyncIterator[Tracker]:
    tracker = Tracker(engine=engine, data_dir=data_dir, policy=FAST_POLLS, idle_seconds=0.1)
    await tracker.start()
    yield tracker
    await tracker.stop()


async def add_sandbox_key(
    session: Session, actor: CurrentUser, sandbox: SandboxServer, tier: str, credits: int = 500
) -> tuple[int, str]:
    """A sandbox key, verified by the dashboard over HTTP; returns (local id, secret)."""
    secret = sandbox.issue_key(tier=tier, credits=credits)
    view = await add_api_key(
        session, actor, f"{tier} key", secret, Environment.SANDBOX, Tier(tier), KeyScope.TEAM
    )
    return view.id, secret


def store_upload(source: Path, team_id: int) -> Path:
    """Feed a file through the chunk writer the way Reflex's chunk iterator does."""
    with MediaUploadWriter(team_id) as writer, source.open("rb") as file:
        offset = 0
        while chunk := file.read(UPLOAD_CHUNK):
            writer.write(chunk, offset=offset)
            offset += len(chunk)
        return writer.finish()


async def wait_for(
    session: Session, actor: CurrentUser, project_id: int, *statuses: str
) -> DubbingProjectView:
    """The project once its status is one of `statuses` (or failed), re-read on each notice."""
    async with asyncio.timeout(WAIT_SECONDS), get_notice_bus().subscribe(actor.team_id) as notices:
        while True:
            view = get_project(session, actor, project_id)
            if view.status in statuses or view.status == "failed":
                return view
            await anext(notices)


@pytest.fixture(scope="session")
def two_speaker_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_two_speaker_video(tmp_path_factory.mktemp("dub_media") / "conversation.mp4")


@pytest.fixture(scope="session")
def voice_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_speech(
        tmp_path_factory.mktemp("dub_voice") / "alex.wav", ENGLISH_PARAGRAPH, pitch_hz=150.0
    )
