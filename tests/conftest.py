"""Fixtures shared by every suite: a real sandbox server over real HTTP.

- `sandbox`: one server for the whole session (tmp data dir). Use your own key per test
  (`sandbox.issue_key(tier=..., credits=...)`) so tests cannot see each other's state; prefer
  tier "enterprise" (no rate limit) unless a test is about limits.
- `sandbox_factory`: servers of your own, e.g. with other config (`signed_url_ttl_seconds=2`)
  or to restart; all stopped at the end of the test.

After each test that used `sandbox`, its faults, injected job failures and job holds are reset.

- `database`: the test's own dashboard database (`tmp_path/app.db`), copied from a template
  built once per session with every table and the people the test's fixtures ask for (`owner`,
  `admin`, `member`, `rival`; see tests/support/database.py). The suites' `engine` is built on
  it; `session` (not expiring on commit) and `owner` (Olivia, who signed up first, owner of
  Acme Voices) on that `engine`.

See tests/support/sandbox_server.py for the server's helpers (admin API, fault injection).
"""

from __future__ import annotations

import os

# Before anything imports the services: argon2's cheapest profile, so the hundreds of sign-ups
# the fixtures make cost microseconds each (the dashboards the browser tests start inherit it).
os.environ["ORANGEWEB_TEST_FAST_PASSWORD_HASHING"] = "1"

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.support.sandbox_server import SandboxFactory, SandboxServer

# Imported where used, so that suites without a dashboard database never import its services.
if TYPE_CHECKING:
    from orangeweb.services.accounts.identity import CurrentUser
    from tests.support.database import DatabaseTemplates, SeededDatabase


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxServer]:
    with SandboxServer(tmp_path_factory.mktemp("sandbox")) as server:
        yield server


@pytest.fixture(autouse=True)
def _reset_shared_sandbox(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that leaves a fault, an injected failure or a hold behind must not break the
    next ones on the shared server (only for tests that use `sandbox`)."""
    shared = request.getfixturevalue("sandbox") if "sandbox" in request.fixturenames else None
    yield
    if shared is not None:
        shared.reset_test_hooks()


@pytest.fixture
def sandbox_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxFactory]:
    servers: list[SandboxServer] = []

    def start(data_dir: Path | None = None, **config: Any) -> SandboxServer:
        server = SandboxServer(data_dir or tmp_path_factory.mktemp("sandbox"), **config)
        servers.append(server.start())
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def database_templates(tmp_path_factory: pytest.TempPathFactory) -> DatabaseTemplates:
    from tests.support.database import DatabaseTemplates

    return DatabaseTemplates(tmp_path_factory.mktemp("database_templates"))


@pytest.fixture
def database(
    request: pytest.FixtureRequest, tmp_path: Path, database_templates: DatabaseTemplates
) -> SeededDatabase:
    from tests.support.database import database_for

    return database_for(request, database_templates, tmp_path)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture
def owner(database: SeededDatabase, session: Session) -> CurrentUser:
    return database.person("owner", session)
