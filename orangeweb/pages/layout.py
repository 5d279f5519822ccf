"""The frame of every signed-in page: the shell with the user's name and the key picker."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.shell import shell
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState
from orangeweb.states.live import LiveState


def key_picker() -> rx.Component:
    """Which API key the page acts with; remembered per user on the server."""
    return rx.cond(
        KeysState.has_keys,
        rx.select.root(
            rx.select.trigger(placeholder="Choose an API key", aria_label="API key"),
            rx.select.content(
                rx.foreach(
                    KeysState.key_options,
                    lambda option: rx.select.item(option[1], value=option[0]),
                )
            ),
            value=KeysState.selected_key_id,
            on_change=KeysState.select_key,
            size="2",
        ),
        rx.link(rx.button("Add an API key", size="2", variant="soft"), href="/settings"),
    )


def page(*content: rx.Component, title: str, active: str) -> rx.Component:
    return shell(
        *content, title=title, user_name=AppState.user_name, key_picker=key_picker(), active=active
    )


def private_on_load(*handlers: object) -> list[object]:
    """Every private page first resolves the user, then loads the keys and its own data, then
    listens for the team's job notices (live rows, and a toast when your job finishes)."""
    return [AppState.load_user, KeysState.load_keys, *handlers, LiveState.listen]
