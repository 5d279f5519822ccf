"""Team: members and roles, and invite links (owners and admins manage; the last owner stays)."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts import teams
from orangeweb.services.accounts.identity import CurrentUser, parse_role
from orangeweb.services.ids import row_id
from orangeweb.states.base import AppState


@dataclasses.dataclass
class MemberRow:
    user_id: str
    name: str
    email: str
    role: str
    joined: str
    is_me: bool
    # What the viewer may do to this member (services' rules); never on their own row, where a
    # slip would lock them out of the page they are using.
    can_change_role: bool = False
    can_remove: bool = False
    roles: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class InviteRow:
    id: str
    role: str
    expires: str
    created_by: str


class TeamState(AppState):
    members: list[MemberRow] = []
    invites: list[InviteRow] = []
    invite_role: str = "member"
    # The roles this viewer may give in an invite (the server checks again).
    invite_roles: list[str] = ["member", "admin"]
    # The link of the invite just created: shown once, to copy; never stored in clear.
    new_invite_link: str = ""

    def _read_page(
        self, session: Session, actor: CurrentUser
    ) -> tuple[list[MemberRow], list[InviteRow], list[str]]:
        members = teams.list_members(session, actor)
        invites = teams.list_invites(session, actor) if actor.is_admin else []
        member_rows = [
            MemberRow(
                user_id=str(m.user_id),
                name=m.display_name,
                email=m.email,
                role=m.role.value,
                joined=m.joined_at.strftime("%Y-%m-%d"),
                is_me=m.user_id == actor.user_id,
                can_change_role=m.actions.can_change_role and m.user_id != actor.user_id,
                can_remove=m.actions.can_remove and m.user_id != actor.user_id,
                roles=[role.value for role in m.actions.roles]
                if m.user_id != actor.user_id
                else [],
            )
            for m in members
        ]
        invite_rows = [
            InviteRow(
                id=str(i.id),
                role=i.role.value,
                expires=i.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
                created_by=i.created_by_name or "",
            )
            for i in invites
        ]
        roles = [role.value for role in teams.grantable_roles(actor)]
        return member_rows, invite_rows, roles

    def _show_page(self, data: tuple[list[MemberRow], list[InviteRow], list[str]]) -> None:
        self.members, self.invites, self.invite_roles = data
        if self.invite_role not in self.invite_roles:
            self.invite_role = "member"

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        self.new_invite_link = ""
        return await self._act(lambda _session, _actor: None)

    @rx.event
    def set_invite_role(self, value: str) -> None:
        self.invite_role = value

    @rx.event
    async def create_invite(self) -> rx.event.EventSpec | None:
        origin = self.router.headers.origin or f"http://{self.router.headers.host}"
        role = self.invite_role
        links: list[str] = []  # `create` runs in a thread: the link is shown after, here

        def create(session: Session, actor: CurrentUser) -> None:
            raw_token, _view = teams.create_invite(session, actor, parse_role(role))
            links.append(f"{origin}/invite/{raw_token}")

        done = await self._act(create)
        if links:
            self.new_invite_link = links[0]
        return done

    @rx.event
    def copy_invite_link(self) -> list[rx.event.EventSpec]:
        return [rx.set_clipboard(self.new_invite_link), rx.toast.success("Invite link copied")]

    @rx.event
    async def revoke_invite(self, invite_id: str) -> rx.event.EventSpec | None:
        return await self._act(
            lambda session, actor: teams.revoke_invite(session, actor, row_id(invite_id, "invite"))
        )

    @rx.event
    async def change_role(self, user_id: str, role: str) -> rx.event.EventSpec | None:
        return await self._act(
            lambda session, actor: teams.change_role(
                session, actor, row_id(user_id, "member"), parse_role(role)
            ),
            "Role changed.",
        )

    @rx.event
    async def remove_member(self, user_id: str) -> rx.event.EventSpec | None:
        return await self._act(
            lambda session, actor: teams.remove_member(session, actor, row_id(user_id, "member")),
            "Member removed.",
        )
