"""One dubbing project: stepper, player beside the transcript, translation, voices, summary,
and the result with its downloads."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import avatar
from orangeweb.components.media import media_player
from orangeweb.pages.job_parts import download_button, error_callout
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_rows import LANGUAGE_OPTIONS, SegmentRow, SpeakerRow, StepRow
from orangeweb.states.rows import CharacterChip


def _step(row: StepRow) -> rx.Component:
    return rx.badge(
        rx.match(
            row.state,
            ("done", rx.icon("circle-check", size=14)),
            ("active", rx.spinner(size="1")),
            ("failed", rx.icon("circle-x", size=14)),
            rx.icon("circle", size=14),
        ),
        row.label,
        color_scheme=rx.match(
            row.state, ("done", "green"), ("active", "orange"), ("failed", "red"), "gray"
        ),
        variant="soft",
        size="2",
        data_testid="dub-step",
        data_state=row.state,
    )


def _stepper() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.foreach(DubbingState.steps, _step), gap="2", wrap="wrap"),
        rx.cond(
            DubbingState.project_error != "",
            rx.vstack(
                error_callout(DubbingState.project_error, test_id="dub-error"),
                rx.hstack(
                    rx.text(DubbingState.retry_hint, size="1", color_scheme="gray"),
                    rx.cond(
                        DubbingState.failed_step != "",
                        rx.button(
                            rx.icon("rotate-ccw", size=14),
                            "Retry",
                            on_click=DubbingState.retry,
                            size="1",
                            data_testid="dub-retry",
                        ),
                    ),
                    align="center",
                ),
                width="100%",
            ),
        ),
        width="100%",
        spacing="2",
    )


def _source_player(player_id: str = "dub-source-player") -> rx.Component:
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


def _speaker(row: SpeakerRow) -> rx.Component:
    editable = DubbingState.can_review & ~DubbingState.busy
    return rx.vstack(
        rx.hstack(
            rx.badge(row.segment_count, " segments", color_scheme=row.color),
            rx.input(
                default_value=row.name,
                on_blur=lambda name: DubbingState.rename(row.id, name),
                aria_label="Speaker name",
                size="1",
                key=row.id + row.name,
                data_testid="dub-speaker-name",
            ),
            rx.text("→ ", row.voice_name, size="1", color_scheme="gray"),
            align="center",
            spacing="2",
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
            gap="2",
            wrap="wrap",
        ),
        spacing="2",
        data_testid="dub-speaker",
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


def _voices() -> rx.Component:
    return rx.vstack(
        rx.heading("Voices", size="3", as_="h3"),
        rx.foreach(DubbingState.speakers, _speaker),
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


def _summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Before dubbing", size="3", as_="h3"),
            rx.text("Language: ", DubbingState.summary_language, size="2"),
            rx.foreach(
                DubbingState.speakers,
                lambda s: rx.text(s.name, " → ", s.voice_name, size="2"),
            ),
            rx.text(
                "Estimate: ≈ ",
                DubbingState.project.credits,
                " credits (1 per 10 s of media per language).",
                rx.cond(
                    DubbingState.output_url != "",
                    " Dubbing again charges again.",
                    "",
                ),
                size="2",
                data_testid="dub-summary-estimate",
            ),
            rx.button(
                rx.icon("audio-lines", size=16),
                "Dub",
                on_click=DubbingState.dub,
                disabled=~DubbingState.can_review | DubbingState.busy,
                data_testid="dub-start",
            ),
            spacing="2",
        ),
        width="100%",
    )


def _result() -> rx.Component:
    pid = DubbingState.open_id
    return rx.vstack(
        rx.heading("Result", size="3", as_="h3"),
        rx.grid(
            _source_player("dub-original-player"),
            rx.cond(
                DubbingState.project.media_type == "video",
                media_player(DubbingState.output_url, "video", id="dub-output-player"),
                media_player(DubbingState.output_url, "audio", id="dub-output-player"),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="3",
            width="100%",
        ),
        rx.flex(
            download_button(
                "Dubbed file", DubbingState.output_url, DubbingState.project.name, "dub-download"
            ),
            download_button(
                "SRT (translation)",
                "/media/dubbing/" + pid + "/subtitles.srt?track=translation",
                "subtitles.srt",
                "dub-srt",
            ),
            download_button(
                "WebVTT (translation)",
                "/media/dubbing/" + pid + "/subtitles.vtt?track=translation",
                "subtitles.vtt",
                "dub-vtt",
            ),
            download_button(
                "SRT (original)",
                "/media/dubbing/" + pid + "/subtitles.srt?track=original",
                "original.srt",
                "dub-srt-original",
            ),
            download_button(
                "WebVTT (original)",
                "/media/dubbing/" + pid + "/subtitles.vtt?track=original",
                "original.vtt",
                "dub-vtt-original",
            ),
            gap="2",
            wrap="wrap",
        ),
        width="100%",
        spacing="3",
    )


def project_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(DubbingState.project.name, size="4", as_="h2"),
                rx.spacer(),
                rx.button(
                    "Delete",
                    size="1",
                    color_scheme="red",
                    variant="ghost",
                    on_click=DubbingState.delete,
                ),
                rx.button("Close", size="1", variant="soft", on_click=DubbingState.close_project),
                width="100%",
            ),
            _stepper(),
            rx.cond(DubbingState.output_url != "", _result()),
            rx.grid(
                rx.box(_source_player(), position="sticky", top="70px"),
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
            ),
            rx.cond(DubbingState.speakers.length() > 0, rx.fragment(_voices(), _summary())),
            spacing="4",
            width="100%",
        ),
        width="100%",
        data_testid="dub-panel",
    )
