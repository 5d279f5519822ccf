"""Dubbing studio: the team's projects, a streamed upload, and one project's review, voices,
dubbing and downloads, with its stepper updated live by the job notices.

The uploads (the browser's file, then to OrangeClone) are `DubbingUploads`. Every handler
here reads and writes the database off the event loop (`_off_loop`, `_act`), and the steps
that call OrangeClone run whole on a service thread (`_off_loop_async`).
"""

from __future__ import annotations

import contextlib
from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts, projects, review, views, voices
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.errors import NotFoundError
from orangeweb.services.ids import optional_row_id, row_id
from orangeweb.services.jobs.kinds import DUBBING, VOICE, kind_of
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.states.base import AppState
from orangeweb.states.dubbing_imports import DubbingImports
from orangeweb.states.dubbing_project_rows import (
    ProjectRow,
    SegmentRow,
    SpeakerRow,
    StepRow,
    dubbed_file_name,
    flag_class,
    language_label,
    project_row,
    segment_rows,
    speaker_rows,
    step_rows,
)
from orangeweb.states.dubbing_renders import DubbingRenders
from orangeweb.states.dubbing_speakers import DubbingSpeakers
from orangeweb.states.dubbing_steps import MAX_PROJECTS, DubbingSteps, project_id_of, project_rows
from orangeweb.states.dubbing_studio import DubbingStudio
from orangeweb.states.dubbing_takes import DubbingTakes
from orangeweb.states.dubbing_upload import UPLOAD_ID as UPLOAD_ID  # for the page
from orangeweb.states.dubbing_upload import DubbingUploads
from orangeweb.states.form_inputs import CharacterChip, character_chips
from orangeweb.states.live import LiveView

DubbingPage = tuple[list[ProjectRow], str, DubbingProjectView | None]
"""The project list; the open project's id as read ("" for none) and its view (None: gone)."""


def _casts(session: Session, actor: CurrentUser) -> list[list[str]]:
    return [[str(c.id), c.name] for c in casts.list_casts(session, actor)]


