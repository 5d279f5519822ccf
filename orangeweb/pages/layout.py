"""The frame of every signed-in page: the shell with the user's name and the key picker."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.event import EventType

from orangeweb.components.shell import NavItem, shell
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState


def key_picker(reload: Sequence[EventType[()]] = ()) -> rx.Component:
    """Which API key the page acts with; remembered per user on the server. Choosing another
    runs the page's own loaders again (`reload`): its characters are that key's."""
    return rx.cond(
        KeysState.has_keys,
        rx.hstack(
            rx.text(
                "Acting with",
                size="1",
                color=rx.color("gray", 10),
                display=["none", "none", "block"],
                white_space="nowrap",
            ),
            rx.select.root(
                rx.select.trigger(placeholder="Choose an API key", aria_label="API key"),
                rx.select.content(
                    rx.foreach(
                        KeysState.key_options,
                        lambda option: rx.select.item(option[1], value=option[0]),
                    )
                ),
                value=KeysState.selected_key_id,
                on_change=[KeysState.select_key, *reload],
                size="2",
            ),
            align="center",
            spacing="2",
        ),
        rx.link(rx.button("Add an API key", size="2", variant="soft"), href="/settings"),
    )


def frame(
    content: rx.Component,
    *,
    title: str,
    active: str,
    nav: Sequence[NavItem],
    reload: Sequence[EventType[()]] = (),
) -> rx.Component:
    """The shell around one signed-in page's content (pages/registry.py calls it); `reload` are
    the page's own loaders, run again when another key is chosen."""
    return shell(
        content,
        title=title,
        user_name=AppState.user_name,
        key_picker=key_picker(reload),
        active=active,
        nav=nav,
    )
