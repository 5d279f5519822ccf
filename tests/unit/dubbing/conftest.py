"""Fixtures of the dubbing unit tests: a data dir, a SQLite file, a team with a key, media."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

import orangeweb.models.dubbing  # noqa: F401  (registers the dubbing tables)
from orangeweb.db import create_tables, make_engine
from orangeweb.models import Membership, Role, Team, User
from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.settings import get_settings
from tests.unit.services.support import PASSWORD


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory that `get_settings()` points at."""
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.delenv("ORANGEWEB_SECRET_KEYS", raising=False)
    monkeypatch.delenv("ORANGEWEB_UPLOAD_MAX_BYTES", raising=False)
    get_settings.cache_clear()
    yield directory
    get_settings.cache_clear()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    create_tables(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def owner(session: Session, data_dir: Path) -> CurrentUser:
    return auth.sign_up_first(session, "Acme Dubs", "olivia@example.com", "Olivia", PASSWORD)


@pytest.fixture
def rival(session: Session, owner: CurrentUser) -> CurrentUser:
    """The owner of a second team (only tests have two), to prove no query crosses teams."""
    team = Team(name="Rival")
    user = User(email="rex@rival.example", display_name="Rex", password_hash="x")
    session.add_all([team, user])
    session.flush()
    assert team.id is not None and user.id is not None
    session.add(Membership(user_id=user.id, team_id=team.id, role=Role.OWNER))
    session.commit()
    return CurrentUser(user.id, team.id, Role.OWNER, user.email, "Rex")


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dubbing_media")
