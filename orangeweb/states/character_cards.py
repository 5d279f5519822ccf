"""The Characters page's cards: one per character, whichever keys' accounts it lives on."""

from __future__ import annotations

import dataclasses

from orangeweb.services.characters import CharacterFamily


@dataclasses.dataclass
class CharacterCard:
    """One character of the gallery, whichever keys' accounts it lives on."""

    id: str  # the copy the card acts on: the one on the selected key, else one the user can use
    remote_id: str
    avatar_seed: str
    name: str
    avatar_style: str
    homes: str  # "Team sandbox, Olive's key"
    home_count: int
    acting_home: str  # the key label of the copy the card acts on
    created_by: str
    created_at: str
    sample_url: str
    usable: bool
    # "Make available on <key>" is offered: the selected key has no copy and a sample exists.
    can_make_available: bool


def card_for(family: CharacterFamily, selected_key: int | None) -> CharacterCard:
    on_selected = family.home_on(selected_key) if selected_key is not None else None
    usable_homes = [home for home in family.homes if home.usable]
    acting = on_selected or (usable_homes[0] if usable_homes else family.homes[0])
    return CharacterCard(
        id=str(acting.id),
        remote_id=acting.remote_id,
        avatar_seed=family.avatar_seed,
        name=family.name,
        avatar_style=family.avatar_style,
        homes=", ".join(dict.fromkeys(home.api_key_label for home in family.homes)),
        home_count=len(family.homes),
        acting_home=acting.api_key_label,
        created_by=family.created_by_name or "",
        created_at=family.created_at.strftime("%Y-%m-%d %H:%M"),
        sample_url=f"/media/samples/{acting.id}" if acting.sample_path else "",
        usable=acting.usable,
        can_make_available=selected_key is not None
        and on_selected is None
        and family.sample_home is not None,
    )
