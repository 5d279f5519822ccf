"""Shared fixtures: a real SQLite file per test, a settable clock, a data dir, quick accounts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.db import create_tables, make_engine
from orangeweb.models import Membership, Role, Team, User
from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.passwords import hash_password
from orangeweb.settings import Settings, get_settings

from .audio_files import make_tone
from .support import PASSWORD, FakeClock, add_key, join


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory that `get_settings()` points at; no secret keys in the env."""
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.delenv("ORANGEWEB_SECRET_KEYS", raising=False)
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return get_settings()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "app.db"


@pytest.fixture
def engine(db_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{db_path}")
    create_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def owner(session: Session) -> CurrentUser:
    return auth.sign_up_first(session, "Acme Voices", "Olivia@Example.com", "Olivia", PASSWORD)


@pytest.fixture
def admin(session: Session, owner: CurrentUser) -> CurrentUser:
    return join(session, owner, Role.ADMIN, "adam@example.com", "Adam")


@pytest.fixture
def member(session: Session, owner: CurrentUser) -> CurrentUser:
    return join(session, owner, Role.MEMBER, "mia@example.com", "Mia")


@pytest.fixture
def other_team_owner(session: Session, owner: CurrentUser) -> CurrentUser:
    """The owner of a second team. (The dashboard creates one team at sign-up; a second one
    only exists in tests, to prove that no query crosses teams.)"""
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
def api(settings: Settings) -> Iterator[respx.MockRouter]:
    """A mocked OrangeClone at the sandbox URL (where SANDBOX keys are sent)."""
    with respx.mock(base_url=settings.sandbox_api_url, assert_all_called=False) as router:
        yield router


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
async def team_key(session: Session, owner: CurrentUser, data_dir: Path) -> int:
    return (await add_key(session, owner)).id
