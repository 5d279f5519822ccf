"""What the studios' forms draw on: the characters a user may voice with (as avatar chips),
the key the header's picker chose, and a fresh idempotency key per click intent."""

from __future__ import annotations

import dataclasses
import uuid

from sqlmodel import Session

from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import ValidationError
from orangeweb.services.keys.store import selected_api_key


@dataclasses.dataclass
class CharacterChip:
    """A character the actor may voice with: shown as an avatar chip."""

    id: str
    seed: str
    name: str
    style: str


def new_submission_key() -> str:
    """A fresh idempotency key for one click intent (generated on the server)."""
    return uuid.uuid4().hex


def character_chips(session: Session, actor: CurrentUser) -> list[CharacterChip]:
    """The characters the actor can voice with now: those living on the selected key's
    account (a character exists only in the account of the key that created it)."""
    selected = selected_api_key(session, actor)
    if selected is None:
        return []
    return [
        CharacterChip(
            id=str(home.id), seed=family.avatar_seed, name=family.name, style=home.avatar_style
        )
        for family in characters.list_character_families(session, actor)
        if (home := family.home_on(selected.id)) is not None
    ]


def selected_key_id(session: Session, actor: CurrentUser) -> int:
    """The key the header's picker chose (the jobs services check that the characters are
    that key's: a character exists only in the account of the key that created it)."""
    selected = selected_api_key(session, actor)
    if selected is None:
        raise ValidationError("Choose an API key first (Settings → API keys).")
    return selected.id
