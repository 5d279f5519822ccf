"""Fixtures of the tracker-over-HTTP suite: a sandbox of its own per test whose every API
request is logged server-side (method, path, status, time, body of status answers), and a
dashboard database, data directory and team pointed at it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

import tests.support.sandbox_server as sandbox_server
from orangeweb import db
from orangeweb.models import Environment, Job, KeyScope, Tier
from orangeweb.sandbox import create_app
from orangeweb.services import characters
from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import NoticeBus, _bus_for, get_notice_bus
from orangeweb.services.keys.store import add_api_key, open_client
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import get_settings
from tests.support.media import make_speech
from tests.support.sandbox_server import SandboxServer
from tests.unit.services.support import PASSWORD, RecordingVerifier

from .request_log import RequestLog


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def sandbox(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    request_log: RequestLog,
) -> Iterator[SandboxServer]:
    """A sandbox of this test's own (its rate limiter and request log start empty); a
    `restart()` keeps logging into the same log."""
    monkeypatch.setattr(
        sandbox_server, "create_app", lambda config: request_log.wrap(create_app(config))
    )
    with SandboxServer(tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture
def data_dir(
    tmp_path: Path, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.setenv("ORANGEWEB_SANDBOX_URL", sandbox.base_url)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    for name in ("ORANGEWEB_SECRET_KEYS", "ORANGEWEB_PUBLIC_URL", "REFLEX_REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    db.get_engine.cache_clear()  # routes use the process-wide engine: this test's database
    _bus_for.cache_clear()
    yield directory
    db.get_engine().dispose()
    db.get_engine.cache_clear()
    get_settings.cache_clear()
    _bus_for.cache_clear()


@pytest.fixture
def engine(data_dir: Path) -> Engine:
    engine = db.get_engine()
    db.create_tables(engine)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def owner(session: Session) -> CurrentUser:
    return auth.sign_up_first(session, "Acme Voices", "olivia@example.com", "Olivia", PASSWORD)


@pytest.fixture
def bus(data_dir: Path) -> NoticeBus:
    """The process's bus (in memory here), shared by submissions and trackers."""
    return get_notice_bus()


@pytest.fixture(scope="session")
def voice_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = "Hello there, this is my voice. I am reading a short sample for the dashboard."
    return make_speech(tmp_path_factory.mktemp("voice") / "voice.wav", text)


@dataclass(frozen=True)
class Key:
    id: int
    secret: str


async def add_key(
    session: Session, owner: CurrentUser, sandbox: SandboxServer, tier: str, credits: int = 500
) -> Key:
    """A new sandbox key in the dashboard. The stand-in verifier sends nothing, so the key's
    first request is one this test makes (and paces)."""
    secret = sandbox.issue_key(tier=tier, credits=credits)
    view = await add_api_key(
        session,
        owner,
        f"{tier} key",
        secret,
        Environment.SANDBOX,
        Tier(tier),
        KeyScope.TEAM,
        RecordingVerifier(),
    )
    return Key(view.id, secret)


async def add_character(
    session: Session, owner: CurrentUser, key_id: int, sample: Path, name: str = "Alex Voice"
) -> int:
    view = await characters.create_character(
        session, owner, key_id, name, "adventurer", sample, opener=open_client
    )
    return view.id


StartTracker = Callable[..., Awaitable[Tracker]]


@pytest.fixture
async def trackers(engine: Engine, bus: NoticeBus, data_dir: Path) -> AsyncIterator[StartTracker]:
    """Start trackers on this test's database (stopped at the end)."""
    made: list[Tracker] = []

    async def start(**options: Any) -> Tracker:
        options.setdefault("bus", bus)
        tracker = Tracker(engine=engine, data_dir=data_dir, **options)
        await tracker.start()
        made.append(tracker)
        return tracker

    yield start
    for tracker in made:
        await tracker.stop()


async def wait_until(
    condition: Callable[[], Any], within: float, message: str, interval: float = 0.1
) -> Any:
    """Bounded condition polling (the suites' only way of waiting)."""
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {within:g} s waiting for {message}")
        await asyncio.sleep(interval)


def job_rows(engine: Engine, ids: list[int] | None = None) -> list[Job]:
    with Session(engine) as fresh:
        query = select(Job).order_by(Job.id)  # type: ignore[arg-type]
        rows = list(fresh.exec(query).all())
    return [row for row in rows if ids is None or row.id in ids]


def all_final(engine: Engine, ids: list[int]) -> bool:
    rows = job_rows(engine, ids)
    return len(rows) == len(ids) and all(row.is_final for row in rows)
