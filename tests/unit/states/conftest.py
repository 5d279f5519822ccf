"""Fixtures of the page-state tests: one tab's tree of Reflex states, made as Reflex's in-memory
state manager makes it (the root state with `_reflex_internal_init=True`, which builds every
substate), so the real state classes run their real vars and handlers without a server. The
database suites' `engine`, `session`, `owner` and `member` come from tests/unit/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from orangeweb.models import KeyScope
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.settings import Settings
from orangeweb.states import live

# Every page state, imported before any tree is built, so each tree has them all.
from orangeweb.states.dubbing import DubbingState  # noqa: F401
from orangeweb.states.jobs import ActivityState, JobsState  # noqa: F401
from orangeweb.states.scripts import ScriptsState  # noqa: F401
from orangeweb.states.stories import StoriesState  # noqa: F401
from orangeweb.states.voice import VoiceState  # noqa: F401
from tests.unit.services.support import add_key
from tests.unit.states.builders import Tab


@pytest.fixture
def tab() -> Tab:
    return Tab()


@pytest.fixture
def no_live_views(monkeypatch: pytest.MonkeyPatch) -> Iterator[list]:
    """The live routes as if no page had registered yet (restored afterwards)."""
    views: list = []
    monkeypatch.setattr(live, "_VIEWS", views)
    yield views


@pytest.fixture
async def team_key(
    session: Session, owner: CurrentUser, member: CurrentUser, settings: Settings
) -> int:
    """A team key (Olivia's), in a database where Mia has joined too."""
    return (await add_key(session, owner, "Team key", KeyScope.TEAM)).id
