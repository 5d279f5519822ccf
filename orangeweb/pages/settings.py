"""Settings: the user's and the team's OrangeClone API keys."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state, field_label
from orangeweb.components.post_form import post_form
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState


def _native_select(name: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    """A plain <select>, so the value is part of the form post."""
    return rx.vstack(
        field_label(label, f"key-{name}"),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            id=f"key-{name}",
            name=name,
            style={
                "padding": "6px 8px",
                "border_radius": "var(--radius-2)",
                "border": "1px solid var(--gray-a7)",
                "background": "var(--color-surface)",
                "color": "var(--gray-12)",
            },
        ),
        spacing="1",
    )


_TIERS = [
    ("free", "Free (10 requests/min, 2 min media)"),
    ("pro", "Pro (30/min, 30 min)"),
    ("enterprise", "Enterprise (unlimited)"),
]


def _scope_options() -> list[tuple[str, str]]:
    return [("personal", "Only me"), ("team", "The whole team (admins)")]


def _key_row(key: rx.Var) -> rx.Component:
    # Which key, and what can be done with it, come first: a phone scrolls sideways for the rest.
    return rx.table.row(
        rx.table.cell(key.label),
        rx.table.cell(rx.code("···", key.last4), white_space="nowrap"),
        rx.table.cell(
            rx.cond(
                key.can_revoke,
                rx.button(
                    "Revoke",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=KeysState.revoke_key(key.id),
                ),
            )
        ),
        rx.table.cell(rx.badge(key.environment)),
        rx.table.cell(key.tier),
        rx.table.cell(rx.cond(key.scope == "team", "Team", "Personal")),
        rx.table.cell(key.owner_name),
        data_testid="key-row",
    )


def _keys_table() -> rx.Component:
    headers = ("Label", "Key", "", "Environment", "Tier", "Who can use it", "Added by")
    return rx.cond(
        KeysState.has_keys,
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[rx.table.column_header_cell(h, white_space="nowrap") for h in headers]
                    )
                ),
                rx.table.body(rx.foreach(KeysState.keys, _key_row)),
                width="100%",
            ),
            overflow_x="auto",
            width="100%",
            max_width="100%",
            data_testid="keys-table",
        ),
        empty_state(
            "key-round",
            "No API keys yet",
            "Add your OrangeClone API key below, or create a sandbox key to try "
            "everything on the built-in sandbox.",
        ),
    )


def _add_key_form() -> rx.Component:
    return rx.card(
        rx.heading("Add an API key", size="4", as_="h2"),
        rx.text(
            "It is checked with its server first, then stored encrypted. The dashboard only "
            "ever shows its label and last four characters.",
            size="2",
            color_scheme="gray",
        ),
        post_form(
            rx.vstack(
                field_label("Label", "key-label"),
                rx.input(
                    id="key-label",
                    name="label",
                    required=True,
                    max_length=60,
                    width="min(420px, 100%)",
                ),
                field_label("API key", "key-secret"),
                rx.input(
                    id="key-secret",
                    name="secret",
                    type="password",
                    required=True,
                    auto_complete="off",
                    width="min(420px, 100%)",
                ),
                rx.hstack(
                    _native_select(
                        "environment",
                        "Environment",
                        [("sandbox", "Sandbox (built in)"), ("orangeclone", "OrangeClone")],
                    ),
                    _native_select("tier", "Tier", _TIERS),
                    rx.cond(
                        AppState.is_admin,
                        _native_select("scope", "Who can use it", _scope_options()),
                        rx.el.input(type="hidden", name="scope", value="personal"),
                    ),
                    spacing="4",
                    wrap="wrap",
                ),
                rx.button("Check and add", type="submit"),
                spacing="2",
                margin_top="12px",
            ),
            action="/auth/api-keys",
            on_success=KeysState.key_added,
        ),
    )


def _sandbox_key_card() -> rx.Component:
    return rx.card(
        rx.heading("Create a sandbox key", size="4", as_="h2"),
        rx.text(
            "The built-in sandbox speaks the OrangeClone API with real audio processing. "
            "A new key starts with 1000 credits.",
            size="2",
            color_scheme="gray",
        ),
        rx.hstack(
            rx.input(
                value=KeysState.sandbox_label,
                on_change=KeysState.set_sandbox_label,
                aria_label="Sandbox key label",
                max_length=60,
            ),
            rx.select(
                ["free", "pro", "enterprise"],
                value=KeysState.sandbox_tier,
                on_change=KeysState.set_sandbox_tier,
                aria_label="Sandbox key tier",
            ),
            rx.cond(
                AppState.is_admin,
                rx.select(
                    ["personal", "team"],
                    value=KeysState.sandbox_scope,
                    on_change=KeysState.set_sandbox_scope,
                    aria_label="Who can use it",
                ),
            ),
            rx.button(
                "Create a sandbox key",
                on_click=KeysState.create_sandbox_key,
                loading=KeysState.creating_sandbox_key,
                data_testid="create-sandbox-key",
            ),
            spacing="3",
            wrap="wrap",
            margin_top="12px",
        ),
    )


def _archive_card() -> rx.Component:
    return rx.card(
        rx.heading("Archive", size="4", as_="h2"),
        rx.hstack(
            rx.switch(
                checked=KeysState.archive_outputs,
                on_change=KeysState.set_archive_outputs,
                disabled=~AppState.is_admin,
                aria_label="Archive completed outputs",
            ),
            rx.text(
                "Keep a copy of every completed output in the team's archive, so it outlives "
                "OrangeClone's download links. Owners and admins can change this.",
                size="2",
            ),
            align="center",
            spacing="3",
            margin_top="8px",
        ),
    )


@private_page("/settings", "Settings", nav=NavEntry("settings", order=90))
def settings_page() -> rx.Component:
    return rx.fragment(
        rx.heading("API keys", size="5", as_="h2"),
        _keys_table(),
        _sandbox_key_card(),
        _add_key_form(),
        _archive_card(),
    )
