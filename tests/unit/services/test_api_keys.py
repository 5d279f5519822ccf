"""API keys: visibility, who may add and revoke, verification, selection, and `open_client`."""

from __future__ import annotations

import httpx
import pytest
import respx
from sqlmodel import Session, select

from orangeweb.models import ApiKey, Environment, KeyScope, Tier
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import (
    KeyRejectedError,
    NotFoundError,
    PermissionDenied,
    RemoteApiError,
    ValidationError,
)
from orangeweb.services.keys.store import (
    KEY_CHECK_CHARACTER_ID,
    ApiKeyView,
    add_api_key,
    list_api_keys,
    open_client,
    revoke_api_key,
    select_api_key,
    selected_api_key,
)
from orangeweb.settings import Settings

from .support import RecordingVerifier, add_key, fresh_secret

# Only for input checks that never reach a verifier or the SDK; fixed (not `fresh_secret()`)
# because it is in test ids, which must be the same in every process that collects them.
SECRET = "oc_test_5ec2e7f0a9b14c3d8e6f7a2b1234"


async def add(
    session: Session,
    actor: CurrentUser,
    label: str,
    scope: KeyScope = KeyScope.PERSONAL,
    secret: str | None = None,
    environment: Environment = Environment.SANDBOX,
) -> ApiKeyView:
    return await add_key(session, actor, label, scope, secret, environment)


async def test_a_verified_key_is_stored_encrypted_and_shown_by_label_and_last4(
    session: Session, owner: CurrentUser, data_dir: object
) -> None:
    verifier = RecordingVerifier()
    view = await add_api_key(
        session,
        owner,
        "  Team   key ",
        f" {SECRET} ",
        "sandbox",
        "pro",
        "team",
        verifier,  # type: ignore[arg-type]
    )
    assert verifier.calls == [(SECRET, Environment.SANDBOX, Tier.PRO)]
    assert (view.label, view.last4, view.scope, view.owner_name) == (
        "Team key",
        "1234",
        KeyScope.TEAM,
        "Olivia",
    )
    assert SECRET not in repr(view) and SECRET not in str(view)
    row = session.exec(select(ApiKey)).one()
    assert SECRET not in row.ciphertext and SECRET not in repr(row)


async def test_a_rejected_key_stores_nothing(session: Session, owner: CurrentUser) -> None:
    with pytest.raises(KeyRejectedError, match="rejected"):
        await add_api_key(
            session,
            owner,
            "Bad",
            SECRET,
            Environment.ORANGECLONE,
            Tier.FREE,
            KeyScope.TEAM,
            RecordingVerifier(reject=True),
        )
    assert session.exec(select(ApiKey)).all() == []


@pytest.mark.parametrize(
    ("label", "secret", "message"),
    [
        ("", SECRET, "label"),
        ("x" * 61, SECRET, "at most 60"),
        ("L", "   ", "Paste"),
        ("L", "a b", "API key"),
    ],
)
async def test_input_is_checked_before_verification(
    session: Session, owner: CurrentUser, label: str, secret: str, message: str
) -> None:
    verifier = RecordingVerifier()
    with pytest.raises(ValidationError, match=message):
        await add_api_key(
            session, owner, label, secret, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM, verifier
        )
    assert verifier.calls == []


async def test_only_admins_and_owners_add_team_keys(
    session: Session, member: CurrentUser, admin: CurrentUser
) -> None:
    verifier = RecordingVerifier()
    with pytest.raises(PermissionDenied):
        await add_api_key(
            session, member, "Mine", SECRET, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM, verifier
        )
    assert verifier.calls == []
    await add(session, member, "Mia personal")
    await add(session, admin, "Admin team", KeyScope.TEAM)


