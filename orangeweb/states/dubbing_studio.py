"""The dubbing page's segment studio: the timeline (lanes, blocks, waveform, zoom, the focused
segment), the segment edits with undo/redo, and the target languages. A mixin of
`DubbingState` (the render: `DubbingRenders`).

Every edit names the revision this tab shows; one made over a teammate's newer edit is
refused by the service, and the tab then shows theirs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import languages, segment_edits, views
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.states.dubbing_project_rows import (
    SegmentRow,
    SpeakerRow,
    flag_class,
    language_label,
)
from orangeweb.states.dubbing_steps import DubbingSteps, project_id_of
from orangeweb.states.timeline_rows import BlockRow, LaneRow, timeline_rows, waveform_path

ZOOMS = (1, 2, 4, 8, 16)
PLAYER_TIME_JS = (
    "(() => { const v = document.getElementById('dub-output-player')"
    " || document.getElementById('dub-source-player'); return v ? v.currentTime : -1; })()"
)

Edit = Callable[[Session, CurrentUser, int, int], Awaitable[DubbingProjectView]]
"""A segment edit: (session, user, project id, the revision this tab shows)."""


def typed_seconds(value: str) -> float | None:
    """ "7.4" or "0:07.4" typed into a time field; None when unreadable."""
    text = value.strip().replace(",", ".")
    try:
        if ":" in text:
            minutes, seconds = text.split(":", 1)
            value = int(minutes) * 60 + float(seconds)
        else:
            value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class DubbingStudio(DubbingSteps, mixin=True):
    revision: int = 0
    project_duration: float = 0.0
    restructured: bool = False
    undo_label: str = ""
    redo_label: str = ""
    focus_id: str = ""
    focus_start: str = ""  # the focused segment's times, for its time fields
    focus_end: str = ""
    zoom: int = 1
    snap: bool = True
    lanes: list[LaneRow] = []
    blocks: list[BlockRow] = []
    waveform: str = ""
    waveform_width: int = 0  # the path's viewBox width (its peak count)
    _waveform_of: str = ""  # the project whose waveform is shown
    # Adding a line over a region.
    add_start: str = ""
    add_end: str = ""
    add_speaker: str = ""
    add_text: str = ""
    # [code, name, flag classes] of each target language with work, the open one first.
    language_tabs: list[list[str]] = []

    # --- shown with every view of the project (`DubbingState._show`) ---
    def _show_studio(self, view: DubbingProjectView, speakers: list[SpeakerRow]) -> None:
        self.revision = view.revision
        self.project_duration = view.duration_s
        self.restructured = view.restructured
        self.undo_label = view.undo_label or ""
        self.redo_label = view.redo_label or ""
        self.lanes, self.blocks = timeline_rows(view, speakers)
        self._refocus(self.focus_id)
        self.language_tabs = [
            [code, language_label(code), flag_class(code)] for code in view.languages
        ]

    def _focused(self) -> SegmentRow | None:
        segments: list[SegmentRow] = self.segments  # type: ignore[attr-defined]
        return next((s for s in segments if s.id == self.focus_id), None)

    def _refocus(self, segment_id: str) -> None:
        self.focus_id = segment_id
        focused = self._focused()
        self.focus_start, self.focus_end = (
            (f"{focused.start:.2f}", f"{focused.end:.2f}") if focused else ("", "")
        )
        if focused is None:
            self.focus_id = ""

    @rx.var
    def track_width(self) -> str:
        return f"{self.zoom * 100}%"

    # --- the waveform, read once per project (ffmpeg) ---
    @rx.event
    async def load_waveform(self) -> rx.event.EventSpec | None:
        open_id: str = self.open_id  # type: ignore[attr-defined]
        if not open_id or self._waveform_of == open_id:
            return None

        def read(session: Session, actor: CurrentUser) -> list[float]:
            project = views.team_project(session, actor, project_id_of(open_id))
            peaks = segment_edits.media_analysis(session, project)["peaks"]
            return [float(p) for p in peaks]  # type: ignore[arg-type]

        try:
            _, peaks = await self._off_loop(read)
        except Exception as error:
            self.waveform, self._waveform_of = "", open_id
            return self._fail(error)
        self.waveform, self.waveform_width = waveform_path(peaks), len(peaks)
        self._waveform_of = open_id
        return None

    # --- focus, playhead, zoom ---
    def _seek_script(self, seconds: float, *, play: bool = False) -> rx.event.EventSpec:
        """Move the player (the dub's once there is one) to `seconds`, the focused line's row
        into view."""
        start = "v.play && v.play().catch(() => {});" if play else ""
        block_selector = f"[data-block={json.dumps(self.focus_id)}]"
        return rx.call_script(
            "(() => { const v = document.getElementById('dub-output-player')"
            " || document.getElementById('dub-source-player');"
            f" if (v) {{ v.currentTime = {float(seconds)}; {start} }}"
            f" const row = document.getElementById({json.dumps('seg-row-' + self.focus_id)});"
            " if (row) row.scrollIntoView({block: 'nearest'});"
            # Zoomed in, the timeline scrolls sideways to the focused block.
            f" const block = document.querySelector({json.dumps(block_selector)});"
            " if (block) block.scrollIntoView({block: 'nearest', inline: 'center'}); })()"
        )

    @rx.event
    def play_line(self, segment_id: str) -> rx.event.EventSpec | None:
        """A line's time button: it is focused and plays from its start."""
        self._refocus(segment_id)
        focused = self._focused()
        return self._seek_script(focused.start, play=True) if focused else None

    @rx.event
    def focus(self, segment_id: str) -> rx.event.EventSpec | None:
        segments: list[SegmentRow] = self.segments  # type: ignore[attr-defined]
        found = next((s for s in segments if s.id == segment_id), None)
        if found is None:
            return None
        self._refocus(segment_id)
        return self._seek_script(found.start)

    @rx.event
    def focus_quietly(self, segment_id: str) -> None:
        """The cursor went into a line's text: it is the focused line (no seek, no scroll)."""
        self._refocus(segment_id)

    @rx.event
    def focus_step(self, step: int) -> rx.event.EventSpec | None:
        """← / →: the previous or next segment in time."""
        segments: list[SegmentRow] = sorted(self.segments, key=lambda s: s.start)  # type: ignore[attr-defined]
        if not segments:
            return None
        ids = [s.id for s in segments]
        at = ids.index(self.focus_id) if self.focus_id in ids else (-1 if step > 0 else len(ids))
        return self.focus(ids[min(len(ids) - 1, max(0, at + step))])

    @rx.event
    def unfocus(self) -> None:
        self._refocus("")

    @rx.event
    def set_zoom(self, step: int) -> None:
        index = ZOOMS.index(self.zoom) if self.zoom in ZOOMS else 0
        self.zoom = ZOOMS[min(len(ZOOMS) - 1, max(0, index + step))]

    @rx.event
    def set_snap(self, on: bool) -> None:
        self.snap = on

    # --- edits ---
    async def _edit(self, edit: Edit, done: str) -> rx.event.EventSpec | None:
        seen = self.revision
        outcome = await self._review(lambda s, a, p: edit(s, a, p, seen), done)
        if self.revision == seen:  # refused (maybe a teammate's edit came first): show theirs
            open_id: str = self.open_id  # type: ignore[attr-defined]
            try:
                _, view = await self._off_loop(
                    lambda s, a: views.get_project(s, a, project_id_of(open_id))
                )
            except Exception:
                return outcome
            self._show(view)  # type: ignore[attr-defined]
        return outcome

    def _chosen(self) -> list[str]:
        selected: list[str] = self.selected  # type: ignore[attr-defined]
        return list(selected) or ([self.focus_id] if self.focus_id else [])

    @rx.event
    async def split_at(self, seconds: float) -> rx.event.EventSpec | None:
        """Split the segment under the playhead (else the focused one) there."""
        segments: list[SegmentRow] = self.segments  # type: ignore[attr-defined]
        under = next((s.id for s in segments if s.start < seconds < s.end), "")
        target = under or self.focus_id  # the line under the playhead, else the focused one
        if not target:
            return rx.toast.error("Put the playhead inside a segment to split it there.")
        at = float(seconds)
        return await self._edit(
            lambda s, a, p, seen: segment_edits.split_segment(s, a, p, seen, target, at=at),
            "Segment split at the playhead.",
        )

    @rx.event
    def split_at_cursor(self) -> rx.event.EventSpec | None:
        """Asks the browser where the cursor is in the focused line's text."""
        if not self.focus_id:
            return rx.toast.error("Click a segment first, then put the cursor where to split.")
        return rx.call_script(
            "(() => { const t = document.getElementById("
            f"{json.dumps('seg-text-' + self.focus_id)});"
            " return t ? t.selectionStart : -1; })()",
            callback=type(self).split_at_position,
        )

    @rx.event
    async def split_at_position(self, position: int) -> rx.event.EventSpec | None:
        target = self.focus_id
        if position < 0 or not target:
            return rx.toast.error("Put the cursor in the line's text where it should be split.")
        return await self._edit(
            lambda s, a, p, seen: segment_edits.split_segment(
                s, a, p, seen, target, text_position=int(position)
            ),
            "Segment split at the cursor.",
        )

    @rx.event
    async def merge_chosen(self) -> rx.event.EventSpec | None:
        """Merge the selected segments, or the focused one with the next of its speaker."""
        chosen = self._chosen()
        if len(chosen) == 1:
            segments: list[SegmentRow] = sorted(self.segments, key=lambda s: s.start)  # type: ignore[attr-defined]
            focused = next((s for s in segments if s.id == chosen[0]), None)
            after = [s for s in segments if focused and s.start > focused.start]
            if focused is not None and not (after and after[0].speaker_id == focused.speaker_id):
                return rx.toast.error(
                    "The next line is another speaker's (or there is none): only neighbours "
                    "of one speaker merge."
                )
            if after:
                chosen.append(after[0].id)
        self.selected = []  # type: ignore[attr-defined]
        return await self._edit(
            lambda s, a, p, seen: segment_edits.merge_segments(s, a, p, seen, chosen),
            "Segments merged.",
        )

    @rx.event
    async def delete_chosen(self) -> rx.event.EventSpec | None:
        chosen = self._chosen()
        if not chosen:
            return rx.toast.error("Click or tick the segments to delete first.")
        self.selected = []  # type: ignore[attr-defined]
        return await self._edit(
            lambda s, a, p, seen: segment_edits.delete_segments(s, a, p, seen, chosen),
            "Deleted. Undo brings it back.",
        )

    async def _retime(self, segment_id: str, start: float, end: float) -> rx.event.EventSpec | None:
        snap = self.snap
        return await self._edit(
            lambda s, a, p, seen: segment_edits.retime_segment(
                s, a, p, seen, segment_id, start, end, snap=snap
            ),
            "Segment retimed.",
        )

    @rx.event
    async def retime_typed(self, edge: str, value: str) -> rx.event.EventSpec | None:
        """A time typed into the focused segment's start or end field (leaving it saves)."""
        focused = self._focused()
        seconds = typed_seconds(value)
        if focused is None:
            return None
        if seconds is None:
            return rx.toast.error("Type a time in seconds (7.4) or minutes:seconds (0:07.4).")
        start, end = (seconds, focused.end) if edge == "start" else (focused.start, seconds)
        if abs(start - focused.start) < 1e-3 and abs(end - focused.end) < 1e-3:
            return None
        return await self._retime(focused.id, start, end)

    @rx.event
    async def retime_dragged(self, value: str) -> rx.event.EventSpec | None:
        """ "<segment id>|<start>|<end>" from the timeline's drag (components/timeline_drag)."""
        parts = value.split("|")
        if len(parts) != 3:
            return None
        start, end = typed_seconds(parts[1]), typed_seconds(parts[2])
        if start is None or end is None:
            return None
        self._refocus(parts[0])
        return await self._retime(parts[0], start, end)

    @rx.event
    def set_add_field(self, field: str, value: str) -> None:
        if field in ("add_start", "add_end", "add_speaker", "add_text"):
            setattr(self, field, value)

    @rx.event
    def prepare_add(self, playhead: float) -> None:
        """ "Add a line": the region starts at the playhead, two seconds long."""
        at = max(0.0, float(playhead))
        self.add_start, self.add_end = f"{at:.2f}", f"{at + 2:.2f}"
        speakers: list[SpeakerRow] = self.speakers  # type: ignore[attr-defined]
        if not self.add_speaker and speakers:
            self.add_speaker = speakers[0].id

    @rx.event
    async def add_segment(self) -> rx.event.EventSpec | None:
        start, end = typed_seconds(self.add_start), typed_seconds(self.add_end)
        if start is None or end is None:
            return rx.toast.error("Type the new line's start and end in seconds.")
        speaker, text = self.add_speaker, self.add_text
        outcome = await self._edit(
            lambda s, a, p, seen: segment_edits.add_segment(
                s, a, p, seen, start=start, end=end, speaker_id=speaker, text=text
            ),
            "Line added.",
        )
        if any(abs(b.start - start) < 1e-3 for b in self.blocks):
            self.add_text = ""
        return outcome

    @rx.event
    async def auto_merge(self) -> rx.event.EventSpec | None:
        return await self._edit(
            lambda s, a, p, seen: segment_edits.auto_merge_segments(s, a, p, seen),
            "Short phrases merged.",
        )

    @rx.event
    async def undo(self, redo: bool) -> rx.event.EventSpec | None:
        label = self.redo_label if redo else self.undo_label

        async def step(s: Session, a: CurrentUser, p: int, seen: int) -> DubbingProjectView:
            view, _ = await segment_edits.undo(s, a, p, seen, redo=redo)
            return view

        return await self._edit(step, f"{'Redone' if redo else 'Undone'}: {label}.")

    @rx.event
    async def switch_language(self, code: str) -> rx.event.EventSpec | None:
        """Open another target language; the open one's work is kept for when it comes back."""
        return await self._edit(
            lambda s, a, p, seen: languages.switch_language(s, a, p, seen, code),
            f"Now working on {language_label(code)}.",
        )
