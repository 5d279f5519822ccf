"""Characters, dashboard side: the team's list, kept in step with the API through its key.

The API has no list endpoint, so each character the team creates or imports is recorded here
(with the key that reaches it, since characters belong to the key's account). Every remote call
goes through `keys.store.open_client`; a sample is checked completely before any request is made,
and the local record changes only after the API agreed.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import unicodedata
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from orangeweb.models import ApiKey, Character, KeyScope, User
from orangeweb.orangeclone import NotFound, OrangeCloneError
from orangeweb.orangeclone.constants import AVATAR_STYLES, CHARACTER_NAME_MAX, CHARACTER_NAME_MIN
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import api_errors_in_words, as_domain_error
from orangeweb.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from orangeweb.services.keys.store import open_client, usable_api_key
from orangeweb.services.media.samples import SampleRejected, VoiceSample, prepare_voice_sample
from orangeweb.settings import get_settings

ClientOpener = Callable[[Session, CurrentUser, int], AbstractAsyncContextManager[Any]]
"""`keys.store.open_client`, or a stand-in with the same shape (tests)."""

_REMOTE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
ALREADY_GONE_NOTE = "It was already gone from OrangeClone; the dashboard's record is removed too."


@dataclass(frozen=True, slots=True)
class CharacterView:
    id: int
    remote_id: str
    name: str
    avatar_style: str
    api_key_id: int
    api_key_label: str
    # Absolute path of the local copy of the voice sample (None when imported by id).
    sample_path: Path | None
    sample_duration_s: float | None
    created_by_name: str | None
    created_at: datetime
    # Whether the viewer can act on it (its key is usable by them: team key, or their own).
    usable: bool


def _data_root(data_dir: Path | None) -> Path:
    return data_dir or get_settings().data_path


def clean_character_name(name: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not CHARACTER_NAME_MIN <= len(cleaned) <= CHARACTER_NAME_MAX:
        raise ValidationError(
            f"Character names are {CHARACTER_NAME_MIN} to {CHARACTER_NAME_MAX} characters."
        )
    return cleaned


def check_avatar_style(avatar_style: str) -> str:
    if avatar_style not in AVATAR_STYLES:
        raise ValidationError(f"Pick an avatar style: {', '.join(AVATAR_STYLES)}.")
    return avatar_style


async def _prepare_sample(sample: Path, work_dir: Path) -> VoiceSample:
    try:
        return await asyncio.to_thread(prepare_voice_sample, sample, work_dir)
    except SampleRejected as rejection:
        raise ValidationError(str(rejection)) from rejection


def _store_sample(prepared: VoiceSample, team_id: int, data_dir: Path | None) -> str:
    """Copy a checked sample under the data directory with a generated name; returns it relative."""
    relative = Path("samples") / str(team_id) / f"{uuid.uuid4().hex}.{prepared.extension}"
    target = _data_root(data_dir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(prepared.path, target)
    return relative.as_posix()


def _remove_sample(relative: str | None, data_dir: Path | None) -> None:
    if relative:
        (_data_root(data_dir) / relative).unlink(missing_ok=True)


def _to_view(
    character: Character,
    api_key: ApiKey,
    creator: str | None,
    actor: CurrentUser,
    data_root: Path,
) -> CharacterView:
    assert character.id is not None
    revoked = api_key.revoked_at is not None
    usable = not revoked and (api_key.scope is KeyScope.TEAM or api_key.owner_id == actor.user_id)
    if usable:
        key_label = api_key.label
    else:  # another member's personal key stays private, even its label
        key_label = "a revoked key" if revoked else "another member's personal key"
    return CharacterView(
        id=character.id,
        remote_id=character.remote_id,
        name=character.name,
        avatar_style=character.avatar_style,
        api_key_id=character.api_key_id,
        api_key_label=key_label,
        sample_path=data_root / character.sample_path if character.sample_path else None,
        sample_duration_s=character.sample_duration_s,
        created_by_name=creator,
        created_at=character.created_at,
        usable=usable,
    )


def _view_query() -> Any:
    return (
        select(Character, ApiKey, User.display_name)
        .join(ApiKey, col(ApiKey.id) == col(Character.api_key_id))
        .join(User, col(User.id) == col(Character.created_by_id), isouter=True)
    )


def list_characters(
    session: Session, actor: CurrentUser, *, data_dir: Path | None = None
) -> list[CharacterView]:
    """The team's characters, newest first."""
    rows = session.exec(
        _view_query()
        .where(Character.team_id == actor.team_id)
        .order_by(col(Character.created_at).desc(), col(Character.id).desc())
    ).all()
    data_root = _data_root(data_dir)
    return [_to_view(character, key, creator, actor, data_root) for character, key, creator in rows]


def get_character(
    session: Session, actor: CurrentUser, character_id: int, *, data_dir: Path | None = None
) -> CharacterView:
    """One of the team's characters; another team's id is simply not found."""
    row = session.exec(
        _view_query().where(Character.id == character_id, Character.team_id == actor.team_id)
    ).first()
    if row is None:
        raise NotFoundError("That character does not exist.")
    character, api_key, creator = row
    return _to_view(character, api_key, creator, actor, _data_root(data_dir))


def _team_character(session: Session, actor: CurrentUser, character_id: int) -> Character:
    """A character of the actor's team whose key the actor may use."""
    character = session.exec(
        select(Character).where(Character.id == character_id, Character.team_id == actor.team_id)
    ).first()
    if character is None:
        raise NotFoundError("That character does not exist.")
    try:
        usable_api_key(session, actor, character.api_key_id)
    except NotFoundError as error:
        raise PermissionDenied(
            "This character was made with a key you cannot use (another member's personal key, "
            "or a revoked one)."
        ) from error
    return character


