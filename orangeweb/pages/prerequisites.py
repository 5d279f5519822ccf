"""What a job page needs before it shows its content: an API key, and (usually) a character."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state
from orangeweb.states.keys import KeysState


def ready_or_empty(
    loaded: rx.Var[bool], has_characters: rx.Var[bool], *content: rx.Component
) -> rx.Component:
    """The page's content once its data is loaded, or the empty state saying what to do first
    (nothing at all before the first load, so no empty state flashes by)."""
    return rx.cond(
        loaded,
        rx.cond(
            ~KeysState.has_keys,
            _no_key_state(),
            rx.cond(has_characters, rx.fragment(*content), _no_characters_state()),
        ),
    )


def _no_key_state() -> rx.Component:
    return empty_state(
        "key-round",
        "Add an API key first",
        "Every job runs with an OrangeClone API key. Add yours, or create a sandbox key to "
        "try everything locally, in Settings.",
        rx.link(rx.button("Go to Settings"), href="/settings"),
    )


def _no_characters_state() -> rx.Component:
    return empty_state(
        "drama",
        "Create a character first",
        "Voices come from your team's characters: a name, an avatar and a 3-second sample. "
        "Create one (or import one by id) on the Characters page.",
        rx.link(rx.button("Go to Characters"), href="/characters"),
    )
