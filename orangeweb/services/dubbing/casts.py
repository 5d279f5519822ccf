"""Named casts: "Host" -> Alex's character, "Guest" -> original voice, reused across videos.

A cast maps speaker labels to a team character (local id) or to "original". Applying it to a
new video matches each speaker's label (the name the team gave it, else the API's label)
against the cast's labels, ignoring case, accents' composed/decomposed forms and spaces;
speakers with no match stay unmapped, so nothing is guessed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from orangeweb.models import Character, User, utcnow
from orangeweb.models.dubbing import Cast
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)

ORIGINAL: Literal["original"] = "original"
CAST_NAME_MAX = 80
LABEL_MAX = 80
MAX_ENTRIES = 50

CastChoice = int | Literal["original"]


@dataclass(frozen=True, slots=True)
class CastEntry:
    label: str
    character_id: int | None  # None: the original voice
    character_name: str | None  # None for the original voice, or a deleted character

    @property
    def choice(self) -> CastChoice:
        return ORIGINAL if self.character_id is None else self.character_id


@dataclass(frozen=True, slots=True)
class CastView:
    id: int
    name: str
    entries: list[CastEntry]
    created_by_name: str | None
    updated_at: datetime

    @property
    def mapping(self) -> dict[str, CastChoice]:
        return {entry.label: entry.choice for entry in self.entries}


def normalize_label(label: str) -> str:
    """The form labels are compared in: NFKC, case-folded, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", label).casefold().split())


def match_cast(
    cast_mapping: Mapping[str, CastChoice], speakers: Mapping[str, str]
) -> dict[str, CastChoice]:
    """{speaker id: choice} for the `speakers` ({speaker id: label}) whose label is in the
    cast; unmatched speakers are left out."""
    by_label = {normalize_label(label): choice for label, choice in cast_mapping.items()}
    matched: dict[str, CastChoice] = {}
    for speaker_id, label in speakers.items():
        key = normalize_label(label)
        if key and key in by_label:
            matched[speaker_id] = by_label[key]
    return matched


def _clean_name(name: str) -> str:
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ValidationError("Give the cast a name, e.g. “Weekly podcast”.")
    if len(cleaned) > CAST_NAME_MAX:
        raise ValidationError(f"Cast names are at most {CAST_NAME_MAX} characters.")
    return cleaned


def _clean_mapping(
    session: Session, actor: CurrentUser, mapping: Mapping[str, Any]
) -> dict[str, CastChoice]:
    if not mapping:
        raise ValidationError("A cast needs at least one speaker.")
    if len(mapping) > MAX_ENTRIES:
        raise ValidationError(f"A cast has at most {MAX_ENTRIES} speakers.")
    cleaned: dict[str, CastChoice] = {}
    seen: dict[str, str] = {}
    for raw_label, choice in mapping.items():
        label = " ".join(unicodedata.normalize("NFC", str(raw_label)).split())
        key = normalize_label(label)
        if not key:
            raise ValidationError("Every speaker in a cast needs a label.")
        if len(label) > LABEL_MAX:
            raise ValidationError(f"Speaker labels are at most {LABEL_MAX} characters.")
        if key in seen:
            raise ValidationError(f"“{seen[key]}” and “{label}” are the same speaker.")
        seen[key] = label
        if choice == ORIGINAL:
            cleaned[label] = ORIGINAL
            continue
        if isinstance(choice, bool) or not isinstance(choice, int):
            raise ValidationError(f"Pick a character or the original voice for “{label}”.")
        character = session.exec(
            select(Character).where(Character.id == choice, Character.team_id == actor.team_id)
        ).first()
        if character is None:
            raise NotFoundError(f"The character chosen for “{label}” does not exist.")
        cleaned[label] = choice
    return cleaned


def _to_view(session: Session, cast: Cast) -> CastView:
    assert cast.id is not None
    ids = [choice for choice in cast.mapping.values() if isinstance(choice, int)]
    names = dict(
        session.exec(select(Character.id, Character.name).where(col(Character.id).in_(ids))).all()
        if ids
        else []
    )
    entries = [
        CastEntry(label, None, None)
        if choice == ORIGINAL
        else CastEntry(label, int(choice), names.get(int(choice)))
        for label, choice in cast.mapping.items()
    ]
    creator = session.get(User, cast.created_by_id) if cast.created_by_id else None
    return CastView(
        id=cast.id,
        name=cast.name,
        entries=entries,
        created_by_name=creator.display_name if creator else None,
        updated_at=cast.updated_at,
    )


def _team_cast(session: Session, actor: CurrentUser, cast_id: int) -> Cast:
    cast = session.exec(
        select(Cast).where(Cast.id == cast_id, Cast.team_id == actor.team_id)
    ).first()
    if cast is None:
        raise NotFoundError("That cast does not exist.")
    return cast


def _commit_unique(session: Session, name: str) -> None:
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise ConflictError(f"The team already has a cast called “{name}”.") from error


def list_casts(session: Session, actor: CurrentUser) -> list[CastView]:
    """The team's casts, by name."""
    casts = session.exec(
        select(Cast).where(Cast.team_id == actor.team_id).order_by(col(Cast.name))
    ).all()
    return [_to_view(session, cast) for cast in casts]


def get_cast(session: Session, actor: CurrentUser, cast_id: int) -> CastView:
    return _to_view(session, _team_cast(session, actor, cast_id))


def create_cast(
    session: Session, actor: CurrentUser, name: str, mapping: Mapping[str, Any]
) -> CastView:
    """A new cast for the team (any member). Commits."""
    name = _clean_name(name)
    cast = Cast(
        team_id=actor.team_id,
        name=name,
        mapping=_clean_mapping(session, actor, mapping),
        created_by_id=actor.user_id,
    )
    session.add(cast)
    _commit_unique(session, name)
    return _to_view(session, cast)


def update_cast(
    session: Session,
    actor: CurrentUser,
    cast_id: int,
    *,
    name: str | None = None,
    mapping: Mapping[str, Any] | None = None,
) -> CastView:
    """Rename a cast or replace its mapping (any member: casts are shared). Commits."""
    cast = _team_cast(session, actor, cast_id)
    if name is not None:
        cast.name = _clean_name(name)
    if mapping is not None:
        cast.mapping = _clean_mapping(session, actor, mapping)
    cast.updated_at = utcnow()
    _commit_unique(session, cast.name)
    return _to_view(session, cast)


def delete_cast(session: Session, actor: CurrentUser, cast_id: int) -> None:
    """Remove a cast: its creator, or an owner or admin. Projects using it keep their
    mappings. Commits."""
    cast = _team_cast(session, actor, cast_id)
    if cast.created_by_id != actor.user_id and not actor.is_admin:
        raise PermissionDenied("Only the member who made this cast, or an admin, can delete it.")
    session.delete(cast)
    session.commit()
