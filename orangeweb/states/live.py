"""Live updates for every page that shows jobs, without any tab calling the API.

One background task per tab and page (`LiveState.listen`, started from the page's `on_load`, so
Reflex cancels it when the user navigates away or the tab disconnects) subscribes to the team's
change notices, published by the deployment's single tracker. For each notice it re-reads that
one job from the database and hands it to the page states registered for the current route,
which update only the rows that changed. When the job is the signed-in user's own and has just
finished or failed, it toasts, whatever page the user is on.

A page state takes part by mixing in `LiveView` and registering itself for its routes::

    @live_view("/voice")
    class VoiceState(LiveView, AppState): ...

(`AppState` is named again because a state whose bases are all mixins is itself a mixin.)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar

import reflex as rx

from orangeweb.db import open_session
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import DomainError
from orangeweb.services.jobs import JobDetail
from orangeweb.services.jobs.notices import JobNotice, get_notice_bus
from orangeweb.states.base import AppState, NotSignedIn
from orangeweb.states.rows import KIND_LABELS

logger = logging.getLogger(__name__)

RESUBSCRIBE_DELAYS_S = (1.0, 2.0, 5.0, 10.0, 30.0)
TOASTED_MAX = 200

_VIEWS: list[tuple[str, type[LiveView]]] = []
_V = TypeVar("_V", bound="type[LiveView]")


class LiveView(AppState, mixin=True):
    """A page state the listener refreshes. Both hooks run under the state lock."""

    def _live_resync(self, actor: CurrentUser) -> None:
        """Re-read everything live on the page (after (re)subscribing: nothing missed)."""

    def _live_apply(self, actor: CurrentUser, notice: JobNotice, detail: JobDetail | None) -> None:
        """Apply one changed job (`detail` is None when it is gone or not visible)."""


def live_view(*routes: str) -> Callable[[_V], _V]:
    """Register a page state for the routes it is shown on ("/" exact, others with subpaths)."""

    def register(cls: _V) -> _V:
        for route in routes:
            _VIEWS.append((route, cls))
        return cls

    return register


def views_for(path: str) -> list[type[LiveView]]:
    path = "/" + path.strip("/")
    return [
        cls
        for route, cls in _VIEWS
        if path == route or (route != "/" and path.startswith(route.rstrip("/") + "/"))
    ]


def finished_message(notice: JobNotice, detail: JobDetail | None) -> tuple[str, str]:
    """(toast level, words) for one of the user's own jobs that just ended."""
    kind = KIND_LABELS.get(notice.kind, notice.kind).lower()
    title = f"#{notice.job_id} “{notice.title}”" if notice.title else f"#{notice.job_id}"
    job = detail.job if detail is not None else None
    if job is not None and job.succeeded and notice.status != "partial":
        return "success", f"Your {kind} {title} is ready."
    if notice.status == "partial":
        return "warning", f"Your {kind} {title} finished, but some scenes failed."
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

    async def _current_actor(self, generation: int) -> CurrentUser | None:
        """The user, re-checked now; None when a newer listener replaced this one."""
        async with self:
            if self._generation != generation:
                return None
            return self._actor()

    async def _listen_once(self, generation: int, path: str) -> AsyncGenerator[Any, None]:
        actor = await self._current_actor(generation)
        if actor is None:
            return
        views = views_for(path)
        async with get_notice_bus().subscribe(actor.team_id) as notices:
            # Subscribed: now re-read, so a change between the page's load and here is not lost.
            async with self:
                for cls in views:
                    (await self.get_state(cls))._live_resync(actor)
            async for notice in notices:
                actor = await self._current_actor(generation)
                if actor is None:
                    return
                toast = notice.is_final and notice.user_id == actor.user_id
                if not (views or toast):
                    continue
                detail = await asyncio.to_thread(_read_job, actor, notice.job_id)
                async with self:
                    for cls in views:
                        (await self.get_state(cls))._live_apply(actor, notice, detail)
                    if toast and notice.job_id not in self._toasted:
                        self._toasted = [*self._toasted[-(TOASTED_MAX - 1) :], notice.job_id]
                    else:
                        toast = False
                if toast:
                    yield _toast(*finished_message(notice, detail))


def _read_job(actor: CurrentUser, job_id: int) -> JobDetail | None:
    try:
        with open_session() as session:
            return jobs.get_job(session, actor, job_id)
    except DomainError:
        return None
