"""Changing characters (rename, restyle, new voice, delete, import) through the real SDK,
against a mocked OrangeClone (respx): the local record follows the API, never leads it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import respx
from sqlmodel import Session, select

from orangeweb.models import Character
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from orangeweb.services.errors import (
    ConflictError,
    PermissionDenied,
    RemoteApiError,
    ValidationError,
)

from .audio_files import make_tone
from .support import opener


async def test_rename_and_restyle(
    session: Session,
    member: CurrentUser,
    owner: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    update_route = api.put("/characters/abc123xyz").respond(200, json={"success": True})
    renamed = await characters.update_character(
        session, member, character.id, name="New Name", opener=opener
    )
    assert json.loads(update_route.calls.last.request.content) == {"name": "New Name"}
    restyled = await characters.update_character(
        session, member, character.id, avatar_style="bottts", opener=opener
    )
    assert json.loads(update_route.calls.last.request.content) == {"avatarStyle": "bottts"}
    assert (renamed.name, restyled.name, restyled.avatar_style) == (
        "New Name",
        "New Name",
        "bottts",
    )
    with pytest.raises(ValidationError):
        await characters.update_character(session, member, character.id, name="N", opener=opener)
    assert update_route.call_count == 2


async def test_a_failed_rename_changes_nothing(
    session: Session,
    owner: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    api.put("/characters/abc123xyz").respond(404, json={"success": False, "error": "nope"})
    with pytest.raises(RemoteApiError, match="does not know"):
        await characters.update_character(
            session, owner, character.id, name="New Name", opener=opener
        )
    assert characters.get_character(session, owner, character.id).name == "Alex Voice"


async def test_replace_voice(
    session: Session,
    owner: CurrentUser,
    character: CharacterView,
    short_voice: Path,
    tmp_path: Path,
    api: respx.MockRouter,
) -> None:
    audio_route = api.post("/characters/abc123xyz/audio").respond(200, json={"success": True})
    with pytest.raises(ValidationError, match="at least 3 s"):
        await characters.replace_voice(session, owner, character.id, short_voice, opener=opener)
    assert not audio_route.called
    new_voice = make_tone(tmp_path / "new.mp3", 5)
    replaced = await characters.replace_voice(
        session, owner, character.id, new_voice, opener=opener
    )
    assert b'filename="voice.mp3"' in audio_route.calls.last.request.content
    assert replaced.sample_duration_s == pytest.approx(5, abs=0.15)
    assert replaced.sample_path is not None and replaced.sample_path.suffix == ".mp3"
    assert character.sample_path is not None and not character.sample_path.exists()


async def test_delete_removes_remote_then_local(
    session: Session,
    owner: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    delete_route = api.delete("/characters/delete").respond(200, json={"success": True})
    assert await characters.delete_character(session, owner, character.id, opener=opener) is None
    assert json.loads(delete_route.calls.last.request.content) == {"characterId": "abc123xyz"}
    assert characters.list_characters(session, owner) == []
    assert character.sample_path is not None and not character.sample_path.exists()


async def test_delete_when_already_gone_remotely(
    session: Session,
    owner: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    api.delete("/characters/delete").respond(404, json={"success": False, "error": "not found"})
    note = await characters.delete_character(session, owner, character.id, opener=opener)
    assert note == characters.ALREADY_GONE_NOTE
    assert characters.list_characters(session, owner) == []


async def test_a_failed_delete_keeps_the_record(
    session: Session,
    owner: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    api.delete("/characters/delete").respond(500, json={"success": False, "error": "boom"})
    with pytest.raises(RemoteApiError):
        await characters.delete_character(session, owner, character.id, opener=opener)
    assert [c.id for c in characters.list_characters(session, owner)] == [character.id]


async def test_only_the_creator_or_an_admin_deletes(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    character: CharacterView,
    api: respx.MockRouter,
) -> None:
    delete_route = api.delete("/characters/delete").respond(200, json={"success": True})
    with pytest.raises(PermissionDenied):
        await characters.delete_character(session, member, character.id, opener=opener)
    assert not delete_route.called


async def test_import_by_id(
    session: Session, owner: CurrentUser, team_key: int, api: respx.MockRouter
) -> None:
    get_route = api.get("/characters/remote42").respond(
        200,
        json={
            "success": True,
            "data": {
                "id": "remote42",
                "name": "Narrator",
                "avatarStyle": "micah",
                "voiceDuration": 8.5,
            },
        },
    )
    view = await characters.import_character(session, owner, team_key, " remote42 ", opener=opener)
    assert (view.remote_id, view.name, view.avatar_style, view.sample_path) == (
        "remote42",
        "Narrator",
        "micah",
        None,
    )
    assert view.sample_duration_s == 8.5
    with pytest.raises(ConflictError, match="already"):
        await characters.import_character(session, owner, team_key, "remote42", opener=opener)
    assert get_route.call_count == 1


async def test_import_refuses_unknown_and_odd_ids(
    session: Session, owner: CurrentUser, team_key: int, api: respx.MockRouter
) -> None:
    api.get("/characters/ghost").respond(404, json={"success": False, "error": "not found"})
    with pytest.raises(RemoteApiError, match="does not know"):
        await characters.import_character(session, owner, team_key, "ghost", opener=opener)
    with pytest.raises(ValidationError):
        await characters.import_character(session, owner, team_key, "../admin", opener=opener)
    assert session.exec(select(Character)).all() == []
