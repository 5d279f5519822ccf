"""Live updates for every page that shows jobs, without any tab calling the API.

One background task per tab and page (`LiveState.listen`, started from the page's `on_load`, so
Reflex cancels it when the user navigates away or the tab disconnects) subscribes to the team's
change notices, published by the deployment's single tracker. For each notice it re-reads that
one job from the database and hands it to the page states registered for the current route,
which update only the rows that changed. When the job is the signed-in user's own and has just
finished or failed, it toasts, whatever page the user is on.

A page state takes part by mixing in `LiveView`; the page that shows it names it in its
declaration (`@private_page(..., live=VoiceState)` in orangeweb/pages/registry.py), which calls
`register_live_view` for the page's route, so the route is written once::

    class VoiceState(LiveView, AppState): ...

(`AppState` is named again because a state whose bases are all mixins is itself a mixin.)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from functools import partial
from typing import Any

import reflex as rx
from sqlmodel import Session

from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import DomainError
from orangeweb.services.jobs import JobDetail
from orangeweb.services.jobs.kinds import label_of
from orangeweb.services.jobs.notices import JobNotice, get_notice_bus
from orangeweb.states.base import AppState, NotSignedIn, as_signed_in_user
from orangeweb.states.notice_reads import notice_reads

logger = logging.getLogger(__name__)

RESUBSCRIBE_DELAYS_S = (1.0, 2.0, 5.0, 10.0, 30.0)
TOASTED_MAX = 200

_VIEWS: list[tuple[str, type[LiveView]]] = []


class LiveView(AppState, mixin=True):
    """A page state the listener refreshes. Both hooks run under the state lock."""

    @classmethod
    def _live_read(cls, session: Session, actor: CurrentUser, notice: JobNotice) -> Any:
        """What `_live_apply` needs about the changed job, read once per notice, off the event
        loop. By default the job's detail (None when gone or not visible), read once for every
        view of the page that keeps this default."""
        return read_job_detail(session, actor, notice.job_id)

    @classmethod
    def _live_with_detail(
        cls, session: Session, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None
    ) -> Any:
        """For a view that keeps the default read: what `_live_apply` gets, built on the detail
        read once for every such view (by default the detail itself), in the same thread."""
        return detail

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: Any) -> bool:
        """Apply one changed job, as `_live_read` read it. True: re-read the whole page
        (`_read_page`/`_show_page`), as after (re)subscribing."""
        return False


def read_job_detail(session: Session, actor: CurrentUser, job_id: int) -> JobDetail | None:
    try:
        return jobs.get_job(session, actor, job_id)
    except DomainError:
        return None


def _reads_job_detail(view: type[LiveView]) -> bool:
    return view._live_read.__func__ is LiveView._live_read.__func__  # type: ignore[attr-defined]


def read_for_views(
    session: Session, actor: CurrentUser, notice: JobNotice, views: list[type[LiveView]]
) -> tuple[bool, JobDetail | None, dict[type[LiveView], Any]]:
    """(whether to toast; the job's detail if the toast or a view needs it; each view's read)."""
    toast = notice.is_final and notice.user_id == actor.user_id
    shared = (
        read_job_detail(session, actor, notice.job_id)
        if toast or any(_reads_job_detail(view) for view in views)
        else None
    )
    reads = {
        view: view._live_with_detail(session, actor, notice, shared)
        if _reads_job_detail(view)
        else view._live_read(session, actor, notice)
        for view in views
    }
    return toast, shared, reads


def register_live_view(route: str, view: type[LiveView]) -> None:
    """Refresh `view` on `route` ("/" exact, others with subpaths). Read when a listener starts,
    so registering at import time of the page modules, before any tab connects, is enough."""
    if (route, view) not in _VIEWS:  # a re-imported page module must not apply notices twice
        _VIEWS.append((route, view))


def views_for(path: str) -> list[type[LiveView]]:
    path = "/" + path.strip("/")
    return [
        cls
        for route, cls in _VIEWS
        if path == route or (route != "/" and path.startswith(route.rstrip("/") + "/"))
    ]


def finished_message(notice: JobNotice, detail: JobDetail | None) -> tuple[str, str]:
    """(toast level, words) for one of the user's own jobs that just ended."""
    kind = label_of(notice.kind).lower()
    title = f"#{notice.job_id} “{notice.title}”" if notice.title else f"#{notice.job_id}"
    job = detail.job if detail is not None else None
    if job is not None and job.succeeded and notice.status != "partial":
        return "success", f"Your {kind} {title} is ready."
    if notice.status == "partial":
        return "warning", f"Your {kind} {title} finished, but some scenes failed."
    if job is None and notice.status == "completed":  # the job could not be read just now
        return "success", f"Your {kind} {title} is ready."
    reason = f": {job.error}" if job is not None and job.error else "."
    return "error", f"Your {kind} {title} failed{reason}"


