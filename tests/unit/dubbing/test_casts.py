"""Casts: named speaker -> voice mappings, matched to a new video's speakers by label."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.models import Character, Role
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts
from orangeweb.services.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    ValidationError,
)
from tests.unit.services.support import add_key, join


async def _character(session: Session, actor: CurrentUser, name: str) -> int:
    key = await add_key(session, actor)
    character = Character(
        team_id=actor.team_id,
        api_key_id=key.id,
        remote_id=f"remote-{name}",
        name=name,
        avatar_style="bottts",
        created_by_id=actor.user_id,
    )
    session.add(character)
    session.commit()
    assert character.id is not None
    return character.id


def test_matching_ignores_case_and_spaces_and_leaves_the_rest_unmapped() -> None:
    cast = {"Host": 3, "Guest Speaker": "original", "Narrator": 9}
    speakers = {
        "speaker_1": "  host ",
        "speaker_2": "GUESTSPEAKER",
        "speaker_3": "Speaker 3",
        "speaker_4": "",
    }
    assert casts.match_cast(cast, speakers) == {"speaker_1": 3, "speaker_2": "original"}


def test_normalized_labels() -> None:
    assert casts.normalize_label(" Guest\tSpeaker ") == "guestspeaker"
    # Composed and decomposed accents, full-width letters: the same label.
    assert casts.normalize_label("Jose\u0301") == casts.normalize_label("José")
    assert casts.normalize_label("\uff28\uff2f\uff33\uff34") == "host"


async def test_create_list_update_delete(session: Session, owner: CurrentUser) -> None:
    alex = await _character(session, owner, "Alex")
    created = casts.create_cast(
        session, owner, "  Weekly   podcast ", {"Host": alex, "Guest": "original"}
    )
    assert created.name == "Weekly podcast"
    assert created.mapping == {"Host": alex, "Guest": "original"}
    assert [(e.label, e.character_name) for e in created.entries] == [
        ("Host", "Alex"),
        ("Guest", None),
    ]
    assert created.created_by_name == "Olivia"
    assert [view.id for view in casts.list_casts(session, owner)] == [created.id]

    with pytest.raises(ConflictError, match="already has a cast called"):
        casts.create_cast(session, owner, "Weekly podcast", {"A": "original"})

    updated = casts.update_cast(session, owner, created.id, mapping={"Host": "original"})
    assert updated.mapping == {"Host": "original"}
    casts.delete_cast(session, owner, created.id)
    assert casts.list_casts(session, owner) == []


async def test_bad_mappings_are_refused(session: Session, owner: CurrentUser) -> None:
    alex = await _character(session, owner, "Alex")
    with pytest.raises(ValidationError, match="at least one speaker"):
        casts.create_cast(session, owner, "Empty", {})
    with pytest.raises(ValidationError, match="are the same speaker"):
        casts.create_cast(session, owner, "Twice", {"Host": alex, " host": "original"})
    with pytest.raises(ValidationError, match="needs a label"):
        casts.create_cast(session, owner, "Blank", {"  ": alex})
    with pytest.raises(ValidationError, match="Pick a character"):
        casts.create_cast(session, owner, "Odd", {"Host": "someone"})
    with pytest.raises(NotFoundError, match="does not exist"):
        casts.create_cast(session, owner, "Ghost", {"Host": 9999})
    with pytest.raises(ValidationError, match="Give the cast a name"):
        casts.create_cast(session, owner, "   ", {"Host": alex})


async def test_casts_stay_inside_their_team(
    session: Session, owner: CurrentUser, rival: CurrentUser
) -> None:
    alex = await _character(session, owner, "Alex")
    cast = casts.create_cast(session, owner, "Ours", {"Host": alex})
    assert casts.list_casts(session, rival) == []
    with pytest.raises(NotFoundError):
        casts.get_cast(session, rival, cast.id)
    with pytest.raises(NotFoundError):
        casts.delete_cast(session, rival, cast.id)
    # Another team's character cannot be put in a cast.
    with pytest.raises(NotFoundError):
        casts.create_cast(session, rival, "Theirs", {"Host": alex})


async def test_only_the_creator_or_an_admin_deletes(session: Session, owner: CurrentUser) -> None:
    member = join(session, owner, Role.MEMBER, "mia@example.com", "Mia")
    other = join(session, owner, Role.MEMBER, "max@example.com", "Max")
    cast = casts.create_cast(session, member, "Mia's", {"Host": "original"})
    with pytest.raises(PermissionDenied):
        casts.delete_cast(session, other, cast.id)
    # Members may edit shared casts.
    assert casts.update_cast(session, other, cast.id, name="Renamed").name == "Renamed"
    casts.delete_cast(session, owner, cast.id)
