"""What a job page needs before it shows its content: an API key, and (usually) a character."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from orangeweb.components.blocks import empty_state
from orangeweb.pages.character_homes import characters_elsewhere
from orangeweb.states.character_homes import CharacterHomesState
from orangeweb.states.keys import KeysState


def ready_or_empty(
    loaded: rx.Var[bool],
    has_characters: rx.Var[bool],
    *content: rx.Component,
    reload: EventType[()] | None,
) -> rx.Component:
    """The page's content once its data is loaded, or the empty state saying what to do first
    (nothing at all before the first load, so no empty state flashes by). The team's characters
    on other keys are offered above the content (unless `reload` is None: the page places them
    itself); `reload` is the page's loader, run after one is made available on the selected key."""
    elsewhere = characters_elsewhere(reload) if reload is not None else rx.fragment()
    return rx.cond(
        loaded,
        rx.cond(
            ~KeysState.has_keys,
            _no_key_state(),
            rx.cond(
                has_characters,
                rx.fragment(elsewhere, *content),
                rx.cond(
                    CharacterHomesState.has_elsewhere,
                    rx.vstack(_none_on_this_key_state(), elsewhere, spacing="4"),
                    _no_characters_state(),
                ),
            ),
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


def _none_on_this_key_state() -> rx.Component:
    return empty_state(
        "drama",
        rx.cond(
            CharacterHomesState.acting_key_label != "",
            "No characters on " + CharacterHomesState.acting_key_label + " yet",
            "Choose an API key",
        ),
        "Your team's characters live on other keys' accounts. Make one available on this key "
        "below (it is re-created from its sample, name and avatar kept), or create a new one.",
        rx.link(rx.button("Go to Characters", variant="soft"), href="/characters"),
    )
