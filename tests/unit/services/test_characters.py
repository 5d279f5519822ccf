"""Creating and listing characters through the real SDK and `open_client`, against a mocked
OrangeClone (respx): nothing is sent or stored unless every check passed."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
from sqlmodel import Session, select

from orangeweb.models import Character, KeyScope
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterView
from orangeweb.services.errors import (
    KeyRejectedError,
    NotFoundError,
    PermissionDenied,
    RemoteApiError,
    ValidationError,
)

from .audio_files import make_tone
from .support import add_key, make_character, opener


def _stored_samples(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "samples").rglob("*.*")) if (data_dir / "samples").exists() else []


async def test_create_uploads_then_records_with_the_sample(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    voice: Path,
    create_route: respx.Route,
    data_dir: Path,
) -> None:
    view = await make_character(session, owner, team_key, voice, name="  Alex   Voice ")
    body = create_route.calls.last.request.content
    assert b'name="name"\r\n\r\nAlex Voice' in body
    assert b'name="avatarStyle"\r\n\r\nadventurer' in body
    assert b'filename="voice.wav"' in body and b"Content-Type: audio/wav" in body
    assert (view.remote_id, view.name, view.avatar_style, view.usable) == (
        "abc123xyz",
        "Alex Voice",
        "adventurer",
        True,
    )
    assert view.sample_duration_s == pytest.approx(4, abs=0.1)
    _assert_stored_copy(view, voice, data_dir, owner.team_id)


def _assert_stored_copy(
    view: characters.CharacterView, original: Path, data_dir: Path, team_id: int
) -> None:
    """The sample sits, under a generated name, in the team's folder of the data directory."""
    assert view.sample_path is not None
    assert view.sample_path.parent == data_dir.resolve() / "samples" / str(team_id)
    assert view.sample_path.read_bytes() == original.read_bytes()
    assert view.sample_path.stem != original.stem and len(view.sample_path.stem) == 32


@pytest.mark.parametrize(
    ("name", "style", "sample_kind", "message"),
    [
        ("A", "adventurer", "good", "2 to 50 characters"),
        ("x" * 51, "adventurer", "good", "2 to 50 characters"),
        ("Alex", "cubism", "good", "avatar style"),
        ("Alex", "adventurer", "short", "at least 3 s"),
        ("Alex", "adventurer", "text", "not audio"),
    ],
)
async def test_nothing_is_sent_for_bad_input(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    voice: Path,
    short_voice: Path,
    tmp_path: Path,
    create_route: respx.Route,
    data_dir: Path,
    name: str,
    style: str,
    sample_kind: str,
    message: str,
) -> None:
    text_as_wav = tmp_path / "voice.wav"
    text_as_wav.write_text("definitely not a recording\n" * 100)
    sample = {"good": voice, "short": short_voice, "text": text_as_wav}[sample_kind]
    with pytest.raises(ValidationError, match=message):
        await characters.create_character(
            session, owner, team_key, name, style, sample, opener=opener
        )
    assert not create_route.called
    assert session.exec(select(Character)).all() == []
    assert _stored_samples(data_dir) == []


async def test_a_browser_recording_is_uploaded_as_wav(
    session: Session, owner: CurrentUser, team_key: int, tmp_path: Path, create_route: respx.Route
) -> None:
    recording = make_tone(tmp_path / "blob.webm", 3.5)
    view = await make_character(session, owner, team_key, recording)
    assert b'filename="voice.wav"' in create_route.calls.last.request.content
    assert view.sample_path is not None and view.sample_path.suffix == ".wav"


@pytest.mark.parametrize(
    ("status", "headers", "error", "message"),
    [
        (401, {}, KeyRejectedError, "This key was rejected"),
        (402, {}, RemoteApiError, "Not enough credits"),
        (429, {"Retry-After": "12"}, RemoteApiError, "Rate limited, try again in 12 s"),
        (503, {}, RemoteApiError, "problem on its side"),
    ],
)
async def test_api_refusals_store_nothing_and_read_as_words(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    voice: Path,
    api: respx.MockRouter,
    data_dir: Path,
    status: int,
    headers: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    api.post("/characters/create").respond(
        status, headers=headers, json={"success": False, "error": "no"}
    )
    with pytest.raises(error, match=message):
        await make_character(session, owner, team_key, voice)
    assert session.exec(select(Character)).all() == []
    assert _stored_samples(data_dir) == []


async def test_list_is_newest_first_and_team_scoped(
    session: Session,
    owner: CurrentUser,
    team_key: int,
    voice: Path,
    api: respx.MockRouter,
    other_team_owner: CurrentUser,
) -> None:
    api.post("/characters/create").mock(
        side_effect=[
            httpx.Response(200, json={"success": "true", "characterId": "first"}),
            httpx.Response(200, json={"success": "true", "characterId": "second"}),
        ]
    )
    first = await make_character(session, owner, team_key, voice, name="First")
    await make_character(session, owner, team_key, voice, name="Second")
    assert [view.name for view in characters.list_characters(session, owner)] == [
        "Second",
        "First",
    ]
    assert characters.get_character(session, owner, first.id).remote_id == "first"
    assert characters.list_characters(session, other_team_owner) == []


async def test_another_team_cannot_reach_characters_even_by_id(
    session: Session,
    team_key: int,
    character: CharacterView,
    other_team_owner: CurrentUser,
    api: respx.MockRouter,
) -> None:
    with pytest.raises(NotFoundError):
        characters.get_character(session, other_team_owner, character.id)
    with pytest.raises(NotFoundError):
        await characters.update_character(
            session, other_team_owner, character.id, name="Stolen", opener=opener
        )
    with pytest.raises(NotFoundError):
        await characters.delete_character(session, other_team_owner, character.id, opener=opener)
    with pytest.raises(NotFoundError):  # nor import through the first team's key
        await characters.import_character(
            session, other_team_owner, team_key, "abc123xyz", opener=opener
        )
    assert len(api.calls) == 1  # only the create


async def test_characters_of_someone_elses_personal_key(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    voice: Path,
    create_route: respx.Route,
    data_dir: Path,
) -> None:
    personal_key = (await add_key(session, owner, scope=KeyScope.PERSONAL)).id
    view = await make_character(session, owner, personal_key, voice)
    (listed,) = characters.list_characters(session, member)
    assert listed.id == view.id and not listed.usable
    with pytest.raises(PermissionDenied, match="key you cannot use"):
        await characters.update_character(session, member, view.id, name="Mine now", opener=opener)
    with pytest.raises(NotFoundError):
        await make_character(session, member, personal_key, voice)
