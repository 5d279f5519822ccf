"""Fixtures shared by every suite: a real sandbox server over real HTTP.

- `sandbox`: one server for the whole session (tmp data dir). Use your own key per test
  (`sandbox.issue_key(tier=..., credits=...)`) so tests cannot see each other's state; prefer
  tier "enterprise" (no rate limit) unless a test is about limits.
- `sandbox_factory`: servers of your own, e.g. with other config (`signed_url_ttl_seconds=2`)
  or to restart; all stopped at the end of the test.

After each test that used `sandbox`, its faults, injected job failures and job holds are reset.

See tests/support/sandbox_server.py for the server's helpers (admin API, fault injection).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.sandbox_server import SandboxFactory, SandboxServer


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
