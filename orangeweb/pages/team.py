"""Team: members, roles and invite links."""

from __future__ import annotations

from typing import Any

import reflex as rx

from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.base import AppState
from orangeweb.states.team import TeamState


def _role_select(
    roles: rx.Var | list[str], value: rx.Var[str], on_change: Any, label: str, size: str = "2"
) -> rx.Component:
    # The label goes on the trigger, the element a screen reader (and a test) finds.
    items = (
        [rx.select.item(role, value=role) for role in roles]
        if isinstance(roles, list)
        else [rx.foreach(roles, lambda role: rx.select.item(role, value=role))]
    )
    return rx.select.root(
        rx.select.trigger(aria_label=label),
        rx.select.content(*items),
        value=value,
        on_change=on_change,
        size=size,
    )


def _member_row(member: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(member.name, rx.cond(member.is_me, rx.badge("you", margin_left="6px"))),
        rx.table.cell(member.email),
        rx.table.cell(
            rx.cond(
                member.can_change_role,
                _role_select(
                    member.roles,
                    member.role,
                    lambda role: TeamState.change_role(member.user_id, role),
                    "Role",
                    size="1",
                ),
                rx.badge(member.role),
            )
        ),
        rx.table.cell(member.joined, white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                member.can_remove,
                rx.button(
                    "Remove",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=TeamState.remove_member(member.user_id),
                ),
            )
        ),
        data_testid="member-row",
    )


def _invites() -> rx.Component:
    return rx.card(
        rx.heading("Invite people", size="4", as_="h2"),
        rx.text(
            "An invite link works once and expires after 7 days.", size="2", color_scheme="gray"
        ),
        rx.hstack(
            _role_select(
                TeamState.invite_roles,
                TeamState.invite_role,
                TeamState.set_invite_role,
                "Invite role",
            ),
            rx.button(
                "Create invite link", on_click=TeamState.create_invite, data_testid="create-invite"
            ),
            margin_y="12px",
        ),
        rx.cond(
            TeamState.new_invite_link != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("link")),
                rx.callout.text(
                    "Send this link to the person you invite (it is shown only now): ",
                    rx.code(
                        TeamState.new_invite_link,
                        data_testid="invite-link",
                        style={"word_break": "break-all"},
                    ),
                ),
                rx.button(
                    rx.icon("copy", size=14),
                    "Copy link",
                    size="1",
                    variant="soft",
                    on_click=TeamState.copy_invite_link,
                    data_testid="copy-invite",
                ),
            ),
        ),
        rx.foreach(
            TeamState.invites,
            lambda invite: rx.hstack(
                rx.text("Open invite as ", invite.role, ", expires ", invite.expires, size="2"),
                rx.button(
                    "Revoke", size="1", variant="ghost", on_click=TeamState.revoke_invite(invite.id)
                ),
                align="center",
            ),
        ),
    )


@private_page("/team", "Team", on_load=TeamState.load, nav=NavEntry("users", order=80))
def team_page() -> rx.Component:
    return rx.fragment(
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    *[
                        rx.table.column_header_cell(h, white_space="nowrap")
                        for h in ("Name", "Email", "Role", "Joined", "")
                    ]
                )
            ),
            rx.table.body(rx.foreach(TeamState.members, _member_row)),
            width="100%",
        ),
        rx.cond(AppState.is_admin, _invites()),
    )
