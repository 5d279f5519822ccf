"""Fixtures of the jobs unit tests: keys and characters recorded directly (no API), a mocked
OrangeClone (respx) at the URL sandbox keys are sent to, a settable clock and trackers. The data
dir, the database and the team's people come from tests/unit/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.models import Character, KeyScope, utcnow
from orangeweb.orangeclone import RetryPolicy
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.notices import InProcessBus
from orangeweb.services.keys.store import open_client
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import Settings
from tests.unit.services.support import add_key

# No SDK retries: a mocked failure answers at once instead of after real backoff sleeps.
OPENER = partial(open_client, client_options={"retry": RetryPolicy(max_retries=0)})


@pytest.fixture
async def team_key(session: Session, owner: CurrentUser, settings: Settings) -> int:
    return (await add_key(session, owner, "Team key", KeyScope.TEAM)).id


@pytest.fixture
async def other_key(session: Session, owner: CurrentUser, settings: Settings) -> int:
    return (await add_key(session, owner, "Second key", KeyScope.TEAM)).id


def make_character(session: Session, actor: CurrentUser, key_id: int, name: str) -> int:
    character = Character(
        team_id=actor.team_id,
        api_key_id=key_id,
        remote_id=f"char_{name.lower()}",
        name=name,
        avatar_style="adventurer",
        created_by_id=actor.user_id,
    )
    session.add(character)
    session.commit()
    assert character.id is not None
    return character.id


@pytest.fixture
def alex(session: Session, owner: CurrentUser, team_key: int) -> int:
    return make_character(session, owner, team_key, "Alex")


@pytest.fixture
def bea(session: Session, owner: CurrentUser, team_key: int) -> int:
    return make_character(session, owner, team_key, "Bea")


class Now:
    """A wall clock that moves only when told to."""

    def __init__(self) -> None:
        self.value = utcnow()

    def __call__(self) -> datetime:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += timedelta(seconds=seconds)


@pytest.fixture
def now() -> Now:
    return Now()


@pytest.fixture
def bus() -> InProcessBus:
    return InProcessBus()


@pytest.fixture
async def make_tracker(
    engine: Engine, bus: InProcessBus, now: Now, data_dir: Path
) -> AsyncIterator[Callable[..., Tracker]]:
    made: list[Tracker] = []

    def factory(**options: Any) -> Tracker:
        tracker = Tracker(engine=engine, bus=bus, now=now, data_dir=data_dir, **options)
        made.append(tracker)
        return tracker

    yield factory
    for tracker in made:
        await tracker.stop()
