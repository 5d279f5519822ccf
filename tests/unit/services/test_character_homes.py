"""A character on several keys' accounts: "Make available on <key>" re-creates it from the
stored sample (one call), the gallery shows one character with its homes, changes reach every
copy the actor can use, and deleting takes one copy or all. Against a mocked OrangeClone."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx
from sqlmodel import Session, select

from orangeweb.models import Character, CharacterSpeechRate, KeyScope
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from orangeweb.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)

from .support import add_key, make_character, opener


def _deleted(route: respx.Route) -> list[str]:
    return [json.loads(call.request.content)["characterId"] for call in route.calls]


@pytest.fixture
async def personal_key(session: Session, owner: CurrentUser, data_dir: Path) -> int:
    return (await add_key(session, owner, "Olive's key", scope=KeyScope.PERSONAL)).id


@pytest.fixture
def created_ids(api: respx.MockRouter) -> respx.Route:
    """Each create answers a new remote id: first "on-personal", then "on-team"."""
    return api.post("/characters/create").mock(
        side_effect=[
            httpx.Response(200, json={"success": "true", "characterId": "on-personal"}),
            httpx.Response(200, json={"success": "true", "characterId": "on-team"}),
        ]
    )


@pytest.fixture
async def nora(
    session: Session,
    owner: CurrentUser,
    personal_key: int,
    voice: Path,
    created_ids: respx.Route,
) -> CharacterView:
    """ "Nora", made by the owner on their personal key, with a learned speaking rate."""
    view = await make_character(session, owner, personal_key, voice, name="Nora")
    session.add(
        CharacterSpeechRate(character_id=view.id, language="", takes=3, text_chars=90, seconds=7.5)
    )
    session.commit()
    return view


async def test_a_member_makes_it_available_on_the_team_key(
    session: Session,
    member: CurrentUser,
    owner: CurrentUser,
    nora: CharacterView,
    team_key: int,
    created_ids: respx.Route,
) -> None:
    copy = await characters.make_available(session, member, nora.id, team_key, opener=opener)
    assert created_ids.call_count == 2  # the original, then exactly one call for the copy
    body = created_ids.calls.last.request.content
    assert b'name="name"\r\n\r\nNora' in body and b"adventurer" in body
    assert copy.sample_path is not None and nora.sample_path is not None
    assert copy.sample_path != nora.sample_path
    assert copy.sample_path.read_bytes() == nora.sample_path.read_bytes()
    assert (copy.remote_id, copy.api_key_id, copy.usable) == ("on-team", team_key, True)
    assert (copy.family_id, copy.avatar_seed) == (nora.id, "on-personal")  # the same face
    (rate,) = session.exec(
        select(CharacterSpeechRate).where(CharacterSpeechRate.character_id == copy.id)
    ).all()
    assert (rate.takes, rate.text_chars, rate.seconds) == (3, 90, 7.5)

    (family,) = characters.list_character_families(session, owner)
    assert (family.id, family.name, family.avatar_seed) == (nora.id, "Nora", "on-personal")
    assert [home.id for home in family.homes] == [nora.id, copy.id]
    (seen_by_member,) = characters.list_character_families(session, member)
    assert [(home.api_key_label, home.usable) for home in seen_by_member.homes] == [
        ("another member's personal key", False),
        (f"{owner.display_name}'s key", True),
    ]


async def test_refusals_make_no_call(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    nora: CharacterView,
    personal_key: int,
    team_key: int,
    created_ids: respx.Route,
    api: respx.MockRouter,
) -> None:
    with pytest.raises(ConflictError, match="already available on Olive's key"):
        await characters.make_available(session, owner, nora.id, personal_key, opener=opener)
    with pytest.raises(NotFoundError):  # a key the member may not use
        await characters.make_available(session, member, nora.id, personal_key, opener=opener)
    api.get("/characters/remote42").respond(
        200, json={"success": True, "data": {"id": "remote42", "name": "Imported"}}
    )
    imported = await characters.import_character(
        session, owner, personal_key, "remote42", opener=opener
    )
    with pytest.raises(ValidationError, match="imported by id"):
        await characters.make_available(session, owner, imported.id, team_key, opener=opener)
    assert created_ids.call_count == 1  # Nora's own creation only


async def test_a_rename_reaches_every_copy_the_actor_can_use(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    nora: CharacterView,
    team_key: int,
    api: respx.MockRouter,
) -> None:
    copy = await characters.make_available(session, owner, nora.id, team_key, opener=opener)
    on_personal = api.put("/characters/on-personal").respond(200, json={"success": True})
    on_team = api.put("/characters/on-team").respond(200, json={"success": True})
    await characters.update_character(session, owner, copy.id, name="Nora B", opener=opener)
    assert (on_personal.call_count, on_team.call_count) == (1, 1)
    assert json.loads(on_team.calls.last.request.content) == {"name": "Nora B"}
    # The member reaches only the team's copy; the gallery still shows one name.
    await characters.update_character(session, member, copy.id, name="Nora C", opener=opener)
    assert (on_personal.call_count, on_team.call_count) == (1, 2)
    assert {row.name for row in session.exec(select(Character)).all()} == {"Nora C"}


async def test_delete_one_copy_or_all(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    nora: CharacterView,
    team_key: int,
    api: respx.MockRouter,
    data_dir: Path,
) -> None:
    copy = await characters.make_available(session, member, nora.id, team_key, opener=opener)
    gone = api.delete("/characters/delete").respond(200, json={"success": True})
    with pytest.raises(PermissionDenied, match="keys you cannot use"):
        await characters.delete_character(session, member, copy.id, everywhere=True, opener=opener)
    assert not gone.called

    # The family's first copy goes: the other one becomes the first, still one character.
    await characters.delete_character(session, owner, nora.id, opener=opener)
    (family,) = characters.list_character_families(session, owner)
    assert (family.id, [home.id for home in family.homes]) == (copy.id, [copy.id])
    assert session.get(Character, copy.id).origin_id is None  # type: ignore[union-attr]

    await characters.delete_character(session, member, copy.id, everywhere=True, opener=opener)
    assert _deleted(gone) == ["on-personal", "on-team"]
    assert characters.list_character_families(session, owner) == []
    assert list((data_dir / "samples").rglob("*.*")) == []


async def test_the_owner_deletes_every_copy_at_once(
    session: Session,
    owner: CurrentUser,
    nora: CharacterView,
    team_key: int,
    api: respx.MockRouter,
) -> None:
    copy = await characters.make_available(session, owner, nora.id, team_key, opener=opener)
    gone = api.delete("/characters/delete").respond(200, json={"success": True})
    assert (
        await characters.delete_character(session, owner, copy.id, everywhere=True, opener=opener)
        is None
    )
    assert _deleted(gone) == ["on-personal", "on-team"]
    assert session.exec(select(Character)).all() == []