async def create_character(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    name: str,
    avatar_style: str,
    sample: Path,
    *,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> CharacterView:
    """Check everything, create the character remotely, then record it with its sample. Commits."""
    name = clean_character_name(name)
    avatar_style = check_avatar_style(avatar_style)
    usable_api_key(session, actor, api_key_id)
    with tempfile.TemporaryDirectory(prefix="orangeweb-sample-") as work_dir:
        prepared = await _prepare_sample(sample, Path(work_dir))
        async with opener(session, actor, api_key_id) as client:
            with api_errors_in_words():
                created = await client.characters.create(
                    name, avatar_style, prepared.path, filename=f"voice.{prepared.extension}"
                )
        sample_path = await asyncio.to_thread(_store_sample, prepared, actor.team_id, data_dir)
    character = Character(
        team_id=actor.team_id,
        api_key_id=api_key_id,
        remote_id=created.character_id,
        name=name,
        avatar_style=avatar_style,
        sample_path=sample_path,
        sample_duration_s=prepared.duration_s,
        created_by_id=actor.user_id,
    )
    session.add(character)
    try:
        session.commit()
    except BaseException as error:
        session.rollback()
        _remove_sample(sample_path, data_dir)
        if isinstance(error, IntegrityError):  # the API handed back an id we already track
            raise ConflictError("This character is already in the dashboard.") from error
        raise
    assert character.id is not None
    return get_character(session, actor, character.id, data_dir=data_dir)


async def update_character(
    session: Session,
    actor: CurrentUser,
    character_id: int,
    *,
    name: str | None = None,
    avatar_style: str | None = None,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> CharacterView:
    """Rename and/or restyle a character, remotely then locally. Commits."""
    name = clean_character_name(name) if name is not None else None
    avatar_style = check_avatar_style(avatar_style) if avatar_style is not None else None
    if name is None and avatar_style is None:
        raise ValidationError("Nothing to change.")
    character = _team_character(session, actor, character_id)
    async with opener(session, actor, character.api_key_id) as client:
        with api_errors_in_words():
            await client.characters.update(
                character.remote_id, name=name, avatar_style=avatar_style
            )
    character.name = name or character.name
    character.avatar_style = avatar_style or character.avatar_style
    session.commit()
    return get_character(session, actor, character_id, data_dir=data_dir)


async def replace_voice(
    session: Session,
    actor: CurrentUser,
    character_id: int,
    sample: Path,
    *,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> CharacterView:
    """Give a character a new voice sample (checked first), remotely then locally. Commits."""
    character = _team_character(session, actor, character_id)
    with tempfile.TemporaryDirectory(prefix="orangeweb-sample-") as work_dir:
        prepared = await _prepare_sample(sample, Path(work_dir))
        async with opener(session, actor, character.api_key_id) as client:
            with api_errors_in_words():
                await client.characters.replace_voice(
                    character.remote_id, prepared.path, filename=f"voice.{prepared.extension}"
                )
        new_sample_path = await asyncio.to_thread(_store_sample, prepared, actor.team_id, data_dir)
    old_sample_path = character.sample_path
    character.sample_path = new_sample_path
    character.sample_duration_s = prepared.duration_s
    session.commit()
    _remove_sample(old_sample_path, data_dir)
    return get_character(session, actor, character_id, data_dir=data_dir)


async def delete_character(
    session: Session,
    actor: CurrentUser,
    character_id: int,
    *,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> str | None:
    """Delete remotely, then the record and sample. Its creator or an admin. Commits.

    Returns a note for the user when the API no longer knew the character (the record is
    removed anyway, since nothing remote is left to manage).
    """
    character = _team_character(session, actor, character_id)
    if character.created_by_id != actor.user_id and not actor.is_admin:
        raise PermissionDenied("Only its creator, an owner or an admin can delete a character.")
    note: str | None = None
    async with opener(session, actor, character.api_key_id) as client:
        try:
            await client.characters.delete(character.remote_id)
        except NotFound:
            note = ALREADY_GONE_NOTE
        except OrangeCloneError as error:
            raise as_domain_error(error) from error
    sample_path = character.sample_path
    session.delete(character)
    session.commit()
    _remove_sample(sample_path, data_dir)
    return note


async def import_character(
    session: Session,
    actor: CurrentUser,
    api_key_id: int,
    remote_id: str,
    *,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> CharacterView:
    """Record an existing remote character by its id (fetched to prove it exists). Commits."""
    remote_id = remote_id.strip()
    if not _REMOTE_ID.match(remote_id):
        raise ValidationError("Enter a character id as OrangeClone shows it, e.g. abc123xyz.")
    usable_api_key(session, actor, api_key_id)
    duplicate = session.exec(
        select(Character).where(
            Character.api_key_id == api_key_id, Character.remote_id == remote_id
        )
    ).first()
    if duplicate is not None:
        raise ConflictError("This character is already in the dashboard.")
    async with opener(session, actor, api_key_id) as client:
        with api_errors_in_words():
            remote = await client.characters.get(remote_id)
    name = " ".join((remote.name or "").split())[:CHARACTER_NAME_MAX] or remote_id[:50]
    character = Character(
        team_id=actor.team_id,
        api_key_id=api_key_id,
        remote_id=remote_id,
        name=name,
        avatar_style=(remote.avatar_style or AVATAR_STYLES[0])[:40],
        sample_duration_s=remote.voice_duration,
        created_by_id=actor.user_id,
    )
    session.add(character)
    try:
        session.commit()
    except IntegrityError as error:  # imported by someone else meanwhile
        session.rollback()
        raise ConflictError("This character is already in the dashboard.") from error
    assert character.id is not None
    return get_character(session, actor, character.id, data_dir=data_dir)
