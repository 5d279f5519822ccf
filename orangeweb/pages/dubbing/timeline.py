"""The segment studio's timeline: the source waveform, one lane per speaker with a block per
segment at its times (drag an edge to retime; click to focus, which selects the line in the
transcript too), the playhead, zoom, and the edit bar (split, merge, delete, add, auto-merge,
undo/redo). The keyboard and the drag live in components/timeline_script.py."""

from __future__ import annotations

import reflex as rx

from orangeweb.pages.dubbing.timeline_tools import edit_bar
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.timeline_rows import LANE_HEIGHT_PX, WAVEFORM_HEIGHT, BlockRow, LaneRow

WAVEFORM_PX = 48


def players() -> rx.Var[str]:
    """The players the timeline and the transcript follow: the editor's (the dub's once there
    is one) and the render's."""
    return rx.cond(
        DubbingState.output_url != "",
        "dub-output-player dub-render-player",
        "dub-source-player dub-render-player",
    )


def _edge(edge: str) -> rx.Component:
    return rx.box(
        position="absolute",
        top="0",
        bottom="0",
        width="10px",
        cursor="ew-resize",
        touch_action="none",  # a finger drags the edge instead of scrolling the page
        background="var(--gray-a6)",
        border_radius="2px",
        data_edge=edge,
        data_testid=f"dub-edge-{edge}",
        **({"left": "0"} if edge == "start" else {"right": "0"}),
    )


def _block(block: BlockRow) -> rx.Component:
    focused = DubbingState.focus_id == block.id
    ticked = DubbingState.selected.contains(block.id)
    return rx.box(
        _edge("start"),
        rx.text(block.label, size="1", white_space="nowrap", overflow="hidden", line_height="1.6"),
        _edge("end"),
        position="absolute",
        left=block.left,
        width=block.width,
        top=block.top,
        height=f"{LANE_HEIGHT_PX - 6}px",
        padding="1px 12px",
        overflow="hidden",
        border_radius="4px",
        background=rx.cond(ticked, "var(--accent-a7)", "var(--" + block.color + "-a5)"),
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
        data_ticked=rx.cond(ticked, "true", "false"),
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
            data_playhead_for=players(),
        ),
        rx.box(
            position="absolute",
            top="0",
            bottom="0",
            left="0",
            width="2px",
            background="var(--red-9)",
            pointer_events="none",
            data_playhead_line=players(),
            data_duration=DubbingState.project_duration,
            data_testid="dub-playhead",
        ),
        position="relative",
        width=DubbingState.track_width,
        min_width="100%",
        data_track="",
        data_duration=DubbingState.project_duration,
    )


def _field(label: str, value: rx.Var[str], on_blur: object, testid: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="1"),
        rx.input(
            default_value=value,
            # A refused time shows the saved one again: the key changes with every revision.
            key=DubbingState.focus_id + value + DubbingState.revision.to_string(),
            data_time_field="",
            on_blur=on_blur,
            size="1",
            width="90px",
            aria_label=label,
            data_testid=testid,
        ),
        spacing="1",
        align="center",
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
        edit_bar(),
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
