"""The timeline's edit bar: undo/redo, split at the playhead or the cursor, merge, delete,
add a line over a region, auto-merge, zoom, and previous/next line (the keyboard clicks these:
components/timeline_script.py)."""

from __future__ import annotations

from typing import Any

import reflex as rx

from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_studio import PLAYER_TIME_JS


def _tool(
    icon: str, testid: str, label: str = "", *, ghost: bool = False, **props: Any
) -> rx.Component:
    """One button of the bar; one without a label names itself with `aria_label`."""
    return rx.button(
        rx.icon(icon, size=14),
        *([label] if label else []),
        size="1",
        variant="ghost" if ghost else "soft",
        data_testid=testid,
        **props,
    )


def _add_popover(idle: rx.Var[bool]) -> rx.Component:
    """A new line over a region: from the playhead, two seconds, the times adjustable."""

    def field(name: str, label: str, testid: str) -> rx.Component:
        return rx.input(
            value=getattr(DubbingState, name),
            on_change=lambda v: DubbingState.set_add_field(name, v),
            aria_label=label,
            width="90px",
            size="1",
            data_testid=testid,
        )

    return rx.popover.root(
        rx.popover.trigger(
            _tool(
                "plus",
                "dub-add-open",
                "Add a line",
                disabled=~idle,
                on_click=rx.call_script(PLAYER_TIME_JS, callback=DubbingState.prepare_add),
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.text("A new line: from, to (seconds), and its speaker", size="1"),
                rx.hstack(
                    field("add_start", "New line starts at", "dub-add-start"),
                    rx.text("to", size="1"),
                    field("add_end", "New line ends at", "dub-add-end"),
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
                    width="100%",
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


def _history_tool(idle: rx.Var[bool], *, redo: bool) -> rx.Component:
    """Undo or Redo, titled with the edit it would undo or redo."""
    name, label = ("Redo", DubbingState.redo_label) if redo else ("Undo", DubbingState.undo_label)
    return _tool(
        "redo-2" if redo else "undo-2",
        f"dub-{name.lower()}",
        disabled=(label == "") | ~idle,
        on_click=DubbingState.undo(redo),
        title=f"{name} " + label + (" (Ctrl+Shift+Z)" if redo else " (Ctrl+Z)"),
        aria_label=name,
    )


def edit_bar() -> rx.Component:
    idle = DubbingState.can_review & ~DubbingState.busy
    nothing_chosen = (DubbingState.focus_id == "") & (DubbingState.selected.length() == 0)
    return rx.hstack(
        _history_tool(idle, redo=False),
        _history_tool(idle, redo=True),
        _tool(
            "scissors",
            "dub-split-playhead",
            "Split at playhead",
            disabled=~idle,
            on_click=rx.call_script(PLAYER_TIME_JS, callback=DubbingState.split_at),
        ),
        _tool(
            "text-cursor",
            "dub-split-cursor",
            "Split at cursor",
            disabled=~idle | (DubbingState.focus_id == ""),
            on_click=DubbingState.split_at_cursor,
        ),
        _tool(
            "merge",
            "dub-merge",
            "Merge",
            disabled=~idle | ((DubbingState.focus_id == "") & (DubbingState.selected.length() < 2)),
            on_click=DubbingState.merge_chosen,
            title="The ticked segments, or the focused one with the next",
        ),
        _tool(
            "trash-2",
            "dub-delete",
            "Delete",
            disabled=~idle | nothing_chosen,
            on_click=DubbingState.delete_chosen,
        ),
        _add_popover(idle),
        _tool(
            "combine",
            "dub-auto-merge",
            "Auto-merge short segments",
            disabled=~idle,
            on_click=DubbingState.auto_merge,
            title="Join each speaker's phrases less than 0.6 s apart",
        ),
        rx.spacer(),
        _tool(
            "zoom-out",
            "dub-zoom-out",
            ghost=True,
            on_click=DubbingState.set_zoom(-1),
            aria_label="Zoom out",
        ),
        rx.text(DubbingState.zoom, "\u00d7", size="1", data_testid="dub-zoom"),
        _tool(
            "zoom-in",
            "dub-zoom-in",
            disabled=DubbingState.zoom >= 16,
            ghost=True,
            on_click=DubbingState.set_zoom(1),
            aria_label="Zoom in",
        ),
        _tool(
            "chevron-left",
            "dub-prev",
            ghost=True,
            on_click=DubbingState.focus_step(-1),
            aria_label="Previous segment",
        ),
        _tool(
            "chevron-right",
            "dub-next",
            ghost=True,
            on_click=DubbingState.focus_step(1),
            aria_label="Next segment",
        ),
        # Esc clicks this (hidden): leaving the focused line.
        rx.button(
            "Esc",
            size="1",
            on_click=DubbingState.unfocus,
            display="none",
            data_testid="dub-unfocus",
        ),
        wrap="wrap",
        spacing="2",
        align="center",
        width="100%",
    )
