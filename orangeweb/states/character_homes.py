"""The team's characters that live on other keys' accounts, as the studios offer them: greyed,
with "Make available on <key>" (re-created there from the stored sample, one API call)."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from orangeweb.services import characters
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.characters import CharacterFamily
from orangeweb.services.ids import row_id
from orangeweb.services.keys.store import selected_api_key
from orangeweb.states.base import AppState
from orangeweb.states.form_inputs import selected_key_id


@dataclasses.dataclass
class ElsewhereChip:
    """A character with no copy on the selected key."""

    id: str  # the family's id (any copy names the family)
    seed: str
    name: str
    style: str
    lives_on: str  # "Olive's key", "another member's personal key", joined with ", "
    # Why it cannot be made available here ("" when it can).
    blocked: str


HomesPage = tuple[str, list[ElsewhereChip]]
"""The selected key's label ("" for none) and the characters that live elsewhere."""


def _elsewhere(family: CharacterFamily) -> ElsewhereChip:
    homes = ", ".join(dict.fromkeys(home.api_key_label for home in family.homes))
    return ElsewhereChip(
        id=str(family.id),
        seed=family.avatar_seed,
        name=family.name,
        style=family.avatar_style,
        lives_on=homes,
        blocked=""
        if family.sample_home is not None
        else "Imported by id, so the dashboard has no sample to re-create it from.",
    )


def read_homes(session: Session, actor: CurrentUser) -> HomesPage:
    selected = selected_api_key(session, actor)
    families = characters.list_character_families(session, actor)
    if selected is None:
        return "", [_elsewhere(family) for family in families]
    return selected.label, [
        _elsewhere(family) for family in families if family.home_on(selected.id) is None
    ]


class CharacterHomesState(AppState):
    acting_key_label: str = ""
    elsewhere: list[ElsewhereChip] = []
    making_id: str = ""

    @rx.var
    def has_elsewhere(self) -> bool:
        return len(self.elsewhere) > 0

    def _read_page(self, session: Session, actor: CurrentUser) -> HomesPage:
        return read_homes(session, actor)

    def _show_page(self, data: HomesPage) -> None:
        self.acting_key_label, self.elsewhere = data

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        return await self._act(lambda _session, _actor: None)

    @rx.event
    async def make_available(self, character_id: str):
        """Re-create the character on the selected key's account; the page's own loader runs
        next (the component chains it) and shows it among the usable ones."""
        self.making_id = character_id
        yield

        async def copy(session: Session, actor: CurrentUser) -> tuple[str, HomesPage]:
            key_id = selected_key_id(session, actor)
            view = await characters.make_available(
                session, actor, row_id(character_id, "character"), key_id
            )
            return f"“{view.name}” is now available on {view.api_key_label}.", read_homes(
                session, actor
            )

        try:
            _, (done, page) = await self._off_loop_async(copy)
            self._show_page(page)
            yield rx.toast.success(done)
        except Exception as error:
            yield self._fail(error)
        finally:
            self.making_id = ""