def _toast(level: str, message: str) -> rx.event.EventSpec:
    show = {"success": rx.toast.success, "warning": rx.toast.warning}.get(level, rx.toast.error)
    return show(message, duration=8000)


class LiveState(AppState):
    """Holds the listener of this tab. `_generation` lets a newer listener retire an older one
    that Reflex has not cancelled yet (a reconnect racing a navigation)."""

    _generation: int = 0
    # Jobs this tab already toasted about (the tracker may announce a final status twice,
    # e.g. again once the output is archived).
    _toasted: list[int] = []

    @rx.event(background=True)
    async def listen(self) -> AsyncGenerator[Any, None]:
        async with self:
            self._generation += 1
            generation = self._generation
            path = self.router.url.path
        delays = iter(RESUBSCRIBE_DELAYS_S)
        while True:
            try:
                async for event in self._listen_once(generation, path):
                    yield event
                return
            except asyncio.CancelledError:
                raise
            except NotSignedIn:
                return
            except Exception:
                # The bus went away (e.g. Redis restarted): wait, resubscribe, resync.
                logger.warning("job notices: subscription lost; resubscribing", exc_info=True)
                await asyncio.sleep(next(delays, RESUBSCRIBE_DELAYS_S[-1]))

    async def _cookie(self, generation: int) -> str | None:
        """The tab's cookie header; None when a newer listener replaced this one."""
        async with self:
            return self.router.headers.cookie if self._generation == generation else None

    async def _reread(self, views: list[type[LiveView]], cookie: str) -> None:
        """Every view re-reads its page off the event loop, then shows it under the lock."""
        async with self:
            states = [await self.get_state(cls) for cls in views]

        def read(session: Session, actor: CurrentUser) -> list[Any]:
            return [state._read_page(session, actor) for state in states]

        _, pages = await asyncio.to_thread(as_signed_in_user, cookie, read)
        async with self:
            for cls, page in zip(views, pages, strict=True):
                (await self.get_state(cls))._show_page(page)

    async def _listen_once(self, generation: int, path: str) -> AsyncGenerator[Any, None]:
        cookie = await self._cookie(generation)
        if cookie is None:
            return
        actor, _ = await asyncio.to_thread(as_signed_in_user, cookie, lambda _s, _a: None)
        views = views_for(path)
        async with get_notice_bus().subscribe(actor.team_id) as notices:
            # Subscribed: now re-read, so a change between the page's load and here is not lost.
            await self._reread(views, cookie)
            async for notice in notices:
                cookie = await self._cookie(generation)
                if cookie is None:
                    return
                # The user is checked again with every notice (a revoked session stops here).
                actor, (toast, detail, reads) = await notice_reads.read(
                    (cookie, notice, tuple(views)),
                    partial(
                        asyncio.to_thread,
                        as_signed_in_user,
                        cookie,
                        partial(read_for_views, notice=notice, views=views),
                    ),
                )
                if not (views or toast):
                    continue
                reread = False
                async with self:
                    for cls in views:
                        state = await self.get_state(cls)
                        reread = state._live_apply(actor, notice, reads[cls]) or reread
                    if toast and notice.job_id not in self._toasted:
                        self._toasted = [*self._toasted[-(TOASTED_MAX - 1) :], notice.job_id]
                    else:
                        toast = False
                if reread:
                    await self._reread(views, cookie)
                if toast:
                    yield _toast(*finished_message(notice, detail))
