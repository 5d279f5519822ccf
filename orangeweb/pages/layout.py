"""The frame of every signed-in page: the shell with the user's name and the key picker."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx

from orangeweb.components.shell import NavItem, shell
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState


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


def frame(
    content: rx.Component, *, title: str, active: str, nav: Sequence[NavItem]
) -> rx.Component:
    """The shell around one signed-in page's content (pages/registry.py calls it)."""
    return shell(
        content,
        title=title,
        user_name=AppState.user_name,
        key_picker=key_picker(),
        active=active,
        nav=nav,
    )
