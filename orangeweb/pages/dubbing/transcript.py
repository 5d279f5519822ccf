"""The transcript under review: the project's player beside its segments (time, speaker, text
and translation, each editable) and the translate bar.

The player is the source until there is a dub; then it is the result's paired player (the
dub's picture, with a switch for the original's sound): the source is shown once, not twice."""

from __future__ import annotations

from typing import Literal

import reflex as rx

from orangeweb.components.flags import flag_icon
from orangeweb.components.media import media_player
from orangeweb.components.media_pair import paired_player
from orangeweb.components.uploader import file_dropzone
from orangeweb.pages.dubbing.takes import segment_takes, stale_badge
from orangeweb.pages.dubbing.timeline import players
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_imports import MAX_SUBTITLE_BYTES, SUBTITLE_UPLOAD_ID
from orangeweb.states.dubbing_project_rows import LANGUAGE_OPTIONS, SegmentRow


def _source_url() -> rx.Var[str]:
    return "/media/dubbing/" + DubbingState.open_id + "/source"


def source_player(player_id: str = "dub-source-player") -> rx.Component:
    src = _source_url()
    return rx.cond(
        DubbingState.project.media_type == "video",
        media_player(src, "video", id=player_id, max_height="320px"),
        media_player(src, "audio", id=player_id),
    )


def _hearing_switch() -> rx.Component:
    """Which sound plays over the one transport: labelled with the dub's language."""
    return rx.segmented_control.root(
        rx.segmented_control.item("Original", value="original", data_testid="dub-hear-original"),
        rx.segmented_control.item(
            DubbingState.dubbed_label, value="dubbed", data_testid="dub-hear-dubbed"
        ),
        value=rx.cond(DubbingState.hear_original, "original", "dubbed"),
        on_change=DubbingState.set_hearing,
        size="1",
        aria_label="Sound",
        data_testid="dub-hearing",
    )


def result_player() -> rx.Component:
    """The dub with the original's sound one switch away, driven by one set of controls."""

    def pair(kind: Literal["audio", "video"]) -> rx.Component:
        return paired_player(
            DubbingState.output_url,
            _source_url(),
            kind,
            DubbingState.hear_original,
            lead_id="dub-output-player",
            follower_id="dub-original-audio",
        )

    return rx.vstack(
        _hearing_switch(),
        rx.text(
            "Playing: ",
            rx.cond(DubbingState.hear_original, "Original", DubbingState.dubbed_label),
            size="1",
            color_scheme="gray",
            data_testid="dub-hearing-label",
        ),
        rx.cond(DubbingState.project.media_type == "video", pair("video"), pair("audio")),
        spacing="2",
        width="100%",
    )


def _fit_badge(row: SegmentRow) -> rx.Component:
    return rx.tooltip(
        rx.badge(
            row.fit_words, color_scheme=row.fit_color, data_testid="dub-fit", data_fit=row.fit
        ),
        content=rx.cond(row.fit_message != "", row.fit_message, row.fit_words),
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
                on_click=DubbingState.play_line(row.id),
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
            rx.cond(row.fit != "", _fit_badge(row)),
            stale_badge(row),
            rx.cond(
                row.pseudo,
                rx.tooltip(
                    rx.badge(
                        "pseudo-translation (sandbox)",
                        color_scheme="gray",
                        variant="outline",
                        data_testid="dub-pseudo",
                    ),
                    content="The sandbox does not translate: it returns the text as it was.",
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
                id="seg-text-" + row.id,
                on_focus=DubbingState.focus_quietly(row.id),
            ),
            rx.cond(
                DubbingState.has_translation,
                rx.text_area(
                    default_value=row.translated,
                    on_blur=lambda text: DubbingState.edit_translation(row.id, text),
                    disabled=~editable,
                    rows="2",
                    aria_label="Translation",
                    placeholder="Type the translation",
                    data_testid="dub-segment-translation",
                    key=row.id + row.translated,
                ),
            ),
            columns=rx.cond(DubbingState.has_translation, "2", "1"),
            spacing="2",
            width="100%",
        ),
        segment_takes(row),
        border_left="4px solid var(--" + row.color + "-9)",
        padding="6px 10px",
        width="100%",
        id="seg-row-" + row.id,
        background=rx.cond(DubbingState.focus_id == row.id, "var(--accent-a2)", "transparent"),
        data_focused=rx.cond(DubbingState.focus_id == row.id, "true", "false"),
        data_testid="dub-segment",
        data_start=row.start,
        data_end=row.end,
    )


def _language_tab(option: rx.Var[list[str]]) -> rx.Component:
    opened = option[0] == DubbingState.target_language
    return rx.button(
        flag_icon(option[2]),
        option[1],
        size="1",
        variant=rx.cond(opened, "solid", "soft"),
        disabled=DubbingState.busy,
        on_click=DubbingState.switch_language(option[0]),
        data_testid="dub-language-tab",
        data_open=rx.cond(opened, "true", "false"),
    )


