"""States of the public pages: sign-in (where to go next) and invite acceptance (a preview)."""

from __future__ import annotations

import reflex as rx

from orangeweb.db import open_session
from orangeweb.routes.web import local_path
from orangeweb.services.accounts import teams
from orangeweb.services.errors import DomainError


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
    def load_invite(self) -> None:
        try:
            with open_session() as session:
                preview = teams.preview_invite(session, self.token)
        except DomainError as error:
            self.invite_error = str(error)
            return
        self.invite_error = ""
        self.team_name = preview.team_name
        self.invite_role = preview.role.value
