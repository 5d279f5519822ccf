"""The key and character services end to end over real HTTP, against the built-in sandbox (the
dashboard's sandbox URL points at the shared one: see conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from orangeweb.models import ApiKey, Environment, KeyScope, Tier
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import (
    ConflictError,
    KeyRejectedError,
    RemoteApiError,
    ValidationError,
)
from orangeweb.services.keys.store import add_api_key, open_client
from tests.support.sandbox_server import SandboxServer
from tests.unit.services.audio_files import make_tone


async def test_keys_and_characters_round_trip(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    tmp_path: Path,
) -> None:
    with pytest.raises(KeyRejectedError, match="This key was rejected"):
        await add_api_key(
            session,
            owner,
            "Wrong",
            "ocsb_not_a_real_key_1234",
            Environment.SANDBOX,
            Tier.FREE,
            KeyScope.TEAM,
        )
    assert session.exec(select(ApiKey)).all() == []

    secret = sandbox.issue_key(tier="enterprise", credits=100)
    key = await add_api_key(
        session, owner, "Sandbox", secret, Environment.SANDBOX, Tier.ENTERPRISE, KeyScope.TEAM
    )
    assert key.last4 == secret[-4:]

    with pytest.raises(ValidationError, match="at least 3 s"):
        await characters.create_character(
            session, owner, key.id, "Too Short", "bottts", make_tone(tmp_path / "s.wav", 2)
        )

    created = await characters.create_character(
        session, owner, key.id, "Alex Voice", "adventurer", make_tone(tmp_path / "v.wav", 4)
    )
    async with open_client(session, owner, key.id) as client:
        remote = await client.characters.get(created.remote_id)
    assert (remote.name, remote.avatar_style) == ("Alex Voice", "adventurer")

    renamed = await characters.update_character(
        session, owner, created.id, name="Alex Renamed", avatar_style="bottts"
    )
    assert (renamed.name, renamed.avatar_style) == ("Alex Renamed", "bottts")
    await characters.replace_voice(session, owner, created.id, make_tone(tmp_path / "n.mp3", 5))

    with pytest.raises(ConflictError):
        await characters.import_character(session, owner, key.id, created.remote_id)

    assert await characters.delete_character(session, owner, created.id) is None
    assert characters.list_characters(session, owner) == []
    # Gone remotely too: importing it back finds nothing.
    with pytest.raises(RemoteApiError, match="does not know"):
        await characters.import_character(session, owner, key.id, created.remote_id)
