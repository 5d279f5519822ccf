"""Fixtures of the tracker-over-HTTP suite: a sandbox of its own per test whose every API
request is logged server-side (method, path, status, time, body of status answers), and the
dashboard's data directory pointed at it (database and owner: tests/integration/conftest.py)."""

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
from orangeweb.models import Environment, Job, KeyScope, Tier
from orangeweb.sandbox import create_app
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import NoticeBus, get_notice_bus
from orangeweb.services.keys.store import add_api_key, open_client
from orangeweb.services.tracker.loop import Tracker
from tests.support.media import make_speech
from tests.support.sandbox_server import SandboxServer
from tests.unit.services.support import RecordingVerifier

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
def data_dir(data_dir_on_sandbox: Path) -> Path:
    return data_dir_on_sandbox


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


@pytest.fixture
async def enterprise_key(session: Session, owner: CurrentUser, sandbox: SandboxServer) -> Key:
    """A new enterprise key (no rate limit) in the dashboard."""
    return await add_key(session, owner, sandbox, "enterprise")


@pytest.fixture
async def alex(
    session: Session, owner: CurrentUser, enterprise_key: Key, voice_sample: Path
) -> int:
    """The local id of "Alex Voice", created over HTTP with the enterprise key."""
    return await add_character(session, owner, enterprise_key.id, voice_sample)


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
