"""The dubbing services against the real sandbox over HTTP, with the real job tracker running.

Each test gets its own data dir and SQLite file; keys are issued per test on the shared
sandbox. The tracker polls with short intervals (the default 5 s would only slow the suite).
Waiting is event-driven: `wait_for` re-reads the project each time the tracker publishes a
notice for the team, with a deadline.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import orangeweb.models.dubbing  # noqa: F401  (registers the dubbing tables)
from orangeweb.db import create_tables, make_engine
from orangeweb.models import Environment, KeyScope, Tier
from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import sync
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.jobs.notices import get_notice_bus
from orangeweb.services.keys.store import add_api_key
from orangeweb.services.media.upload import MediaUploadWriter
from orangeweb.services.tracker.loop import Tracker
from orangeweb.services.tracker.policy import Pace, PollPolicy
from orangeweb.settings import get_settings
from tests.support.media import ENGLISH_PARAGRAPH, make_speech, make_two_speaker_video
from tests.support.sandbox_server import SandboxServer
from tests.unit.services.support import PASSWORD

FAST_POLLS = PollPolicy(
    paces={"dubbing": Pace(shortest=0.2, growth=0.0, longest=0.2)},
    awaiting_input_seconds=0.2,
    error_base_seconds=0.2,
)
UPLOAD_CHUNK = 256 * 1024
WAIT_SECONDS = 120.0


@pytest.fixture
def data_dir(
    tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.setenv("ORANGEWEB_SANDBOX_URL", sandbox.base_url)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.delenv("ORANGEWEB_SECRET_KEYS", raising=False)
    monkeypatch.delenv("ORANGEWEB_UPLOAD_MAX_BYTES", raising=False)
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


@pytest.fixture
def engine(data_dir: Path, tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    create_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def owner(session: Session) -> CurrentUser:
    return auth.sign_up_first(session, "Acme Dubs", "olivia@example.com", "Olivia", PASSWORD)


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
            view = await sync.sync_project(session, actor, project_id)
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
