"""Fixtures of the jobs unit tests: a SQLite file per test, a team with members, a second team,
keys and characters recorded directly (no API), and a mocked OrangeClone (respx) at the URL
sandbox keys are sent to."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.db import create_tables, make_engine
from orangeweb.models import Character, KeyScope, Membership, Role, Team, User, utcnow
from orangeweb.orangeclone import RetryPolicy
from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.passwords import hash_password
from orangeweb.services.jobs.notices import InProcessBus, _bus_for
from orangeweb.services.keys.store import open_client
from orangeweb.services.tracker.loop import Tracker
from orangeweb.settings import Settings, get_settings
from tests.unit.services.support import PASSWORD, add_key, join

# No SDK retries: a mocked failure answers at once instead of after real backoff sleeps.
OPENER = partial(open_client, client_options={"retry": RetryPolicy(max_retries=0)})


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.delenv("ORANGEWEB_SECRET_KEYS", raising=False)
    monkeypatch.delenv("ORANGEWEB_PUBLIC_URL", raising=False)
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    get_settings.cache_clear()
    _bus_for.cache_clear()  # a fresh in-process bus per test
    yield directory
    get_settings.cache_clear()
    _bus_for.cache_clear()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return get_settings()


@pytest.fixture
def engine(tmp_path: Path, data_dir: Path) -> Iterator[Engine]:
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
    return auth.sign_up_first(session, "Acme Voices", "olivia@example.com", "Olivia", PASSWORD)


@pytest.fixture
def member(session: Session, owner: CurrentUser) -> CurrentUser:
    return join(session, owner, Role.MEMBER, "mia@example.com", "Mia")


@pytest.fixture
def rival(session: Session, owner: CurrentUser) -> CurrentUser:
    """The owner of a second team (only tests have two teams: to prove isolation)."""
    team = Team(name="Rival Studio")
    user = User(
        email="rex@rival.example", display_name="Rex", password_hash=hash_password(PASSWORD)
    )
    session.add(team)
    session.add(user)
    session.flush()
    assert team.id is not None and user.id is not None
    session.add(Membership(user_id=user.id, team_id=team.id, role=Role.OWNER))
    session.commit()
    return CurrentUser(
        user_id=user.id, team_id=team.id, role=Role.OWNER, email=user.email, display_name="Rex"
    )


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


@pytest.fixture
def api(settings: Settings) -> Iterator[respx.MockRouter]:
    """A mocked OrangeClone where SANDBOX keys are sent."""
    with respx.mock(base_url=settings.sandbox_api_url, assert_all_called=False) as router:
        yield router


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
