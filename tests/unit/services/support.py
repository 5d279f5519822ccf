"""Helpers shared by the service tests (fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from secrets import token_hex

from sqlmodel import Session

from orangeweb.models import Environment, KeyScope, Tier
from orangeweb.orangeclone import RetryPolicy
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView, ClientOpener
from orangeweb.services.errors import KeyRejectedError
from orangeweb.services.keys.store import ApiKeyView, add_api_key, open_client
from tests.support.database import PASSWORD, join

__all__ = [
    "PASSWORD",
    "FakeClock",
    "RecordingVerifier",
    "add_key",
    "fresh_secret",
    "join",
    "make_character",
    "opener",
]

# No retries, so a mocked 429 or 5xx answers at once instead of waiting for real.
opener: ClientOpener = partial(open_client, client_options={"retry": RetryPolicy(max_retries=0)})


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class RecordingVerifier:
    """Accepts or rejects every key, remembering what it was asked."""

    def __init__(self, reject: bool = False) -> None:
        self.reject = reject
        self.calls: list[tuple[str, Environment, Tier]] = []

    async def __call__(self, secret: str, environment: Environment, tier: Tier) -> None:
        self.calls.append((secret, environment, tier))
        if self.reject:
            raise KeyRejectedError("This key was rejected by OrangeClone.", status_code=401)


def fresh_secret() -> str:
    """A new key per call: the SDK shares a rate budget per key across the whole process."""
    return f"oc_test_{token_hex(12)}1234"


async def add_key(
    session: Session,
    actor: CurrentUser,
    label: str | None = None,
    scope: KeyScope = KeyScope.TEAM,
    secret: str | None = None,
    environment: Environment = Environment.SANDBOX,
) -> ApiKeyView:
    """A key accepted by a stand-in verifier."""
    return await add_api_key(
        session,
        actor,
        label or f"{actor.display_name}'s key",
        secret or fresh_secret(),
        environment,
        Tier.PRO,
        scope,
        RecordingVerifier(),
    )


async def make_character(
    session: Session, actor: CurrentUser, key_id: int, sample: Path, name: str = "Alex Voice"
) -> CharacterView:
    return await characters.create_character(
        session, actor, key_id, name, "adventurer", sample, opener=opener
    )
