"""The team's characters as the gallery and the pickers see them.

A character lives in the account of the key that made it. "Make available on <key>" re-creates
it on another key's account; the copy points at the family's first character (`origin_id`), so
the gallery shows one character with several homes (`CharacterFamily`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, or_, select

from orangeweb.models import ApiKey, Character, KeyScope, User
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters.sample_files import data_root
from orangeweb.services.errors import NotFoundError, PermissionDenied
from orangeweb.services.keys.store import usable_api_key


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
    # The family's first character (its own id for that one); copies share it.
    family_id: int
    # What its avatar is drawn from: the same for every copy.
    avatar_seed: str


@dataclass(frozen=True, slots=True)
class CharacterFamily:
    """One character of the gallery and the keys' accounts it lives on (oldest home first)."""

    id: int
    name: str
    avatar_style: str
    avatar_seed: str
    created_by_name: str | None
    created_at: datetime
    homes: tuple[CharacterView, ...]

    def home_on(self, api_key_id: int) -> CharacterView | None:
        return next((home for home in self.homes if home.api_key_id == api_key_id), None)

    @property
    def sample_home(self) -> CharacterView | None:
        """A copy whose stored sample can make another (None if all were imported by id)."""
        return next((home for home in self.homes if home.sample_path is not None), None)


def family_id_of(character: Character) -> int:
    assert character.id is not None
    return character.origin_id or character.id


def _to_view(
    character: Character,
    api_key: ApiKey,
    creator: str | None,
    actor: CurrentUser,
    root: Path,
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
        sample_path=root / character.sample_path if character.sample_path else None,
        sample_duration_s=character.sample_duration_s,
        created_by_name=creator,
        created_at=character.created_at,
        usable=usable,
        family_id=family_id_of(character),
        avatar_seed=character.avatar_seed or character.remote_id,
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
    """The team's characters, every copy on its own, newest first."""
    rows = session.exec(
        _view_query()
        .where(Character.team_id == actor.team_id)
        .order_by(col(Character.created_at).desc(), col(Character.id).desc())
    ).all()
    root = data_root(data_dir)
    return [_to_view(character, key, creator, actor, root) for character, key, creator in rows]


def list_character_families(
    session: Session, actor: CurrentUser, *, data_dir: Path | None = None
) -> list[CharacterFamily]:
    """The gallery: one entry per character, its homes oldest first; newest character first."""
    homes: dict[int, list[CharacterView]] = {}
    for view in reversed(list_characters(session, actor, data_dir=data_dir)):
        homes.setdefault(view.family_id, []).append(view)
    families = []
    for family_id, views in homes.items():
        first = next((v for v in views if v.id == family_id), views[0])
        families.append(
            CharacterFamily(
                id=family_id,
                name=first.name,
                avatar_style=first.avatar_style,
                avatar_seed=first.avatar_seed,
                created_by_name=first.created_by_name,
                created_at=first.created_at,
                homes=tuple(views),
            )
        )
    return sorted(families, key=lambda family: (family.created_at, family.id), reverse=True)


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
    return _to_view(character, api_key, creator, actor, data_root(data_dir))


def team_character_row(session: Session, actor: CurrentUser, character_id: int) -> Character:
    """A character of the actor's team, whichever key it lives on."""
    character = session.exec(
        select(Character).where(Character.id == character_id, Character.team_id == actor.team_id)
    ).first()
    if character is None:
        raise NotFoundError("That character does not exist.")
    return character


def can_use_key(session: Session, actor: CurrentUser, api_key_id: int) -> bool:
    try:
        usable_api_key(session, actor, api_key_id)
    except NotFoundError:
        return False
    return True


def usable_character_row(session: Session, actor: CurrentUser, character_id: int) -> Character:
    """A character of the actor's team whose key the actor may use."""
    character = team_character_row(session, actor, character_id)
    if not can_use_key(session, actor, character.api_key_id):
        raise PermissionDenied(
            "This character was made with a key you cannot use (another member's personal key, "
            "or a revoked one)."
        )
    return character


def family_rows(session: Session, character: Character) -> list[Character]:
    """Every copy of `character`'s family (itself included), oldest first."""
    family_id = family_id_of(character)
    return list(
        session.exec(
            select(Character)
            .where(
                Character.team_id == character.team_id,
                or_(col(Character.id) == family_id, col(Character.origin_id) == family_id),
            )
            .order_by(col(Character.created_at), col(Character.id))
        ).all()
    )
