"""A segment's takes under its text: "Preview this line" (one voice job in its character's
voice), every take with who, when, the words and the cost, playable, one pinned; and a stale
badge when the line or voice changed since the pinned take."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.job_status import status_badge
from orangeweb.components.media import media_player
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import SegmentRow
from orangeweb.states.take_rows import TakeRow


def stale_badge(row: SegmentRow) -> rx.Component:
    return rx.cond(
        row.stale,
        rx.tooltip(
            rx.badge("stale", color_scheme="amber", data_testid="dub-stale"),
            content="Its line or voice changed since its pinned take was made.",
        ),
    )


def _listen_buttons(take: TakeRow, row: SegmentRow) -> rx.Component:
    """A/B in place (components/timeline_script.py plays them, no server round trip): the
    take over the picture from the line's start, and the original line alone."""
    original = (
        "/media/dubbing/"
        + DubbingState.open_id
        + "/source#t="
        + row.start.to_string()
        + ","
        + row.end.to_string()
    )
    return rx.hstack(
        rx.button(
            rx.icon("clapperboard", size=12),
            "Over the picture",
            size="1",
            variant="ghost",
            data_play_over=take.output_url,
            data_over_start=row.start,
            title="Play this take with the picture from the line's start (the sound muted)",
            data_testid="take-over-picture",
        ),
        rx.button(
            rx.icon("ear", size=12),
            "Original line",
            size="1",
            variant="ghost",
            data_play_original=original,
            title="Hear the original line alone, to compare",
            data_testid="take-original",
        ),
        spacing="1",
    )


def _take(take: TakeRow, row: SegmentRow) -> rx.Component:
    return rx.hstack(
        status_badge(take.status, take.color),
        rx.vstack(
            rx.text(take.character_name, ": “", take.text, "”", size="1", trim="both"),
            rx.text(take.byline, " · ", take.credits, size="1", color=rx.color("gray", 10)),
            rx.cond(take.error != "", rx.text(take.error, size="1", color_scheme="red")),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.cond(
            take.output_url != "",
            rx.fragment(
                media_player(take.output_url, "audio", aria_label="Play this take", height="32px"),
                _listen_buttons(take, row),
            ),
        ),
        rx.cond(
            take.pinned,
            rx.badge("pinned", color_scheme="orange", data_testid="take-pinned"),
            rx.hstack(
                rx.button(
                    "Pin",
                    size="1",
                    variant="soft",
                    disabled=~take.succeeded | DubbingState.busy,
                    on_click=DubbingState.pin_take(take.id),
                    title="Use this take's audio for the line",
                    data_testid="take-pin",
                ),
                rx.button(
                    "Revert to this",
                    size="1",
                    variant="ghost",
                    disabled=~take.succeeded | DubbingState.busy,
                    on_click=DubbingState.revert_to_take(take.id),
                    title="Go back to this take's words and audio (undo brings the words back)",
                    data_testid="take-revert",
                ),
                spacing="1",
            ),
        ),
        align="center",
        spacing="2",
        width="100%",
        wrap="wrap",
        data_testid="dub-take",
    )


def segment_takes(row: SegmentRow) -> rx.Component:
    return rx.vstack(
        rx.cond(
            row.can_preview,
            rx.button(
                rx.icon("audio-lines", size=12),
                "Preview this line",
                size="1",
                variant="ghost",
                disabled=DubbingState.busy,
                on_click=DubbingState.preview_segment(row.id, DubbingState.preview_key),
                data_testid="dub-preview",
            ),
        ),
        rx.foreach(row.takes, lambda take: _take(take, row)),
        spacing="1",
        width="100%",
    )
