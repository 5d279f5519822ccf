"""Scripts: generate with every parameter of /scripts_generate, edit, keep, and voice them."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import character_chip
from orangeweb.components.blocks import error_callout, field_label
from orangeweb.pages.prerequisites import ready_or_empty
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.character_homes import CharacterHomesState
from orangeweb.states.scripts import LENGTHS, TEMPLATES, TONES, ScriptsState


def _select(
    options: list[list[str]], value: rx.Var[str], on_change: object, label: str
) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.select.root(
            rx.select.trigger(aria_label=label, width="100%"),
            rx.select.content(*[rx.select.item(text, value=key) for key, text in options]),
            value=value,
            on_change=on_change,
        ),
        spacing="1",
        min_width="180px",
    )


def _form() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.vstack(
                    rx.text("Mode", size="2", weight="medium"),
                    rx.segmented_control.root(
                        rx.segmented_control.item("One voice", value="single"),
                        rx.segmented_control.item("Dialogue", value="dialogue"),
                        value=ScriptsState.mode,
                        on_change=ScriptsState.set_mode,
                        aria_label="Mode",
                    ),
                    spacing="1",
                ),
                _select(TEMPLATES, ScriptsState.template, ScriptsState.set_template, "Template"),
                _select([[t, t] for t in TONES], ScriptsState.tone, ScriptsState.set_tone, "Tone"),
                _select(
                    [[n, n] for n in LENGTHS],
                    ScriptsState.length,
                    ScriptsState.set_length,
                    "Length",
                ),
                wrap="wrap",
                spacing="4",
                align="end",
            ),
            rx.text("Characters", size="2", weight="medium"),
            rx.text(ScriptsState.pick_hint, size="1", color_scheme="gray"),
            rx.flex(
                rx.foreach(
                    ScriptsState.chips,
                    lambda chip: character_chip(
                        chip,
                        ScriptsState.picked.contains(chip.id),
                        ScriptsState.toggle_character(chip.id),
                        test_prefix="script-character",
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            rx.cond(
                ScriptsState.picked_names.length() > 1,
                rx.text(
                    "Speaking order: ",
                    ScriptsState.picked_names.join(" → "),
                    size="1",
                    color_scheme="gray",
                ),
            ),
            rx.hstack(
                field_label("Context: what the script is about", "script-context"),
                rx.spacer(),
                rx.text(
                    ScriptsState.context_count,
                    size="1",
                    color=rx.cond(
                        ScriptsState.context_too_long, rx.color("red", 11), rx.color("gray", 11)
                    ),
                    data_testid="context-count",
                ),
                width="100%",
            ),
            rx.text_area(
                id="script-context",
                value=ScriptsState.context,
                on_change=ScriptsState.set_context,
                rows="4",
                width="100%",
                placeholder="A launch video for our new hiking boots, light and waterproof.",
            ),
            error_callout(ScriptsState.form_error, "script-error"),
            rx.hstack(
                rx.button(
                    rx.icon("sparkles", size=16),
                    "Generate script",
                    on_click=ScriptsState.generate,
                    loading=ScriptsState.generating,
                    disabled=~ScriptsState.can_generate,
                    data_testid="generate-script",
                ),
                rx.badge("1 credit", variant="soft", color_scheme="gray"),
                align="center",
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _editor() -> rx.Component:
    return rx.cond(
        ScriptsState.script_id != "",
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading("Script", size="4", as_="h2"),
                    rx.badge(ScriptsState.script_mode),
                    align="center",
                ),
                rx.text_area(
                    value=ScriptsState.script_text,
                    on_change=ScriptsState.set_script_text,
                    rows="10",
                    width="100%",
                    font_family="var(--code-font-family)",
                    aria_label="Script text",
                    data_testid="script-editor",
                ),
                rx.hstack(
                    rx.button("Save", variant="soft", on_click=ScriptsState.save_script),
                    rx.button(
                        rx.icon("mic", size=16),
                        "Voice it",
                        on_click=ScriptsState.voice_it,
                        data_testid="voice-it",
                    ),
                    rx.button(
                        rx.icon("book-open", size=16),
                        "Make a story (one scene per line)",
                        variant="soft",
                        on_click=ScriptsState.make_story,
                        data_testid="make-story",
                    ),
                    wrap="wrap",
                    spacing="3",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
    )


def _history_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.badge(row.mode)),
        rx.table.cell(row.summary),
        rx.table.cell(row.characters),
        rx.table.cell(rx.text(row.preview, size="1", color_scheme="gray")),
        rx.table.cell(row.created_by),
        rx.table.cell(rx.text(row.created, size="1")),
        rx.table.cell(
            rx.button("Open", size="1", variant="soft", on_click=ScriptsState.open_script(row.id))
        ),
        data_testid="script-row",
    )


def _history() -> rx.Component:
    return rx.vstack(
        rx.heading("The team's scripts", size="4", as_="h2"),
        rx.cond(
            ScriptsState.history.length() > 0,
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        *[
                            rx.table.column_header_cell(h)
                            for h in ("Mode", "Kind", "Characters", "Begins", "By", "When", "")
                        ]
                    )
                ),
                rx.table.body(rx.foreach(ScriptsState.history, _history_row)),
                width="100%",
                variant="surface",
            ),
            rx.text("Generated scripts are kept here for the whole team.", size="2"),
        ),
        spacing="3",
        width="100%",
    )


@private_page(
    "/scripts",
    "Scripts",
    on_load=(ScriptsState.load, CharacterHomesState.load),
    nav=NavEntry("scroll-text", order=50),
)
def scripts_page() -> rx.Component:
    return ready_or_empty(
        ScriptsState.loaded,
        ScriptsState.chips.length() > 0,
        rx.fragment(_form(), _editor(), _history()),
        reload=ScriptsState.load,
    )
