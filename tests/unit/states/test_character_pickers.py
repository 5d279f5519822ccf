"""What the studios offer: the characters on the selected key as chips, and the team's others
greyed with where they live and whether they can be made available here."""

from __future__ import annotations

from pathlib import Path

import httpx
import respx
from sqlmodel import Session

from orangeweb.models import KeyScope
from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.keys.store import select_api_key
from orangeweb.states.character_homes import read_homes
from orangeweb.states.form_inputs import character_chips
from tests.unit.services.audio_files import make_tone
from tests.unit.services.support import add_key, make_character, opener


async def test_chips_are_the_selected_keys_and_the_rest_are_offered_greyed(
    session: Session,
    owner: CurrentUser,
    member: CurrentUser,
    team_key: int,
    api: respx.MockRouter,
    tmp_path: Path,
) -> None:
    api.post("/characters/create").mock(
        side_effect=[
            httpx.Response(200, json={"success": "true", "characterId": f"c{n}"}) for n in range(3)
        ]
    )
    api.get("/characters/imported").respond(
        200, json={"success": True, "data": {"id": "imported", "name": "Ivo Imported"}}
    )
    voice = make_tone(tmp_path / "voice.wav", 4)
    personal = (await add_key(session, owner, "Olive's key", scope=KeyScope.PERSONAL)).id
    nora = await make_character(session, owner, personal, voice, name="Nora")
    await make_character(session, owner, team_key, voice, name="Tim Team")
    await characters.import_character(session, owner, personal, "imported", opener=opener)

    # The member's only key is the team's: selected for them without choosing.
    assert [chip.name for chip in character_chips(session, member)] == ["Tim Team"]
    label, elsewhere = read_homes(session, member)
    assert label == "Team key"
    assert [(c.name, c.lives_on, c.blocked != "") for c in elsewhere] == [
        ("Ivo Imported", "another member's personal key", True),
        ("Nora", "another member's personal key", False),
    ]
    await characters.make_available(session, member, nora.id, team_key, opener=opener)
    chips = character_chips(session, member)
    assert [chip.name for chip in chips] == ["Tim Team", "Nora"]
    assert chips[1].seed == "c0"  # the same face as the original's
    assert [c.name for c in read_homes(session, member)[1]] == ["Ivo Imported"]

    # The owner has two keys and chose none: no chips, every character offered elsewhere.
    assert character_chips(session, owner) == []
    assert read_homes(session, owner)[0] == ""
    select_api_key(session, owner, personal)
    assert [chip.name for chip in character_chips(session, owner)] == ["Ivo Imported", "Nora"]
    assert [c.name for c in read_homes(session, owner)[1]] == ["Tim Team"]