def _language_tabs() -> rx.Component:
    """Every target language of the project: one is open, the others keep their work."""
    return rx.cond(
        DubbingState.language_tabs.length() > 1,
        rx.hstack(
            rx.text("Languages:", size="1"),
            rx.foreach(DubbingState.language_tabs, _language_tab),
            spacing="2",
            align="center",
            wrap="wrap",
            data_testid="dub-languages",
        ),
    )


def _translate_bar() -> rx.Component:
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(aria_label="Target language"),
            rx.select.content(
                rx.foreach(
                    LANGUAGE_OPTIONS,
                    lambda o: rx.select.item(
                        rx.hstack(flag_icon(o[2]), o[1], spacing="2", align="center"),
                        value=o[0],
                    ),
                )
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
        _subtitle_import(),
        wrap="wrap",
        spacing="2",
    )


SUBTITLE_ACCEPT = {"application/x-subrip": [".srt"], "text/vtt": [".vtt"]}


def _subtitle_import() -> rx.Component:
    """An SRT or WebVTT file into the transcript or the translation (cue by cue, checked)."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("file-up", size=14),
                "Import subtitles",
                variant="soft",
                disabled=~DubbingState.can_review | DubbingState.busy,
                data_testid="dub-import-open",
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.segmented_control.root(
                    rx.segmented_control.item("Into the transcript", value="transcript"),
                    rx.segmented_control.item("Into the translation", value="translation"),
                    rx.segmented_control.item("As the segments", value="segments"),
                    value=DubbingState.import_into,
                    on_change=DubbingState.set_import_into,
                    size="1",
                    aria_label="Import into",
                ),
                rx.text(
                    rx.cond(
                        DubbingState.import_into == "segments",
                        "Each cue becomes a segment with its times; “Name:” or <v Name> is its "
                        "speaker (a new name, a new speaker). Undo brings the old ones back.",
                        "Each cue goes to the segment it overlaps most; “Name:” or <v Name> "
                        "moves it to that speaker.",
                    ),
                    " One bad cue imports nothing.",
                    size="1",
                    color_scheme="gray",
                ),
                file_dropzone(
                    SUBTITLE_UPLOAD_ID,
                    SUBTITLE_ACCEPT,
                    MAX_SUBTITLE_BYTES,
                    "Drop an SRT or WebVTT file",
                    disabled=DubbingState.busy,
                ),
                rx.popover.close(
                    rx.button(
                        "Import",
                        on_click=DubbingState.import_subtitles(
                            rx.upload_files(upload_id=SUBTITLE_UPLOAD_ID)
                        ),
                        data_testid="dub-import",
                    )
                ),
                spacing="2",
                width="380px",
            )
        ),
    )


def _selection_bar() -> rx.Component:
    """With segments selected: move them all to one speaker, or give them a new one (speaker
    repair)."""
    return rx.cond(
        DubbingState.selected.length() > 0,
        rx.hstack(
            rx.text(DubbingState.selected.length(), " selected → move to", size="2"),
            rx.select.root(
                rx.select.trigger(placeholder="a speaker", aria_label="Move selected to"),
                rx.select.content(
                    rx.foreach(DubbingState.speakers, lambda s: rx.select.item(s.name, value=s.id))
                ),
                on_change=DubbingState.move_selected,
                disabled=~DubbingState.can_review | DubbingState.busy,
                size="1",
            ),
            rx.button(
                "Split off as a new speaker",
                size="1",
                variant="soft",
                on_click=DubbingState.split_selected,
                disabled=~DubbingState.can_review | DubbingState.busy,
                title="The transcriber heard two voices as one: these lines get a speaker of "
                "their own",
                data_testid="dub-split-speaker",
            ),
            align="center",
            spacing="2",
            data_testid="dub-selection-bar",
        ),
    )


def transcript() -> rx.Component:
    """The player (kept in view) beside the segments to review and translate."""
    dubbed = DubbingState.output_url != ""
    return rx.grid(
        rx.box(rx.cond(dubbed, result_player(), source_player()), position="sticky", top="70px"),
        rx.vstack(
            rx.cond(
                DubbingState.source_language != "",
                rx.text(
                    "Spoken: ",
                    flag_icon(DubbingState.source_flag, margin_right="4px"),
                    DubbingState.source_language,
                    size="1",
                ),
            ),
            _translate_bar(),
            _language_tabs(),
            _selection_bar(),
            rx.cond(
                DubbingState.stale_count > 0,
                rx.text(
                    DubbingState.stale_count,
                    " stale: their line or voice changed since their pinned take",
                    size="1",
                    color_scheme="amber",
                    data_testid="dub-stale-count",
                ),
            ),
            rx.foreach(DubbingState.segments, _segment),
            spacing="2",
            width="100%",
            data_testid="dub-transcript",
            # components/playhead.py highlights the segment being played.
            data_playhead_for=players(),
        ),
        columns=rx.breakpoints(initial="1", lg="minmax(260px, 1fr) 2fr"),
        spacing="4",
        width="100%",
    )
