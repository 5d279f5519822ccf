"""Characters, dashboard side: create, import, rename, restyle, new voice.

The API has no list endpoint, so each character the team creates or imports is recorded here
(with the key that reaches it, since characters belong to the key's account). Every remote call
goes through `keys.store.open_client`; a sample is checked completely before any request is made,
and the local record changes only after the API agreed. A change to a character reaches every
copy of it (`homes.make_available`) on a key the actor may use.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import unicodedata
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from orangeweb.models import Character
from orangeweb.orangeclone.constants import AVATAR_STYLES, CHARACTER_NAME_MAX, CHARACTER_NAME_MIN
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import api_errors_in_words
from orangeweb.services.characters.gallery import (
    CharacterView,
    can_use_key,
    family_rows,
    get_character,
    usable_character_row,
)
from orangeweb.services.characters.sample_files import (
    prepare_sample,
    remove_sample,
    store_sample,
)
from orangeweb.services.errors import ConflictError, ValidationError
from orangeweb.services.keys.store import open_client, usable_api_key

ClientOpener = Callable[[Session, CurrentUser, int], AbstractAsyncContextManager[Any]]
"""`keys.store.open_client`, or a stand-in with the same shape (tests)."""

_REMOTE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")


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


def _reachable_copies(
    session: Session, actor: CurrentUser, character: Character
) -> list[Character]:
    """The copies of the family whose key the actor may use, `character` first."""
    others = [
        row
        for row in family_rows(session, character)
        if row.id != character.id and can_use_key(session, actor, row.api_key_id)
    ]
    return [character, *others]


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
        prepared = await prepare_sample(sample, Path(work_dir))
        async with opener(session, actor, api_key_id) as client:
            with api_errors_in_words():
                created = await client.characters.create(
                    name, avatar_style, prepared.path, filename=f"voice.{prepared.extension}"
                )
        sample_path = await asyncio.to_thread(store_sample, prepared, actor.team_id, data_dir)
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
        remove_sample(sample_path, data_dir)
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
    """Rename and/or restyle a character, remotely then locally, on every copy the actor can
    reach (the dashboard's name and style are the family's). Commits after each copy."""
    name = clean_character_name(name) if name is not None else None
    avatar_style = check_avatar_style(avatar_style) if avatar_style is not None else None
    if name is None and avatar_style is None:
        raise ValidationError("Nothing to change.")
    character = usable_character_row(session, actor, character_id)
    for copy in _reachable_copies(session, actor, character):
        async with opener(session, actor, copy.api_key_id) as client:
            with api_errors_in_words():
                await client.characters.update(copy.remote_id, name=name, avatar_style=avatar_style)
        copy.name = name or copy.name
        copy.avatar_style = avatar_style or copy.avatar_style
        session.commit()
    # Copies on keys the actor cannot use keep their remote name; the gallery shows one.
    for copy in family_rows(session, character):
        copy.name = name or copy.name
        copy.avatar_style = avatar_style or copy.avatar_style
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
    """Give a character a new voice sample (checked first), remotely then locally, on every
    copy the actor can reach. Commits after each copy."""
    character = usable_character_row(session, actor, character_id)
    with tempfile.TemporaryDirectory(prefix="orangeweb-sample-") as work_dir:
        prepared = await prepare_sample(sample, Path(work_dir))
        for copy in _reachable_copies(session, actor, character):
            async with opener(session, actor, copy.api_key_id) as client:
                with api_errors_in_words():
                    await client.characters.replace_voice(
                        copy.remote_id, prepared.path, filename=f"voice.{prepared.extension}"
                    )
            stored = await asyncio.to_thread(store_sample, prepared, actor.team_id, data_dir)
            old_sample_path = copy.sample_path
            copy.sample_path = stored
            copy.sample_duration_s = prepared.duration_s
            session.commit()
            remove_sample(old_sample_path, data_dir)
    return get_character(session, actor, character_id, data_dir=data_dir)


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
