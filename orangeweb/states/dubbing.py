"""Dubbing studio: the team's projects, a streamed upload, and one project's review, voices,
dubbing and downloads, with its stepper updated live by the job notices.

The upload is Reflex's chunked upload: the browser streams the file to `receive_upload`, a
background handler that feeds `MediaUploadWriter` (size cap enforced as it arrives). Then the
file is probed and tier-checked (`create_project`), and `start_dubbing` sends it to
OrangeClone and starts the transcription, its progress shown as a second bar.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator
from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.db import open_session
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import casts, projects, review, sync, views, voices
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.errors import DomainError, NotFoundError
from orangeweb.services.ids import optional_row_id, row_id
from orangeweb.services.jobs import JobDetail
from orangeweb.services.jobs.notices import JobNotice
from orangeweb.services.media.upload import MediaUploadWriter
from orangeweb.states.base import AppState, NotSignedIn
from orangeweb.states.dubbing_rows import (
    ProjectRow,
    SegmentRow,
    SpeakerRow,
    StepRow,
    language_label,
    project_row,
    rate_words,
    segment_rows,
    selected_key,
    speaker_rows,
    step_rows,
)
from orangeweb.states.live import LiveView, live_view
from orangeweb.states.rows import CharacterChip, character_chips

UPLOAD_ID = "dub-media"
MAX_PROJECTS = 30


@live_view("/dubbing")
class DubbingState(LiveView, AppState):
    loaded: bool = False
    projects: list[ProjectRow] = []
    chips: list[CharacterChip] = []
    # --- the upload from the browser ---
    receiving: bool = False
    receive_percent: int = 0
    receive_speed: str = ""
    receive_eta: str = ""
    upload_error: str = ""
    checked_message: str = ""
    # --- the upload to OrangeClone ---
    sending: bool = False
    send_percent: int = 0
    # --- the open project ---
    open_id: str = ""
    project: ProjectRow = ProjectRow("", "", "", "", "", "gray", 0, "", "", "")
    speakers: list[SpeakerRow] = []
    segments: list[SegmentRow] = []
    steps: list[StepRow] = []
    source_language: str = ""
    target_language: str = ""
    output_url: str = ""
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
    _started: float = 0.0

    @rx.var
    def has_project(self) -> bool:
        return self.open_id != ""

    @rx.var
    def has_translation(self) -> bool:
        return any(segment.translated for segment in self.segments)

    @rx.var
    def summary_language(self) -> str:
        return language_label(self.target_language or None)

    # --- loading ---
    def _reload_list(self, actor: CurrentUser) -> None:
        with self._db() as session:
            project_views = views.list_projects(session, actor, limit=MAX_PROJECTS)
        self.projects = [project_row(view) for view in project_views]

    def _show(self, view: DubbingProjectView) -> None:
        self.open_id = str(view.id)
        self.project = project_row(view)
        self.speakers = speaker_rows(view)
        self.segments = segment_rows(view, self.speakers)
        self.steps = step_rows(view)
        self.source_language = language_label(view.source_language) if view.source_language else ""
        self.target_language = view.target_language or ""
        self.output_url = view.output_url or ""
        self.failed_step = view.failed_step or ""
        self.project_error = view.error or ""
        self.retry_hint = view.retry_hint or ""
        self.can_review = view.can_review
        self.is_running = view.is_running
        ids = {segment.id for segment in self.segments}
        self.selected = [segment_id for segment_id in self.selected if segment_id in ids]
        fresh = project_row(view)
        self.projects = [fresh if row.id == fresh.id else row for row in self.projects]

    def _refresh(self) -> None:
        actor = self._actor()
        self._reload_list(actor)
        if self.open_id:
            with self._db() as session:
                self._show(views.get_project(session, actor, row_id(self.open_id, "project")))

    def _reload_casts(self, actor: CurrentUser) -> None:
        with self._db() as session:
            self.casts = [[str(c.id), c.name] for c in casts.list_casts(session, actor)]

    @rx.event
    def load(self) -> rx.event.EventSpec | None:
        try:
            actor = self._actor()
            self._reload_list(actor)
            with self._db() as session:
                self.chips = character_chips(session, actor)
            self._reload_casts(actor)
        except Exception as error:
            return self._fail(error)
        self.loaded = True
        return None

    @rx.event
    async def open_project(self, project_id: str) -> rx.event.EventSpec | None:
        try:
            actor = self._actor()
            with self._db() as session:
                view = await sync.sync_project(session, actor, row_id(project_id, "project"))
            self._show(view)
        except Exception as error:
            return self._fail(error)
        return None

    @rx.event
    def close_project(self) -> None:
        self.open_id = ""

    def _open_project(self) -> int:
        """The id of the project on screen (the page may be stale: then there is none)."""
        if not self.open_id:
            raise NotFoundError("Open a project first.")
        return row_id(self.open_id, "project")

    # --- live ---
    def _live_refresh(self) -> None:
        try:
            self._refresh()
        except NotFoundError:  # the open project was deleted (maybe in another tab)
            self.open_id = ""

    def _live_resync(self, actor: CurrentUser) -> None:
        self._live_refresh()

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> None:
        if detail is not None and detail.job.kind == "dubbing":
            self._live_refresh()

    # --- the upload ---
    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        loaded, total = int(progress.get("loaded") or 0), int(progress.get("total") or 0)
        self.receive_percent = round(float(progress.get("progress") or 0) * 100)
        self.receive_speed, self.receive_eta = rate_words(loaded, total, self._started)

    @rx.event
    def cancel_upload(self) -> list[Any]:
        self.receiving = False
        self.receive_percent = 0
        self.upload_error = "Upload cancelled."
        return [rx.cancel_upload(UPLOAD_ID), rx.clear_selected_files(UPLOAD_ID)]

    @rx.event
    def begin_upload(self) -> None:
        self.upload_error = self.checked_message = ""
        self.receiving, self.receive_percent, self._started = True, 0, time.monotonic()
        self.send_percent = 0
        self.receive_speed = self.receive_eta = ""

    @rx.event(background=True)
    async def receive_upload(self, chunks: rx.UploadChunkIterator) -> AsyncGenerator[Any, None]:
        failure: Exception | None = None
        async with self:
            try:
                actor = self._actor()
                key_id = selected_key(actor)
            except Exception as error:
                failure = error
                self.receiving = False
                self.upload_error = self._words(error)
        if failure is not None:
            yield rx.cancel_upload(UPLOAD_ID)
            if isinstance(failure, NotSignedIn):
                yield self._fail(failure)
            return
        writer = MediaUploadWriter(team_id=actor.team_id)
        name = "media"
        try:
            async for chunk in chunks:
                name = chunk.filename or name
                await asyncio.to_thread(writer.write, chunk.data, chunk.offset)
            stored = await asyncio.to_thread(writer.finish)
        except asyncio.CancelledError:
            # The browser went away or the upload guard cut the body: keep nothing.
            writer.abort()
            async with self:
                self.receiving = False
                if self.upload_error == "":
                    self.upload_error = "The upload stopped before the whole file arrived."
            raise
        except Exception as error:
            writer.abort()
            async with self:
                self.receiving = False
                if isinstance(error, DomainError):  # over the cap, out of order, empty
                    self.upload_error = str(error)
                elif self.upload_error == "":  # the browser stopped sending (or cancelled)
                    self.upload_error = "The upload stopped before the whole file arrived."
            yield rx.clear_selected_files(UPLOAD_ID)
            return
        async with self:
            # The whole file is here: the bar shows 100% and the speed measured on arrival.
            self.receive_percent = 100
            size = writer.bytes_written
            self.receive_speed, self.receive_eta = rate_words(size, size, self._started)
            self.checked_message = "Checking the file…"
        try:
            with open_session() as session:
                view = await projects.create_project(session, actor, key_id, stored, name)
        except Exception as error:
            async with self:
                self.receiving = False
                self.checked_message = ""
                self.upload_error = self._words(error)
            yield rx.clear_selected_files(UPLOAD_ID)
            return
        async with self:
            self.checked_message = (
                f"{view.original_name}: {view.media_type}, {project_row(view).duration}, "
                f"≈ {view.estimated_credits} credits per language to dub."
            )
            self.receiving = False
            self.sending, self.send_percent = True, 0
            self._show(view)
            self.projects = [project_row(view), *[r for r in self.projects if r.id != str(view.id)]]
        yield rx.clear_selected_files(UPLOAD_ID)
        async for event in self._send(actor, view.id, retry=False):
            yield event

    async def _send(
        self, actor: CurrentUser, project_id: int, *, retry: bool
    ) -> AsyncGenerator[Any, None]:
        """Upload to OrangeClone and start transcription, with the second progress bar."""
        sent = [0, 1]

        def progress(done: int, total: int) -> None:
            sent[0], sent[1] = done, max(total, 1)

        async def run() -> DubbingProjectView:
            with open_session() as session:
                step = projects.retry if retry else projects.start_dubbing
                return await step(session, actor, project_id, progress)

        task = asyncio.create_task(run())
        while not task.done():
            await asyncio.sleep(0.3)
            async with self:
                self.send_percent = round(sent[0] * 100 / sent[1])
        failed = ""
        async with self:
            self.sending = False
            try:
                view = task.result()
                self._show(view)
                if view.upload_state in ("uploaded", "submitted"):
                    self.send_percent = 100  # the bar stays, full, as "Sent to OrangeClone"
            except Exception as error:
                failed = self.project_error = self._words(error)
        if failed:
            yield rx.toast.error(failed)

    # --- review ---
    @rx.event
    def seek(self, start: float) -> rx.event.EventSpec:
        return rx.call_script(
            f"(() => {{ const v = document.getElementById('dub-source-player');"
            f" if (v) {{ v.currentTime = {float(start)}; v.play && v.play().catch(() => {{}}); }}"
            f" }})()"
        )

    @rx.event
    def rename(self, speaker_id: str, name: str) -> rx.event.EventSpec | None:
        return self._act(
            lambda s, a: review.rename_speaker(s, a, self._open_project(), speaker_id, name),
            "Speaker renamed.",
        )

    async def _review(self, step: Any, done: str) -> rx.event.EventSpec | None:
        self.busy = True
        try:
            actor = self._actor()
            with self._db() as session:
                self._show(await step(session, actor, self._open_project()))
        except Exception as error:
            return self._fail(error)
        finally:
            self.busy = False
        self._reload_list(actor)
        return rx.toast.success(done) if done else None

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
        return await self._review(
            lambda s, a, p: review.translate(s, a, p, lang, ids), "Translation requested."
        )

    # --- voices ---
    @rx.event
    def set_voice(self, speaker_id: str, choice: str) -> rx.event.EventSpec | None:
        def change(session: Session, actor: CurrentUser) -> None:
            value: int | str | None = (
                "original" if choice == "original" else optional_row_id(choice, "character")
            )
            voices.set_voices(session, actor, self._open_project(), {speaker_id: value})

        return self._act(change)

    @rx.event
    def set_cast_name(self, name: str) -> None:
        self.cast_name = name

    @rx.event
    def save_cast(self) -> rx.event.EventSpec | None:
        name = self.cast_name

        def change(session: Session, actor: CurrentUser) -> None:
            voices.save_cast_from_project(session, actor, self._open_project(), name)
            self._reload_casts(actor)

        return self._act(change, f"Cast “{name}” saved.")

    @rx.event
    def apply_cast(self, cast_id: str) -> rx.event.EventSpec | None:
        return self._act(
            lambda s, a: voices.apply_cast(s, a, self._open_project(), row_id(cast_id, "cast")),
            "Cast applied.",
        )

    # --- dubbing, retry, delete ---
    @rx.event
    async def dub(self) -> rx.event.EventSpec | None:
        return await self._review(review.clone, "Dubbing started.")

    @rx.event(background=True)
    async def retry(self) -> AsyncGenerator[Any, None]:
        failure: Exception | None = None
        async with self:
            try:
                actor, project_id = self._actor(), self._open_project()
                self.sending, self.send_percent = True, 0
            except Exception as error:
                failure = error
        if failure is not None:
            yield self._fail(failure)
            return
        async for event in self._send(actor, project_id, retry=True):
            yield event

    @rx.event
    def delete(self) -> rx.event.EventSpec | None:
        def change(session: Session, actor: CurrentUser) -> None:
            projects.delete_project(session, actor, self._open_project())
            self.open_id = ""

        return self._act(change, "Project deleted.")
