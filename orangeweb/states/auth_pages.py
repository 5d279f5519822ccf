"""States of the public pages: sign-up (is the install set up already?), sign-in (where to go
next) and invite acceptance (a preview)."""

from __future__ import annotations

import asyncio

import reflex as rx

from orangeweb.db import open_session
from orangeweb.services.accounts import teams
from orangeweb.services.accounts.auth import needs_first_account
from orangeweb.services.accounts.redirects import local_path
from orangeweb.services.errors import DomainError


def _preview_invite(token: str) -> teams.InvitePreview:
    with open_session() as session:
        return teams.preview_invite(session, token)


def _needs_first_account() -> bool:
    with open_session() as session:
        return needs_first_account(session)


class SignUpState(rx.State):
    # Until the check answers, the page shows neither the form nor the notice (no flash of a
    # form that would be refused).
    checked: bool = False
    already_set_up: bool = False

    @rx.event
    async def check_install(self) -> None:
        # Off the event loop, which serves every tab.
        self.already_set_up = not await asyncio.to_thread(_needs_first_account)
        self.checked = True


class SignInState(rx.State):
    @rx.var
    def next_path(self) -> str:
        return local_path(self.router.page.params.get("next"))


class InviteState(rx.State):
    team_name: str = ""
    invite_role: str = ""
    invite_error: str = ""

    @rx.var
    def token(self) -> str:
        return str(self.router.page.params.get("token", ""))

    @rx.event
    async def load_invite(self) -> None:
        try:
            # Off the event loop, which serves every tab.
            preview = await asyncio.to_thread(_preview_invite, self.token)
        except DomainError as error:
            self.invite_error = str(error)
            return
        self.invite_error = ""
        self.team_name = preview.team_name
        self.invite_role = preview.role.value
