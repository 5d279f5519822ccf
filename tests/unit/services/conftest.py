"""Shared fixtures: a settable clock, a mocked OrangeClone, audio samples, a team key. The data
dir, the database and the people come from tests/unit/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from tests.support.database import SeededDatabase

from .audio_files import make_tone
from .support import FakeClock, add_key, make_character


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(database: SeededDatabase) -> Path:
    return database.path


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """Expiring on commit (the default), unlike the other suites' sessions."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def other_team_owner(rival: CurrentUser) -> CurrentUser:
    return rival


@pytest.fixture
def create_route(api: respx.MockRouter) -> respx.Route:
    return api.post("/characters/create").respond(
        200, json={"success": "true", "characterId": "abc123xyz"}
    )


@pytest.fixture(scope="session")
def voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tone(tmp_path_factory.mktemp("audio") / "voice.wav", 4)


@pytest.fixture(scope="session")
def short_voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tone(tmp_path_factory.mktemp("audio") / "short.wav", 2)


@pytest.fixture
async def character(
    session: Session, owner: CurrentUser, team_key: int, voice: Path, create_route: respx.Route
) -> CharacterView:
    """ "Alex Voice", created by the owner on the team key through the mocked API (remote id
    "abc123xyz")."""
    return await make_character(session, owner, team_key, voice)


@pytest.fixture
async def team_key(session: Session, owner: CurrentUser, data_dir: Path) -> int:
    return (await add_key(session, owner)).id