async def test_visibility_personal_keys_to_their_owner_team_keys_to_all(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    await add(session, owner, "Team key", KeyScope.TEAM)
    await add(session, admin, "Adam's")
    await add(session, member, "Mia's")

    def labels(actor: CurrentUser) -> list[str]:
        return [view.label for view in list_api_keys(session, actor)]

    assert labels(member) == ["Team key", "Mia's"]
    assert labels(admin) == ["Team key", "Adam's"]
    assert labels(owner) == ["Team key"]


async def test_revoke_rules(
    session: Session, owner: CurrentUser, admin: CurrentUser, member: CurrentUser
) -> None:
    team_key = await add(session, owner, "Team key", KeyScope.TEAM)
    mias = await add(session, member, "Mia's")
    with pytest.raises(PermissionDenied):
        revoke_api_key(session, member, team_key.id)
    with pytest.raises(NotFoundError):  # someone else's personal key is not even visible
        revoke_api_key(session, admin, mias.id)
    revoke_api_key(session, member, mias.id)
    revoke_api_key(session, admin, team_key.id)
    assert list_api_keys(session, member) == []
    with pytest.raises(NotFoundError):
        async with open_client(session, member, mias.id):
            pass


async def test_selection_is_remembered_per_user_and_forgotten_on_revoke(
    session: Session, owner: CurrentUser, member: CurrentUser
) -> None:
    team_key = await add(session, owner, "Team key", KeyScope.TEAM)
    owners = await add(session, owner, "Olivia's")
    assert selected_api_key(session, owner) is None  # two keys: the owner must choose
    only = selected_api_key(session, member)  # one usable key: it is the member's
    assert only is not None and only.id == team_key.id
    mias = await add(session, member, "Mia's")
    assert selected_api_key(session, member) is None
    select_api_key(session, member, team_key.id)
    select_api_key(session, owner, owners.id)
    selected = selected_api_key(session, member)
    assert selected is not None and selected.id == team_key.id
    with pytest.raises(NotFoundError):
        select_api_key(session, member, owners.id)
    revoke_api_key(session, owner, team_key.id)
    fallback = selected_api_key(session, member)  # the chosen one is gone; one key is left
    assert fallback is not None and fallback.id == mias.id
    revoke_api_key(session, member, mias.id)
    assert selected_api_key(session, member) is None
    selected = selected_api_key(session, owner)
    assert selected is not None and selected.id == owners.id


async def test_open_client_uses_the_decrypted_key_at_its_environment(
    session: Session, owner: CurrentUser, api: respx.MockRouter, settings: Settings
) -> None:
    secret = fresh_secret()
    view = await add(session, owner, "Team key", KeyScope.TEAM, secret=secret)
    route = api.get("/characters/abc").respond(
        200, json={"success": True, "data": {"id": "abc", "name": "Alex", "avatarStyle": "bottts"}}
    )
    async with open_client(session, owner, view.id) as client:
        assert client.base_url == settings.sandbox_api_url
        assert client.tier == "pro"
        assert secret not in repr(client)
        character = await client.characters.get("abc")
    assert character.name == "Alex"
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {secret}"


async def test_real_orangeclone_keys_go_to_the_configured_url(
    session: Session, owner: CurrentUser, settings: Settings
) -> None:
    view = await add(session, owner, "Live", environment=Environment.ORANGECLONE)
    async with open_client(session, owner, view.id) as client:
        assert client.base_url == settings.orangeclone_url


async def test_another_team_cannot_see_or_use_keys_even_by_id(
    session: Session, owner: CurrentUser, other_team_owner: CurrentUser
) -> None:
    team_key = await add(session, owner, "Team key", KeyScope.TEAM)
    assert list_api_keys(session, other_team_owner) == []
    with pytest.raises(NotFoundError):
        async with open_client(session, other_team_owner, team_key.id):
            pass
    with pytest.raises(NotFoundError):
        revoke_api_key(session, other_team_owner, team_key.id)
    with pytest.raises(NotFoundError):
        select_api_key(session, other_team_owner, team_key.id)


async def test_members_cannot_use_another_members_personal_key(
    session: Session, admin: CurrentUser, member: CurrentUser
) -> None:
    admins = await add(session, admin, "Adam's")
    with pytest.raises(NotFoundError):
        async with open_client(session, member, admins.id):
            pass


class TestDefaultVerifier:
    """The SDK-backed verifier against a mocked sandbox."""

    async def test_not_found_means_the_key_works(
        self, session: Session, owner: CurrentUser, api: respx.MockRouter
    ) -> None:
        secret = fresh_secret()
        route = api.get(f"/characters/{KEY_CHECK_CHARACTER_ID}").respond(
            404, json={"success": False, "error": "Character not found"}
        )
        view = await add_api_key(
            session, owner, "Good", secret, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM
        )
        assert route.calls.last.request.headers["Authorization"] == f"Bearer {secret}"
        assert [key.id for key in list_api_keys(session, owner)] == [view.id]

    async def test_unauthorised_means_rejected_and_nothing_stored(
        self, session: Session, owner: CurrentUser, api: respx.MockRouter
    ) -> None:
        secret = fresh_secret()
        api.get(f"/characters/{KEY_CHECK_CHARACTER_ID}").respond(
            401, json={"success": False, "error": "Invalid API key"}
        )
        with pytest.raises(KeyRejectedError, match="This key was rejected"):
            await add_api_key(
                session, owner, "Bad", secret, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM
            )
        assert session.exec(select(ApiKey)).all() == []

    async def test_rate_limited_says_when_to_retry(
        self, session: Session, owner: CurrentUser, api: respx.MockRouter
    ) -> None:
        secret = fresh_secret()
        api.get(f"/characters/{KEY_CHECK_CHARACTER_ID}").respond(
            429, headers={"Retry-After": "7"}, json={"success": False, "error": "Slow down"}
        )
        with pytest.raises(RemoteApiError, match="Rate limited, try again in 7 s"):
            await add_api_key(
                session, owner, "Busy", secret, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM
            )
        assert session.exec(select(ApiKey)).all() == []

    async def test_unreachable_server(
        self, session: Session, owner: CurrentUser, api: respx.MockRouter
    ) -> None:
        secret = fresh_secret()
        api.get(f"/characters/{KEY_CHECK_CHARACTER_ID}").mock(
            side_effect=httpx.ConnectError("refused")
        )
        with pytest.raises(RemoteApiError, match="Could not reach"):
            await add_api_key(
                session, owner, "Offline", secret, Environment.SANDBOX, Tier.FREE, KeyScope.TEAM
            )
        assert session.exec(select(ApiKey)).all() == []
