"""`open_client_for_team`: the tracker's way to use a key, still scoped to the team."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.models import ApiKey, utcnow
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import NotFoundError
from orangeweb.services.keys.store import open_client_for_team
from orangeweb.settings import Settings


async def test_the_key_must_belong_to_the_team_and_be_usable(
    session: Session, owner: CurrentUser, rival: CurrentUser, team_key: int, settings: Settings
) -> None:
    async with open_client_for_team(session, owner.team_id, team_key) as client:
        assert client.base_url == settings.sandbox_api_url
        assert client.tier == "pro"
        assert "oc_test" not in repr(client)
    with pytest.raises(NotFoundError):
        async with open_client_for_team(session, rival.team_id, team_key):
            pass
    key = session.get(ApiKey, team_key)
    assert key is not None
    key.revoked_at = utcnow()
    session.commit()
    with pytest.raises(NotFoundError, match="revoked"):
        async with open_client_for_team(session, owner.team_id, team_key):
            pass