class DubbingState(
    DubbingStudio,
    DubbingRenders,
    DubbingUploads,
    DubbingTakes,
    DubbingSpeakers,
    DubbingImports,
    DubbingSteps,
    LiveView,
    AppState,
):
    loaded: bool = False
    projects: list[ProjectRow] = []
    chips: list[CharacterChip] = []
    # (The two uploads' vars and handlers: `DubbingUploads`.)
    # --- the open project ---
    open_id: str = ""
    project: ProjectRow = ProjectRow("", "", "", "", "", "gray", "", "", "", "")
    speakers: list[SpeakerRow] = []
    segments: list[SegmentRow] = []
    steps: list[StepRow] = []
    source_language: str = ""
    source_flag: str = ""
    target_language: str = ""
    output_url: str = ""
    output_name: str = ""  # the dubbed download's file name
    failed_step: str = ""
    project_error: str = ""
    retry_hint: str = ""
    can_review: bool = False
    is_running: bool = False
    language: str = "es"
    selected: list[str] = []
    cast_name: str = ""
    casts: list[list[str]] = []
    busy: bool = False
    hear_original: bool = False  # the result's switch: the original's sound over the dub's picture
    stale_count: int = 0  # segments whose line or voice changed since their pinned take

    @rx.var
    def has_project(self) -> bool:
        return self.open_id != ""

    @rx.var
    def has_translation(self) -> bool:
        return any(segment.translated for segment in self.segments)

    @rx.var
    def summary_language(self) -> str:
        return language_label(self.target_language or None)

    @rx.var
    def summary_flag(self) -> str:
        return flag_class(self.target_language)

    @rx.var
    def dubbed_label(self) -> str:
        """The result switch's label for the dub: "Dubbed · Spanish"."""
        return (
            f"Dubbed · {language_label(self.target_language)}" if self.target_language else "Dubbed"
        )

    # --- loading ---
    def _show_created(self, view: DubbingProjectView) -> None:
        self._show(view)
        self.projects = [project_row(view), *[r for r in self.projects if r.id != str(view.id)]]

    def _show_send_failure(self, words: str) -> None:
        self.project_error = words

    def _open_project(self) -> int:
        return project_id_of(self.open_id)

    def _show(self, view: DubbingProjectView) -> None:
        self._renew_preview_key(only_if_unset=True)
        self.open_id = str(view.id)
        self.project = project_row(view)
        self.speakers = speaker_rows(view)
        self.segments = segment_rows(view, self.speakers)
        self.stale_count = view.stale_count
        self._show_studio(view, self.speakers)
        self._show_render(view)
        self.steps = step_rows(view)
        self.source_language = language_label(view.source_language) if view.source_language else ""
        self.source_flag = flag_class(view.source_language)
        self.target_language = view.target_language or ""
        if view.target_language:  # the picker says which language "Translate" works on
            self.language = view.target_language
        self.output_url = view.output_url or ""
        self.output_name = dubbed_file_name(
            view.original_name,
            view.target_language or view.source_language,
            view.media_type,
            view.container,
        )
        self.failed_step = view.failed_step or ""
        self.project_error = view.error or ""
        self.retry_hint = view.retry_hint or ""
        self.can_review = view.can_review
        self.is_running = view.is_running
        ids = {segment.id for segment in self.segments}
        self.selected = [segment_id for segment_id in self.selected if segment_id in ids]
        fresh = project_row(view)
        self.projects = [fresh if row.id == fresh.id else row for row in self.projects]

    def _read_page(self, session: Session, actor: CurrentUser) -> DubbingPage:
        open_id = self.open_id
        view: DubbingProjectView | None = None
        if open_id:
            # Deleted (maybe in another tab): `_show_page` closes it.
            with contextlib.suppress(NotFoundError):
                view = views.get_project(session, actor, row_id(open_id, "project"))
        return project_rows(session, actor), open_id, view

    def _show_page(self, data: DubbingPage) -> None:
        rows, open_id, view = data
        self.projects = rows
        if open_id and self.open_id == open_id:  # still the project read (live re-reads)
            if view is None:
                self.open_id = ""
            else:
                self._show(view)

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        def read(session: Session, actor: CurrentUser) -> tuple[Any, ...]:
            return (
                project_rows(session, actor),
                character_chips(session, actor),
                _casts(session, actor),
            )

        try:
            _, (rows, chips, cast_options) = await self._off_loop(read)
        except Exception as error:
            return self._fail(error)
        self.projects, self.chips, self.casts = rows, chips, cast_options
        self.loaded = True
        return None

    @rx.event
    async def open_project(self, project_id: str) -> rx.event.EventSpec | None:
        try:
            project = row_id(project_id, "project")
            _, view = await self._off_loop(lambda s, a: views.get_project(s, a, project))
        except Exception as error:
            return self._fail(error)
        self._show(view)
        return DubbingState.load_waveform

    @rx.event
    def close_project(self) -> None:
        self.open_id = ""

    # --- live ---
    @classmethod
    def _live_read(
        cls, session: Session, actor: CurrentUser, notice: JobNotice
    ) -> DubbingProjectView | None:
        if kind_of(notice.kind).studio not in (DUBBING.studio, VOICE.studio):
            return None  # a segment's take is a voice job: the project shows it
        return views.project_of_job(session, actor, notice.job_id)

    def _live_apply(
        self, actor: CurrentUser, notice: JobNotice, detail: DubbingProjectView | None
    ) -> bool:
        if detail is None:
            return False
        fresh = project_row(detail)
        if any(row.id == fresh.id for row in self.projects):
            self.projects = [fresh if row.id == fresh.id else row for row in self.projects]
        else:  # made in another tab
            self.projects = [fresh, *self.projects][:MAX_PROJECTS]
        if self.open_id == fresh.id:
            self._show(detail)
        return False

    @rx.event
    def set_hearing(self, which: str | list[str]) -> None:
        self.hear_original = which == "original"

    # --- review ---
    @rx.event
    async def edit_text(self, segment_id: str, text: str) -> rx.event.EventSpec | None:
        current = next((s for s in self.segments if s.id == segment_id), None)
        if current is None or current.text == text:
            return None
        return await self._review(
            lambda s, a, p: review.edit_segment_text(s, a, p, segment_id, text), "Segment saved."
        )

    @rx.event
    async def edit_translation(self, segment_id: str, text: str) -> rx.event.EventSpec | None:
        current = next((s for s in self.segments if s.id == segment_id), None)
        if current is None or current.translated == text:
            return None
        change = review.SegmentChange(id=segment_id, translated_text=text)
        return await self._review(
            lambda s, a, p: review.edit_segments(s, a, p, [change]), "Translation saved."
        )

    @rx.event
    async def reassign(self, segment_id: str, speaker_id: str) -> rx.event.EventSpec | None:
        return await self._review(
            lambda s, a, p: review.reassign_segment(s, a, p, segment_id, speaker_id),
            "Segment moved.",
        )

    @rx.event
    def set_language(self, code: str) -> None:
        self.language = code

    @rx.event
    def toggle_segment(self, segment_id: str, on: bool) -> None:
        rest = [s for s in self.selected if s != segment_id]
        self.selected = [*rest, segment_id] if on else rest

    @rx.event
    async def translate(self, only_selected: bool) -> rx.event.EventSpec | None:
        ids = list(self.selected) if only_selected else None
        if only_selected and not ids:
            return rx.toast.error("Tick the segments to translate first.")
        lang = self.language
        made_here = sum(
            s.id.startswith("local-") and (ids is None or s.id in ids) for s in self.segments
        )
        done = "Translation requested." + (
            f" {made_here} line{'s' if made_here != 1 else ''} made here"
            f" {'are' if made_here != 1 else 'is'} not OrangeClone's: type"
            f" {'their' if made_here != 1 else 'its'} translation."
            if made_here
            else ""
        )
        return await self._review(lambda s, a, p: review.translate(s, a, p, lang, ids), done)

    # --- voices ---
    @rx.event
    async def set_voice(self, speaker_id: str, choice: str) -> rx.event.EventSpec | None:
        open_id = self.open_id

        def change(session: Session, actor: CurrentUser) -> None:
            value: int | str | None = (
                "original" if choice == "original" else optional_row_id(choice, "character")
            )
            voices.set_voices(session, actor, project_id_of(open_id), {speaker_id: value})

        return await self._act(change)

    @rx.event
    def set_cast_name(self, name: str) -> None:
        self.cast_name = name

    @rx.event
    async def save_cast(self) -> rx.event.EventSpec | None:
        name, open_id = self.cast_name, self.open_id
        saved: list[list[list[str]]] = []  # `change` runs in a thread: shown after, here

        def change(session: Session, actor: CurrentUser) -> None:
            voices.save_cast_from_project(session, actor, project_id_of(open_id), name)
            saved.append(_casts(session, actor))

        done = await self._act(change, f"Cast “{name}” saved.")
        if saved:
            self.casts = saved[0]
        return done

    @rx.event
    async def apply_cast(self, cast_id: str) -> rx.event.EventSpec | None:
        open_id = self.open_id
        return await self._act(
            lambda s, a: voices.apply_cast(s, a, project_id_of(open_id), row_id(cast_id, "cast")),
            "Cast applied.",
        )

    # --- dubbing, delete (retry: `DubbingUploads`) ---
    @rx.event
    async def dub(self) -> rx.event.EventSpec | None:
        return await self._review(review.clone, "Dubbing started.")

    @rx.event
    async def delete(self) -> rx.event.EventSpec | None:
        open_id = self.open_id
        deleted: list[bool] = []

        def change(session: Session, actor: CurrentUser) -> None:
            projects.delete_project(session, actor, project_id_of(open_id))
            deleted.append(True)

        done = await self._act(change, "Project deleted.")
        if deleted:
            self.open_id = ""
        return done
