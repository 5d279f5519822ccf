"""API keys: the header's key picker and the Settings list (labels and last four only)."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from orangeweb.models import KeyScope, Tier
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.ids import optional_row_id, row_id
from orangeweb.services.keys import sandbox as sandbox_keys
from orangeweb.services.keys.store import (
    ApiKeyView,
    list_api_keys,
    revoke_api_key,
    select_api_key,
    selected_api_key,
)
from orangeweb.services.media import archive
from orangeweb.states.base import AppState


@dataclasses.dataclass
class KeyRow:
    id: str
    label: str
    last4: str
    environment: str
    tier: str
    scope: str
    owner_name: str
    can_revoke: bool


KeysPage = tuple[list[KeyRow], str, bool]
"""The keys shown, the selected key's id ("" for none), whether outputs are archived."""


class KeysState(AppState):
    keys: list[KeyRow] = []
    selected_key_id: str = ""
    sandbox_label: str = "Sandbox key"
    sandbox_tier: str = "free"
    sandbox_scope: str = "personal"
    creating_sandbox_key: bool = False
    archive_outputs: bool = True

    @rx.var
    def has_keys(self) -> bool:
        return len(self.keys) > 0

    @rx.var
    def key_options(self) -> list[list[str]]:
        """[[id, "label ···last4"], ...] for the picker."""
        return [[k.id, f"{k.label} ···{k.last4}"] for k in self.keys]

    def _read_page(self, session: Session, actor: CurrentUser) -> KeysPage:
        views = list_api_keys(session, actor)
        selected = selected_api_key(session, actor)
        rows = [
            KeyRow(
                id=str(v.id),
                label=v.label,
                last4=v.last4,
                environment=v.environment.value,
                tier=v.tier.value,
                scope=v.scope.value,
                owner_name=v.owner_name,
                can_revoke=v.is_mine or (v.scope is KeyScope.TEAM and actor.is_admin),
            )
            for v in views
        ]
        selected_id = str(selected.id) if selected else ""
        return rows, selected_id, archive.archive_enabled(session, actor.team_id)

    def _show_page(self, data: KeysPage) -> None:
        self.keys, self.selected_key_id, self.archive_outputs = data

    @rx.event
    async def load_keys(self) -> rx.event.EventSpec | None:
        return await self._act(lambda _session, _actor: None)

    @rx.event
    async def select_key(self, key_id: str) -> rx.event.EventSpec | None:
        return await self._act(
            lambda session, actor: select_api_key(
                session, actor, optional_row_id(key_id, "API key")
            )
        )

    @rx.event
    async def revoke_key(self, key_id: str) -> rx.event.EventSpec | None:
        return await self._act(
            lambda session, actor: revoke_api_key(session, actor, row_id(key_id, "API key")),
            "Key revoked.",
        )

    @rx.event
    async def set_archive_outputs(self, enabled: bool) -> rx.event.EventSpec | None:
        """Team setting (owners and admins): keep completed outputs in the data directory."""
        return await self._act(
            lambda session, actor: archive.set_archive_outputs(session, actor, enabled),
            "Outputs will be archived." if enabled else "Outputs will no longer be archived.",
        )

    @rx.event
    def set_sandbox_label(self, value: str) -> None:
        self.sandbox_label = value

    @rx.event
    def set_sandbox_tier(self, value: str) -> None:
        self.sandbox_tier = value

    @rx.event
    def set_sandbox_scope(self, value: str) -> None:
        self.sandbox_scope = value

    @rx.event
    async def create_sandbox_key(self) -> rx.event.EventSpec:
        self.creating_sandbox_key = True
        # Read here, on the loop: `create` runs in a thread.
        label, tier, scope = self.sandbox_label, self.sandbox_tier, self.sandbox_scope
        had_selection = bool(self.selected_key_id)

        async def create(session: Session, actor: CurrentUser) -> tuple[ApiKeyView, KeysPage]:
            view = await sandbox_keys.create_sandbox_key(
                session, actor, label=label, tier=Tier(tier), scope=KeyScope(scope)
            )
            if not had_selection:
                select_api_key(session, actor, view.id)
            return view, self._read_page(session, actor)

        try:
            # The whole call (the sandbox's admin API, then storing the key) runs off the loop.
            _, (view, page) = await self._off_loop_async(create)
            self._show_page(page)
        except Exception as error:
            return self._fail(error)
        finally:
            self.creating_sandbox_key = False
        return rx.toast.success(f"Sandbox key “{view.label}” created with starting credits.")

    @rx.event
    async def key_added(self, message: str) -> rx.event.EventSpec | None:
        """After the add-key form posted (over HTTP) successfully."""
        return await self._act(lambda _session, _actor: None, message or "Key added.")
