"""Voice studio: one voice or a dialogue, a live credit estimate, and the takes side by side."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import character_chip
from orangeweb.components.blocks import error_callout, field_label
from orangeweb.components.job_status import credits_text, job_output, status_badge
from orangeweb.pages.prerequisites import ready_or_empty
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.character_homes import CharacterHomesState
from orangeweb.states.voice import VoiceState

DIALOGUE_PLACEHOLDER = "Speaker 1: Hello, and welcome!\nSpeaker 2: Thanks, glad to be here."


def _estimate(text: rx.Var[str]) -> rx.Component:
    return rx.hstack(
        rx.icon("coins", size=16),
        rx.text(text, size="2", data_testid="voice-estimate"),
        align="center",
        spacing="2",
        color=rx.color("gray", 11),
    )


def _single_form() -> rx.Component:
    return rx.vstack(
        rx.text("Character", size="2", weight="medium"),
        rx.flex(
            rx.foreach(
                VoiceState.chips,
                lambda chip: character_chip(
                    chip,
                    VoiceState.single_character_id == chip.id,
                    VoiceState.set_single_character(chip.id),
                    test_prefix="voice-character",
                ),
            ),
            wrap="wrap",
            spacing="2",
        ),
        field_label("Text", "voice-text"),
        rx.text_area(
            id="voice-text",
            value=VoiceState.single_text,
            on_change=VoiceState.set_single_text,
            placeholder="Type or paste what the character says.",
            rows="6",
            width="100%",
        ),
        _estimate(VoiceState.single_estimate),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def _speaker_row(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(
            row.label,
            size="2",
            weight="medium",
            min_width="84px",
            color=rx.cond(row.used, rx.color("gray", 12), rx.color("gray", 9)),
        ),
        rx.flex(
            rx.foreach(
                VoiceState.chips,
                lambda chip: character_chip(
                    chip,
                    row.character_id == chip.id,
                    VoiceState.map_speaker(row.number, chip.id),
                    test_prefix="speaker-character",
                ),
            ),
            wrap="wrap",
            spacing="2",
        ),
        align="center",
        spacing="3",
        data_testid="speaker-row",
    )


def _dialogue_form() -> rx.Component:
    return rx.vstack(
        field_label("Dialogue: one “Speaker N:” line per turn", "dialogue-text"),
        rx.text_area(
            id="dialogue-text",
            value=VoiceState.dialogue_text,
            on_change=VoiceState.set_dialogue_text,
            placeholder=DIALOGUE_PLACEHOLDER,
            rows="8",
            width="100%",
            font_family="var(--code-font-family)",
        ),
        rx.cond(
            VoiceState.dialogue_problems.length() > 0,
            rx.callout(
                rx.vstack(
                    rx.foreach(VoiceState.dialogue_problems, lambda p: rx.text(p, size="2")),
                    spacing="1",
                ),
                icon="list-x",
                color_scheme="amber",
                data_testid="dialogue-problems",
            ),
        ),
        rx.text("Who speaks", size="2", weight="medium"),
        rx.vstack(rx.foreach(VoiceState.speaker_rows, _speaker_row), spacing="2", width="100%"),
        _estimate(VoiceState.dialogue_estimate),
        spacing="3",
        width="100%",
        padding_top="12px",
    )


def _studio() -> rx.Component:
    return rx.card(
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("One voice", value="single"),
                rx.tabs.trigger("Dialogue", value="dialogue"),
            ),
            rx.tabs.content(_single_form(), value="single"),
            rx.tabs.content(_dialogue_form(), value="dialogue"),
            value=VoiceState.mode,
            on_change=VoiceState.set_mode,
            width="100%",
        ),
        rx.vstack(
            error_callout(VoiceState.form_error, "voice-error"),
            rx.button(
                rx.icon("audio-lines", size=16),
                "Generate voice",
                on_click=VoiceState.submit(VoiceState.submission_key),
                loading=VoiceState.submitting,
                disabled=~VoiceState.can_submit,
                data_testid="voice-submit",
            ),
            spacing="3",
            padding_top="12px",
        ),
        width="100%",
    )


def _take(take: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.badge(take.kind_label, variant="outline"),
                status_badge(take.status, take.color),
                rx.spacer(),
                rx.text(take.created, size="1", color_scheme="gray", white_space="nowrap"),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.text(take.title, size="2", weight="medium", trim="both"),
            rx.text(take.characters, size="1", color_scheme="gray"),
            credits_text(take),
            job_output(take),
            rx.cond(
                take.is_final,
                rx.button(
                    rx.icon("refresh-cw", size=14),
                    "Regenerate",
                    size="1",
                    variant="soft",
                    on_click=VoiceState.regenerate(take.id, VoiceState.submission_key),
                    disabled=VoiceState.submitting,
                    data_testid="take-regenerate",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        data_testid="take-card",
        data_job_id=take.id,
        width="100%",
    )


def _takes() -> rx.Component:
    return rx.vstack(
        rx.heading("Your takes", size="4", as_="h2"),
        rx.cond(
            VoiceState.takes.length() > 0,
            rx.grid(
                rx.foreach(VoiceState.takes, _take),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            rx.text(
                "Your takes appear here, newest first, and update by themselves.",
                size="2",
                color_scheme="gray",
            ),
        ),
        spacing="3",
        width="100%",
    )


@private_page(
    "/voice",
    "Voice studio",
    on_load=(VoiceState.load, CharacterHomesState.load),
    nav=NavEntry("mic", order=30),
    live=VoiceState,
)
def voice_page() -> rx.Component:
    return ready_or_empty(
        VoiceState.loaded,
        VoiceState.has_characters,
        rx.fragment(_studio(), _takes()),
        reload=VoiceState.load,
    )
