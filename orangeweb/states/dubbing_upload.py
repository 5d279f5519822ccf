"""Dubbing studio's two uploads, mixed into `DubbingState`: the browser's file, streamed
(Reflex's chunked upload) to `receive_upload`, a background handler that feeds
`MediaUploadWriter` (size cap enforced as it arrives) and then makes it a project
(`create_project`: probed, tier-checked); then the file sent to OrangeClone and the
transcription started (`start_dubbing`, or `retry`), its progress shown as a second bar.

Background handlers: the state lock is held only to read the cookie and to show progress;
every database read and service call runs off the event loop, outside the lock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncGenerator
from typing import Any

import reflex as rx

from orangeweb.services.dubbing import projects
from orangeweb.services.dubbing.views import DubbingProjectView
from orangeweb.services.errors import DomainError
from orangeweb.services.media.upload import MediaUploadWriter
from orangeweb.states.base import AppState, NotSignedIn, as_signed_in_user, as_signed_in_user_async
from orangeweb.states.dubbing_project_rows import project_row, rate_words
from orangeweb.states.form_inputs import selected_key_id
from orangeweb.states.job_rows import credits_words

UPLOAD_ID = "dub-media"


def _count(value: Any, kind: type[int] | type[float] = int) -> Any:
    """A non-negative finite number from the browser's progress event, else 0."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return kind(0)
    return kind(number) if math.isfinite(number) and number >= 0 else kind(0)


class DubbingUploads(AppState, mixin=True):
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
    _started: float = 0.0

    # What the page does with the outcome (`DubbingState`; under the state lock).
    def _show_created(self, view: DubbingProjectView) -> None:
        """A project was made of the upload: list it and open it."""
        raise NotImplementedError

    def _show(self, view: DubbingProjectView) -> None:
        """Show the project a step was sent for."""
        raise NotImplementedError

    def _show_send_failure(self, words: str) -> None:
        raise NotImplementedError

    def _open_project(self) -> int:
        """The project on screen (`NotFoundError` when none)."""
        raise NotImplementedError

    @rx.event
    def upload_progress(self, progress: dict[str, Any]) -> None:
        # The browser's numbers: anything else (a crafted event) reads as no progress.
        loaded, total = _count(progress.get("loaded")), _count(progress.get("total"))
        fraction = min(max(_count(progress.get("progress"), float), 0.0), 1.0)
        self.receive_percent = round(fraction * 100)
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
        async with self:
            cookie = self.router.headers.cookie
        failure: Exception | None = None
        try:  # the database off the loop, outside the state lock
            actor, key_id = await asyncio.to_thread(as_signed_in_user, cookie, selected_key_id)
        except Exception as error:
            failure = error
            async with self:
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
        try:  # probing the file and storing the project, off the loop
            _, view = await as_signed_in_user_async(
                cookie, lambda s, a: projects.create_project(s, a, key_id, stored, name)
            )
        except Exception as error:
            async with self:
                self.receiving = False
                self.checked_message = ""
                self.upload_error = self._words(error)
            yield rx.clear_selected_files(UPLOAD_ID)
            if isinstance(error, NotSignedIn):
                yield self._fail(error)
            return
        async with self:
            self.checked_message = (
                f"{view.original_name}: {view.media_type}, {project_row(view).duration}, "
                f"≈ {credits_words(view.estimated_credits)} per language to dub."
            )
            self.receiving = False
            self.sending, self.send_percent = True, 0
            self._show_created(view)
        yield rx.clear_selected_files(UPLOAD_ID)
        async for event in self._send(cookie, view.id, retry=False):
            yield event

    async def _send(
        self, cookie: str, project_id: int, *, retry: bool
    ) -> AsyncGenerator[Any, None]:
        """Upload to OrangeClone and start transcription, with the second progress bar."""
        sent = [0, 1]

        def progress(done: int, total: int) -> None:  # called on the service thread
            sent[0], sent[1] = done, max(total, 1)

        step = projects.retry if retry else projects.start_dubbing
        # The whole step (its database work and the upload) runs on a service thread's loop.
        task = asyncio.ensure_future(
            as_signed_in_user_async(cookie, lambda s, a: step(s, a, project_id, progress))
        )
        while not task.done():
            await asyncio.sleep(0.3)
            async with self:
                self.send_percent = round(sent[0] * 100 / sent[1])
        failed = ""  # these two are shown once the lock is released
        signed_out: NotSignedIn | None = None
        async with self:
            self.sending = False
            try:
                _, view = task.result()
                self._show(view)
                if view.upload_state in ("uploaded", "submitted"):
                    self.send_percent = 100  # the bar stays, full, as "Sent to OrangeClone"
            except NotSignedIn as error:
                signed_out = error
            except Exception as error:
                failed = self._words(error)
                self._show_send_failure(failed)
        if signed_out is not None:
            yield self._fail(signed_out)
        elif failed:
            yield rx.toast.error(failed)

    @rx.event(background=True)
    async def retry(self) -> AsyncGenerator[Any, None]:
        failure: Exception | None = None
        async with self:
            # The user is checked with the step, off the loop (`_send`); here, only the state.
            cookie = self.router.headers.cookie
            try:
                project_id = self._open_project()
                self.sending, self.send_percent = True, 0
            except Exception as error:
                failure = error
        if failure is not None:
            yield self._fail(failure)
            return
        async for event in self._send(cookie, project_id, retry=True):
            yield event
