"""The segment studio's timeline: the source waveform, one lane per speaker with a block per
segment at its times (drag an edge to retime; click to focus, which selects the line in the
transcript too), the playhead, zoom, and the edit bar (split, merge, delete, add, auto-merge,
undo/redo). The keyboard and the drag live in components/timeline_script.py."""

from __future__ import annotations

import reflex as rx

from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_studio import PLAYER_TIME_JS
from orangeweb.states.timeline_rows import LANE_HEIGHT_PX, WAVEFORM_HEIGHT, BlockRow, LaneRow

WAVEFORM_PX = 48


def _player_id() -> rx.Var[str]:
    return rx.cond(DubbingState.output_url != "", "dub-output-player", "dub-source-player")


def _edge(edge: str) -> rx.Component:
    return rx.box(
        position="absolute",
        top="0",
        bottom="0",
        width="6px",
        cursor="ew-resize",
        background="var(--gray-a6)",
        border_radius="2px",
        data_edge=edge,
        data_testid=f"dub-edge-{edge}",
        **({"left": "0"} if edge == "start" else {"right": "0"}),
    )


def _block(block: BlockRow) -> rx.Component:
    focused = DubbingState.focus_id == block.id
    return rx.box(
        _edge("start"),
        rx.text(block.label, size="1", trim="both", white_space="nowrap", overflow="hidden"),
        _edge("end"),
        position="absolute",
        left=block.left,
        width=block.width,
        top=block.top,
        height=f"{LANE_HEIGHT_PX - 6}px",
        padding="2px 8px",
        overflow="hidden",
        border_radius="4px",
        background="var(--" + block.color + "-a5)",
        border=rx.cond(
            focused, "2px solid var(--accent-9)", "1px solid var(--" + block.color + "-8)"
        ),
        outline=rx.cond(block.stale, "2px dashed var(--amber-9)", "none"),
        cursor="pointer",
        on_click=DubbingState.focus(block.id),
        title=block.label,
        data_block=block.id,
        data_start=block.start,
        data_end=block.end,
        data_focused=rx.cond(focused, "true", "false"),
        data_testid="dub-block",
    )


def _lane_name(lane: LaneRow) -> rx.Component:
    return rx.text(
        lane.name,
        size="1",
        weight="medium",
        color="var(--" + lane.color + "-11)",
        height=f"{LANE_HEIGHT_PX}px",
        white_space="nowrap",
        overflow="hidden",
        text_overflow="ellipsis",
    )


def _track() -> rx.Component:
    lanes_px = DubbingState.lanes.length() * LANE_HEIGHT_PX
    return rx.box(
        rx.el.svg(
            rx.el.svg.path(d=DubbingState.waveform, fill="var(--gray-a7)"),
            view_box="0 0 " + DubbingState.waveform_width.to_string() + f" {WAVEFORM_HEIGHT}",
            preserve_aspect_ratio="none",
            width="100%",
            height=f"{WAVEFORM_PX}px",
            display="block",
            data_testid="dub-waveform",
        ),
        rx.box(
            rx.foreach(DubbingState.blocks, _block),
            position="relative",
            height=lanes_px.to_string() + "px",
            data_playhead_for=_player_id(),
        ),
        rx.box(
            position="absolute",
            top="0",
            bottom="0",
            left="0",
            width="2px",
            background="var(--red-9)",
            pointer_events="none",
            data_playhead_line=_player_id(),
            data_duration=DubbingState.project_duration,
            data_testid="dub-playhead",
        ),
        position="relative",
        width=DubbingState.track_width,
        min_width="100%",
        data_track="",
        data_duration=DubbingState.project_duration,
    )


def _button(label: str, icon: str, testid: str, **props: object) -> rx.Component:
    return rx.button(
        rx.icon(icon, size=14), label, size="1", variant="soft", data_testid=testid, **props
    )  # type: ignore[arg-type]


def _edit_bar() -> rx.Component:
    idle = DubbingState.can_review & ~DubbingState.busy
    return rx.hstack(
        rx.button(
            rx.icon("undo-2", size=14),
            size="1",
            variant="soft",
            disabled=(DubbingState.undo_label == "") | ~idle,
            on_click=DubbingState.undo(False),
            title="Undo " + DubbingState.undo_label + " (Ctrl+Z)",
            aria_label="Undo",
            data_testid="dub-undo",
        ),
        rx.button(
            rx.icon("redo-2", size=14),
            size="1",
            variant="soft",
            disabled=(DubbingState.redo_label == "") | ~idle,
            on_click=DubbingState.undo(True),
            title="Redo " + DubbingState.redo_label + " (Ctrl+Shift+Z)",
            aria_label="Redo",
            data_testid="dub-redo",
        ),
        _button(
            "Split at playhead",
            "scissors",
            "dub-split-playhead",
            disabled=~idle,
            on_click=rx.call_script(PLAYER_TIME_JS, callback=DubbingState.split_at),
        ),
        _button(
            "Split at cursor",
            "text-cursor",
            "dub-split-cursor",
            disabled=~idle | (DubbingState.focus_id == ""),
            on_click=DubbingState.split_at_cursor,
        ),
        _button(
            "Merge",
            "merge",
            "dub-merge",
            disabled=~idle | ((DubbingState.focus_id == "") & (DubbingState.selected.length() < 2)),
            on_click=DubbingState.merge_chosen,
            title="The ticked segments, or the focused one with the next",
        ),
        _button(
            "Delete",
            "trash-2",
            "dub-delete",
            disabled=~idle
            | ((DubbingState.focus_id == "") & (DubbingState.selected.length() == 0)),
            on_click=DubbingState.delete_chosen,
        ),
        _add_popover(idle),
        _button(
            "Auto-merge short segments",
            "combine",
            "dub-auto-merge",
            disabled=~idle,
            on_click=DubbingState.auto_merge,
            title="Join each speaker's phrases less than 0.6 s apart",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("zoom-out", size=14),
            size="1",
            variant="ghost",
            on_click=DubbingState.set_zoom(-1),
            aria_label="Zoom out",
            data_testid="dub-zoom-out",
        ),
        rx.text(DubbingState.zoom, "\u00d7", size="1", data_testid="dub-zoom"),
        rx.button(
            rx.icon("zoom-in", size=14),
            size="1",
            variant="ghost",
            on_click=DubbingState.set_zoom(1),
            aria_label="Zoom in",
            data_testid="dub-zoom-in",
        ),
        rx.button(
            rx.icon("chevron-left", size=14),
            size="1",
            variant="ghost",
            on_click=DubbingState.focus_step(-1),
            aria_label="Previous segment",
            data_testid="dub-prev",
        ),
        rx.button(
            rx.icon("chevron-right", size=14),
            size="1",
            variant="ghost",
            on_click=DubbingState.focus_step(1),
            aria_label="Next segment",
            data_testid="dub-next",
        ),
        rx.button(
            "Esc",
            size="1",
            variant="ghost",
            on_click=DubbingState.unfocus,
            display="none",
            data_testid="dub-unfocus",
        ),
        wrap="wrap",
        spacing="2",
        align="center",
        width="100%",
    )


