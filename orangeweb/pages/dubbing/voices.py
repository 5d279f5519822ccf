"""Which voice speaks for each speaker: its original voice or one of the team's characters,
and named casts to save and reapply."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import AVATAR_STYLES, avatar
from orangeweb.components.media import media_player
from orangeweb.pages.character_homes import characters_elsewhere
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import SpeakerRow
from orangeweb.states.form_inputs import CharacterChip


def _speaker(row: SpeakerRow) -> rx.Component:
    editable = DubbingState.can_review & ~DubbingState.busy
    return rx.vstack(
        rx.hstack(
            rx.badge(
                row.segment_count,
                rx.cond(row.segment_count == 1, " segment", " segments"),
                color_scheme=row.color,
            ),
            rx.input(
                default_value=row.name,
                on_change=lambda name: DubbingState.set_name_draft(row.id, name),
                # Enter saves, as leaving the field does.
                on_key_down=lambda key: DubbingState.name_key(row.id, key),
                on_blur=lambda name: DubbingState.rename(row.id, name),
                aria_label="Speaker name",
                size="1",
                key=row.id + row.name,
                data_testid="dub-speaker-name",
            ),
            rx.text("→ ", row.voice_name, size="1", color_scheme="gray"),
            rx.cond(DubbingState.speakers.length() > 1, _merge_into(row, editable)),
            _character_of_voice(row, editable),
            align="center",
            spacing="2",
            wrap="wrap",
        ),
        rx.flex(
            rx.button(
                "Keep original voice",
                size="1",
                radius="full",
                variant=rx.cond(row.voice == "original", "solid", "outline"),
                on_click=DubbingState.set_voice(row.id, "original"),
                disabled=~editable,
                data_testid="dub-voice-original",
            ),
            rx.foreach(DubbingState.chips, lambda chip: _voice_chip(row, chip, editable)),
            spacing="2",
            wrap="wrap",
        ),
        spacing="2",
        data_testid="dub-speaker",
    )


def _character_of_voice(row: SpeakerRow, editable: rx.Var[bool]) -> rx.Component:
    """Keep this speaker's own voice in the translation: a character made of their speech."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("user-plus", size=12),
                "Character of this voice",
                size="1",
                variant="ghost",
                disabled=~editable | ~row.speech_enough,
                title=row.speech,
                data_testid="dub-voice-to-character",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.text(
                    "Made of ",
                    row.speech,
                    " (the selected segments of this speaker, if any), on the project's key.",
                    size="1",
                ),
                rx.input(
                    placeholder="Character name",
                    value=DubbingState.voice_name_draft,
                    on_change=DubbingState.set_voice_name_draft,
                    aria_label="Character name",
                    size="1",
                ),
                rx.select(
                    list(AVATAR_STYLES),
                    value=DubbingState.voice_style_draft,
                    on_change=DubbingState.set_voice_style_draft,
                    size="1",
                    aria_label="Avatar style",
                ),
                rx.popover.close(
                    rx.button(
                        "Make the character",
                        size="1",
                        disabled=DubbingState.voice_name_draft.length() < 2,
                        on_click=[
                            DubbingState.character_from_speaker(row.id),
                            DubbingState.load,
                        ],
                        data_testid="dub-make-voice-character",
                    )
                ),
                spacing="2",
            ),
            side="bottom",
        ),
    )


def _merge_into(row: SpeakerRow, editable: rx.Var[bool]) -> rx.Component:
    """The transcriber heard one person as two: merge this speaker into another."""
    return rx.select.root(
        rx.select.trigger(placeholder="Merge into…", aria_label="Merge " + row.name + " into"),
        rx.select.content(
            rx.foreach(
                DubbingState.speakers,
                lambda other: rx.cond(
                    other.id != row.id, rx.select.item(other.name, value=other.id)
                ),
            )
        ),
        value="",
        on_change=lambda into: DubbingState.merge_speaker(row.id, into),
        disabled=~editable,
        size="1",
    )


def _voice_chip(row: SpeakerRow, chip: CharacterChip, editable: rx.Var[bool]) -> rx.Component:
    """A character to voice this speaker with: avatar, name, and its sample to listen to."""
    return rx.hstack(
        rx.button(
            avatar(chip.seed, chip.style, size="18px", alt=""),
            chip.name,
            size="1",
            radius="full",
            variant=rx.cond(row.voice == chip.id, "solid", "outline"),
            color_scheme=rx.cond(row.voice == chip.id, "orange", "gray"),
            on_click=DubbingState.set_voice(row.id, chip.id),
            disabled=~editable,
            data_testid="dub-voice-character",
        ),
        rx.popover.root(
            rx.popover.trigger(
                rx.icon_button(
                    rx.icon("volume-2", size=12),
                    size="1",
                    variant="ghost",
                    aria_label="Listen to " + chip.name,
                )
            ),
            rx.popover.content(media_player("/media/samples/" + chip.id, "audio")),
        ),
        spacing="1",
        align="center",
    )


def voices() -> rx.Component:
    return rx.vstack(
        rx.heading("Voices", size="3", as_="h3"),
        rx.foreach(DubbingState.speakers, _speaker),
        rx.cond(DubbingState.can_review, characters_elsewhere(DubbingState.load)),
        rx.hstack(
            rx.input(
                placeholder="Cast name",
                value=DubbingState.cast_name,
                on_change=DubbingState.set_cast_name,
                size="1",
            ),
            rx.button("Save cast", size="1", variant="soft", on_click=DubbingState.save_cast),
            rx.cond(
                DubbingState.casts.length() > 0,
                rx.select.root(
                    rx.select.trigger(placeholder="Apply a cast…"),
                    rx.select.content(
                        rx.foreach(DubbingState.casts, lambda c: rx.select.item(c[1], value=c[0]))
                    ),
                    on_change=DubbingState.apply_cast,
                    size="1",
                ),
            ),
            spacing="2",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )
