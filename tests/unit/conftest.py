"""Fixtures of the unit suites that use the dashboard: a data dir the settings point at, a mocked
OrangeClone (`api`), the test's own SQLite file (copied from a per-session template, see
`database` in tests/conftest.py), and the people of a team.

- `owner`: Olivia, who signed up first (Acme Voices); `admin` (Adam) and `member` (Mia) joined
  through invites; `rival`: Rex, owner of a second team.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.db import make_engine
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.settings import Settings, get_settings
from tests.support.database import SeededDatabase, dashboard_environment


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory that `get_settings()` points at; no secret keys in the env."""
    with dashboard_environment(monkeypatch, tmp_path) as directory:
        yield directory


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return get_settings()


@pytest.fixture
def api(settings: Settings) -> Iterator[respx.MockRouter]:
    """A mocked OrangeClone at the URL sandbox keys are sent to."""
    with respx.mock(base_url=settings.sandbox_api_url, assert_all_called=False) as router:
        yield router


@pytest.fixture
def engine(database: SeededDatabase, data_dir: Path) -> Iterator[Engine]:
    engine = make_engine(database.url)
    yield engine
    engine.dispose()


@pytest.fixture
def admin(database: SeededDatabase, session: Session, owner: CurrentUser) -> CurrentUser:
    return database.person("admin", session)


@pytest.fixture
def member(database: SeededDatabase, session: Session, owner: CurrentUser) -> CurrentUser:
    return database.person("member", session)


@pytest.fixture
def rival(database: SeededDatabase, session: Session, owner: CurrentUser) -> CurrentUser:
    """The owner of a second team (only tests have two teams: to prove isolation)."""
    return database.person("rival", session)
