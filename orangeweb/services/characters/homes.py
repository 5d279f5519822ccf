"""Where a character lives: making it available on another key's account, and deleting one
copy or every copy.

The API ties a character to the account whose key made it, so a member on the team key cannot
voice with a character made on someone's personal key. `make_available` re-creates it on the
chosen key's account from the stored sample (one `characters.create` call, name, style and
avatar kept) and links the copy to the family's first character.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from orangeweb.models import Character, CharacterSpeechRate
from orangeweb.orangeclone import NotFound, OrangeCloneError
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.api_errors import api_errors_in_words, as_domain_error
from orangeweb.services.characters.changes import ClientOpener
from orangeweb.services.characters.gallery import (
    CharacterView,
    can_use_key,
    family_id_of,
    family_rows,
    get_character,
    team_character_row,
    usable_character_row,
)
from orangeweb.services.characters.sample_files import (
    copy_stored_sample,
    data_root,
    remove_sample,
)
from orangeweb.services.errors import ConflictError, PermissionDenied, ValidationError
from orangeweb.services.keys.store import open_client, usable_api_key

ALREADY_GONE_NOTE = "It was already gone from OrangeClone; the dashboard's record is removed too."


async def make_available(
    session: Session,
    actor: CurrentUser,
    character_id: int,
    api_key_id: int,
    *,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> CharacterView:
    """Re-create a character of the team on `api_key_id`'s account. Commits.

    Any member who may use the target key may do it (the source copy's key need not be
    theirs: the sample is the dashboard's). Refused when the family already lives there, or
    when no copy has a stored sample (characters imported by id have none).
    """
    api_key = usable_api_key(session, actor, api_key_id)
    character = team_character_row(session, actor, character_id)
    family = family_rows(session, character)
    if any(copy.api_key_id == api_key_id for copy in family):
        raise ConflictError(f"“{character.name}” is already available on {api_key.label}.")
    source = next((copy for copy in family if copy.sample_path), None)
    sample = data_root(data_dir) / source.sample_path if source and source.sample_path else None
    if source is None or sample is None or not sample.is_file():
        raise ValidationError(
            f"“{character.name}” has no voice sample in the dashboard (it was imported by id), "
            f"so it cannot be re-created on {api_key.label}. Import it there by its id instead."
        )
    async with opener(session, actor, api_key_id) as client:
        with api_errors_in_words():
            created = await client.characters.create(
                character.name, character.avatar_style, sample, filename=f"voice{sample.suffix}"
            )
    sample_path = await asyncio.to_thread(
        copy_stored_sample, source.sample_path, actor.team_id, data_dir
    )
    copy = Character(
        team_id=actor.team_id,
        api_key_id=api_key_id,
        remote_id=created.character_id,
        name=character.name,
        avatar_style=character.avatar_style,
        sample_path=sample_path,
        sample_duration_s=source.sample_duration_s,
        created_by_id=actor.user_id,
        origin_id=family_id_of(character),
        avatar_seed=character.avatar_seed or character.remote_id,
    )
    session.add(copy)
    try:
        session.flush()
        _copy_speech_rates(session, source, copy)
        session.commit()
    except BaseException as error:
        session.rollback()
        remove_sample(sample_path, data_dir)
        if isinstance(error, IntegrityError):
            raise ConflictError(
                f"“{character.name}” is already available on {api_key.label}."
            ) from error
        raise
    assert copy.id is not None
    return get_character(session, actor, copy.id, data_dir=data_dir)


def _copy_speech_rates(session: Session, source: Character, copy: Character) -> None:
    """The same sample speaks at the same rate: the copy starts from what the source learned."""
    assert copy.id is not None
    for rate in session.exec(
        select(CharacterSpeechRate).where(CharacterSpeechRate.character_id == source.id)
    ).all():
        session.add(
            CharacterSpeechRate(
                character_id=copy.id,
                language=rate.language,
                takes=rate.takes,
                text_chars=rate.text_chars,
                seconds=rate.seconds,
            )
        )


async def delete_character(
    session: Session,
    actor: CurrentUser,
    character_id: int,
    *,
    everywhere: bool = False,
    data_dir: Path | None = None,
    opener: ClientOpener = open_client,
) -> str | None:
    """Delete one copy (or, `everywhere`, every copy) remotely, then the records and samples.
    Its creator or an admin. Commits after each copy.

    Returns a note for the user when the API no longer knew a copy (its record is removed
    anyway, since nothing remote is left to manage).
    """
    character = usable_character_row(session, actor, character_id)
    if character.created_by_id != actor.user_id and not actor.is_admin:
        raise PermissionDenied("Only its creator, an owner or an admin can delete a character.")
    copies = [character]
    if everywhere:
        copies = family_rows(session, character)
        if not all(can_use_key(session, actor, copy.api_key_id) for copy in copies):
            raise PermissionDenied(
                "Some copies live on keys you cannot use (another member's personal key, or a "
                "revoked one). Delete this copy only, or ask whoever holds that key."
            )
    note: str | None = None
    for copy in copies:
        if await _delete_copy(session, actor, copy, data_dir, opener):
            note = ALREADY_GONE_NOTE
    return note


async def _delete_copy(
    session: Session,
    actor: CurrentUser,
    copy: Character,
    data_dir: Path | None,
    opener: ClientOpener,
) -> bool:
    """Delete one copy; True when OrangeClone no longer knew it."""
    gone = False
    async with opener(session, actor, copy.api_key_id) as client:
        try:
            await client.characters.delete(copy.remote_id)
        except NotFound:
            gone = True
        except OrangeCloneError as error:
            raise as_domain_error(error) from error
    _hand_family_on(session, copy)
    sample_path = copy.sample_path
    session.delete(copy)
    session.commit()
    remove_sample(sample_path, data_dir)
    return gone


def _hand_family_on(session: Session, leaving: Character) -> None:
    """When the family's first character goes, the oldest remaining copy becomes the first."""
    if leaving.origin_id is not None:
        return
    remaining = [copy for copy in family_rows(session, leaving) if copy.id != leaving.id]
    if not remaining:
        return
    heir, *rest = remaining
    heir.origin_id = None
    for copy in rest:
        copy.origin_id = heir.id
    session.flush()
