"""The transcript under review: the source player beside its segments (time, speaker, text
and translation, each editable) and the translate bar."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.media import media_player
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import LANGUAGE_OPTIONS, SegmentRow


def source_player(player_id: str = "dub-source-player") -> rx.Component:
    src = "/media/dubbing/" + DubbingState.open_id + "/source"
    return rx.cond(
        DubbingState.project.media_type == "video",
        media_player(src, "video", id=player_id, max_height="320px"),
        media_player(src, "audio", id=player_id),
    )


def _segment(row: SegmentRow) -> rx.Component:
    editable = DubbingState.can_review & ~DubbingState.busy
    return rx.box(
        rx.hstack(
            rx.checkbox(
                checked=DubbingState.selected.contains(row.id),
                on_change=lambda on: DubbingState.toggle_segment(row.id, on),
                aria_label="Select segment",
            ),
            rx.button(
                rx.icon("play", size=12),
                row.start_text,
                "-",
                row.end_text,
                size="1",
                variant="ghost",
                on_click=DubbingState.seek(row.start),
                data_testid="dub-seek",
            ),
            rx.select.root(
                rx.select.trigger(variant="soft", color="var(--" + row.color + "-11)"),
                rx.select.content(
                    rx.foreach(
                        DubbingState.speakers,
                        lambda s: rx.select.item(s.name, value=s.id),
                    )
                ),
                value=row.speaker_id,
                on_change=lambda speaker_id: DubbingState.reassign(row.id, speaker_id),
                disabled=~editable,
                size="1",
            ),
            rx.cond(
                row.fit != "",
                rx.tooltip(
                    rx.badge(row.fit, color_scheme=row.fit_color, data_testid="dub-fit"),
                    content=row.fit_message,
                ),
            ),
            align="center",
            spacing="2",
        ),
        rx.grid(
            rx.text_area(
                default_value=row.text,
                on_blur=lambda text: DubbingState.edit_text(row.id, text),
                disabled=~editable,
                rows="2",
                aria_label="Original text",
                data_testid="dub-segment-text",
                key=row.id + row.text,
            ),
            rx.cond(
                DubbingState.has_translation,
                rx.text_area(
                    default_value=row.translated,
                    on_blur=lambda text: DubbingState.edit_translation(row.id, text),
                    disabled=~editable,
                    rows="2",
                    aria_label="Translation",
                    data_testid="dub-segment-translation",
                    key=row.id + row.translated,
                ),
            ),
            columns=rx.cond(DubbingState.has_translation, "2", "1"),
            gap="2",
            width="100%",
        ),
        border_left="4px solid var(--" + row.color + "-9)",
        padding="6px 10px",
        width="100%",
        data_testid="dub-segment",
        data_start=row.start,
        data_end=row.end,
    )


def _translate_bar() -> rx.Component:
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="Target language"),
            rx.select.content(
                rx.foreach(LANGUAGE_OPTIONS, lambda o: rx.select.item(o[1], value=o[0]))
            ),
            value=DubbingState.language,
            on_change=DubbingState.set_language,
        ),
        rx.button(
            "Translate all",
            on_click=DubbingState.translate(False),
            disabled=~DubbingState.can_review | DubbingState.busy,
            data_testid="dub-translate",
        ),
        rx.button(
            "Translate selected",
            variant="soft",
            on_click=DubbingState.translate(True),
            disabled=~DubbingState.can_review | DubbingState.busy,
        ),
        wrap="wrap",
        spacing="2",
    )


def transcript() -> rx.Component:
    """The source player (kept in view) beside the segments to review and translate."""
    return rx.grid(
        rx.box(source_player(), position="sticky", top="70px"),
        rx.vstack(
            rx.cond(
                DubbingState.source_language != "",
                rx.text("Spoken: ", DubbingState.source_language, size="1"),
            ),
            _translate_bar(),
            rx.foreach(DubbingState.segments, _segment),
            spacing="2",
            width="100%",
            data_testid="dub-transcript",
            # components/playhead.py highlights the segment being played.
            data_playhead_for="dub-source-player",
        ),
        columns=rx.breakpoints(initial="1", lg="1fr 2fr"),
        gap="4",
        width="100%",
    )