def _field(label: str, value: rx.Var[str], on_blur: object, testid: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="1"),
        rx.input(
            default_value=value,
            key=DubbingState.focus_id + value,
            on_blur=on_blur,
            size="1",
            width="90px",
            aria_label=label,
            data_testid=testid,
        ),
        spacing="1",
        align="center",
    )


def _add_popover(idle: rx.Var[bool]) -> rx.Component:
    """A new line over a region: from the playhead, two seconds, the times adjustable."""
    return rx.popover.root(
        rx.popover.trigger(
            _button(
                "Add a line",
                "plus",
                "dub-add-open",
                disabled=~idle,
                on_click=rx.call_script(PLAYER_TIME_JS, callback=DubbingState.prepare_add),
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.input(
                        value=DubbingState.add_start,
                        on_change=lambda v: DubbingState.set_add_field("add_start", v),
                        aria_label="New line starts at",
                        width="90px",
                        size="1",
                        data_testid="dub-add-start",
                    ),
                    rx.text("to", size="1"),
                    rx.input(
                        value=DubbingState.add_end,
                        on_change=lambda v: DubbingState.set_add_field("add_end", v),
                        aria_label="New line ends at",
                        width="90px",
                        size="1",
                        data_testid="dub-add-end",
                    ),
                    rx.select.root(
                        rx.select.trigger(
                            placeholder="Speaker", aria_label="Speaker of the new line"
                        ),
                        rx.select.content(
                            rx.foreach(
                                DubbingState.speakers, lambda s: rx.select.item(s.name, value=s.id)
                            )
                        ),
                        value=DubbingState.add_speaker,
                        on_change=lambda v: DubbingState.set_add_field("add_speaker", v),
                        size="1",
                    ),
                    spacing="2",
                    align="center",
                ),
                rx.text_area(
                    value=DubbingState.add_text,
                    on_change=lambda v: DubbingState.set_add_field("add_text", v),
                    placeholder="What is said",
                    aria_label="Words of the new line",
                    data_testid="dub-add-text",
                ),
                rx.popover.close(
                    rx.button(
                        "Add", size="1", on_click=DubbingState.add_segment, data_testid="dub-add"
                    )
                ),
                spacing="2",
                width="340px",
            )
        ),
    )


def _focus_bar() -> rx.Component:
    """The focused segment's times, typed (leaving a field saves; snapped when asked)."""
    return rx.cond(
        DubbingState.focus_id != "",
        rx.hstack(
            rx.text("Focused line:", size="1", weight="medium"),
            _field(
                "Start",
                DubbingState.focus_start,
                lambda v: DubbingState.retime_typed("start", v),
                "dub-focus-start",
            ),
            _field(
                "End",
                DubbingState.focus_end,
                lambda v: DubbingState.retime_typed("end", v),
                "dub-focus-end",
            ),
            rx.checkbox(
                "Snap to silence",
                checked=DubbingState.snap,
                on_change=DubbingState.set_snap,
                size="1",
            ),
            rx.text(
                "Enter: edit its text · Esc: leave · \u2190/\u2192: other lines",
                size="1",
                color_scheme="gray",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
            data_testid="dub-focus-bar",
        ),
    )


def timeline() -> rx.Component:
    return rx.vstack(
        _edit_bar(),
        rx.grid(
            rx.box(
                rx.box(height=f"{WAVEFORM_PX}px"),
                rx.foreach(DubbingState.lanes, _lane_name),
            ),
            rx.box(_track(), overflow_x="auto", width="100%", data_testid="dub-timeline-scroll"),
            columns="110px 1fr",
            spacing="2",
            width="100%",
        ),
        _focus_bar(),
        rx.cond(
            DubbingState.restructured,
            rx.text(
                "Segments were restructured here: the dub is rendered in the dashboard from "
                "each line's take.",
                size="1",
                color_scheme="gray",
                data_testid="dub-restructured",
            ),
        ),
        rx.el.input(
            id="dub-drag-input",
            type="text",
            on_change=DubbingState.retime_dragged,
            style={"display": "none"},
            aria_hidden="true",
            tab_index=-1,
        ),
        spacing="2",
        width="100%",
        on_mount=DubbingState.load_waveform,
        data_studio="",
        data_focus=DubbingState.focus_id,
        data_testid="dub-timeline",
    )
