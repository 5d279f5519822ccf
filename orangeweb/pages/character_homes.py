"""The studios' block of characters that live on other keys: greyed, each saying where it
lives, with "Make available on <key>" (the page's own loader runs after it, so the new copy
joins the usable characters at once)."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from orangeweb.components.avatar import avatar
from orangeweb.states.character_homes import CharacterHomesState, ElsewhereChip


def _elsewhere_chip(chip: ElsewhereChip, reload: EventType[()]) -> rx.Component:
    acting = CharacterHomesState.acting_key_label
    button = rx.button(
        rx.icon("copy-plus", size=14),
        "Make available on " + acting,
        size="1",
        variant="soft",
        type="button",
        disabled=(chip.blocked != "") | (acting == ""),
        loading=CharacterHomesState.making_id == chip.id,
        on_click=[CharacterHomesState.make_available(chip.id), reload],
        data_testid="make-available",
    )
    return rx.hstack(
        avatar(chip.seed, chip.style, size="28px", alt="", opacity="0.55"),
        rx.vstack(
            rx.text(chip.name, size="2", weight="medium", color=rx.color("gray", 10)),
            rx.text("Lives on " + chip.lives_on, size="1", color=rx.color("gray", 10)),
            spacing="0",
        ),
        rx.cond(chip.blocked != "", rx.tooltip(button, content=chip.blocked), button),
        align="center",
        spacing="3",
        padding="6px 10px",
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-3)",
        data_testid="elsewhere-character",
    )


def characters_elsewhere(reload: EventType[()]) -> rx.Component:
    """Nothing when every character of the team lives on the selected key."""
    return rx.cond(
        CharacterHomesState.has_elsewhere,
        rx.vstack(
            rx.text("On other keys", size="2", weight="medium"),
            rx.text(
                rx.cond(
                    CharacterHomesState.acting_key_label != "",
                    "A character lives on the account of the key that made it. Make one "
                    "available on " + CharacterHomesState.acting_key_label + " to voice with it.",
                    "Choose the API key this page acts with (in the header) to use these.",
                ),
                size="1",
                color=rx.color("gray", 10),
            ),
            rx.flex(
                rx.foreach(
                    CharacterHomesState.elsewhere, lambda chip: _elsewhere_chip(chip, reload)
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
            data_testid="characters-elsewhere",
        ),
    )
